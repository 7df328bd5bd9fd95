"""Feed health as `raqib feeds` prints it: last success, last error, items, next run, back-off."""

from __future__ import annotations

import time

from config.settings import Settings
from crawler.feedstate import FeedState, FeedStore


def _ago(stamp: float, now: float) -> str:
    if not stamp:
        return "never"
    delta = max(0.0, now - stamp)
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if delta >= size:
            return f"{delta / size:.0f}{unit} ago"
    return f"{delta:.0f}s ago"


def is_silent(state: FeedState, settings: Settings, now: float) -> bool:
    """No successful fetch, or no new item, for longer than the configured silence."""
    limit = settings.crawler.silent_after_hours * 3600
    last = max(state.last_new_item, 0.0) or state.last_success
    return bool(state.fetches) and (not last or now - last > limit)


def feed_table(settings: Settings, store: FeedStore) -> str:
    now = time.time()
    rows = [("source", "last success", "last error", "items", "status", "back-off", "note")]
    known = {s.name for s in settings.sources}
    states = {s.name: s for s in store.states()}
    for name in sorted(known | set(states)):
        state = states.get(name, FeedState(name=name))
        backoff = (
            _ago(now - (state.backoff_until - now), now).replace(" ago", "")
            if state.backoff_until > now
            else "—"
        )
        error = (
            f"{state.last_error[:60]} ({_ago(state.last_error_at, now)})"
            if state.last_error
            else "—"
        )
        notes = []
        if name not in known:
            notes.append("not configured")
        if is_silent(state, settings, now):
            notes.append("SILENT")
        rows.append(
            (
                name,
                _ago(state.last_success, now),
                error,
                str(state.items_seen),
                str(state.last_status or "—"),
                backoff,
                ", ".join(notes),
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
    )
