"""A country's gazetteer: places with their Arabic spellings, coordinates and region, as match terms."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from config.safeyaml import YamlError, load_yaml
from crawler.detect.text.matcher import Term
from crawler.detect.text.normalise import normalise

# The gazetteers Raqib ships; a watchlist names its own, found beside it or here.
DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_GAZETTEER = DATA_DIR / "gazetteer.yaml"  # what `gazetteer: true` in a watchlist means

# How specific a kind of place is: the most specific place mentioned is the incident's place.
# A mountain range or a valley is wider than the town beside it.
SPECIFICITY = {
    "site": 6, "oil_field": 6, "port": 6, "neighbourhood": 6, "village": 5, "oasis": 5,
    "town": 4, "city": 4, "mountain": 3, "valley": 3, "district": 3, "region": 2, "country": 1,
}  # fmt: skip


class GazetteerError(ValueError):
    pass


@dataclass(frozen=True)
class Place:
    id: str
    name: str  # canonical Arabic name
    en: str
    lat: float
    lon: float
    kind: str
    region: str  # the country's first-level region (its gazetteer says which); "" for the country
    district: str | None = None
    variants: tuple[str, ...] = ()
    # Other countries with a place of this name (طرابلس: LB); context decides which one is meant.
    shared_with: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    # The name is also a common word: it counts only with a place cue (see places.py).
    cue_required: bool = False
    not_before: frozenset[str] = frozenset()
    not_after: frozenset[str] = frozenset()
    not_words: frozenset[str] = frozenset()
    approx: bool = False
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def specificity(self) -> int:
        return SPECIFICITY.get(self.kind, 3)


@dataclass(frozen=True)
class Country:
    """A country by the words that show a text is about it: another country in a gazetteer, or
    the country a watchlist watches (its markers are then its names)."""

    code: str  # ISO 3166-1 alpha-2
    name: str
    markers: tuple[str, ...]
    adjectives: tuple[str, ...] = ()  # السوري: says who, not where

    @cached_property
    def names(self) -> frozenset[str]:
        """Its names, normalised: a place of the country's kind named so says where."""
        return frozenset(normalise(n).strip() for n in (self.name, *self.markers))

    @cached_property
    def after_place(self) -> frozenset[str]:
        """Words right after a place name that say it is in this country (البيضاء الليبية،
        الخمس بليبيا): its adjectives, its names, and its names after «ب»."""
        words = {normalise(a).strip() for a in self.adjectives}
        for name in self.names:
            words |= {name, f"ب{name}"}
        return frozenset(words)


def _normalised_set(values: object) -> frozenset[str]:
    if not values:
        return frozenset()
    if not isinstance(values, list):
        values = [values]
    return frozenset(normalise(str(v)).strip() for v in values)


@dataclass(frozen=True)
class RelativePlace:
    """A phrase that names a part of the country the text is about (جنوب البلاد)."""

    place: Place
    forms: tuple[str, ...]


class Gazetteer:
    def __init__(
        self,
        places: list[Place],
        countries: list[Country] | None = None,
        relative: list[tuple[str, tuple[str, ...]]] | None = None,
    ) -> None:
        self.places = places
        self.countries = {c.code: c for c in countries or []}
        self.by_id = {p.id: p for p in places}
        self._by_name: dict[str, Place] = {}
        for place in places:
            for name in (place.name, place.en, *place.variants):
                self._by_name.setdefault(normalise(name).strip(), place)
        self.relative = [
            RelativePlace(self.by_id[place_id], forms)
            for place_id, forms in relative or []
            if place_id in self.by_id
        ]

    def __len__(self) -> int:
        return len(self.places)

    def lookup(self, name: str) -> Place | None:
        """A place by any of its names, Arabic or English, in any spelling we know."""
        key = normalise(name).strip()
        for candidate in (key, key.removeprefix("ال"), f"ال{key}"):
            if candidate in self._by_name:
                return self._by_name[candidate]
        return None

    def terms(self) -> list[Term]:
        """Place terms (role `place`) and other countries' markers (role `foreign`)."""
        terms = [
            Term(
                role="place",
                label=place.name,
                inflect="none",
                prefixes="name",
                data={"place": place},
                forms=tuple(dict.fromkeys((place.name, *place.variants))),
                not_words=place.not_words,
            )
            for place in self.places
        ]
        terms += [
            Term(
                role="place",
                label=relative.place.name,
                inflect="none",
                prefixes="name",
                data={"place": relative.place, "relative": True},
                forms=relative.forms,
            )
            for relative in self.relative
        ]
        terms += [
            Term(
                role="foreign",
                label=country.name,
                inflect="none",
                data={"country": country.code, "adjective": adjective},
                forms=forms,
            )
            for country in self.countries.values()
            for adjective, forms in ((False, country.markers), (True, country.adjectives))
            if forms
        ]
        return terms

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        path = path or DEFAULT_GAZETTEER
        try:
            raw = load_yaml(path.read_text(encoding="utf-8"), path)
        except (OSError, YamlError) as exc:
            raise GazetteerError(f"{path}: cannot read gazetteer: {exc}") from exc
        entries = raw["places"] if isinstance(raw, dict) else raw
        countries = [
            Country(
                code=str(code),
                name=str(spec["name"]),
                markers=tuple(spec.get("markers", ())),
                adjectives=tuple(spec.get("adjectives", ())),
            )
            for code, spec in (
                (raw.get("countries") or {}) if isinstance(raw, dict) else {}
            ).items()
        ]
        relative = [
            (str(r["place"]), tuple(str(f) for f in r.get("forms", ())))
            for r in ((raw.get("relative") or []) if isinstance(raw, dict) else [])
        ]
        places = []
        for number, entry in enumerate(entries, 1):
            try:
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
                        cue_required=entry.get("cue") == "required",
                        not_before=_normalised_set(entry.get("not_before")),
                        not_after=_normalised_set(entry.get("not_after")),
                        not_words=_normalised_set(entry.get("not_words")),
                        approx=bool(entry.get("approx", False)),
                    )
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise GazetteerError(f"{path}: place #{number} ({entry!r:.60}): {exc}") from exc
        gazetteer = cls(places, countries, relative)
        missing = [r for r, _ in relative if r not in gazetteer.by_id]
        if missing:
            raise GazetteerError(
                f"{path}: relative phrases name unknown places: {', '.join(missing)}"
            )
        return gazetteer
