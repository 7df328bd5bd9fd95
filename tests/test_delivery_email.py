"""E-mail delivery to a real SMTP server (aiosmtpd): Arabic, threading, retries and dead letters."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time
from email.message import EmailMessage
from pathlib import Path

import redis

from alerts.channels.email import EmailChannel
from alerts.jobs import DeliveryJob
from alerts.spine.keyspace import Keyspace
from config.settings import SmtpSettings
from tests.conftest import raqib, write_config
from tests.support.delivery import build_settings, drain, make_alert, message_ids, publish
from tests.support.redis_mode import redis_block
from tests.support.servers import Mailbox


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None, "expected multipart text + HTML"
    return text.get_content(), html.get_content()


def test_arabic_email_with_threading_headers(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
        alerts={"coalesce_seconds": 0},  # each update its own message (coalescing: below)
    )  # fmt: skip
    first = make_alert("qatrun-7", 1)
    update = make_alert("qatrun-7", 2)
    publish(redis_client, prefix, first)
    drain(settings)  # the first message goes out before its update arrives, as in life
    publish(redis_client, prefix, update)
    drain(settings)

    messages = mailbox.wait_for(2, timeout=10)
    assert len(messages) == 2
    new, revised = messages
    # decoded, the Arabic is intact in the subject and both parts
    assert new["Subject"] == "[رقيب] ⁨هجوم⁩ — ⁨القطرون (فزان)⁩ — ⁨4 قتلى⁩"
    assert revised["Subject"].startswith("[رقيب] تحديث:")
    text, html = _parts(new)
    assert "\u200fمسلحون يهاجمون نقطة تفتيش قرب القطرون" in text  # RLM before each line
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert "https://www.openstreetmap.org/?mlat=24.8895&amp;mlon=14.5315" in html
    assert "https://news.example.org/a/qatrun-7-1" in text
    assert new.get_content_charset() is None  # multipart; each part declares its own
    assert new.get_body(("plain",)).get_content_charset() == "utf-8"  # type: ignore[union-attr]
    # threading: the update replies to the first message and names it in References
    assert new["Message-ID"].startswith("<raqib.qatrun-7.r1.")
    assert revised["Message-ID"].startswith("<raqib.qatrun-7.r2.")
    assert revised["In-Reply-To"] == new["Message-ID"]
    assert revised["References"].split() == [new["Message-ID"]]
    assert new["In-Reply-To"] is None
    assert "تعديل حصيلة الضحايا" in _parts(revised)[0]


def test_third_party_text_is_escaped_in_html(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{"name": "desk", "email": ["desk@example.org"], "language": "en"}],
    )  # fmt: skip
    hostile = make_alert(
        "x-1", title='هجوم <script>alert("x")</script> *bold* @everyone',
        sources=[{"outlet": "<b>منفذ</b>", "url": "javascript:alert(1)", "title": "رابط"}],
        places=[{"name": "القطرون\r\nBcc: spy@example.org", "region": "فزان", "region_en": "Fezzan"}],
    )  # fmt: skip
    publish(redis_client, prefix, hostile)
    drain(settings)
    (message,) = mailbox.wait_for(1, timeout=10)
    text, html = _parts(message)
    assert "<script>" not in html and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "&lt;b&gt;منفذ&lt;/b&gt;" in html
    assert 'href="javascript:' not in html  # a feed's javascript: link is shown, not linked
    assert '<script>alert("x")</script> *bold* @everyone' in text  # plain text stays as written
    # a line break in a place name does not make a header of its own
    assert message["Bcc"] is None and mailbox.recipients[0] == ["desk@example.org"]
    # the English variant: left-to-right, English labels
    assert message["Subject"] == (
        "[Raqib] ⁨attack⁩ — ⁨القطرون Bcc: spy@example.org (Fezzan)⁩ — ⁨4 killed⁩"
    )
    assert 'dir="ltr"' in html and "Sources" in html


def test_451_then_250_is_delivered_after_a_retry(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
    )  # fmt: skip
    mailbox.rcpt_codes = [451]
    publish(redis_client, prefix, make_alert("retry-1"))
    first = drain(settings)
    assert first.sender.retried == 1 and first.delivered == 0
    assert mailbox.messages == []
    keys = Keyspace(prefix)
    assert redis_client.zcard(keys.scheduled) == 1, "the retry waits in the schedule"
    second = drain(settings, now=time.time() + 1)  # past the back-off (50 ms ± 50%)
    assert second.delivered == 1
    (message,) = mailbox.wait_for(1, timeout=5)
    assert message["X-Raqib-Incident"] == "retry-1 r1"
    (entry,) = redis_client.xrange(keys.delivery_log)
    assert entry[1]["attempts"] == "2"
    assert redis_client.xlen(keys.dead) == 0


def test_550_is_dead_lettered_listed_and_redriven(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox, tmp_path: Path
) -> None:
    subscriptions = [{"name": "analysts", "email": ["gone@example.org"]}]
    settings = build_settings(redis_url, prefix, mailbox.port, subscriptions=subscriptions)
    config = write_config(
        tmp_path / "raqib.yaml",
        data_dir=str(tmp_path / "var"), redis=redis_block(redis_url, prefix),
        smtp={"host": "127.0.0.1", "port": mailbox.port, "sender": "raqib@test.example"},
        subscriptions=subscriptions,
    )  # fmt: skip
    mailbox.rcpt_codes = [550]
    publish(redis_client, prefix, make_alert("dead-1"))
    worker = drain(settings)
    assert worker.failed == 1 and worker.sender.retried == 0, "550 is permanent: no retry"
    assert mailbox.messages == []

    listed = raqib("--config", str(config), "dead", timeout=60)
    assert listed.returncode == 0, listed.stderr
    assert "1 dead letter" in listed.stdout
    assert "analysts → email:gone@example.org" in listed.stdout
    assert "SMTP 550" in listed.stdout and "dead-1 r1" in listed.stdout
    as_json = raqib("--config", str(config), "dead", "--json", timeout=60)
    (row,) = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert row["delivery"] == "dead-1:1:analysts:email:gone@example.org"

    # The address is fixed (the server now says 250): re-drive, deliver.
    redriven = raqib("--config", str(config), "dead", "--redrive", row["id"], timeout=60)
    assert redriven.returncode == 0, redriven.stderr
    assert "re-driven: 1" in redriven.stdout
    assert drain(settings).delivered == 1
    (message,) = mailbox.wait_for(1, timeout=5)
    assert message["X-Raqib-Incident"] == "dead-1 r1"
    assert "no dead letters" in raqib("--config", str(config), "dead", timeout=60).stdout
    # and nothing goes twice: another drain sends nothing
    drain(settings)
    assert message_ids(mailbox.wait_for(2, timeout=0.5)) == [message["Message-ID"]]


def test_a_send_given_up_closes_its_connection_to_a_silent_server() -> None:
    """A server that greets and then never answers: the send timeout (or a shutdown) gives up
    on the send, and the connection is cut then, not after smtp.timeout; a thread left
    waiting on it would keep the daemon from exiting."""
    listener = socket.create_server(("127.0.0.1", 0))
    closed = threading.Event()

    def silent() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"220 silent.test ESMTP\r\n")
            conn.settimeout(120)
            try:
                while conn.recv(4096):
                    pass  # reads the EHLO and answers nothing
            except OSError:
                pass
            closed.set()

    server = threading.Thread(target=silent, daemon=True)
    server.start()
    smtp = SmtpSettings(port=listener.getsockname()[1], timeout=120)
    channel = EmailChannel(smtp, "analyst@example.org")
    job = DeliveryJob(
        id="j1", subscription="analysts", channel=channel.id,
        alerts_json=(make_alert("silent-1").model_dump_json(),),
    )  # fmt: skip

    async def give_up() -> None:
        try:
            await asyncio.wait_for(channel.send(job, "ar"), timeout=1.0)
        except TimeoutError:
            return
        raise AssertionError("a silent server cannot have taken the message")

    loop = asyncio.new_event_loop()  # not asyncio.run: it would wait for the thread to end
    try:
        loop.run_until_complete(give_up())
        assert closed.wait(10), "the connection to the silent server was left open"
    finally:
        listener.close()
        loop.close()
