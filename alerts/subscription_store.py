"""Subscriptions made outside the YAML (by `raqib subscriptions add` or the console), kept in
Redis: listed beside the YAML ones, paused and resumed, removed. The YAML ones are read-only here:
nothing is ever written back into the operator's file."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import redis
import redis.asyncio
from pydantic import ValidationError

from alerts.audit import AuditLog, actor
from alerts.channels.chat import redact_chat
from alerts.spine.cleaning import clean_text
from alerts.spine.keyspace import Keyspace
from config.settings import Settings, Subscription

MAX_STORED = 1000


class SubscriptionError(ValueError):
    """A change that cannot be made; the message says why."""


@dataclass(frozen=True)
class StoredSubscription:
    subscription: Subscription
    by: str
    created: float
    paused: dict[str, Any] | None = None  # {by, at} while paused
    origin: str = "cli"  # cli | console: where it was made (never yaml)

    def to_json(self) -> str:
        return json.dumps({
            "subscription": self.subscription.model_dump(mode="json", exclude_defaults=True),
            "by": self.by, "created": self.created, "paused": self.paused, "origin": self.origin,
        }, ensure_ascii=False, sort_keys=True)  # fmt: skip

    @classmethod
    def from_json(cls, text: str) -> StoredSubscription:
        data = json.loads(text)
        return cls(
            subscription=Subscription.model_validate(data["subscription"]), by=data["by"],
            created=float(data["created"]), paused=data.get("paused"),
            origin=data.get("origin") or "cli",
        )  # fmt: skip


def describe(
    sub: Subscription, origin: str, state: str, record: StoredSubscription | None
) -> dict[str, Any]:
    """One row of the list: channels (chat URLs without their tokens), filters, state."""
    filters = {
        k: v
        for k, v in {
            "min_score": sub.min_score or None, "places": sub.places, "regions": sub.regions,
            "incident_types": sub.incident_types, "kinds": sub.kinds if sub.kinds != ["new", "update"] else None,
            "mode": sub.mode if sub.mode != "immediate" else None,
        }.items()
        if v
    }  # fmt: skip
    return {
        "name": sub.name, "origin": origin, "state": state,
        "channels": [*sub.email, *(redact_chat(t.url) for t in sub.chat_targets())],
        "filters": filters, "language": sub.language,
        "by": record.by if record else None,
        "created": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="seconds")
        if record else None,
    }  # fmt: skip


def _cleaned(value: Any) -> Any:
    # Places and names typed by a person are shown in lists and the console: no controls.
    if isinstance(value, str):
        return clean_text(value, one_line=True).strip()
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def _decode(raw: dict[Any, Any]) -> list[StoredSubscription]:
    return sorted(
        (StoredSubscription.from_json(str(v)) for v in raw.values()),
        key=lambda s: s.subscription.name,
    )


class SubscriptionStore:
    def __init__(self, client: redis.Redis, keys: Keyspace, audit: AuditLog) -> None:
        self.client = client
        self.keys = keys
        self.key = keys.stored_subscriptions
        self.audit = audit

    def stored(self) -> list[StoredSubscription]:
        return _decode(cast(dict[str, str], self.client.hgetall(self.key)))

    def get(self, name: str) -> StoredSubscription | None:
        raw = self.client.hget(self.key, name)
        return StoredSubscription.from_json(cast(str, raw)) if raw else None

    def listing(self, settings: Settings) -> list[dict[str, Any]]:
        rows = [describe(s, "yaml", "active", None) for s in settings.subscriptions]
        yaml_names = {s.name for s in settings.subscriptions}
        for record in self.stored():
            state = "paused" if record.paused else "active"
            if record.subscription.name in yaml_names:
                state = "shadowed by the YAML one of that name"
            rows.append(describe(record.subscription, record.origin, state, record))
        return rows

    def add(
        self, settings: Settings, fields: dict[str, Any], by: str, origin: str = "cli"
    ) -> StoredSubscription:
        by = actor(by)
        fields = {k: _cleaned(v) for k, v in fields.items()}
        try:
            sub = Subscription.model_validate(fields)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc']) or 'subscription'}: {e['msg']}"
                for e in exc.errors()
            )
            raise SubscriptionError(problems) from None
        if not sub.email and not sub.chat:
            raise SubscriptionError("a subscription needs a channel: --email or --chat")
        if sub.name in {s.name for s in settings.subscriptions}:
            raise SubscriptionError(
                f"{sub.name!r} is a YAML subscription already; choose another name"
            )
        if int(self.client.hlen(self.key)) >= MAX_STORED:
            raise SubscriptionError(
                f"{MAX_STORED} subscriptions are stored already; remove some first"
            )
        record = StoredSubscription(sub, by=by, created=time.time(), origin=origin)
        if not self.client.hsetnx(self.key, sub.name, record.to_json()):
            raise SubscriptionError(f"a subscription {sub.name!r} exists already")
        self.client.incr(self.keys.subscriptions_version)
        self.audit.record(by, "subscription.add", sub.name, {
            "origin": origin, "channels": describe(sub, origin, "active", record)["channels"],
        })  # fmt: skip
        return record

    def _change(self, settings: Settings, name: str, by: str, action: str) -> StoredSubscription:
        by = actor(by)
        if name in {s.name for s in settings.subscriptions}:
            raise SubscriptionError(
                f"{name!r} is made in the YAML configuration and is read-only here: change it "
                "there and reload"
            )
        record = self.get(name)
        if record is None:
            raise SubscriptionError(
                f"no subscription {name!r} (list them with `raqib subscriptions list`)"
            )
        if action == "remove":
            self.client.hdel(self.key, name)
        else:
            paused = {"by": by, "at": time.time()} if action == "pause" else None
            record = StoredSubscription(
                record.subscription, record.by, record.created, paused, record.origin
            )
            self.client.hset(self.key, name, record.to_json())
        self.client.incr(self.keys.subscriptions_version)
        self.audit.record(by, f"subscription.{action}", name)
        return record

    def pause(self, settings: Settings, name: str, by: str) -> StoredSubscription:
        return self._change(settings, name, by, "pause")

    def resume(self, settings: Settings, name: str, by: str) -> StoredSubscription:
        return self._change(settings, name, by, "resume")

    def remove(self, settings: Settings, name: str, by: str) -> StoredSubscription:
        return self._change(settings, name, by, "remove")


async def read_stored(
    client: redis.asyncio.Redis, keys: Keyspace
) -> tuple[str | None, list[StoredSubscription]]:
    """The version and the stored subscriptions, for a worker."""
    version = await client.get(keys.subscriptions_version)
    raw = await client.hgetall(keys.stored_subscriptions)
    return (None if version is None else str(version)), _decode(raw)


async def stored_version(client: redis.asyncio.Redis, keys: Keyspace) -> str | None:
    version = await client.get(keys.subscriptions_version)
    return None if version is None else str(version)
