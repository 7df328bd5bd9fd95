"""End to end on 127.0.0.1: one attack in two feeds → one e-mail, a higher toll → one threaded update."""

from __future__ import annotations

import json
from dataclasses import replace
from email.message import EmailMessage
from typing import Any

import pytest

from alerts.spine.keyspace import Keyspace
from tests.conftest import raqib
from tests.support import incident_reports as r
from tests.support.feeds import Item, article_page, rss
from tests.support.incident_reports import Dispatch
from tests.support.redis_mode import client_for
from tests.support.servers import Mailbox, Reply, WebServer
from tests.test_incidents_store import _CrashBeforePublishing

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def _serve(web: WebServer, feed: str, dispatches: list[Dispatch]) -> None:
    items = []
    for dispatch in dispatches:
        path = f"/{feed}/{dispatch.slug.replace('/', '-')}.html"
        web.routes[path] = Reply(200, article_page(dispatch.title, list(dispatch.paragraphs)), HTML)
        items.append(
            Item(dispatch.title, web.url(path), dispatch.paragraphs[0][:200],
                 published=dispatch.published)
        )  # fmt: skip
    web.routes[f"/{feed}.xml"] = Reply(200, rss(items), RSS)


def _plain(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


def test_two_feeds_one_email_then_one_threaded_update(
    web: WebServer, mailbox: Mailbox, make_config: Any
) -> None:
    # The wire's own feed, and a local site that runs the wire story word for word.
    _serve(web, "wire", [r.WIRE])
    _serve(web, "local", [r.WIRE_COPY, r.NOT_AN_INCIDENT])
    config = make_config(
        sources=[
            {"name": "sahara-wire", "url": web.url("/wire.xml"), "interval": 60},
            {"name": "fezzan-local", "url": web.url("/local.xml"), "interval": 60},
        ],
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
        alerts={"coalesce_seconds": 0},  # the update, seconds later, is mailed at once
    )

    first = raqib("--config", str(config), "run", "--once")
    assert first.returncode == 0, first.stderr
    messages = mailbox.wait_for(1, timeout=5)
    assert len(mailbox.wait_for(2, timeout=1)) == 1, [m["Subject"] for m in messages]
    new = messages[0]
    assert "تراغن" in new["Subject"]
    incident_id, revision = new["X-Raqib-Incident"].split()
    assert revision == "r1" and new["In-Reply-To"] is None
    # The outlet by the feed's own title (the catalogue gives none), not its config name.
    assert "أخبار تجريبية" in _plain(new) and "sahara-wire" not in _plain(new)
    assert web.hits("/wire/traghen-attack.html") and web.hits("/local/2024-03-12-12345.html")

    # Later the local site has its own report with a higher toll.
    _serve(web, "local", [r.WIRE_COPY, r.NOT_AN_INCIDENT, r.HIGHER_TOLL])
    second = raqib("--config", str(config), "run", "--once")
    assert second.returncode == 0, second.stderr
    messages = mailbox.wait_for(2, timeout=5)
    assert len(mailbox.wait_for(3, timeout=1)) == 2, [m["Subject"] for m in messages]
    update = messages[1]
    assert update["X-Raqib-Incident"] == f"{incident_id} r2"
    assert update["In-Reply-To"] == new["Message-ID"]
    assert update["References"] == new["Message-ID"]
    text = _plain(update)
    assert "تحديث" in text and "killed 3 → 5, injured 2 → 4" in text

    third = raqib("--config", str(config), "run", "--once")
    assert third.returncode == 0, third.stderr
    assert len(mailbox.wait_for(3, timeout=1)) == 2, "nothing new: no e-mail"

    shown = raqib("--config", str(config), "incidents", "show", incident_id)
    assert shown.returncode == 0, shown.stderr
    assert "casualties: 5 killed, 4 injured" in shown.stdout
    assert "r2 update [casualties]" in shown.stdout


def test_an_alert_a_crash_left_unpublished_is_mailed_by_the_next_run(
    web: WebServer, mailbox: Mailbox, make_config: Any, redis_url: str, prefix: str
) -> None:
    # By the next run the story has left the feed: only the crawl's start can publish its alert.
    _serve(web, "wire", [r.NOT_AN_INCIDENT])
    config = make_config(
        redis={"url": redis_url},
        sources=[{"name": "sahara-wire", "url": web.url("/wire.xml"), "interval": 60}],
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
    )
    # A crawler committed the incident and died before putting its alert on the stream (and so
    # before marking the feed entry seen), a while ago.
    client = client_for(redis_url)
    try:
        crashed = _CrashBeforePublishing(client, Keyspace(prefix))
        article = replace(r.WIRE.article(), source="sahara-wire",
                          url=web.url("/wire/traghen-attack.html"))  # fmt: skip
        with pytest.raises(ConnectionError):
            crashed.record(article, r.detect(r.WIRE))
        outbox = crashed.keys.incident_outbox
        for key, raw in client.hgetall(outbox).items():  # type: ignore[union-attr]
            client.hset(outbox, key, json.dumps({**json.loads(raw), "at": 0}))
    finally:
        client.close()

    run = raqib("--config", str(config), "run", "--once")
    assert run.returncode == 0, run.stderr
    messages = mailbox.wait_for(1, timeout=5)
    assert len(mailbox.wait_for(2, timeout=1)) == 1, [m["Subject"] for m in messages]
    assert messages[0]["X-Raqib-Incident"].endswith(" r1")
    assert r.WIRE.title in _plain(messages[0])
