"""A human-readable account of a detection, with the matched words highlighted in the original text."""

from __future__ import annotations

from crawler.detect.detector import Detection, Document
from crawler.detect.normalise import normalise_with_offsets

_ROLE_MARK = {
    "actor": "⟦{}⟧ᴬ",
    "incident": "⟦{}⟧ᴵ",
    "place": "⟦{}⟧ᴾ",
    "exclude": "⟦{}⟧ˣ",
    "foreign": "⟦{}⟧ᶠ",
}


def highlight(original: str, detection: Detection) -> str:
    """The original text with each hit wrapped and tagged by role (A actor, I incident, P place …)."""
    normalised, offsets = normalise_with_offsets(original)
    if normalised != detection.text:
        return original  # hits point into another text (the title was joined in): no highlight
    pieces, cursor = [], 0
    for hit in sorted(detection.hits, key=lambda h: h.start):
        start = offsets[hit.start]
        end = offsets[hit.end - 1] + 1
        if start < cursor:
            continue
        pieces.append(original[cursor:start])
        pieces.append(_ROLE_MARK.get(hit.role, "⟦{}⟧").format(original[start:end]))
        cursor = end
    pieces.append(original[cursor:])
    return "".join(pieces)


def explain(doc: Document, detection: Detection) -> str:
    full = f"{doc.title}\n{doc.text}" if doc.title else doc.text
    lines = [
        f"== {doc.id or 'text'}: {'INCIDENT' if detection.is_incident else 'not an incident'}"
        f" (score {detection.score:.2f}, watchlist {detection.watchlist})",
    ]
    if detection.places:
        lines.append(
            "places: " + ", ".join(f"{p.name} ({p.lat:.3f}, {p.lon:.3f})" for p in detection.places)
        )
    lines.append(
        f"type: {detection.incident_type or '—'}   killed: {detection.killed}   injured: {detection.injured}"
        f"   event date: {detection.event_date or '—'}"
    )
    for c in detection.casualties:
        lines.append(f"  casualties [{c.who}]: killed {c.killed}, injured {c.injured}")
    if detection.actors:
        lines.append("actors: " + ", ".join(detection.actors))
    lines.append("why:")
    lines.extend(f"  - {reason}" for reason in detection.why)
    lines.append("text (⟦…⟧ᴬ actor, ᴵ incident, ᴾ place, ˣ exclusion, ᶠ foreign):")
    lines.append(highlight(full, detection))
    return "\n".join(lines)
