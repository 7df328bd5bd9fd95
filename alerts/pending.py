"""What waits to be delivered, and why: retries, held deliveries, digests, queued jobs, unrouted matches.

`raqib pending` lists it and `raqib run --once` sums it up, so that an alert that did not go out
is never reported as delivered.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import redis

from alerts.jobs import DeliveryJob
from alerts.queues import read_alert_queues
from alerts.spine.keyspace import Keyspace

LISTED = 1000  # deliveries listed at most; the counts are always whole


@dataclass(frozen=True)
class Waiting:
    """One delivery (or digest) that has not gone out yet."""

    state: str  # retry | held | digest | queued
    next_at: float | None  # when it is tried next (epoch seconds); None: as soon as a worker runs
    subscription: str
    channel: str
    reason: str
    attempts: int = 0
    incident: str | None = None  # "ID rREVISION" of its first alert
    title: str | None = None
    alerts: int = 1
    delivery: str | None = None

    def summary(self) -> dict[str, Any]:
        next_at = None
        if self.next_at is not None:
            next_at = datetime.fromtimestamp(self.next_at, UTC).isoformat(timespec="seconds")
        return {
            "state": self.state,
            "next_at": next_at,
            "subscription": self.subscription,
            "channel": self.channel,
            "reason": self.reason,
            "attempts": self.attempts,
            "incident": self.incident,
            "title": self.title,
            "alerts": self.alerts,
            "delivery": self.delivery,
        }


def _of_job(job: DeliveryJob, state: str, next_at: float | None, reason: str) -> Waiting:
    first = job.alerts[0] if job.alerts else None
    return Waiting(
        state=state, next_at=next_at, subscription=job.subscription, channel=job.channel,
        reason=reason, attempts=job.attempt,
        incident=f"{first.incident_id} r{first.revision}" if first else None,
        title=first.title if first else None, alerts=len(job.alerts), delivery=job.id,
    )  # fmt: skip


def _scheduled(job: DeliveryJob, due: float) -> Waiting:
    if job.held:
        earlier = f" (after {job.attempt} failed attempt(s): {job.error})" if job.error else ""
        return _of_job(job, "held", due, f"{job.held}{earlier}")
    return _of_job(job, "retry", due, job.error or "failed")


def waiting_deliveries(client: redis.Redis, keys: Keyspace, limit: int = LISTED) -> list[Waiting]:
    """Every delivery that waits, soonest first: retries and held ones (with the failure or the
    hold that keeps them), digests gathering alerts, and jobs queued for a sender."""
    out: list[Waiting] = []
    scheduled = cast(
        list[tuple[str, float]], client.zrange(keys.scheduled, 0, limit - 1, withscores=True)
    )
    for raw, due in scheduled:
        try:
            out.append(_scheduled(DeliveryJob.from_json(raw), float(due)))
        except (ValueError, KeyError, TypeError):
            out.append(Waiting("retry", float(due), "?", "?", "unreadable job"))
    prefix = keys.digest("", "")[:-1]  # …{alerts}:digest:<subscription>:<channel>
    digests = cast(
        list[tuple[str, float]], client.zrange(keys.digests_due, 0, limit - 1, withscores=True)
    )
    for digest_key, due in digests:
        subscription, _, channel = digest_key.removeprefix(prefix).partition(":")
        count = int(client.hlen(digest_key))
        out.append(Waiting(
            "digest", float(due), subscription, channel, f"digest of {count} alert(s) gathering",
            alerts=count,
        ))  # fmt: skip
    queued = cast(list[tuple[str, dict[str, str]]], client.xrange(keys.jobs, count=limit))
    for _, fields in queued:
        try:
            job = DeliveryJob.from_json(fields.get("job", ""))
        except (ValueError, KeyError, TypeError):
            continue
        reason = f"queued again after {job.attempt} failed attempt(s)" if job.attempt else "queued"
        out.append(_of_job(job, "queued", None, reason))
    out.sort(key=lambda w: (w.next_at is not None, w.next_at or 0.0))
    return out[:limit]


@dataclass(frozen=True)
class PendingCounts:
    retry: int
    held: int
    digests: int
    queued: int
    routing: int  # matches on the stream that no router has read yet

    @property
    def total(self) -> int:
        return self.retry + self.held + self.digests + self.queued + self.routing


def pending_counts(client: redis.Redis, keys: Keyspace) -> PendingCounts:
    """How much waits, by kind (retries are told from holds by reading the held jobs)."""
    queues = read_alert_queues(client, keys)
    retry = held = 0
    for raw in cast(list[str], client.zrange(keys.scheduled, 0, -1)):
        try:
            job = DeliveryJob.from_json(raw)
        except (ValueError, KeyError, TypeError):
            retry += 1
            continue
        if job.held:
            held += 1
        else:
            retry += 1
    return PendingCounts(
        retry=retry, held=held, digests=queues.digests, queued=queues.jobs, routing=queues.routing
    )


def when(stamp: float | None, now: float | None = None) -> str:
    """'in 3m (06:43 UTC)', for people."""
    if stamp is None:
        return "as soon as a worker runs"
    now = time.time() if now is None else now
    delta = stamp - now
    at = datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    if delta <= 0:
        return f"due now ({at})"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if delta >= size:
            return f"in {delta / size:.0f}{unit} ({at})"
    return f"in {delta:.0f}s ({at})"
