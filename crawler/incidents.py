"""The incident store: each matching article becomes a new incident or an update of one (first cut)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import cast

import redis

from alerts.keyspace import Keyspace
from alerts.message import Alert, Casualty, PlaceRef, SourceRef
from crawler.detect import Detection
from crawler.feedstate import canonical_url


@dataclass(frozen=True)
class Article:
    """An article as the crawler read it."""

    source: str
    url: str
    title: str
    text: str
    published: datetime | None = None
    summary: str = ""
    entry_key: str = ""


def build_alert(
    article: Article, detection: Detection, incident_id: str, revision: int = 1,
    kind: str = "new", sources: list[SourceRef] | None = None,
    update_reasons: list[str] | None = None,
) -> Alert:  # fmt: skip
    summary = article.summary or article.text[:400]
    return Alert(
        incident_id=incident_id,
        revision=revision,
        kind=kind,  # type: ignore[arg-type]
        update_reasons=update_reasons or [],
        score=detection.score,
        title=article.title,
        summary=summary,
        url=article.url,
        source=article.source,
        published=article.published,
        event_date=detection.event_date.isoformat() if detection.event_date else None,
        places=[
            PlaceRef(name=p.name, lat=p.lat, lon=p.lon, region=p.region or None)
            for p in detection.places
        ],
        incident_type=detection.incident_type,
        killed=detection.killed,
        injured=detection.injured,
        casualties=[
            Casualty(who=c.who, killed=c.killed, injured=c.injured) for c in detection.casualties
        ],
        actors=detection.actors,
        sources=sources
        or [
            SourceRef(
                outlet=article.source,
                url=article.url,
                title=article.title,
                published=article.published,
            )
        ],
        matched=detection.matched[:40],
        why=detection.why,
    )


class IncidentStore:
    def __init__(self, client: redis.Redis, keys: Keyspace) -> None:
        self.client = client
        self.keys = keys

    def record(self, article: Article, detection: Detection) -> Alert | None:
        """The alert to publish for this article, or None when it adds nothing new."""
        incident_id = hashlib.sha1(canonical_url(article.url).encode()).hexdigest()[:16]
        alert = build_alert(article, detection, incident_id)
        created = self.client.hsetnx(
            self.keys.incident(incident_id), "alert", alert.model_dump_json()
        )
        if not created:
            return None
        self.client.zadd(self.keys.incidents, {incident_id: alert.detected_at.timestamp()})
        return alert

    def get(self, incident_id: str) -> Alert | None:
        raw = self.client.hget(self.keys.incident(incident_id), "alert")
        return Alert.model_validate(json.loads(cast(str, raw))) if raw else None
