"""Coalescing, never delaying: an incident's revisions folded into as few messages as allowed."""

from __future__ import annotations

import time

import redis

from tests.support.delivery import build_settings, drain, make_alert, publish
from tests.support.servers import Mailbox, WebServer

WINDOW = 60.0


def _settings(redis_url: str, prefix: str, mailbox: Mailbox, web_port: int | None = None):  # type: ignore[no-untyped-def]
    sub = {"name": "desk", "email": ["desk@example.org"]}
    if web_port is not None:
        sub["chat"] = [f"json://127.0.0.1:{web_port}/hook"]
    return build_settings(
        redis_url, prefix, mailbox.port, subscriptions=[sub],
        alerts={"coalesce_seconds": WINDOW},
    )  # fmt: skip


def _plain(message: object) -> str:
    return message.get_body(("plain",)).get_content()  # type: ignore[attr-defined,no-any-return]


def test_an_update_read_in_the_same_pass_folds_into_the_first_alert(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = _settings(redis_url, prefix, mailbox)
    start = time.time()
    # The new incident and its update (the toll rose to 5) reach the stream together.
    publish(redis_client, prefix, make_alert("fold-1", 1), make_alert("fold-1", 2))
    drain(settings, now=start)
    (message,) = mailbox.wait_for(1, timeout=10)
    assert mailbox.wait_for(2, timeout=0.5) == [message], "one message, not two"
    text = _plain(message)
    assert "حادثة جديدة" in text and "تحديث" not in message["Subject"], "told as new"
    assert "قتلى ⁨5⁩" in text and "قتلى ⁨4⁩" not in text, "with the latest toll"
    assert message["Message-ID"].startswith("<raqib.fold-1.r2.")


def test_first_alert_is_never_held_and_updates_wait_for_the_window(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = _settings(redis_url, prefix, mailbox)
    start = time.time()
    publish(redis_client, prefix, make_alert("win-1", 1))
    drain(settings, now=start)
    (first,) = mailbox.wait_for(1, timeout=10)
    # Two updates within the window: neither goes out yet …
    publish(redis_client, prefix, make_alert("win-1", 2))
    drain(settings, now=start + 10)
    publish(redis_client, prefix, make_alert("win-1", 3))
    drain(settings, now=start + 20)
    assert mailbox.wait_for(2, timeout=0.5) == [first]
    # … and when it ends, one message carries the latest state, threaded under the first.
    drain(settings, now=start + WINDOW + 1)
    messages = mailbox.wait_for(2, timeout=10)
    assert len(messages) == 2
    update = messages[1]
    assert update["Subject"].startswith("[رقيب] تحديث:")
    assert "قتلى ⁨6⁩" in _plain(update), "revision 3's toll"
    assert first["Message-ID"] in update["References"]
    assert mailbox.wait_for(3, timeout=0.5) == messages, "revision 2 is folded, not sent"
    # A later update, after the window, goes out as it comes.
    publish(redis_client, prefix, make_alert("win-1", 4))
    drain(settings, now=start + 3 * WINDOW)
    assert len(mailbox.wait_for(3, timeout=10)) == 3


def test_webhooks_still_get_every_revision(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox, web: WebServer
) -> None:
    settings = _settings(redis_url, prefix, mailbox, web.port)
    publish(redis_client, prefix, make_alert("hook-1", 1), make_alert("hook-1", 2))
    drain(settings, now=time.time())
    assert len(mailbox.wait_for(1, timeout=10)) == 1
    assert len(web.hits("/hook")) == 2
