"""A human-readable account of a detection, with the matched words highlighted in the original text."""

from __future__ import annotations

from crawler.detect.detector import Detection, Document, document_text
from crawler.detect.text.normalise import normalise_with_offsets

# How each role is tagged after its highlighted word: ⟦داعش⟧ᴬ
ROLE_MARKS = {
    "actor": "ᴬ", "anaphor": "ᴬ", "incident": "ᴵ", "place": "ᴾ", "exclude": "ˣ", "foreign": "ᶠ",
    "hedge": "ʰ", "fresh": "ᵗ",
}  # fmt: skip
LEGEND = (
    "⟦…⟧ᴬ actor, ᴵ incident, ᴾ place in the country, ᶠ abroad, ˣ not-an-event frame, ʰ hedge,"
    " ᵗ time"
)


def highlight(original: str, detection: Detection) -> str:
    """The original text with each hit wrapped and tagged by role; words that did not count
    (a hedged incident, a place that was not the place) are wrapped without a tag."""
    normalised, offsets = normalise_with_offsets(original)
    if normalised != detection.text:
        return original  # hits point into another text: no highlight rather than a wrong one
    counted = {id(h) for h in detection.evidence}
    pieces, cursor = [], 0
    for hit in sorted(detection.hits, key=lambda h: h.start):
        start = offsets[hit.start]
        end = offsets[hit.end - 1] + 1
        if start < cursor:
            continue
        pieces.append(original[cursor:start])
        mark = (
            ROLE_MARKS.get(hit.role, "")
            if id(hit) in counted or hit.role not in ("incident", "place")
            else ""
        )
        pieces.append(f"⟦{original[start:end]}⟧{mark}")
        cursor = end
    pieces.append(original[cursor:])
    return "".join(pieces)


def explain(doc: Document, detection: Detection) -> str:
    verdict = "INCIDENT" if detection.is_incident else "not an incident"
    if detection.reportable and not detection.is_incident:
        verdict = f"LOWER TIER ({detection.attribution}: not tied to the actor by the text)"
    lines = [
        f"== {doc.id or 'text'}: {verdict} (score {detection.score:.2f}, watchlist {detection.watchlist})"
    ]
    if detection.places:
        lines.append(
            "places: "
            + ", ".join(
                # a place with no region is the country itself
                f"{p.name} ({p.lat:.3f}, {p.lon:.3f}; {p.kind}, {p.region or p.name})"
                for p in detection.places
            )
        )
    lines.append(
        f"type: {detection.incident_type or '—'}   killed: {_count(detection.killed)}"
        f"   injured: {_count(detection.injured)}   event date: {detection.event_date or '—'}"
    )
    for count in detection.casualties:
        lines.append(
            f"  {count.who}: killed {_count(count.killed)}, injured {_count(count.injured)}"
        )
    if detection.actors:
        lines.append("actors: " + ", ".join(detection.actors))
    lines.append("why:")
    lines.extend(f"  - {reason}" for reason in detection.why)
    lines.append(f"text ({LEGEND}):")
    lines.append(highlight(document_text(doc), detection))
    return "\n".join(lines)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)
