"""Renders an alert or a digest from the Jinja2 templates: Arabic right-to-left by default, or English."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml

from alerts.message import Alert

TEMPLATES = Path(__file__).resolve().parent / "templates"
RLM = (
    "\u200f"  # right-to-left mark: keeps a line that starts with digits or Latin text right-aligned
)
LANGUAGES = ("ar", "en")


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
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Rendered:
    """One message in every form a channel may want, each rendered the first time it is asked for
    (a webhook needs only the chat text; an e-mail needs the rest)."""

    def __init__(self, kind: str, ctx: dict[str, Any]) -> None:
        self.kind = kind  # "alert" or "digest"
        self.ctx = ctx
        self.subject: str = ctx["subject"]
        self.language: str = ctx["lang"]

    def _form(self, form: str, autoescape: bool = False) -> str:
        return _environment(autoescape).get_template(f"{self.kind}.{form}.j2").render(self.ctx)

    @cached_property
    def text(self) -> str:
        """Plain text, with RLM marks in Arabic."""
        return self._form("txt")

    @cached_property
    def html(self) -> str:
        """A whole HTML document, dir="rtl" in Arabic; third-party text escaped."""
        return self._form("html", autoescape=True)

    @cached_property
    def chat(self) -> str:
        """Compact plain text; each chat channel escapes it for its own markup."""
        return self._form("chat")


def map_url(lat: float | None, lon: float | None) -> str | None:
    if lat is None or lon is None:
        return None
    return (
        f"https://www.openstreetmap.org/?mlat={lat:.4f}&mlon={lon:.4f}#map=10/{lat:.4f}/{lon:.4f}"
    )


def safe_href(url: str | None) -> str | None:
    """A link target only for http(s) addresses: a `javascript:` link from a feed stays text."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _one_line(text: str) -> str:
    # Titles and outlet names come from feeds: a newline in one must not start a line of ours.
    return " ".join(text.split())


def facts(alert: Alert, language: str = "ar") -> dict[str, Any]:
    """Everything a template shows about one alert, already in the subscriber's language."""
    words = labels()[language]
    place = next((p for p in alert.places if p.lat is not None), None) or (
        alert.places[0] if alert.places else None
    )
    type_label = words["types"].get(alert.incident_type or "", alert.incident_type or "—")
    place_text = _one_line(place.name) if place else words["unknown_place"]
    if place and place.region and place.region != place.name:
        place_text += f" ({_one_line(place.region)})"
    when = alert.event_date or (alert.published.date().isoformat() if alert.published else None)
    reasons = [words["update_reasons"].get(r, r) for r in alert.update_reasons]
    sources = [
        {
            "outlet": _one_line(s.outlet),
            "url": s.url,
            "href": safe_href(s.url),
            "title": _one_line(s.title or ""),
        }
        for s in (alert.sources or [])
    ]
    if not sources:
        sources = [
            {"outlet": _one_line(alert.source), "url": alert.url, "href": safe_href(alert.url),
             "title": _one_line(alert.title)}
        ]  # fmt: skip
    return {
        "alert": alert,
        "title": _one_line(alert.title),
        "kind_label": words[alert.kind],
        "type_label": type_label,
        "place_text": place_text,
        "map_url": map_url(place.lat, place.lon) if place else None,
        "when": when,
        "detected": alert.detected_at.strftime("%Y-%m-%d %H:%M UTC"),
        "other_casualties": [c for c in alert.casualties if c.who != "victims"],
        "reasons": reasons,
        "sources": sources,
        "score": f"{alert.score:.2f}",
        "why": [_one_line(w) for w in alert.why],
    }


def _base(language: str) -> dict[str, Any]:
    if language not in LANGUAGES:
        raise ValueError(f"no templates for language {language!r} (have: {', '.join(LANGUAGES)})")
    return {
        "L": labels()[language],
        "lang": language,
        "dir": "rtl" if language == "ar" else "ltr",
        "align": "right" if language == "ar" else "left",
        "rlm": RLM if language == "ar" else "",
    }


def subject(alert: Alert, language: str = "ar") -> str:
    item = facts(alert, language)
    words = labels()[language]
    parts = [item["type_label"], item["place_text"]]
    if alert.killed:
        parts.append(f"{alert.killed} {words['killed']}")
    head = f"[{words['brand']}]"
    if alert.kind == "update":
        head += f" {words['update']}:"
    return f"{head} {' — '.join(parts)}"


def render(alert: Alert, language: str = "ar", note: str | None = None) -> Rendered:
    """One alert; `note` is a line of ours shown first (the test-alert says it is a test)."""
    ctx = _base(language)
    ctx.update(item=facts(alert, language), subject=subject(alert, language), note=note)
    return Rendered("alert", ctx)


def latest_revisions(alerts: Sequence[Alert]) -> list[Alert]:
    """One alert per incident, its latest revision, oldest incident first."""
    latest: dict[str, Alert] = {}
    for alert in alerts:
        held = latest.get(alert.incident_id)
        if held is None or alert.revision > held.revision:
            latest[alert.incident_id] = alert
    return sorted(latest.values(), key=lambda a: (a.detected_at, a.incident_id))


def render_digest(alerts: Sequence[Alert], language: str = "ar") -> Rendered:
    """Several incidents in one message; an incident updated meanwhile appears once, as it is now."""
    ctx = _base(language)
    items = [facts(a, language) for a in latest_revisions(alerts)]
    words = ctx["L"]
    ctx.update(
        items=items,
        subject=f"[{words['brand']}] {words['digest']}: {len(items)} {words['incidents']}",
        note=None,
    )
    return Rendered("digest", ctx)
