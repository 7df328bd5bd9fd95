"""The analysts' commands end to end: `raqib feedback`, `export` through `raqib eval`, `silence`,
`subscriptions` (a CLI-made one receives the next alert by e-mail), `audit`."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis

from alerts.audit import AuditLog
from alerts.message import Alert
from alerts.pending import waiting_deliveries
from alerts.spine.keyspace import Keyspace
from alerts.subscription_store import SubscriptionStore
from alerts.worker import AlertWorker
from crawler.incidents.store import IncidentStore
from tests.conftest import raqib
from tests.support import incident_reports as r
from tests.support.delivery import build_settings, drain, handle_for, make_alert, publish
from tests.support.servers import Mailbox


@pytest.fixture
def store(redis_client: redis.Redis, prefix: str) -> IncidentStore:
    return IncidentStore(redis_client, Keyspace(prefix))


@pytest.fixture
def cli(redis_url: str, make_config: Any) -> Iterator[Any]:
    config = make_config(redis={"url": redis_url})

    def run(*args: str, code: int = 0) -> str:
        done = raqib("--config", str(config), *args, env={"RAQIB_USER": "amal"})
        assert done.returncode == code, done.stderr + done.stdout
        return done.stdout + done.stderr

    yield run


def _record(store: IncidentStore, *dispatches: r.Dispatch) -> list[Alert | None]:
    return [store.record(d.article(), r.detect(d), d.published) for d in dispatches]


def test_feedback_changes_incidents_and_its_export_passes_through_eval(
    store: IncidentStore, cli: Any, tmp_path: Path
) -> None:
    traghen, _, sabha, football = _record(
        store, r.WIRE, r.OWN_STORY, r.SABHA_SAME_DAY, r.WEEK_LATER
    )
    assert traghen and sabha and football
    out = cli("feedback", "not-incident", football.incident_id, "-m", "an army drill")
    assert "not an incident (by amal)" in out
    assert football.incident_id not in cli("incidents")
    assert football.incident_id in cli("incidents", "--all")
    shown = cli("incidents", "show", football.incident_id)
    assert "feedback:   not an incident (by amal, fb-" in shown and "sends nothing" in shown
    cli("feedback", "toll", traghen.incident_id, "--killed", "4", "--by", "omar")
    cli("feedback", "place", sabha.incident_id, "سبها", "--by", "omar")
    assert "no place 'Atlantis'" in cli("feedback", "place", sabha.incident_id, "Atlantis", code=2)
    assert "no incident 'nope'" in cli("feedback", "not-isis", "nope", code=1)

    listed = [json.loads(line) for line in cli("feedback", "list", "--json").splitlines()]
    assert [(f["kind"], f["by"]) for f in listed] == [
        ("place", "omar"), ("toll", "omar"), ("not-incident", "amal"),
    ]  # fmt: skip

    exported = tmp_path / "corrected.jsonl"
    assert "4 labelled report(s)" in cli("feedback", "export", "-o", str(exported))
    lines = {
        line["url"]: line for line in map(json.loads, exported.read_text("utf-8").splitlines())
    }
    assert lines[r.WEEK_LATER.url]["is_incident"] is False
    assert lines[r.WIRE.url]["killed"] == 4 and lines[r.OWN_STORY.url]["killed"] == 4
    assert lines[r.WIRE.url]["event_cluster"] == traghen.incident_id
    assert lines[r.SABHA_SAME_DAY.url]["text"] == r.SABHA_SAME_DAY.text

    figures = json.loads(cli("eval", str(exported), "--json"))
    # The detector still calls the drill an incident (a false positive now), and reads 3 killed
    # where the analyst wrote 4: the export measures what analysts corrected.
    assert (figures["n"], figures["tp"], figures["fp"]) == (4, 3, 1)
    assert figures["casualties"]["total"] == 3 and figures["casualties"]["right"] == 1

    audit = cli("audit").splitlines()
    assert [line.split()[3] for line in audit] == [
        "feedback.place", "feedback.toll", "feedback.not-incident",
    ]  # fmt: skip
    undo = listed[2]["id"]
    assert "undone" in cli("feedback", "undo", undo)
    assert football.incident_id in cli("incidents")


def test_a_cli_made_subscription_receives_the_next_alert_by_email_and_pauses(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox, cli: Any
) -> None:
    # No subscription in the YAML; each revision its own message (coalescing has its own tests).
    settings = build_settings(redis_url, prefix, mailbox.port, alerts={"coalesce_seconds": 0})
    cli("subscriptions", "add", "field-team", "--email", "team@example.org", "--region", "فزان")
    rows = [json.loads(line) for line in cli("subscriptions", "list", "--json").splitlines()]
    assert [(x["name"], x["origin"], x["state"], x["channels"], x["by"]) for x in rows] == [
        ("field-team", "cli", "active", ["team@example.org"], "amal")
    ]
    publish(redis_client, prefix, make_alert("qatrun-1", which=0), make_alert("sirte-1", which=1))
    drain(settings)
    (message,) = mailbox.wait_for(1, timeout=10)
    assert message["To"] == "team@example.org" and message["X-Raqib-Incident"] == "qatrun-1 r1"

    cli("subscriptions", "pause", "field-team")
    publish(redis_client, prefix, make_alert("sebha-2", which=3))
    drain(settings)
    assert len(mailbox.messages) == 1, "a paused subscription gets nothing new"
    cli("subscriptions", "resume", "field-team")
    publish(redis_client, prefix, make_alert("qatrun-1", revision=2, which=0))
    drain(settings)
    assert len(mailbox.wait_for(2, timeout=10)) == 2
    assert "knows no place 'Atlantis'" in cli(
        "subscriptions", "add", "x", "--email", "x@example.org", "--place", "Atlantis", code=2
    )
    assert "--chat:" in cli("subscriptions", "add", "x", "--chat", "nope://", code=2)
    cli("subscriptions", "add", "sabha-desk", "--email", "s@example.org", "--place", "Sabha")
    assert "places=['سبها']" in cli("subscriptions", "list")
    cli("subscriptions", "remove", "sabha-desk")
    assert "exists already" in cli(
        "subscriptions", "add", "field-team", "--email", "x@example.org", code=2
    )
    cli("subscriptions", "remove", "field-team")
    assert "no subscriptions" in cli("subscriptions", "list")
    actions = [line.split()[3] for line in cli("audit", "--action", "subscription").splitlines()]
    assert actions == [
        "subscription.remove", "subscription.remove", "subscription.add", "subscription.resume",
        "subscription.pause", "subscription.add",
    ]  # fmt: skip


def test_yaml_subscriptions_are_read_only(redis_url: str, prefix: str, make_config: Any) -> None:
    config = make_config(
        redis={"url": redis_url}, subscriptions=[{"name": "desk", "email": ["d@example.org"]}]
    )
    listed = raqib("--config", str(config), "subscriptions", "list")
    assert "desk  active  d@example.org  [everything]  YAML, read-only here" in listed.stdout
    done = raqib("--config", str(config), "subscriptions", "pause", "desk", "--by", "amal")
    assert done.returncode == 1 and "read-only here" in done.stderr


def test_silence_commands_hold_and_release(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox, cli: Any
) -> None:
    settings = build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{"name": "desk", "email": ["desk@example.org"]}],
    )  # fmt: skip
    out = cli("silence", "add", "--region", "Fezzan", "--for", "2h", "-m", "exercise")
    silence_id = out.split(":")[0]
    assert silence_id in cli("silence", "list")
    assert "a duration such as" in cli(
        "silence", "add", "--region", "x", "--for", "soon", "-m", "x", code=2
    )
    publish(redis_client, prefix, make_alert("qatrun-1", which=0))
    drain(settings)
    assert mailbox.messages == []
    pending = cli("pending")
    assert f"silence {silence_id}: exercise" in pending
    (held,) = waiting_deliveries(redis_client, Keyspace(prefix))
    assert held.state == "held"
    assert "1 held deliver" in cli("silence", "expire", silence_id)
    drain(settings)
    assert len(mailbox.wait_for(1, timeout=10)) == 1
    assert "no silences" in cli("silence", "list")
    assert "expired" in cli("silence", "list", "--all")


def test_a_running_worker_takes_up_a_new_subscription_without_a_restart(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox
) -> None:
    settings = build_settings(redis_url, prefix, mailbox.port)
    store = SubscriptionStore(
        redis_client, Keyspace(prefix), AuditLog(redis_client, Keyspace(prefix))
    )

    async def main() -> None:
        worker = AlertWorker(settings, handle_for(settings), name="running")
        stop = asyncio.Event()
        task = asyncio.create_task(worker.run(stop))
        try:
            await asyncio.sleep(0.3)  # running, with the console fallback only
            store.add(settings, {"name": "late", "email": ["late@example.org"]}, by="amal")
            for _ in range(100):  # taken up within a poll or two
                if "late" in {r.subscription.name for r in worker.router.routes}:
                    break
                await asyncio.sleep(0.05)
            publish(redis_client, prefix, make_alert("derna-1", which=2))
            await asyncio.to_thread(mailbox.wait_for, 1, 10)
        finally:
            stop.set()
            await task
            await worker.close()

    asyncio.run(main())
    (message,) = mailbox.messages
    assert message["To"] == "late@example.org"


def test_places_a_person_types_are_looked_up_in_every_watched_country(
    redis_url: str, make_config: Any
) -> None:
    from tests.conftest import ROOT

    watchlists = [
        str(ROOT / "config" / "watchlists" / "isis-libya.yaml"),
        str(ROOT / "config" / "watchlists" / "examples" / "isis-tunisia.yaml"),
    ]
    both = make_config(redis={"url": redis_url}, watchlists=watchlists)

    def cli(config: Any, *args: str) -> Any:
        return raqib("--config", str(config), *args, env={"RAQIB_USER": "amal"})

    added = cli(both, "subscriptions", "add", "sousse-desk", "--email", "s@example.org",
                "--place", "Sousse")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "places=['سوسة']" in cli(both, "subscriptions", "list").stdout
    libya_only = make_config(redis={"url": redis_url})  # the same file, Libya alone again
    refused = cli(libya_only, "subscriptions", "add", "x", "--email", "x@example.org",
                  "--place", "Sousse")  # fmt: skip
    assert refused.returncode == 2 and "knows no place 'Sousse'" in refused.stderr
