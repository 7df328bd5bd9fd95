"""Prometheus metrics of the crawler: fetches, entries, matches, incidents, and sources read from Redis."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import redis
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from config.settings import Settings
from crawler.feedstate import FeedStore
from crawler.health import SourceHealth, feed_health

FETCHES = Counter(
    "raqib_fetches",
    "Fetches by kind (feed, article) and outcome: the HTTP status, or the error "
    "(timeout, connection_refused, dns, blocked, too_large, unreadable, error).",
    ["kind", "status"],
)
FETCH_SECONDS = Histogram(
    "raqib_fetch_seconds",
    "Feed fetches: from the request leaving to the answer read, retries included.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60),
)
CRAWL_SECONDS = Histogram(
    "raqib_crawl_seconds",
    "One crawl of a batch of sources, until its last article is handled.",
    buckets=(0.5, 1, 2, 5, 10, 20, 60, 120, 300),
)
ENTRIES = Counter(
    "raqib_entries",
    "New feed entries by the prefilter's verdict: followed (read in full and judged) or dismissed.",
    ["verdict"],
)
ARTICLES = Counter("raqib_articles", "Articles run through detection.")
MATCHES = Counter("raqib_matches", "Articles detection reported as an incident.")
INCIDENT_REPORTS = Counter(
    "raqib_incident_reports",
    "Matching articles by what clustering made of them: new (a new incident), update, or "
    "duplicate (nothing new: no alert).",
    ["kind"],
)
JOB_ERRORS = Counter(
    "raqib_job_errors",
    "Scheduled runs that raised (the source's or job's name); the schedule goes on.",
    ["job"],
)
EMBEDDED_REDIS_RESTARTS = Counter(
    "raqib_embedded_redis_restarts", "Times the embedded redis-server died and was started again."
)


def outcome_of(status: int, reason: str) -> str:
    """A fetch's outcome as a label: its HTTP status, or a short name for the error."""
    if status:
        return str(status)
    text = reason.lower()
    for words, label in (
        (("timeout", "timed out"), "timeout"),
        (("connection was refused", "connectionrefused"), "connection_refused"),
        (("dns", "lookup"), "dns"),
        (("not allowed", "private", "refused"), "blocked"),  # the network guard said no
        (("size limit", "maxsize"), "too_large"),
    ):
        if any(word in text for word in words):
            return label
    return "error"


def source_summary(
    settings: Settings, store: FeedStore, names: Sequence[str]
) -> dict[str, list[str]]:
    """The enabled sources by state: failing (the last fetch failed), resting, silent."""
    wanted = set(names)
    health: list[SourceHealth] = [h for h in feed_health(settings, store) if h.state.name in wanted]
    return {
        "failing": [h.state.name for h in health if h.state.failures > 0],
        "resting": [h.state.name for h in health if h.resting],
        "silent": [h.state.name for h in health if h.silent],
    }


class SourceCollector(Collector):
    """Gauges of the sources' health, read from Redis when /metrics is scraped."""

    def __init__(self, settings: Settings, store: FeedStore, names: Sequence[str]) -> None:
        self.settings = settings
        self.store = store
        self.names = list(names)

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            summary = source_summary(self.settings, self.store, self.names)
        except redis.RedisError:
            return  # raqib_redis_up says why nothing is here
        sources = GaugeMetricFamily(
            "raqib_sources",
            "Enabled sources of this crawler, and how many of them are failing (last fetch "
            "failed), resting (backing off) or silent (nothing new for crawler.silent_after_hours).",
            labels=["state"],
        )
        sources.add_metric(["enabled"], len(self.names))
        for state, members in summary.items():
            sources.add_metric([state], len(members))
        yield sources
