"""Sentinel failover under load: the master is killed while a crawl and a batch of deliveries run.

Raqib's crawler and alert worker (two processes) reach Redis through three Sentinels. The master
is SIGKILLed mid-batch; the Sentinels promote the replica; both processes find the new master
by themselves. Every alert arrives; a copy is allowed only for what the documented duplicate
covers (a send whose outcome was not stored: in flight, or in the last writes the replica had
not yet copied), and then under the same Idempotency-Key.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import write_config
from tests.support.delivery import make_alert, publish, wait_until
from tests.support.feed_farm import FeedFarm
from tests.support.redis_mode import client_for
from tests.support.redis_servers import SentinelSet, missing_binaries, sentinel_set
from tests.support.service import RaqibProcess, wait_healthy

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(missing_binaries("redis-server", "redis-sentinel")),
        reason="needs Debian's redis-server and redis-sentinel",
    ),
]

BATCH = 600  # alerts put on the stream at once: the deliveries under way when the master dies
CONCURRENCY = 8
INCIDENTS = 12  # in the crawled feeds


@pytest.fixture
def sentinels() -> Iterator[SentinelSet]:
    with sentinel_set() as found:
        yield found


def test_sentinel_failover_during_a_crawl_and_deliveries_loses_nothing(
    sentinels: SentinelSet, tmp_path: Path
) -> None:
    prefix = "raqib-failover:"
    with FeedFarm(feeds=200, incidents=INCIDENTS, hook_delay=0.04) as farm:
        config = write_config(
            tmp_path / "raqib.yaml",
            data_dir=str(tmp_path / "var"),
            redis={"url": sentinels.url, "prefix": prefix},
            crawler={"allow_private_networks": True, "obey_robots_txt": False,
                     "jitter_seconds": 1, "download_delay": 0, "concurrent_per_host": 16,
                     "parse_workers": 1},
            alerts={"concurrency": CONCURRENCY, "claim_idle_seconds": 3, "poll_seconds": 0.2,
                    "backoff_base_seconds": 0.2, "backoff_max_seconds": 2},
            http={"port": 0},
            sources=farm.sources(interval=4),
            subscriptions=[{"name": "ops", "chat": [farm.hook]}],
        )  # fmt: skip
        crawler = RaqibProcess(config, tmp_path / "crawl.log", role="crawl")
        alerter = RaqibProcess(config, tmp_path / "alerts.log", role="alerts")
        try:
            crawler.wait_ready()
            alerter.wait_ready()
            client = client_for(sentinels.url)
            try:
                batch = [make_alert(f"batch-{i}", which=i) for i in range(BATCH)]
                publish(client, prefix, *batch)
            finally:
                client.close()

            # Mid-batch and mid-crawl: a fifth of the batch delivered, the feeds being fetched.
            assert wait_until(lambda: len(farm.log()["hooks"]) >= BATCH // 5, 60, every=0.05)
            killed_at = time.time()
            sentinels.master.kill()
            delivered_before = len(farm.log()["hooks"])
            assert delivered_before < BATCH, "the batch finished before the master died"

            assert wait_until(lambda: sentinels.master_port() == sentinels.replica.port, 60,
                              every=0.2), "the Sentinels did not promote the replica"  # fmt: skip
            promoted_at = time.time()

            def everything_arrived() -> bool:
                seen = {i for hook in farm.log()["hooks"] for i in hook["incidents"]}
                return len(seen) >= BATCH + INCIDENTS

            assert wait_until(everything_arrived, 120, every=0.5), (
                crawler.tail(), alerter.tail(),
            )  # fmt: skip

            # The crawler went on fetching from the new master's state (awaited: on a loaded
            # machine the deliveries can finish before two hundred fetches do).
            def fetched_after() -> int:
                fetches = farm.log()["fetches"].values()
                return sum(1 for times in fetches for t in times if t > promoted_at)

            assert wait_until(lambda: fetched_after() >= 200, 60, every=0.5), fetched_after()
            log = farm.log()
            # Both rode it out: still running, healthy again, and their logs say what happened.
            assert crawler.process.poll() is None and alerter.process.poll() is None
            wait_healthy(crawler, True, 30)
            wait_healthy(alerter, True, 30)
        finally:
            crawler_code, alerts_code = crawler.stop(), alerter.stop()
        assert crawler_code == 0 and alerts_code == 0, (crawler.tail(), alerter.tail())

    hooks = log["hooks"]
    incidents = Counter(i for hook in hooks for i in hook["incidents"])
    assert {f"batch-{i}/r1" for i in range(BATCH)} <= set(incidents)  # nothing lost
    crawled = {i for i in incidents if not i.startswith("batch-")}
    assert len(crawled) == INCIDENTS, crawled  # each crawled incident once, nothing extra
    # Copies: only under the key of the first send, and no more than were in flight.
    by_key = Counter(hook["key"] for hook in hooks)
    assert len(by_key) == BATCH + INCIDENTS
    copies = sum(count - 1 for count in by_key.values())
    assert copies == sum(count - 1 for count in incidents.values())
    assert copies <= CONCURRENCY, copies
    # The deliveries stalled while there was no master, and went on after the promotion.
    assert any(killed_at < hook["at"] for hook in hooks[delivered_before:])
