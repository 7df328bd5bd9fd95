"""Stopping the daemon: SIGTERM mid-batch loses and doubles nothing; crawls get a bounded grace."""

from __future__ import annotations

import signal
import time
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import pytest
import redis

from alerts.channels.email import message_id
from alerts.spine.connections import EmbeddedRedis
from tests.conftest import ROOT, write_config
from tests.support.delivery import make_alert, publish, wait_until
from tests.support.feeds import MARKET_TEXT, MARKET_TITLE, Item, rss
from tests.support.processes import pid_alive
from tests.support.servers import Mailbox, Reply, WebServer
from tests.support.service import RaqibProcess
from tests.test_crawler_faults import RSS, alerts, health, serve_incident

ALERTS = 40


@pytest.mark.slow
def test_sigterm_mid_batch_finishes_in_flight_sends_and_a_restart_sends_the_rest_once(
    tmp_path: Path, prefix: str, mailbox: Mailbox
) -> None:
    data_dir = tmp_path / "var"
    config = write_config(
        tmp_path / "raqib.yaml",
        data_dir=str(data_dir), redis={"url": None, "prefix": prefix}, http={"port": 0},
        smtp={"host": "127.0.0.1", "port": mailbox.port, "sender": "raqib@test.example"},
        watchlists=[str(ROOT / "config/watchlists/isis-libya.yaml")], sources=[],
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
        alerts={"claim_idle_seconds": 1, "poll_seconds": 0.1, "concurrency": 4},
        shutdown_grace_seconds=20,
    )  # fmt: skip
    log = tmp_path / "daemon.log"
    embedded = EmbeddedRedis(data_dir / "redis")  # where the daemon's own Redis listens
    mailbox.data_delay = 0.3  # a slow mail server: four sends are always under way
    batch = [make_alert(f"stop-{i}", which=i) for i in range(ALERTS)]
    expected = {message_id(a.incident_id, 1, "analysts", "test.example") for a in batch}

    daemon = RaqibProcess(config, log, from_config=True)
    try:
        daemon.wait_ready()
        client = redis.Redis(unix_socket_path=str(embedded.socket), decode_responses=True)
        publish(client, prefix, *batch)
        client.close()
        assert wait_until(lambda: len(mailbox.messages) >= 8, timeout=60), daemon.tail()
        redis_pid = int((data_dir / "redis" / "redis.pid").read_text())
        children = psutil.Process(daemon.pid).children(recursive=True)  # parser worker, Redis
        assert redis_pid in {c.pid for c in children} and len(children) >= 2, children
        daemon.signal(signal.SIGTERM)
        signalled = time.monotonic()
        at_signal = len(mailbox.messages)
        assert daemon.wait(30) == 0, daemon.tail()
        took = time.monotonic() - signalled
        at_exit = len(mailbox.messages)
        assert at_exit < ALERTS, "the stop came too late to test anything"
        # It stopped cleanly: the sends under way finished, the embedded Redis wrote its file.
        text = daemon.text()
        assert "stopped" in text and "left unfinished" not in text, daemon.tail()
        assert "ready to exit" in (data_dir / "redis" / "redis.log").read_text()
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, f"left behind: {alive}"
        assert not pid_alive(redis_pid)

        daemon = RaqibProcess(config, log, from_config=True)
        daemon.wait_ready()
        arrived = wait_until(
            lambda: {str(m["Message-ID"]) for m in mailbox.messages} >= expected, timeout=90
        )
        assert arrived, daemon.tail()
        time.sleep(1.5)  # a late copy would show up here
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()
    ids = [str(m["Message-ID"]) for m in mailbox.messages]
    print(f"at SIGTERM: {at_signal}, at exit ({took:.1f}s later): {at_exit}, in all: {len(ids)}")
    copies = {i: n for i, n in Counter(ids).items() if n > 1}
    assert set(ids) == expected, "every alert arrives"
    assert not copies, f"a graceful stop doubles nothing: {copies}"


@pytest.mark.slow
def test_sigterm_mid_crawl_lets_the_fetch_in_flight_finish_and_bounds_the_hung_one(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis,
    tmp_path: Path,
) -> None:  # fmt: skip
    sabha = serve_incident(web, "sabha", "/a/sabha.html")
    web.routes["/slow.xml"] = Reply(200, rss([sabha]), RSS, delay=2.0)
    web.routes["/hang.xml"] = Reply(hang=True)
    grace = 4.0
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"download_timeout": 60, "retries": 0, "batch_window_seconds": 0.1},
        sources=[{"name": "slow", "url": web.url("/slow.xml"), "interval": 600},
                 {"name": "hang", "url": web.url("/hang.xml"), "interval": 600}],
        shutdown_grace_seconds=grace,
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "crawl.log", role="crawl")
    try:
        daemon.wait_ready()
        assert wait_until(lambda: web.hits("/slow.xml") and web.hits("/hang.xml"), 30)
        daemon.signal(signal.SIGTERM)
        signalled = time.monotonic()
        assert daemon.wait(30) == 0, daemon.tail()
        took = time.monotonic() - signalled
    finally:
        daemon.stop()
    # The slow feed was under way: it finished, its article was read and its incident published.
    titles = [a.title for a in alerts(redis_client, prefix)]
    assert titles == [sabha.title], daemon.tail()
    assert health(redis_client, prefix, "slow").last_success > 0
    # The hung one was given the grace, then its crawl was stopped; nothing marks it read.
    assert "stopping 1 crawl(s) still under way" in daemon.text(), daemon.tail()
    assert not health(redis_client, prefix, "hang").last_success
    # The jobs that waited for those crawls end quietly: a stop is not an error.
    assert "raised an exception" not in daemon.text() and "ERROR" not in daemon.text(), (
        daemon.tail()
    )
    assert grace - 0.5 <= took <= grace + 9, took
    print(f"stopped {took:.1f}s after SIGTERM (grace {grace:.0f}s)")


def test_a_second_signal_stops_at_once(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, tmp_path: Path
) -> None:
    web.routes["/hang.xml"] = Reply(hang=True)
    web.routes["/quiet.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/m"), MARKET_TEXT)]), RSS
    )
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"download_timeout": 60, "retries": 0, "batch_window_seconds": 0.1},
        sources=[{"name": "hang", "url": web.url("/hang.xml"), "interval": 600},
                 {"name": "quiet", "url": web.url("/quiet.xml"), "interval": 600}],
        shutdown_grace_seconds=120,
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "run.log", role="run")
    try:
        daemon.wait_ready()
        assert wait_until(lambda: web.hits("/hang.xml"), 30)
        daemon.signal(signal.SIGTERM)
        time.sleep(2)
        assert daemon.process.poll() is None, "the first signal waits for the crawl under way"
        status, body = daemon.health()
        assert status == 503 and body["status"] == "stopping", body
        daemon.signal(signal.SIGINT)
        forced = time.monotonic()
        assert daemon.wait(20) == 0, daemon.tail()
        took = time.monotonic() - forced
    finally:
        daemon.stop()
    assert "again: stopping now" in daemon.text()
    assert took < 8, f"{took:.1f}s after the second signal"
