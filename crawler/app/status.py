"""What the daemon says of itself: the /healthz checks and the gauges /metrics reads at scrape time."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import redis
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector

from alerts.queues import read_alert_queues
from alerts.spine.connections import RedisHandle
from config.settings import Settings
from crawler.feeds.health import reachability
from crawler.feeds.state import FeedStore

EMBEDDED_REDIS_RESTARTS = Counter(
    "raqib_embedded_redis_restarts", "Times the embedded redis-server died and was started again."
)

if TYPE_CHECKING:
    from alerts.worker import AlertWorker
    from crawler.fetch.scheduler import SourceScheduler

ALERT_LOOPS = ("router", "sender", "clock")
NAMES_SHOWN = 20  # failing sources named in /healthz; the count is always whole

Check = dict[str, Any]


class ServiceStatus:
    """The checks of the roles this process runs (crawl, alerts); each says ok or not, and why.

    Everything here runs off the event loop (the endpoint calls it in a thread of its own) and
    reads Redis through a client with short timeouts and no retries.
    """

    def __init__(self, settings: Settings, handle: RedisHandle, roles: list[str]) -> None:
        self.settings = settings
        self.keys = handle.keys
        self.client = handle.observer()
        self.roles = roles
        self.schedule: SourceScheduler | None = None  # attached once started
        self.worker: AlertWorker | None = None
        self.started = time.time()
        self.started_monotonic = time.monotonic()
        self.stopping = False

    def close(self) -> None:
        self.client.close()

    # -- the checks ------------------------------------------------------------------------------

    def health(self) -> tuple[bool, dict[str, Any]]:
        """(healthy, the JSON body of /healthz)."""
        checks: dict[str, Check] = {"redis": self.redis_check()}
        if "crawl" in self.roles:
            checks["scheduler"] = self._scheduler()
            checks["parsers"] = self._parsers()
        if "alerts" in self.roles:
            checks["alert_loops"] = self._alert_loops()
        if checks["redis"]["ok"]:
            try:
                if "crawl" in self.roles:
                    checks["sources"] = _or_error(self._sources)
                if "alerts" in self.roles:
                    checks.update(self._queues())
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                checks["redis"] = {"ok": False, "error": _error(exc)}
        failing = sorted(name for name, check in checks.items() if not check["ok"])
        body = {
            "status": "stopping" if self.stopping else ("ok" if not failing else "unhealthy"),
            "failing": failing,
            "roles": self.roles,
            "pid": os.getpid(),
            "uptime_seconds": round(time.time() - self.started, 1),
            "checks": checks,
        }
        return not failing and not self.stopping, body

    def redis_check(self) -> Check:
        started = time.perf_counter()
        try:
            self.client.ping()
        except redis.RedisError as exc:
            return {"ok": False, "error": _error(exc)}
        return {"ok": True, "latency_ms": round((time.perf_counter() - started) * 1000, 2)}

    def _age(self, beat: float) -> float:
        return time.monotonic() - (beat or self.started_monotonic)

    def _scheduler(self) -> Check:
        stale = self.settings.health.stale_after_seconds
        schedule = self.schedule
        if schedule is None:
            return {"ok": False, "error": "starting"}
        age = self._age(schedule.last_beat)
        return {
            "ok": schedule.running and age < stale,
            "running": schedule.running,
            "last_run_seconds_ago": round(age, 1),
            "sources_scheduled": len(schedule.sources),
            "crawls_in_flight": schedule.batcher.in_flight,
        }

    def _parsers(self) -> Check:
        """The document reader: documents past their deadline, workers stopped, the last failure."""
        if self.schedule is None:
            return {"ok": False, "error": "starting"}
        return self.schedule.context.reader.status()

    def _alert_loops(self) -> Check:
        stale = self.settings.health.stale_after_seconds
        worker = self.worker
        if worker is None:
            return {"ok": False, "error": "starting"}
        ages = {name: round(self._age(worker.beats.get(name, 0.0)), 1) for name in ALERT_LOOPS}
        return {
            "ok": all(age < stale for age in ages.values()),
            "last_round_seconds_ago": ages,
            "sends_in_flight": len(worker.sender.inflight),
            "delivered": worker.delivered,
            "dead_lettered": worker.failed,
        }

    def _sources(self) -> Check:
        names = list(self.schedule.sources) if self.schedule else []
        verdict = reachability(self.settings, FeedStore(self.client, self.keys), names)
        return {
            "ok": verdict.ok,
            "enabled": verdict.enabled,
            "failing": len(verdict.failing),
            "resting": len(verdict.resting),
            "silent": len(verdict.silent),
            "max_failing_share": verdict.max_failing_share,
            "failing_names": verdict.failing[:NAMES_SHOWN],
        }

    def _queues(self) -> dict[str, Check]:
        health = self.settings.health
        try:
            queues = read_alert_queues(
                self.client, self.keys, health.dead_letter_window_hours * 3600
            )
        except redis.ResponseError as exc:  # keys Raqib cannot read: say so, do not hide it
            return {"alerts_pending": {"ok": False, "error": _error(exc)}}
        return {
            "alerts_pending": {
                "ok": queues.oldest_seconds <= health.max_alert_age_seconds,
                "pending": queues.pending,
                "routing": queues.routing,
                "jobs": queues.jobs,
                "held": queues.held,
                "digests": queues.digests,
                "oldest_seconds": round(queues.oldest_seconds, 1),
                "max_age_seconds": health.max_alert_age_seconds,
            },
            "dead_letters": {
                "ok": queues.recent_dead_letters < health.max_dead_letters,
                "total": queues.dead_letters,
                "recent": queues.recent_dead_letters,
                "window_hours": health.dead_letter_window_hours,
                "max_recent": health.max_dead_letters,
            },
        }


def _error(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"


def _or_error(check: Callable[[], Check]) -> Check:
    try:
        return check()
    except redis.ResponseError as exc:  # keys Raqib cannot read: say so, do not hide it
        return {"ok": False, "error": _error(exc)}


class ServiceCollector(Collector):
    """raqib_up-style gauges of this process: Redis reachable, scheduler running, work in flight."""

    def __init__(self, status: ServiceStatus) -> None:
        self.status = status

    def collect(self) -> Iterator[GaugeMetricFamily | InfoMetricFamily]:
        status = self.status
        yield InfoMetricFamily(
            "raqib_service", "The roles this process runs.", value={"roles": ",".join(status.roles)}
        )
        yield GaugeMetricFamily(
            "raqib_redis_up", "1 when Redis answered a PING just now.",
            value=1.0 if status.redis_check()["ok"] else 0.0,
        )  # fmt: skip
        schedule, worker = status.schedule, status.worker
        if "crawl" in status.roles:
            yield GaugeMetricFamily(
                "raqib_scheduler_running", "1 while the crawl scheduler runs.",
                value=1.0 if schedule is not None and schedule.running else 0.0,
            )  # fmt: skip
        in_flight = GaugeMetricFamily(
            "raqib_in_flight", "Work under way: crawls (batches) and sends.", labels=["work"]
        )
        if schedule is not None:
            in_flight.add_metric(["crawls"], schedule.batcher.in_flight)
        if worker is not None:
            in_flight.add_metric(["sends"], len(worker.sender.inflight))
        yield in_flight
