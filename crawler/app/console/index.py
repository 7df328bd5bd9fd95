"""The incident summary index: one short JSON line per incident in Redis, kept in step lazily.

The incident store keeps each incident whole (stories, signatures, tolls): reading 10,000 of
them to list a page is slow. The console keeps a summary of each beside it, written when it
first reads an incident at a given change time, and holds the summaries in memory until the
store's clock moves; then it reads only the summaries of incidents that changed.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any, cast

import redis

from crawler.app.console.keys import ConsoleKeys
from crawler.detect.text.normalise import normalise
from crawler.incidents.incident import Incident
from crawler.incidents.store import CORRECTIONS, MERGED_INTO, VERDICT, IncidentStore, corrected

log = logging.getLogger(__name__)

CHUNK = 1000  # ids per HMGET or pipeline, so one reply stays small
VERSION = 2  # of a stored summary's fields: another is made again from its incident
SKEW = 300.0  # seconds: changes written by a host whose clock is this far behind are still seen
WHOLE_EVERY = 600.0  # and the whole index is read again this often, whatever happened


@dataclass(frozen=True)
class Summary:
    """What the list, the map and the timeline show of an incident."""

    id: str
    changed: float  # when it last changed (the store's index score), epoch seconds
    revision: int
    title: str
    place: str  # the most specific place's Arabic name ("" when none)
    place_en: str
    lat: float | None
    lon: float | None
    places: list[str]  # every place named, Arabic and English names and gazetteer ids
    regions: list[str]
    districts: list[str]
    incident_type: str | None
    killed: int | None
    injured: int | None
    sources: int  # distinct stories
    copies: int
    first_seen: float | None
    day: str | None  # the first event day, ISO
    last_kind: str  # new | update | duplicate …: what the last report did
    last_reasons: list[str]
    attribution: str  # isis | unattributed
    watchlist: str | None
    claimed: bool
    dismissed: str = ""  # an analyst's verdict (not-incident, not-isis) or "merged"; "" if none
    search: str = field(default="", compare=False)  # titles, normalised (not stored)

    @property
    def toll(self) -> int:
        return (self.killed or 0) + (self.injured or 0)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("search")
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any], titles: str = "") -> Summary:
        data = {k: v for k, v in data.items() if k in _FIELDS}
        return cls(**data, search=normalise(titles or data.get("title") or "").lower())


_FIELDS = {f for f in Summary.__dataclass_fields__ if f != "search"}


def summarise(
    incident: Incident,
    changed: float,
    alert: dict[str, Any] | None,
    last: dict[str, Any] | None,
    dismissed: str = "",
) -> tuple[Summary, str]:
    """The summary of an incident at a change time, and the titles its text search looks in."""
    place = incident.place
    day = incident.first_day or (incident.first_seen.date() if incident.first_seen else None)
    titles = " ".join(dict.fromkeys([incident.title, *(s.title for s in incident.stories)]))
    # Detection's tier arrives with the detection issue; until then every incident is ISIS's.
    attribution = getattr(incident, "attribution", None) or (alert or {}).get("attribution")
    summary = Summary(
        id=incident.id,
        changed=changed,
        revision=incident.revision,
        title=incident.title or (incident.stories[0].title if incident.stories else ""),
        place=place.name if place else "",
        place_en=place.en if place else "",
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        places=sorted({n for p in incident.places for n in (p.name, p.en, p.id) if n}),
        regions=sorted({p.region for p in incident.places if p.region}),
        districts=sorted({p.district for p in incident.places if p.district}),
        incident_type=incident.incident_type,
        killed=incident.killed,
        injured=incident.injured,
        sources=len(incident.stories),
        copies=sum(len(s.copies) for s in incident.stories),
        first_seen=incident.first_seen.timestamp() if incident.first_seen else None,
        day=day.isoformat() if day else None,
        last_kind=str((last or {}).get("kind") or "new"),
        last_reasons=list((last or {}).get("reasons") or []),
        attribution=str(attribution or "isis"),
        watchlist=(alert or {}).get("watchlist"),
        claimed=incident.claimed,
        dismissed=dismissed,
    )
    return summary, titles


class IncidentIndex:
    """Every live incident's summary, newest change first; safe to share between threads."""

    def __init__(self, client: redis.Redis, keys: ConsoleKeys, store: IncidentStore) -> None:
        self.client = client
        self.keys = keys
        self.store = store
        self._lock = threading.Lock()
        self._clock: str | None = None
        self._rows: dict[str, Summary] = {}
        self._sorted: list[Summary] = []
        self._absent: set[str] = set()  # in the index, but their incident expired
        self._latest = 0.0  # the latest change time seen
        self._whole_at = 0.0

    def rows(self) -> list[Summary]:
        with self._lock:
            clock = cast(str | None, self.client.get(self.keys.incident_clock)) or "0"
            if clock != self._clock:
                self._refresh()
                self._clock = clock
            return self._sorted

    def _refresh(self) -> None:
        whole = not self._rows or time.monotonic() - self._whole_at > WHOLE_EVERY
        if not whole:
            # Only what changed since the last look (a change moves an incident's score to
            # its writer's clock; SKEW allows for crawler hosts whose clocks disagree) …
            scored = cast(
                list[tuple[str, float]],
                self.client.zrangebyscore(
                    self.keys.incidents, self._latest - SKEW, "+inf", withscores=True
                ),
            )
            self._merge(scored, whole=False)
            # … unless incidents also left the index (expired): then read it whole.
            known = len(self._rows) + len(self._absent)
            if self.client.zcard(self.keys.incidents) == known:
                return
        scored = cast(
            list[tuple[str, float]], self.client.zrange(self.keys.incidents, 0, -1, withscores=True)
        )
        self._merge(scored, whole=True)
        self._whole_at = time.monotonic()

    def _merge(self, scored: list[tuple[str, float]], whole: bool) -> None:
        live = dict(scored)
        stale = [i for i, at in scored if i not in self._rows or self._rows[i].changed != at]
        fresh: dict[str, Summary] = {}
        missing: list[str] = []
        for start in range(0, len(stale), CHUNK):
            ids = stale[start : start + CHUNK]
            raws = cast(list[str | None], self.client.hmget(self.keys.incident_summaries, ids))
            for incident_id, raw in zip(ids, raws, strict=True):
                data = json.loads(raw) if raw else None
                if (
                    data is None
                    or data.get("v") != VERSION
                    or data.get("changed") != live[incident_id]
                ):
                    missing.append(incident_id)
                else:
                    fresh[incident_id] = Summary.from_json(data, data.get("titles", ""))
        for start in range(0, len(missing), CHUNK):
            fresh.update(self._summarise(missing[start : start + CHUNK], live))
        absent = {i for i in missing if i not in fresh}
        if whole:
            rows = {i: r for i, r in self._rows.items() if i in live and i not in stale}
            gone = [i for i in self._rows if i not in live]
            if gone:  # expired from the store: forget their summaries too
                self.client.hdel(self.keys.incident_summaries, *gone)
            self._absent = absent
        else:
            rows = {i: r for i, r in self._rows.items() if i not in stale}
            self._absent = (self._absent - set(fresh)) | absent
        rows.update(fresh)
        if not stale and not whole:
            return
        self._rows = rows
        self._latest = max((at for _, at in scored), default=self._latest)
        self._sorted = sorted(rows.values(), key=lambda r: (r.changed, r.id), reverse=True)

    def _summarise(self, ids: list[str], live: dict[str, float]) -> dict[str, Summary]:
        """Summaries made from the incidents themselves, and written back for the next reader."""
        reads = self.client.pipeline(transaction=False)
        for incident_id in ids:
            reads.hmget(
                self.keys.incident(incident_id),
                ["state", "alert", VERDICT, MERGED_INTO, CORRECTIONS],
            )
            reads.lindex(self.keys.incident_history(incident_id), -1)
        replies = reads.execute()
        made: dict[str, Summary] = {}
        writes: dict[str, str] = {}
        for n, incident_id in enumerate(ids):
            (state, alert, verdict, merged_into, corrections) = replies[2 * n]
            last = replies[2 * n + 1]
            if state is None:  # expired between the index and its hash
                continue
            incident = corrected(Incident.from_json(json.loads(state)), corrections)
            dismissed = (
                json.loads(verdict)["kind"] if verdict else ("merged" if merged_into else "")
            )
            summary, titles = summarise(
                incident, live[incident_id], json.loads(alert) if alert else None,
                json.loads(last) if last else None, dismissed,
            )  # fmt: skip
            made[incident_id] = Summary.from_json(summary.to_json(), titles)
            writes[incident_id] = json.dumps(
                {**summary.to_json(), "titles": titles, "v": VERSION}, ensure_ascii=False
            )
        if writes:
            self.client.hset(self.keys.incident_summaries, mapping=cast(dict[Any, Any], writes))
        return made

    def incidents(self, ids: list[str]) -> list[Incident]:
        return self.store.get_many(ids)
