"""Incidents held in memory for an offline stream of reports (`raqib scan --jsonl --cluster`)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from crawler.detect import Detection, Document
from crawler.detect.parse import parse_published
from crawler.incidents.decision import DEFAULT_RULES, Outcome, Rules, plan, window
from crawler.incidents.incident import Incident
from crawler.incidents.minhash import bands
from crawler.incidents.report import Article, Report, report_of


class IncidentBook:
    """The daemon's decision (`plan`) over incidents held in memory instead of Redis.

    Candidates are found as the Redis store finds them (the time window, a shared MinHash
    band, the same address), with the same rules deciding, so a stream gets the daemon's answer.
    An incident without a known day (offline lines without dates) is a candidate to every report.
    """

    def __init__(self, rules: Rules = DEFAULT_RULES) -> None:
        self.rules = rules
        self.incidents: dict[str, Incident] = {}
        self._bands: dict[str, set[str]] = {}
        self._urls: dict[str, str] = {}

    def candidates(self, report: Report) -> list[Incident]:
        day = report.day
        if day is None:
            return list(self.incidents.values())
        spans = [window(around, self.rules) for around in report.days]
        ids = {
            i.id for i in self.incidents.values()
            if i.last_day is None or any(low <= i.last_day <= high for low, high in spans)
        }  # fmt: skip
        for bucket in bands(report.signature):
            ids |= self._bands.get(bucket, set())
        if report.url in self._urls:
            ids.add(self._urls[report.url])
        return [self.incidents[i] for i in sorted(ids)]

    def observe(self, article: Article, detection: Detection, seen: datetime | None) -> Outcome:
        report = report_of(article, detection, seen)
        outcome = plan(report, self.candidates(report), self.rules)
        if outcome.changed:
            incident_id = outcome.incident.id
            self.incidents[incident_id] = outcome.incident
            for bucket in bands(report.signature):
                self._bands.setdefault(bucket, set()).add(incident_id)
            self._urls[report.url] = incident_id
        return outcome

    def scan_line(
        self, line: Mapping[str, Any], doc: Document, detection: Detection
    ) -> dict[str, Any]:
        """What `scan --cluster` adds to a JSON line: its incident and what the line was to it.

        Only what a feed gives is used: title, text, url, source, published (and `seen`, when a
        line records when it was read). A line without a date has an unknown day, which the
        rules neither hold for nor against it.
        """
        if not detection.reportable:
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
