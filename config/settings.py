"""Raqib's settings schema: every default in one place, overridden by the YAML file, then the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Section(BaseModel):
    """A settings block: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class RedisSettings(Section):
    url: str | None = None  # None: start the embedded Redis under data_dir
    prefix: str = "raqib:"


class SmtpSettings(Section):
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "raqib@localhost"
    username: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    starttls: bool = False
    ssl: bool = False
    timeout: float = 30.0


class CrawlerSettings(Section):
    allow_private_networks: bool = False
    user_agent: str = "Raqib/0.1 (+https://github.com/raqib-monitor/raqib; news monitoring)"
    download_timeout: float = 20.0
    max_body_bytes: int = 8 * 1024 * 1024
    concurrent_requests: int = 64
    concurrent_per_host: int = 4
    download_delay: float = 0.0
    retries: int = 2
    seen_ttl_days: int = 60
    prefilter: bool = True
    obey_robots_txt: bool = True
    jitter_seconds: float = 10.0
    misfire_grace_seconds: int = 300
    max_backoff_seconds: int = 6 * 3600
    silent_after_hours: float = 48.0


class SelectorSpec(Section):
    """For sites without a feed: how to find article links on a listing page."""

    links: str  # CSS selector (or XPath when it starts with "/" or "(") yielding <a> elements
    title: str | None = None


class Source(Section):
    name: str
    url: str
    interval: int = Field(default=600, ge=10)
    kind: Literal["feed", "page"] = "feed"
    country: str | None = None
    language: str = "ar"
    enabled: bool = True
    selectors: SelectorSpec | None = None
    found_in: str | None = None
    verified: bool = False
    note: str | None = None


class QuietHours(Section):
    start: str  # "22:00"
    end: str  # "07:00"
    timezone: str = "UTC"
    breakthrough_score: float | None = None

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(f"expected HH:MM, got {value!r}")
        return value


class Subscription(Section):
    name: str
    email: list[str] = []
    chat: list[str] = []  # Apprise URLs
    language: Literal["ar", "en"] = "ar"
    min_score: float = 0.0
    places: list[str] = []  # place names (any spelling the gazetteer knows)
    regions: list[str] = []
    incident_types: list[str] = []
    kinds: list[Literal["new", "update"]] = ["new", "update"]
    update_reasons: list[str] = []  # empty: every kind of update
    mode: Literal["immediate", "digest"] = "immediate"
    digest_minutes: int = Field(default=60, ge=1)
    quiet_hours: QuietHours | None = None
    rate_limit_per_hour: int | None = None


class HttpSettings(Section):
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = 9480


class LogSettings(Section):
    level: str = "INFO"
    json_format: bool = Field(default=False, alias="json")


class AlertSettings(Section):
    max_attempts: int = 8
    backoff_base_seconds: float = 2.0
    backoff_max_seconds: float = 900.0
    claim_idle_seconds: float = 60.0
    workers: int = 1
    throttle: bool = False  # Apprise's own pause between sends to one service


class IncidentSettings(Section):
    """How reports are grouped into incidents (see README, "Incidents: one incident, one alert")."""

    window_days: int = Field(default=3, ge=0)  # a report's day within this of the incident's days
    max_span_days: int = Field(default=10, ge=0)  # an incident never spans more days than this
    nearby_km: float = Field(default=30.0, ge=0)  # pinpointed places closer than this may be one
    copy_similarity: float = Field(default=0.5, gt=0, le=1)  # MinHash Jaccard: a syndicated copy
    threshold: float = 2.5  # place + type + time evidence needed to join an incident
    retention_days: int = Field(default=180, ge=1)  # incidents kept in Redis this long


class Settings(Section):
    data_dir: Path = Path("var")
    redis: RedisSettings = RedisSettings()
    smtp: SmtpSettings = SmtpSettings()
    crawler: CrawlerSettings = CrawlerSettings()
    alerts: AlertSettings = AlertSettings()
    incidents: IncidentSettings = IncidentSettings()
    http: HttpSettings = HttpSettings()
    log: LogSettings = LogSettings()
    sources_file: Path | None = None
    sources: list[Source] = []
    watchlists: list[Path] = []
    gazetteer: Path | None = None  # None: the curated gazetteer shipped with Raqib
    subscriptions: list[Subscription] = []

    # Filled by the loader, not by the user.
    config_path: Path | None = None

    def subscription(self, name: str) -> Subscription:
        for sub in self.subscriptions:
            if sub.name == name:
                return sub
        known = ", ".join(s.name for s in self.subscriptions) or "none configured"
        raise KeyError(f"no subscription named {name!r} (known: {known})")
