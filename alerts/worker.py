"""The alert worker: reads the matches stream in a consumer group and delivers to subscribers."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import random
import socket
import time
from dataclasses import dataclass
from typing import Any, cast

import redis.asyncio
from redis.exceptions import ResponseError

from alerts.channels import Channel, DeliveryError
from alerts.channels.chat import ChatChannel
from alerts.channels.console import ConsoleChannel
from alerts.channels.email import EmailChannel
from alerts.connections import RedisHandle
from alerts.message import Alert
from alerts.render import render
from config.settings import Settings, Subscription

log = logging.getLogger(__name__)

GROUP = "raqib-alerts"
DONE_TTL = 120 * 86400


@dataclass
class Route:
    subscription: Subscription
    channels: list[Channel]


def build_routes(settings: Settings) -> list[Route]:
    """Every subscription with its channels; none configured: the console fallback."""
    if not settings.subscriptions:
        console = Subscription(name="console")
        return [Route(console, [ConsoleChannel(settings.data_dir)])]
    routes = []
    for sub in settings.subscriptions:
        channels: list[Channel] = []
        if sub.email:
            channels.append(EmailChannel(settings.smtp, sub.email))
        for url in sub.chat:
            channels.append(ChatChannel(url, throttle=settings.alerts.throttle))
        routes.append(Route(sub, channels))
    return routes


def wants(sub: Subscription, alert: Alert) -> bool:
    """Does this subscription want this alert? (score, kind, type, place or region)"""
    if alert.score < sub.min_score or alert.kind not in sub.kinds:
        return False
    if sub.incident_types and alert.incident_type not in sub.incident_types:
        return False
    if (
        alert.kind == "update"
        and sub.update_reasons
        and not set(alert.update_reasons) & set(sub.update_reasons)
    ):
        return False
    if sub.places or sub.regions:
        names = {p.name for p in alert.places}
        regions = {p.region for p in alert.places if p.region}
        if not (names & set(sub.places) or regions & set(sub.regions)):
            return False
    return True


class AlertWorker:
    def __init__(self, settings: Settings, handle: RedisHandle, name: str | None = None) -> None:
        self.settings = settings
        self.keys = handle.keys
        self.client: redis.asyncio.Redis = handle.asyncio()
        self.routes = build_routes(settings)
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.delivered = 0
        self.failed = 0

    async def ensure_group(self) -> None:
        try:
            await self.client.xgroup_create(self.keys.matches, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def close(self) -> None:
        await self.client.aclose()

    async def _read(
        self, start: str, count: int, block: int | None
    ) -> list[tuple[str, dict[str, str]]]:
        reply = await self.client.xreadgroup(
            GROUP, self.name, {self.keys.matches: start}, count=count, block=block
        )
        if not reply:
            return []
        entries: list[tuple[str, dict[str, str]]] = cast(Any, reply)[0][1]
        return list(entries)

    async def process_batch(self, block: int | None = None, count: int = 64) -> int:
        """Deliver this consumer's pending entries, then new ones; returns how many were handled."""
        entries = await self._read("0", count, None)
        entries = [e for e in entries if e[1]]  # an entry deleted meanwhile has no fields
        if not entries:
            entries = await self._read(">", count, block)
        for entry_id, fields in entries:
            await self.handle(entry_id, fields)
        return len(entries)

    async def drain(self) -> int:
        """Deliver everything on the stream now, then return (for `raqib run --once`)."""
        await self.ensure_group()
        total = 0
        while handled := await self.process_batch():
            total += handled
        return total

    async def run(self, stop: asyncio.Event) -> None:
        await self.ensure_group()
        while not stop.is_set():
            try:
                await self.process_batch(block=1000)
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                log.warning("alerts: Redis unavailable (%s); retrying", exc)
                await asyncio.sleep(1)

    async def handle(self, entry_id: str, fields: dict[str, str]) -> None:
        try:
            alert = Alert.from_fields(fields)
        except (ValueError, KeyError) as exc:
            await self._dead(entry_id, None, "", f"unreadable alert: {exc}", fields)
            await self.client.xack(self.keys.matches, GROUP, entry_id)
            return
        for route in self.routes:
            if not wants(route.subscription, alert):
                continue
            rendered = render(alert, route.subscription.language)
            for channel in route.channels:
                await self.deliver(entry_id, alert, route.subscription, channel, rendered)
        await self.client.xack(self.keys.matches, GROUP, entry_id)

    async def deliver(self, entry_id: str, alert: Alert, sub: Subscription, channel: Channel,
                      rendered: object) -> None:  # fmt: skip
        delivery_id = f"{alert.key}:{sub.name}:{channel.id}"
        done_key = self.keys.delivered(delivery_id)
        if await self.client.exists(done_key):
            return
        settings = self.settings.alerts
        for attempt in range(1, settings.max_attempts + 1):
            try:
                await channel.send(alert, rendered, sub.name)  # type: ignore[arg-type]
            except DeliveryError as exc:
                if exc.permanent or attempt == settings.max_attempts:
                    self.failed += 1
                    await self._dead(entry_id, alert, f"{sub.name}/{channel.id}", str(exc), None)
                    return
                delay = min(
                    settings.backoff_max_seconds, settings.backoff_base_seconds * 2 ** (attempt - 1)
                )
                delay = exc.retry_after or delay * (0.5 + random.random() / 2)
                log.warning(
                    "delivery %s failed (%s); retry %d in %.1fs", delivery_id, exc, attempt, delay
                )
                await asyncio.sleep(delay)
                continue
            await self.client.set(done_key, str(time.time()), ex=DONE_TTL)
            await self.client.xadd(
                self.keys.delivery_log,
                {"delivery": delivery_id, "at": str(time.time()), "kind": channel.kind},
                maxlen=100_000,
                approximate=True,
            )
            self.delivered += 1
            log.info(
                "delivered %s r%d to %s via %s",
                alert.incident_id,
                alert.revision,
                sub.name,
                channel.kind,
            )
            return

    async def _dead(self, entry_id: str, alert: Alert | None, target: str, reason: str,
                    fields: dict[str, str] | None) -> None:  # fmt: skip
        log.error("dead letter %s %s: %s", entry_id, target, reason)
        await self.client.xadd(
            self.keys.dead,
            {
                "entry": entry_id,
                "target": target,
                "reason": reason,
                "alert": alert.model_dump_json() if alert else json.dumps(fields or {}),
                "at": str(time.time()),
            },
        )
