"""The alert worker: router, sender and clock over Redis, run until stopped or until drained."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import socket
import time
from collections.abc import Awaitable, Callable

import redis.asyncio

from alerts.clock import Clock
from alerts.router import Router
from alerts.sender import Sender
from alerts.spine.connections import RedisHandle
from alerts.spine.processes import TASK_ERRORS, supervise
from alerts.subscription_store import read_stored, stored_version
from alerts.subscriptions import Route, build_channels, build_routes, wants
from config.logs import SecretFilter, secrets_of
from config.settings import Settings

log = logging.getLogger(__name__)

__all__ = ["AlertWorker", "Route", "build_routes", "wants"]

_REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError)


class AlertWorker:
    """One consumer in each group: several processes (or machines) can run one each."""

    def __init__(
        self,
        settings: Settings,
        handle: RedisHandle,
        name: str | None = None,
        routes: list[Route] | None = None,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.settings = settings
        self.keys = handle.keys
        self.client: redis.asyncio.Redis = handle.asyncio()
        self.routes = routes if routes is not None else build_routes(settings)
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        config = settings.alerts
        self.router = Router(self.client, self.keys, self.routes, config, self.name, now)
        scrub = SecretFilter(secrets_of(settings)).scrub
        self.sender = Sender(self.client, self.keys, self.routes, config, self.name, now, scrub)
        self.clock = Clock(self.client, self.keys, config, now)
        # When each loop last went round (monotonic seconds): /healthz tells a stuck loop by it.
        self.beats: dict[str, float] = {}
        self._loops: list[asyncio.Task[None]] = []
        self._retired: list[Route] = []  # replaced by a reload; closed with the worker
        # Subscriptions made outside the YAML (alerts/subscription_store.py): name -> (record, route)
        self._stored: dict[str, tuple[str, Route]] = {}
        self._stored_version: str | None = None
        self._stored_paused: set[str] = set()

    def use_subscriptions(self, settings: Settings, routes: list[Route]) -> None:
        """Route and send with these subscriptions from now on (a reload). Jobs already queued
        for a channel that is gone are handled as at a restart; the old channels stay open for
        the sends under way and are closed with the worker."""
        self._retired += self.routes
        self.settings = settings
        self.routes = routes
        self._stored_version = None  # read the stored ones again: a YAML name may shadow one now
        self._route_all()

    async def refresh_subscriptions(self) -> None:
        """Take up the subscriptions made outside the YAML when they changed (one GET if not)."""
        if await stored_version(self.client, self.keys) == self._stored_version:
            return
        version, records = await read_stored(self.client, self.keys)
        yaml_names = {r.subscription.name for r in self.routes}
        stored: dict[str, tuple[str, Route]] = {}
        for record in records:
            sub = record.subscription
            if sub.name in yaml_names:
                continue  # the YAML one of that name wins
            text = sub.model_dump_json()
            kept = self._stored.get(sub.name)
            if kept is not None and kept[0] == text:
                stored[sub.name] = kept
                continue
            try:
                stored[sub.name] = (text, Route(sub, build_channels(self.settings, sub)))
            except ValueError as exc:
                log.error("subscription %s made outside the YAML cannot be used: %s", sub.name, exc)
        self._retired += [
            r for name, (_, r) in self._stored.items() if stored.get(name, ("", None))[1] is not r
        ]
        self._stored = stored
        self._stored_paused = {r.subscription.name for r in records if r.paused}
        self._stored_version = version
        self._route_all()

    def _route_all(self) -> None:
        # The console fallback is for no subscription at all: stored ones count.
        fallback = self._stored and not self.settings.subscriptions
        yaml = [r for r in self.routes if not (fallback and r.subscription.name == "console")]
        stored = [route for _, route in self._stored.values()]
        self.router.routes = [
            *yaml,
            *(r for r in stored if r.subscription.name not in self._stored_paused),
        ]
        # A paused subscription still gets what was queued for it before the pause.
        self.sender.use_routes([*yaml, *stored], SecretFilter(secrets_of(self.settings)).scrub)

    @property
    def delivered(self) -> int:
        return self.sender.delivered

    @property
    def failed(self) -> int:
        return self.sender.failed

    async def ensure_groups(self) -> None:
        await self.router.ensure_group()
        await self.sender.ensure_group()

    async def close(self) -> None:
        await self.sender.settle(timeout=self.settings.alerts.send_timeout_seconds)
        for route in [*self._retired, *self.routes, *(r for _, r in self._stored.values())]:
            for channel in route.channels:
                await channel.close()
        await self.client.aclose()

    async def drain(self) -> int:
        """Deliver everything deliverable now, then return (for `raqib run --once`).

        Held deliveries (quiet hours, digests not yet due, retry back-off, rate limits) stay
        in Redis for a later run. Returns how many stream entries and jobs were handled.
        """
        await self.ensure_groups()
        total = 0
        while True:
            await self.refresh_subscriptions()
            handled = await self.clock.tick()
            while routed := await self.router.step():
                handled += routed
            handled += await self.router.claim()
            while started := await self.sender.step():
                handled += started
            handled += await self.sender.claim()
            await self.sender.settle()
            if not handled:
                return total
            total += handled

    async def run(self, stop: asyncio.Event, grace: float | None = None) -> None:
        """Deliver until `stop` is set; rides out Redis restarts.

        On `stop`, no new match or job is read; the sends under way get `grace` seconds
        (default: the send timeout) to finish and be recorded. Any still going after that are
        left to `abandon()`: their jobs stay pending in the group for the next start.
        """
        await self._until_redis("start", self.ensure_groups, stop)
        # What exists now (modules, templates, channels) lives as long as the process: keep it
        # out of the collector's way, so a full collection does not stall deliveries for ~100 ms.
        gc.collect()
        gc.freeze()
        poll_ms = int(self.settings.alerts.poll_seconds * 1000)
        loops: dict[str, Callable[[], Awaitable[None]]] = {
            "router": lambda: self._loop("router", lambda: self._route_step(poll_ms), stop),
            "sender": lambda: self._loop("sender", lambda: self.sender.step(poll_ms), stop),
            "clock": lambda: self._clock_loop(stop),
        }
        tasks = self._loops = [
            asyncio.create_task(supervise(name, loop, stop), name=f"alerts-{name}")
            for name, loop in loops.items()
        ]
        try:
            await stop.wait()
        finally:
            self.sender.closing = True
            # Each loop ends after its step: a read waits at most poll_seconds. Cancelling a
            # read instead could strand entries Redis handed over as the reply was on its way.
            _, late = await asyncio.wait(tasks, timeout=self.settings.alerts.poll_seconds + 5)
            for task in late:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # Sends under way finish and are recorded; anything left is claimed by the next run.
            await self.sender.settle(
                timeout=self.settings.alerts.send_timeout_seconds if grace is None else grace
            )

    async def _route_step(self, poll_ms: int) -> int:
        await self.refresh_subscriptions()
        return await self.router.step(poll_ms)

    async def abandon(self) -> int:
        """Stop the sends still under way, unrecorded: returns how many. Their jobs stay pending
        and are sent at the next start (a message the channel had already taken is sent again,
        under the same Message-ID or Idempotency-Key)."""
        for task in self._loops:
            task.cancel()
        await asyncio.gather(*self._loops, return_exceptions=True)
        return await self.sender.abandon()

    async def _until_redis(
        self, name: str, step: Callable[[], Awaitable[object]], stop: asyncio.Event
    ) -> None:
        delay = 0.1
        while not stop.is_set():
            try:
                await step()
                self.beats[name] = time.monotonic()
                return
            except _REDIS_DOWN as exc:
                log.warning("alerts: Redis unavailable (%s); trying again in %.1fs", exc, delay)
            except Exception:  # a bug must not stop delivery for good: log it, go on
                TASK_ERRORS.labels(task=name).inc()
                log.exception("alerts: %s failed; trying again in %.1fs", name, delay)
            await _sleep(stop, delay)
            delay = min(delay * 2, 5.0)

    async def _loop(
        self, name: str, step: Callable[[], Awaitable[int]], stop: asyncio.Event
    ) -> None:
        while not stop.is_set():
            await self._until_redis(name, step, stop)

    async def _clock_loop(self, stop: asyncio.Event) -> None:
        config = self.settings.alerts
        claim_every = max(config.claim_idle_seconds / 2, config.poll_seconds)
        last_claim = 0.0
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            await self._until_redis("clock", self.clock.tick, stop)
            if loop.time() - last_claim >= claim_every:
                last_claim = loop.time()
                await self._until_redis("router-claim", self.router.claim, stop)
                await self._until_redis("sender-claim", self.sender.claim, stop)
            await _sleep(stop, config.poll_seconds)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
