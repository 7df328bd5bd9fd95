"""Silences, as Alertmanager has them: matchers, an end, a comment and an author. A silence holds
the deliveries of the alerts it matches until it ends (or is expired); detection and routing go
on underneath, and a held delivery waits in `raqib pending` saying which silence holds it."""

from __future__ import annotations

import json
import re
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

import redis
import redis.asyncio

from alerts.audit import AuditLog, actor
from alerts.jobs import DeliveryJob
from alerts.message import Alert
from alerts.spine.cleaning import clean_text
from alerts.spine.keyspace import Keyspace
from alerts.subscriptions import fold

MATCHERS = ("place", "district", "region", "type", "watchlist", "incident")
MAX_ACTIVE = 1000  # silences in force at once
KEPT_AFTER_END = 7 * 86400  # an ended silence stays listed this long, then goes
MAX_SECONDS = 366 * 86400
HELD_PREFIX = "silence "  # a held job's reason: "silence <id>: <comment>"
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> float:
    """'90m', '2h', '1d12h', '1w' in seconds; ValueError for anything else."""
    compact = re.sub(r"\s", "", text.lower())
    if not re.fullmatch(r"(?:\d+(?:\.\d+)?[smhdw])+", compact):
        raise ValueError(f"{text!r}: a duration such as 90m, 2h, 1d or 1d12h")
    return sum(float(n) * _UNITS[u] for n, u in re.findall(r"(\d+(?:\.\d+)?)([smhdw])", compact))


@dataclass(frozen=True)
class Silence:
    id: str
    matchers: dict[str, str]  # every one given must match (Alertmanager's "and")
    starts_at: float
    ends_at: float
    comment: str
    by: str
    expired_by: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def active(self, now: float) -> bool:
        return self.starts_at <= now < self.ends_at

    def matches(self, alert: Alert) -> bool:
        return self.matches_facts(
            places=[*(p.name for p in alert.places), *(p.name_en for p in alert.places if p.name_en)],
            districts=[p.district for p in alert.places if p.district],
            regions=[p.region for p in alert.places if p.region],
            incident_type=alert.incident_type, watchlist=alert.watchlist,
            incidents=[alert.incident_id, *alert.merged_from],
        )  # fmt: skip

    def matches_facts(
        self, *, places: Iterable[str], districts: Iterable[str], regions: Iterable[str],
        incident_type: str | None, watchlist: str | None, incidents: Iterable[str],
    ) -> bool:  # fmt: skip
        """Whether every matcher holds for these facts (an alert's, or an incident's as the
        console lists it)."""
        for name, wanted in self.matchers.items():
            want = fold(wanted)
            if name == "place" and want not in {fold(p) for p in places}:
                return False
            if name == "district" and want not in {fold(d) for d in districts}:
                return False
            if name == "region" and want not in {fold(r) for r in regions}:
                return False
            if name == "type" and want != fold(incident_type or ""):
                return False
            if name == "watchlist" and want != fold(watchlist or ""):
                return False
            if name == "incident" and wanted not in set(incidents):
                return False
        return True

    @property
    def reason(self) -> str:
        return f"{HELD_PREFIX}{self.id}: {self.comment}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "matchers": self.matchers, "starts_at": self.starts_at,
            "ends_at": self.ends_at, "comment": self.comment, "by": self.by,
            "expired_by": self.expired_by,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Silence:
        return cls(
            id=data["id"], matchers=dict(data.get("matchers") or {}),
            starts_at=float(data["starts_at"]), ends_at=float(data["ends_at"]),
            comment=data.get("comment") or "", by=data.get("by") or "?",
            expired_by=data.get("expired_by"),
        )  # fmt: skip

    def summary(self, now: float | None = None) -> dict[str, Any]:
        now = time.time() if now is None else now
        out = self.to_json()
        for name in ("starts_at", "ends_at"):
            out[name] = datetime.fromtimestamp(out[name], UTC).isoformat(timespec="seconds")
        out["state"] = (
            "active" if self.active(now) else ("pending" if now < self.starts_at else "expired")
        )
        return out


def holding(silences: Iterable[Silence], alerts: list[Alert], now: float) -> Silence | None:
    """The silence that holds a delivery (the one that ends last), or None. A digest is held
    only when every alert in it is silenced."""
    if not alerts:
        return None
    found: Silence | None = None
    for alert in alerts:
        match = [s for s in silences if s.active(now) and s.matches(alert)]
        if not match:
            return None
        longest = max(match, key=lambda s: s.ends_at)
        if found is None or longest.ends_at > found.ends_at:
            found = longest
    return found


class SilenceStore:
    """Silences in Redis, for the command line (and the console)."""

    def __init__(self, client: redis.Redis, keys: Keyspace, audit: AuditLog) -> None:
        self.client = client
        self.keys = keys
        self.key = keys.silences
        self.audit = audit

    def add(
        self, matchers: dict[str, str], seconds: float, comment: str, by: str,
        starts_at: float | None = None,
    ) -> Silence:  # fmt: skip
        by = actor(by)
        matchers = {k: clean_text(v, one_line=True).strip() for k, v in matchers.items() if v}
        unknown = sorted(set(matchers) - set(MATCHERS))
        if unknown:
            raise ValueError(f"no matcher {', '.join(unknown)}; use {', '.join(MATCHERS)}")
        if not matchers:
            raise ValueError("a silence needs at least one matcher: " + ", ".join(MATCHERS))
        if not 0 < seconds <= MAX_SECONDS:
            raise ValueError("a silence lasts more than 0 seconds and at most a year")
        comment = clean_text(comment, one_line=True).strip()[:1000]
        if not comment:
            raise ValueError("say why: a silence needs a comment")
        now = time.time()
        self._forget_ended(now)
        active = [s for s in self.list() if s.ends_at > now]
        if len(active) >= MAX_ACTIVE:
            raise ValueError(f"{MAX_ACTIVE} silences are in force already; expire some first")
        start = now if starts_at is None else starts_at
        silence = Silence(
            id=f"sil-{int(now)}-{secrets.token_hex(3)}", matchers=matchers, starts_at=start,
            ends_at=start + seconds, comment=comment, by=by,
        )  # fmt: skip
        self._save(silence)
        self.audit.record(by, "silence.add", silence.id,
                          {"matchers": matchers, "ends_at": silence.ends_at, "comment": comment})  # fmt: skip
        return silence

    def expire(self, silence_id: str, by: str) -> tuple[Silence, int]:
        """End a silence now; what it held goes out at once. Returns it and how many were released."""
        by = actor(by)
        silence = self.get(silence_id)
        if silence is None:
            raise ValueError(f"no silence {silence_id!r} (list them with `raqib silence list`)")
        now = time.time()
        if silence.ends_at > now:
            silence = replace(silence, ends_at=now, expired_by=by)
            self._save(silence)
        released = self.release(silence.id, now)
        self.audit.record(by, "silence.expire", silence.id, {"released": released})
        return silence, released

    def release(self, silence_id: str, at: float) -> int:
        """Deliveries held by this silence are due at `at` (the clock sends them on)."""
        reason = f"{HELD_PREFIX}{silence_id}:"
        due: dict[str, float] = {}
        for raw, score in cast(
            list[tuple[str, float]], self.client.zrange(self.keys.scheduled, 0, -1, withscores=True)
        ):
            if reason not in raw:  # cheap test first; then read the job to be sure
                continue
            try:
                job = DeliveryJob.from_json(raw)
            except (ValueError, KeyError, TypeError):
                continue
            if (job.held or "").startswith(reason) and score > at:
                due[raw] = at
        if due:
            self.client.zadd(self.keys.scheduled, cast(Any, due), xx=True)
        return len(due)

    def _save(self, silence: Silence) -> None:
        with self.client.pipeline(transaction=True) as pipe:
            pipe.hset(self.key, silence.id, json.dumps(silence.to_json(), ensure_ascii=False))
            pipe.incr(self.keys.silences_version)
            pipe.execute()

    def _forget_ended(self, now: float) -> None:
        old = [s.id for s in self.list() if s.ends_at < now - KEPT_AFTER_END]
        if old:
            self.client.hdel(self.key, *old)

    def get(self, silence_id: str) -> Silence | None:
        raw = self.client.hget(self.key, silence_id)
        return Silence.from_json(json.loads(cast(str, raw))) if raw else None

    def list(self) -> list[Silence]:
        raw = cast(dict[str, str], self.client.hgetall(self.key))
        return sorted((Silence.from_json(json.loads(v)) for v in raw.values()),
                      key=lambda s: (s.ends_at, s.id))  # fmt: skip


class Silencer:
    """The sender's view of the silences: read again only when they changed."""

    def __init__(self, client: redis.asyncio.Redis, keys: Keyspace) -> None:
        self.client = client
        self.keys = keys
        self.version: str | None = None
        self.silences: list[Silence] = []

    async def refresh(self) -> None:
        raw_version = await self.client.get(self.keys.silences_version)
        version = None if raw_version is None else str(raw_version)
        if version == self.version:
            return
        raw = cast(dict[str, str], await self.client.hgetall(self.keys.silences))
        self.silences = [Silence.from_json(json.loads(v)) for v in raw.values()]
        self.version = version

    def holding(self, job: DeliveryJob, now: float) -> Silence | None:
        if not self.silences:
            return None
        return holding(self.silences, job.alerts, now)
