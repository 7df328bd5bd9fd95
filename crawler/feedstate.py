"""What Raqib remembers of each feed in Redis: validators, health, entries already seen, leases."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis

from alerts.keyspace import Keyspace

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "at_", "ref_src")


def canonical_url(url: str) -> str:
    """One spelling per article: lower-case host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]  # fmt: skip
    path = parts.path or "/"
    netloc = parts.netloc.lower()
    if netloc.endswith(":80") and parts.scheme == "http":
        netloc = netloc[:-3]
    if netloc.endswith(":443") and parts.scheme == "https":
        netloc = netloc[:-4]
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def entry_key(source: str, guid: str | None, url: str | None) -> str:
    """A stable id for a feed entry: its GUID when it has one, else its canonical URL."""
    basis = f"guid:{guid}" if guid else f"url:{canonical_url(url or '')}"
    return hashlib.sha1(f"{source}\x00{basis}".encode()).hexdigest()


@dataclass
class FeedState:
    """A feed's health and validators, as `raqib feeds` shows them."""

    name: str = ""
    url: str = ""
    etag: str = ""
    last_modified: str = ""
    last_fetch: float = 0.0
    last_success: float = 0.0
    last_new_item: float = 0.0
    last_error: str = ""
    last_error_at: float = 0.0
    last_status: int = 0
    items_seen: int = 0
    fetches: int = 0
    not_modified: int = 0
    failures: int = 0  # consecutive
    backoff_until: float = 0.0
    next_run: float = 0.0
    skipped_runs: int = 0
    late_runs: int = 0

    @classmethod
    def from_hash(cls, data: Mapping[str, str]) -> FeedState:
        state = cls()
        for f in fields(cls):
            if f.name in data:
                kind = type(getattr(state, f.name))
                setattr(state, f.name, kind(data[f.name]))
        return state


class FeedStore:
    """Feed state, seen entries and leases, kept in Redis so every process and restart shares them."""

    def __init__(self, client: redis.Redis, keys: Keyspace, seen_ttl_days: int = 60) -> None:
        self.client = client
        self.keys = keys
        self.seen_ttl = seen_ttl_days * 86400

    def state(self, name: str) -> FeedState:
        return FeedState.from_hash(
            cast(dict[str, str], self.client.hgetall(self.keys.feed_state(name)))
        )

    def states(self) -> list[FeedState]:
        names = sorted(cast(set[str], self.client.smembers(self.keys.feeds)))
        return [self.state(n) for n in names]

    def update(self, source: str, /, **values: object) -> None:
        mapping: dict[Any, Any] = {k: str(v) for k, v in values.items()}
        pipe = self.client.pipeline(transaction=False)
        pipe.sadd(self.keys.feeds, source)
        pipe.hset(self.keys.feed_state(source), mapping=mapping)
        pipe.execute()

    def bump(self, name: str, field: str, amount: int = 1) -> None:
        self.client.hincrby(self.keys.feed_state(name), field, amount)

    def record_success(self, name: str, url: str, status: int, new_items: int) -> None:
        now = time.time()
        values: dict[str, object] = {
            "name": name, "url": url, "last_fetch": now, "last_success": now,
            "last_status": status, "failures": 0, "backoff_until": 0,
        }  # fmt: skip
        if new_items:
            values["last_new_item"] = now
        self.update(name, **values)
        pipe = self.client.pipeline(transaction=False)
        pipe.hincrby(self.keys.feed_state(name), "fetches", 1)
        pipe.hincrby(self.keys.feed_state(name), "items_seen", new_items)
        if status == 304:
            pipe.hincrby(self.keys.feed_state(name), "not_modified", 1)
        pipe.execute()

    def record_failure(
        self,
        name: str,
        url: str,
        error: str,
        status: int = 0,
        base: float = 60.0,
        cap: float = 6 * 3600,
        retry_after: float | None = None,
    ) -> float:
        """Count a failure and set the back-off; returns the time until which the feed rests."""
        failures = int(cast(Any, self.client.hincrby(self.keys.feed_state(name), "failures", 1)))
        now = time.time()
        wait = min(cap, base * 2.0 ** (failures - 1))
        if retry_after is not None:
            wait = max(wait, min(cap, retry_after))
        until = now + wait
        self.update(
            name, name=name, url=url, last_fetch=now, last_error=error[:500], last_error_at=now,
            last_status=status, backoff_until=until,
        )  # fmt: skip
        self.bump(name, "fetches")
        return until

    def validators(self, name: str) -> tuple[str, str]:
        etag, modified = cast(
            list[str | None],
            self.client.hmget(self.keys.feed_state(name), ["etag", "last_modified"]),
        )
        return etag or "", modified or ""

    def save_validators(self, name: str, etag: str | None, last_modified: str | None) -> None:
        self.update(name, etag=etag or "", last_modified=last_modified or "")

    def clear_validators(self, name: str) -> None:
        self.update(name, etag="", last_modified="")

    def unseen(self, keys: Iterable[str]) -> set[str]:
        """Which of these entry keys have not been handled yet (one round trip)."""
        keys = list(keys)
        if not keys:
            return set()
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.exists(self.keys.seen(key))
        return {key for key, found in zip(keys, pipe.execute(), strict=True) if not found}

    def mark_seen(self, key: str) -> None:
        self.client.set(self.keys.seen(key), "1", ex=self.seen_ttl)

    def acquire_lease(self, name: str, owner: str, seconds: float) -> bool:
        """One fetch per interval across every crawler process sharing this Redis."""
        return bool(
            self.client.set(self.keys.feed_lease(name), owner, nx=True, px=int(seconds * 1000))
        )

    def as_dict(self, name: str) -> dict[str, object]:
        return asdict(self.state(name))
