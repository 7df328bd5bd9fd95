"""Reload without a restart: SIGHUP or `raqib reload` re-reads sources, watchlists and subscriptions.

The daemon reads its configuration file again (with the environment, as at start). If it is
valid, the sources are scheduled anew, the detector is rebuilt from the watchlists, and the alert
worker routes with the new subscriptions; what changed is logged. If it is not, the running
configuration stays and the log says why. Other settings (Redis, HTTP, the crawler's limits …)
take effect at the next start, and the log names them.

`raqib reload` reaches every daemon on the same Redis, on any host: it bumps a generation
counter that each daemon looks at every second, and each one answers with what it did.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import redis

from alerts.spine.keyspace import Keyspace
from alerts.subscriptions import build_routes
from config.loader import ConfigError, load_settings
from config.logs import scrub_secrets_of
from config.settings import Settings, Source, Subscription
from crawler.detect import Detector
from crawler.detect.watchlist import Watchlist
from crawler.feeds.workers import DocumentReader

if TYPE_CHECKING:
    from alerts.worker import AlertWorker
    from crawler.feeds.health import SourceCollector
    from crawler.fetch.context import CrawlContext
    from crawler.fetch.scheduler import SourceScheduler

log = logging.getLogger(__name__)

POLL_SECONDS = 1.0  # how often a daemon looks for a `raqib reload`
REPLIES_KEPT_SECONDS = 86400
# What a reload applies; every other setting waits for a restart.
RELOADED = ("sources", "sources_file", "watchlists", "gazetteer", "subscriptions", "config_path")


@dataclass(frozen=True)
class ReloadKeys(Keyspace):
    @property
    def reload_generation(self) -> str:
        """Incremented by each `raqib reload`."""
        return self._k("reload", "generation")

    @property
    def reload_replies(self) -> str:
        """Hash: daemon name -> JSON of its last reload (generation, ok, what changed, why not)."""
        return self._k("reload", "replies")


@dataclass
class Changes:
    """What a reload changed, by name."""

    sources: dict[str, list[str]] = field(default_factory=dict)  # added, removed, changed
    subscriptions: dict[str, list[str]] = field(default_factory=dict)
    watchlists: list[str] = field(default_factory=list)  # files whose content or list changed
    restart_needed: list[str] = field(default_factory=list)  # settings a reload leaves alone

    @property
    def applied(self) -> bool:
        return (
            any(self.sources.values()) or any(self.subscriptions.values()) or bool(self.watchlists)
        )

    def describe(self) -> str:
        parts = []
        for what, found in (("sources", self.sources), ("subscriptions", self.subscriptions)):
            told = [
                f"{len(names)} {how} ({_names(names)})" for how, names in found.items() if names
            ]
            if told:
                parts.append(f"{what}: {', '.join(told)}")
        if self.watchlists:
            parts.append(f"watchlists: rebuilt ({_names(self.watchlists)})")
        if not parts:
            parts.append("sources, watchlists and subscriptions unchanged")
        if self.restart_needed:
            parts.append(f"take effect at the next start: {', '.join(self.restart_needed)}")
        return "; ".join(parts)


def _names(names: list[str], shown: int = 8) -> str:
    return ", ".join(names[:shown]) + (
        f" and {len(names) - shown} more" if len(names) > shown else ""
    )


def _by_name(
    old: Iterable[Source | Subscription], new: Iterable[Source | Subscription]
) -> dict[str, list[str]]:
    before = {item.name: item for item in old}
    after = {item.name: item for item in new}
    return {
        "added": sorted(after.keys() - before.keys()),
        "removed": sorted(before.keys() - after.keys()),
        "changed": sorted(n for n in before.keys() & after.keys() if before[n] != after[n]),
    }


def file_digests(settings: Settings) -> dict[str, str]:
    """The SHA-1 of each watchlist and of the gazetteers they use, by file name: an edit shows.

    A watchlist names its own gazetteer (`gazetteer:`) unless the settings' `gazetteer`
    replaces every one; a watchlist that does not load is left to the reload's own check."""
    paths: list[Path | str] = [*settings.watchlists]
    if settings.gazetteer:
        paths.append(settings.gazetteer)
    else:
        for watchlist in settings.watchlists:
            with contextlib.suppress(Exception):
                own = Watchlist.load(Path(watchlist)).gazetteer
                if own is not None and own not in paths:
                    paths.append(own)
    digests = {}
    for path in paths:
        try:
            digests[str(path)] = hashlib.sha1(Path(path).read_bytes()).hexdigest()
        except OSError as exc:
            digests[str(path)] = f"unreadable: {exc.strerror}"
    return digests


def changes_between(
    old: Settings, new: Settings, old_files: dict[str, str], new_files: dict[str, str]
) -> Changes:
    found = Changes(
        sources=_by_name(old.sources, new.sources),
        subscriptions=_by_name(old.subscriptions, new.subscriptions),
        watchlists=sorted(
            Path(name).name for name in old_files.keys() | new_files.keys()
            if old_files.get(name) != new_files.get(name)
        ),
    )  # fmt: skip
    before = old.model_dump(exclude=set(RELOADED))
    after = new.model_dump(exclude=set(RELOADED))
    for key in sorted(before.keys() | after.keys()):
        was, now = before.get(key), after.get(key)
        if isinstance(was, dict) and isinstance(now, dict):
            found.restart_needed += [
                f"{key}.{inner}" for inner in sorted(was.keys() | now.keys())
                if was.get(inner) != now.get(inner)
            ]  # fmt: skip
        elif was != now:
            found.restart_needed.append(key)
    return found


@dataclass
class Outcome:
    ok: bool
    summary: str


class Reloader:
    """Applies a reload to the roles this process runs; one reload at a time."""

    def __init__(
        self,
        settings: Settings,
        keys: Keyspace,
        client: redis.Redis,
        context: CrawlContext | None = None,
        schedule: SourceScheduler | None = None,
        sources_gauge: SourceCollector | None = None,
        worker: AlertWorker | None = None,
    ) -> None:
        self.settings = settings
        self.files = file_digests(settings)
        self.keys = ReloadKeys(keys.prefix)
        self.client = client  # short timeouts, no retries: the status endpoint's
        self.context = context
        self.schedule = schedule
        self.sources_gauge = sources_gauge
        self.worker = worker
        self.name = f"{socket.gethostname()}-{os.getpid()}"
        self.roles = [r for r, on in (("crawl", schedule), ("alerts", worker)) if on is not None]
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[Outcome]] = set()

    def on_signal(self) -> None:
        """SIGHUP: reload in a task of its own (the signal handler must not wait)."""
        task = asyncio.ensure_future(self.reload("SIGHUP"))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reload(self, why: str) -> Outcome:
        async with self._lock:
            try:
                return await self._reload(why)
            except Exception as exc:  # a reload must never take the daemon down
                log.exception("reload (%s) failed; the running configuration stays", why)
                return Outcome(False, f"failed: {type(exc).__name__}: {exc}")

    async def _reload(self, why: str) -> Outcome:
        path = self.settings.config_path
        try:
            new = await asyncio.to_thread(load_settings, path)
            files = await asyncio.to_thread(file_digests, new)
            found = changes_between(self.settings, new, self.files, files)
            detector = None
            if self.context is not None and found.watchlists:
                detector = await asyncio.to_thread(
                    Detector.from_files, new.watchlists, new.gazetteer
                )
            routes = None
            if self.worker is not None and any(found.subscriptions.values()):
                routes = build_routes(new)
        except ConfigError as exc:
            problems = "\n  ".join(exc.problems)
            log.error("reload (%s): %s is not valid; the running configuration stays:\n  %s",
                      why, path, problems)  # fmt: skip
            return Outcome(False, f"invalid, the running configuration stays: {problems}")
        except (ValueError, KeyError, OSError) as exc:
            log.error("reload (%s): %s; the running configuration stays", why, exc)
            return Outcome(False, f"invalid, the running configuration stays: {exc}")

        # Only what a reload applies moves; the rest waits for a restart.
        applied = self.settings.model_copy(update={key: getattr(new, key) for key in RELOADED})
        scrub_secrets_of(applied)
        if self.context is not None:
            if detector is not None:
                await self._use_detector(applied, detector)
            self.context.settings = applied
        if self.schedule is not None and any(found.sources.values()):
            self.schedule.use_sources(applied.sources)
            if self.sources_gauge is not None:
                self.sources_gauge.names = list(self.schedule.sources)
        if self.worker is not None and routes is not None:
            self.worker.use_subscriptions(applied, routes)
        self.settings, self.files = applied, files
        summary = found.describe()
        log.info("reload (%s) of %s: %s", why, path, summary)
        return Outcome(True, summary)

    async def _use_detector(self, settings: Settings, detector: Detector) -> None:
        """The crawl's detector, and the document reader's workers that prefilter with it."""
        assert self.context is not None
        context = self.context
        crawler = settings.crawler
        reader = DocumentReader(
            crawler.parse_workers, settings.watchlists, settings.gazetteer,
            deadline=crawler.parse_timeout_seconds,
        )  # fmt: skip
        await asyncio.to_thread(reader.start)
        old = context.reader
        context.detector, context.reader = detector, reader
        old.close(finish_queued=True)  # documents already handed to it are still read

    async def watch(self, stop: asyncio.Event) -> None:
        """Look for `raqib reload` every POLL_SECONDS until `stop`; answer each one."""
        seen = await self._generation()
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=POLL_SECONDS)
            if stop.is_set():
                return
            current = await self._generation()
            if current is None or current == seen:
                continue
            if seen is None:  # Redis was away at start: no request to answer yet
                seen = current
                continue
            seen = current
            outcome = await self.reload("raqib reload")
            reply = {
                "generation": current, "ok": outcome.ok, "summary": outcome.summary,
                "roles": self.roles, "at": time.time(),
            }  # fmt: skip
            with contextlib.suppress(redis.RedisError):
                await asyncio.to_thread(self._answer, json.dumps(reply, ensure_ascii=False))

    async def _generation(self) -> int | None:
        try:
            value = await asyncio.to_thread(self.client.get, self.keys.reload_generation)
        except redis.RedisError:
            return None  # Redis away: looked at again in a second
        return int(cast(str, value) or 0)

    def _answer(self, reply: str) -> None:
        pipe = self.client.pipeline(transaction=False)
        pipe.hset(self.keys.reload_replies, self.name, reply)
        pipe.expire(self.keys.reload_replies, REPLIES_KEPT_SECONDS)
        pipe.execute()


def request_reload(
    client: redis.Redis, keys: Keyspace, wait: float, expect: int | None
) -> tuple[int, list[tuple[str, dict[str, Any]]]]:
    """Ask every daemon on this Redis to reload; wait up to `wait` seconds (or until `expect`
    have answered). Returns the request's generation and the answers, by daemon name."""
    reload_keys = ReloadKeys(keys.prefix)
    generation = int(client.incr(reload_keys.reload_generation))
    deadline = time.monotonic() + wait
    answers: list[tuple[str, dict[str, Any]]] = []
    while True:
        replies = cast(dict[str, str], client.hgetall(reload_keys.reload_replies))
        answers = sorted(
            (name, reply) for name, reply in ((n, json.loads(r)) for n, r in replies.items())
            if reply.get("generation") == generation
        )  # fmt: skip
        if (expect is not None and len(answers) >= expect) or time.monotonic() >= deadline:
            return generation, answers
        time.sleep(0.2)
