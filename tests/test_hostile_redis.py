"""The embedded Redis on a shared machine: its socket, data directory and files are this user's
alone, and a Redis someone else planted is never spoken to."""

from __future__ import annotations

import hashlib
import os
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from alerts.spine.connections import EmbeddedRedis, redis_server_binary
from tests.conftest import raqib, write_config
from tests.support.delivery import make_alert, publish, wait_until

OWN_REDIS = {"REDIS_URL": ""}
SOCKET_POINTER = "socket-dir"  # alerts.spine.connections.SOCKET_POINTER  # the embedded Redis, whatever the environment says


class PlantedRedis:
    """A redis-server someone else started on a socket where Raqib might look for its own."""

    def __init__(self, socket: Path, directory: Path) -> None:
        self.socket = socket
        self.process = subprocess.Popen(
            [str(redis_server_binary()), "--port", "0", "--unixsocket", str(socket),
             "--unixsocketperm", "777", "--save", "", "--appendonly", "no",
             "--dir", str(directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        assert wait_until(socket.exists, timeout=20)
        self.client = redis.Redis(unix_socket_path=str(socket), decode_responses=True)

    def connections(self) -> int:
        """Connections it has accepted (its own watcher's one included)."""
        return int(self.client.info("stats")["total_connections_received"])

    def close(self) -> None:
        self.client.close()
        self.process.terminate()
        self.process.wait(10)
        self.socket.unlink(missing_ok=True)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def long_data_dir(tmp_path: Path) -> Iterator[Path]:
    """A data directory whose socket path would pass AF_UNIX's 108 bytes."""
    data_dir = tmp_path / ("long-" * 18) / "var"
    assert len(str(data_dir / "redis" / "redis.sock")) > 108
    yield data_dir
    pointer = data_dir / "redis" / SOCKET_POINTER
    if pointer.exists():
        private = Path(pointer.read_text().strip())
        for leftover in private.glob("*"):
            leftover.unlink()
        private.rmdir()


def test_a_long_data_dir_gets_a_fresh_private_socket_not_a_planted_one(
    tmp_path: Path, long_data_dir: Path
) -> None:
    # Where Raqib used to put its socket: a name anyone could compute, and take first.
    digest = hashlib.sha1(str((long_data_dir / "redis").resolve()).encode()).hexdigest()[:12]
    planted = PlantedRedis(Path(tempfile.gettempdir()) / f"raqib-{digest}.sock", tmp_path)
    try:
        before = planted.connections()
        config = write_config(tmp_path / "raqib.yaml", data_dir=str(long_data_dir), sources=[])
        run = raqib("--config", str(config), "run", "--once", env=OWN_REDIS)
        assert run.returncode == 0, run.stderr
        assert planted.connections() == before, "Raqib spoke to the planted Redis"
        assert planted.client.dbsize() == 0
    finally:
        planted.close()
    private = Path((long_data_dir / "redis" / SOCKET_POINTER).read_text().strip())
    assert private.parent == Path(tempfile.gettempdir())
    assert private.name.startswith("raqib-redis-") and private.name != f"raqib-{digest}"
    assert _mode(private) == 0o700 and os.lstat(private).st_uid == os.getuid()
    assert str(private / "redis.sock") in run.stderr


def test_a_long_data_dir_is_still_shared_by_raqib_commands(long_data_dir: Path) -> None:
    first = EmbeddedRedis(long_data_dir / "redis")
    first.start()
    try:
        second = EmbeddedRedis(long_data_dir / "redis")
        second.start()  # finds the first one's private socket through the data directory
        assert second.process is None and second.socket == first.socket
    finally:
        first.stop()


@pytest.mark.skipif(os.getuid() != 0, reason="making a socket another user's needs root")
def test_a_socket_of_another_user_is_refused(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    (data_dir / "redis").mkdir(parents=True, mode=0o700)
    planted = PlantedRedis(data_dir / "redis" / "redis.sock", tmp_path)
    os.chown(planted.socket, 65534, 65534)  # nobody's
    try:
        before = planted.connections()
        config = write_config(tmp_path / "raqib.yaml", data_dir=str(data_dir), sources=[])
        run = raqib("--config", str(config), "feeds", env=OWN_REDIS)
        assert run.returncode == 1, run.stdout + run.stderr
        assert "refusing the Redis socket" in run.stderr and "uid 65534" in run.stderr
        assert "Traceback" not in run.stderr
        assert planted.connections() == before, "Raqib spoke to another user's Redis"
    finally:
        planted.close()


def test_the_data_dir_the_socket_and_the_aof_are_private(tmp_path: Path, prefix: str) -> None:
    data_dir = tmp_path / "fresh" / "var"
    config = write_config(
        tmp_path / "raqib.yaml", data_dir=str(data_dir), sources=[],
        redis={"url": None, "prefix": prefix},
    )  # fmt: skip
    listed = raqib("--config", str(config), "feeds", env=OWN_REDIS)
    assert listed.returncode == 0, listed.stderr
    assert _mode(data_dir) == 0o700 and _mode(data_dir / "redis") == 0o700
    files = [p for p in (data_dir / "redis").rglob("*") if p.is_file()]
    assert any(p.suffix == ".aof" for p in files), files
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}

    # An alert delivered to the console fallback: alerts.jsonl is private too.
    server = EmbeddedRedis(data_dir / "redis")
    server.start()
    try:
        with redis.Redis.from_url(server.url, decode_responses=True) as client:
            publish(client, prefix, make_alert("private-1"))
        sent = raqib("--config", str(config), "alerts", "--once", env=OWN_REDIS)
        assert sent.returncode == 0, sent.stderr
    finally:
        server.stop()
    assert _mode(data_dir / "alerts.jsonl") == 0o600


def test_an_older_install_is_closed(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    (data_dir / "redis").mkdir(parents=True)
    os.chmod(data_dir / "redis", 0o755)
    aof = data_dir / "redis" / "appendonly.aof"
    aof.write_bytes(b"")
    os.chmod(aof, 0o644)
    config = write_config(tmp_path / "raqib.yaml", data_dir=str(data_dir), sources=[])
    listed = raqib("--config", str(config), "feeds", env=OWN_REDIS)
    assert listed.returncode == 0, listed.stderr
    assert _mode(data_dir / "redis") == 0o700 and _mode(aof) == 0o600
