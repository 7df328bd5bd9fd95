"""Silences hold deliveries (never detection) and release them when they end or are expired."""

from __future__ import annotations

import time

import pytest
import redis

from alerts.audit import AuditLog
from alerts.message import PlaceRef
from alerts.pending import waiting_deliveries
from alerts.silences import SilenceStore
from alerts.spine.keyspace import Keyspace
from tests.support.delivery import build_settings, drain, make_alert, publish
from tests.support.servers import Mailbox

SUBSCRIBED = [{"name": "desk", "email": ["desk@example.org"]}]


def _store(client: redis.Redis, prefix: str) -> SilenceStore:
    return SilenceStore(client, Keyspace(prefix), AuditLog(client, Keyspace(prefix)))


def test_a_region_silence_holds_a_new_incident_there_and_releases_it_when_expired(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(redis_url, prefix, mailbox.port, subscriptions=SUBSCRIBED)
    silences = _store(redis_client, prefix)
    silence = silences.add({"region": "Fezzan"}, 3600, "army exercise near Sabha", by="amal")

    publish(redis_client, prefix, make_alert("qatrun-1", which=0))  # فزان: held
    publish(redis_client, prefix, make_alert("sirte-1", which=1))  # طرابلس: sent
    drain(settings)
    (sent,) = mailbox.wait_for(1, timeout=10)
    assert sent["X-Raqib-Incident"] == "sirte-1 r1"
    (waiting,) = waiting_deliveries(redis_client, Keyspace(prefix))
    assert (waiting.state, waiting.incident) == ("held", "qatrun-1 r1")
    assert waiting.reason == f"silence {silence.id}: army exercise near Sabha"
    assert waiting.next_at == pytest.approx(silence.ends_at)

    expired, released = silences.expire(silence.id, by="omar")
    assert released == 1 and expired.expired_by == "omar"
    drain(settings)
    messages = mailbox.wait_for(2, timeout=10)
    assert [m["X-Raqib-Incident"] for m in messages] == ["sirte-1 r1", "qatrun-1 r1"]
    assert waiting_deliveries(redis_client, Keyspace(prefix)) == []
    audit = [(e.by, e.action, e.target) for e in silences.audit.entries()]
    assert audit == [("omar", "silence.expire", silence.id), ("amal", "silence.add", silence.id)]


def test_a_silence_that_runs_out_lets_its_deliveries_go(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(redis_url, prefix, mailbox.port, subscriptions=SUBSCRIBED)
    silences = _store(redis_client, prefix)
    silence = silences.add({"incident": "derna-4"}, 60, "checking with the desk", by="amal")
    publish(redis_client, prefix, make_alert("derna-4", which=2))
    drain(settings)
    assert mailbox.messages == []
    drain(settings, now=silence.ends_at + 1)  # later: the silence has ended
    (message,) = mailbox.wait_for(1, timeout=10)
    assert message["X-Raqib-Incident"] == "derna-4 r1"
    assert silences.list()[0].summary(now=silence.ends_at + 1)["state"] == "expired"


@pytest.mark.parametrize(
    ("matchers", "held"),
    [
        ({"place": "القطرون"}, True),
        ({"place": "Qatrun"}, True),
        ({"district": "مرزق"}, True),
        ({"type": "attack"}, True),
        ({"type": "bombing"}, False),
        ({"watchlist": "isis-libya"}, True),
        ({"region": "فزان", "type": "bombing"}, False),  # every matcher must hold
        ({"incident": "other"}, False),
    ],
)
def test_matchers(
    matchers: dict[str, str], held: bool, redis_client: redis.Redis, prefix: str
) -> None:
    place = PlaceRef(name="القطرون", region="فزان", district="مرزق", name_en="Qatrun")
    alert = make_alert("qatrun-9", places=[place], watchlist="isis-libya")
    silence = _store(redis_client, prefix).add(matchers, 60, "why", by="amal")
    assert silence.matches(alert) is held and silence.active(time.time())


def test_a_silence_needs_a_matcher_a_comment_and_an_author(
    redis_client: redis.Redis, prefix: str
) -> None:
    silences = _store(redis_client, prefix)
    with pytest.raises(ValueError, match="at least one matcher"):
        silences.add({}, 60, "why", by="amal")
    with pytest.raises(ValueError, match="no matcher colour"):
        silences.add({"colour": "red"}, 60, "why", by="amal")
    with pytest.raises(ValueError, match="comment"):
        silences.add({"region": "فزان"}, 60, " ", by="amal")
    with pytest.raises(ValueError, match="--by"):
        silences.add({"region": "فزان"}, 60, "why", by="")
    assert silences.list() == []
