"""Alert delivery: 10,000 matches to 3 subscriptions with a webhook each, against a bare baseline.

Phases, all in one run on one Redis (REDIS_URL, or an embedded redis-server):
  ceiling   the same POSTs with no Redis at all: what the receiver and the HTTP client allow
  apprise   500 sends through Apprise's own json:// plugin (throttle off), one URL, in order
  baseline  a bare loop: XREADGROUP a batch, POST each alert's JSON, XACK the batch; no routing,
            rendering, idempotency records or retries
  burst     10,000 matches on the stream at once, then the Raqib worker: deliveries per second
  paced     10,000 matches published at a steady rate: time from stream to webhook, p50/p95
The webhook receiver runs in its own process (aiohttp), so it does not share the worker's GIL.
Apprise's throttle is off (alerts.throttle: false); json:// goes through Raqib's webhook channel.

Environment: BENCH_ALERTS_MATCHES (10000), BENCH_ALERTS_RATE (matches/s in the paced phase, 167: about 500 deliveries/s).
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import multiprocessing
import os
import socket
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import redis
from aiohttp import web

from alerts.channels.chat import ChatChannel
from alerts.jobs import DeliveryJob
from alerts.message import Alert, PlaceRef, SourceRef
from alerts.spine.connections import EmbeddedRedis, RedisHandle
from alerts.spine.keyspace import Keyspace
from alerts.worker import AlertWorker
from config.settings import Settings

MATCHES = int(os.environ.get("BENCH_ALERTS_MATCHES", "10000"))
RATE = float(os.environ.get("BENCH_ALERTS_RATE", "167"))  # about 500 deliveries/s
SUBSCRIPTIONS = 3
CONCURRENCY = 64

# Our own made-up incident text (never a real article).
TITLE = "مسلحون يهاجمون دورية أمنية على طريق سبها الجنوبي"
SUMMARY = "نص تجريبي لقياس الأداء: هجوم على دورية أمنية قرب سبها أسفر عن قتيلين وثلاثة جرحى."


def bench_alert(n: int, run: str) -> Alert:
    now = datetime.now(UTC)
    return Alert(
        incident_id=f"{run}-{n}", score=0.85, title=TITLE, summary=SUMMARY,
        url=f"https://news.example.org/bench/{n}", source="أخبار المثال", published=now,
        detected_at=now, event_date=now.date().isoformat(),
        places=[PlaceRef(name="سبها", lat=27.0365, lon=14.4290, region="فزان")],
        incident_type="attack", killed=2, injured=3, actors=["داعش"],
        sources=[SourceRef(outlet="أخبار المثال", url=f"https://news.example.org/bench/{n}",
                           title=TITLE, published=now)],
        matched=["داعش", "سبها"], why=["bench"],
    )  # fmt: skip


# --- the receiver, in its own process --------------------------------------------------------


def _receiver(port: int, ready: Any) -> None:
    gc.disable()  # the receiver only appends; its collector's pauses are not Raqib's latency
    received: list[tuple[float, str, str]] = []  # (arrival, incident id, idempotency key)

    async def hook(request: web.Request) -> web.Response:
        body = await request.json()
        arrived = time.time()
        raqib = body.get("raqib")
        # Raqib's payload, the baseline's {"incident_id"}, or Apprise's own (no id in it)
        incident = (raqib["alerts"][0] if raqib else body).get("incident_id", "apprise")
        received.append((arrived, incident, request.headers.get("Idempotency-Key", "")))
        return web.Response(status=204)

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(received)

    async def reset(request: web.Request) -> web.Response:
        received.clear()
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook/{name}", hook)
    app.router.add_get("/stats", stats)
    app.router.add_post("/reset", reset)
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
    ready.set()
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


async def _received(port: int) -> list[tuple[float, str, str]]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{port}/stats") as response,
    ):
        return [(float(a), str(b), str(c)) for a, b, c in await response.json()]


async def _reset(port: int) -> None:
    async with aiohttp.ClientSession() as session, session.post(f"http://127.0.0.1:{port}/reset"):
        pass


async def _wait_for(port: int, count: int, timeout: float) -> list[tuple[float, str, str]]:
    deadline = time.monotonic() + timeout
    rows: list[tuple[float, str, str]] = []
    while time.monotonic() < deadline:
        rows = await _received(port)
        if len(rows) >= count:
            return rows
        await asyncio.sleep(0.2)
    return rows


# --- the phases ------------------------------------------------------------------------------


def _settings(url: str, prefix: str, port: int) -> Settings:
    return Settings.model_validate({
        "redis": {"url": url, "prefix": prefix},
        "alerts": {"concurrency": CONCURRENCY, "batch": 128, "poll_seconds": 0.1,
                   "throttle": False},
        "subscriptions": [{"name": f"sub{i}", "chat": [f"json://127.0.0.1:{port}/hook/sub{i}"]}
                          for i in range(SUBSCRIPTIONS)],
    })  # fmt: skip


def _publish(url: str, stream: str, alerts: list[Alert], rate: float | None) -> None:
    """XADD each alert (stamped with the time it goes on the stream), in bulk or at a rate."""
    client = redis.Redis.from_url(url)
    try:
        if rate is None:
            pipe = client.pipeline(transaction=False)
            for alert in alerts:
                pipe.xadd(stream, alert.to_fields())
                if len(pipe) >= 500:
                    pipe.execute()
            pipe.execute()
            return
        start = time.perf_counter()
        for n, alert in enumerate(alerts):
            wait = start + n / rate - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            stamped = alert.model_copy(update={"detected_at": datetime.now(UTC)})
            client.xadd(stream, stamped.to_fields())
    finally:
        client.close()


async def _http_only(port: int, alerts: list[Alert]) -> float:
    """Deliveries per second of POSTs alone (no Redis): the receiver's and the client's ceiling."""
    bodies = [
        json.dumps({"incident_id": a.incident_id}) for a in alerts for _ in range(SUBSCRIPTIONS)
    ]
    semaphore = asyncio.Semaphore(CONCURRENCY)
    async with aiohttp.ClientSession() as session:

        async def post(n: int, body: str) -> None:
            async with (
                semaphore,
                session.post(
                    f"http://127.0.0.1:{port}/hook/sub{n % SUBSCRIPTIONS}", data=body
                ) as response,
            ):
                await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(post(n, body) for n, body in enumerate(bodies)))
        return len(bodies) / (time.perf_counter() - started)


async def _apprise_json(port: int, alerts: list[Alert]) -> float:
    """Sends per second through Apprise's own JSON plugin (throttle off), as a chat channel would:
    one at a time per URL. Raqib sends json:// itself; this shows why."""
    channel = ChatChannel(f"json://127.0.0.1:{port}/hook/apprise", throttle=False)
    jobs = [
        DeliveryJob(id=f"apprise-{n}", subscription="s", channel=channel.id,
                    alerts_json=(alert.model_dump_json(),))
        for n, alert in enumerate(alerts)
    ]  # fmt: skip
    started = time.perf_counter()
    for job in jobs:
        await channel.send(job, "ar")
    return len(jobs) / (time.perf_counter() - started)


async def _baseline(url: str, port: int, alerts: list[Alert]) -> float:
    """Deliveries per second of a bare stream consumer: XREADGROUP a batch, POST each entry's
    alert (as many in flight as Raqib), XACK the batch in one command."""
    stream = f"bench-baseline-{uuid.uuid4().hex[:8]}"
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    await client.xgroup_create(stream, "g", id="0", mkstream=True)
    pipe = client.pipeline(transaction=False)
    for alert in alerts:
        for sub in range(SUBSCRIPTIONS):
            pipe.xadd(stream, {"sub": f"sub{sub}", "alert": alert.model_dump_json()})
    await pipe.execute()
    total = len(alerts) * SUBSCRIPTIONS
    semaphore = asyncio.Semaphore(CONCURRENCY)
    async with aiohttp.ClientSession() as session:

        async def post(fields: dict[str, str]) -> None:
            async with (
                semaphore,
                session.post(
                    f"http://127.0.0.1:{port}/hook/{fields['sub']}", data=fields["alert"]
                ) as response,
            ):
                await response.read()

        started = time.perf_counter()
        done = 0
        while done < total:
            reply = await client.xreadgroup("g", "c", {stream: ">"}, count=CONCURRENCY * 2)
            entries = reply[0][1] if reply else []
            await asyncio.gather(*(post(fields) for _, fields in entries))
            if entries:
                await client.xack(stream, "g", *(entry_id for entry_id, _ in entries))
            done += len(entries)
        elapsed = time.perf_counter() - started
    await client.delete(stream)
    await client.aclose()
    return total / elapsed


async def _raqib(url: str, port: int, alerts: list[Alert], rate: float | None) -> dict[str, Any]:
    prefix = f"bench-{uuid.uuid4().hex[:8]}:"
    settings = _settings(url, prefix, port)
    keys = Keyspace(prefix)
    worker = AlertWorker(settings, RedisHandle(url, keys), name="bench")
    await worker.ensure_groups()
    total = len(alerts) * SUBSCRIPTIONS
    publisher = None
    if rate is None:
        _publish(url, keys.matches, alerts, None)  # the whole backlog is there before we start
    stop = asyncio.Event()
    started = time.perf_counter()
    run = asyncio.create_task(worker.run(stop))
    if rate is not None:
        publisher = multiprocessing.Process(target=_publish, args=(url, keys.matches, alerts, rate))
        publisher.start()
    rows = await _wait_for(port, total, timeout=total / 50 + 60)
    elapsed = time.perf_counter() - started
    stop.set()
    await run
    await worker.close()
    if publisher is not None:
        publisher.join()
    cleanup = redis.Redis.from_url(url)
    for key in cleanup.scan_iter(match=f"{prefix}*", count=1000):
        cleanup.delete(key)
    cleanup.close()
    latencies = sorted(worker.sender.latencies)
    distinct = {(incident, key) for _, incident, key in rows}
    return {
        "deliveries": len(rows),
        "distinct": len(distinct),
        "elapsed": elapsed,
        "per_second": len(rows) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000 if latencies else float("nan"),
        "max_ms": latencies[-1] * 1000 if latencies else float("nan"),
    }


async def _all(url: str, port: int) -> None:
    run = uuid.uuid4().hex[:6]
    alerts = [bench_alert(n, run) for n in range(MATCHES)]
    total = MATCHES * SUBSCRIPTIONS
    print(f"{MATCHES} matches × {SUBSCRIPTIONS} subscriptions (webhook each) = {total} deliveries;"
          f" {CONCURRENCY} in flight; Redis {'REDIS_URL' if os.environ.get('REDIS_URL') else 'embedded'}")  # fmt: skip

    ceiling = await _http_only(port, alerts)
    await _reset(port)
    print(f"ceiling   POSTs alone, no Redis:            {ceiling:8.0f} deliveries/s")
    through_apprise = await _apprise_json(port, alerts[:500])
    await _reset(port)
    print(
        f"apprise   Apprise's json:// plugin, one URL: {through_apprise:8.0f} sends/s (throttle off)"
    )
    baseline = await _baseline(url, port, alerts)
    await _reset(port)
    print(f"baseline  bare XREADGROUP → POST → XACK:    {baseline:8.0f} deliveries/s")

    burst = await _raqib(url, port, alerts, None)
    await _reset(port)
    print(
        f"burst     raqib, backlog of {MATCHES}:       {burst['per_second']:8.0f} deliveries/s"
        f"  ({burst['deliveries']} in {burst['elapsed']:.1f}s, {burst['distinct']} distinct;"
        f" ratio to baseline {burst['per_second'] / baseline:.2f})"
    )
    print(
        f"          stream → delivery with the backlog: p50 {burst['p50_ms']:.0f} ms,"
        f" p95 {burst['p95_ms']:.0f} ms (queueing, not delivery)"
    )
    paced = await _raqib(url, port, alerts, RATE)
    print(
        f"paced     raqib, {RATE:.0f} matches/s ({RATE * SUBSCRIPTIONS:.0f} deliveries/s):"
        f" p50 {paced['p50_ms']:.1f} ms, p95 {paced['p95_ms']:.1f} ms, max {paced['max_ms']:.0f} ms"
        f"  ({paced['deliveries']} delivered, {paced['distinct']} distinct)"
    )
    ok = burst["per_second"] >= 500 and paced["p95_ms"] <= 250
    print(f"targets   >= 500 deliveries/s and p95 <= 250 ms: {'met' if ok else 'NOT met'}")


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    with socket.socket() as probe:  # a free port for the receiver
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    ready = multiprocessing.Event()
    receiver = multiprocessing.Process(target=_receiver, args=(port, ready), daemon=True)
    receiver.start()
    ready.wait(10)
    time.sleep(0.3)
    server = None
    url = os.environ.get("REDIS_URL")
    try:
        if not url:
            server = EmbeddedRedis(Path(tempfile.mkdtemp(prefix="raqib-bench-")))
            server.start()
            url = server.url
        asyncio.run(_all(url, port))
    finally:
        receiver.terminate()
        receiver.join(5)
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
