"""The one incident query behind the list, the map, the timeline and every export: filters over summaries."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from typing import Any

from crawler.app.console.index import Summary
from crawler.detect.text.normalise import normalise
from crawler.incidents.incident import Toll

SPAN = re.compile(r"^\s*(\d{1,5})\s*([hdw])\s*$")
SPAN_SECONDS = {"h": 3600, "d": 86400, "w": 7 * 86400}
TIERS = ("isis", "unattributed")
MAX_TIMELINE_DAYS = 366


class BadFilter(ValueError):
    """A filter a person typed that means nothing: said back to them, not a server error."""


def span_seconds(span: str) -> int | None:
    """`7d`, `24h`, `2w` as seconds; "" as None (no limit)."""
    if not span.strip():
        return None
    found = SPAN.match(span)
    if not found:
        raise BadFilter(f"a span is a number and h, d or w (24h, 7d, 2w), not {span!r}")
    return int(found.group(1)) * SPAN_SECONDS[found.group(2)]


@dataclass(frozen=True)
class Filters:
    """What an analyst narrows incidents to; empty fields filter nothing."""

    span: str = ""  # incidents that changed within it: 24h, 7d, 2w
    region: str = ""
    district: str = ""
    place: str = ""  # Arabic or English name, or the gazetteer id
    type: str = ""
    watchlist: str = ""
    tier: str = ""  # isis | unattributed
    min_toll: int = 0  # killed and injured together
    q: str = ""  # words in the titles

    @classmethod
    def parse(cls, query: Mapping[str, str]) -> Filters:
        values = {f.name: str(query.get(f.name, "")).strip()[:200] for f in fields(cls)}
        try:
            min_toll = int(values.pop("min_toll") or 0)
        except ValueError as exc:
            raise BadFilter("the minimum toll is a whole number") from exc
        if values["tier"] and values["tier"] not in TIERS:
            raise BadFilter(f"the tier is one of {', '.join(TIERS)}")
        span_seconds(values["span"])
        return cls(min_toll=max(0, min_toll), **values)

    def query(self, **changes: Any) -> dict[str, str]:
        """As URL query parameters (empty ones left out), with `changes` applied."""
        current = replace(self, **changes)
        return {
            f.name: str(getattr(current, f.name))
            for f in fields(current)
            if getattr(current, f.name) not in ("", 0)
        }

    def apply(self, rows: Iterable[Summary], now: float | None = None) -> list[Summary]:
        seconds = span_seconds(self.span)
        since = (now or time.time()) - seconds if seconds is not None else None
        words = normalise(self.q).lower().split()
        place, region, district = (
            normalise(v).lower() for v in (self.place, self.region, self.district)
        )
        out = []
        for row in rows:
            if row.dismissed:  # an analyst said it is no ISIS incident, or merged it away
                continue
            if since is not None and row.changed < since:
                continue
            if self.type and row.incident_type != self.type:
                continue
            if self.tier and row.attribution != self.tier:
                continue
            if self.watchlist and row.watchlist != self.watchlist:
                continue
            if self.min_toll and row.toll < self.min_toll:
                continue
            if region and not any(normalise(r).lower() == region for r in row.regions):
                continue
            if district and not any(normalise(d).lower() == district for d in row.districts):
                continue
            if place and not any(normalise(p).lower() == place for p in row.places):
                continue
            if words and not all(w in row.search for w in words):
                continue
            out.append(row)
        return out


@dataclass(frozen=True)
class Choices:
    """What the filter form offers, from the incidents themselves."""

    regions: list[str]
    districts: list[str]
    types: list[str]
    watchlists: list[str]


def choices(rows: Iterable[Summary]) -> Choices:
    regions: set[str] = set()
    districts: set[str] = set()
    types: set[str] = set()
    watchlists: set[str] = set()
    for row in rows:
        regions.update(row.regions)
        districts.update(row.districts)
        if row.incident_type:
            types.add(row.incident_type)
        if row.watchlist:
            watchlists.add(row.watchlist)
    return Choices(sorted(regions), sorted(districts), sorted(types), sorted(watchlists))


# -- the map ------------------------------------------------------------------------------------


def map_data(rows: Iterable[Summary], english: bool = False) -> dict[str, Any]:
    """Compact marker data: a table of types and places, then one short array per incident.

    [lat, lon, type index, toll, id, day, place index]: a year of incidents stays well under
    a megabyte (the benchmark holds it there); the page asks for the rest when one is opened.
    """
    types: dict[str, int] = {}
    places: dict[str, int] = {}
    points = []
    for row in rows:
        if row.lat is None or row.lon is None:
            continue
        kind = types.setdefault(row.incident_type or "", len(types))
        where = places.setdefault(
            (row.place_en or row.place) if english else row.place, len(places)
        )
        points.append(
            [round(row.lat, 4), round(row.lon, 4), kind, row.toll, row.id, row.day or "", where]
        )
    return {"types": list(types), "places": list(places), "points": points}


# -- the timeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    type: str
    count: int
    y: float  # from the top of the chart, in the chart's units
    height: float


@dataclass(frozen=True)
class Bar:
    day: date
    total: int
    x: float
    segments: list[Segment]


@dataclass(frozen=True)
class Timeline:
    """Bars for the tooltips and the legend, and one SVG path per type (a few elements, not
    one per day and type: a year's chart stays light)."""

    first: date | None
    last: date | None
    bars: list[Bar]
    types: list[str]  # most frequent first (the legend's order and the stacks')
    peak: int
    width: float
    height: float
    bar_width: float
    paths: dict[str, str] = field(default_factory=dict)  # type -> SVG path data of its stacks


@lru_cache(maxsize=4096)
def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def timeline(
    rows: Iterable[Summary], span: str = "", now: float | None = None, height: float = 160.0
) -> Timeline:
    """Incidents per event day, stacked by type, over the span (or the days the incidents cover)."""
    per_day: dict[date, Counter[str]] = {}
    for row in rows:
        if row.day:
            per_day.setdefault(_day(row.day), Counter())[row.incident_type or ""] += 1
    seconds = span_seconds(span)
    now = now or time.time()
    if seconds is not None:
        first = datetime.fromtimestamp(now - seconds, UTC).date()
        last = datetime.fromtimestamp(now, UTC).date()
    elif per_day:
        first, last = min(per_day), max(per_day)
    else:
        return Timeline(None, None, [], [], 0, 0.0, height, 0.0)
    first = max(first, last - timedelta(days=MAX_TIMELINE_DAYS - 1))
    totals: Counter[str] = Counter()
    for day, counts in per_day.items():
        if first <= day <= last:
            totals.update(counts)
    types = [t for t, _ in totals.most_common()]
    days = (last - first).days + 1
    bar_width = max(2.0, min(24.0, 960.0 / days))
    peak = max((sum(c.values()) for d, c in per_day.items() if first <= d <= last), default=0)
    bars = []
    for n in range(days):
        day = first + timedelta(days=n)
        counts = per_day.get(day, Counter())
        total = sum(counts.values())
        segments, top, drawn = [], height, height
        for kind in types:
            if counts[kind]:
                top -= height * counts[kind] / peak
                # Round the edges, not the pieces: the segments then tile the bar exactly.
                edge = round(top, 2)
                segments.append(Segment(kind, counts[kind], edge, round(drawn - edge, 2)))
                drawn = edge
        bars.append(Bar(day, total, round(n * bar_width, 2), segments))
    width = bar_width - 1 if bar_width > 3 else bar_width
    paths: dict[str, list[str]] = {}
    for bar in bars:
        for segment in bar.segments:
            paths.setdefault(segment.type, []).append(
                f"M{bar.x:g} {segment.y:g}h{width:g}v{segment.height:g}h{-width:g}z"
            )
    return Timeline(
        first, last, bars, types, peak, round(days * bar_width, 2), height, bar_width,
        {kind: "".join(parts) for kind, parts in paths.items()},
    )  # fmt: skip


# -- an incident's toll over time ---------------------------------------------------------------


@dataclass(frozen=True)
class TollPoint:
    x: float
    y: float
    label: str  # outlet, time and figure, for the tooltip


@dataclass(frozen=True)
class TollChart:
    """Each reported figure as a dot (by source and time), the adopted figures as a step line."""

    width: float
    height: float
    peak: int
    killed: list[TollPoint]
    injured: list[TollPoint]
    killed_line: str  # SVG polyline points of the adopted killed figures
    injured_line: str


def toll_chart(
    tolls: Iterable[Any], width: float = 600.0, height: float = 120.0
) -> TollChart | None:
    """The chart of an incident's tolls; None when no toll has a time and a figure."""
    timed = [
        t for t in tolls if t.at is not None and (t.killed is not None or t.injured is not None)
    ]
    if not timed:
        return None
    stamps = [t.at.timestamp() for t in timed if t.at is not None]
    start, end = min(stamps), max(stamps)
    timed.sort(key=lambda t: t.at.timestamp() if t.at else 0.0)
    span = max(end - start, 1.0)
    peak = max(max(t.killed or 0, t.injured or 0) for t in timed) or 1
    pad = 6.0

    def x(t: Toll) -> float:
        assert t.at is not None
        return float(round(pad + (width - 2 * pad) * (t.at.timestamp() - start) / span, 1))

    def y(value: int) -> float:
        return round(height - pad - (height - 2 * pad) * value / peak, 1)

    def points(field: str) -> tuple[list[TollPoint], str]:
        dots, line, last = [], [], None
        for t in timed:
            value = getattr(t, field)
            if value is None:
                continue
            stamp = t.at.strftime("%Y-%m-%d %H:%M") if t.at else ""
            dots.append(TollPoint(x(t), y(value), f"{t.outlet} · {stamp} · {value} ({t.verdict})"))
            if t.verdict == "adopted":
                if last is not None:
                    line.append(f"{x(t)},{y(last)}")
                line.append(f"{x(t)},{y(value)}")
                last = value
        if last is not None:
            line.append(f"{width - pad},{y(last)}")
        return dots, " ".join(line)

    killed, killed_line = points("killed")
    injured, injured_line = points("injured")
    return TollChart(width, height, peak, killed, injured, killed_line, injured_line)
