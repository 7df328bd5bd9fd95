"""Feed health as `raqib feeds` and /metrics show it: last success, last error, items, next run, back-off, silence."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import redis
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from config.settings import Settings
from crawler.feeds.state import FeedState, FeedStore


def _ago(stamp: float, now: float) -> str:
    if not stamp:
        return "never"
    return f"{_span(now - stamp)} ago"


def _span(seconds: float) -> str:
    seconds = max(0.0, seconds)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.0f}{unit}"
    return f"{seconds:.0f}s"


def is_silent(state: FeedState, settings: Settings, now: float) -> bool:
    """Fetched, but nothing new (or no success at all) for longer than the configured silence."""
    limit = settings.crawler.silent_after_hours * 3600
    since = state.last_new_item or state.first_fetch
    return bool(state.fetches) and bool(since) and now - since > limit


def silent_sources(settings: Settings, store: FeedStore, names: Iterable[str]) -> list[str]:
    now = time.time()
    return [n for n in names if is_silent(store.state(n), settings, now)]


@dataclass(frozen=True)
class SourceHealth:
    state: FeedState
    configured: bool
    enabled: bool
    silent: bool
    resting: bool

    def as_dict(self) -> dict[str, Any]:
        record = asdict(self.state)
        record.update(
            configured=self.configured, enabled=self.enabled, silent=self.silent,
            resting=self.resting,
        )  # fmt: skip
        return record


def feed_health(settings: Settings, store: FeedStore) -> list[SourceHealth]:
    """Every configured or remembered source, with its state and what `raqib feeds` concludes."""
    now = time.time()
    configured = {s.name: s for s in settings.sources}
    states = {s.name: s for s in store.states()}
    report = []
    for name in sorted(configured.keys() | states.keys()):
        source = configured.get(name)
        state = states.get(name) or FeedState(name=name, url=source.url if source else "")
        report.append(
            SourceHealth(
                state=state,
                configured=source is not None,
                enabled=bool(source and source.enabled),
                silent=is_silent(state, settings, now),
                resting=state.backoff_until > now,
            )
        )
    return report


def bounds_notes(state: FeedState, settings: Settings) -> list[str]:
    """What the bounds on a source cut: entries of its last document, ids it was seen with."""
    crawler = settings.crawler
    notes = []
    if state.entries_over_cap:
        notes.append(
            f"{state.entries_over_cap} entries not read, past max_entries_per_fetch "
            f"({crawler.max_entries_per_fetch})"
        )
    if state.seen_trimmed:
        notes.append(
            f"{state.seen_trimmed} oldest seen ids trimmed (max_seen_ids {crawler.max_seen_ids})"
        )
    return notes


def feed_table(health: list[SourceHealth], settings: Settings) -> str:
    now = time.time()
    header = ("source", "last success", "last error", "items", "next run", "back-off", "note")
    rows: list[tuple[str, ...]] = [header]
    for source in health:
        state = source.state
        error = "—"
        if state.last_error:
            error = f"{state.last_error[:60]} ({_ago(state.last_error_at, now)})"
        backoff = "—"
        if source.resting:
            plural = "s" if state.failures != 1 else ""
            backoff = f"{_span(state.backoff_until - now)} ({state.failures} failure{plural})"
        next_run = "—"
        if source.enabled and state.next_run:
            due = max(state.next_run, state.backoff_until)
            next_run = f"in {_span(due - now)}" if due > now else "due"
        notes = []
        if not source.configured:
            notes.append("not configured")
        elif not source.enabled:
            notes.append("disabled")
        if source.silent:
            notes.append(f"SILENT > {settings.crawler.silent_after_hours:g}h")
        if state.last_warning and state.last_warning_at >= state.last_fetch - 1:
            notes.append(state.last_warning[:90])
        notes.extend(bounds_notes(state, settings))
        rows.append(
            (
                state.name,
                _ago(state.last_success, now),
                error,
                str(state.items_seen),
                next_run,
                backoff,
                "; ".join(notes),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )


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
        "unfetched": [h.state.name for h in health if not h.state.fetches],
    }


@dataclass(frozen=True)
class Reachability:
    """How many enabled sources answered their last fetch, and the verdict /healthz gives:
    more than `max_failing_share` failing at once says the fault is ours (network, DNS, a
    block), not theirs. `raqib feeds --check`, /healthz and the daemon's warning judge alike."""

    enabled: int
    failing: list[str]
    resting: list[str]
    silent: list[str]
    unfetched: list[str]  # not fetched yet: neither reachable nor failing
    max_failing_share: float

    @property
    def reachable(self) -> int:
        return self.enabled - len(self.failing) - len(self.unfetched)

    @property
    def ok(self) -> bool:
        return not self.enabled or len(self.failing) / self.enabled <= self.max_failing_share

    def sentence(self) -> str:
        text = f"{self.reachable}/{self.enabled} sources reachable"
        if self.unfetched:
            text += f" ({len(self.unfetched)} not fetched yet)"
        if not self.ok:
            text += ": check DNS or the network (`raqib feeds` shows each one's last error)"
        return text


def reachability(settings: Settings, store: FeedStore, names: Sequence[str]) -> Reachability:
    summary = source_summary(settings, store, names)
    return Reachability(
        enabled=len(names),
        failing=summary["failing"],
        resting=summary["resting"],
        silent=summary["silent"],
        unfetched=summary["unfetched"],
        max_failing_share=settings.health.max_failing_sources,
    )


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
        for state in ("failing", "resting", "silent"):
            sources.add_metric([state], len(summary[state]))
        yield sources
