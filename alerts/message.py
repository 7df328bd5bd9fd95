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


class SourceRef(BaseModel):
    model_config = ConfigDict(frozen=True)

    outlet: str
    url: str
    title: str | None = None
    published: datetime | None = None


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
