"""Raqib's settings schema: every default in one place, overridden by the YAML file, then the environment."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


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
    # Safety: the crawler follows links that strangers put in feeds.
    allow_private_networks: bool = False
    # "host" or "host:port" entries trusted although they resolve to a private address
    # (an RSS bridge on localhost, an intranet feed); everything else private stays refused.
    allow_private_hosts: list[str] = []
    user_agent: str = "Raqib/0.1 (+https://github.com/raqib-monitor/raqib; news monitoring)"
    # Politeness and limits.
    obey_robots_txt: bool = True
    robots_cache_seconds: int = 6 * 3600
    download_timeout: float = 20.0
    max_body_bytes: int = 8 * 1024 * 1024
    concurrent_requests: int = 64
    concurrent_per_host: int = 2
    download_delay: float = 0.5  # seconds between two requests to one host
    retries: int = 2
    retry_backoff_seconds: float = 1.0  # first retry after this, doubling each time
    retry_after_max_seconds: float = 30.0  # a longer Retry-After rests the source instead
    # Processes that parse feeds and articles beside the crawl (0: parse on its event loop).
    parse_workers: int = Field(default=1, ge=0)
    # New entries only.
    seen_ttl_days: int = 60
    prefilter: bool = True
    # Scheduling.
    jitter_seconds: float = 10.0
    misfire_grace_seconds: int = 300
    late_after_seconds: float = 30.0  # a run starting later than this is logged and counted
    batch_window_seconds: float = 1.0  # sources due within this window share one crawler
    # A failing source rests: backoff_base_seconds after its first failure, doubling each time.
    backoff_base_seconds: float = 120.0
    max_backoff_seconds: int = 6 * 3600
    silent_after_hours: float = 48.0  # nothing new for this long: reported as silent
    silence_check_seconds: int = 900  # how often the daemon looks for silent sources


class SelectorSpec(Section):
    """For sites without a feed: how to find article links on a listing page.

    Each is a CSS selector, or XPath when it starts with "/" or "(".
    """

    links: str  # <a> elements (their href) or the href attributes themselves
    title: str | None = None  # within each link's element; default: the link's own text
    summary: str | None = None  # within each link's element


class Source(Section):
    name: str = Field(min_length=1)
    url: str
    interval: int = Field(default=600, ge=1)  # seconds; under a minute only for tests
    kind: Literal["feed", "page"] = "feed"
    country: str | None = None
    language: str = "ar"
    enabled: bool = True
    selectors: SelectorSpec | None = None
    found_in: str | None = None
    verified: bool = False
    note: str | None = None

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"expected an http:// or https:// address, got {value!r}")
        return value

    @model_validator(mode="after")
    def _page_needs_selectors(self) -> Source:
        if self.kind == "page" and self.selectors is None:
            raise ValueError("a `page` source needs `selectors:` (at least `links:`)")
        return self


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


class Settings(Section):
    data_dir: Path = Path("var")
    redis: RedisSettings = RedisSettings()
    smtp: SmtpSettings = SmtpSettings()
    crawler: CrawlerSettings = CrawlerSettings()
    alerts: AlertSettings = AlertSettings()
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
