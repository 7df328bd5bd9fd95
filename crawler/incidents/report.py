"""One matching article as incident clustering sees it: where, what, when, how many, and its text's MinHash."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from crawler.detect import Detection, Place
from crawler.incidents import markers
from crawler.incidents.minhash import COMMON_WORDS, Signature, term_signature, text_signature

# A place at least this specific pins an incident down (town, city, village, site …); broader
# ones (district, region, country) only say roughly where it was.
PINPOINT = 4


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


@dataclass(frozen=True)
class Location:
    """A gazetteer place as stored with an incident (plain data, so it survives JSON)."""

    id: str
    name: str
    lat: float
    lon: float
    specificity: int
    region: str = ""
    district: str | None = None
    en: str = ""
    region_en: str = ""

    @property
    def pinpoint(self) -> bool:
        return self.specificity >= PINPOINT

    @classmethod
    def of(cls, place: Place) -> Location:
        return cls(
            id=place.id, name=place.name, lat=place.lat, lon=place.lon,
            specificity=place.specificity, region=place.region, district=place.district,
            en=place.en, region_en=place.region_en,
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "lat": self.lat, "lon": self.lon,
            "specificity": self.specificity, "region": self.region, "district": self.district,
            "en": self.en, "region_en": self.region_en,
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Location:
        return cls(
            id=data["id"], name=data["name"], lat=float(data["lat"]), lon=float(data["lon"]),
            specificity=int(data["specificity"]), region=data.get("region") or "",
            district=data.get("district"), en=data.get("en") or "",
            region_en=data.get("region_en") or "",
        )  # fmt: skip


@dataclass(frozen=True)
class Report:
    """The features of one matching article that decide which incident it belongs to."""

    url: str
    outlet: str
    title: str
    published: datetime | None
    seen: datetime | None  # when Raqib read it; None only offline (`scan --cluster` on a file)
    event_date: date | None  # detection's day of the event, when it found one
    places: tuple[Location, ...]  # most specific first, as detection ranks them
    incident_type: str | None
    killed: int | None
    injured: int | None
    claim: bool
    correction: bool
    revised_toll: bool
    signature: Signature
    score: float = 0.0
    attribution: str = "isis"  # or "unattributed": the text does not tie it to the actor
    terms: Signature = ()  # MinHash of its words: reworded reports of one event share them
    follow_up: bool = False  # it updates an earlier toll ("ارتفعت الحصيلة إلى", "حصيلة جديدة")
    # it tells what followed an event: died of wounds, the funeral, the perpetrators arrested
    refers_back: bool = False
    another: bool = False  # it calls its attack a further one ("ثاني هجوم", "هجوم جديد")
    target: str | None = None  # what was hit, as the incident's sentences name it (markers.TARGETS)
    names: tuple[str, ...] = ()  # the people it names (markers.names_of)
    sides: tuple[str, ...] = ()  # the sides of its town it names (markers.sides_of)
    roles: tuple[str, ...] = ()  # the victims' ranks and callings (markers.roles_of)
    boast: bool = False  # its figures are the actor's word (a claim, «زعم», «قال التنظيم»)
    killed_figures: tuple[int, ...] = ()  # every killed figure it gives (detection's)

    @property
    def day(self) -> date | None:
        """The best day we have for the event: detection's, else publication, else first sight."""
        if self.event_date is not None:
            return self.event_date
        when = self.published or self.seen
        return when.date() if when is not None else None

    @property
    def days(self) -> tuple[date, ...]:
        """The days to look for its incident around: the event's, and the day it was told when
        that differs (a day read from the text may be misread)."""
        day = self.day
        if day is None:
            return ()
        when = self.published or self.seen
        told = when.date() if when is not None else None
        return (day,) if told is None or told == day else (day, told)

    @property
    def at(self) -> datetime | None:
        return self.seen or self.published

    @property
    def anchor(self) -> Location | None:
        """The place the report pins the event to: its most specific place, if specific enough."""
        return self.places[0] if self.places and self.places[0].pinpoint else None


def report_of(article: Article, detection: Detection, seen: datetime | None) -> Report:
    """A report from an article and its detection (the text is detection's, already normalised)."""
    text = detection.text
    return Report(
        url=article.url,
        outlet=article.source,
        title=article.title,
        published=article.published,
        seen=seen,
        event_date=detection.event_date,
        # The country says nothing about where; keep the rest, most specific first.
        places=tuple(Location.of(p) for p in detection.places if p.specificity > 1),
        incident_type=detection.incident_type,
        killed=detection.killed,
        injured=detection.injured,
        killed_figures=detection.killed_figures,
        claim=markers.claims_responsibility(text, detection.incident_type),
        correction=markers.corrects(text),
        revised_toll=markers.revises_toll(text),
        signature=text_signature(text),
        score=detection.score,
        attribution=detection.attribution or "isis",
        terms=term_signature(text),
        follow_up=markers.follows_up(text),
        refers_back=markers.refers_back(text),
        another=markers.tells_another(text),
        target=markers.target_of(detection),
        names=markers.names_of(text, COMMON_WORDS),
        sides=markers.sides_of(detection),
        roles=markers.roles_of(text),
        boast=markers.actor_says(text),
    )
