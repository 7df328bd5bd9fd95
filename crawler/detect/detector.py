"""Decides whether a text reports a new incident, with the facts and the reasons why."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from crawler.detect import facts
from crawler.detect.gazetteer import Gazetteer, Place
from crawler.detect.matcher import Hit, Matcher, Term
from crawler.detect.normalise import normalise
from crawler.detect.watchlist import Watchlist

_SENTENCE_END = re.compile(r"[.!?;\n]+")


@dataclass(frozen=True)
class Document:
    text: str
    title: str | None = None
    id: str | None = None
    url: str | None = None
    published: datetime | None = None


@dataclass
class Detection:
    is_incident: bool
    score: float
    watchlist: str | None = None
    places: list[Place] = field(default_factory=list)
    incident_type: str | None = None
    killed: int | None = None
    injured: int | None = None
    casualties: list[facts.CasualtyCount] = field(default_factory=list)
    event_date: date | None = None
    actors: list[str] = field(default_factory=list)
    why: list[str] = field(default_factory=list)
    hits: list[Hit] = field(default_factory=list)
    text: str = ""  # the normalised text the hits point into

    @property
    def matched(self) -> list[str]:
        return list(dict.fromkeys(h.surface for h in self.hits))


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


class Detector:
    """Watchlists and a gazetteer compiled into one matcher."""

    def __init__(self, watchlists: Sequence[Watchlist], gazetteer: Gazetteer) -> None:
        self.watchlists = list(watchlists)
        self.gazetteer = gazetteer
        terms: list[Term] = [t for w in self.watchlists for t in w.terms]
        if any(w.use_gazetteer for w in self.watchlists):
            terms += gazetteer.terms()
        self.matcher = Matcher(terms)
        self._prefilter_roles = {"actor", "incident", "place"}

    @classmethod
    def from_files(cls, watchlists: Iterable[Path], gazetteer: Path | None = None) -> Detector:
        return cls([Watchlist.load(p) for p in watchlists], Gazetteer.load(gazetteer))

    def prefilter(self, text: str) -> bool:
        """Cheap test on a title and summary: worth fetching the article?"""
        roles = {h.role for h in self.matcher.find(normalise(text))}
        return "actor" in roles or {"incident", "place"} <= roles

    def detect(self, doc: Document) -> Detection:
        full = f"{doc.title}\n{doc.text}" if doc.title else doc.text
        text = normalise(full)
        hits = self.matcher.find(text)
        best = Detection(is_incident=False, score=0.0, hits=hits, text=text)
        for watchlist in self.watchlists:
            found = self._judge(watchlist, doc, text, hits)
            if found.score > best.score or (found.is_incident and not best.is_incident):
                best = found
        return best

    def _judge(self, watchlist: Watchlist, doc: Document, text: str, hits: list[Hit]) -> Detection:
        sentences = _sentences(text)
        by_sentence: list[list[Hit]] = [[] for _ in sentences]
        index = 0
        for hit in sorted(hits, key=lambda h: h.start):
            while index < len(sentences) - 1 and hit.start >= sentences[index][1]:
                index += 1
            by_sentence[index].append(hit)

        why: list[str] = []
        fired: list[tuple[float, int, int]] = []
        for rule in watchlist.rules:
            for first in range(len(sentences)):
                window = [h for s in by_sentence[first : first + rule.window] for h in s]
                present = {h.role for h in window}
                if set(rule.require) <= present:
                    fired.append((rule.score, first, first + rule.window))
                    why.append(f"rule {rule.name} fired in sentence {first + 1}")
                    break

        roles = Counter(h.role for h in hits)
        libyan = [h.term.data["place"] for h in hits if h.role == "place"]
        score = 0.0
        if fired:
            score = max(s for s, _, _ in fired)
            if roles["exclude"]:
                score -= 0.4
                why.append("not a new event: " + ", ".join(_labels(hits, "exclude")))
            if roles["foreign"] > len(libyan):
                score -= 0.3
                why.append(
                    "more foreign places than Libyan: " + ", ".join(_labels(hits, "foreign"))
                )
        score = max(0.0, min(1.0, score))
        is_incident = bool(fired) and score >= watchlist.threshold

        places = _rank_places(libyan)
        incident_terms = [h for h in hits if h.role == "incident"]
        incident_type = None
        if incident_terms:
            types = Counter(str(h.term.data.get("type", h.term.label)) for h in incident_terms)
            incident_type = types.most_common(1)[0][0]
        killed, injured, breakdown = facts.casualties(text)
        published = doc.published.date() if doc.published else None
        return Detection(
            is_incident=is_incident,
            score=round(score, 3),
            watchlist=watchlist.name,
            places=places,
            incident_type=incident_type,
            killed=killed,
            injured=injured,
            casualties=breakdown,
            event_date=facts.event_date(text, published),
            actors=_labels(hits, "actor"),
            why=why or ["no rule fired"],
            hits=hits,
            text=text,
        )


def _labels(hits: Iterable[Hit], role: str) -> list[str]:
    return list(dict.fromkeys(h.term.label for h in hits if h.role == role))


def _rank_places(places: list[Place]) -> list[Place]:
    """Most specific first, then most mentioned."""
    counts = Counter(p.id for p in places)
    unique = {p.id: p for p in places}
    return sorted(unique.values(), key=lambda p: (-p.specificity, -counts[p.id]))


def detection_record(detection: Detection, doc_id: str | None = None) -> dict[str, object]:
    """The `raqib scan --jsonl` output line (a contract other tools depend on)."""
    return {
        "id": doc_id,
        "is_incident": detection.is_incident,
        "score": detection.score,
        "places": [{"name": p.name, "lat": p.lat, "lon": p.lon} for p in detection.places],
        "incident_type": detection.incident_type,
        "killed": detection.killed,
        "injured": detection.injured,
        "casualties": [
            {"who": c.who, "killed": c.killed, "injured": c.injured} for c in detection.casualties
        ],
        "event_date": detection.event_date.isoformat() if detection.event_date else None,
        "why": detection.why,
    }
