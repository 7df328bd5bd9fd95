"""Incidents out of Raqib: CSV with ACLED's columns, GeoJSON, an Atom feed and JSON (page and CLI alike)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from alerts.spine.cleaning import clean_text
from crawler.app.console.index import Summary
from crawler.incidents.incident import Incident

FORMATS = ("csv", "geojson", "atom", "json")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/json",
}
Record = tuple[Summary, Incident]

# ACLED's event and sub-event types for ours (ACLED codebook, 2023); where two fit, the usual one.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "attack": ("Battles", "Armed clash"),
    "ambush": ("Battles", "Armed clash"),
    "clash": ("Battles", "Armed clash"),
    "takeover": ("Battles", "Non-state actor overtakes territory"),
    "bombing": ("Explosions/Remote violence", "Remote explosive/landmine/IED"),
    "suicide_bombing": ("Explosions/Remote violence", "Suicide bomb"),
    "airstrike": ("Explosions/Remote violence", "Air/drone strike"),
    "shelling": ("Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "assassination": ("Violence against civilians", "Attack"),
    "execution": ("Violence against civilians", "Attack"),
    "kidnapping": ("Violence against civilians", "Abduction/forced disappearance"),
    "arrest": ("Strategic developments", "Arrests"),
    "claim": ("Strategic developments", "Other"),
}
ACLED_ACTORS = {"isis": "Islamic State (Libya)", "unattributed": "Unidentified Armed Group (Libya)"}
CSV_COLUMNS = [
    "event_date", "event_type", "sub_event_type", "actor1", "admin1", "admin2", "location",
    "latitude", "longitude", "fatalities", "source", "notes",
    # Raqib's own, after ACLED's
    "raqib_id", "raqib_type", "injured", "sources_count", "first_seen", "last_change", "url",
]  # fmt: skip
ATOM = "http://www.w3.org/2005/Atom"


def _line(text: str | None) -> str:
    return clean_text(text or "", one_line=True)


def _cell(text: str | None) -> str:
    # A cell a spreadsheet would take for a formula is kept as text.
    value = _line(text)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def _iso(stamp: float | None) -> str:
    return datetime.fromtimestamp(stamp, UTC).isoformat(timespec="seconds") if stamp else ""


def _outlets(incident: Incident) -> list[str]:
    return sorted(incident.outlets)


def to_csv(records: list[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row, incident in records:
        event, sub = ACLED_TYPES.get(row.incident_type or "", ("", ""))
        writer.writerow([
            row.day or "", event, sub, ACLED_ACTORS.get(row.attribution, ""),
            _cell(row.regions[0] if row.regions else ""),
            _cell(row.districts[0] if row.districts else ""),
            _cell(row.place_en or row.place), "" if row.lat is None else f"{row.lat:.4f}",
            "" if row.lon is None else f"{row.lon:.4f}", row.killed or 0,
            _cell("; ".join(_outlets(incident))), _cell(row.title),
            row.id, row.incident_type or "", "" if row.injured is None else row.injured,
            row.sources, _iso(row.first_seen), _iso(row.changed),
            _cell(incident.stories[0].url if incident.stories else ""),
        ])  # fmt: skip
    return out.getvalue()


def _properties(row: Summary, incident: Incident) -> dict[str, Any]:
    return {
        "id": row.id, "title": _line(row.title), "type": row.incident_type,
        "place": row.place, "place_en": row.place_en, "region": row.regions[0] if row.regions else None,
        "district": row.districts[0] if row.districts else None, "event_date": row.day,
        "first_seen": _iso(row.first_seen) or None, "last_change": _iso(row.changed),
        "killed": row.killed, "injured": row.injured, "sources": row.sources,
        "attribution": row.attribution, "watchlist": row.watchlist,
        "urls": [_line(s.url) for s in incident.stories],
    }  # fmt: skip


def to_geojson(records: list[Record]) -> str:
    features = [
        {
            "type": "Feature",
            "id": row.id,
            "geometry": {"type": "Point", "coordinates": [row.lon, row.lat]}
            if row.lat is not None and row.lon is not None
            else None,
            "properties": _properties(row, incident),
        }
        for row, incident in records
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def to_json(records: list[Record]) -> str:
    items = []
    for row, incident in records:
        data = incident.to_json()
        for story in data["stories"]:
            story.pop("signature", None)
            story.pop("terms", None)
        data.update(attribution=row.attribution, watchlist=row.watchlist, changed=_iso(row.changed))
        items.append(data)
    return json.dumps({"count": len(items), "incidents": items}, ensure_ascii=False)


def to_atom(records: list[Record], base_url: str, title: str, describe: Any = None) -> str:
    """An Atom feed of incidents, newest change first: other monitors can subscribe to Raqib.

    `describe(row)`: the one-line summary of an entry (place, type, toll) in the page's language.
    """
    ET.register_namespace("", ATOM)

    def sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    feed = ET.Element(f"{{{ATOM}}}feed")
    sub(feed, "id", "urn:raqib:incidents")
    sub(feed, "title", title)
    newest = max((row.changed for row, _ in records), default=0.0)
    sub(feed, "updated", _iso(newest) or datetime.now(UTC).isoformat(timespec="seconds"))
    sub(feed, "link", rel="alternate", href=f"{base_url}/")
    sub(sub(feed, "author"), "name", "Raqib")
    sub(feed, "generator", "Raqib")
    for row, incident in records:
        entry = sub(feed, "entry")
        sub(entry, "id", f"urn:raqib:incident:{row.id}")
        sub(entry, "title", _line(row.title) or row.id)
        sub(entry, "updated", _iso(row.changed))
        if row.first_seen:
            sub(entry, "published", _iso(row.first_seen))
        sub(entry, "link", rel="alternate", href=f"{base_url}/incidents/{row.id}")
        for story in incident.stories[:10]:
            sub(entry, "link", rel="related", href=_line(story.url), title=_line(story.outlet))
        if row.incident_type:
            sub(entry, "category", term=row.incident_type)
        summary = describe(row) if describe else f"{row.place} {row.incident_type or ''}"
        sub(entry, "summary", _line(summary), type="text")
        if row.lat is not None and row.lon is not None:
            # GeoRSS Simple, which feed readers with a map understand.
            point = ET.SubElement(entry, "{http://www.georss.org/georss}point")
            point.text = f"{row.lat:.4f} {row.lon:.4f}"
    ET.register_namespace("georss", "http://www.georss.org/georss")
    body = ET.tostring(feed, encoding="unicode")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + body


def render(fmt: str, records: list[Record], base_url: str, title: str, describe: Any = None) -> str:
    if fmt == "csv":
        return to_csv(records)
    if fmt == "geojson":
        return to_geojson(records)
    if fmt == "atom":
        return to_atom(records, base_url, title, describe)
    if fmt == "json":
        return to_json(records)
    raise ValueError(f"unknown export format {fmt!r}; one of {', '.join(FORMATS)}")
