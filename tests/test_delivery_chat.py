"""Chat delivery to real servers on 127.0.0.1: a JSON webhook, a Mattermost-style hook, and IRC."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from alerts.spine.keyspace import Keyspace
from tests.conftest import ROOT, write_config
from tests.support.delivery import build_settings, drain, make_alert, publish, wait_until
from tests.support.ircd import IrcListener, IrcServer, ngircd_binary
from tests.support.redis_mode import redis_block
from tests.support.servers import Reply, Request, WebServer

HOSTILE_TITLE = "هجوم <script>alert(1)</script> و *bold* و @everyone قرب سرت"


def test_webhook_gets_literal_text_and_an_idempotency_key(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    web.routes["/hook"] = Reply(204)
    url = f"json://127.0.0.1:{web.port}/hook?+X-Desk-Token=s3cr3t-token"
    settings = build_settings(redis_url, prefix, subscriptions=[{"name": "ops", "chat": [url]}])
    publish(redis_client, prefix, make_alert("sirte-3", which=1, title=HOSTILE_TITLE))
    assert drain(settings).delivered == 1

    (hit,) = web.hits("/hook")
    assert hit.method == "POST"
    payload = hit.json()
    # the text arrives exactly as the feed wrote it: JSON carries it, nothing to interpret
    assert HOSTILE_TITLE in payload["message"]
    assert (
        "سرت" in payload["message"]
        and "https://www.openstreetmap.org/?mlat=31.2060" in payload["message"]
    )
    assert payload["raqib"]["alerts"][0]["incident_id"] == "sirte-3"
    assert payload["raqib"]["kind"] == "alert"
    key = hit.headers["idempotency-key"]
    assert len(key) == 32 and payload["raqib"]["idempotency_key"] == key
    assert hit.headers["x-desk-token"] == "s3cr3t-token"  # Apprise's +Header syntax
    assert hit.headers["content-type"].startswith("application/json")


def test_webhook_4xx_is_dead_and_5xx_is_retried_per_channel(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    answers = itertools.chain([Reply(503), Reply(429, headers={"Retry-After": "0"})],
                              itertools.repeat(Reply(200)))  # fmt: skip
    web.routes["/flaky"] = lambda request: next(answers)
    web.routes["/gone"] = Reply(404)
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/flaky",
                                                f"json://127.0.0.1:{web.port}/gone"]}],
    )  # fmt: skip
    publish(redis_client, prefix, make_alert("derna-1", which=2))
    delivered = failed = 0
    for _ in range(20):  # drain as a cron job would, until the retries are through
        worker = drain(settings)
        delivered += worker.delivered
        failed += worker.failed
        if delivered and failed:
            break
        wait_until(lambda: False, timeout=0.1)
    assert (delivered, failed) == (1, 1)
    assert len(web.hits("/gone")) == 1, "a 404 is not retried"
    flaky = web.hits("/flaky")
    assert len(flaky) == 3, "503, then 429, then 200"
    assert len({h.headers["idempotency-key"] for h in flaky}) == 1, "every try has the same key"
    (letter,) = redis_client.xrange(Keyspace(prefix).dead)
    assert "HTTP 404" in letter[1]["reason"] and "permanent" in letter[1]["reason"]


def test_worker_killed_after_sending_sends_again_with_the_same_key(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer, tmp_path: Path
) -> None:
    """The receiver has the request, the worker dies before recording it: the copy is marked."""
    slow = {"first": True}

    def answer(request: Request) -> Reply:
        if slow["first"]:
            slow["first"] = False
            return Reply(200, delay=30)  # the worker is killed while it waits for this
        return Reply(200)

    web.routes["/hook"] = answer
    subscriptions = [{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/hook"]}]
    config = write_config(
        tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"),
        redis=redis_block(redis_url, prefix), subscriptions=subscriptions,
        alerts={"claim_idle_seconds": 0.5, "poll_seconds": 0.1}, http={"port": 0},
    )  # fmt: skip
    publish(redis_client, prefix, make_alert("sabha-2", which=3))
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "crawler", "--config", str(config), "alerts"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        )  # fmt: skip
    try:
        arrived = wait_until(lambda: len(web.hits("/hook")) == 1, timeout=60)
        assert arrived, (tmp_path / "worker.log").read_text(errors="replace")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    assert worker.returncode == -signal.SIGKILL

    settings = build_settings(redis_url, prefix, subscriptions=subscriptions)
    assert wait_until(lambda: drain(settings).delivered == 1, timeout=10, every=0.3)
    first, again = web.hits("/hook")
    assert first.headers["idempotency-key"] == again.headers["idempotency-key"]
    assert first.json()["message"] == again.json()["message"]
    assert drain(settings).delivered == 0, "recorded now: not sent a third time"


def test_markdown_chat_service_escapes_markup_and_mentions(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    """Apprise's Mattermost plugin posts to our server: Markdown and @-mentions arrive inert."""
    token = "raqibtesthooktoken0000000001"
    web.routes[f"/hooks/{token}"] = Reply(200, b"ok")
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [f"mmost://127.0.0.1:{web.port}/{token}"]}],
    )  # fmt: skip
    publish(redis_client, prefix, make_alert("sirte-9", which=1, title=HOSTILE_TITLE))
    assert drain(settings).delivered == 1
    (hit,) = web.hits(f"/hooks/{token}")
    text = hit.json()["text"]
    assert r"\<script\>alert\(1\)\</script\>" in text
    assert r"\*bold\*" in text and "*bold*" not in text.replace(r"\*", "")
    assert "@\u2060everyone" in text and "@everyone" not in text
    # links stay clickable: no backslash inside a URL
    assert "https://www.openstreetmap.org/?mlat=31.2060&mlon=16.5836#map=10/31.2060/16.5836" in text


def test_apprise_service_4xx_is_permanent_5xx_is_not(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    gone, broken = "raqibtesthooktoken0000000404", "raqibtesthooktoken0000000500"
    web.routes[f"/hooks/{gone}"] = Reply(404)
    web.routes[f"/hooks/{broken}"] = Reply(500)
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [f"mmost://127.0.0.1:{web.port}/{gone}",
                                                f"mmost://127.0.0.1:{web.port}/{broken}"]}],
    )  # fmt: skip
    publish(redis_client, prefix, make_alert("q-4"))
    worker = drain(settings)
    assert worker.failed == 1 and worker.sender.retried == 1
    (letter,) = redis_client.xrange(Keyspace(prefix).dead)
    assert "HTTP 404" in letter[1]["reason"]
    assert "raqibtesthooktoken" not in letter[1]["reason"], "no token in the reason"


@pytest.fixture(scope="module")
def ircd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IrcServer]:
    binary = ngircd_binary()
    if binary is None:
        pytest.skip("ngircd is not installed (Debian: apt-get install ngircd; .ci/run does it)")
    server = IrcServer(tmp_path_factory.mktemp("ngircd"), binary)
    yield server
    server.close()


def test_irc_through_ngircd(
    redis_url: str, prefix: str, redis_client: redis.Redis, ircd: IrcServer
) -> None:
    listener = IrcListener(ircd.port, "#raqib")
    try:
        settings = build_settings(
            redis_url, prefix,
            subscriptions=[{"name": "irc", "chat": [f"irc://raqib@127.0.0.1:{ircd.port}/#raqib"]}],
        )  # fmt: skip
        title = HOSTILE_TITLE + " \x02\x0304ملون\x0f"  # IRC bold and colour codes from a feed
        publish(redis_client, prefix, make_alert("sirte-irc", which=1, title=title))
        assert drain(settings).delivered == 1
        assert wait_until(lambda: any("news.example.org" in text for _, text in listener.messages))
        lines = [text for nick, text in listener.messages if nick == "raqib"]
    finally:
        listener.close()
    said = "\n".join(lines)
    assert "هجوم <script>alert(1)</script> و *bold* و @everyone قرب سرت ملون" in said
    assert "\x02" not in said and "\x03" not in said, "control codes from a feed are dropped"
    assert any("تفجير" in line for line in lines)  # the Arabic type label
    assert all(len(line.encode()) <= 350 for line in lines)


def test_exhausted_retries_go_to_the_dead_letters(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    web.routes["/down"] = Reply(503)
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/down"]}],
        alerts={"max_attempts": 3, "backoff_base_seconds": 0.01, "backoff_max_seconds": 0.02},
    )  # fmt: skip
    publish(redis_client, prefix, make_alert("down-1"))
    assert wait_until(lambda: drain(settings).failed == 1, timeout=10, every=0.05)
    assert len(web.hits("/down")) == 3
    (letter,) = redis_client.xrange(Keyspace(prefix).dead)
    assert letter[1]["reason"].startswith("gave up after 3 attempts:")
    assert "HTTP 503" in letter[1]["reason"]
    assert redis_client.zcard(Keyspace(prefix).scheduled) == 0
