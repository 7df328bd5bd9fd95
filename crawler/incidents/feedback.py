"""Analysts' feedback on incidents: false alarms, another actor, the right place or toll, merges,
splits; each stored with who and when, applied to the incident, undoable, and exportable as
labelled lines for `raqib eval`."""

from __future__ import annotations

import itertools
import json
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, cast

from redis.exceptions import WatchError

from alerts.audit import AuditLog, actor
from alerts.message import Alert, SourceRef
from alerts.spine.cleaning import clean_text
from crawler.incidents.incident import Incident
from crawler.incidents.report import Location
from crawler.incidents.store import (
    CORRECTIONS,
    MAX_SOURCES,
    MERGED_INTO,
    VERDICT,
    IncidentStore,
    _url_hash,
)

KINDS = ("not-incident", "not-isis", "place", "toll", "merge", "split")
DISMISSALS = ("not-incident", "not-isis")
MAX_FEEDBACK = 50_000  # kept, the oldest forgotten first
MAX_ATTEMPTS = 50


class FeedbackError(ValueError):
    """Feedback that cannot be applied: the message says why and what to do."""


@dataclass(frozen=True)
class Feedback:
    id: str
    kind: str
    incident: str
    by: str
    at: float
    comment: str = ""
    value: dict[str, Any] = field(default_factory=dict)  # place, killed/injured, into, url, new
    previous: dict[str, Any] = field(default_factory=dict)  # what undo puts back
    undone: dict[str, Any] | None = None  # {by, at} once undone

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "incident": self.incident, "by": self.by,
            "at": self.at, "comment": self.comment, "value": self.value,
            "previous": self.previous, "undone": self.undone,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Feedback:
        return cls(
            id=data["id"], kind=data["kind"], incident=data["incident"], by=data["by"],
            at=float(data["at"]), comment=data.get("comment") or "",
            value=data.get("value") or {}, previous=data.get("previous") or {},
            undone=data.get("undone"),
        )  # fmt: skip

    def summary(self) -> dict[str, Any]:
        out = self.to_json()
        out.pop("previous")
        out["at"] = datetime.fromtimestamp(self.at, UTC).isoformat(timespec="seconds")
        return out

    def describe(self) -> str:
        what = {
            "not-incident": "not an incident",
            "not-isis": "not ISIS (another actor)",
            "place": f"place is {self.value.get('place', {}).get('name', '?')}",
            "toll": f"toll is {self.value.get('killed')} killed, {self.value.get('injured')} injured",
            "merge": f"the same as incident {self.value.get('into')}",
            "split": f"report {self.value.get('url')} is another incident ({self.value.get('new')})",
        }[self.kind]
        return what


class FeedbackStore:
    """Feedback in Redis beside the incidents (the {inc} slot: one transaction does both)."""

    def __init__(self, store: IncidentStore, audit: AuditLog) -> None:
        self.store = store
        self.client = store.client
        self.keys = store.keys
        self.audit = audit

    # -- giving feedback ------------------------------------------------------------------------

    def give(
        self, kind: str, incident_id: str, by: str, comment: str = "", **value: Any
    ) -> Feedback:
        """Apply one piece of feedback; FeedbackError when it cannot be."""
        if kind not in KINDS:
            raise FeedbackError(f"no feedback {kind!r}; one of {', '.join(KINDS)}")
        by = actor(by)
        comment = clean_text(comment, one_line=True)[:1000]
        value = {
            k: clean_text(v, one_line=True) if isinstance(v, str) else v for k, v in value.items()
        }
        now = time.time()
        feedback = Feedback(
            id=f"fb-{int(now * 1000)}-{secrets.token_hex(3)}", kind=kind,
            incident=incident_id, by=by, at=now, comment=comment, value=value,
        )  # fmt: skip
        applied, alert = self._transact(lambda pipe: self._apply(pipe, feedback))
        if alert is not None:
            self.store._publish(alert)
        self.audit.record(by, f"feedback.{kind}", incident_id,
                          {"feedback": applied.id, "comment": comment, **value})  # fmt: skip
        return applied

    def undo(self, feedback_id: str, by: str, comment: str = "") -> Feedback:
        by = actor(by)
        undone, _ = self._transact(lambda pipe: self._undo(pipe, feedback_id, by))
        self.audit.record(
            by, "feedback.undo", undone.incident,
            {"feedback": feedback_id, "kind": undone.kind, "comment": comment},
        )  # fmt: skip
        return undone

    def _transact(self, step: Any) -> tuple[Feedback, Alert | None]:
        for _ in range(MAX_ATTEMPTS):
            with self.client.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(self.keys.incident_clock)  # type: ignore[no-untyped-call]
                    writes, feedback, alert = step(pipe)
                    pipe.multi()
                    pipe.incr(self.keys.incident_clock)
                    for write in writes:
                        write(pipe)
                    # Feedback is a change of its incident: readers that follow change times
                    # (the console's summaries) see the verdict, correction or undo.
                    pipe.zadd(self.keys.incidents, {feedback.incident: time.time()}, xx=True)
                    self._keep(pipe, feedback)
                    if alert is not None:
                        entry = {"at": time.time(), "fields": alert.to_fields()}
                        pipe.hset(self.keys.incident_outbox, alert.key,
                                  json.dumps(entry, ensure_ascii=False))  # fmt: skip
                    pipe.execute()
                    return feedback, alert
                except WatchError:
                    continue
        raise RuntimeError("feedback: incidents kept changing; try again")

    def _keep(self, pipe: Any, feedback: Feedback) -> None:
        pipe.hset(
            self.keys.feedback, feedback.id, json.dumps(feedback.to_json(), ensure_ascii=False)
        )
        pipe.zadd(self.keys.feedback_times, {feedback.id: feedback.at})
        for incident_id in _concerns(feedback):
            pipe.zadd(self.keys.feedback_of(incident_id), {feedback.id: feedback.at})
        count = int(self.client.zcard(self.keys.feedback_times))
        if count >= MAX_FEEDBACK:
            oldest = cast(
                list[str], self.client.zrange(self.keys.feedback_times, 0, count - MAX_FEEDBACK)
            )
            for raw in cast(list[str | None], self.client.hmget(self.keys.feedback, oldest)):
                if raw:
                    old = Feedback.from_json(json.loads(raw))
                    for incident_id in _concerns(old):
                        pipe.zrem(self.keys.feedback_of(incident_id), old.id)
            pipe.zrem(self.keys.feedback_times, *oldest)
            pipe.hdel(self.keys.feedback, *oldest)

    def _incident(self, incident_id: str) -> tuple[Incident, dict[str, str]]:
        key = self.keys.incident(incident_id)
        fields = cast(dict[str, str], self.client.hgetall(key))
        if "state" not in fields:
            raise FeedbackError(f"no incident {incident_id!r} (list them with `raqib incidents`)")
        return Incident.from_json(json.loads(fields["state"])), fields

    def _apply(self, pipe: Any, fb: Feedback) -> tuple[list[Any], Feedback, Alert | None]:
        incident, fields = self._incident(fb.incident)
        key = self.keys.incident(fb.incident)
        if fields.get(MERGED_INTO):
            raise FeedbackError(
                f"incident {fb.incident} was merged into {fields[MERGED_INTO]}: give feedback there"
            )
        if fb.kind in DISMISSALS:
            verdict = json.dumps({"kind": fb.kind, "feedback": fb.id, "by": fb.by, "at": fb.at})
            fb = replace(fb, previous={VERDICT: fields.get(VERDICT)})
            return [lambda p: p.hset(key, VERDICT, verdict)], fb, None
        if fb.kind in ("place", "toll"):
            corrections = json.loads(fields.get(CORRECTIONS) or "{}")
            if fb.kind == "place":
                corrections["place"] = fb.value["place"]
            else:
                corrections.update({k: fb.value.get(k) for k in ("killed", "injured")})
            fb = replace(fb, previous={CORRECTIONS: fields.get(CORRECTIONS)})
            text = json.dumps(corrections, ensure_ascii=False)
            return [lambda p: p.hset(key, CORRECTIONS, text)], fb, None
        if fb.kind == "merge":
            return self._merge(fb, incident, fields)
        return self._split(fb, incident, fields)

    def _merge(
        self, fb: Feedback, incident: Incident, fields: dict[str, str]
    ) -> tuple[list[Any], Feedback, Alert | None]:
        into_id = str(fb.value.get("into") or "")
        if into_id == incident.id:
            raise FeedbackError("an incident cannot be merged into itself")
        into, into_fields = self._incident(into_id)
        if into_fields.get(MERGED_INTO):
            raise FeedbackError(
                f"incident {into_id} was itself merged into {into_fields[MERGED_INTO]}"
            )
        known = into.urls
        added = tuple(s for s in incident.stories if s.url not in known)
        merged = replace(
            into, revision=into.revision + 1, stories=(*into.stories, *added),
            first_seen=_earliest(into.first_seen, incident.first_seen),
            last_seen=_latest(into.last_seen, incident.last_seen),
            first_day=_earliest(into.first_day, incident.first_day),
            last_day=_latest(into.last_day, incident.last_day),
            claimed=into.claimed or incident.claimed,
        )  # fmt: skip
        fb = replace(fb, value={**fb.value, "added": [s.url for s in added]})
        why = f"merged by {fb.by}: incident {incident.id} is the same as this one"
        alert = None
        if not into_fields.get(VERDICT):
            alert = self._alert(merged, into_fields, incident, why, merged_from=[incident.id])
        writes = self._state_writes(merged, into_fields, "merge", why, alert, fb)
        writes.append(lambda p: p.hset(self.keys.incident(incident.id), MERGED_INTO, into_id))
        for story in incident.stories:
            url_key = self.keys.incident_url(_url_hash(story.url))
            writes.append(lambda p, k=url_key: p.set(k, into_id, ex=self.store.retention))
        # Its texts go along, so the export finds them under the incident they now belong to.
        for url_hash, raw in cast(
            dict[str, str], self.client.hgetall(self.keys.incident_texts(incident.id))
        ).items():
            texts = self.keys.incident_texts(into_id)
            writes.append(lambda p, h=url_hash, v=raw, t=texts: p.hsetnx(t, h, v))
        return writes, fb, alert

    def _split(
        self, fb: Feedback, incident: Incident, fields: dict[str, str]
    ) -> tuple[list[Any], Feedback, Alert | None]:
        url = str(fb.value.get("url") or "")
        story = next((s for s in incident.stories if url in s.urls), None)
        if story is None:
            raise FeedbackError(
                f"incident {incident.id} has no report {url!r} (see `raqib incidents show {incident.id}`)"
            )
        if len(incident.stories) == 1:
            raise FeedbackError(f"report {url} is incident {incident.id}'s only story")
        new_id = f"{incident.id}-split-{_url_hash(story.url)[:6]}"
        rest = tuple(s for s in incident.stories if s is not story)
        left = replace(incident, revision=incident.revision + 1, stories=rest)
        alone = replace(
            incident, id=new_id, revision=1, stories=(story,), title=story.title,
            first_seen=story.seen or story.published, last_seen=story.seen or story.published,
            tolls=tuple(t for t in incident.tolls if t.url in story.urls),
        )  # fmt: skip
        fb = replace(fb, value={**fb.value, "url": story.url, "new": new_id})
        why = f"split by {fb.by}: report {story.url} is another incident ({new_id})"
        writes = self._state_writes(left, fields, "split", why, None, fb)
        alert = None
        if not fields.get(VERDICT):
            alert = self._alert(
                alone, fields, None, f"split by {fb.by} from incident {incident.id}"
            )
        writes += self._state_writes(alone, {}, "split", why, alert, fb)
        writes.append(lambda p: p.zadd(self.keys.incidents, {new_id: time.time()}))
        day = alone.last_day
        if day is not None:
            score = datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()
            writes.append(lambda p: p.zadd(self.keys.incident_days, {new_id: score}))
        for each in story.urls:
            url_key = self.keys.incident_url(_url_hash(each))
            writes.append(lambda p, k=url_key: p.set(k, new_id, ex=self.store.retention))
        return writes, fb, alert

    def _state_writes(
        self, incident: Incident, fields: dict[str, str], kind: str, why: str,
        alert: Alert | None, fb: Feedback,
    ) -> list[Any]:  # fmt: skip
        key = self.keys.incident(incident.id)
        history = self.keys.incident_history(incident.id)
        state = json.dumps(incident.to_json(), ensure_ascii=False)
        event = json.dumps({
            "at": datetime.fromtimestamp(fb.at, UTC).isoformat(), "kind": kind,
            "revision": incident.revision, "reasons": [kind], "outlet": f"feedback by {fb.by}",
            "url": "", "title": fb.comment, "killed": incident.killed, "injured": incident.injured,
            "copy_of": None, "why": [why], "changes": [],
        }, ensure_ascii=False)  # fmt: skip
        ttl = self.store.retention
        mapping = {"state": state}
        if alert is not None:
            mapping["alert"] = alert.model_dump_json()
        return [
            lambda p: p.hset(key, mapping=mapping),
            lambda p: p.expire(key, ttl),
            lambda p: p.rpush(history, event),
            lambda p: p.expire(history, ttl),
        ]

    def _alert(
        self, incident: Incident, fields: dict[str, str], merged: Incident | None, why: str,
        merged_from: list[str] | None = None,
    ) -> Alert | None:  # fmt: skip
        """The incident's last alert, told again as this revision and why it changed."""
        raw = fields.get("alert")
        if not raw:
            return None
        last = Alert.model_validate_json(raw)
        first = incident.stories[0]
        changes: dict[str, Any] = {
            "incident_id": incident.id, "revision": incident.revision,
            "kind": "new" if incident.revision == 1 else "update",
            "update_reasons": [] if incident.revision == 1 else ["merge" if merged else "split"],
            "sources": [
                SourceRef(outlet=s.outlet, url=s.url, title=s.title or None, published=s.published)
                for s in incident.stories[:MAX_SOURCES]
            ],
            "why": [why, *last.why[:3]],
            "detected_at": datetime.now(UTC),
        }  # fmt: skip
        if incident.revision == 1:
            changes.update(title=incident.title or first.title, url=first.url,
                           source=first.outlet, published=first.published)  # fmt: skip
        if merged_from:
            changes["merged_from"] = merged_from
        return last.model_copy(update=changes)

    # -- undoing --------------------------------------------------------------------------------

    def _undo(self, pipe: Any, feedback_id: str, by: str) -> tuple[list[Any], Feedback, None]:
        fb = self.get(feedback_id)
        if fb is None:
            raise FeedbackError(f"no feedback {feedback_id!r} (list it with `raqib feedback list`)")
        if fb.undone:
            raise FeedbackError(f"feedback {feedback_id} was undone already")
        key = self.keys.incident(fb.incident)
        writes: list[Any] = []
        if fb.kind in DISMISSALS:
            current = self.client.hget(key, VERDICT)
            if not current or json.loads(current).get("feedback") != fb.id:
                raise FeedbackError(f"feedback {feedback_id} was replaced by later feedback")
            before = fb.previous.get(VERDICT)
            if before is None:
                writes.append(lambda p: p.hdel(key, VERDICT))
            else:
                writes.append(lambda p: p.hset(key, VERDICT, before))
        elif fb.kind in ("place", "toll"):
            # Only what this feedback set goes back; later corrections of other fields stay.
            earlier = json.loads(fb.previous.get(CORRECTIONS) or "{}")
            now = json.loads(cast(str | None, self.client.hget(key, CORRECTIONS)) or "{}")
            for name in ("place",) if fb.kind == "place" else ("killed", "injured"):
                if name in earlier:
                    now[name] = earlier[name]
                else:
                    now.pop(name, None)
            if now:
                text = json.dumps(now, ensure_ascii=False)
                writes.append(lambda p: p.hset(key, CORRECTIONS, text))
            else:
                writes.append(lambda p: p.hdel(key, CORRECTIONS))
        elif fb.kind == "merge":
            into_id = str(fb.value["into"])
            into, fields = self._incident(into_id)
            added = set(fb.value.get("added") or ())
            back = replace(into, revision=into.revision + 1,
                           stories=tuple(s for s in into.stories if s.url not in added))  # fmt: skip
            writes += self._state_writes(back, fields, "unmerge", f"merge {fb.id} undone by {by}",
                                         None, replace(fb, by=by, at=time.time()))  # fmt: skip
            writes.append(lambda p: p.hdel(key, MERGED_INTO))
            incident, _ = self._incident(fb.incident)
            for story in incident.stories:
                url_key = self.keys.incident_url(_url_hash(story.url))
                writes.append(lambda p, k=url_key: p.set(k, fb.incident, ex=self.store.retention))
        else:  # split: the report goes back where it was
            new_id = str(fb.value["new"])
            alone, _ = self._incident(new_id)
            incident, fields = self._incident(fb.incident)
            known = incident.urls
            back = replace(incident, revision=incident.revision + 1,
                           stories=(*incident.stories, *(s for s in alone.stories if s.url not in known)))  # fmt: skip
            writes += self._state_writes(back, fields, "unsplit", f"split {fb.id} undone by {by}",
                                         None, replace(fb, by=by, at=time.time()))  # fmt: skip
            writes.append(lambda p: p.hset(self.keys.incident(new_id), MERGED_INTO, fb.incident))
            for story in alone.stories:
                for each in story.urls:
                    url_key = self.keys.incident_url(_url_hash(each))
                    writes.append(
                        lambda p, k=url_key: p.set(k, fb.incident, ex=self.store.retention)
                    )
        undone = replace(fb, undone={"by": by, "at": time.time()})
        return writes, undone, None

    # -- reading --------------------------------------------------------------------------------

    def get(self, feedback_id: str) -> Feedback | None:
        raw = self.client.hget(self.keys.feedback, feedback_id)
        return Feedback.from_json(json.loads(cast(str, raw))) if raw else None

    def list(self, incident_id: str | None = None, limit: int = 100) -> list[Feedback]:
        """The latest feedback first (of one incident, by its index, or all)."""
        if incident_id is None:
            return list(itertools.islice(self._all(latest_first=True), limit))
        if not self.client.exists(self.keys.feedback_indexed):
            self._index_all()
        ids = cast(
            list[str], self.client.zrevrange(self.keys.feedback_of(incident_id), 0, limit - 1)
        )
        if not ids:
            return []
        raws = cast(list[str | None], self.client.hmget(self.keys.feedback, ids))
        return [Feedback.from_json(json.loads(raw)) for raw in raws if raw]

    def _index_all(self) -> None:
        """Feedback kept before the per-incident indexes existed: index it once."""
        with self.client.pipeline(transaction=False) as pipe:
            for fb in self._all():
                for incident_id in _concerns(fb):
                    pipe.zadd(self.keys.feedback_of(incident_id), {fb.id: fb.at})
            pipe.set(self.keys.feedback_indexed, "1")
            pipe.execute()

    def _all(self, latest_first: bool = False) -> Iterator[Feedback]:
        ids = cast(list[str], self.client.zrange(self.keys.feedback_times, 0, -1))
        if latest_first:
            ids.reverse()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for raw in cast(list[str | None], self.client.hmget(self.keys.feedback, chunk)):
                if raw:
                    yield Feedback.from_json(json.loads(raw))

    def export(self) -> Iterator[dict[str, Any]]:
        """Each report of an incident that analysts corrected, labelled as they said, in the
        eval format (one line per report, the latest word on it)."""
        lines: dict[str, dict[str, Any]] = {}
        for fb in self._all():
            if fb.undone:
                continue
            for incident_id in (fb.incident, fb.value.get("into"), fb.value.get("new")):
                if not incident_id:
                    continue
                for line in self._labelled(str(incident_id), fb):
                    lines[line["url"]] = line
        yield from lines.values()

    def _labelled(self, incident_id: str, fb: Feedback) -> Iterator[dict[str, Any]]:
        found = self.store.get_many([incident_id], merged=True)
        if not found:
            return
        incident = found[0]
        fields = cast(
            list[str | None],
            self.client.hmget(self.keys.incident(incident_id), [VERDICT, MERGED_INTO]),
        )
        verdict = json.loads(fields[0])["kind"] if fields[0] else None
        cluster = fields[1] or incident_id
        texts = cast(dict[str, str], self.client.hgetall(self.keys.incident_texts(incident_id)))
        for story in incident.stories:
            raw = texts.get(_url_hash(story.url))
            if raw is None:
                continue
            kept = json.loads(raw)
            yield {
                "id": f"fb-{_url_hash(story.url)[:12]}",
                "class": f"feedback:{verdict or 'incident'}",
                "is_incident": verdict is None,
                "title": kept.get("title"), "text": kept["text"], "text_kind": "full",
                "source": kept.get("source"), "url": story.url, "published": kept.get("published"),
                "locations": [p.name for p in incident.places[:1]] if verdict is None else [],
                "incident_type": incident.incident_type if verdict is None else None,
                "killed": incident.killed if verdict is None else None,
                "injured": incident.injured if verdict is None else None,
                "borderline": False, "event_cluster": cluster,
                "notes": f"feedback {fb.id} by {fb.by}: {fb.describe()}"
                + (f" ({fb.comment})" if fb.comment else ""),
                "event_date_hint": None,
            }  # fmt: skip


def _concerns(feedback: Feedback) -> set[str]:
    """The incidents a piece of feedback is about: its own, and one merged into or split off."""
    found = {feedback.incident}
    for key in ("into", "new"):
        other = feedback.value.get(key)
        if isinstance(other, str) and other:
            found.add(other)
    return found


def place_of(name: str, gazetteer: Any) -> dict[str, Any]:
    """A gazetteer place by its id or any of its names, as stored with an incident."""
    place = next((p for p in gazetteer.places if p.id == name), None) or gazetteer.lookup(name)
    if place is None:
        raise FeedbackError(f"no place {name!r} in the gazetteer (Arabic or English names)")
    return Location.of(place).to_json()


def _earliest(a: Any, b: Any) -> Any:
    return min(x for x in (a, b) if x is not None) if (a or b) else None


def _latest(a: Any, b: Any) -> Any:
    return max(x for x in (a, b) if x is not None) if (a or b) else None
