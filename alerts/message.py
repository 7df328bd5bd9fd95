"""The one contract between crawler/ and alerts/: an incident alert on the `matches` stream (v1)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 1


class PlaceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    lat: float | None = None
    lon: float | None = None
    region: str | None = None
    district: str | None = None
    name_en: str | None = None  # the gazetteer's English name (GeoNames), for English editions


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    outlet: str  # the source's config name
    url: str
    title: str | None = None
    published: datetime | None = None
    outlet_title: str | None = None  # the outlet's own name: the catalogue's `title` or the feed's


class Claim(BaseModel):
    """A claim of responsibility as the text states it."""

    model_config = ConfigDict(frozen=True)

    by: str | None = None  # who claimed, as named (e.g. "داعش")
    via: str | None = None  # the channel named (e.g. "أعماق")
    sentence: str | None = None  # the sentence of the source that states it


class Evidence(BaseModel):
    """A sentence of the source that carries the incident, with the matched words marked."""

    model_config = ConfigDict(frozen=True)

    text: str  # the sentence as the source wrote it (cleaned of controls)
    marks: list[tuple[int, int]] = []  # [start, end) character offsets of matched words in `text`


class Casualty(BaseModel):
    model_config = ConfigDict(frozen=True)

    who: str
    killed: int | None = None
    injured: int | None = None


class Alert(BaseModel):
    """One (incident, revision) to tell subscribers about."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    v: Literal[1] = 1
    incident_id: str
    revision: int = 1
    kind: Literal["new", "update"] = "new"
    update_reasons: list[str] = []  # e.g. new_source, casualties, claim, correction
    score: float
    title: str
    summary: str = ""
    url: str
    source: str
    published: datetime | None = None
    detected_at: datetime = Field(default_factory=lambda: datetime.now(UTC))
    event_date: str | None = None
    places: list[PlaceRef] = []
    incident_type: str | None = None
    killed: int | None = None
    injured: int | None = None
    casualties: list[Casualty] = []
    actors: list[str] = []
    sources: list[SourceRef] = []
    matched: list[str] = []
    why: list[str] = []
    # Added in v1 with defaults (older entries still read): what an analyst acts on.
    watchlist: str | None = None
    attribution: Literal["isis", "unattributed"] = "isis"  # unattributed: no actor tied to it
    confidence: Literal["high", "medium", "possible"] = "high"
    claim: Claim | None = None
    target: str | None = None  # what was hit, a key: checkpoint, oil_field, hotel …
    evidence: list[Evidence] = []

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
