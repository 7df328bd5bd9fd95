"""A country's gazetteer: places with their Arabic spellings, coordinates and region, as match terms."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from config.safeyaml import LINE, LineLoader, YamlError, load_yaml
from crawler.detect.facts.geo import distance_km
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
    region_en: str = ""  # the region's English name, from the gazetteer's region entry

    @property
    def specificity(self) -> int:
        return SPECIFICITY.get(self.kind, 3)

    def __hash__(self) -> int:
        # Equal places have equal ids: hashing the id alone spares building a tuple of every
        # field each time a detection puts its places in a set or a dict.
        return hash(self.id)


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
        """The gazetteer at `path` (the shipped default without one); its first problem, with
        `file:line`, as a GazetteerError (`check` lists them all)."""
        path = path or DEFAULT_GAZETTEER
        raw = _read(path)
        problems = _problems(path, raw)
        if problems:
            more = (
                f" (and {len(problems) - 1} more: raqib check lists them)" if problems[1:] else ""
            )
            raise GazetteerError(problems[0] + more)
        entries = raw["places"] if isinstance(raw, dict) else raw
        countries = [
            Country(
                code=str(code),
                name=str(spec["name"]),
                markers=tuple(spec.get("markers", ())),
                adjectives=tuple(spec.get("adjectives", ())),
            )
            for code, spec in _countries(raw).items()
        ]
        relative = [
            (str(r["place"]), tuple(str(f) for f in r.get("forms", ())))
            for r in ((raw.get("relative") or []) if isinstance(raw, dict) else [])
        ]
        places = [
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
            for entry in entries
        ]
        # Each place's region in English: the `en` of the region entry of that name (فزان: Fezzan)
        regions_en = {p.region: p.en for p in places if p.kind == "region" and p.region}
        places = [replace(p, region_en=regions_en.get(p.region, "")) for p in places]
        return cls(places, countries, relative)


def check(path: Path) -> list[str]:
    """Every problem of a gazetteer file, each as `file:line: what`."""
    try:
        raw = _read(path)
    except GazetteerError as exc:
        return [str(exc)]
    return _problems(path, raw)


_TOP_KEYS = {"countries", "relative", "places"}
_SAME_PLACE_KM = 25.0  # two places of one name nearer than this are one place twice
_PLACE_KEYS = {
    "id", "name", "en", "lat", "lon", "kind", "region", "district", "variants", "shared_with",
    "sources", "cue", "not_before", "not_after", "not_words", "approx",
}  # fmt: skip
_COUNTRY_KEYS = {"name", "markers", "adjectives"}
_RELATIVE_KEYS = {"place", "forms"}


@dataclass(frozen=True)
class _Spot:
    lat: float
    lon: float


def _spot(entry: dict[str, Any]) -> _Spot | None:
    lat, lon = entry.get("lat"), entry.get("lon")
    if isinstance(lat, bool) or isinstance(lon, bool):
        return None
    if isinstance(lat, int | float) and isinstance(lon, int | float):
        return _Spot(float(lat), float(lon))
    return None


def _read(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"), path, loader=LineLoader)
    except OSError as exc:
        raise GazetteerError(f"{path}: cannot read gazetteer: {exc.strerror}") from exc
    except YamlError as exc:
        raise GazetteerError(str(exc)) from exc  # file:line: not valid YAML: …


def _countries(raw: Any) -> dict[str, Any]:
    found = (raw.get("countries") or {}) if isinstance(raw, dict) else {}
    return {k: v for k, v in found.items() if k != LINE} if isinstance(found, dict) else {}


def _unknown(where: str, mapping: dict[str, Any], allowed: set[str], what: str) -> list[str]:
    return [
        f"{where}: {what}: unknown key {key!r} (known: {', '.join(sorted(allowed))})"
        for key in mapping
        if key != LINE and key not in allowed
    ]


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _problems(path: Path, raw: Any) -> list[str]:
    """What is wrong with a gazetteer as read."""

    def at(node: Any) -> str:
        return f"{path}:{node[LINE]}" if isinstance(node, dict) and LINE in node else str(path)

    problems: list[str] = []
    if isinstance(raw, dict):
        problems += _unknown(at(raw), raw, _TOP_KEYS, "gazetteer")
        entries = raw.get("places")
    else:
        entries = raw
    if not isinstance(entries, list) or not entries:
        return [f"{at(raw)}: a gazetteer needs `places`, a list of places"]
    countries = _countries(raw)
    for code, spec in countries.items():
        where = at(spec)
        if not (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()):
            problems.append(f"{where}: countries: {code!r} is not a country code of two capitals")
        if not isinstance(spec, dict):
            problems.append(f"{where}: countries.{code}: expected {{name, markers, adjectives}}")
            continue
        problems += _unknown(where, spec, _COUNTRY_KEYS, f"countries.{code}")
        if not isinstance(spec.get("name"), str):
            problems.append(f"{where}: countries.{code}: needs a `name`")
        for key in ("markers", "adjectives"):
            if key in spec and not _strings(spec[key]):
                problems.append(f"{where}: countries.{code}.{key}: expected a list of names")
    ids: dict[str, str] = {}
    names: dict[str, list[tuple[str, str, _Spot | None]]] = {}
    for number, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            problems.append(f"{path}: place #{number}: expected a mapping, not {entry!r:.40}")
            continue
        where = at(entry)
        label = f"place {entry.get('id', f'#{number}')}"
        problems += _unknown(where, entry, _PLACE_KEYS, label)
        missing = [k for k in ("id", "name", "lat", "lon") if k not in entry]
        if missing:
            problems.append(f"{where}: {label}: needs {', '.join(missing)}")
            continue
        place_id = str(entry["id"])
        if place_id in ids:
            problems.append(
                f"{where}: {label}: the id is also that of the place at {ids[place_id]}"
            )
        ids.setdefault(place_id, where)
        for key, low, high in (("lat", -90.0, 90.0), ("lon", -180.0, 180.0)):
            value = entry[key]
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{where}: {label}: {key} must be a number, not {value!r}")
            elif not low <= value <= high:
                problems.append(
                    f"{where}: {label}: {key} {value} is out of range ({low:g} to {high:g})"
                )
        if entry.get("kind", "town") not in SPECIFICITY:
            problems.append(
                f"{where}: {label}: kind must be one of {', '.join(SPECIFICITY)}, not "
                f"{entry.get('kind')!r}"
            )
        if entry.get("cue") not in (None, "required"):
            problems.append(f"{where}: {label}: cue can only be `required`")
        for key in ("variants", "shared_with", "sources"):
            if key in entry and not _strings(entry[key]):
                problems.append(f"{where}: {label}: {key} must be a list of names")
        unknown = [c for c in entry.get("shared_with") or () if c not in countries]
        if unknown and _strings(entry.get("shared_with")):
            problems.append(
                f"{where}: {label}: shared_with names {', '.join(unknown)}, which `countries` "
                "does not define (its markers decide which place a text means)"
            )
        # One name for two places is fine far apart (آقار of Murzuq and of Wadi al-Shati); near
        # each other, it is one place written down twice.
        spot = _spot(entry)
        spellings = [entry["name"], *(entry.get("variants") or [])]
        for name in dict.fromkeys(normalise(str(n)).strip() for n in spellings):
            for other_id, other_where, other_spot in names.get(name, ()):
                if other_id != place_id and spot and other_spot:
                    apart = distance_km(spot, other_spot)
                    if apart < _SAME_PLACE_KM:
                        problems.append(
                            f"{where}: {label}: «{name}» also names {other_id} ({other_where}), "
                            f"{apart:.0f} km away: one place written twice? Merge them, or "
                            "give the second a name of its own"
                        )
            names.setdefault(name, []).append((place_id, where, spot))
    relative = (raw.get("relative") or []) if isinstance(raw, dict) else []
    for item in relative if isinstance(relative, list) else []:
        if not isinstance(item, dict) or "place" not in item:
            problems.append(f"{at(item)}: relative: expected {{place, forms}}")
            continue
        problems += _unknown(at(item), item, _RELATIVE_KEYS, "relative")
        if str(item["place"]) not in ids:
            problems.append(f"{at(item)}: relative: no place has the id {item['place']!r}")
    return problems
