"""The delivery pipeline on a real Redis: once per channel, filters, shared load, take-over,
quiet hours, digests, rate limits, and a Redis restart."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import redis

from alerts.router import GROUP as ROUTER_GROUP
from alerts.sender import GROUP as SENDER_GROUP
from alerts.spine.connections import EmbeddedRedis
from alerts.spine.keyspace import Keyspace
from alerts.worker import AlertWorker
from tests.support.delivery import (
    build_settings,
    drain,
    handle_for,
    make_alert,
    publish,
    wait_until,
)
from tests.support.servers import Mailbox, Reply, WebServer


def _delivered(web: WebServer, path: str) -> list[str]:
    """`incident rN` of each alert a webhook received, in order of arrival."""
    out = []
    for hit in web.hits(path):
        for alert in hit.json()["raqib"]["alerts"]:
            out.append(f"{alert['incident_id']} r{alert['revision']}")
    return out


def test_each_revision_once_per_channel_and_filters_route(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    for name in ("all", "strong", "fezzan", "new-only", "bombings"):
        web.routes[f"/{name}"] = Reply(200)
    hook = f"json://127.0.0.1:{web.port}"
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[
            {"name": "all", "chat": [f"{hook}/all"]},
            {"name": "strong", "chat": [f"{hook}/strong"], "min_score": 0.9},
            {"name": "fezzan", "chat": [f"{hook}/fezzan"], "regions": ["Fezzan"]},
            {"name": "new-only", "chat": [f"{hook}/new-only"], "kinds": ["new"]},
            {"name": "bombings", "chat": [f"{hook}/bombings"], "incident_types": ["bombing"],
             "places": ["سرت"]},
        ],
    )  # fmt: skip
    qatrun, qatrun_r2 = make_alert("q", 1, which=0), make_alert("q", 2, which=0, score=0.95)
    sirte = make_alert("s", 1, which=1)
    # the crawler may publish the same (incident, revision) twice after a crash of its own
    publish(redis_client, prefix, qatrun, qatrun, sirte, qatrun_r2, sirte)
    drain(settings)
    drain(settings)  # a second worker run finds nothing new to send

    assert sorted(_delivered(web, "/all")) == ["q r1", "q r2", "s r1"]
    assert _delivered(web, "/strong") == ["q r2"]
    assert sorted(_delivered(web, "/fezzan")) == ["q r1", "q r2"]
    assert sorted(_delivered(web, "/new-only")) == ["q r1", "s r1"]
    assert _delivered(web, "/bombings") == ["s r1"]


def test_workers_share_the_load_and_take_over_from_a_dead_one(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    web.routes["/hook"] = Reply(200, delay=0.02)
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/hook"]}],
        alerts={"concurrency": 2, "batch": 2},
    )  # fmt: skip
    keys = Keyspace(prefix)
    handle = handle_for(settings)

    async def scenario() -> tuple[AlertWorker, AlertWorker]:
        one, two = AlertWorker(settings, handle, "one"), AlertWorker(settings, handle, "two")
        await one.ensure_groups()
        # A router that died holding a match, and a sender that died holding a job:
        orphan_match, orphan_job = make_alert("orphan-m", which=2), make_alert("orphan-j", which=3)
        publish(redis_client, prefix, orphan_match)
        redis_client.xreadgroup(ROUTER_GROUP, "crashed", {keys.matches: ">"}, count=1)
        publish(redis_client, prefix, orphan_job)
        await one.router.step()
        redis_client.xreadgroup(SENDER_GROUP, "crashed", {keys.jobs: ">"}, count=1)
        assert redis_client.xpending(keys.jobs, SENDER_GROUP)["consumers"] == [
            {"name": "crashed", "pending": 1}
        ]
        publish(redis_client, prefix, *(make_alert(f"n{i}", which=i) for i in range(30)))
        stop = asyncio.Event()
        runs = [asyncio.create_task(w.run(stop)) for w in (one, two)]
        await asyncio.to_thread(wait_until, lambda: len(web.hits("/hook")) >= 32, 30)
        await asyncio.sleep(0.3)  # room for a copy, if there were one
        stop.set()
        await asyncio.gather(*runs)
        for worker in (one, two):
            await worker.close()
        return one, two

    one, two = asyncio.run(scenario())
    delivered = _delivered(web, "/hook")
    assert len(delivered) == 32 and len(set(delivered)) == 32, "each once"
    assert {"orphan-m r1", "orphan-j r1"} <= set(delivered), "taken over from the dead worker"
    assert one.delivered > 0 and two.delivered > 0, (one.delivered, two.delivered)
    assert one.delivered + two.delivered == 32
    assert redis_client.xpending(keys.jobs, SENDER_GROUP)["pending"] == 0
    assert redis_client.xpending(keys.matches, ROUTER_GROUP)["pending"] == 0


def test_quiet_hours_hold_then_release_and_a_high_score_breaks_through(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    tripoli = ZoneInfo("Africa/Tripoli")
    night = datetime(2026, 3, 14, 23, 30, tzinfo=tripoli).timestamp()
    morning = datetime(2026, 3, 15, 7, 0, tzinfo=tripoli).timestamp()
    settings = build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{
            "name": "night-desk", "email": ["desk@example.org"],
            "quiet_hours": {"start": "22:00", "end": "07:00", "timezone": "Africa/Tripoli",
                            "breakthrough_score": 0.95},
        }],
    )  # fmt: skip
    publish(
        redis_client, prefix,
        make_alert("quiet-1", which=0, score=0.8), make_alert("urgent-1", which=1, score=0.97),
    )  # fmt: skip
    drain(settings, now=night)
    (urgent,) = mailbox.wait_for(1, timeout=5)
    assert urgent["X-Raqib-Incident"] == "urgent-1 r1", "a score above the level breaks through"
    keys = Keyspace(prefix)
    ((_, release),) = redis_client.zrange(keys.scheduled, 0, -1, withscores=True)
    assert release == morning, "held until the quiet hours end, in the subscriber's time zone"

    drain(settings, now=night + 3600)  # still night: nothing more
    assert len(mailbox.wait_for(2, timeout=0.3)) == 1
    drain(settings, now=morning + 1)
    messages = mailbox.wait_for(2, timeout=5)
    assert [m["X-Raqib-Incident"] for m in messages] == ["urgent-1 r1", "quiet-1 r1"]
    assert redis_client.zcard(keys.scheduled) == 0


def test_digest_gathers_several_incidents_into_one_message(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox, web: WebServer
) -> None:
    web.routes["/digest"] = Reply(200)
    settings = build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{"name": "weekly", "email": ["chief@example.org"],
                        "chat": [f"json://127.0.0.1:{web.port}/digest"],
                        "mode": "digest", "digest_minutes": 30}],
    )  # fmt: skip
    start = time.time()
    publish(redis_client, prefix, make_alert("d1", which=0), make_alert("d2", which=1))
    drain(settings, now=start)
    publish(redis_client, prefix, make_alert("d3", which=2), make_alert("d1", 2, which=0))
    drain(settings, now=start + 60)
    assert mailbox.wait_for(1, timeout=0.3) == [] and web.hits("/digest") == []

    drain(settings, now=start + 31 * 60)
    (message,) = mailbox.wait_for(1, timeout=5)
    assert message["Subject"] == "[رقيب] عاجل: ملخص الحوادث: ⁨3⁩ حوادث"  # one has 5 killed
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    for which in range(3):
        assert make_alert(which=which).title in text
    assert "تحديث (المراجعة ⁨2⁩)" in text, "d1 appears once, as its latest revision"
    assert message["Message-ID"].startswith("<raqib.digest.")
    (hit,) = web.hits("/digest")
    assert hit.json()["raqib"]["kind"] == "digest"
    assert sorted(a["incident_id"] for a in hit.json()["raqib"]["alerts"]) == [
        "d1",
        "d1",
        "d2",
        "d3",
    ]
    drain(settings, now=start + 62 * 60)
    assert len(mailbox.wait_for(2, timeout=0.3)) == 1, "one digest, once"


def test_rate_limit_holds_the_excess_and_sends_it_later(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    web.routes["/hook"] = Reply(200)
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [{"url": f"json://127.0.0.1:{web.port}/hook",
                                                 "rate_limit": {"count": 2, "minutes": 1}}]}],
    )  # fmt: skip
    start = time.time()
    publish(redis_client, prefix, *(make_alert(f"r{i}", which=i) for i in range(3)))
    worker = drain(settings, now=start)
    assert worker.delivered == 2 and worker.sender.held == 1
    drain(settings, now=start + 30)
    assert len(web.hits("/hook")) == 2, "still inside the minute"
    drain(settings, now=start + 61)
    assert sorted(_delivered(web, "/hook")) == ["r0 r1", "r1 r1", "r2 r1"]


def test_redis_restarts_lose_nothing(prefix: str, tmp_path: Path, web: WebServer) -> None:
    """Redis stopped and started between publishing and delivering, and again under a worker."""
    web.routes["/hook"] = Reply(200)
    server = EmbeddedRedis(tmp_path / "redis")
    server.start()
    client = redis.Redis.from_url(server.url, decode_responses=True)
    try:
        settings = build_settings(
            server.url, prefix,
            subscriptions=[{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/hook"]}],
        )  # fmt: skip
        publish(client, prefix, *(make_alert(f"before-{i}", which=i) for i in range(5)))
        server.stop()
        server.start()

        async def scenario() -> None:
            worker = AlertWorker(settings, handle_for(settings), "survivor")
            stop = asyncio.Event()
            run = asyncio.create_task(worker.run(stop))
            await asyncio.to_thread(wait_until, lambda: len(web.hits("/hook")) >= 5, 20)
            server.stop()  # under the running worker
            await asyncio.sleep(0.5)
            server.start()
            await asyncio.to_thread(
                publish, client, prefix, *(make_alert(f"after-{i}", which=i) for i in range(5))
            )
            await asyncio.to_thread(wait_until, lambda: len(web.hits("/hook")) >= 10, 30)
            await asyncio.sleep(0.3)
            stop.set()
            await run
            await worker.close()

        asyncio.run(scenario())
    finally:
        client.close()
        server.stop()
    delivered = _delivered(web, "/hook")
    assert sorted(delivered) == sorted(
        [f"before-{i} r1" for i in range(5)] + [f"after-{i} r1" for i in range(5)]
    )


def test_handled_matches_are_trimmed_but_not_what_another_group_needs(
    redis_url: str, prefix: str, redis_client: redis.Redis, web: WebServer
) -> None:
    web.routes["/hook"] = Reply(200)
    settings = build_settings(
        redis_url, prefix,
        subscriptions=[{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/hook"]}],
        alerts={"matches_retention_hours": 0.0001},  # 0.36 s
    )  # fmt: skip
    keys = Keyspace(prefix)
    ids = publish(redis_client, prefix, *(make_alert(f"t{i}", which=i) for i in range(3)))
    redis_client.xgroup_create(keys.matches, "another-team", id="0")  # reads the same stream
    drain(settings)
    assert len(web.hits("/hook")) == 3
    time.sleep(0.5)

    async def tidy() -> None:
        worker = AlertWorker(settings, handle_for(settings))
        await worker.clock.tidy()
        await worker.close()

    asyncio.run(tidy())
    assert redis_client.xlen(keys.matches) == 3, "the other group has read nothing yet"
    redis_client.xreadgroup("another-team", "reader", {keys.matches: ">"})
    redis_client.xack(keys.matches, "another-team", ids[0], ids[1])
    asyncio.run(tidy())
    assert [entry_id for entry_id, _ in redis_client.xrange(keys.matches)] == [ids[2]]
