"""The incident store in Redis: finds candidate incidents, applies the decision atomically, publishes alerts."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any, cast

import redis
from redis.exceptions import WatchError

from alerts.message import Alert, Casualty, PlaceRef, SourceRef
from alerts.spine.keyspace import Keyspace
from crawler.detect import Detection
from crawler.incidents.decision import DEFAULT_RULES, Outcome, Rules, apply, plan, window
from crawler.incidents.evidence import claim_of, confidence_of, evidence_of
from crawler.incidents.incident import Incident
from crawler.incidents.keys import IncidentKeys
from crawler.incidents.markers import target_of
from crawler.incidents.minhash import bands
from crawler.incidents.report import Article, Location, Report, report_of

log = logging.getLogger(__name__)

# Optimistic transactions retry when another crawler process changed incidents meanwhile;
# matching articles are rare, so even this many tries means something is wrong.
MAX_ATTEMPTS = 50
# An alert left in the outbox this long was stranded by a crash between commit and publish
# (younger ones may be in the middle of being published by their own process).
STRANDED_AFTER = 60.0
MAX_SOURCES = 30  # in an alert; `raqib incidents show` lists them all
TEXT_KEPT = 20_000  # characters of each report's text kept for `raqib feedback export`
# Fields an analyst's feedback sets on an incident's hash (crawler/incidents/feedback.py):
VERDICT = "verdict"  # not-incident | not-isis: it sends nothing more and leaves the default list
CORRECTIONS = "corrections"  # the place or toll an analyst set, laid over what reports say
MERGED_INTO = "merged_into"  # the incident it was merged into: later reports go there


def build_alert(
    article: Article,
    detection: Detection,
    outcome: Outcome,
    outlet_titles: Mapping[str, str] | None = None,
) -> Alert:
    """The message for subscribers: the incident as it now stands, told through this article.
    `outlet_titles` names each source as its readers know it (the catalogue's `title`)."""
    titles = outlet_titles or {}
    incident, decision = outcome.incident, outcome.decision
    changed = ["what changed: " + "; ".join(outcome.event.changes)] if outcome.event.changes else []
    return Alert(
        incident_id=incident.id,
        revision=incident.revision,
        kind="update" if decision.kind == "update" else "new",
        update_reasons=list(decision.reasons),
        score=incident.score,
        title=article.title,
        summary=article.summary or article.text[:400],
        url=article.url,
        source=article.source,
        published=article.published,
        event_date=incident.first_day.isoformat() if incident.first_day else None,
        places=[
            PlaceRef(
                name=p.name,
                lat=p.lat,
                lon=p.lon,
                region=p.region or None,
                name_en=p.en or None,
                region_en=p.region_en or None,
            )
            for p in incident.places
        ],
        incident_type=incident.incident_type,
        killed=incident.killed,
        injured=incident.injured,
        casualties=[
            Casualty(who=c.who, killed=c.killed, injured=c.injured) for c in detection.casualties
        ],
        actors=detection.actors,
        sources=[
            SourceRef(
                outlet=s.outlet,
                url=s.url,
                title=s.title or None,
                published=s.published,
                outlet_title=titles.get(s.outlet),
            )
            for s in incident.stories[:MAX_SOURCES]
        ],
        matched=detection.matched[:40],
        why=[*changed, *decision.why, *detection.why],
        watchlist=detection.watchlist,
        attribution="unattributed" if incident.attribution == "unattributed" else "isis",
        confidence=confidence_of(incident.score, incident.attribution),
        target=target_of(detection),
        claim=claim_of(detection, incident.claimed),
        evidence=evidence_of(article, detection),
    )


def _day_score(day: date) -> float:
    return float(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _url_hash(url: str) -> str:
    return hashlib.sha1(url.encode()).hexdigest()


class IncidentStore:
    """Incidents in Redis, shared by every crawler process.

    Every write goes through one optimistic transaction guarded by a clock key, so two
    processes reading reports of the same new event cannot both open an incident for it.
    """

    def __init__(
        self,
        client: redis.Redis,
        keys: Keyspace,
        rules: Rules = DEFAULT_RULES,
        outlet_titles: Mapping[str, str] | None = None,
    ) -> None:
        self.client = client
        self.outlet_titles = dict(outlet_titles or {})
        self.keys = IncidentKeys(keys.prefix)
        self.rules = rules
        self.retention = rules.retention_days * 86400

    # -- recording ------------------------------------------------------------------------------

    def record(
        self, article: Article, detection: Detection, seen: datetime | None = None
    ) -> Alert | None:
        """Cluster a matching article; the alert it caused, already on the stream, or None."""
        self.flush_outbox()
        report = report_of(article, detection, seen or datetime.now(UTC))
        outcome, alert = self._commit(report, article, detection)
        log.debug("%s → %s %s %s", article.url, outcome.decision.kind,
                  outcome.incident.id, outcome.decision.why)  # fmt: skip
        if alert is not None:
            self._publish(alert)
        return alert

    def _commit(
        self, report: Report, article: Article, detection: Detection
    ) -> tuple[Outcome, Alert | None]:
        keys = self.keys
        for _ in range(MAX_ATTEMPTS):
            with self.client.pipeline(transaction=True) as pipe:
                try:
                    pipe.watch(keys.incident_clock)  # type: ignore[no-untyped-call]
                    outcome = self._plan(report)
                    if not outcome.changed:
                        pipe.unwatch()
                        return outcome, None
                    alert = None
                    if outcome.alerts and not self.dismissed(outcome.incident.id):
                        alert = build_alert(article, detection, outcome, self.outlet_titles)
                    expired = self._expired()
                    pipe.multi()
                    self._write(pipe, report, outcome, alert, expired)
                    self._keep_text(pipe, outcome.incident.id, report, article)
                    pipe.execute()
                    return outcome, alert
                except WatchError:
                    continue
        raise RuntimeError(
            f"incident store: {MAX_ATTEMPTS} transactions on {keys.incident_clock} were "
            "interrupted by other writers; is something rewriting incidents in a loop?"
        )

    def _expired(self) -> list[str]:
        """Incidents not written to for the retention time: their keys have expired."""
        cutoff = time.time() - self.retention
        return cast(
            list[str], self.client.zrangebyscore(self.keys.incidents, "-inf", cutoff, 0, 100)
        )

    def _write(
        self, pipe: Any, report: Report, outcome: Outcome, alert: Alert | None, expired: list[str]
    ) -> None:  # fmt: skip
        keys, incident, ttl = self.keys, outcome.incident, self.retention
        now = time.time()
        pipe.incr(keys.incident_clock)
        key = keys.incident(incident.id)
        fields = {"state": json.dumps(incident.to_json(), ensure_ascii=False)}
        if alert is not None:
            fields["alert"] = alert.model_dump_json()
        pipe.hset(key, mapping=fields)
        pipe.expire(key, ttl)
        history = keys.incident_history(incident.id)
        pipe.rpush(history, json.dumps(outcome.event.to_json(), ensure_ascii=False))
        pipe.expire(history, ttl)
        # Scored by when it last changed: `raqib incidents` lists the latest, expiry follows it.
        pipe.zadd(keys.incidents, {incident.id: now})
        last_day = incident.last_day
        pipe.zadd(keys.incident_days, {incident.id: _day_score(last_day) if last_day else now})
        for bucket in bands(report.signature):
            pipe.sadd(keys.incident_band(bucket), incident.id)
            pipe.expire(keys.incident_band(bucket), ttl)
        pipe.set(keys.incident_url(_url_hash(report.url)), incident.id, ex=ttl)
        if alert is not None:
            entry = {"at": now, "fields": alert.to_fields()}
            pipe.hset(keys.incident_outbox, alert.key, json.dumps(entry, ensure_ascii=False))
        # Forget expired incidents in the indexes too, so these do not grow without end (an id
        # can come back: the same address after its incident expired opens it anew).
        expired = [i for i in expired if i != incident.id]
        if expired:
            pipe.zrem(keys.incidents, *expired)
            pipe.zrem(keys.incident_days, *expired)

    def _keep_text(self, pipe: Any, incident_id: str, report: Report, article: Article) -> None:
        # What the report said, so analysts' corrections can become labelled test data.
        texts = self.keys.incident_texts(incident_id)
        kept = {"url": article.url, "source": article.source, "title": article.title,
                "text": article.text[:TEXT_KEPT],
                "published": article.published.isoformat() if article.published else None}  # fmt: skip
        pipe.hset(texts, _url_hash(report.url), json.dumps(kept, ensure_ascii=False))
        pipe.expire(texts, self.retention)

    def dismissed(self, incident_id: str) -> str | None:
        """The analyst's verdict that it is no ISIS incident (not-incident | not-isis), or None."""
        raw = self.client.hget(self.keys.incident(incident_id), VERDICT)
        return str(json.loads(cast(str, raw))["kind"]) if raw else None

    # -- the stream -----------------------------------------------------------------------------

    def _publish(self, alert: Alert) -> None:
        # The alert is committed in the outbox with the incident (same hash slot); the stream
        # lives in another slot, so it is published after, and then taken out of the outbox.
        self.client.xadd(self.keys.matches, cast(dict[Any, Any], alert.to_fields()))
        self.client.hdel(self.keys.incident_outbox, alert.key)

    def flush_outbox(self, older_than: float = STRANDED_AFTER) -> int:
        """Publish alerts a crash left between commit and stream; returns how many."""
        outbox = self.keys.incident_outbox
        if not self.client.hlen(outbox):
            return 0
        entries = {
            key: json.loads(raw)
            for key, raw in cast(dict[str, str], self.client.hgetall(outbox)).items()
        }
        published = 0
        for alert_key, entry in sorted(entries.items(), key=lambda item: float(item[1]["at"])):
            if time.time() - float(entry["at"]) < older_than:
                continue
            # A duplicate on the stream is harmless: delivery is idempotent per (incident, revision).
            self.client.xadd(self.keys.matches, cast(dict[Any, Any], entry["fields"]))
            self.client.hdel(outbox, alert_key)
            log.warning("published alert %s left in the outbox by an interrupted crawl", alert_key)
            published += 1
        return published

    # -- reading --------------------------------------------------------------------------------

    def _plan(self, report: Report) -> Outcome:
        """The decision on the incidents as stored; a report that belongs to an incident an
        analyst merged into another goes to that other."""
        ids = self._candidate_ids(report)
        found = self.get_many(ids, merged=True)
        redirects = self._merged_into([i.id for i in found])
        outcome = plan(report, found, self.rules)
        target = redirects.get(outcome.decision.incident_id)
        if target is None:
            return outcome
        into = self.get_many([target])
        if not into:  # the merged-into incident expired: the report stays with its own
            return outcome
        return apply(report, replace(outcome.decision, incident_id=into[0].id), into, self.rules)

    def _merged_into(self, ids: list[str]) -> dict[str, str]:
        reads = self.client.pipeline(transaction=False)
        for incident_id in ids:
            reads.hget(self.keys.incident(incident_id), MERGED_INTO)
        return {i: t for i, t in zip(ids, reads.execute(), strict=True) if t}

    def candidates(self, report: Report) -> list[Incident]:
        """Incidents the report could belong to (a merged one stands for the one it joined)."""
        return self.get_many(self._candidate_ids(report))

    def _candidate_ids(self, report: Report) -> list[str]:
        """Incidents the report could belong to: in its time window, sharing a MinHash band, or its URL.

        A superset: `plan` applies the rules; these indexes only spare it reading every incident.
        """
        keys = self.keys
        day = report.day
        ids: set[str] = set()
        if day is None:
            ids.update(cast(list[str], self.client.zrange(keys.incidents, 0, -1)))
        for around in report.days:
            low, high = window(around, self.rules)
            ids.update(
                cast(
                    list[str],
                    self.client.zrangebyscore(
                        keys.incident_days, _day_score(low), _day_score(high)
                    ),
                )
            )
        reads = self.client.pipeline(transaction=False)
        buckets = bands(report.signature)
        for bucket in buckets:
            reads.smembers(keys.incident_band(bucket))
        reads.get(keys.incident_url(_url_hash(report.url)))
        replies = reads.execute()
        for members in replies[: len(buckets)]:
            ids.update(cast(set[str], members))
        if replies[-1]:
            ids.add(cast(str, replies[-1]))
        return sorted(ids)

    def get_many(self, ids: Iterable[str], merged: bool = False) -> list[Incident]:
        """The incidents, with an analyst's corrections laid over them; one merged into another
        stands for that other (once), unless `merged` asks for it as it is."""
        ids = list(ids)
        if not ids:
            return []
        reads = self.client.pipeline(transaction=False)
        for incident_id in ids:
            reads.hmget(self.keys.incident(incident_id), ["state", CORRECTIONS, MERGED_INTO])
        found: list[Incident] = []
        targets: list[str] = []
        for state, corrections, merged_into in reads.execute():
            if state is None:
                continue
            if merged_into and not merged:
                targets.append(merged_into)
                continue
            found.append(corrected(Incident.from_json(json.loads(state)), corrections))
        have = {i.id for i in found}
        targets = [t for t in dict.fromkeys(targets) if t not in have and t not in ids]
        if targets:
            found += self.get_many(targets)
        return found

    def get(self, incident_id: str) -> Incident | None:
        """This incident (even when it was merged into another)."""
        found = self.get_many([incident_id], merged=True)
        return found[0] if found else None

    def feedback_on(self, incident_id: str) -> dict[str, Any]:
        """What analysts said of it: verdict (not-incident | not-isis), corrections, merged_into."""
        fields = [VERDICT, CORRECTIONS, MERGED_INTO]
        values = cast(list[str | None], self.client.hmget(self.keys.incident(incident_id), fields))
        out: dict[str, Any] = {}
        for name, value in zip(fields, values, strict=True):
            if value:
                out[name] = value if name == MERGED_INTO else json.loads(value)
        return out

    def history(self, incident_id: str) -> list[dict[str, Any]]:
        raw = cast(list[str], self.client.lrange(self.keys.incident_history(incident_id), 0, -1))
        return [json.loads(line) for line in raw]

    def recent(self, limit: int = 20, dismissed: bool = False) -> list[Incident]:
        """The incidents that changed most recently, latest first; without those an analyst
        dismissed (not an incident, not ISIS) or merged into another, unless `dismissed`."""
        out: list[Incident] = []
        start = 0
        while len(out) < limit:
            ids = cast(list[str], self.client.zrevrange(self.keys.incidents, start, start + 99))
            if not ids:
                break
            start += len(ids)
            reads = self.client.pipeline(transaction=False)
            for incident_id in ids:
                reads.hmget(self.keys.incident(incident_id), [VERDICT, MERGED_INTO])
            shown = [
                i for i, (verdict, merged_into) in zip(ids, reads.execute(), strict=True)
                if dismissed or not (verdict or merged_into)
            ]  # fmt: skip
            out += self.get_many(shown, merged=True)
        return out[:limit]


def corrected(incident: Incident, corrections: str | None) -> Incident:
    """The incident with the place and toll an analyst set instead of what reports said."""
    if not corrections:
        return incident
    data = json.loads(corrections)
    changes: dict[str, Any] = {}
    if data.get("place"):
        place = Location.from_json(data["place"])
        changes["places"] = (place, *(p for p in incident.places if p.id != place.id))
    for field in ("killed", "injured"):
        if field in data:
            changes[field] = data[field]
    return replace(incident, **changes)
