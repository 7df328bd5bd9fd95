"""The console for tests, benchmarks and screenshots: served on 127.0.0.1 in a thread, over incidents.

Two ways to fill Redis with incidents: `record_reports` sends our invented Arabic reports through
real detection and the real incident store; `write_incidents` writes many generated incidents in
the store's own format (for the 10,000-incident benchmark, where detection would take minutes).
"""

from __future__ import annotations

import asyncio
import json
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import redis

from alerts.spine.keyspace import Keyspace
from config.settings import Settings
from crawler.incidents.incident import Copy, Incident, Story, Toll
from crawler.incidents.keys import IncidentKeys
from crawler.incidents.report import Location
from crawler.incidents.store import IncidentStore
from tests.support import incident_reports as reports

# The reports become these incidents (the five outlets' attack is one).
REPORTS = (
    *reports.FIVE_OUTLETS,
    reports.WEEK_LATER,
    reports.SABHA_SAME_DAY,
    reports.QATRUN_SAME_DAY,
    reports.ARREST_SAME_TOWN,
)


def record_reports(client: redis.Redis, keys: Keyspace, settings: Settings) -> IncidentStore:
    """Our Arabic reports through detection and the incident store, as the crawler records them."""
    store = IncidentStore(client, keys, settings.incidents)
    for n, dispatch in enumerate(REPORTS):
        store.record(
            dispatch.article(), reports.detect(dispatch), dispatch.published + timedelta(minutes=n)
        )
    return store


PLACES = [  # (id, Arabic, English, lat, lon, region, district)
    ("sirte", "سرت", "Sirte", 31.2089, 16.5887, "طرابلس", "سرت"),
    ("sabha", "سبها", "Sabha", 27.0377, 14.4283, "فزان", "سبها"),
    ("derna", "درنة", "Derna", 32.7571, 22.6367, "برقة", "درنة"),
    ("benghazi", "بنغازي", "Benghazi", 32.1167, 20.0667, "برقة", "بنغازي"),
    ("tripoli", "طرابلس", "Tripoli", 32.8872, 13.1913, "طرابلس", "طرابلس"),
    ("ubari", "أوباري", "Ubari", 26.5903, 12.7751, "فزان", "وادي الحياة"),
    ("qatrun", "القطرون", "Al Qatrun", 24.9334, 14.6380, "فزان", "مرزق"),
    ("ajdabiya", "أجدابيا", "Ajdabiya", 30.7555, 20.2263, "برقة", "الواحات"),
    ("misrata", "مصراتة", "Misrata", 32.3754, 15.0925, "طرابلس", "مصراتة"),
    ("traghen", "تراغن", "Traghan", 25.9319, 14.4331, "فزان", "مرزق"),
]
TYPES = [
    "attack",
    "bombing",
    "ambush",
    "assassination",
    "kidnapping",
    "clash",
    "arrest",
    "suicide_bombing",
]


def generated(n: int, now: float, days: int = 365, seed: int = 15) -> list[tuple[Incident, float]]:
    """`n` incidents over the last `days` days, each with three stories, copies and tolls."""
    rng = random.Random(seed)
    made = []
    for i in range(n):
        pid, name, en, lat, lon, region, district = rng.choice(PLACES)
        changed = now - rng.uniform(0, days * 86400)
        seen = datetime.fromtimestamp(changed, UTC) - timedelta(hours=rng.uniform(0, 30))
        killed, injured = rng.randint(0, 12), rng.randint(0, 20)
        kind = rng.choice(TYPES)
        stories = tuple(
            Story(
                outlet=f"outlet-{k}", url=f"https://news{k}.example/{i}/{k}",
                title=f"هجوم لداعش في {name} يوقع {killed} قتلى (تقرير {k})",
                published=seen + timedelta(hours=k), seen=seen + timedelta(hours=k),
                signature=tuple(rng.randrange(2**32) for _ in range(64)),
                copies=(Copy(f"copy-{k}", f"https://copy{k}.example/{i}", seen),) if k == 0 else (),
            )
            for k in range(3)
        )  # fmt: skip
        place = Location(
            id=pid, name=name, lat=lat + rng.uniform(-0.05, 0.05), lon=lon + rng.uniform(-0.05, 0.05),
            specificity=5, region=region, district=district, en=en,
        )  # fmt: skip
        incident = Incident(
            id=f"inc{i:06d}", revision=3, places=(place,), incident_type=kind, first_seen=seen,
            last_seen=seen + timedelta(hours=2), first_day=seen.date(), last_day=seen.date(),
            killed=killed, injured=injured, claimed=rng.random() < 0.3, stories=stories,
            tolls=tuple(
                Toll(s.outlet, s.url, s.seen, max(0, killed - 2 + k), injured, "adopted")
                for k, s in enumerate(stories)
            ),
            score=5.0, title=stories[0].title,
        )  # fmt: skip
        made.append((incident, changed))
    return made


def write_incidents(
    client: redis.Redis, keys: Keyspace, incidents: list[tuple[Incident, float]]
) -> None:
    """Incidents in the incident store's own keys and format, as if it had recorded them."""
    names = IncidentKeys(keys.prefix)
    for start in range(0, len(incidents), 500):
        pipe = client.pipeline(transaction=False)
        for incident, changed in incidents[start : start + 500]:
            pipe.hset(
                names.incident(incident.id),
                "state",
                json.dumps(incident.to_json(), ensure_ascii=False),
            )
            event = {
                "at": datetime.fromtimestamp(changed, UTC).isoformat(), "kind": "update",
                "revision": incident.revision, "reasons": ["new_source"],
                "outlet": incident.stories[-1].outlet, "url": incident.stories[-1].url,
                "title": incident.stories[-1].title, "changes": [], "why": [],
            }  # fmt: skip
            pipe.rpush(names.incident_history(incident.id), json.dumps(event, ensure_ascii=False))
            pipe.zadd(names.incidents, {incident.id: changed})
        pipe.incr(names.incident_clock)
        pipe.execute()


def dead_letter(client: redis.Redis, keys: Keyspace) -> str:
    """A delivery that failed for good, as the sender leaves it on the dead-letter stream."""
    from alerts.jobs import DeliveryJob
    from alerts.sample import sample_alert

    alert = sample_alert(incident_id="dead-1")
    job = DeliveryJob(
        id=f"{alert.key}:ops:email-0", subscription="ops", channel="email-0",
        alerts_json=(alert.model_dump_json(),), attempt=8, created=time.time(),
    )  # fmt: skip
    fields = {
        "entry": "0-1",
        "job": job.to_json(),
        "reason": "550 no such user",
        "at": repr(time.time()),
    }
    return str(client.xadd(keys.dead, fields))  # type: ignore[arg-type]


class ConsoleServer:
    """A console on 127.0.0.1, any free port, in a thread with its own event loop."""

    def __init__(self, settings: Settings, client: redis.Redis, keys: Keyspace, host: str = "127.0.0.1",
                 environ: dict[str, str] | None = None) -> None:  # fmt: skip
        from crawler.app.console.web import Console

        self.console = Console(settings, client, keys, host=host, environ=environ or {})
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.runner: Any = None
        self.url = ""

    async def _start(self) -> str:
        from aiohttp import web

        app = web.Application()
        self.console.install(app)
        self.runner = web.AppRunner(app, access_log=None)
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}/console"

    def start(self) -> str:
        self.thread.start()
        self.url = asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(30)
        return self.url

    def stop(self) -> None:
        async def stop() -> None:
            await self.runner.cleanup()
            await self.console.close()

        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(30)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@contextmanager
def console_server(
    settings: Settings, client: redis.Redis, keys: Keyspace, host: str = "127.0.0.1",
    environ: dict[str, str] | None = None,
) -> Iterator[str]:  # fmt: skip
    server = ConsoleServer(settings, client, keys, host, environ)
    try:
        yield server.start()
    finally:
        server.stop()


def now() -> float:
    return time.time()
