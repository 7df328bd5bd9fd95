"""Time-driven work: held jobs and digests whose time has come, and tidying the streams."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, cast

import redis.asyncio

from alerts.jobs import digest_head
from alerts.scripts import FLUSH_DIGEST, PROMOTE
from alerts.spine.keyspace import Keyspace
from config.settings import AlertSettings

log = logging.getLogger(__name__)

PROMOTE_BATCH = 500
TIDY_EVERY = 600.0  # seconds between trims of the matches stream
CONSUMER_FORGET_MS = 24 * 3600 * 1000  # a consumer with nothing pending, silent this long, goes


def _id_key(entry_id: str) -> tuple[int, int]:
    ms, _, seq = entry_id.partition("-")
    return int(ms), int(seq or 0)


class Clock:
    def __init__(
        self,
        client: redis.asyncio.Redis,
        keys: Keyspace,
        settings: AlertSettings,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.now = now
        self.client = client
        self.keys = keys
        self.settings = settings
        self.promote_script = client.register_script(PROMOTE)
        self.flush_script = client.register_script(FLUSH_DIGEST)
        self.last_tidy = 0.0

    async def promote(self, now: float | None = None) -> int:
        """Held jobs whose time has come go back on the job stream."""
        now = self.now() if now is None else now
        total = 0
        while True:
            moved = int(
                await self.promote_script(
                    keys=[self.keys.scheduled, self.keys.jobs], args=[repr(now), PROMOTE_BATCH]
                )
            )
            total += moved
            if moved < PROMOTE_BATCH:
                return total

    async def flush_digests(self, now: float | None = None) -> int:
        """Each digest whose time has come becomes one job; returns how many digests."""
        now = self.now() if now is None else now
        due = cast(
            list[str], await self.client.zrangebyscore(self.keys.digests_due, "-inf", repr(now))
        )
        flushed = 0
        for digest_key in due:
            subscription, channel = self._digest_target(digest_key)
            moved = await self.flush_script(
                keys=[self.keys.digests_due, digest_key, self.keys.jobs, self.keys.digest_sequence],
                args=[repr(now), digest_head(subscription, channel, now)],
            )
            if int(moved):
                flushed += 1
                log.info("digest for %s on %s: %d alerts", subscription, channel, int(moved))
        return flushed

    def _digest_target(self, digest_key: str) -> tuple[str, str]:
        # {prefix}{alerts}:digest:<subscription>:<channel id>; subscription names have no ':'.
        rest = digest_key.removeprefix(self.keys.digest("", "")[:-1])
        subscription, _, channel = rest.partition(":")
        return subscription, channel

    async def tick(self, now: float | None = None) -> int:
        moved = await self.promote(now) + await self.flush_digests(now)
        if time.time() - self.last_tidy > TIDY_EVERY:
            self.last_tidy = time.time()
            await self.tidy()
        return moved

    async def tidy(self) -> None:
        """Trim matches every group has finished with (and older than the retention), forget
        consumers long gone."""
        try:
            groups: list[dict[str, Any]] = await self.client.xinfo_groups(self.keys.matches)
        except redis.ResponseError:
            return  # no stream yet
        if not groups:
            return
        safe: tuple[int, int] | None = None
        for group in groups:
            floor = _id_key(str(group["last-delivered-id"]))
            if int(group["pending"]):
                summary = await self.client.xpending(self.keys.matches, group["name"])
                if summary.get("min"):  # None when the last one was acknowledged meanwhile
                    floor = min(floor, _id_key(str(summary["min"])))
            safe = floor if safe is None else min(safe, floor)
            await self._forget_consumers(self.keys.matches, str(group["name"]))
        cutoff = (int((time.time() - self.settings.matches_retention_hours * 3600) * 1000), 0)
        assert safe is not None
        minid = min(safe, cutoff)
        trimmed = await self.client.xtrim(
            self.keys.matches, minid=f"{minid[0]}-{minid[1]}", approximate=False
        )
        if trimmed:
            log.info("trimmed %d handled matches from the stream", trimmed)
        try:
            for group in await self.client.xinfo_groups(self.keys.jobs):
                await self._forget_consumers(self.keys.jobs, str(group["name"]))
        except redis.ResponseError:
            return

    async def _forget_consumers(self, stream: str, group: str) -> None:
        for consumer in await self.client.xinfo_consumers(stream, group):
            if int(consumer["pending"]) == 0 and int(consumer["idle"]) > CONSUMER_FORGET_MS:
                await self.client.xgroup_delconsumer(stream, group, consumer["name"])
