"""The crawler daemon: it survives every fault, skips and rests where it must, recovers by itself,
and two crawler processes on one Redis fetch each source once per interval between them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import redis

from crawler.feeds.state import FeedState, lease_seconds
from tests.conftest import ROOT, raqib
from tests.support.feeds import MARKET_TEXT, MARKET_TITLE, Item, rss
from tests.support.servers import Reply, Request, WebServer
from tests.test_crawler_faults import RSS, alerts, health, serve_faults, serve_incident


class Daemon:
    """`raqib crawl` running as a real process, its log in a file."""

    def __init__(self, config: Path, log: Path) -> None:
        self.log = log
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crawler", "--config", str(config), "crawl"],
                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=os.environ.copy(),
            )  # fmt: skip

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_started(self, timeout: float = 30) -> None:
        wait_for(lambda: "scheduled" in self.text(), timeout, f"daemon start:\n{self.text()}")
        assert self.process.poll() is None, self.text()

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return -9


def wait_for(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def daemons(tmp_path: Path) -> Iterator[Callable[[Path], Daemon]]:
    started: list[Daemon] = []

    def start(config: Path) -> Daemon:
        daemon = Daemon(config, tmp_path / f"daemon-{len(started)}.log")
        started.append(daemon)
        return daemon

    yield start
    for daemon in started:
        daemon.stop()


@pytest.mark.slow
def test_daemon_survives_faults_rests_and_recovers(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis,
    daemons: Callable[[Path], Daemon],
) -> None:  # fmt: skip
    urls = serve_faults(web)
    # The healthy feed starts quiet; an incident is added while the daemon runs.
    web.routes["/good.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/m.html"), MARKET_TEXT)]), RSS
    )
    # A source that fails three times, then answers.
    flaky_calls: list[float] = []

    def flaky(request: Request) -> Reply:
        flaky_calls.append(request.at)
        if len(flaky_calls) <= 3:
            return Reply(503, b"down for maintenance")
        return Reply(200, rss([Item(MARKET_TITLE, web.url("/a/f.html"), MARKET_TEXT)]), RSS)

    web.routes["/flaky.xml"] = flaky
    urls["flaky"] = web.url("/flaky.xml")
    # A source slower than its interval: the runs due meanwhile are skipped, not stacked.
    web.routes["/slow.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/s.html"), MARKET_TEXT)]), RSS, delay=1.3
    )
    urls["slow"] = web.url("/slow.xml")
    intervals = {"slow": 1}
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"download_timeout": 2, "retries": 0, "backoff_base_seconds": 0.5,
                 "max_backoff_seconds": 3600, "batch_window_seconds": 0.1, "jitter_seconds": 0},
        sources=[{"name": n, "url": u, "interval": intervals.get(n, 2)} for n, u in urls.items()],
    )  # fmt: skip

    def state(name: str) -> FeedState:
        return health(redis_client, prefix, name)

    daemon = daemons(config)
    daemon.wait_started()
    wait_for(lambda: state("good").fetches >= 1, 20, "the first fetch of the good source")
    sabha = serve_incident(web, "sabha", "/a/sabha.html")
    web.routes["/good.xml"] = Reply(
        200, rss([sabha, Item(MARKET_TITLE, web.url("/a/m.html"), MARKET_TEXT)]), RSS
    )

    def reported() -> bool:
        return any(a.title == sabha.title for a in alerts(redis_client, prefix))

    wait_for(reported, 20, f"the new incident\n{daemon.text()[-3000:]}")
    wait_for(
        lambda: state("flaky").last_success > 0, 30, f"flaky to recover\n{daemon.text()[-3000:]}"
    )
    wait_for(lambda: state("slow").skipped_runs >= 1, 10, "a skipped run")
    assert daemon.process.poll() is None, "the daemon is still running"
    table = raqib("--config", str(config), "feeds")
    assert daemon.stop() == 0, daemon.text()[-3000:]

    titles = [a.title for a in alerts(redis_client, prefix)]
    assert titles.count(sabha.title) == 1, titles
    flaky_state = state("flaky")
    assert flaky_state.failures == 0 and flaky_state.total_failures == 3
    assert flaky_state.rested_runs >= 1, "it rested between failures"
    # Rests of 0.5, 1 and 2 s: the first two end before the next 2 s run, the third spans it.
    gaps = [b - a for a, b in pairwise(flaky_calls[:4])]
    assert gaps[2] >= 1.5 * gaps[0], gaps
    limited = state("limited")
    assert len(web.hits("/429.xml")) == 1 and limited.rested_runs >= 2
    assert limited.backoff_until > time.time() + 3000
    for name in ("huge", "bomb", "loop", "err500", "hang"):
        assert state(name).total_failures >= 1 and state(name).last_error, name
    assert state("slow").items_seen == 1
    assert state("cp1256").items_seen == 1 and state("good").items_seen == 2
    assert "run skipped, the previous one is still going" in daemon.text()
    assert table.returncode == 0, table.stderr
    rows = {line.split()[0]: line for line in table.stdout.splitlines()[1:]}
    assert "HTTP 429 (Retry-After: 3600)" in rows["limited"] and "60m" in rows["limited"]
    assert "in " in rows["good"] or "due" in rows["good"]


@pytest.mark.slow
def test_two_crawlers_on_one_redis_fetch_each_source_once_per_interval(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis,
    daemons: Callable[[Path], Daemon], tmp_path: Path,
) -> None:  # fmt: skip
    interval, jitter = 3, 0.2
    names = ["one", "two", "three"]
    for name in names:
        web.routes[f"/{name}.xml"] = Reply(
            200, rss([Item(f"{MARKET_TITLE} {name}", web.url(f"/a/{name}"), MARKET_TEXT)]), RSS
        )
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"jitter_seconds": jitter, "batch_window_seconds": 0.1},
        sources=[{"name": n, "url": web.url(f"/{n}.xml"), "interval": interval} for n in names],
    )
    first, second = daemons(config), daemons(config)
    first.wait_started()
    second.wait_started()
    together = time.monotonic()
    wait_for(lambda: all(len(web.hits(f"/{n}.xml")) >= 4 for n in names), 8 * interval,
             "four runs of each source")  # fmt: skip
    assert first.stop() == 0 and second.stop() == 0
    together = time.monotonic() - together

    lease = lease_seconds(interval, jitter)
    for name in names:
        hits = [r.at for r in web.hits(f"/{name}.xml")]
        # Once per interval: two crawlers without the lease would fetch twice as often.
        assert 3 <= len(hits) <= together / interval + 2, (name, hits)
        # The lease spaces the runs; a request leaves a run's crawler a little after the run
        # starts (batch window, crawler start: most for a process's first crawler), hence slack.
        assert all(b - a >= lease - 1.0 for a, b in pairwise(hits)), (name, hits)
    # Each run was made once: the crawler that came second found the lease taken and left it.
    left = sum(health(redis_client, prefix, n).leased_elsewhere for n in names)
    fetched = sum(health(redis_client, prefix, n).fetches for n in names)
    assert fetched == sum(len(web.hits(f"/{n}.xml")) for n in names)
    assert left >= fetched - len(names), (left, fetched)
