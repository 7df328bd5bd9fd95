"""The crawl schedule: one APScheduler job per source, a lease per fetch, sources due together batched."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import redis
from apscheduler.jobstores.base import JobLookupError

from config.settings import Source
from crawler.feeds.health import reachability, silent_sources
from crawler.feeds.state import FeedStore, lease_seconds
from crawler.fetch.context import CrawlContext
from crawler.fetch.metrics import JOB_ERRORS
from crawler.fetch.runner import crawl_sources

log = logging.getLogger(__name__)

JOB_PREFIX = "source:"
HEARTBEAT_SECONDS = 5.0
LEASE_KEEP_SECONDS = 1.0  # how often the leases of runs still waiting for their fetch are renewed


class CrawlBatcher:
    """Gathers the sources that fall due within a short window into one crawler run.

    Each caller waits only for its own source: the batch's crawler reports every source as it
    finishes, so one slow source does not hold the others' jobs.
    """

    def __init__(self, context: CrawlContext, window: float) -> None:
        self.context = context
        self.window = window
        self._waiting: dict[str, tuple[Source, asyncio.Future[None]]] = {}
        self._flush: asyncio.TimerHandle | None = None
        self._crawls: set[asyncio.Task[None]] = set()

    async def fetch(self, source: Source) -> None:
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting[source.name] = (source, future)
        if self._flush is None:
            self._flush = asyncio.get_running_loop().call_later(self.window, self._start)
        await future

    def _start(self) -> None:
        self._flush = None
        batch, self._waiting = self._waiting, {}
        task = asyncio.ensure_future(self._crawl(batch))
        self._crawls.add(task)
        task.add_done_callback(self._crawls.discard)

    @property
    def in_flight(self) -> int:
        return len(self._crawls)

    def close(self) -> None:
        """Start no more crawls: sources waiting for the batch window are let go unfetched."""
        if self._flush is not None:
            self._flush.cancel()
            self._flush = None
        waiting, self._waiting = self._waiting, {}
        for _, future in waiting.values():
            if not future.done():
                future.set_result(None)

    async def settle(self, timeout: float | None) -> bool:
        """Wait up to `timeout` for the crawls under way; True when none is left."""
        if self._crawls:
            await asyncio.wait(set(self._crawls), timeout=timeout)
        return not self._crawls

    async def _crawl(self, batch: dict[str, tuple[Source, asyncio.Future[None]]]) -> None:
        def done(name: str) -> None:
            entry = batch.get(name)
            if entry is not None and not entry[1].done():
                entry[1].set_result(None)

        sources = [source for source, _ in batch.values()]
        names = ", ".join(s.name for s in sources[:10]) + (", …" if len(sources) > 10 else "")
        log.info("crawling %d source(s): %s", len(sources), names)
        try:
            await crawl_sources(self.context, sources, on_source_done=done)
        except Exception:
            log.exception("crawl of %s failed", ", ".join(batch))
        finally:
            for name in batch:
                done(name)


class SourceScheduler:
    """One interval job per enabled source, with jitter, max_instances=1 and coalescing.

    Before fetching, a job checks the source's back-off and takes its lease in Redis, so several
    crawler processes sharing one Redis fetch each source once per interval between them.
    Skipped, missed and late runs are logged and counted in the source's health.
    """

    def __init__(self, context: CrawlContext, sources: Sequence[Source]) -> None:
        from apscheduler.schedulers.asyncio import AsyncIOScheduler

        self.context = context
        self.settings = context.settings.crawler
        self.sources = {s.name: s for s in sources if s.enabled}
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.batcher = CrawlBatcher(context, self.settings.batch_window_seconds)
        self.stopping = False
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self._reported_silent: set[str] = set()
        self._unreachable_reported = False
        self.last_beat = 0.0  # monotonic time of the heartbeat job's last run
        self.redis_up = self._redis_reported = True
        self.probe = context.handle.observer()
        self.holding: dict[str, float] = {}  # sources leased and not yet fetched: lease seconds

    @property
    def running(self) -> bool:
        return bool(self.scheduler.running)

    def start(self) -> None:
        from apscheduler.events import (
            EVENT_JOB_ERROR,
            EVENT_JOB_MAX_INSTANCES,
            EVENT_JOB_MISSED,
            EVENT_JOB_SUBMITTED,
        )

        crawler = self.settings
        # APScheduler logs every run at INFO: hundreds of lines a minute. Its warnings still show;
        # our own listeners log what matters (skipped, missed, late runs).
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.scheduler.add_listener(self._skipped, EVENT_JOB_MAX_INSTANCES)
        self.scheduler.add_listener(self._missed, EVENT_JOB_MISSED)
        self.scheduler.add_listener(self._submitted, EVENT_JOB_SUBMITTED)
        self.scheduler.add_listener(self._failed, EVENT_JOB_ERROR)
        now = datetime.now(UTC)
        for source in self.sources.values():
            self._schedule(source, now)
        self.scheduler.add_job(
            self.report_silence, "interval", seconds=crawler.silence_check_seconds,
            id="silence", name="silence", max_instances=1, coalesce=True,
        )  # fmt: skip
        self.scheduler.add_job(
            self.report_reachability, "interval", seconds=crawler.reachability_check_seconds,
            id="reachability", name="reachability", max_instances=1, coalesce=True,
            next_run_time=now,
        )  # fmt: skip
        # However late (a busy loop): a renewal missed is a lease that may end before its fetch.
        self.scheduler.add_job(
            self.keep_leases, "interval", seconds=LEASE_KEEP_SECONDS, id="leases", name="leases",
            max_instances=1, coalesce=True, misfire_grace_time=None,
        )  # fmt: skip
        # Proof that the scheduler still runs jobs, for /healthz.
        self.scheduler.add_job(
            self.beat, "interval", seconds=HEARTBEAT_SECONDS, id="heartbeat", name="heartbeat",
            max_instances=1, coalesce=True, next_run_time=now,
        )  # fmt: skip
        self.scheduler.start()
        log.info("scheduled %d sources (crawler %s)", len(self.sources), self.owner)

    def _schedule(self, source: Source, now: datetime) -> None:
        crawler = self.settings
        # Spread the first runs too, so a restart does not fetch everything at once.
        first = now + timedelta(
            seconds=random.uniform(0, min(crawler.jitter_seconds, source.interval))
        )
        self.scheduler.add_job(
            self.run_source, "interval", seconds=source.interval, args=[source.name],
            id=JOB_PREFIX + source.name, name=source.name, max_instances=1, coalesce=True,
            misfire_grace_time=crawler.misfire_grace_seconds, jitter=crawler.jitter_seconds,
            next_run_time=first,
        )  # fmt: skip

    def use_sources(self, sources: Sequence[Source]) -> None:
        """Schedule these sources from now on (a reload): new ones start within the jitter,
        removed ones run no more (a run under way finishes), a changed interval starts anew;
        any other change is used from the source's next run."""
        wanted = {s.name: s for s in sources if s.enabled}
        now = datetime.now(UTC)
        for name in self.sources.keys() - wanted.keys():
            with contextlib.suppress(JobLookupError):
                self.scheduler.remove_job(JOB_PREFIX + name)
        for name, source in wanted.items():
            old = self.sources.get(name)
            if old is not None and old.interval == source.interval:
                continue
            if old is not None:
                with contextlib.suppress(JobLookupError):
                    self.scheduler.remove_job(JOB_PREFIX + name)
            self._schedule(source, now)
        self.sources = wanted

    async def beat(self) -> None:
        """Proof of life for /healthz, and a look at Redis: while it does not answer, runs are
        skipped rather than left to block the loop in the Redis client's reconnection attempts."""
        self.last_beat = time.monotonic()
        try:
            await asyncio.to_thread(self.probe.ping)
            up = True
        except (redis.ConnectionError, redis.TimeoutError):
            up = False
        if up != self._redis_reported:
            log.log(logging.INFO if up else logging.WARNING,
                    "Redis %s: crawl runs %s", "is back" if up else "does not answer",
                    "resume" if up else "are skipped until it answers")  # fmt: skip
        self.redis_up = self._redis_reported = up

    def shutdown(self) -> None:
        """No new runs; sources waiting for their batch are let go (crawls under way go on)."""
        self.stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        self.batcher.close()
        self.probe.close()

    async def run_source(self, name: str) -> None:
        if not self.redis_up:
            return
        try:
            await self._run_source(self.sources[name])
        except asyncio.CancelledError:
            if self.stopping:
                # APScheduler's shutdown cancels the jobs still waiting; their crawls are tasks
                # of their own that go on within the grace. A stop is not an error to log.
                return
            raise
        except (redis.ConnectionError, redis.TimeoutError):
            self.redis_up = False  # the other jobs skip their runs until the heartbeat sees it back
            raise

    async def _run_source(self, source: Source) -> None:
        name = source.name
        feeds = self.context.feeds
        job = self.scheduler.get_job(JOB_PREFIX + name)
        if job is not None and job.next_run_time is not None:
            feeds.record_run(name, job.next_run_time.timestamp())
        resting = feeds.resting_until(name)
        if resting > time.time():
            feeds.bump(name, "rested_runs")
            log.debug("%s rests until %s after failures", name, _clock(resting))
            return
        lease = lease_seconds(source.interval, self.settings.jitter_seconds)
        if not feeds.acquire_lease(name, self.owner, lease):
            feeds.bump(name, "leased_elsewhere")
            log.debug("%s was fetched by another crawler within its interval", name)
            return
        self.holding[name] = lease
        try:
            await self.batcher.fetch(source)
        finally:
            self.holding.pop(name, None)

    async def keep_leases(self) -> None:
        """Renew the leases of the runs still waiting for their fetch (a big crawl's queue)."""
        if self.holding and self.redis_up:
            await asyncio.to_thread(self.context.feeds.keep_leases, dict(self.holding), self.owner)

    async def report_silence(self) -> None:
        """Warn once about each source gone silent (no success or no new item for too long)."""
        silent = set(silent_sources(self.context.settings, self.context.feeds, self.sources))
        for name in sorted(silent - self._reported_silent):
            log.warning("source %s is silent: nothing new for over %.0f h; see `raqib feeds`",
                        name, self.settings.silent_after_hours)  # fmt: skip
        for name in sorted(self._reported_silent - silent):
            log.info("source %s speaks again", name)
        self._reported_silent = silent

    async def report_reachability(self) -> None:
        """While most sources fail, say so in one line (at start, then at every check): the
        fault is then likely ours — DNS, the network, a block — and each source's own error
        does not tell it. Once they answer again, say that once."""
        names = list(self.sources)
        try:
            verdict = await asyncio.to_thread(
                reachability, self.context.settings,
                FeedStore(self.probe, self.context.handle.keys), names,
            )  # fmt: skip
        except redis.RedisError:
            return  # the heartbeat reports a Redis that does not answer
        if not verdict.ok:
            log.warning("%s", verdict.sentence())
        elif self._unreachable_reported:
            log.info("%s again", verdict.sentence())
        self._unreachable_reported = not verdict.ok

    # -- scheduler events: skipped, missed and late runs ---------------------------------------

    def _source_of(self, event: Any) -> str | None:
        job_id: str = event.job_id
        return job_id[len(JOB_PREFIX) :] if job_id.startswith(JOB_PREFIX) else None

    def _skipped(self, event: Any) -> None:
        name = self._source_of(event)
        if name:
            self.context.feeds.bump(name, "skipped_runs")
            log.warning("%s: run skipped, the previous one is still going", name)

    def _missed(self, event: Any) -> None:
        name = self._source_of(event)
        if name:
            self.context.feeds.bump(name, "skipped_runs")
            log.warning("%s: run of %s missed by more than %ds", name,
                        event.scheduled_run_time, self.settings.misfire_grace_seconds)  # fmt: skip

    def _failed(self, event: Any) -> None:
        # APScheduler has logged the exception with its traceback; the job runs again on time.
        JOB_ERRORS.labels(job=self._source_of(event) or str(event.job_id)).inc()

    def _submitted(self, event: Any) -> None:
        name = self._source_of(event)
        times: list[datetime] = event.scheduled_run_times
        if not name or not times:
            return
        late = (datetime.now(UTC) - max(times)).total_seconds()
        if late > self.settings.late_after_seconds or len(times) > 1:
            self.context.feeds.bump(name, "late_runs")
            log.warning("%s: run %.0fs late%s", name, late,
                        f", {len(times)} runs coalesced into one" if len(times) > 1 else "")  # fmt: skip


def _clock(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%H:%M:%S UTC")
