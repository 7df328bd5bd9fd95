"""Reading a Redis stream in a consumer group: new entries, our own pending ones, and stale ones."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, cast

import redis.asyncio
from redis.exceptions import ResponseError

from alerts.spine.keyspace import Keyspace
from config.settings import AlertSettings

log = logging.getLogger(__name__)

Entry = tuple[str, dict[str, str]]


class GroupReader:
    """One consumer of one group on one stream."""

    def __init__(self, client: redis.asyncio.Redis, stream: str, group: str, consumer: str) -> None:
        self.client = client
        self.stream = stream
        self.group = group
        self.consumer = consumer
        # Entries this consumer read and did not finish (an error, a Redis restart): read them
        # again before new ones, rather than wait for another consumer to claim them.
        self.recheck_own = True

    async def ensure_group(self) -> None:
        try:
            await self.client.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _xreadgroup(self, start: str, count: int, block: int | None) -> list[Entry]:
        try:
            reply = await self.client.xreadgroup(
                self.group, self.consumer, {self.stream: start}, count=count, block=block
            )
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            # The group is gone (a Redis without persistence restarted): make it again.
            log.warning(
                "consumer group %s on %s was missing; created again", self.group, self.stream
            )
            await self.ensure_group()
            return []
        if not reply:
            return []
        return list(cast(Any, reply)[0][1])

    async def read(self, count: int, block: int | None = None) -> list[Entry]:
        """Our own unfinished entries first, then new ones (waiting up to `block` ms)."""
        if self.recheck_own:
            own = await self._xreadgroup("0", count, None)
            if own:
                return await self._without_deleted(own)
            self.recheck_own = False
        return await self._without_deleted(await self._xreadgroup(">", count, block))

    async def claim(self, min_idle_ms: int, count: int) -> list[Entry]:
        """Take over entries another consumer (maybe dead) has held for at least `min_idle_ms`."""
        claimed: list[Entry] = []
        cursor = "0-0"
        while len(claimed) < count:
            try:
                reply = await self.client.xautoclaim(
                    self.stream, self.group, self.consumer, min_idle_ms, cursor,
                    count=count - len(claimed),
                )  # fmt: skip
            except ResponseError as exc:
                if "NOGROUP" not in str(exc):
                    raise
                await self.ensure_group()
                return claimed
            cursor, entries = reply[0], reply[1]
            claimed.extend(await self._without_deleted(list(entries)))
            if cursor in ("0-0", b"0-0"):
                break
        if claimed:
            log.info(
                "%s took over %d stale entries of %s", self.consumer, len(claimed), self.stream
            )
        return claimed

    async def _without_deleted(self, entries: list[Any]) -> list[Entry]:
        # An entry deleted from the stream but still pending comes back without fields.
        gone = [entry_id for entry_id, fields in entries if not fields]
        if gone:
            await self.client.xack(self.stream, self.group, *gone)
        return [(entry_id, fields) for entry_id, fields in entries if fields]


class GroupStage:
    """What the router and the sender share: one consumer of one group, reading one stream,
    recording what it did for `idempotency_days`."""

    def __init__(
        self,
        client: redis.asyncio.Redis,
        keys: Keyspace,
        settings: AlertSettings,
        reader: GroupReader,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.now = now  # the tests move time on to see quiet hours end and digests fall due
        self.client = client
        self.keys = keys
        self.settings = settings
        self.reader = reader
        self.ttl = settings.idempotency_days * 86400

    async def ensure_group(self) -> None:
        await self.reader.ensure_group()
