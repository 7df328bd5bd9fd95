"""Raqib's settings schema: every default in one place, overridden by the YAML file, then the environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

# local@domain: no spaces, brackets or separators in the local part; the domain in labels of
# letters, digits and hyphens (a single label, such as localhost, is allowed for intranets).
_ADDRESS = re.compile(
    r"[^@\s<>(),;:\"\[\]\\]+@[^\W_](?:[\w-]*[^\W_])?(?:\.[^\W_](?:[\w-]*[^\W_])?)*"
)


def email_address(value: str) -> str:
    """An e-mail address as SMTP takes it (`analyst@example.org`), or a ValueError saying why."""
    value = value.strip()
    if not _ADDRESS.fullmatch(value):
        raise ValueError(f"not an e-mail address: {value!r} (expected name@example.org)")
    return value


def _one_or_many(value: Any) -> Any:
    """`email: a@example.org` means a list of one."""
    return [value] if isinstance(value, str | dict) else value


class Section(BaseModel):
    """A settings block: unknown keys are errors, so a typo never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


REDIS_SCHEMES = ("redis://", "rediss://", "unix://", "redis+sentinel://", "rediss+sentinel://")


class RedisSettings(Section):
    """Where Redis is: one server (`url`), a master found by Sentinels, or a Redis Cluster."""

    # None (and no `sentinels`): start the embedded Redis under data_dir. Otherwise redis://,
    # rediss:// (TLS), unix://, or redis+sentinel://host:26379,host:26379/service[/db]
    # (rediss+sentinel:// for TLS to the Sentinels and the master).
    url: str | None = None
    prefix: str = "raqib:"
    cluster: bool = False  # `url` names one node (or several, comma-separated) of a Redis Cluster
    sentinels: list[str] = []  # "host:port" of each Sentinel, instead of a redis+sentinel:// url
    service: str | None = None  # with `sentinels`: the master's name the Sentinels watch
    db: int = Field(default=0, ge=0)  # with `sentinels`
    # Names of the environment variables holding the passwords: of Redis itself (when it is
    # not in the URL) and of the Sentinels (when they require one).
    password_env: str | None = None
    sentinel_password_env: str | None = None
    ca_file: Path | None = None  # a private CA's certificate for rediss://; default: the system's

    @field_validator("url")
    @classmethod
    def _scheme(cls, value: str | None) -> str | None:
        if value is not None and not value.lower().startswith(REDIS_SCHEMES):
            raise ValueError(
                f"expected a URL starting with {', '.join(REDIS_SCHEMES)}; got "
                f"{value.partition('://')[0] + '://…' if '://' in value else 'no scheme'}"
            )
        return value

    @field_validator("sentinels")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        for address in value:
            host, _, port = address.rpartition(":")
            if not host or not port.isdigit():
                raise ValueError(f"expected host:port for each Sentinel, got {address!r}")
        return value

    @model_validator(mode="after")
    def _one_topology(self) -> RedisSettings:
        sentinel_url = bool(self.url and "+sentinel://" in self.url.lower())
        if self.sentinels and self.url:
            raise ValueError("give either `url` or `sentinels` (with `service`), not both")
        if self.sentinels and not self.service:
            raise ValueError("`sentinels` needs `service`: the master's name they watch")
        if self.cluster and (self.sentinels or sentinel_url):
            raise ValueError("`cluster: true` and Sentinel are two different set-ups: pick one")
        if self.cluster and not self.url:
            raise ValueError("`cluster: true` needs `url`: a redis:// or rediss:// node")
        if self.cluster and self.url and self.url.lower().startswith("unix://"):
            raise ValueError(
                "a Redis Cluster is reached over TCP (redis://, rediss://), not unix://"
            )
        if sentinel_url:
            assert self.url is not None
            hosts, _, path = self.url.partition("://")[2].rpartition("@")[2].partition("/")
            if not hosts or not path.strip("/"):
                raise ValueError(
                    "a Sentinel URL names the Sentinels and the service: "
                    "redis+sentinel://host:26379,host:26379/service[/db]"
                )
        return self

    @property
    def external(self) -> bool:
        """Raqib uses a Redis of the user's (no embedded server)."""
        return bool(self.url or self.sentinels)


class SmtpSettings(Section):
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "raqib@localhost"
    username: str | None = None
    password_env: str | None = None  # name of the environment variable holding the password
    starttls: bool = False  # upgrade the connection with STARTTLS (port 587)
    ssl: bool = False  # TLS from the start (port 465)
    ca_file: Path | None = None  # a private CA's certificate; default: the system's CAs
    timeout: float = 30.0

    @field_validator("sender")
    @classmethod
    def _sender(cls, value: str) -> str:
        return email_address(value)


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
    download_timeout: float = Field(default=20.0, gt=0)
    # > 0: Scrapy reads 0 as "no limit", which also lets gzip and brotli bombs through.
    max_body_bytes: int = 8 * 1024 * 1024
    concurrent_requests: int = 64
    concurrent_per_host: int = 2
    download_delay: float = 0.5  # seconds between two requests to one host
    retries: int = 2
    retry_backoff_seconds: float = 1.0  # first retry after this, doubling each time
    retry_after_max_seconds: float = 30.0  # a longer Retry-After rests the source instead
    # Processes that parse feeds and articles beside the crawl. Never the crawl's own process:
    # only a worker can be stopped when a document takes longer than parse_timeout_seconds.
    parse_workers: int = 1
    parse_timeout_seconds: float = Field(default=30.0, gt=0)
    # New entries only.
    seen_ttl_days: int = 60
    # Bounds on what one source can make Raqib read and remember (a feed that lists 100,000
    # items, or gives its items new ids on every fetch): entries read per fetch, in the
    # document's order (newest first, in a feed); ids (GUIDs and links) kept per source, the
    # oldest trimmed first.
    max_entries_per_fetch: int = Field(default=500, ge=1)
    max_seen_ids: int = Field(default=10_000, ge=1)
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
    # While most sources fail (health.max_failing_sources), the daemon says so at start and
    # this often: "0/43 sources reachable: check DNS or the network".
    reachability_check_seconds: float = Field(default=300.0, gt=0)

    @field_validator("max_body_bytes")
    @classmethod
    def _size_limit(cls, value: int) -> int:
        if value <= 0:
            raise ValueError(
                f"must be more than 0 (got {value}): 0 switches the download size limit off, "
                "and with it the guard against gzip bombs; the default is 8388608 (8 MiB)"
            )
        return value

    @field_validator("parse_workers")
    @classmethod
    def _workers(cls, value: int) -> int:
        if value < 1:
            raise ValueError(
                f"must be at least 1 (got {value}): documents are read in worker processes, "
                "where one that takes longer than parse_timeout_seconds can be stopped"
            )
        return value

    @model_validator(mode="after")
    def _seen_holds_a_fetch(self) -> CrawlerSettings:
        # Each entry has up to two ids; fewer kept than one fetch brings would read entries again.
        if self.max_seen_ids < 2 * self.max_entries_per_fetch:
            raise ValueError(
                f"max_seen_ids ({self.max_seen_ids}) must be at least twice "
                f"max_entries_per_fetch ({self.max_entries_per_fetch}): each entry has up to two "
                "ids, and ids trimmed while still in the feed would be read as new again"
            )
        return self


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
    title: str | None = None  # the outlet's own name, as alerts show it (else the name above)
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
    """Hours when a subscription's alerts are held (not dropped) and sent when they end."""

    start: str  # "22:00", local time in `timezone`
    end: str  # "07:00"; an end before the start spans midnight
    timezone: str = "UTC"
    breakthrough_score: float | None = None  # an alert scoring at least this is sent anyway

    @field_validator("start", "end")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        hours, _, minutes = value.partition(":")
        if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
            raise ValueError(f"expected HH:MM, got {value!r}")
        return value

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (e.g. Africa/Tripoli, UTC)") from exc
        return value


class RateLimit(Section):
    """At most `count` messages per `minutes` on one channel; the rest wait, none are dropped."""

    count: int = Field(ge=1)
    minutes: float = Field(default=60.0, gt=0)


class ChatTarget(Section):
    """A chat channel with settings of its own (a bare Apprise URL string is the short form)."""

    url: str  # Apprise URL; json:// and jsons:// go through Raqib's own webhook channel
    rate_limit: RateLimit | None = None


# What an update can bring; subscriptions filter on them (the incident store sets them).
UpdateReason = Literal["new_source", "casualties", "claim", "correction", "place"]
# Incident types the detector reports (the alert templates carry a label for each).
IncidentType = Literal[
    "attack", "bombing", "suicide_bombing", "ambush", "assassination", "kidnapping",
    "execution", "clash", "arrest", "takeover", "claim", "airstrike", "shelling",
]  # fmt: skip


class Subscription(Section):
    name: str
    email: list[str] = []
    chat: list[str | ChatTarget] = []  # Apprise URLs, or {url, rate_limit}
    language: Literal["ar", "en"] = "ar"
    min_score: float = 0.0
    places: list[str] = []  # place names as the alerts carry them (Arabic), any alef/ta spelling
    regions: list[str] = []  # طرابلس / برقة / فزان, or Tripolitania / Cyrenaica / Fezzan
    incident_types: list[IncidentType] = []
    kinds: list[Literal["new", "update"]] = ["new", "update"]
    update_reasons: list[UpdateReason] = []  # empty: every kind of update
    # Which tiers: "isis" (tied to ISIS by the text), "unattributed" (its tactics, unclaimed)
    attribution: list[Literal["isis", "unattributed"]] = ["isis"]
    mode: Literal["immediate", "digest"] = "immediate"
    digest_minutes: int = Field(default=60, ge=1)
    quiet_hours: QuietHours | None = None
    rate_limit: RateLimit | None = None  # for each channel of this subscription

    @field_validator("email", "chat", mode="before")
    @classmethod
    def _listed(cls, value: Any) -> Any:
        return _one_or_many(value)

    @field_validator("email")
    @classmethod
    def _addresses(cls, value: list[str]) -> list[str]:
        return [email_address(address) for address in value]

    @field_validator("name")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        # The name is part of Redis keys and delivery ids: keep it to one readable token.
        if not value or any(ch.isspace() or ch in ":{}" for ch in value):
            raise ValueError(f"a subscription name needs no spaces, ':' or braces: {value!r}")
        return value

    def chat_targets(self) -> list[ChatTarget]:
        return [ChatTarget(url=c) if isinstance(c, str) else c for c in self.chat]


class HttpSettings(Section):
    """The status endpoint: /healthz and /metrics (Prometheus)."""

    enabled: bool = True
    host: str = "127.0.0.1"  # loopback only; the container image sets 0.0.0.0
    port: int = Field(default=9480, ge=0, le=65535)  # 0: any free port (the log says which)


class HealthSettings(Section):
    """When /healthz answers 503. An unreachable Redis always does; these say when the rest does."""

    max_failing_sources: float = Field(default=0.5, ge=0, le=1)  # share of enabled sources failing
    max_alert_age_seconds: float = Field(default=900.0, gt=0)  # oldest alert waiting to be sent
    max_dead_letters: int = Field(default=10, ge=1)  # dead letters within the window below
    dead_letter_window_hours: float = Field(default=24.0, gt=0)
    stale_after_seconds: float = Field(default=60.0, gt=0)  # scheduler or alert loop silent


class LogSettings(Section):
    level: str = "INFO"
    json_format: bool = Field(default=False, alias="json")


class AlertSettings(Section):
    max_attempts: int = Field(default=8, ge=1)  # then the delivery goes to the dead-letter stream
    backoff_base_seconds: float = Field(default=2.0, gt=0)  # 2, 4, 8 … with ±50% jitter
    backoff_max_seconds: float = Field(default=900.0, gt=0)
    claim_idle_seconds: float = Field(default=60.0, gt=0)  # a delivery idle this long is taken over
    concurrency: int = Field(default=32, ge=1)  # deliveries in flight per process
    batch: int = Field(default=128, ge=1)  # stream entries read at once
    poll_seconds: float = Field(default=1.0, gt=0)  # how often held deliveries are looked at
    idempotency_days: int = Field(default=120, ge=1)  # how long a delivery is remembered
    matches_retention_hours: float = Field(default=72.0, gt=0)  # handled matches kept this long
    send_timeout_seconds: float = Field(default=30.0, gt=0)
    throttle: bool = False  # Apprise's own pause between sends to one service
    # An incident's updates to a person (e-mail, chat): at most one message per this many
    # seconds; updates within it fold into the next message. The first alert is never held.
    coalesce_seconds: float = Field(default=60.0, ge=0)
    # The status endpoint's address as mail readers reach it (https://raqib.example.org): with
    # RAQIB_UNSUBSCRIBE_SECRET set, every e-mail carries a one-click unsubscribe link to it.
    public_url: str | None = None


class IncidentSettings(Section):
    """How reports are grouped into incidents (see docs/incidents.md)."""

    window_days: int = Field(default=3, ge=0)  # a report's day within this of the incident's days
    max_span_days: int = Field(default=10, ge=0)  # an incident never spans more days than this
    nearby_km: float = Field(default=30.0, ge=0)  # pinpointed places closer than this may be one
    copy_similarity: float = Field(default=0.5, gt=0, le=1)  # MinHash Jaccard: a syndicated copy
    threshold: float = 2.5  # place + type + time evidence needed to join an incident
    retention_days: int = Field(default=180, ge=1)  # incidents kept in Redis this long


class ConsoleSettings(Section):
    """The analyst's web console (docs/console.md): on the daemon's HTTP server, or `raqib console`."""

    enabled: bool = True  # served beside /healthz and /metrics by `raqib run`
    host: str = "127.0.0.1"  # `raqib console` alone; any address but loopback requires a login
    port: int = Field(default=9481, ge=0, le=65535)
    language: Literal["ar", "en"] = "ar"  # a switch on each page overrides it per browser
    # Map tiles: {z}/{x}/{y} URL; empty for none (the markers show over Libya's outline).
    tile_url: str = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    tile_attribution: str = "© OpenStreetMap contributors"
    # The console's address as readers reach it (behind a proxy: https://raqib.example/console),
    # for the links of the Atom feed; empty: the address each request came to.
    public_url: str = ""
    page_size: int = Field(default=100, ge=1, le=1000)  # incidents on one page of the list
    session_hours: float = Field(default=12.0, gt=0)
    login_attempts: int = Field(default=5, ge=1)  # per client address and per name …
    login_window_seconds: float = Field(default=300.0, gt=0)  # … within this many seconds


class Settings(Section):
    data_dir: Path = Path("var")
    redis: RedisSettings = RedisSettings()
    smtp: SmtpSettings = SmtpSettings()
    crawler: CrawlerSettings = CrawlerSettings()
    alerts: AlertSettings = AlertSettings()
    incidents: IncidentSettings = IncidentSettings()
    http: HttpSettings = HttpSettings()
    console: ConsoleSettings = ConsoleSettings()
    health: HealthSettings = HealthSettings()
    log: LogSettings = LogSettings()
    # On SIGTERM/SIGINT: how long crawls and deliveries under way may take to finish before
    # they are stopped (what is left is taken up again at the next start). A second signal
    # stops at once.
    shutdown_grace_seconds: float = Field(default=30.0, ge=0)
    sources_file: Path | None = None
    sources: list[Source] = []
    # Default: the ISIS-in-Libya watchlist Raqib ships; an empty list is refused (it would
    # never detect anything).
    watchlists: list[Path] = [Path("config/watchlists/isis-libya.yaml")]
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
