"""The sender stage: delivers each job on its channel, then records it sent, retried or dead."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

import redis.asyncio

from alerts.channels import Channel, DeliveryError
from alerts.jobs import DeliveryJob
from alerts.keyspace import Keyspace
from alerts.scripts import RESERVE
from alerts.streams import Entry, GroupReader
from alerts.subscriptions import Route, held_until
from config.settings import AlertSettings, Subscription

log = logging.getLogger(__name__)

GROUP = "raqib-senders"
LOG_LENGTH = 100_000  # the delivery log keeps about this many entries


def backoff(settings: AlertSettings, attempt: int) -> float:
    """Seconds before retry `attempt` (1, 2, …): doubling from the base, capped, ±50% jitter."""
    delay = min(settings.backoff_max_seconds, settings.backoff_base_seconds * 2 ** (attempt - 1))
    jittered: float = delay * random.uniform(0.5, 1.5)
    return jittered


class Sender:
    def __init__(
        self,
        client: redis.asyncio.Redis,
        keys: Keyspace,
        routes: list[Route],
        settings: AlertSettings,
        consumer: str,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.now = now  # the tests move time on to see quiet hours end
        self.client = client
        self.keys = keys
        self.settings = settings
        self.reader = GroupReader(client, keys.jobs, GROUP, consumer)
        self.reserve = client.register_script(RESERVE)
        self.targets: dict[tuple[str, str], tuple[Subscription, Channel]] = {
            (route.subscription.name, channel.id): (route.subscription, channel)
            for route in routes
            for channel in route.channels
        }
        self.ttl = settings.idempotency_days * 86400
        self.inflight: set[asyncio.Task[None]] = set()
        self.inflight_ids: set[str] = set()
        self.delivered = 0
        self.failed = 0  # dead-lettered
        self.retried = 0
        self.held = 0
        self.latencies: list[float] = []  # seconds from stream to delivery, for the benchmark

    async def ensure_group(self) -> None:
        await self.reader.ensure_group()

    # --- reading --------------------------------------------------------------------------

    def _free(self) -> int:
        return self.settings.concurrency - len(self.inflight)

    def _start(self, entries: list[Entry]) -> None:
        for entry_id, fields in entries:
            if entry_id in self.inflight_ids:
                continue  # a slow send of ours, claimed back by ourselves: it is still going
            self.inflight_ids.add(entry_id)
            task = asyncio.create_task(self.process(entry_id, fields.get("job", "")))
            self.inflight.add(task)
            task.add_done_callback(functools.partial(self._done, entry_id))

    def _done(self, entry_id: str, task: asyncio.Task[None]) -> None:
        self.inflight.discard(task)
        self.inflight_ids.discard(entry_id)

    async def step(self, block: int | None = None) -> int:
        """Start as many jobs as there is room for; wait up to `block` ms for new ones."""
        if self.reader.recheck_own and self.inflight:
            await self.settle()  # so that our own pending entries are only the unfinished ones
        if self._free() <= 0:
            await asyncio.wait(self.inflight, return_when=asyncio.FIRST_COMPLETED)
        count = min(self._free(), self.settings.batch)
        # While sends are in flight, do not sit in a blocking read: come back to start more.
        entries = await self.reader.read(count, None if self.inflight and block else block)
        if not entries and self.inflight and block:
            await asyncio.wait(
                self.inflight, timeout=block / 1000, return_when=asyncio.FIRST_COMPLETED
            )
        self._start(entries)
        return len(entries)

    async def claim(self) -> int:
        count = max(1, min(self._free(), self.settings.batch))
        entries = await self.reader.claim(int(self.settings.claim_idle_seconds * 1000), count)
        self._start(entries)
        return len(entries)

    async def settle(self, timeout: float | None = None) -> None:
        """Wait for the deliveries in flight."""
        if self.inflight:
            await asyncio.wait(set(self.inflight), timeout=timeout)

    # --- one job --------------------------------------------------------------------------

    async def process(self, entry_id: str, raw: str) -> None:
        try:
            job = DeliveryJob.from_json(raw)
        except (ValueError, KeyError) as exc:
            await self._dead(entry_id, raw, f"unreadable job: {exc}", None)
            return
        try:
            await self._deliver(entry_id, job, raw)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            # Unrecorded: the entry stays pending and is read again (by us, or claimed).
            self.reader.recheck_own = True
            log.warning("delivery %s not recorded, Redis unavailable (%s)", job.id, exc)

    async def _deliver(self, entry_id: str, job: DeliveryJob, raw: str) -> None:
        state = cast(str | None, await self.client.get(self.keys.state(job.id)))
        if state is not None and state.startswith("sent"):
            await self._finish(entry_id)  # delivered before a crash; this copy is not sent
            return
        target = self.targets.get((job.subscription, job.channel))
        if target is None:
            await self._dead(
                entry_id, raw,
                f"subscription {job.subscription!r} has no channel {job.channel} any more",
                job,
            )  # fmt: skip
            return
        sub, channel = target
        now = self.now()
        until = held_until(sub, job.top_score, datetime.fromtimestamp(now, UTC))
        if until is not None:
            log.info("delivery %s held by quiet hours until %s", job.id, until.isoformat())
            await self._hold(entry_id, job, until.timestamp())
            return
        if channel.rate_limit is not None:
            limit = channel.rate_limit
            free_at = await self.reserve(
                keys=[self.keys.rate(sub.name, channel.id)],
                args=[repr(now), repr(limit.minutes * 60), limit.count, f"{job.id}#{job.attempt}"],
            )
            if free_at:
                log.info("delivery %s held by the rate limit of %s", job.id, channel.describe())
                await self._hold(entry_id, job, float(free_at))
                return
        try:
            await asyncio.wait_for(
                channel.send(job, sub.language), timeout=self.settings.send_timeout_seconds
            )
        except DeliveryError as exc:
            await self._failed(entry_id, job, exc, channel)
            return
        except TimeoutError:
            error = DeliveryError(f"{channel.describe()}: no answer within the send timeout")
            await self._failed(entry_id, job, error, channel)
            return
        except Exception as exc:  # a bug or a library surprise must not lose the job
            log.exception("delivery %s via %s raised", job.id, channel.describe())
            await self._failed(
                entry_id, job, DeliveryError(f"{type(exc).__name__}: {exc}"), channel
            )
            return
        await self._sent(entry_id, job, channel)

    # --- outcomes, each recorded in one transaction with the acknowledgement --------------

    def _ack(self, pipe: redis.asyncio.client.Pipeline, entry_id: str) -> None:
        pipe.xack(self.keys.jobs, GROUP, entry_id)
        pipe.xdel(self.keys.jobs, entry_id)

    async def _finish(self, entry_id: str) -> None:
        async with self.client.pipeline(transaction=True) as pipe:
            self._ack(pipe, entry_id)
            await pipe.execute()

    async def _sent(self, entry_id: str, job: DeliveryJob, channel: Channel) -> None:
        now = time.time()
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.set(self.keys.state(job.id), f"sent {now:.3f}", ex=self.ttl)
            pipe.xadd(
                self.keys.delivery_log,
                {"delivery": job.id, "at": f"{now:.3f}", "kind": channel.kind,
                 "attempts": str(job.attempt + 1)},
                maxlen=LOG_LENGTH, approximate=True,
            )  # fmt: skip
            self._ack(pipe, entry_id)
            await pipe.execute()
        self.delivered += 1
        if job.created:
            self.latencies.append(now - job.created)
        log.info("delivered %s via %s", job.id.rpartition(":")[0], channel.describe())

    async def _hold(self, entry_id: str, job: DeliveryJob, until: float) -> None:
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(self.keys.scheduled, {job.to_json(): until})
            self._ack(pipe, entry_id)
            await pipe.execute()
        self.held += 1

    async def _failed(
        self, entry_id: str, job: DeliveryJob, exc: DeliveryError, channel: Channel
    ) -> None:
        failed = job.failed(str(exc), max(job.parts_done, exc.parts_done))
        if exc.permanent or failed.attempt >= self.settings.max_attempts:
            why = (
                "permanent failure" if exc.permanent else f"gave up after {failed.attempt} attempts"
            )
            await self._dead(entry_id, failed.to_json(), f"{why}: {exc}", failed)
            return
        delay = backoff(self.settings, failed.attempt)
        if exc.retry_after is not None:
            delay = min(max(delay, exc.retry_after), self.settings.backoff_max_seconds)
        log.warning(
            "delivery %s via %s failed (%s); retry %d in %.1fs",
            job.id.rpartition(":")[0], channel.describe(), exc, failed.attempt, delay,
        )  # fmt: skip
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(self.keys.scheduled, {failed.to_json(): self.now() + delay})
            self._ack(pipe, entry_id)
            await pipe.execute()
        self.retried += 1

    async def _dead(self, entry_id: str, raw: str, reason: str, job: DeliveryJob | None) -> None:
        log.error("dead letter %s: %s", job.id if job else entry_id, reason)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.xadd(
                self.keys.dead,
                {"entry": entry_id, "job": raw, "reason": reason, "at": repr(time.time())},
            )
            if job is not None:
                pipe.set(self.keys.state(job.id), "dead", ex=self.ttl)
            self._ack(pipe, entry_id)
            await pipe.execute()
        self.failed += 1


def reset_for_redrive(job: DeliveryJob) -> DeliveryJob:
    """A dead job given a fresh set of attempts (parts already delivered stay delivered)."""
    return replace(job, attempt=0, error=None)
