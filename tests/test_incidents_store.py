"""The incident store on a real Redis: alerts on the stream, history, indexes, concurrent crawlers, crashes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
import redis

from alerts.message import Alert
from alerts.spine.keyspace import Keyspace
from crawler.incidents.book import IncidentBook
from crawler.incidents.report import report_of
from crawler.incidents.store import IncidentStore
from tests.support import incident_reports as r
from tests.support.incident_reports import Dispatch
from tests.support.redis_mode import client_for

SEEN_AFTER = timedelta(minutes=5)  # the crawler reads each report a few minutes after it is out


def _client(redis_url: str) -> redis.Redis:
    return client_for(redis_url)


@pytest.fixture
def store(redis_url: str, prefix: str) -> Iterator[IncidentStore]:
    client = _client(redis_url)
    yield IncidentStore(client, Keyspace(prefix))
    client.close()


def record(store: IncidentStore, dispatch: Dispatch) -> Alert | None:
    return store.record(dispatch.article(), r.detect(dispatch), dispatch.published + SEEN_AFTER)


def stream(store: IncidentStore) -> list[Alert]:
    entries = store.client.xrange(store.keys.matches)
    return [Alert.from_fields(fields) for _, fields in entries]  # type: ignore[union-attr]


def test_five_outlets_publish_one_new_alert_then_updates_only_where_something_changed(
    store: IncidentStore,
) -> None:
    returned = [record(store, d) for d in r.FIVE_OUTLETS]
    published = stream(store)
    assert [a for a in returned if a is not None] == published
    expected = [e for e in r.FIVE_OUTLETS_EXPECTED if e[0] != "duplicate"]
    assert [(a.kind, tuple(a.update_reasons), a.revision) for a in published] == expected
    assert len({a.incident_id for a in published}) == 1
    last = published[-1]
    assert (last.killed, last.injured) == (5, 4)
    assert (
        published[2].why[0]
        == f"what changed: new source: {r.HIGHER_TOLL.outlet}; killed 3 → 5, injured 2 → 4"
    )
    assert [s.outlet for s in last.sources] == [
        r.WIRE.outlet,
        r.OWN_STORY.outlet,
        r.HIGHER_TOLL.outlet,
        r.CLAIM.outlet,
    ]
    incident = store.get(last.incident_id)
    assert incident is not None and incident.revision == 4 and incident.claimed
    history = store.history(last.incident_id)
    assert [e["kind"] for e in history] == [e[0] for e in r.FIVE_OUTLETS_EXPECTED]
    assert history[1]["copy_of"] == r.WIRE.url
    ((_, published),) = store.client.xrevrange(store.keys.matches, count=1)
    assert Alert.from_fields(published) == last, "the last alert on the stream is the incident's"
    assert not store.client.hlen(store.keys.incident_outbox), "published alerts leave the outbox"


def test_the_same_article_again_publishes_nothing(store: IncidentStore) -> None:
    assert record(store, r.WIRE) is not None
    assert record(store, r.WIRE) is None
    assert len(stream(store)) == 1
    (incident,) = store.recent()
    assert len(store.history(incident.id)) == 1


def test_the_store_decides_as_the_offline_book_does(store: IncidentStore) -> None:
    # Every report of the corpus, in publication order, through Redis and through memory.
    corpus = sorted(
        (*r.FIVE_OUTLETS, r.STALE_TOLL, r.CORRECTION, r.WEEK_LATER, r.SABHA_SAME_DAY,
         r.QATRUN_SAME_DAY, r.ARREST_SAME_TOWN, r.VAGUE_SAME_DAY),
        key=lambda d: d.published,
    )  # fmt: skip
    book = IncidentBook()
    for dispatch in corpus:
        seen = dispatch.published + SEEN_AFTER
        offline = book.observe(dispatch.article(), r.detect(dispatch), seen)
        before = store.client.xlen(store.keys.matches)
        alert = record(store, dispatch)
        if offline.decision.kind == "duplicate":
            assert alert is None and store.client.xlen(store.keys.matches) == before
        else:
            assert alert is not None, dispatch.slug
            got = (alert.incident_id, alert.kind, tuple(alert.update_reasons), alert.revision)
            want = (offline.decision.incident_id, offline.decision.kind,
                    offline.decision.reasons, offline.incident.revision)  # fmt: skip
            assert got == want, dispatch.slug
    # Traghen (attack), Traghen a week later, Sabha, Qatrun, the arrest in Traghen.
    assert len(store.recent(50)) == len(book.incidents) == 5


def test_a_wire_story_rerun_two_months_later_is_found_by_its_text(store: IncidentStore) -> None:
    record(store, r.WIRE)
    rerun = replace(r.WIRE_COPY, published=r.WIRE_COPY.published + timedelta(days=60))
    report = report_of(rerun.article(), r.detect(rerun), rerun.published)
    # Outside every time window: only the MinHash band index can bring the first story back.
    assert [i.id for i in store.candidates(report)] == [stream(store)[0].incident_id]
    assert record(store, rerun) is None
    # the rerun is no day of the event: a report a week after the event still finds it
    held = stream(store)[0].incident_id
    far = report_of(r.WEEK_LATER.article(), r.detect(r.WEEK_LATER), r.WEEK_LATER.published)
    assert [i.id for i in store.candidates(far)] == [held]
    assert (
        store.candidates(far)[0].last_day
        == report_of(r.WIRE.article(), r.detect(r.WIRE), r.WIRE.published).day
    )


def test_concurrent_crawlers_open_one_incident_for_one_event(redis_url: str, prefix: str) -> None:
    reports = (r.WIRE, r.OWN_STORY, r.HIGHER_TOLL, r.VAGUE_SAME_DAY)
    detections = [r.detect(d) for d in reports]
    barrier = threading.Barrier(len(reports))
    alerts: list[Alert | None] = [None] * len(reports)
    errors: list[BaseException] = []

    def crawl(index: int) -> None:
        client = _client(redis_url)  # each crawler process has its own connection
        try:
            store = IncidentStore(client, Keyspace(prefix))
            barrier.wait()
            dispatch = reports[index]
            alerts[index] = store.record(dispatch.article(), detections[index], dispatch.published)
        except BaseException as exc:
            errors.append(exc)
        finally:
            client.close()

    threads = [threading.Thread(target=crawl, args=(i,)) for i in range(len(reports))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    published = [a for a in alerts if a is not None]
    assert [a.kind for a in published].count("new") == 1
    assert len({a.incident_id for a in published}) == 1
    assert sorted(a.revision for a in published) == list(range(1, len(published) + 1))


class _CrashBeforePublishing(IncidentStore):
    def _publish(self, alert: Alert) -> None:
        raise ConnectionError("the crawler died between commit and publish")


def test_an_alert_stranded_by_a_crash_is_published_by_the_next_crawl(
    store: IncidentStore,
) -> None:
    crashing = _CrashBeforePublishing(store.client, store.keys)
    with pytest.raises(ConnectionError):
        record(crashing, r.WIRE)
    assert stream(store) == []
    assert store.client.hlen(store.keys.incident_outbox) == 1
    # The entry is read again (it was never marked seen): the incident knows it, so no new alert…
    assert record(store, r.WIRE) is None
    # …but the next crawl's start publishes what the crash left behind.
    assert store.flush_outbox(older_than=0) == 1
    (alert,) = stream(store)
    assert (alert.kind, alert.revision, alert.url) == ("new", 1, r.WIRE.url)
    assert store.flush_outbox(older_than=0) == 0
