"""The sender stage: delivers each job on its channel, then records it sent, retried or dead."""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import cast

import redis.asyncio
from redis.asyncio.client import Pipeline

from alerts.channels import Channel, DeliveryError
from alerts.jobs import DeliveryJob
from alerts.message import Alert
from alerts.metrics import DELIVERIES, DELIVERY_SECONDS, SEND_SECONDS
from alerts.scripts import COALESCE, RESERVE
from alerts.silences import Silencer
from alerts.spine.keyspace import Keyspace
from alerts.spine.streams import Entry, GroupReader, GroupStage
from alerts.subscriptions import Route, held_until
from alerts.unsubscribe import has_unsubscribed
from config.settings import AlertSettings, Subscription

log = logging.getLogger(__name__)

GROUP = "raqib-senders"
LOG_LENGTH = 100_000  # the delivery log keeps about this many entries
LATENCIES_KEPT = 100_000
# Channels a person reads: an incident's revisions are folded into as few messages as the
# coalescing rules allow. Webhooks and the console file get every revision as it comes.
COALESCED_KINDS = frozenset({"email", "chat"})


def backoff(settings: AlertSettings, attempt: int) -> float:
    """Seconds before retry `attempt` (1, 2, …): doubling from the base, capped, ±50% jitter."""
    delay = min(settings.backoff_max_seconds, settings.backoff_base_seconds * 2 ** (attempt - 1))
    jittered: float = delay * random.uniform(0.5, 1.5)
    return jittered


class Sender(GroupStage):
    def __init__(
        self,
        client: redis.asyncio.Redis,
        keys: Keyspace,
        routes: list[Route],
        settings: AlertSettings,
        consumer: str,
        now: Callable[[], float] = time.time,
        scrub: Callable[[str], str] = str,
    ) -> None:
        super().__init__(
            client, keys, settings, GroupReader(client, keys.jobs, GROUP, consumer), now
        )
        # A server may echo a password or token back in its refusal; dead letters keep no secret.
        self.scrub = scrub
        self.reserve = client.register_script(RESERVE)
        self.coalesce = client.register_script(COALESCE)
        self.targets: dict[tuple[str, str], tuple[Subscription, Channel]] = {}
        self.use_routes(routes, scrub)
        self.recorder = Recorder(client)
        self.silencer = Silencer(client, keys)
        self.inflight: set[asyncio.Task[None]] = set()
        self.inflight_ids: set[str] = set()
        self.closing = False  # stopping: read no more jobs
        self.delivered = 0
        self.failed = 0  # dead-lettered
        self.retried = 0
        self.held = 0
        # Seconds from stream to delivery of the latest deliveries (the benchmark reads them).
        self.latencies: deque[float] = deque(maxlen=LATENCIES_KEPT)

    def use_routes(self, routes: list[Route], scrub: Callable[[str], str]) -> None:
        self.scrub = scrub
        self.targets = {
            (route.subscription.name, channel.id): (route.subscription, channel)
            for route in routes
            for channel in route.channels
        }

    # --- reading --------------------------------------------------------------------------

    def _free(self) -> int:
        return self.settings.concurrency - len(self.inflight)

    async def _start(self, entries: list[Entry]) -> None:
        fresh: list[tuple[str, str, DeliveryJob | None]] = []
        for entry_id, fields in entries:
            if entry_id in self.inflight_ids:
                continue  # a slow send of ours, claimed back by ourselves: it is still going
            raw = fields.get("job", "")
            try:
                job: DeliveryJob | None = DeliveryJob.from_json(raw)
            except (ValueError, KeyError, TypeError):
                job = None
            fresh.append((entry_id, raw, job))
        # What became of each delivery, for the whole batch in one round trip.
        ids = [self.keys.state(job.id) for _, _, job in fresh if job is not None]
        try:
            await self.silencer.refresh()  # after the read: a silence expired meanwhile is seen
            known = iter(cast(list[str | None], await self.client.mget(ids)) if ids else [])
        except Exception:
            self.reader.recheck_own = True  # read, not started: read them again
            raise
        for entry_id, raw, job in fresh:
            state = next(known) if job is not None else None
            self.inflight_ids.add(entry_id)
            task = asyncio.create_task(self.process(entry_id, raw, job, state))
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
        if self.closing:
            return 0
        count = min(self._free(), self.settings.batch)
        # Sends in flight go on by themselves while this read waits for new jobs.
        entries = await self.reader.read(count, block)
        await self._start(entries)
        return len(entries)

    async def claim(self) -> int:
        if self.closing:
            return 0
        count = max(1, min(self._free(), self.settings.batch))
        entries = await self.reader.claim(int(self.settings.claim_idle_seconds * 1000), count)
        await self._start(entries)
        return len(entries)

    async def settle(self, timeout: float | None = None) -> None:
        """Wait for the deliveries in flight."""
        if self.inflight:
            await asyncio.wait(set(self.inflight), timeout=timeout)

    async def abandon(self) -> int:
        """Cancel the deliveries still in flight; their entries stay pending in the group."""
        tasks = set(self.inflight)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if tasks:
            log.warning("%d deliveries under way were left for the next start", len(tasks))
        return len(tasks)

    # --- one job --------------------------------------------------------------------------

    async def process(
        self, entry_id: str, raw: str, job: DeliveryJob | None, state: str | None
    ) -> None:
        try:
            if job is None:
                await self._dead(entry_id, raw, "unreadable job", None)
                return
            await self._deliver(entry_id, job, raw, state)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            # Unrecorded: the entry stays pending and is read again (by us, or claimed).
            self.reader.recheck_own = True
            log.warning("delivery %s not recorded, Redis unavailable (%s)", entry_id, exc)

    async def _deliver(self, entry_id: str, job: DeliveryJob, raw: str, state: str | None) -> None:
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
        address = getattr(channel, "recipient", None)
        if (
            channel.kind == "email"
            and address
            and await has_unsubscribed(self.client, self.keys, sub.name, address)
        ):
            await self._folded(
                entry_id, job, channel, "not sent: the reader unsubscribed", "unsubscribed"
            )
            return
        now = self.now()
        silence = self.silencer.holding(job, now)
        if silence is not None:
            log.info("delivery %s held by %s", job.id, silence.reason)
            await self._hold(entry_id, replace(job, held=silence.reason), silence.ends_at)
            return
        until = held_until(sub, job.top_score, datetime.fromtimestamp(now, UTC))
        if until is not None:
            log.info("delivery %s held by quiet hours until %s", job.id, until.isoformat())
            await self._hold(entry_id, replace(job, held="quiet hours"), until.timestamp())
            return
        told: int | None = None
        if job.digest is None and channel.kind in COALESCED_KINDS and job.alerts:
            decision = await self._coalesce(job, now)
            if isinstance(decision, float):
                log.info("delivery %s waits to fold later updates in", job.id)
                await self._hold(entry_id, replace(job, held="coalescing"), decision)
                return
            if isinstance(decision, str):
                await self._folded(entry_id, job, channel, decision)
                return
            job, told = decision
        if channel.rate_limit is not None:
            limit = channel.rate_limit
            free_at = await self.reserve(
                keys=[self.keys.rate(sub.name, channel.id)],
                args=[repr(now), repr(limit.minutes * 60), limit.count, f"{job.id}#{job.attempt}"],
            )
            if free_at:
                log.info("delivery %s held by the rate limit of %s", job.id, channel.describe())
                await self._hold(entry_id, replace(job, held="rate limit"), float(free_at))
                return
        started = time.monotonic()
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
        finally:
            SEND_SECONDS.labels(channel=channel.kind).observe(time.monotonic() - started)
        await self._sent(entry_id, job, channel, told)

    async def _coalesce(
        self, job: DeliveryJob, now: float
    ) -> float | str | tuple[DeliveryJob, int]:
        """Fold an incident's revisions for one channel: the job to send now and the revision it
        tells (with the latest revision's content), a time to wait until, or, when the channel
        already has this revision or a later one, why it is not sent."""
        alert = job.alerts[0]
        lease = self.settings.send_timeout_seconds + 5
        told = self.keys.told(job.subscription, job.channel, alert.incident_id)
        reply = await self.coalesce(
            keys=[told, self.keys.latest(alert.incident_id)],
            args=[job.id, alert.revision, repr(now), repr(self.settings.coalesce_seconds),
                  repr(lease), self.ttl],
        )  # fmt: skip
        verdict = str(reply[0])
        if verdict == "folded":
            return f"folded into revision {reply[1]}"
        if verdict == "wait":
            return float(reply[1])
        sent, latest_json = int(reply[1]), str(reply[2])
        latest = Alert.model_validate_json(latest_json) if latest_json else alert
        if sent == 0 and latest.kind == "update":
            # The channel has heard nothing of this incident yet: one new-incident message, as
            # the incident now stands.
            latest = latest.model_copy(update={"kind": "new", "update_reasons": []})
        if latest is not alert:
            job = replace(job, alerts_json=(latest.model_dump_json(),))
        return job, latest.revision

    def _kind(self, job: DeliveryJob | None) -> str:
        """The channel's kind (email, chat, webhook, console), for the metrics."""
        target = self.targets.get((job.subscription, job.channel)) if job else None
        return target[1].kind if target else "unknown"

    # --- outcomes, each recorded in one transaction with the acknowledgement --------------

    def _ack(self, pipe: Pipeline, entry_id: str) -> None:
        pipe.xack(self.keys.jobs, GROUP, entry_id)
        pipe.xdel(self.keys.jobs, entry_id)

    async def _finish(self, entry_id: str) -> None:
        await self.recorder.record(lambda pipe: self._ack(pipe, entry_id))

    async def _sent(
        self, entry_id: str, job: DeliveryJob, channel: Channel, told: int | None = None
    ) -> None:
        now = time.time()
        clock = self.now()

        def write(pipe: Pipeline) -> None:
            pipe.set(self.keys.state(job.id), f"sent {now:.3f}", ex=self.ttl)
            if told is not None:
                key = self.keys.told(job.subscription, job.channel, job.alerts[0].incident_id)
                pipe.hset(key, mapping={"rev": str(told), "at": repr(clock)})
                pipe.hdel(key, "owner", "until")
                pipe.expire(key, self.ttl)
            pipe.xadd(
                self.keys.delivery_log,
                {"delivery": job.id, "at": f"{now:.3f}", "kind": channel.kind,
                 "attempts": str(job.attempt + 1)},
                maxlen=LOG_LENGTH, approximate=True,
            )  # fmt: skip
            self._ack(pipe, entry_id)

        await self.recorder.record(write)
        self.delivered += 1
        DELIVERIES.labels(channel=channel.kind, result="sent").inc()
        if job.created:
            self.latencies.append(now - job.created)
            DELIVERY_SECONDS.observe(now - job.created)
        log.info("delivered %s via %s", job.id.rpartition(":")[0], channel.describe())

    async def _folded(
        self, entry_id: str, job: DeliveryJob, channel: Channel, why: str, result: str = "folded"
    ) -> None:
        """Not sent, and rightly: the channel already has this revision of the incident or a
        later one, or its reader unsubscribed."""
        now = time.time()

        def write(pipe: Pipeline) -> None:
            pipe.set(self.keys.state(job.id), f"sent {now:.3f} {why}", ex=self.ttl)
            pipe.xadd(
                self.keys.delivery_log,
                {"delivery": job.id, "at": f"{now:.3f}", "kind": channel.kind, "folded": why},
                maxlen=LOG_LENGTH, approximate=True,
            )  # fmt: skip
            self._ack(pipe, entry_id)

        await self.recorder.record(write)
        DELIVERIES.labels(channel=channel.kind, result=result).inc()
        log.info("delivery %s %s", job.id.rpartition(":")[0], why)

    async def _hold(self, entry_id: str, job: DeliveryJob, until: float) -> None:
        def write(pipe: Pipeline) -> None:
            pipe.zadd(self.keys.scheduled, {job.to_json(): until})
            self._ack(pipe, entry_id)

        await self.recorder.record(write)
        self.held += 1
        DELIVERIES.labels(channel=self._kind(job), result="held").inc()

    async def _failed(
        self, entry_id: str, job: DeliveryJob, exc: DeliveryError, channel: Channel
    ) -> None:
        failed = job.failed(self.scrub(str(exc)), max(job.parts_done, exc.parts_done))
        if exc.permanent or failed.attempt >= self.settings.max_attempts:
            why = (
                "permanent failure" if exc.permanent else f"gave up after {failed.attempt} attempts"
            )
            await self._dead(entry_id, failed.to_json(), f"{why}: {failed.error}", failed)
            return
        delay = backoff(self.settings, failed.attempt)
        if exc.retry_after is not None:
            delay = min(max(delay, exc.retry_after), self.settings.backoff_max_seconds)
        log.warning(
            "delivery %s via %s failed (%s); retry %d in %.1fs",
            job.id.rpartition(":")[0], channel.describe(), exc, failed.attempt, delay,
        )  # fmt: skip
        due = self.now() + delay

        def write(pipe: Pipeline) -> None:
            pipe.zadd(self.keys.scheduled, {failed.to_json(): due})
            self._ack(pipe, entry_id)

        await self.recorder.record(write)
        self.retried += 1
        DELIVERIES.labels(channel=channel.kind, result="retry").inc()

    async def _dead(self, entry_id: str, raw: str, reason: str, job: DeliveryJob | None) -> None:
        reason = self.scrub(reason)
        log.error("dead letter %s: %s", job.id if job else entry_id, reason)

        def write(pipe: Pipeline) -> None:
            pipe.xadd(
                self.keys.dead,
                {"entry": entry_id, "job": raw, "reason": reason, "at": repr(time.time())},
            )
            if job is not None:
                pipe.set(self.keys.state(job.id), "dead", ex=self.ttl)
            self._ack(pipe, entry_id)

        await self.recorder.record(write)
        self.failed += 1
        DELIVERIES.labels(channel=self._kind(job), result="dead").inc()


class Recorder:
    """Group commit: the outcomes that come in while one transaction is on its way go together
    in the next. Each outcome is still atomic with its acknowledgement (one MULTI holds both)."""

    def __init__(self, client: redis.asyncio.Redis) -> None:
        self.client = client
        self.waiting: list[tuple[Callable[[Pipeline], None], asyncio.Future[None]]] = []
        self.flushing: asyncio.Task[None] | None = None

    async def record(self, write: Callable[[Pipeline], None]) -> None:
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiting.append((write, done))
        if self.flushing is None or self.flushing.done():
            self.flushing = asyncio.create_task(self._flush())
        await done

    async def _flush(self) -> None:
        while self.waiting:
            batch, self.waiting = self.waiting, []
            try:
                async with self.client.pipeline(transaction=True) as pipe:
                    for write, _ in batch:
                        write(pipe)
                    await pipe.execute()
            except Exception as exc:  # each waiting delivery decides what a failure means
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for _, done in batch:
                if not done.done():
                    done.set_result(None)


def reset_for_redrive(job: DeliveryJob) -> DeliveryJob:
    """A dead job given a fresh set of attempts (parts already delivered stay delivered)."""
    return replace(job, attempt=0, error=None)
