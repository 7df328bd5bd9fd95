"""Which Redis the suite runs on (RAQIB_TEST_REDIS), and clients and settings that follow it.

`embedded` (the default) runs one embedded redis-server for the session, or uses REDIS_URL;
`cluster` makes a 3-master Redis Cluster and `sentinel` a master, a replica and three Sentinels,
from Debian's packages, so the same tests prove Raqib's keys and scripts on those set-ups.
A Cluster's address is an ordinary redis:// URL: the tests remember which URLs are Cluster
nodes, so their settings say `cluster: true` and their clients are Cluster clients.
"""

from __future__ import annotations

import os
from typing import Any

import redis

from alerts.spine.connections import RedisHandle, RedisTarget
from alerts.spine.keyspace import Keyspace
from config.settings import RedisSettings

MODES = ("embedded", "cluster", "sentinel")
_cluster_urls: set[str] = set()


def mode() -> str:
    chosen = os.environ.get("RAQIB_TEST_REDIS", "embedded") or "embedded"
    if chosen not in MODES:
        raise ValueError(f"RAQIB_TEST_REDIS={chosen!r}: expected one of {', '.join(MODES)}")
    return chosen


def remember_cluster(url: str) -> None:
    _cluster_urls.add(url)


def forget_cluster(url: str) -> None:
    _cluster_urls.discard(url)


def redis_block(url: str | None, prefix: str | None = None) -> dict[str, Any]:
    """The `redis:` settings for `url` (None: the embedded server), Cluster-aware."""
    block: dict[str, Any] = {"url": url}
    if url in _cluster_urls:
        block["cluster"] = True
    if prefix is not None:
        block["prefix"] = prefix
    return block


def target_for(url: str) -> RedisTarget:
    return RedisTarget.from_settings(RedisSettings(url=url, cluster=url in _cluster_urls), {})


def client_for(url: str, decode: bool = True) -> redis.Redis:
    """A plain client on the test's Redis, whatever its set-up (Raqib's own factory)."""
    return target_for(url).connect({"decode_responses": decode})


def handle_for(url: str, prefix: str) -> RedisHandle:
    return RedisHandle(target_for(url), Keyspace(prefix))
