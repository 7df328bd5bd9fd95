"""What Raqib remembers of each feed in Redis: validators, health, entries already seen, leases."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import redis
from redis.exceptions import NoScriptError

from alerts.spine.keyspace import Keyspace
from crawler.feeds.keys import FeedKeys

_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid", "at_", "ref_src")


def canonical_url(url: str) -> str:
    """One spelling per article: lower-case host, no fragment, no tracking parameters."""
    url = url.strip()
    if "?" not in url and "#" not in url:
        # The common case, without the cost of splitting and rebuilding the query.
        scheme, sep, rest = url.partition("://")
        if sep:
            netloc, slash, path = rest.partition("/")
            netloc = _without_default_port(scheme.lower(), netloc.lower())
            return (
                f"{scheme.lower()}://{netloc}/{path}" if slash else f"{scheme.lower()}://{netloc}/"
            )
    parts = urlsplit(url)
    query = [
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING)
    ]  # fmt: skip
    scheme = parts.scheme.lower()
    netloc = _without_default_port(scheme, parts.netloc.lower())
    return urlunsplit((scheme, netloc, parts.path or "/", urlencode(query), ""))


def _without_default_port(scheme: str, netloc: str) -> str:
    if scheme == "http" and netloc.endswith(":80"):
        return netloc[:-3]
    if scheme == "https" and netloc.endswith(":443"):
        return netloc[:-4]
    return netloc


def entry_key(source: str, guid: str | None, url: str | None, title: str = "") -> str:
    """A stable id for a feed entry: its GUID and its canonical URL, within its source.

    An entry counts as seen when either was seen, so an item that comes back with a new GUID,
    or with tracking parameters on its link, is not read twice. With neither, the title stands
    in. The id ends with the source, so `FeedStore.mark_seen` needs nothing else.
    """
    parts = []
    if guid:
        parts.append("g" + _digest(guid))
    if url:
        parts.append("u" + _digest(canonical_url(url)))
    if not parts:
        parts.append("t" + _digest(title.strip()))
    return ",".join(parts) + "|" + source


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def _split_key(key: str) -> tuple[str, list[str]]:
    parts, _, source = key.partition("|")
    return source, parts.split(",")


def _by_source(keys: Iterable[str]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for key in keys:
        groups.setdefault(_split_key(key)[0], []).append(key)
    return groups


def _fresh(groups: dict[str, list[str]], results: list[Any]) -> set[str]:
    fresh: set[str] = set()
    for source_keys, scores in zip(groups.values(), results, strict=True):
        position = 0
        for key in source_keys:
            width = len(_split_key(key)[1])
            if all(score is None for score in scores[position : position + width]):
                fresh.add(key)
            position += width
    return fresh


# A source's lease (one key: legal on Redis Cluster): taken when free or already ours, renewed
# only by its holder. KEYS: the lease   ARGV: owner, milliseconds
LEASE_TAKE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""
LEASE_KEEP = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""


def lease_seconds(interval: float, jitter: float) -> float:
    """How long a fetch holds its source: a little less than the interval, so the same process's
    next run (up to `jitter` early) finds the lease gone, and no other process's run comes sooner.
    """
    return max(interval * 0.5, interval - jitter - min(1.0, interval * 0.1))


@dataclass
class FeedState:
    """A feed's health and validators, as `raqib feeds` shows them."""

    name: str = ""
    url: str = ""
    etag: str = ""
    last_modified: str = ""
    first_fetch: float = 0.0
    last_fetch: float = 0.0
    last_success: float = 0.0
    last_new_item: float = 0.0
    last_error: str = ""
    last_error_at: float = 0.0
    last_warning: str = ""  # the feed was read, but something in it was wrong or refused
    last_warning_at: float = 0.0
    last_status: int = 0
    last_duration: float = 0.0
    body_sha1: str = ""
    items_seen: int = 0
    fetches: int = 0
    not_modified: int = 0
    failures: int = 0  # consecutive
    total_failures: int = 0
    article_failures: int = 0
    backoff_until: float = 0.0
    next_run: float = 0.0
    skipped_runs: int = 0  # a run due while the last was still going, or missed altogether
    late_runs: int = 0
    rested_runs: int = 0  # runs not made because the source was backing off
    leased_elsewhere: int = 0  # runs left to another crawler process holding the lease
    entries_over_cap: int = 0  # entries of the last document not read (max_entries_per_fetch)
    seen_trimmed: int = 0  # seen ids dropped, oldest first, to keep within max_seen_ids

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

    def __init__(self, client: redis.Redis, keys: Keyspace, seen_ttl_days: int = 60,
                 max_seen_ids: int = 10_000) -> None:  # fmt: skip
        self.client = client
        self.keys = FeedKeys(keys.prefix)
        self.seen_ttl = seen_ttl_days * 86400
        self.max_seen_ids = max_seen_ids
        self.lease_keeper = client.register_script(LEASE_KEEP)

    def state(self, name: str) -> FeedState:
        return FeedState.from_hash(
            cast(dict[str, str], self.client.hgetall(self.keys.feed_state(name)))
        )

    def states(self) -> list[FeedState]:
        names = sorted(cast(set[str], self.client.smembers(self.keys.feeds)))
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.hgetall(self.keys.feed_state(name))
        return [FeedState.from_hash(data) for data in pipe.execute()]

    def update(self, source: str, /, **values: object) -> None:
        mapping: dict[Any, Any] = {k: str(v) for k, v in values.items()}
        pipe = self.client.pipeline(transaction=False)
        pipe.sadd(self.keys.feeds, source)
        pipe.hset(self.keys.feed_state(source), mapping=mapping)
        pipe.execute()

    def bump(self, name: str, field: str, amount: int = 1) -> None:
        self.client.hincrby(self.keys.feed_state(name), field, amount)

    def record_success(
        self,
        name: str,
        url: str,
        status: int,
        new_items: int,
        duration: float = 0.0,
        seen: Iterable[str] = (),
        validators: tuple[str | None, str | None, str] | None = None,
        over_cap: int | None = None,
    ) -> None:
        """Record a successful fetch, in one round trip with the entries it settled (`seen`)
        and, when every new entry is settled, the validators for the next conditional GET.
        `over_cap`: entries of the document left unread by the cap (None: no document read).
        """
        pipe = self.client.pipeline(transaction=False)
        self._queue_success(pipe, name, url, status, new_items, duration, validators, over_cap)
        trims = self._queue_seen(pipe, seen)
        self._count_trims(trims, pipe.execute())

    def _queue_success(
        self,
        pipe: Any,
        name: str,
        url: str,
        status: int,
        new_items: int,
        duration: float,
        validators: tuple[str | None, str | None, str] | None,
        over_cap: int | None,
    ) -> None:
        now = time.time()
        values: dict[str, object] = {
            "name": name, "url": url, "last_fetch": now, "last_success": now,
            "last_status": status, "failures": 0, "backoff_until": 0, "last_duration": duration,
        }  # fmt: skip
        if new_items:
            values["last_new_item"] = now
        if over_cap is not None:
            values["entries_over_cap"] = over_cap
        if validators is not None:
            etag, modified, digest = validators
            values.update(etag=etag or "", last_modified=modified or "", body_sha1=digest)
        key = self.keys.feed_state(name)
        pipe.sadd(self.keys.feeds, name)
        pipe.hsetnx(key, "first_fetch", str(now))
        pipe.hset(key, mapping={k: str(v) for k, v in values.items()})
        pipe.hincrby(key, "fetches", 1)
        pipe.hincrby(key, "items_seen", new_items)
        if status == 304:
            pipe.hincrby(key, "not_modified", 1)

    def record_warning(self, name: str, warning: str, article: bool = False) -> None:
        """Something wrong inside a feed that was read (a malformed document, a refused link)."""
        self.update(name, last_warning=warning[:500], last_warning_at=time.time())
        if article:
            self.bump(name, "article_failures")

    def record_failure(
        self,
        name: str,
        url: str,
        error: str,
        status: int = 0,
        base: float = 120.0,
        cap: float = 6 * 3600,
        retry_after: float | None = None,
        duration: float = 0.0,
    ) -> float:
        """Count a failure and set the back-off; returns the time until which the feed rests.

        The rest doubles with each consecutive failure, from `base` up to `cap`; a server's
        Retry-After is honoured when longer (up to `cap` too).
        """
        key = self.keys.feed_state(name)
        pipe = self.client.pipeline(transaction=False)
        now = time.time()
        pipe.hincrby(key, "failures", 1)
        pipe.hincrby(key, "total_failures", 1)
        pipe.hincrby(key, "fetches", 1)
        pipe.hsetnx(key, "first_fetch", str(now))
        failures = int(pipe.execute()[0])
        wait = min(cap, base * 2.0 ** min(failures - 1, 30))
        if retry_after is not None:
            wait = max(wait, min(cap, retry_after))
        until = now + wait
        self.update(
            name, name=name, url=url, last_fetch=now, last_error=error[:500], last_error_at=now,
            last_status=status, backoff_until=until, last_duration=duration,
        )  # fmt: skip
        return until

    def resting_until(self, name: str) -> float:
        """When a backing-off source may be fetched again (0: now)."""
        value = self.client.hget(self.keys.feed_state(name), "backoff_until")
        return float(cast(str, value)) if value else 0.0

    def validators(self, name: str) -> tuple[str, str, str]:
        """ETag, Last-Modified and the SHA-1 of the last body whose entries were all handled."""
        return self.all_validators([name])[name]

    def all_validators(self, names: Iterable[str]) -> dict[str, tuple[str, str, str]]:
        """The validators of many sources in one round trip (a crawl loads its batch's at start)."""
        names = list(names)
        pipe = self.client.pipeline(transaction=False)
        for name in names:
            pipe.hmget(self.keys.feed_state(name), ["etag", "last_modified", "body_sha1"])
        return {
            name: (etag or "", modified or "", digest or "")
            for name, (etag, modified, digest) in zip(names, pipe.execute(), strict=True)
        }

    def save_validators(
        self, name: str, etag: str | None, last_modified: str | None, body_sha1: str = ""
    ) -> None:
        self.update(name, etag=etag or "", last_modified=last_modified or "", body_sha1=body_sha1)

    def unseen(self, keys: Iterable[str]) -> set[str]:
        """Which of these entry keys (of one or more sources) have not been handled yet.

        Each source keeps its seen ids in one sorted set scored by when they were seen, so a
        whole feed is checked with one ZMSCORE; ids older than the TTL are trimmed as new ones
        are added.
        """
        groups = _by_source(keys)
        if not groups:
            return set()
        pipe = self.client.pipeline(transaction=False)
        self._queue_unseen(pipe, groups)
        return _fresh(groups, pipe.execute())

    def _queue_unseen(self, pipe: Any, groups: dict[str, list[str]]) -> None:
        for source, source_keys in groups.items():
            members = [part for key in source_keys for part in _split_key(key)[1]]
            pipe.zmscore(self.keys.seen(source), members)

    def mark_seen(self, key: str) -> None:
        self.mark_all_seen([key])

    def mark_all_seen(self, keys: Iterable[str]) -> None:
        pipe = self.client.pipeline(transaction=False)
        trims = self._queue_seen(pipe, keys)
        if trims:
            self._count_trims(trims, pipe.execute())

    def _queue_seen(self, pipe: Any, keys: Iterable[str]) -> dict[str, int]:
        """Queue the ids of these entries as seen, the TTL and the size cap applied; returns, per
        source, where in the pipeline's answers the count of ids the cap trimmed will be."""
        now = time.time()
        by_source: dict[str, dict[str, float]] = {}
        for key in keys:
            source, parts = _split_key(key)
            by_source.setdefault(source, {}).update(dict.fromkeys(parts, now))
        trims: dict[str, int] = {}
        for source, members in by_source.items():
            seen = self.keys.seen(source)
            pipe.zadd(seen, members)
            pipe.zremrangebyscore(seen, "-inf", now - self.seen_ttl)
            trims[source] = len(pipe)
            # Oldest first: a source that gives its items new ids on every fetch (or lists
            # thousands) would otherwise grow this set by a whole feed each time.
            pipe.zremrangebyrank(seen, 0, -self.max_seen_ids - 1)
            pipe.expire(seen, self.seen_ttl)
        return trims

    def _count_trims(self, trims: dict[str, int], answers: list[Any]) -> None:
        trimmed = {source: int(answers[at]) for source, at in trims.items() if answers[at]}
        if trimmed:
            pipe = self.client.pipeline(transaction=False)
            for source, count in trimmed.items():
                pipe.hincrby(self.keys.feed_state(source), "seen_trimmed", count)
            pipe.execute()

    def acquire_lease(self, name: str, owner: str, seconds: float) -> bool:
        """One fetch per interval across every crawler process sharing this Redis: the lease is
        free, or its holder's own (its fetch outlasted the lease's first term: `keep_leases`)."""
        taken = self.client.eval(
            LEASE_TAKE, 1, self.keys.feed_lease(name), owner, str(int(seconds * 1000))
        )  # fmt: skip
        return bool(taken)

    def keep_leases(self, leases: dict[str, float], owner: str) -> None:
        """Renew the leases of fetches still under way (queued behind a big crawl), so none ends
        before its fetch and lets another crawler fetch the source again in the same interval."""
        if not leases:
            return

        def renew() -> None:
            pipe = self.client.pipeline(transaction=False)
            for name, seconds in leases.items():
                key, milliseconds = self.keys.feed_lease(name), str(int(seconds * 1000))
                self.lease_keeper(keys=[key], args=[owner, milliseconds], client=pipe)
            pipe.execute()

        try:
            renew()
        except NoScriptError:
            # A Cluster pipeline does not load its scripts first as a plain one does, and a
            # master promoted by a failover may not have them: load, renew again.
            self.lease_keeper.sha = self.client.script_load(LEASE_KEEP)
            renew()

    def record_run(self, name: str, next_run: float) -> None:
        self.update(name, name=name, next_run=next_run)

    def as_dict(self, name: str) -> dict[str, object]:
        return asdict(self.state(name))
