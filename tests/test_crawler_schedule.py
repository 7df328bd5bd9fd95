"""The schedule's bookkeeping on a real Redis: late, coalesced, skipped and missed runs, rests, leases, silence."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis
from apscheduler.events import (
    EVENT_JOB_MAX_INSTANCES,
    EVENT_JOB_MISSED,
    EVENT_JOB_SUBMITTED,
    JobExecutionEvent,
    JobSubmissionEvent,
)

from alerts.spine.connections import RedisHandle
from alerts.spine.keyspace import Keyspace
from config.loader import load_settings
from crawler.fetch.context import CrawlContext
from crawler.fetch.scheduler import SourceScheduler
from tests.conftest import raqib
from tests.test_crawler_faults import health


@pytest.fixture
def schedule(make_config: Any, redis_url: str, prefix: str) -> Iterator[SourceScheduler]:
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"late_after_seconds": 30, "silent_after_hours": 1},
        sources=[{"name": "wasat", "url": "http://127.0.0.1:9/feed.xml", "interval": 60}],
    )
    settings = load_settings(config, environ={})
    context = CrawlContext.build(settings, RedisHandle(redis_url, Keyspace(prefix)))
    yield SourceScheduler(context, settings.sources)
    context.client.close()


def test_late_coalesced_skipped_and_missed_runs_are_counted(
    schedule: SourceScheduler, redis_client: redis.Redis, prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    now = datetime.now(UTC)
    job = "source:wasat"
    schedule._submitted(JobSubmissionEvent(EVENT_JOB_SUBMITTED, job, "default", [now]))
    assert health(redis_client, prefix, "wasat").late_runs == 0  # on time
    with caplog.at_level(logging.WARNING):
        late = [now - timedelta(seconds=45)]
        schedule._submitted(JobSubmissionEvent(EVENT_JOB_SUBMITTED, job, "default", late))
        coalesced = [now - timedelta(seconds=5), now]
        schedule._submitted(JobSubmissionEvent(EVENT_JOB_SUBMITTED, job, "default", coalesced))
        schedule._skipped(JobSubmissionEvent(EVENT_JOB_MAX_INSTANCES, job, "default", [now]))
        schedule._missed(JobExecutionEvent(EVENT_JOB_MISSED, job, "default", now))
        schedule._submitted(JobSubmissionEvent(EVENT_JOB_SUBMITTED, "silence", "default", late))
    state = health(redis_client, prefix, "wasat")
    assert (state.late_runs, state.skipped_runs) == (2, 2)
    assert "2 runs coalesced into one" in caplog.text and "45s late" in caplog.text
    assert "still going" in caplog.text and "missed" in caplog.text


def test_a_resting_or_leased_source_is_not_fetched(
    schedule: SourceScheduler, redis_client: redis.Redis, prefix: str
) -> None:
    feeds = schedule.context.feeds
    feeds.update("wasat", backoff_until=time.time() + 600)
    asyncio.run(schedule.run_source("wasat"))
    assert health(redis_client, prefix, "wasat").rested_runs == 1

    feeds.update("wasat", backoff_until=0)
    assert feeds.acquire_lease("wasat", "another-crawler", 60)
    asyncio.run(schedule.run_source("wasat"))
    state = health(redis_client, prefix, "wasat")
    assert (state.leased_elsewhere, state.fetches) == (1, 0)


def test_silence_is_reported_once(
    schedule: SourceScheduler, redis_client: redis.Redis, prefix: str,
    caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    feeds = schedule.context.feeds
    feeds.record_success("wasat", "http://127.0.0.1:9/feed.xml", 200, 3)
    feeds.update("wasat", last_new_item=time.time() - 2 * 3600)
    with caplog.at_level(logging.INFO):
        asyncio.run(schedule.report_silence())
        asyncio.run(schedule.report_silence())
        assert caplog.text.count("source wasat is silent") == 1
        feeds.update("wasat", last_new_item=time.time())
        asyncio.run(schedule.report_silence())
    assert "source wasat speaks again" in caplog.text


def test_feeds_command_json_and_check(
    schedule: SourceScheduler, make_config: Any, redis_url: str, prefix: str
) -> None:
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"silent_after_hours": 1},
        sources=[{"name": "wasat", "url": "http://127.0.0.1:9/feed.xml", "interval": 60}],
    )
    feeds = schedule.context.feeds
    feeds.record_success("wasat", "http://127.0.0.1:9/feed.xml", 200, 3)
    assert raqib("--config", str(config), "feeds", "--check").returncode == 0
    feeds.update("wasat", last_new_item=time.time() - 2 * 3600, first_fetch=time.time() - 9000)
    feeds.update("gone", name="gone", fetches=1)
    run = raqib("--config", str(config), "feeds", "--json", "--check")
    assert run.returncode == 1 and "needs attention: wasat" in run.stderr
    records = {r["name"]: r for r in map(json.loads, run.stdout.splitlines())}
    assert records["wasat"]["silent"] and records["wasat"]["items_seen"] == 3
    assert not records["gone"]["configured"]
    table = raqib("--config", str(config), "feeds")
    assert "SILENT > 1h" in table.stdout and "not configured" in table.stdout
