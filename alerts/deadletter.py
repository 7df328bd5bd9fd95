"""The dead-letter stream: deliveries that failed for good, listed for a person and re-driven."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import redis

from alerts.jobs import DeliveryJob
from alerts.scripts import REDRIVE
from alerts.sender import reset_for_redrive
from alerts.spine.keyspace import Keyspace


@dataclass(frozen=True)
class DeadLetter:
    id: str  # the entry's id in the dead-letter stream
    at: datetime
    reason: str
    job: DeliveryJob | None  # None: a match that could not be read at all
    raw: dict[str, str]

    def summary(self) -> dict[str, Any]:
        job = self.job
        first = job.alerts[0] if job and job.alerts else None
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "reason": self.reason,
            "delivery": job.id if job else None,
            "subscription": job.subscription if job else None,
            "channel": job.channel if job else None,
            "attempts": job.attempt if job else None,
            "incident": f"{first.incident_id} r{first.revision}" if first else None,
            "title": first.title if first else None,
            "alerts": len(job.alerts) if job else 0,
        }


def _letter(entry_id: str, fields: dict[str, str]) -> DeadLetter:
    job = None
    if fields.get("job"):
        try:
            job = DeliveryJob.from_json(fields["job"])
        except (ValueError, KeyError):
            job = None
    return DeadLetter(
        id=entry_id,
        at=datetime.fromtimestamp(float(fields.get("at") or 0), UTC),
        reason=fields.get("reason", ""),
        job=job,
        raw=fields,
    )


def dead_letters(client: redis.Redis, keys: Keyspace, count: int | None = None) -> list[DeadLetter]:
    """Oldest first."""
    entries = cast(list[tuple[str, dict[str, str]]], client.xrange(keys.dead, count=count))
    return [_letter(entry_id, fields) for entry_id, fields in entries]


def redrive(
    client: redis.Redis, keys: Keyspace, ids: list[str] | None, ttl_days: int
) -> tuple[list[str], list[str]]:
    """Put dead letters (all when `ids` is None) back on the job stream with fresh attempts.

    Returns the ids re-driven and those that could not be (unknown, or not a delivery).
    """
    script = client.register_script(REDRIVE)
    wanted = set(ids) if ids is not None else None
    done: list[str] = []
    letters = {letter.id: letter for letter in dead_letters(client, keys)}
    skipped = sorted(wanted - set(letters)) if wanted is not None else []
    for letter in letters.values():
        if wanted is not None and letter.id not in wanted:
            continue
        if letter.job is None:
            skipped.append(letter.id)
            continue
        job = reset_for_redrive(letter.job)
        moved = script(
            keys=[keys.dead, keys.jobs, keys.state(job.id)],
            args=[letter.id, job.to_json(), ttl_days * 86400],
        )
        (done if int(moved) else skipped).append(letter.id)
    return done, skipped


def drop(client: redis.Redis, keys: Keyspace, ids: list[str]) -> int:
    """Forget dead letters for good."""
    return int(client.xdel(keys.dead, *ids)) if ids else 0
