"""The router stage: each match on the stream becomes one delivery job per (subscription, channel)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable

import redis.asyncio
from redis.exceptions import NoScriptError

from alerts.jobs import DeliveryJob, delivery_id
from alerts.message import Alert
from alerts.scripts import ROUTE
from alerts.spine.keyspace import Keyspace
from alerts.spine.streams import Entry, GroupReader, GroupStage
from alerts.subscriptions import Route, wants
from config.settings import AlertSettings

log = logging.getLogger(__name__)

GROUP = "raqib-router"


def entry_time(entry_id: str) -> float:
    """When an entry reached the stream: its id is milliseconds since the epoch."""
    return int(entry_id.partition("-")[0]) / 1000.0


class Router(GroupStage):
    def __init__(
        self,
        client: redis.asyncio.Redis,
        keys: Keyspace,
        routes: list[Route],
        settings: AlertSettings,
        consumer: str,
        now: Callable[[], float] = time.time,
    ) -> None:
        super().__init__(
            client, keys, settings, GroupReader(client, keys.matches, GROUP, consumer), now
        )
        self.routes = routes
        self.route_script = client.register_script(ROUTE)
        self.routed = 0

    def targets(self, entry_id: str, alert: Alert) -> tuple[list[str], list[str]]:
        """The keys and arguments of the route script for one alert."""
        keys: list[str] = []
        args: list[str] = []
        text = alert.model_dump_json()
        created = entry_time(entry_id)
        for route in self.routes:
            sub = route.subscription
            if not wants(sub, alert):
                continue
            for channel in route.channels:
                ident = delivery_id(alert, sub.name, channel.id)
                if sub.mode == "digest":
                    digest = self.keys.digest(sub.name, channel.id)
                    due = self.now() + sub.digest_minutes * 60
                    keys += [self.keys.state(ident), digest]
                    args += ["digest", ident, text, repr(due)]
                else:
                    job = DeliveryJob(
                        id=ident, subscription=sub.name, channel=channel.id,
                        alerts_json=(text,), created=created,
                    )  # fmt: skip
                    keys += [self.keys.state(ident), self.keys.jobs]
                    args += ["now", ident, job.to_json(), "0"]
        return keys, args

    async def route(self, entries: list[Entry]) -> int:
        """Route a batch in one round trip; each entry's routing is atomic on its own."""
        calls: list[tuple[list[str], list[str]]] = []
        fixed = [self.keys.matches, self.keys.jobs, self.keys.digests_due]
        for entry_id, fields in entries:
            try:
                alert = Alert.from_fields(fields)
            except (ValueError, KeyError) as exc:
                await self._unreadable(entry_id, fields, str(exc))
                continue
            keys, args = self.targets(entry_id, alert)
            head = [GROUP, entry_id, str(self.ttl), str(alert.revision), fields["alert"]]
            calls.append(([*fixed, self.keys.latest(alert.incident_id), *keys], [*head, *args]))
        if calls:
            try:
                try:
                    await self._run_routes(calls)
                except NoScriptError:
                    # A Cluster pipeline does not load its scripts first as a plain one does,
                    # and a master promoted by a failover may not have them: load, run again
                    # (routing is idempotent: each delivery is created once).
                    self.route_script.sha = await self.client.script_load(ROUTE)
                    await self._run_routes(calls)
            except Exception:
                self.reader.recheck_own = True  # what was not routed is read again
                raise
        self.routed += len(entries)
        return len(entries)

    async def _run_routes(self, calls: list[tuple[list[str], list[str]]]) -> None:
        pipe = self.client.pipeline(transaction=False)
        for keys, args in calls:
            await self.route_script(keys=keys, args=args, client=pipe)
        await pipe.execute()

    async def _unreadable(self, entry_id: str, fields: dict[str, str], reason: str) -> None:
        log.error("match %s is unreadable and goes to the dead letters: %s", entry_id, reason)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.xadd(
                self.keys.dead,
                {"entry": entry_id, "reason": f"unreadable alert: {reason}",
                 "fields": json.dumps(fields, ensure_ascii=False), "at": repr(time.time())},
            )  # fmt: skip
            pipe.xack(self.keys.matches, GROUP, entry_id)
            await pipe.execute()

    async def step(self, block: int | None = None) -> int:
        entries = await self.reader.read(self.settings.batch, block)
        return await self.route(entries) if entries else 0

    async def claim(self) -> int:
        entries = await self.reader.claim(
            int(self.settings.claim_idle_seconds * 1000), self.settings.batch
        )
        return await self.route(entries) if entries else 0
