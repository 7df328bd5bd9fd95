"""Scaling out: feeds/s with 1, 2, 3 `raqib crawl` and deliveries/s with 1, 2 `raqib alerts`, on one Redis and on a Cluster.

Real processes, as a deployment runs them, on Debian's redis-server (one server on TCP, or a
3-master Cluster made with `redis-cli --cluster create`), with the feeds and the webhook served
by one local asyncio server in a process of its own (tests/support/feed_farm.py).

- crawl: BENCH_SCALE_FEEDS (3,000) feeds of 2 items, each due every BENCH_SCALE_INTERVAL (3 s):
  more than the crawlers can fetch, so what they fetch is their capacity. After a warm-up (the
  first pass, every entry new), the fetches the server answers in a window are counted: steady
  state, almost all 304 answers. The baseline is one crawler on the same Redis.
- alerts: BENCH_SCALE_MATCHES (3,000) alerts put on the stream at once, one webhook
  subscription; from the first XADD to the last webhook request received. The baseline is one
  alert worker on the same Redis.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alerts.spine.keyspace import Keyspace
from tests.support.delivery import make_alert, wait_until
from tests.support.feed_farm import FeedFarm
from tests.support.redis_mode import client_for, forget_cluster, redis_block, remember_cluster
from tests.support.redis_servers import ClusterServers, RedisServers
from tests.support.service import RaqibProcess

ROOT = Path(__file__).resolve().parent.parent
FEEDS = int(os.environ.get("BENCH_SCALE_FEEDS", "3000"))
INTERVAL = int(os.environ.get("BENCH_SCALE_INTERVAL", "3"))
WARM_UP = float(os.environ.get("BENCH_SCALE_WARM_UP", "12"))
WINDOW = float(os.environ.get("BENCH_SCALE_WINDOW", "20"))
MATCHES = int(os.environ.get("BENCH_SCALE_MATCHES", "3000"))


@contextmanager
def one_redis() -> Iterator[str]:
    servers = RedisServers("bench")
    server = servers.add("one")
    with servers.start():
        yield f"redis://127.0.0.1:{server.port}/0"


@contextmanager
def cluster() -> Iterator[str]:
    with ClusterServers(3).start() as servers:
        assert isinstance(servers, ClusterServers)
        remember_cluster(servers.url)
        try:
            yield servers.url
        finally:
            forget_cluster(servers.url)


def _config(directory: Path, url: str, prefix: str, farm: FeedFarm, **more: Any) -> Path:
    settings = {
        "data_dir": str(directory / "var"),
        "redis": redis_block(url, prefix),
        "watchlists": [str(ROOT / "config/watchlists/isis-libya.yaml")],
        "crawler": {"allow_private_networks": True, "obey_robots_txt": False, "jitter_seconds": 1,
                    "download_delay": 0, "concurrent_per_host": 64, "parse_workers": 1},
        "alerts": {"poll_seconds": 0.2},
        "http": {"port": 0},
        "log": {"level": "WARNING"},
        "subscriptions": [{"name": "ops", "chat": [farm.hook]}],
        **more,
    }  # fmt: skip
    path = directory / f"{prefix.strip(':')}.yaml"
    path.write_text(json.dumps(settings, ensure_ascii=False), encoding="utf-8")
    return path


def _start(config: Path, role: str, count: int, directory: Path) -> list[RaqibProcess]:
    processes = [
        RaqibProcess(config, directory / f"{role}{i}.log", role=role,
                     env={"RAQIB_LOG__LEVEL": "INFO"})
        for i in range(count)
    ]  # fmt: skip
    for process in processes:
        process.wait_ready(timeout=120)
    return processes


def _stop(processes: list[RaqibProcess]) -> None:
    for process in processes:
        process.stop()


def crawl_rate(url: str, crawlers: int, directory: Path) -> float:
    """Feeds fetched per second in steady state by `crawlers` processes."""
    with FeedFarm(feeds=FEEDS, items=2) as farm:
        prefix = f"bench-crawl-{crawlers}-{int(time.time())}:"
        config = _config(directory, url, prefix, farm, sources=farm.sources(INTERVAL))
        processes = _start(config, "crawl", crawlers, directory)
        try:
            started = time.time()
            time.sleep(WARM_UP + WINDOW)
            log = farm.log()
        finally:
            _stop(processes)
    low, high = started + WARM_UP, started + WARM_UP + WINDOW
    counted = sum(1 for times in log["fetches"].values() for t in times if low <= t < high)
    return counted / WINDOW


def delivery_rate(url: str, workers: int, directory: Path) -> float:
    """Deliveries per second of `workers` processes draining MATCHES alerts."""
    with FeedFarm(feeds=1) as farm:
        prefix = f"bench-alerts-{workers}-{int(time.time())}:"
        config = _config(directory, url, prefix, farm, sources=[])
        processes = _start(config, "alerts", workers, directory)
        client = client_for(url)
        try:
            alerts = [make_alert(f"bench-{i}", which=i).to_fields() for i in range(MATCHES)]
            started = time.time()
            pipe = client.pipeline(transaction=False)
            for fields in alerts:
                pipe.xadd(Keyspace(prefix).matches, fields)  # type: ignore[arg-type]
            pipe.execute()
            done = wait_until(lambda: len(farm.log()["hooks"]) >= MATCHES, 600, every=0.25)
            hooks = farm.log()["hooks"]
        finally:
            client.close()
            _stop(processes)
    if not done:
        raise SystemExit(f"only {len(hooks)} of {MATCHES} deliveries arrived")
    last = max(hook["at"] for hook in hooks)
    return MATCHES / (last - started)


def main() -> None:
    print(f"{os.cpu_count()} cores; crawl: {FEEDS} feeds due every {INTERVAL} s, fetches "
          f"counted over {WINDOW:.0f} s after {WARM_UP:.0f} s; alerts: {MATCHES} webhook "
          "deliveries at once")  # fmt: skip
    rows = []
    for name, topology in (("one Redis", one_redis), ("Cluster (3 masters)", cluster)):
        with tempfile.TemporaryDirectory(prefix="raqib-bench-scale-") as tmp, topology() as url:
            directory = Path(tmp)
            feeds = [crawl_rate(url, n, directory) for n in (1, 2, 3)]
            deliveries = [delivery_rate(url, n, directory) for n in (1, 2)]
        rows.append((name, feeds, deliveries))
        print(f"{name}: feeds/s {', '.join(f'{f:.0f}' for f in feeds)} (1, 2, 3 crawlers); "
              f"deliveries/s {', '.join(f'{d:.0f}' for d in deliveries)} (1, 2 workers)",
              flush=True)  # fmt: skip
    print()
    print(
        "| Redis | feeds/s, 1 crawler | 2 | 3 | ratio 2:1 | 3:1 | deliveries/s, 1 worker | 2 | ratio 2:1 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for name, feeds, deliveries in rows:
        print(f"| {name} | {feeds[0]:.0f} | {feeds[1]:.0f} | {feeds[2]:.0f} | "
              f"{feeds[1] / feeds[0]:.2f} | {feeds[2] / feeds[0]:.2f} | {deliveries[0]:.0f} | "
              f"{deliveries[1]:.0f} | {deliveries[1] / deliveries[0]:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
