"""Prometheus metrics of the crawl: fetches, entries, articles, matches, incident reports, job errors."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

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
