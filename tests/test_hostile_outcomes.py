"""Say what really happened: what was sent, what waits and why, what died — in the summary, the
exit code cron reads, `raqib pending`, `raqib feeds --check` and the daemon's own words."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import redis

from alerts.spine.keyspace import Keyspace
from crawler.feeds.state import FeedStore
from tests.conftest import raqib
from tests.support.delivery import wait_until
from tests.support.feeds import INCIDENTS, Item, article_page, rss
from tests.support.servers import Mailbox, Reply, WebServer, free_port
from tests.support.service import RaqibProcess

RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
HTML = {"Content-Type": "text/html; charset=utf-8"}


def _serve(web: WebServer, *names: str) -> None:
    items = []
    for name in names:
        title, paragraphs = INCIDENTS[name]
        items.append(Item(title, web.url(f"/a/{name}.html"), summary=paragraphs[0]))
        web.routes[f"/a/{name}.html"] = Reply(200, article_page(title, paragraphs), HTML)
    web.routes["/feed.xml"] = Reply(200, rss(items), RSS)


def test_a_mail_server_that_is_down_is_waiting_not_delivered(
    web: WebServer, mailbox: Mailbox, make_config: Any
) -> None:
    _serve(web, "sabha")
    source = [{"name": "outlet", "url": web.url("/feed.xml"), "interval": 60}]
    desk = [{"name": "desk", "email": ["desk@example.org"]}]
    down = make_config(smtp={"port": free_port()}, sources=source, subscriptions=desk)
    run = raqib("--config", str(down), "run", "--once")
    assert run.returncode == 75, run.stderr[-3000:]  # EX_TEMPFAIL: try again later
    assert "deliveries: 0 sent, 1 failed for now" in run.stderr, run.stderr[-2000:]
    assert "waiting now: 1 to retry" in run.stderr and "raqib pending" in run.stderr

    listed = raqib("--config", str(down), "pending")
    assert listed.returncode == 0, listed.stderr
    assert "retry   desk → email:desk@example.org  next: " in listed.stdout, listed.stdout
    assert "attempts: 1" in listed.stdout and "سبها" in listed.stdout
    assert "reason: SMTP 127.0.0.1:" in listed.stdout and "unavailable" in listed.stdout
    (waiting,) = [
        json.loads(line)
        for line in raqib("--config", str(down), "pending", "--json").stdout.splitlines()
    ]
    assert waiting["state"] == "retry" and waiting["attempts"] == 1
    assert datetime.fromisoformat(waiting["next_at"]) > datetime.now(UTC) - timedelta(minutes=1)

    # The server answers again, but refuses the address for good: dead, exit 1.
    mailbox.rcpt_codes = [550]
    up = make_config(sources=source, subscriptions=desk)
    time.sleep(0.2)  # the retry's back-off (0.05 s doubling, ±50%) is over
    again = raqib("--config", str(up), "alerts", "--once")
    assert again.returncode == 1, again.stderr[-3000:]
    assert "deliveries: 0 sent, 0 failed for now (retried later), 0 held" in again.stderr
    assert "rate limits), 1 dead; waiting now: 0 to retry" in again.stderr
    assert "nothing waits" in raqib("--config", str(up), "pending").stdout


def test_held_on_purpose_is_not_a_failure(
    web: WebServer, mailbox: Mailbox, make_config: Any
) -> None:
    _serve(web, "ubari")
    now = datetime.now(UTC)
    quiet = {"start": (now - timedelta(hours=2)).strftime("%H:%M"),
             "end": (now + timedelta(hours=2)).strftime("%H:%M"), "timezone": "UTC"}  # fmt: skip
    config = make_config(
        sources=[{"name": "outlet", "url": web.url("/feed.xml"), "interval": 60}],
        subscriptions=[{"name": "night", "email": ["night@example.org"], "quiet_hours": quiet}],
    )
    run = raqib("--config", str(config), "run", "--once")
    assert run.returncode == 0, run.stderr[-3000:]
    assert "0 sent, 0 failed for now (retried later), 1 held" in run.stderr
    assert "1 held, 0 digest" in run.stderr
    assert mailbox.wait_for(1, timeout=1) == []
    listed = raqib("--config", str(config), "pending")
    assert "held    night → email:night@example.org" in listed.stdout, listed.stdout
    assert "reason: quiet hours" in listed.stdout


def test_feeds_check_judges_as_healthz_does(
    make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    names = ["first", "second", "third"]
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        sources=[{"name": n, "url": f"http://127.0.0.1:9/{n}.xml"} for n in names],
    )
    store = FeedStore(redis_client, Keyspace(prefix))
    for name in names:  # each failed once, its rest long over: never resting, never silent
        store.record_failure(name, f"http://127.0.0.1:9/{name}.xml", "DNS lookup failed")
        store.update(name, backoff_until=0)
    run = raqib("--config", str(config), "feeds", "--check")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "0/3 sources reachable: check DNS or the network" in run.stderr
    store.record_success("first", "http://127.0.0.1:9/first.xml", 200, 3)
    store.record_success("second", "http://127.0.0.1:9/second.xml", 200, 3)
    fine = raqib("--config", str(config), "feeds", "--check")
    assert fine.returncode == 0, fine.stderr  # one in three failing: /healthz says ok too
    assert "2/3 sources reachable" in fine.stderr


def test_the_daemon_says_when_most_sources_fail(make_config: Any, tmp_path: Path) -> None:
    closed = [free_port() for _ in range(3)]  # nothing listens: every fetch is refused
    config = make_config(
        sources=[
            {"name": f"s{i}", "url": f"http://127.0.0.1:{port}/feed.xml", "interval": 60}
            for i, port in enumerate(closed)
        ],
        crawler={"allow_private_networks": True, "jitter_seconds": 0, "retries": 0,
                 "reachability_check_seconds": 1},
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "run.log")
    try:
        daemon.wait_ready()
        line = "0/3 sources reachable: check DNS or the network"
        assert wait_until(lambda: line in daemon.text(), 30), daemon.tail()
    finally:
        assert daemon.stop() == 0, daemon.tail()
