"""Renders an alert for a channel from the Jinja2 templates: Arabic right-to-left by default."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import yaml

from alerts.message import Alert

TEMPLATES = Path(__file__).resolve().parent / "templates"
RLM = "\u200f"


@cache
def labels() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (TEMPLATES / "labels.yaml").read_text(encoding="utf-8")
    )
    return data


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str
    chat: str


def map_url(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.4f}&mlon={lon:.4f}#map=10/{lat:.4f}/{lon:.4f}"
    )


def context(alert: Alert, language: str = "ar") -> dict[str, Any]:
    words = labels()[language]
    place = alert.places[0] if alert.places else None
    type_label = words["types"].get(alert.incident_type or "", alert.incident_type or "—")
    place_text = place.name if place else words["unknown_place"]
    if place and place.region and place.region != place.name:
        place_text += f" ({place.region})"
    when = alert.event_date or (alert.published.date().isoformat() if alert.published else None)
    other = [c for c in alert.casualties if c.who != "victims"]
    return {
        "alert": alert,
        "L": words,
        "lang": language,
        "dir": "rtl" if language == "ar" else "ltr",
        "rlm": RLM if language == "ar" else "",
        "type_label": type_label,
        "place_text": place_text,
        "map_url": map_url(place.lat, place.lon) if place else None,
        "when": when,
        "other_casualties": other,
    }


def subject(alert: Alert, language: str = "ar") -> str:
    ctx = context(alert, language)
    words = ctx["L"]
    parts = [ctx["type_label"], ctx["place_text"]]
    if alert.killed:
        parts.append(f"{alert.killed} {words['killed']}")
    head = f"[{words['brand']}]"
    if alert.kind == "update":
        head += f" {words['update']}:"
    return f"{head} {' — '.join(parts)}"


def render(alert: Alert, language: str = "ar") -> Rendered:
    ctx = context(alert, language)
    ctx["subject"] = subject(alert, language)
    plain = _environment(False)
    return Rendered(
        subject=ctx["subject"],
        text=plain.get_template("alert.txt.j2").render(ctx),
        html=_environment(True).get_template("alert.html.j2").render(ctx),
        chat=plain.get_template("alert.chat.j2").render(ctx),
    )
