"""Analysts' feedback on incidents in the real Redis: false alarms, merges, splits, corrections, undo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import redis

from alerts.audit import AuditLog
from alerts.message import Alert
from alerts.spine.keyspace import Keyspace
from crawler.detect.facts.gazetteer import Gazetteer
from crawler.incidents.feedback import FeedbackError, FeedbackStore, place_of
from crawler.incidents.store import IncidentStore
from tests.support import incident_reports as r
from tests.support.incident_reports import Dispatch
from tests.support.redis_mode import client_for

SEEN_AFTER = timedelta(minutes=5)


@pytest.fixture
def client(redis_url: str) -> Iterator[redis.Redis]:
    c = client_for(redis_url)
    yield c
    c.close()


@pytest.fixture
def store(client: redis.Redis, prefix: str) -> IncidentStore:
    return IncidentStore(client, Keyspace(prefix))


@pytest.fixture
def feedback(store: IncidentStore, prefix: str) -> FeedbackStore:
    return FeedbackStore(store, AuditLog(store.client, Keyspace(prefix)))


def record(store: IncidentStore, dispatch: Dispatch) -> Alert | None:
    return store.record(dispatch.article(), r.detect(dispatch), dispatch.published + SEEN_AFTER)


def stream(store: IncidentStore) -> list[Alert]:
    return [Alert.from_fields(f) for _, f in store.client.xrange(store.keys.matches)]  # type: ignore[union-attr]


def test_not_an_incident_sends_nothing_more_leaves_the_list_and_can_be_undone(
    store: IncidentStore, feedback: FeedbackStore
) -> None:
    first = record(store, r.WIRE)
    assert first is not None
    given = feedback.give("not-incident", first.incident_id, by="amal", comment="a drill")
    assert [i.id for i in store.recent()] == []
    assert [i.id for i in store.recent(dismissed=True)] == [first.incident_id]

    # A later report of it joins it (detection goes on) but nothing is sent.
    assert record(store, r.OWN_STORY) is None
    incident = store.get(first.incident_id)
    assert incident is not None and len(incident.stories) == 2
    assert [a.incident_id for a in stream(store)] == [first.incident_id]

    feedback.undo(given.id, by="amal")
    assert [i.id for i in store.recent()] == [first.incident_id]
    update = record(store, r.HIGHER_TOLL)
    assert update is not None and update.kind == "update"
    with pytest.raises(FeedbackError, match="undone already"):
        feedback.undo(given.id, by="amal")
    listed = feedback.list(first.incident_id)
    assert [(f.kind, f.by, f.comment, bool(f.undone)) for f in listed] == [
        ("not-incident", "amal", "a drill", True)
    ]
    actions = [(e.by, e.action, e.target) for e in feedback.audit.entries()]
    assert actions == [
        ("amal", "feedback.undo", first.incident_id),
        ("amal", "feedback.not-incident", first.incident_id),
    ]


def test_merge_rethreads_into_one_and_later_reports_of_either_go_there(
    store: IncidentStore, feedback: FeedbackStore
) -> None:
    traghen = record(store, r.WIRE)
    sabha = record(store, r.SABHA_SAME_DAY)
    assert traghen is not None and sabha is not None
    assert traghen.incident_id != sabha.incident_id

    given = feedback.give("merge", sabha.incident_id, by="omar", into=traghen.incident_id)
    merged = stream(store)[-1]
    assert (merged.incident_id, merged.revision, merged.kind) == (traghen.incident_id, 2, "update")
    assert merged.update_reasons == ["merge"] and merged.merged_from == [sabha.incident_id]
    assert merged.why[0].startswith("merged by omar")
    assert {s.url for s in merged.sources} == {r.WIRE.url, r.SABHA_SAME_DAY.url}
    assert [i.id for i in store.recent()] == [traghen.incident_id]
    with pytest.raises(FeedbackError, match="merged into"):
        feedback.give("not-isis", sabha.incident_id, by="omar")

    feedback.undo(given.id, by="omar")
    assert {i.id for i in store.recent()} == {traghen.incident_id, sabha.incident_id}
    back = store.get(traghen.incident_id)
    assert back is not None and back.urls == {r.WIRE.url} and back.revision == 3


def test_split_makes_a_report_its_own_incident_and_undo_puts_it_back(
    store: IncidentStore, feedback: FeedbackStore
) -> None:
    first = record(store, r.WIRE)
    assert first is not None and record(store, r.OWN_STORY) is not None
    given = feedback.give("split", first.incident_id, by="huda", url=r.OWN_STORY.url)
    new_id = given.value["new"]
    alone = store.get(new_id)
    rest = store.get(first.incident_id)
    assert alone is not None and rest is not None
    assert alone.urls == {r.OWN_STORY.url} and rest.urls == {r.WIRE.url}
    told = stream(store)[-1]
    assert (told.incident_id, told.revision, told.kind, told.url) == (
        new_id, 1, "new", r.OWN_STORY.url,
    )  # fmt: skip
    assert told.why[0] == f"split by huda from incident {first.incident_id}"

    feedback.undo(given.id, by="huda")
    again = store.get(first.incident_id)
    assert again is not None and again.urls == {r.WIRE.url, r.OWN_STORY.url}
    assert new_id not in {i.id for i in store.recent()}


def test_place_and_toll_corrections_lie_over_the_reports_and_undo(
    store: IncidentStore, feedback: FeedbackStore
) -> None:
    first = record(store, r.WIRE)
    assert first is not None
    gazetteer = Gazetteer.load(None)
    with pytest.raises(FeedbackError, match="no place"):
        place_of("Atlantis", gazetteer)
    feedback.give("place", first.incident_id, by="sara", place=place_of("Sabha", gazetteer))
    toll = feedback.give("toll", first.incident_id, by="sara", killed=4, injured=None)
    incident = store.get(first.incident_id)
    assert incident is not None and incident.place is not None
    assert incident.place.en == "Sabha" and (incident.killed, incident.injured) == (4, None)
    feedback.undo(toll.id, by="sara")
    incident = store.get(first.incident_id)
    assert incident is not None and (incident.killed, incident.injured) == (3, 2)
    assert incident.place is not None and incident.place.en == "Sabha"

    # Undoing an earlier correction leaves a later one of another field alone.
    second = record(store, r.SABHA_SAME_DAY)
    assert second is not None
    place = feedback.give(
        "place", second.incident_id, by="sara", place=place_of("Murzuq", gazetteer)
    )
    feedback.give("toll", second.incident_id, by="sara", killed=3)
    feedback.undo(place.id, by="sara")
    incident = store.get(second.incident_id)
    assert incident is not None and incident.place is not None and incident.killed == 3
    assert incident.place.en != "Murzuq"


def test_feedback_on_no_incident_is_refused(feedback: FeedbackStore) -> None:
    with pytest.raises(FeedbackError, match="no incident 'nope'"):
        feedback.give("not-isis", "nope", by="amal")
    with pytest.raises(ValueError, match="--by"):
        feedback.give("not-isis", "nope", by="  \u202e ")


def test_a_strangers_controls_and_direction_overrides_never_reach_the_record(
    store: IncidentStore, feedback: FeedbackStore
) -> None:
    first = record(store, r.WIRE)
    assert first is not None
    given = feedback.give(
        "not-isis",
        first.incident_id,
        by="am\u202eal\x1b[31m",
        comment="tribal\u2066 feud\r\nBcc: x",
    )
    assert (given.by, given.comment) == ("amal", "tribal feud Bcc: x")
    (entry,) = feedback.audit.entries()
    assert entry.by == "amal" and entry.detail["comment"] == "tribal feud Bcc: x"


def test_an_incident_s_feedback_is_read_from_its_index_and_old_feedback_is_indexed(
    store: IncidentStore, feedback: FeedbackStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An incident page reads its own feedback, not the whole log; feedback kept before the
    indexes existed is indexed at the first read; the oldest leave the index with the log."""
    traghen = record(store, r.WIRE)
    sabha = record(store, r.SABHA_SAME_DAY)
    assert traghen is not None and sabha is not None
    toll = feedback.give("toll", traghen.incident_id, by="amal", killed=3)
    merge = feedback.give("merge", sabha.incident_id, by="omar", into=traghen.incident_id)
    assert [f.id for f in feedback.list(traghen.incident_id)] == [merge.id, toll.id]
    assert [f.id for f in feedback.list(sabha.incident_id)] == [merge.id]
    assert [f.id for f in feedback.list()] == [merge.id, toll.id]

    # Feedback from before the indexes: none of them, no flag; the first read indexes all.
    client = store.client
    for incident_id in (traghen.incident_id, sabha.incident_id):
        client.delete(store.keys.feedback_of(incident_id))
    client.delete(store.keys.feedback_indexed)
    assert [f.id for f in feedback.list(sabha.incident_id)] == [merge.id]
    assert client.exists(store.keys.feedback_indexed)

    # The log's bound: the oldest piece leaves the log and its incident's index.
    monkeypatch.setattr("crawler.incidents.feedback.MAX_FEEDBACK", 2)
    undo = feedback.undo(toll.id, by="amal")  # rewrites toll's entry; the log holds two ids
    assert undo.id == toll.id
    later = feedback.give("not-isis", traghen.incident_id, by="amal")
    ids = [f.id for f in feedback.list(traghen.incident_id)]
    assert ids[0] == later.id and toll.id not in ids and len(ids) <= 2
    assert client.hget(store.keys.feedback, toll.id) is None
