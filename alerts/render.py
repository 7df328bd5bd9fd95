"""Renders an alert or a digest from the Jinja2 templates: Arabic right-to-left by default, or English."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache, cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import yaml
from markupsafe import Markup

from alerts.bidi import (
    FILTERS,
    RLM,
    fill,
    isolate_html,
    isolate_text,
    marked_html,
    marked_text,
)
from alerts.message import Alert, PlaceRef

TEMPLATES = Path(__file__).resolve().parent / "templates"
LANGUAGES = ("ar", "en")


@cache
def labels() -> dict[str, dict[str, Any]]:
    data: dict[str, dict[str, Any]] = yaml.safe_load(
        (TEMPLATES / "labels.yaml").read_text(encoding="utf-8")
    )
    return data


@cache
def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


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


SEVERE_KILLED = 5  # this many killed, or a suicide bombing, makes an alert severe
SEVERE_TYPES = frozenset({"suicide_bombing"})


def _name(words: dict[str, Any], name: str) -> str:
    """An Arabic name as the language's readers know it: a glossary, never a translation."""
    glossary: dict[str, str] = words.get("names") or {}
    return glossary.get(_one_line(name), _one_line(name))


def _place(place: PlaceRef | None, language: str, words: dict[str, Any]) -> tuple[str, str | None]:
    """The place and its region in the subscriber's language."""
    if place is None:
        return words["unknown_place"], None
    name = place.name_en if language == "en" and place.name_en else place.name
    region = place.region if place.region and place.region != place.name else None
    if region and language == "en" and place.region_en:
        region = place.region_en  # the gazetteer's English name of the region
    return _one_line(name), _one_line(region) if region else None


def top_killed(alert: Alert) -> int:
    """The largest killed figure the alert carries, overall or for one side."""
    figures = [alert.killed or 0, *(c.killed or 0 for c in alert.casualties)]
    return max(figures)


def is_severe(alert: Alert) -> bool:
    return alert.incident_type in SEVERE_TYPES or top_killed(alert) >= SEVERE_KILLED


def _counts(words: dict[str, Any], killed: int | None, injured: int | None) -> list[str]:
    s = words["sentence"]
    out = []
    if killed:
        out.append(s["killed_one"] if killed == 1 else s["killed_n"].replace("{n}", "{killed}"))
    if injured:
        out.append(s["injured_one"] if injured == 1 else s["injured_n"].replace("{n}", "{injured}"))
    return out


def toll_by_side(alert: Alert) -> list[tuple[str, int | None, int | None]]:
    """(side, killed, injured) as detection gave them; the incident's figures when it gave none."""
    sides = [(c.who, c.killed, c.injured) for c in alert.casualties if c.killed or c.injured]
    if not sides and (alert.killed or alert.injured):
        sides = [("victims", alert.killed, alert.injured)]
    return sides


def headline(alert: Alert, language: str, isolate: Callable[[object], Any]) -> list[str]:
    """The facts as sentences: what, where, when, who, the toll by side, the claim, the target.
    Every value is isolated (`<bdi>` in HTML, FSI…PDI in text) so that numbers, ids and names
    in the other script keep their order."""
    words = labels()[language]
    s = words["sentence"]
    place, region = _place(_main_place(alert), language, words)
    where = f"{place} ({region})" if region else place
    what = words["types"].get(alert.incident_type or "", alert.incident_type or words["new"])
    if language == "en":
        what = what[:1].upper() + what[1:]  # it starts the sentence
    first = fill(s["what_where"], isolate, what=what, where=where)
    when = alert.event_date
    if when:
        first += fill(s["on_day"], isolate, day=when)
    sentences = [first + "."]
    if alert.attribution != "isis":
        sentences.append(fill(s["unattributed"], isolate))
    elif alert.actors:
        actor = _name(words, alert.actors[0])
        sentences.append(fill(s["by"], isolate, actor=actor))
    else:
        sentences.append(fill(s["by_isis"], isolate))
    pieces = []
    for who, killed, injured in toll_by_side(alert):
        counts = _counts(words, killed, injured)
        if not counts:
            continue
        joined = (" و" if language == "ar" else " and ").join(
            fill(c, isolate, killed=killed or 0, injured=injured or 0) for c in counts
        )
        side = words["sides"].get(who, who)
        pieces.append(fill(s["side"], lambda v: v, side=side, counts=joined).strip())
    if pieces:
        sentences.append(
            fill(s["toll"], lambda v: v, toll=("؛ " if language == "ar" else "; ").join(pieces))
        )
    claim = alert.claim
    if claim is not None:
        by = _name(words, claim.by) if claim.by else None
        via = _name(words, claim.via) if claim.via else None
        if by and via:
            sentences.append(fill(s["claim_via"], isolate, by=by, via=via))
        elif by:
            sentences.append(fill(s["claim"], isolate, by=by))
        else:
            sentences.append(fill(s["claim_unnamed"], isolate))
    elif "claim" in alert.update_reasons:
        sentences.append(fill(s["claim_unnamed"], isolate))
    else:
        sentences.append(fill(s["no_claim"], isolate))
    if alert.target:
        target = words["targets"].get(alert.target, alert.target.replace("_", " "))
        sentences.append(fill(s["target"], isolate, target=target))
    return sentences


def _main_place(alert: Alert) -> PlaceRef | None:
    return next((p for p in alert.places if p.lat is not None), None) or (
        alert.places[0] if alert.places else None
    )


def facts(alert: Alert, language: str = "ar") -> dict[str, Any]:
    """Everything a template shows about one alert, already in the subscriber's language."""
    words = labels()[language]
    place = _main_place(alert)
    type_label = words["types"].get(alert.incident_type or "", alert.incident_type or "—")
    name, region = _place(place, language, words)
    place_text = f"{name} ({region})" if region else name
    when = alert.event_date or (alert.published.date().isoformat() if alert.published else None)
    reasons = [words["update_reasons"].get(r, r) for r in alert.update_reasons]
    sources = [
        {
            "outlet": _one_line(s.outlet_title or s.outlet),
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
    tolls = []
    for who, killed, injured in toll_by_side(alert):
        side = words["side_names"].get(who, who) if who != "victims" else ""
        tolls.append({"side": side, "killed": killed, "injured": injured})
    evidence = [
        {"html": marked_html(e.text, list(e.marks)), "text": marked_text(e.text, list(e.marks))}
        for e in alert.evidence[:2]
    ]
    return {
        "alert": alert,
        "title": _one_line(alert.title),
        "kind_label": words[alert.kind],
        "type_label": type_label,
        "place_text": place_text,
        "map_url": map_url(place.lat, place.lon) if place else None,
        "when": when,
        "detected": alert.detected_at.strftime("%Y-%m-%d %H:%M"),
        "headline_text": " ".join(headline(alert, language, isolate_text)),
        "headline_html": Markup(" ").join(
            Markup(h) for h in headline(alert, language, isolate_html)
        ),
        "tolls": tolls,
        "confidence": words["confidence_levels"][alert.confidence],
        "tier": words["tiers"][alert.attribution] if alert.attribution != "isis" else None,
        "severe": is_severe(alert),
        "evidence": evidence,
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


def subject(alert: Alert, language: str = "ar", test: bool = False) -> str:
    """One line: [test] [brand] severe/update: type — place — toll. Values are FSI-isolated, so
    a Latin place name or a number keeps its place in an Arabic subject and back."""
    item = facts(alert, language)
    words = labels()[language]
    parts = [isolate_text(item["type_label"]), isolate_text(item["place_text"])]
    killed = top_killed(alert)
    if killed:
        parts.append(isolate_text(f"{killed} {words['killed']}"))
    head = f"[{words['brand']}]"
    if test:
        head = f"[{words['test_tag']}] {head}"
    if alert.kind == "update":
        head += f" {words['update']}:"
    if item["severe"]:
        head += f" {words['urgent']}:"
    return f"{head} {' — '.join(parts)}"


def render(
    alert: Alert, language: str = "ar", note: str | None = None, test: bool = False
) -> Rendered:
    """One alert; a test alert says so in its subject and in a first line (`note`, or the
    language's own words)."""
    ctx = _base(language)
    test = test or note is not None
    if test and note is None:
        note = labels()[language]["test"]
    ctx.update(item=facts(alert, language), subject=subject(alert, language, test), note=note)
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
    head = f"[{words['brand']}]"
    if any(item["severe"] for item in items):
        head += f" {words['urgent']}:"
    ctx.update(
        items=items,
        subject=f"{head} {words['digest']}: {isolate_text(len(items))} {words['incidents']}",
        note=None,
    )
    return Rendered("digest", ctx)
