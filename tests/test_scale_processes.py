"""Many processes on one Redis and on a Redis Cluster: 3 `raqib crawl` and 2 `raqib alerts`, 2,000 feeds.

Each feed is fetched once per interval between the three crawlers (the lease), each incident is
alerted once between the two alert workers (the consumer groups), and a crawler SIGKILLed in
the middle of a crawl leaves its sources to the others as soon as their leases run out.
"""

from __future__ import annotations

import signal
import time
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from crawler.feeds.keys import FeedKeys
from crawler.feeds.state import lease_seconds
from tests.conftest import write_config
from tests.support.delivery import wait_until
from tests.support.feed_farm import FeedFarm
from tests.support.redis_mode import client_for, redis_block
from tests.support.redis_servers import ClusterServers
from tests.support.service import RaqibProcess, sample

pytestmark = pytest.mark.slow

FEEDS = 2000
INCIDENTS = 12
INTERVAL = 20
JITTER = 2.0
RUN_AFTER_KILL = 2.2 * INTERVAL  # the dead crawler's leases end, then the others' runs come


@pytest.fixture(params=["one-redis", "cluster"])
def redis_for_processes(request: pytest.FixtureRequest, redis_url: str) -> str:
    if request.param == "cluster":
        cluster: ClusterServers = request.getfixturevalue("cluster_servers")
        return cluster.url
    return redis_url


def leases_of(url: str, prefix: str, owner_pid: int) -> dict[str, float]:
    """The sources whose lease a crawler holds, and when each lease ends (time.time())."""
    keys = FeedKeys(prefix)
    names = [f"farm-{n}" for n in range(FEEDS)]
    client = client_for(url)
    try:
        pipe = client.pipeline(transaction=False)
        for name in names:
            pipe.get(keys.feed_lease(name))
            pipe.pttl(keys.feed_lease(name))
        now = time.time()
        replies = pipe.execute()
    finally:
        client.close()
    held = {}
    for index, name in enumerate(names):
        owner, ttl = replies[2 * index], replies[2 * index + 1]
        if owner and f":{owner_pid}:" in owner and ttl > 0:
            held[name] = now + ttl / 1000
    return held


def test_three_crawlers_and_two_alert_workers_share_2000_feeds(
    redis_for_processes: str, tmp_path: Path
) -> None:
    url = redis_for_processes
    prefix = f"raqib-procs-{int(time.time() * 1000) % 100000}:"
    with FeedFarm(feeds=FEEDS, incidents=INCIDENTS, items=2) as farm:
        config = write_config(
            tmp_path / "raqib.yaml",
            data_dir=str(tmp_path / "var"),
            redis=redis_block(url, prefix),
            crawler={"allow_private_networks": True, "obey_robots_txt": False,
                     "jitter_seconds": JITTER, "download_delay": 0, "concurrent_per_host": 64,
                     "parse_workers": 1},
            alerts={"claim_idle_seconds": 5, "poll_seconds": 0.2},
            http={"port": 0},
            sources=farm.sources(interval=INTERVAL),
            subscriptions=[{"name": "ops", "chat": [farm.hook]}],
        )  # fmt: skip
        crawlers = [
            RaqibProcess(config, tmp_path / f"crawl{i}.log", role="crawl",
                         env={"RAQIB_CRAWLER__USER_AGENT": f"crawler-{i}"})
            for i in range(3)
        ]  # fmt: skip
        alerters = [
            RaqibProcess(config, tmp_path / f"alerts{i}.log", role="alerts") for i in range(2)
        ]
        try:
            for process in [*crawlers, *alerters]:
                process.wait_ready(timeout=120)
            started = time.time()
            # Mid-crawl: the first pass is under way in every crawler.
            assert wait_until(lambda: sum(map(len, farm.log()["fetches"].values())) >= 600, 60)
            victim = crawlers[0]
            victim.signal(signal.SIGKILL)
            victim.wait(10)
            killed_at = time.time()
            held = leases_of(url, prefix, victim.pid)
            assert wait_until(lambda: time.time() > killed_at + RUN_AFTER_KILL, 2 * RUN_AFTER_KILL)

            def all_delivered() -> bool:
                return len(farm.log()["hooks"]) >= INCIDENTS

            assert wait_until(all_delivered, 60), [a.tail() for a in alerters]
            delivered = sum(
                sample(a.metrics(), "raqib_deliveries_total", channel="webhook", result="sent")
                for a in alerters
            )
            log = farm.log()
        finally:
            codes = [p.stop() for p in [*crawlers[1:], *alerters]]
        assert codes == [0, 0, 0, 0], [p.tail() for p in [*crawlers, *alerters]]
        together = time.time() - started

    # Each feed once per interval between the crawlers. Another crawler fetches a feed only
    # once the last fetcher's lease has ended: the lease is kept while the fetch waits in its
    # crawl's queue, so that is a lease after the fetch at least. One crawler's own fetches
    # follow its schedule, less the wait in the first pass's queue (seconds, for 2,000 feeds).
    # Without the lease, three crawlers would fetch each feed about three times an interval.
    lease = lease_seconds(INTERVAL, JITTER)
    fetches: dict[int, list[float]] = log["fetches"]
    agents: dict[int, list[str]] = log["agents"]
    assert len(fetches) == FEEDS
    for number, times in fetches.items():
        assert len(times) <= together / INTERVAL + 2, (number, times)
        by = sorted(zip(times, agents[number], strict=True))
        for (first, one), (then, other) in pairwise(by):
            # One crawler's own: its first fetch may wait half an interval in the first pass's
            # queue on a loaded machine; a fetch twice in one run would be seconds apart.
            least = lease - 1.5 if one != other else INTERVAL / 4
            assert then - first >= least, (number, by)
    # The dead crawler's sources: taken over by the others once their leases ended, not before.
    assert held, "the crawler held no lease when it was killed"
    for name, ends in held.items():
        number = int(name.removeprefix("farm-"))
        later = [t for t, a in zip(fetches[number], agents[number], strict=True)
                 if t > killed_at and a != "crawler-0"]  # fmt: skip
        assert later, f"{name} was never fetched after its crawler died"
        assert min(later) >= ends - 0.5, (name, ends, later)
    # Every other feed went on too: fetched after the kill.
    assert all(any(t > killed_at for t in times) for times in fetches.values())
    # Each incident alerted once, between the two alert workers.
    hooks = log["hooks"]
    incidents = Counter(i for hook in hooks for i in hook["incidents"])
    assert len(incidents) == INCIDENTS and set(incidents.values()) == {1}, incidents
    assert len({hook["key"] for hook in hooks}) == len(hooks) == INCIDENTS
    assert delivered == INCIDENTS
