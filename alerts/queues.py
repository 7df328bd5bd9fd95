"""The alert queues in Redis (waiting, held, dead), read when /metrics or /healthz asks."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, cast

import redis
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from alerts.router import GROUP as ROUTER_GROUP
from alerts.router import entry_time
from alerts.spine.keyspace import Keyspace


@dataclass(frozen=True)
class AlertQueues:
    """What waits in Redis on the delivery side, read in a few round trips."""

    routing: int  # matches not yet routed (before Redis 7, new ones are counted up to COUNT_CAP)
    jobs: int  # delivery jobs waiting to be sent, or being sent (done ones are deleted)
    held: int  # jobs held on purpose: retry back-off, quiet hours, rate limits
    digests: int  # digests waiting for their time
    dead_letters: int
    recent_dead_letters: int  # dead letters added within the window asked for (up to COUNT_CAP)
    oldest_seconds: float  # age of the oldest alert waiting to be routed or sent (0: none)

    @property
    def pending(self) -> int:
        return self.routing + self.jobs


COUNT_CAP = 1000  # entries read to count them, at most (a scrape must stay cheap)


def _group(groups: list[dict[str, Any]], name: str) -> dict[str, Any] | None:
    return next((g for g in groups if str(g.get("name")) == name), None)


def _ms_id(stamp: float) -> str:
    return f"{int(stamp * 1000)}-0"


def read_alert_queues(
    client: redis.Redis, keys: Keyspace, dead_window_seconds: float = 86400.0
) -> AlertQueues:
    """The delivery queues as they stand; raises redis errors when Redis does not answer."""
    now = time.time()
    pipe = client.pipeline(transaction=False)
    pipe.exists(keys.matches)
    pipe.xlen(keys.jobs)
    pipe.xrange(keys.jobs, "-", "+", count=1)
    pipe.zcard(keys.scheduled)
    pipe.zcard(keys.digests_due)
    pipe.xlen(keys.dead)
    pipe.xrange(keys.dead, _ms_id(now - dead_window_seconds), "+", count=COUNT_CAP)
    has_matches, jobs, first_job, held, digests, dead, recent = pipe.execute()
    oldest: list[float] = [entry_time(first_job[0][0])] if first_job else []
    routing = 0
    if has_matches:
        groups: list[dict[str, Any]] = client.xinfo_groups(keys.matches)
        router = _group(groups, ROUTER_GROUP)
        if router is None:
            routing = int(client.xlen(keys.matches))
            first = client.xrange(keys.matches, "-", "+", count=1)
        else:
            pending = int(router["pending"])
            # Entries after the group's last delivered id: not read by any router yet. Redis 7
            # counts them (`lag`); before it, they are counted up to COUNT_CAP.
            lag = router.get("lag")
            unread = cast(
                list[Any],
                client.xrange(
                    keys.matches, f"({router['last-delivered-id']}", "+",
                    count=1 if isinstance(lag, int) else COUNT_CAP,
                ),
            )  # fmt: skip
            routing = pending + (lag if isinstance(lag, int) else len(unread))
            first = unread[:1]
            if pending:
                summary: dict[str, Any] = client.xpending(keys.matches, ROUTER_GROUP)
                if summary.get("min"):
                    first = [(str(summary["min"]), {})]
        if first:
            oldest.append(entry_time(str(cast(Any, first)[0][0])))
    return AlertQueues(
        routing=routing,
        jobs=int(jobs),
        held=int(held),
        digests=int(digests),
        dead_letters=int(dead),
        recent_dead_letters=len(recent),
        oldest_seconds=max(0.0, now - min(oldest)) if oldest else 0.0,
    )


class AlertQueueCollector(Collector):
    """Gauges of the delivery queues, read from Redis when /metrics is scraped."""

    def __init__(self, client: redis.Redis, keys: Keyspace) -> None:
        self.client = client
        self.keys = keys

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            queues = read_alert_queues(self.client, self.keys)
        except redis.RedisError:
            return  # raqib_redis_up says why nothing is here
        depth = GaugeMetricFamily(
            "raqib_queue_depth",
            "Alerts and deliveries waiting in Redis, by queue: routing (matches not yet routed), "
            "jobs (deliveries to send), held (back-off, quiet hours, rate limits), digests.",
            labels=["queue"],
        )
        for queue in ("routing", "jobs", "held", "digests"):
            depth.add_metric([queue], getattr(queues, queue))
        yield depth
        yield GaugeMetricFamily(
            "raqib_alerts_pending",
            "Alerts not yet delivered: routing + jobs.",
            value=queues.pending,
        )
        yield GaugeMetricFamily(
            "raqib_oldest_pending_alert_seconds",
            "Age of the oldest alert waiting to be routed or sent (0: none waits).",
            value=queues.oldest_seconds,
        )
        yield GaugeMetricFamily(
            "raqib_dead_letters", "Deliveries in the dead-letter stream.", value=queues.dead_letters
        )
