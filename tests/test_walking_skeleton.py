"""End to end: a feed on 127.0.0.1, real Redis, real SMTP; one e-mail about Qatrun, once."""

from __future__ import annotations

from email.message import EmailMessage

from tests.conftest import raqib
from tests.support.feeds import (
    SPORT_TEXT,
    SPORT_TITLE,
    SYRIA_TEXT,
    SYRIA_TITLE,
    Item,
    article_page,
    rss,
    seed_article,
)  # fmt: skip
from tests.support.servers import Mailbox, Reply, WebServer


def _serve_three_items(web: WebServer) -> None:
    seed_title, seed_paragraphs = seed_article()
    pages = {
        "/a/qatrun.html": (seed_title, seed_paragraphs),
        "/a/sport.html": (SPORT_TITLE, SPORT_TEXT),
        "/a/syria.html": (SYRIA_TITLE, SYRIA_TEXT),
    }
    items = [
        Item(title, web.url(path), summary=paras[0][:200]) for path, (title, paras) in pages.items()
    ]
    web.routes["/feed.xml"] = Reply(
        200, rss(items), {"Content-Type": "application/rss+xml; charset=utf-8"}
    )
    for path, (title, paras) in pages.items():
        web.routes[path] = Reply(
            200, article_page(title, paras), {"Content-Type": "text/html; charset=utf-8"}
        )


def _text_and_html(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None, "expected multipart text + HTML"
    return text.get_content(), html.get_content()


def test_one_feed_one_email_once(web: WebServer, mailbox: Mailbox, make_config) -> None:  # type: ignore[no-untyped-def]
    _serve_three_items(web)
    config = make_config(
        sources=[{"name": "test", "url": web.url("/feed.xml"), "interval": 60}],
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
    )

    first = raqib("--config", str(config), "run", "--once")
    assert first.returncode == 0, first.stderr
    messages = mailbox.wait_for(1, timeout=5)
    assert len(messages) == 1, [m["Subject"] for m in messages]
    message = messages[0]
    assert "القطرون" in message["Subject"]
    assert mailbox.recipients[0] == ["analyst@example.org"]
    text, html = _text_and_html(message)
    assert "القطرون" in text and "القطرون" in html
    assert 'dir="rtl"' in html
    assert "دير الزور" not in text and "الديربي" not in text
    # the three article pages were read, the feed once
    assert len(web.hits("/feed.xml")) == 1
    assert web.hits("/a/qatrun.html")

    second = raqib("--config", str(config), "run", "--once")
    assert second.returncode == 0, second.stderr
    assert len(mailbox.wait_for(2, timeout=2)) == 1, "the second run must send nothing"
    assert len(web.hits("/feed.xml")) == 2
