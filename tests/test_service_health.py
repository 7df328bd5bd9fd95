"""The daemon reports on itself: /healthz follows Redis down and back, /metrics parses and counts
what happened, roles run apart, and a job that fails does not stop the others."""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

import pytest
import redis

from alerts.spine.connections import EmbeddedRedis
from alerts.spine.keyspace import Keyspace
from crawler.feeds.keys import FeedKeys
from tests.support.delivery import make_alert, publish, wait_until
from tests.support.feeds import MARKET_TEXT, MARKET_TITLE, Item, rss
from tests.support.processes import pid_alive
from tests.support.servers import Mailbox, Reply, WebServer
from tests.support.service import RaqibProcess, sample, wait_healthy
from tests.test_crawler_faults import RSS, serve_incident

SUBSCRIBERS = [{"name": "desk", "email": ["desk@example.org"]}]
FAST_ALERTS = {"poll_seconds": 0.1, "claim_idle_seconds": 1}


@pytest.mark.slow
def test_healthz_turns_503_while_redis_is_down_and_200_when_it_returns(
    web: WebServer, make_config: Any, prefix: str, mailbox: Mailbox, tmp_path: Path
) -> None:
    # A Redis of the test's own, as a user's server would be: the daemon does not own it.
    server = EmbeddedRedis(tmp_path / "users-redis")
    server.start()
    web.routes["/feed.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/m"), MARKET_TEXT)]), RSS
    )
    config = make_config(
        redis={"url": server.url, "prefix": prefix}, subscriptions=SUBSCRIBERS,
        sources=[{"name": "feed", "url": web.url("/feed.xml"), "interval": 2}],
        alerts=FAST_ALERTS,
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "run.log", from_config=True)
    try:
        daemon.wait_ready()
        body = wait_healthy(daemon, True, 30)
        assert body["roles"] == ["crawl", "alerts"]
        assert set(body["checks"]) == {
            "redis", "scheduler", "alert_loops", "sources", "alerts_pending", "dead_letters"
        }, body  # fmt: skip
        assert wait_until(lambda: web.hits("/feed.xml"), 20)

        server.stop()
        down = wait_healthy(daemon, False, 20)
        assert down["failing"] == ["redis"] and down["checks"]["redis"]["ok"] is False, down
        metrics = daemon.metrics()  # still served, and still parses
        assert sample(metrics, "raqib_redis_up") == 0
        # The scheduler notices too, and skips runs rather than block on a Redis that is gone.
        skipping = "Redis does not answer: crawl runs are skipped until it answers"
        assert wait_until(lambda: skipping in daemon.text(), 15), daemon.tail()
        assert daemon.process.poll() is None

        server.start()  # the same files: what was stored is there again
        up = wait_healthy(daemon, True, 30)
        assert up["checks"]["scheduler"]["ok"] and up["checks"]["alert_loops"]["ok"], up
        # And it works again: an alert published now is delivered.
        client = redis.Redis.from_url(server.url, decode_responses=True)
        publish(client, prefix, make_alert("after-outage"))
        client.close()
        assert wait_until(lambda: len(mailbox.messages) == 1, 30), daemon.tail()
        hits = len(web.hits("/feed.xml"))
        assert wait_until(lambda: len(web.hits("/feed.xml")) > hits, 15), "crawling resumed"
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()
        server.stop()
    assert "Redis is back: crawl runs resume" in daemon.text()


def test_the_daemon_restarts_its_own_embedded_redis(
    make_config: Any, prefix: str, mailbox: Mailbox, tmp_path: Path
) -> None:
    data_dir = tmp_path / "var"
    config = make_config(
        data_dir=str(data_dir), redis={"url": None, "prefix": prefix},
        subscriptions=SUBSCRIBERS, alerts=FAST_ALERTS,
    )  # fmt: skip
    embedded = EmbeddedRedis(data_dir / "redis")
    daemon = RaqibProcess(config, tmp_path / "run.log", from_config=True)
    try:
        daemon.wait_ready()
        wait_healthy(daemon, True, 30)
        pid_file = data_dir / "redis" / "redis.pid"
        first = int(pid_file.read_text())
        os.kill(first, signal.SIGKILL)
        assert wait_until(lambda: not pid_alive(first), 10)

        def restarted() -> bool:
            try:
                return int(pid_file.read_text()) != first
            except (OSError, ValueError):
                return False

        assert wait_until(restarted, 20), daemon.tail()
        wait_healthy(daemon, True, 30)
        assert sample(daemon.metrics(), "raqib_embedded_redis_restarts_total") == 1
        client = redis.Redis(unix_socket_path=str(embedded.socket), decode_responses=True)
        publish(client, prefix, make_alert("after-restart"))
        client.close()
        assert wait_until(lambda: len(mailbox.messages) == 1, 30), daemon.tail()
        second = int(pid_file.read_text())
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()
    assert not pid_alive(second), "the restarted Redis is stopped with the daemon"
    assert "exited with status" in daemon.text()


def test_roles_apart_each_report_their_own_checks_and_metrics(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, mailbox: Mailbox,
    tmp_path: Path,
) -> None:  # fmt: skip
    web.routes["/feed.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/m"), MARKET_TEXT)]), RSS
    )
    config = make_config(
        redis={"url": redis_url, "prefix": prefix}, subscriptions=SUBSCRIBERS, alerts=FAST_ALERTS,
        sources=[{"name": "feed", "url": web.url("/feed.xml"), "interval": 2}],
    )  # fmt: skip
    crawler = RaqibProcess(config, tmp_path / "crawl.log", role="crawl")
    sender = RaqibProcess(config, tmp_path / "alerts.log", role="alerts")
    try:
        crawler.wait_ready()
        sender.wait_ready()
        assert wait_until(lambda: web.hits("/feed.xml"), 20)
        sabha = serve_incident(web, "sabha", "/a/sabha.html")
        web.routes["/feed.xml"] = Reply(
            200, rss([sabha, Item(MARKET_TITLE, web.url("/a/m"), MARKET_TEXT)]), RSS
        )
        assert wait_until(lambda: len(mailbox.messages) == 1, 30), crawler.tail() + sender.tail()
        crawl_health = wait_healthy(crawler, True, 10)
        alerts_health = wait_healthy(sender, True, 10)

        def delivered() -> bool:
            return sample(sender.metrics(), "raqib_deliveries_total", channel="email",
                          result="sent") == 1  # fmt: skip

        assert wait_until(delivered, 10)
        crawled, sent = crawler.metrics(), sender.metrics()
        assert crawler.stop() == 0 and sender.stop() == 0
    finally:
        crawler.stop()
        sender.stop()
    assert crawl_health["roles"] == ["crawl"]
    assert set(crawl_health["checks"]) == {"redis", "scheduler", "sources"}
    assert crawl_health["checks"]["sources"]["enabled"] == 1
    assert alerts_health["roles"] == ["alerts"]
    assert set(alerts_health["checks"]) == {
        "redis",
        "alert_loops",
        "alerts_pending",
        "dead_letters",
    }
    assert alerts_health["checks"]["alert_loops"]["delivered"] == 1
    # What the crawler did: fetches by status, entries, the match and the new incident.
    assert sample(crawled, "raqib_fetches_total", kind="feed", status="200") >= 2
    assert sample(crawled, "raqib_fetches_total", kind="article", status="200") == 1
    assert sample(crawled, "raqib_entries_total", verdict="followed") >= 1
    assert sample(crawled, "raqib_matches_total") == 1
    assert sample(crawled, "raqib_incident_reports_total", kind="new") == 1
    assert sample(crawled, "raqib_sources", state="enabled") == 1
    assert sample(crawled, "raqib_fetch_seconds_count") >= 2
    assert not any(name.startswith("raqib_deliveries") for name, _ in crawled)
    # What the sender did: one e-mail, its latency, empty queues.
    assert sample(sent, "raqib_delivery_latency_seconds_count") == 1
    assert sample(sent, "raqib_send_seconds_count", channel="email") == 1
    assert sample(sent, "raqib_queue_depth", queue="jobs") == 0
    assert sample(sent, "raqib_alerts_pending") == 0
    assert sample(sent, "raqib_dead_letters") == 0
    assert sample(sent, "raqib_redis_up") == 1
    assert not any(name.startswith("raqib_fetches") for name, _ in sent)


def test_a_job_that_raises_never_stops_the_daemon(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis,
    mailbox: Mailbox, tmp_path: Path,
) -> None:  # fmt: skip
    keys = Keyspace(prefix)
    # Real faults through real Redis: keys of the wrong type make one source's job and the alert
    # clock raise on every run (WRONGTYPE), until they are repaired.
    redis_client.set(FeedKeys(prefix).feed_state("broken"), "not a hash")
    redis_client.set(keys.scheduled, "not a sorted set")
    web.routes["/good.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/m"), MARKET_TEXT)]), RSS
    )
    web.routes["/broken.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/b"), MARKET_TEXT)]), RSS
    )
    config = make_config(
        redis={"url": redis_url, "prefix": prefix}, subscriptions=SUBSCRIBERS, alerts=FAST_ALERTS,
        sources=[{"name": "good", "url": web.url("/good.xml"), "interval": 1},
                 {"name": "broken", "url": web.url("/broken.xml"), "interval": 1}],
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "run.log")
    try:
        daemon.wait_ready()

        def failing() -> bool:
            metrics = daemon.metrics()
            return (
                sample(metrics, "raqib_job_errors_total", job="broken") >= 2
                and sample(metrics, "raqib_task_errors_total", task="clock") >= 2
            )

        assert wait_until(failing, 30), daemon.tail()
        status, body = daemon.health()
        assert status == 503 and "WRONGTYPE" in body["checks"]["sources"]["error"], body
        # Meanwhile the good source is fetched and its incident delivered.
        sabha = serve_incident(web, "sabha", "/a/sabha.html")
        web.routes["/good.xml"] = Reply(200, rss([sabha]), RSS)
        assert wait_until(lambda: len(mailbox.messages) == 1, 30), daemon.tail()
        assert not web.hits("/broken.xml"), "the broken source's job never got to fetch"
        # Repaired, both go on as if nothing had happened.
        redis_client.delete(FeedKeys(prefix).feed_state("broken"), keys.scheduled)
        assert wait_until(lambda: web.hits("/broken.xml"), 20), daemon.tail()
        wait_healthy(daemon, True, 20)
        assert daemon.process.poll() is None
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()
    text = daemon.text()
    assert "WRONGTYPE" in text and "alerts: clock failed" in text
