"""Feed text with controls, terminal escapes, newlines and direction overrides: cleaned where it
comes in, so no log line is forged and no channel shows them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from alerts.message import Alert, Evidence
from tests.conftest import raqib
from tests.support.feeds import INCIDENTS, Item, article_page, rss
from tests.support.servers import Mailbox, Reply, WebServer

FORGED = "2026-01-01 00:00:00,000 CRITICAL crawler.app.daemon: all alerts deleted"
# What a stranger can put in a feed: a record forged on a line of its own, a terminal escape
# that clears the screen, a colour, a window title, and a right-to-left override.
HOSTILE = f"\n{FORGED}\r\n\x1b[2J\x1b[31mأحمر\x1b[0m \x1b]0;pwned\x07\u202eنص معكوس\u202c \u2066x\u2069\x00\x08"
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# What we render may hold isolates of our own (alerts/bidi.py): each one balanced in its line.
UNSAFE_RENDERED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]")


def _assert_rendered_safe(text: str) -> None:
    assert not UNSAFE_RENDERED.search(text.replace("\n", "")), repr(text[:500])
    for line in text.splitlines():
        depth = 0
        for char in line:
            if char in "\u2066\u2067\u2068":
                depth += 1
            elif char == "\u2069":
                depth -= 1
                assert depth >= 0, f"an isolate closed that was never opened: {line!r}"
        assert depth == 0, f"an isolate left open: {line!r}"


@pytest.mark.parametrize(
    "text, one_line, expected",
    [
        ("سرت\nطرابلس", False, "سرت\nطرابلس"),
        ("سرت\nطرابلس", True, "سرت طرابلس"),
        ("a\r\nb\rc\u2028d\x85e", False, "a\nb\nc\nd\ne"),
        ("\x1b[1;31mهجوم\x1b[0m", False, "هجوم"),
        ("\x9b31mx", False, "x"),
        ("\x1b]0;title\x07بعد", False, "بعد"),
        ("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", False, "link"),
        ("\x1b]unended", False, "unended"),
        ("\u202eنص\u202c \u2067x\u2069 \u202a\u202b\u202d", False, "نص x "),
        ("مرحبا\u200fيا\u200cسلام\u061c", False, "مرحبا\u200fيا\u200cسلام\u061c"),  # marks stay
        ("\ufeffbom\x00nul\x07bell\x7fdel\x1fus", False, "bomnulbelldelus"),
        ("tab\there", False, "tab here"),
        ("\x02\x0304,01ملون\x0f", False, "ملون"),  # IRC bold and colour codes
        ("\ud83dhalf", False, "\ufffdhalf"),
        ("نص نظيف تماما", True, "نص نظيف تماما"),
    ],
)
def test_clean_text(text: str, one_line: bool, expected: str) -> None:
    from alerts.spine.cleaning import clean_text

    assert clean_text(text, one_line=one_line) == expected


def test_the_alert_contract_cleans_every_third_party_field() -> None:
    alert = Alert.model_validate({
        "incident_id": "x-1", "score": 0.9, "title": "عنوان" + HOSTILE, "url": "http://e/\x1b[2J",
        "source": "s\u202e", "summary": "سطر\n" + HOSTILE,
        "places": [{"name": "سرت\u202e", "region": "\x1bبرقة"}],
        "sources": [{"outlet": "o", "url": "http://e/", "title": "t\nforged"}],
        "claim": {"by": "داعش\x1b[31m", "sentence": "s\u2066"},
        "why": ["w\nforged"], "matched": ["m\x00"],
        "evidence": [{"text": "\u202eقتل\u202c جنديين", "marks": [[1, 4], [6, 12]]}],
    })  # fmt: skip
    dumped = alert.model_dump_json()
    assert not UNSAFE.search(json.loads(dumped)["summary"]) and "\\u001b" not in dumped
    for text in (alert.title, alert.url, alert.source, alert.places[0].name, alert.why[0]):
        assert not UNSAFE.search(text) and "\n" not in text, repr(text)
    assert alert.summary.startswith("سطر\n")  # a summary keeps its paragraphs
    # The highlighted words move with the text cleaning shortened.
    evidence = alert.evidence[0]
    assert [evidence.text[a:b] for a, b in evidence.marks] == ["قتل", "جنديين"]
    # And read back from the stream the same way.
    assert Alert.from_fields(alert.to_fields()) == alert
    assert Evidence(text="x", marks=[(0, 1)]).marks == [(0, 1)]


def _serve_hostile_incident(web: WebServer) -> None:
    title, paragraphs = INCIDENTS["sabha"]
    web.routes["/feed.xml"] = Reply(
        200, rss([Item(title + HOSTILE, web.url("/a/sabha.html"), summary=paragraphs[0] + HOSTILE)]),
        {"Content-Type": "application/rss+xml; charset=utf-8"},
    )  # fmt: skip
    web.routes["/a/sabha.html"] = Reply(
        200, article_page(title + HOSTILE, [p + HOSTILE for p in paragraphs]),
        {"Content-Type": "text/html; charset=utf-8"},
    )  # fmt: skip


def _assert_log_is_honest(stderr: str) -> None:
    for line in stderr.splitlines():
        # Every line is a record of ours (it starts with its time) or a traceback's, indented.
        assert re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ |    ", line), repr(line)
        assert not line.startswith(FORGED[:30]), line
    assert not UNSAFE.search(stderr.replace("\n", "")), repr(stderr[-2000:])


def test_hostile_feed_text_reaches_no_log_mail_or_chat_raw(
    web: WebServer, mailbox: Mailbox, make_config: Any
) -> None:
    _serve_hostile_incident(web)
    web.routes["/hook"] = Reply(200, b"ok")
    config = make_config(
        sources=[{"name": "hostile", "url": web.url("/feed.xml"), "interval": 60}],
        subscriptions=[{
            "name": "desk", "email": ["desk@example.org"],
            "chat": [f"json://127.0.0.1:{web.port}/hook"],
        }],
    )  # fmt: skip
    run = raqib("--config", str(config), "run", "--once")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "incident " in run.stderr, "the hostile item was read and detected"
    _assert_log_is_honest(run.stderr)

    (message,) = mailbox.wait_for(1, timeout=10)
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    for part in (str(message["Subject"]), text, html):
        _assert_rendered_safe(part)
    assert "سبها" in str(message["Subject"]) and "\n" not in str(message["Subject"])

    (hook,) = web.hits("/hook")
    payload = hook.json()
    title = payload["raqib"]["alerts"][0]["title"]
    assert "سبها" in title and not UNSAFE.search(title) and "\n" not in title
    _assert_rendered_safe(payload["message"])


def test_hostile_feed_text_reaches_the_console_clean(
    web: WebServer, make_config: Any, tmp_path: Path
) -> None:
    _serve_hostile_incident(web)
    config = make_config(sources=[{"name": "hostile", "url": web.url("/feed.xml"), "interval": 60}])
    run = raqib("--config", str(config), "run", "--once")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "سبها" in run.stdout, run.stdout
    _assert_rendered_safe(run.stdout)
    _assert_log_is_honest(run.stderr)
    (line,) = (tmp_path / "var/alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert not UNSAFE.search(json.loads(line)["title"])
