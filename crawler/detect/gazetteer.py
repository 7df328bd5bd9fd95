"""The Libyan gazetteer: places with their Arabic spellings, coordinates and region, as match terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crawler.detect.matcher import Term

DEFAULT_GAZETTEER = Path(__file__).resolve().parent / "data" / "gazetteer.yaml"

# How specific a kind of place is: the most specific place mentioned is the incident's place.
SPECIFICITY = {
    "site": 6, "oil_field": 6, "port": 6, "neighbourhood": 6, "village": 5, "oasis": 5,
    "town": 4, "city": 4, "mountain": 4, "district": 3, "region": 2, "country": 1,
}  # fmt: skip


@dataclass(frozen=True)
class Place:
    id: str
    name: str  # canonical Arabic name
    en: str
    lat: float
    lon: float
    kind: str
    region: str  # طرابلس (Tripolitania) | برقة (Cyrenaica) | فزان (Fezzan)
    district: str | None = None
    variants: tuple[str, ...] = ()
    # Other countries with a place of this name (طرابلس: LB); context decides which one is meant.
    shared_with: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def specificity(self) -> int:
        return SPECIFICITY.get(self.kind, 3)


class Gazetteer:
    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self.by_id = {p.id: p for p in places}
        self._by_name: dict[str, Place] = {}
        from crawler.detect.normalise import normalise

        for place in places:
            for name in (place.name, place.en, *place.variants):
                self._by_name.setdefault(normalise(name).strip(), place)

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str) -> Place | None:
        """A place by any of its names, Arabic or English, in any spelling we know."""
        from crawler.detect.normalise import normalise

        key = normalise(name).strip()
        return self._by_name.get(key) or self._by_name.get(key.removeprefix("ال"))

    def terms(self, weight: float = 1.0) -> list[Term]:
        return [
            Term(
                role="place",
                label=place.name,
                weight=weight,
                inflect="none",
                data={"place": place},
                forms=tuple(dict.fromkeys((place.name, *place.variants))),
            )
            for place in self.places
        ]

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        path = path or DEFAULT_GAZETTEER
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        entries = raw["places"] if isinstance(raw, dict) else raw
        places = []
        for entry in entries:
            places.append(
                Place(
                    id=str(entry["id"]),
                    name=entry["name"],
                    en=entry.get("en", entry["id"]),
                    lat=float(entry["lat"]),
                    lon=float(entry["lon"]),
                    kind=entry.get("kind", "town"),
                    region=entry.get("region", ""),
                    district=entry.get("district"),
                    variants=tuple(entry.get("variants", ())),
                    shared_with=tuple(entry.get("shared_with", ())),
                    sources=tuple(entry.get("sources", ())),
                )
            )
        return cls(places)
