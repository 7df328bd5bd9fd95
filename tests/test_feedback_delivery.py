"""Feedback as subscribers see it, by e-mail through aiosmtpd: a false alarm goes quiet, a merge
continues both threads in one."""

from __future__ import annotations

import redis

from alerts.audit import AuditLog
from alerts.spine.keyspace import Keyspace
from crawler.incidents.feedback import FeedbackStore
from crawler.incidents.store import IncidentStore
from tests.support import incident_reports as r
from tests.support.delivery import build_settings, drain
from tests.support.servers import Mailbox

DESK = [{"name": "desk", "email": ["desk@example.org"]}]


def _stores(client: redis.Redis, prefix: str) -> tuple[IncidentStore, FeedbackStore]:
    store = IncidentStore(client, Keyspace(prefix))
    return store, FeedbackStore(store, AuditLog(client, Keyspace(prefix)))


def test_a_false_alarm_sends_nothing_more(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(redis_url, prefix, mailbox.port, subscriptions=DESK)
    store, feedback = _stores(redis_client, prefix)
    first = store.record(r.WIRE.article(), r.detect(r.WIRE), r.WIRE.published)
    assert first is not None
    drain(settings)
    assert len(mailbox.wait_for(1, timeout=10)) == 1
    feedback.give("not-incident", first.incident_id, by="amal")
    for later in (r.OWN_STORY, r.HIGHER_TOLL, r.CLAIM):  # each an update were it an incident
        store.record(later.article(), r.detect(later), later.published)
    drain(settings)
    assert len(mailbox.messages) == 1


def test_a_merge_threads_both_incidents_into_one(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(
        redis_url,
        prefix,
        mailbox.port,
        subscriptions=DESK,
        alerts={"coalesce_seconds": 0},  # the merge's update mailed at once, not folded
    )
    store, feedback = _stores(redis_client, prefix)
    traghen = store.record(r.WIRE.article(), r.detect(r.WIRE), r.WIRE.published)
    sabha = store.record(
        r.SABHA_SAME_DAY.article(), r.detect(r.SABHA_SAME_DAY), r.SABHA_SAME_DAY.published
    )
    assert traghen is not None and sabha is not None
    drain(settings)
    sent = {m["X-Raqib-Incident"]: m for m in mailbox.wait_for(2, timeout=10)}  # either order
    first, second = sent[f"{traghen.incident_id} r1"], sent[f"{sabha.incident_id} r1"]

    feedback.give("merge", sabha.incident_id, by="omar", into=traghen.incident_id)
    drain(settings)
    merged = mailbox.wait_for(3, timeout=10)[2]
    assert merged["X-Raqib-Incident"] == f"{traghen.incident_id} r2"
    assert merged["In-Reply-To"] == first["Message-ID"]
    references = str(merged["References"]).split()
    assert second["Message-ID"] in references and first["Message-ID"] in references
    body = merged.get_body(("plain",))
    assert body is not None and f"incident {sabha.incident_id}" in body.get_content()

    # A later report of what was the Sabha incident updates the merged one, in its thread.
    later = r.Dispatch(
        r.SABHA_SAME_DAY.outlet, "sabha-police-toll", "ارتفاع حصيلة هجوم داعش على مركز شرطة سبها",
        (r.SABHA_SAME_DAY.paragraphs[0].replace("2 من", "4 من"), *r.SABHA_SAME_DAY.paragraphs[1:]),
        r.SABHA_SAME_DAY.published,
    )  # fmt: skip
    update = store.record(later.article(), r.detect(later), later.published)
    assert update is not None and update.incident_id == traghen.incident_id
    assert update.revision == 3 and "casualties" in update.update_reasons
    drain(settings)
    toll = mailbox.wait_for(4, timeout=10)[3]
    assert toll["In-Reply-To"] == merged["Message-ID"]
    assert {i.id for i in store.recent()} == {traghen.incident_id}
