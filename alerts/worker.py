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
from alerts.connections import RedisHandle
from alerts.router import Router
from alerts.sender import Sender
from alerts.subscriptions import Route, build_routes, wants
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
        self.sender = Sender(self.client, self.keys, self.routes, config, self.name, now)
        self.clock = Clock(self.client, self.keys, config, now)

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
        for route in self.routes:
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

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; rides out Redis restarts."""
        await self._until_redis(self.ensure_groups, stop)
        # What exists now (modules, templates, channels) lives as long as the process: keep it
        # out of the collector's way, so a full collection does not stall deliveries for ~100 ms.
        gc.collect()
        gc.freeze()
        poll_ms = int(self.settings.alerts.poll_seconds * 1000)
        tasks = [
            asyncio.create_task(self._loop(lambda: self.router.step(poll_ms), stop), name="router"),
            asyncio.create_task(self._loop(lambda: self.sender.step(poll_ms), stop), name="sender"),
            asyncio.create_task(self._clock_loop(stop), name="clock"),
        ]
        try:
            await stop.wait()
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            # Sends under way finish and are recorded; anything left is claimed by the next run.
            await self.sender.settle(timeout=self.settings.alerts.send_timeout_seconds)

    async def _until_redis(
        self, step: Callable[[], Awaitable[object]], stop: asyncio.Event
    ) -> None:
        delay = 0.1
        while not stop.is_set():
            try:
                await step()
                return
            except _REDIS_DOWN as exc:
                log.warning("alerts: Redis unavailable (%s); trying again in %.1fs", exc, delay)
            except Exception:  # a bug must not stop delivery for good: log it, go on
                log.exception("alerts: %s failed; trying again in %.1fs", step, delay)
            await _sleep(stop, delay)
            delay = min(delay * 2, 5.0)

    async def _loop(self, step: Callable[[], Awaitable[int]], stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self._until_redis(step, stop)

    async def _clock_loop(self, stop: asyncio.Event) -> None:
        config = self.settings.alerts
        claim_every = max(config.claim_idle_seconds / 2, config.poll_seconds)
        last_claim = 0.0
        loop = asyncio.get_running_loop()
        while not stop.is_set():
            await self._until_redis(self.clock.tick, stop)
            if loop.time() - last_claim >= claim_every:
                last_claim = loop.time()
                await self._until_redis(self.router.claim, stop)
                await self._until_redis(self.sender.claim, stop)
            await _sleep(stop, config.poll_seconds)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
