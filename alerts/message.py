"""The one contract between crawler/ and alerts/: an incident alert on the `matches` stream (v1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from alerts.spine.cleaning import clean_text, removed_spans, shift_offset

SCHEMA_VERSION = 1

# Every string that a stranger may have written (a feed's title, summary, links, an outlet's
# name, the sentences quoted) is cleaned as the alert is built or read: no control, terminal
# escape or direction override reaches a template, a log line or a channel.
Line = Annotated[str, AfterValidator(lambda text: clean_text(text, one_line=True))]
Text = Annotated[str, AfterValidator(clean_text)]


class PlaceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: Line
    lat: float | None = None
    lon: float | None = None
    region: Line | None = None
    district: Line | None = None
    name_en: Line | None = None  # the gazetteer's English name (GeoNames), for English editions
    region_en: Line | None = None  # the region's English name, from the same gazetteer


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    outlet: Line  # the source's config name
    url: Line
    title: Line | None = None
    published: datetime | None = None
    outlet_title: Line | None = None  # the outlet's own name: the catalogue's `title` or the feed's


class Claim(BaseModel):
    """A claim of responsibility as the text states it."""

    model_config = ConfigDict(frozen=True)

    by: Line | None = None  # who claimed, as named (e.g. "داعش")
    via: Line | None = None  # the channel named (e.g. "أعماق")
    sentence: Line | None = None  # the sentence of the source that states it


class Evidence(BaseModel):
    """A sentence of the source that carries the incident, with the matched words marked."""

    model_config = ConfigDict(frozen=True)

    text: str  # the sentence as the source wrote it (cleaned of controls)
    marks: list[tuple[int, int]] = []  # [start, end) character offsets of matched words in `text`

    @model_validator(mode="before")
    @classmethod
    def _clean(cls, data: Any) -> Any:
        # Cleaning may take characters out: the marks move with the words they mark.
        if isinstance(data, dict) and isinstance(data.get("text"), str):
            text = data["text"]
            spans = removed_spans(text)
            data = {**data, "text": clean_text(text, one_line=True)}
            if spans and isinstance(data.get("marks"), list):
                data["marks"] = [
                    (shift_offset(start, spans), shift_offset(end, spans))
                    for start, end in data["marks"]
                ]
        return data


class Casualty(BaseModel):
    model_config = ConfigDict(frozen=True)

    who: Line
    killed: int | None = None
    injured: int | None = None


class Alert(BaseModel):
    """One (incident, revision) to tell subscribers about."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    v: Literal[1] = 1
    incident_id: Line
    revision: int = 1
    kind: Literal["new", "update"] = "new"
    update_reasons: list[Line] = []  # e.g. new_source, casualties, claim, correction
    score: float
    title: Line
    summary: Text = ""
    url: Line
    source: Line
    published: datetime | None = None
    detected_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    event_date: Line | None = None
    places: list[PlaceRef] = []
    incident_type: Line | None = None
    killed: int | None = None
    injured: int | None = None
    casualties: list[Casualty] = []
    actors: list[Line] = []
    sources: list[SourceRef] = []
    matched: list[Line] = []
    why: list[Line] = []
    # Added in v1 with defaults (older entries still read): what an analyst acts on.
    watchlist: Line | None = None
    attribution: Literal["isis", "unattributed"] = "isis"  # unattributed: no actor tied to it
    confidence: Literal["high", "medium", "possible"] = "high"
    claim: Claim | None = None
    target: Line | None = None  # what was hit, a key: checkpoint, oil_field, hotel …
    evidence: list[Evidence] = []
    # An analyst merged these incidents into this one: their threads continue in this one's.
    merged_from: list[Line] = []

    @property
    def key(self) -> str:
        """What makes this alert itself: idempotency is per (incident, revision)."""
        return f"{self.incident_id}:{self.revision}"

    def to_fields(self) -> dict[str, str]:
        """Stream entry fields: the version apart, so a reader can refuse what it cannot read."""
        return {"v": str(self.v), "alert": self.model_dump_json()}

    @classmethod
    def from_fields(cls, fields: dict[str, str]) -> Alert:
        version = int(fields.get("v", "0"))
        if version != SCHEMA_VERSION:
            raise ValueError(f"alert schema version {version} is not supported (expected 1)")
        return cls.model_validate(json.loads(fields["alert"]))
