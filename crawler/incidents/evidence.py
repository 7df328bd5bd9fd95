"""What an alert quotes from its report: the sentences that carry the incident, the claim, the
target the text names, and the confidence in words."""

from __future__ import annotations

from typing import Literal

from alerts.message import Claim, Evidence
from crawler.detect import Detection
from crawler.detect.text.normalise import normalise_with_offsets
from crawler.detect.text.sentences import Sentences
from crawler.incidents.markers import claims_responsibility
from crawler.incidents.report import Article

MAX_SENTENCES = 2
MAX_CHARS = 600  # a sentence longer than this is cut: an alert quotes, it does not reprint
# Claim channels as the sources name them, in normalised spelling, with the name shown.
CHANNELS = {"اعماق": "أعماق", "النبا": "النبأ"}


# The detector's score in words, as the alert says it.
Confidence = Literal["high", "medium", "possible"]
CONFIDENCE: list[tuple[float, Confidence]] = [(0.8, "high"), (0.6, "medium")]


def confidence_of(score: float, attribution: str) -> Confidence:
    """high (score ≥ 0.8), medium (≥ 0.6), else possible; an unattributed incident is at most
    medium: the text does not tie it to anyone."""
    word: Confidence = next((name for floor, name in CONFIDENCE if score >= floor), "possible")
    return "medium" if attribution != "isis" and word == "high" else word


def article_text(article: Article) -> str:
    """The text detection read: the title, a paragraph break, the body (as `document_text`)."""
    title = article.title.strip()
    return f"{title}\n\n{article.text}" if title else article.text


def evidence_of(article: Article, detection: Detection) -> list[Evidence]:
    """The one or two sentences of the report where the counted words are, as the source wrote
    them, each with its matched words marked; none when the offsets cannot be trusted."""
    original = article_text(article)
    normalised, offsets = normalise_with_offsets(original)
    if normalised != detection.text or not detection.evidence:
        return []
    sentences = Sentences(normalised)
    chosen: dict[int, list[tuple[int, int]]] = {}
    for hit in sorted(detection.evidence, key=lambda h: h.start):
        index = sentences.index(hit.start)
        if index not in chosen and len(chosen) >= MAX_SENTENCES:
            continue
        chosen.setdefault(index, []).append((hit.start, hit.end))
    out = []
    for index, hits in sorted(chosen.items()):
        start, end = sentences.spans[index]
        if end <= start:
            continue
        first = offsets[start]
        last = offsets[end - 1] + 1
        text = original[first:last]
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        marks = [
            (offsets[s] - first - lead, offsets[e - 1] + 1 - first - lead)
            for s, e in hits
            if offsets[s] - first - lead >= 0
        ]
        if len(text) > MAX_CHARS:
            text = text[:MAX_CHARS].rstrip() + "…"
            marks = [(s, e) for s, e in marks if e <= MAX_CHARS]
        out.append(Evidence(text=text, marks=marks))
    return out


def claim_of(detection: Detection, claimed: bool) -> Claim | None:
    """The claim as the text states it: who (the actor named) and through which channel."""
    text = detection.text
    if not (claimed or claims_responsibility(text, detection.incident_type)):
        return None
    via = next((shown for word, shown in CHANNELS.items() if word in text.split()), None)
    return Claim(by=detection.actors[0] if detection.actors else None, via=via)
