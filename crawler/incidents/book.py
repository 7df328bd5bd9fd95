"""Incidents held in memory for an offline stream of reports (`raqib scan --jsonl --cluster`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.detect import Detection, Document
from crawler.detect.parse import parse_published
from crawler.incidents.decision import DEFAULT_RULES, Outcome, Rules, plan
from crawler.incidents.incident import Incident
from crawler.incidents.report import Article, report_of


class IncidentBook:
    """The daemon's decision (`plan`) over every incident so far, in memory instead of Redis.

    Every incident is a candidate: `plan` applies the time window and the place rules itself,
    so the answer is the daemon's; the daemon only narrows candidates with indexes first.
    """

    def __init__(self, rules: Rules = DEFAULT_RULES) -> None:
        self.rules = rules
        self.incidents: dict[str, Incident] = {}

    def observe(self, article: Article, detection: Detection, seen: datetime | None) -> Outcome:
        report = report_of(article, detection, seen)
        outcome = plan(report, list(self.incidents.values()), self.rules)
        if outcome.changed:
            self.incidents[outcome.incident.id] = outcome.incident
        return outcome

    def scan_line(
        self, line: Mapping[str, Any], doc: Document, detection: Detection
    ) -> dict[str, Any]:
        """What `scan --cluster` adds to a JSON line: its incident and what the line was to it.

        Only what a feed gives is used: title, text, url, source, published (and `seen`, when a
        line records when it was read). A line without a date has an unknown day, which the
        rules neither hold for nor against it.
        """
        if not detection.is_incident:
            return {"incident_id": None, "kind": None, "update_reasons": []}
        article = Article(
            source=str(line.get("source") or ""),
            url=doc.url or doc.id or "text:" + hashlib.sha1(doc.text.encode()).hexdigest()[:16],
            title=doc.title or "",
            text=doc.text,
            published=doc.published,
        )
        outcome = self.observe(article, detection, parse_published(line.get("seen")))
        decision = outcome.decision
        return {
            "incident_id": decision.incident_id,
            "kind": decision.kind,
            "update_reasons": list(decision.reasons),
            "revision": outcome.incident.revision,
        }
