"""An incident as Raqib keeps it: places, type, days, latest credible toll, distinct stories, revision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crawler.incidents.minhash import Signature
from crawler.incidents.report import Location


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


@dataclass(frozen=True)
class Copy:
    """Another outlet carrying a story word for word (a wire story's syndicated copy)."""

    outlet: str
    url: str
    published: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"outlet": self.outlet, "url": self.url, "published": _iso(self.published)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Copy:
        return cls(data["outlet"], data["url"], _datetime(data.get("published")))


@dataclass(frozen=True)
class Story:
    """One distinct story about the incident, with the copies other outlets ran of it."""

    outlet: str
    url: str
    title: str
    published: datetime | None
    seen: datetime | None
    signature: Signature
    copies: tuple[Copy, ...] = ()
    terms: Signature = ()  # MinHash of the story's words (minhash.term_signature)
    target: str | None = None  # what was hit, as the story names it (markers.TARGETS)
    names: tuple[str, ...] = ()  # the people the story names (markers.names_of)
    sides: tuple[str, ...] = ()  # the sides of the town the story names (markers.sides_of)
    roles: tuple[str, ...] = ()  # the victims' ranks and callings (markers.roles_of)
    figures: tuple[int, ...] = ()  # every count of dead the story gives, its toll or not

    @property
    def urls(self) -> set[str]:
        return {self.url, *(c.url for c in self.copies)}

    def to_json(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet, "url": self.url, "title": self.title,
            "published": _iso(self.published), "seen": _iso(self.seen),
            "signature": list(self.signature), "copies": [c.to_json() for c in self.copies],
            "terms": list(self.terms), "target": self.target, "names": list(self.names),
            **({"sides": list(self.sides)} if self.sides else {}),
            **({"roles": list(self.roles)} if self.roles else {}),
            **({"figures": list(self.figures)} if self.figures else {}),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Story:
        return cls(
            outlet=data["outlet"], url=data["url"], title=data.get("title") or "",
            published=_datetime(data.get("published")), seen=_datetime(data.get("seen")),
            signature=tuple(int(v) for v in data.get("signature") or ()),
            copies=tuple(Copy.from_json(c) for c in data.get("copies") or ()),
            terms=tuple(int(v) for v in data.get("terms") or ()), target=data.get("target"),
            names=tuple(data.get("names") or ()), sides=tuple(data.get("sides") or ()),
            roles=tuple(data.get("roles") or ()),
            figures=tuple(int(v) for v in data.get("figures") or ()),
        )  # fmt: skip


@dataclass(frozen=True)
class Toll:
    """A casualty figure as one report gave it, and what it did to the incident's figures."""

    outlet: str
    url: str
    at: datetime | None
    killed: int | None
    injured: int | None
    verdict: str  # adopted | confirms (the figures already held) | not adopted (lower, uncorrected)
    claim: bool = False  # the figure is the actor's, from a claim of responsibility
    rose: bool = False  # told as risen («ارتفعت الحصيلة إلى»): lower counts came first

    @property
    def adopted(self) -> bool:
        return self.verdict == "adopted"

    def to_json(self) -> dict[str, Any]:
        return {
            "outlet": self.outlet, "url": self.url, "at": _iso(self.at),
            "killed": self.killed, "injured": self.injured, "verdict": self.verdict,
            **({"claim": True} if self.claim else {}),
            **({"rose": True} if self.rose else {}),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Toll:
        return cls(
            data["outlet"], data["url"], _datetime(data.get("at")), data.get("killed"),
            data.get("injured"), data.get("verdict") or "adopted", bool(data.get("claim")),
            bool(data.get("rose")),
        )  # fmt: skip


@dataclass(frozen=True)
class Incident:
    id: str
    revision: int
    places: tuple[Location, ...]  # the pinpointed place(s) first, then the areas reports named
    incident_type: str | None
    first_seen: datetime | None
    last_seen: datetime | None
    first_day: date | None  # the span of event days its reports give
    last_day: date | None
    killed: int | None  # the latest credible figures
    injured: int | None
    claimed: bool
    stories: tuple[Story, ...]
    tolls: tuple[Toll, ...] = ()
    score: float = 0.0
    title: str = ""
    # "isis", or "unattributed" while no report ties it to the actor (its tactics only)
    attribution: str = "isis"

    @property
    def pins(self) -> list[Location]:
        return [p for p in self.places if p.pinpoint]

    @property
    def areas(self) -> list[Location]:
        return [p for p in self.places if not p.pinpoint]

    @property
    def outlets(self) -> set[str]:
        """Every outlet that carried it, as a story of its own or as a copy."""
        return {s.outlet for s in self.stories} | {c.outlet for s in self.stories for c in s.copies}

    @property
    def urls(self) -> set[str]:
        return {u for s in self.stories for u in s.urls}

    @property
    def place(self) -> Location | None:
        return self.places[0] if self.places else None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "revision": self.revision,
            "places": [p.to_json() for p in self.places],
            "incident_type": self.incident_type,
            "first_seen": _iso(self.first_seen),
            "last_seen": _iso(self.last_seen),
            "first_day": _iso(self.first_day),
            "last_day": _iso(self.last_day),
            "killed": self.killed,
            "injured": self.injured,
            "claimed": self.claimed,
            "stories": [s.to_json() for s in self.stories],
            "tolls": [t.to_json() for t in self.tolls],
            "score": self.score,
            "title": self.title,
            "attribution": self.attribution,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Incident:
        return cls(
            id=data["id"],
            revision=int(data["revision"]),
            places=tuple(Location.from_json(p) for p in data.get("places") or ()),
            incident_type=data.get("incident_type"),
            first_seen=_datetime(data.get("first_seen")),
            last_seen=_datetime(data.get("last_seen")),
            first_day=_date(data.get("first_day")),
            last_day=_date(data.get("last_day")),
            killed=data.get("killed"),
            injured=data.get("injured"),
            claimed=bool(data.get("claimed")),
            stories=tuple(Story.from_json(s) for s in data.get("stories") or ()),
            tolls=tuple(Toll.from_json(t) for t in data.get("tolls") or ()),
            score=float(data.get("score") or 0.0),
            title=data.get("title") or "",
            attribution=data.get("attribution") or "isis",
        )
