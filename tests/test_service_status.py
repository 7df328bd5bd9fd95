"""The /healthz checks on a real Redis: what waits, how old, how many dead, and the thresholds."""

from __future__ import annotations

import time

import redis

from alerts.queues import read_alert_queues
from alerts.router import GROUP
from alerts.spine.connections import RedisHandle
from alerts.spine.keyspace import Keyspace
from crawler.app.status import ServiceStatus
from tests.support.delivery import build_settings, make_alert, publish


def test_queues_count_what_waits_and_how_old_it_is(
    redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    keys = Keyspace(prefix)
    empty = read_alert_queues(redis_client, keys)
    assert (empty.pending, empty.dead_letters, empty.oldest_seconds) == (0, 0, 0.0)
    publish(redis_client, prefix, make_alert("q-1"), make_alert("q-2", which=1))
    time.sleep(0.05)
    # No router yet: both wait to be routed.
    waiting = read_alert_queues(redis_client, keys)
    assert waiting.routing == 2 and waiting.oldest_seconds >= 0.05
    # A router read one and did not finish it: one pending, one new; the oldest is still the first.
    redis_client.xgroup_create(keys.matches, GROUP, id="0")
    redis_client.xreadgroup(GROUP, "r1", {keys.matches: ">"}, count=1)
    read = read_alert_queues(redis_client, keys)
    assert read.routing == 2 and read.oldest_seconds >= waiting.oldest_seconds
    redis_client.xadd(keys.jobs, {"job": "{}"})
    redis_client.zadd(keys.scheduled, {"held-job": time.time() + 600})
    redis_client.xadd(keys.dead, {"entry": "1-0", "reason": "gone", "at": "0"})
    counted = read_alert_queues(redis_client, keys)
    assert (counted.jobs, counted.held, counted.dead_letters, counted.recent_dead_letters) == (
        1,
        1,
        1,
        1,
    )
    assert counted.pending == 3


def test_healthz_thresholds_on_waiting_alerts_and_dead_letters(
    redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    keys = Keyspace(prefix)
    settings = build_settings(
        redis_url, prefix, health={"max_alert_age_seconds": 0.5, "max_dead_letters": 2}
    )
    # The alert loops are not running here (no worker): that check fails; the others are judged.
    status = ServiceStatus(settings, RedisHandle(redis_url, keys), ["alerts"])
    try:
        # Held deliveries (quiet hours, back-off) are on purpose: they never make it unhealthy.
        redis_client.zadd(keys.scheduled, {"held-job": time.time() + 3600})
        _, body = status.health()
        assert body["failing"] == ["alert_loops"], body
        assert body["checks"]["alerts_pending"]["held"] == 1
        # An alert nobody routes for longer than the threshold: stuck.
        publish(redis_client, prefix, make_alert("stuck"))
        time.sleep(0.6)
        healthy, body = status.health()
        assert not healthy and body["failing"] == ["alert_loops", "alerts_pending"], body
        assert body["checks"]["alerts_pending"]["oldest_seconds"] >= 0.5
        # Dead letters: reported; unhealthy from max_dead_letters within the window.
        redis_client.delete(keys.matches)
        redis_client.xadd(keys.dead, {"entry": "1-0", "reason": "gone", "at": "0"})
        _, body = status.health()
        assert body["failing"] == ["alert_loops"] and body["checks"]["dead_letters"]["recent"] == 1
        redis_client.xadd(keys.dead, {"entry": "2-0", "reason": "gone", "at": "0"})
        _, body = status.health()
        assert body["failing"] == ["alert_loops", "dead_letters"], body
    finally:
        status.close()
