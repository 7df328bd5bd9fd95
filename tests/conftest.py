"""Session-wide real servers (Redis, HTTP, SMTP) and helpers to configure and run Raqib against them."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
import yaml

from alerts.spine.connections import EmbeddedRedis
from tests.support import redis_mode
from tests.support.redis_servers import (
    ClusterServers,
    missing_binaries,
    redis_cluster,
    sentinel_set,
)
from tests.support.servers import Mailbox, WebServer

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The session's Redis: REDIS_URL when set (CI's second run); with RAQIB_TEST_REDIS=cluster
    or sentinel, a Redis Cluster or a Sentinel set of Debian's servers; else an embedded one."""
    chosen = redis_mode.mode()
    if chosen == "cluster":
        with redis_cluster() as cluster:
            redis_mode.remember_cluster(cluster.url)
            yield cluster.url
            redis_mode.forget_cluster(cluster.url)
        return
    if chosen == "sentinel":
        with sentinel_set() as sentinels:
            yield sentinels.url
        return
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def cluster_servers() -> Iterator[ClusterServers]:
    """A 3-master Redis Cluster of Debian's redis-server, for the scale tests that ask for one."""
    missing = missing_binaries("redis-server", "redis-cli")
    if missing:
        pytest.skip(f"needs Debian's redis-server and redis-tools ({', '.join(missing)} missing)")
    with redis_cluster() as cluster:
        redis_mode.remember_cluster(cluster.url)
        yield cluster
        redis_mode.forget_cluster(cluster.url)


@pytest.fixture
def prefix(redis_url: str) -> Iterator[str]:
    """A key prefix of the test's own, so tests never see each other's keys; removed afterwards."""
    value = f"raqib-test-{uuid.uuid4().hex[:10]}:"
    yield value
    client = redis_mode.client_for(redis_url, decode=False)
    try:
        keys = list(client.scan_iter(match=f"{value}*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])  # a Cluster client splits it by slot
    finally:
        client.close()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis_mode.client_for(redis_url)
    yield client
    client.close()


@pytest.fixture(scope="session")
def _web() -> Iterator[WebServer]:
    server = WebServer()
    yield server
    server.close()


@pytest.fixture
def web(_web: WebServer) -> Iterator[WebServer]:
    _web.reset()
    yield _web
    _web.reset()


@pytest.fixture(scope="session")
def _mailbox() -> Iterator[Mailbox]:
    box = Mailbox()
    yield box
    box.close()


@pytest.fixture
def mailbox(_mailbox: Mailbox) -> Iterator[Mailbox]:
    _mailbox.reset()
    yield _mailbox
    _mailbox.reset()


def write_config(path: Path, **settings: Any) -> Path:
    path.write_text(yaml.safe_dump(settings, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def make_config(tmp_path: Path, prefix: str, mailbox: Mailbox) -> Any:
    """Write a config for a test: its own data dir and key prefix, the test SMTP, private nets allowed.

    Redis is left unset so Raqib runs its own embedded server under the data dir, unless the
    environment has REDIS_URL (then Raqib uses it, as a user's would).
    """

    def make(**overrides: Any) -> Path:
        settings: dict[str, Any] = {
            "data_dir": str(tmp_path / "var"),
            "redis": {"url": None, "prefix": prefix},
            "smtp": {"host": "127.0.0.1", "port": mailbox.port, "sender": "raqib@test.example"},
            "crawler": {
                "allow_private_networks": True,
                "obey_robots_txt": False,
                "jitter_seconds": 0,
                "download_delay": 0,  # politeness is the crawler's own test; off elsewhere
            },
            "alerts": {"backoff_base_seconds": 0.05},
            "http": {"port": 0},  # any free port: daemons of parallel tests never collide
            "watchlists": [str(ROOT / "config/watchlists/isis-libya.yaml")],
            "sources": [],
            "subscriptions": [],
        }
        for key, value in overrides.items():
            if isinstance(value, dict) and isinstance(settings.get(key), dict):
                settings[key] = {**settings[key], **value}
            else:
                settings[key] = value
        settings["redis"].update(redis_mode.redis_block(settings["redis"].get("url")))
        return write_config(tmp_path / "raqib.yaml", **settings)

    return make


def raqib(
    *args: str, timeout: float = 120, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real `raqib` program (as `python -m crawler`) and capture what it prints."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True, text=True, timeout=timeout, env=full_env, cwd=ROOT, input=input,
    )  # fmt: skip
