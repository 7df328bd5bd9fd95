"""What the delivery tests share: alerts in our own Arabic words, settings, publishing, draining."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from functools import cache
from typing import Any

import redis

from alerts.message import Alert, Casualty, PlaceRef, SourceRef
from alerts.spine.connections import RedisHandle, RedisTarget
from alerts.spine.keyspace import Keyspace
from alerts.worker import AlertWorker
from config.settings import Settings
from crawler.detect.facts.gazetteer import DEFAULT_GAZETTEER, Gazetteer
from tests.support.redis_mode import redis_block

# Our own sample incidents (made up for the tests): place, coordinates, region, type, title.
INCIDENTS = [
    ("القطرون", 24.8895, 14.5315, "فزان", "attack",
     "مسلحون يهاجمون نقطة تفتيش قرب القطرون ويقتلون أربعة من عناصرها"),
    ("سرت", 31.2060, 16.5836, "طرابلس", "bombing",
     "انفجار عبوة ناسفة على الطريق الساحلي غرب سرت"),
    ("درنة", 32.7594, 22.6383, "برقة", "kidnapping",
     "خطف سائق شاحنة على مدخل درنة الجنوبي"),
    ("سبها", 27.0365, 14.4290, "فزان", "clash",
     "اشتباك بين دورية أمنية ومسلحين في ضواحي سبها"),
]  # fmt: skip


@cache
def _region_en(place: str) -> str | None:
    """The region's English name as an incident keeps it: from the shipped gazetteer."""
    found = Gazetteer.load(DEFAULT_GAZETTEER).lookup(place)
    return found.region_en or None if found else None


def make_alert(
    incident_id: str = "inc-1", revision: int = 1, which: int = 0, **overrides: Any
) -> Alert:
    place, lat, lon, region, kind_of, title = INCIDENTS[which % len(INCIDENTS)]
    published = datetime(2026, 3, 14, 6, 30, tzinfo=UTC) + timedelta(hours=which)
    data: dict[str, Any] = {
        "incident_id": incident_id,
        "revision": revision,
        "kind": "new" if revision == 1 else "update",
        "update_reasons": [] if revision == 1 else ["casualties"],
        "score": 0.8,
        "title": title,
        "summary": f"{title}. وقالت مصادر محلية إن التنظيم تبنى الهجوم في بيان لاحق.",
        "url": f"https://news.example.org/a/{incident_id}-{revision}",
        "source": "أخبار المثال",
        "published": published,
        "detected_at": published + timedelta(minutes=5),
        "event_date": published.date().isoformat(),
        "places": [
            PlaceRef(name=place, lat=lat, lon=lon, region=region, region_en=_region_en(place))
        ],
        "incident_type": kind_of,
        "killed": 4 + revision - 1,
        "injured": 2,
        "casualties": [Casualty(who="victims", killed=4 + revision - 1, injured=2)],
        "actors": ["داعش"],
        "sources": [
            SourceRef(
                outlet="أخبار المثال",
                url=f"https://news.example.org/a/{incident_id}-{revision}",
                title=title,
                published=published,
            )
        ],
        "matched": ["داعش", place],
        "why": ["actor+incident+place in one sentence"],
    }
    data.update(overrides)
    return Alert(**data)


def build_settings(redis_url: str, prefix: str, smtp_port: int = 25, **overrides: Any) -> Settings:
    """Settings for an in-process worker: short back-off, quick take-over, no Apprise throttle."""
    data: dict[str, Any] = {
        "redis": redis_block(redis_url, prefix),
        "smtp": {"host": "127.0.0.1", "port": smtp_port, "sender": "raqib@test.example",
                 "timeout": 10},
        "alerts": {"backoff_base_seconds": 0.05, "backoff_max_seconds": 0.5, "max_attempts": 4,
                   "claim_idle_seconds": 0.5, "poll_seconds": 0.1, "send_timeout_seconds": 20},
        "subscriptions": [],
    }  # fmt: skip
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return Settings.model_validate(data)


def handle_for(settings: Settings) -> RedisHandle:
    assert settings.redis.url
    return RedisHandle(RedisTarget.from_settings(settings.redis), Keyspace(settings.redis.prefix))


def publish(client: redis.Redis, prefix: str, *alerts: Alert) -> list[str]:
    """XADD each alert on the matches stream, as the crawler does."""
    stream = Keyspace(prefix).matches
    return [str(client.xadd(stream, alert.to_fields())) for alert in alerts]


def drain(settings: Settings, now: float | None = None, name: str | None = None) -> AlertWorker:
    """One `drain()` of a fresh worker (a new process, as `raqib alerts --once` would be)."""

    async def main() -> AlertWorker:
        worker = AlertWorker(
            settings, handle_for(settings), name=name,
            now=(lambda: now) if now is not None else time.time,
        )  # fmt: skip
        try:
            await worker.drain()
        finally:
            await worker.close()
        return worker

    return asyncio.run(main())


def message_ids(messages: list[EmailMessage]) -> list[str]:
    return [str(m["Message-ID"]) for m in messages]


def wait_until(condition: Any, timeout: float = 20.0, every: float = 0.05) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return bool(condition())
