"""The analyst's desk in a real Chromium, against the real pipeline: feedback on an incident, a
merge, a silence, a subscription made in the console and its reader's unsubscribe link; e-mail
through aiosmtpd, delivery by the real alert worker."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
import redis

from alerts import unsubscribe
from alerts.audit import AuditLog
from alerts.pending import waiting_deliveries
from alerts.spine.keyspace import Keyspace
from alerts.subscription_store import SubscriptionStore
from config.settings import Settings
from crawler.app.console.access import hash_password
from crawler.app.daemon import unsubscribe_landing
from crawler.incidents.store import IncidentStore
from tests.support import incident_reports as r
from tests.support.browser import chromium, chromium_path
from tests.support.console import console_server
from tests.support.delivery import build_settings, drain, make_alert, publish
from tests.support.servers import Mailbox
from tests.support.status_server import status_server

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium")

DESK = [{"name": "desk", "email": ["desk@example.org"]}]
PASSWORD = "كلمة سر المحللة"
SECRET = "unsubscribe-secret-for-desk-tests"


@pytest.fixture(scope="module")
def users() -> dict[str, str]:
    return {"RAQIB_CONSOLE_USERS": "amal:" + hash_password(PASSWORD)}


def _settings(
    redis_url: str, prefix: str, mailbox: Mailbox, public_url: str | None = None, **more: Any
) -> Settings:
    # Each revision its own message (coalescing has its own tests); no map tiles.
    return build_settings(
        redis_url, prefix, mailbox.port, console={"tile_url": ""},
        alerts={"coalesce_seconds": 0, "public_url": public_url}, **more,
    )  # fmt: skip


def _drain(settings: Settings) -> None:
    """One worker's drain, in a thread of its own: Playwright's sync API holds this one's loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(drain, settings).result(timeout=120)


def _watch(page: Any) -> Any:
    page.violations = []
    page.on(
        "console",
        lambda m: page.violations.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return page


def _log_in(page: Any, url: str) -> None:
    page.goto(f"{url}/login?next=/console/incidents")
    page.fill("input[name=name]", "amal")
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button")
    page.wait_for_selector("#incidents, #no-incidents")


@contextmanager
def _desk(
    settings: Settings, client: redis.Redis, prefix: str, users: dict[str, str]
) -> Iterator[tuple[str, Any]]:
    """The console on 127.0.0.1 and a logged-in page."""
    with (
        console_server(settings, client, Keyspace(prefix), environ=users) as url,
        chromium() as browser,
    ):
        page = _watch(browser.new_page())
        _log_in(page, url)
        yield url, page


def _listed(page: Any, url: str) -> list[str]:
    page.goto(f"{url}/incidents")
    return [
        str(row.get_attribute("data-id")) for row in page.locator("#incidents tr.incident").all()
    ]


def test_not_an_incident_leaves_the_list_and_a_later_report_sends_nothing(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox,
    users: dict[str, str],
) -> None:  # fmt: skip
    settings = _settings(redis_url, prefix, mailbox, subscriptions=DESK)
    store = IncidentStore(redis_client, Keyspace(prefix))
    first = store.record(r.WIRE.article(), r.detect(r.WIRE), r.WIRE.published)
    assert first is not None
    drain(settings)
    assert len(mailbox.wait_for(1, timeout=10)) == 1
    with _desk(settings, redis_client, prefix, users) as (url, page):
        assert _listed(page, url) == [first.incident_id]
        page.goto(f"{url}/incidents/{first.incident_id}")
        page.fill("#fb-dismiss input[name=comment]", "تمرين للجيش لا هجوم")
        page.click("#not-incident")
        page.wait_for_selector("#dismissed")
        assert "amal" in page.locator("#dismissed").inner_text()
        entry = page.locator("#history li.feedback")
        assert entry.count() == 1 and "تمرين للجيش" in entry.inner_text()
        assert _listed(page, url) == []

        for later in (r.OWN_STORY, r.HIGHER_TOLL, r.CLAIM):  # each an update were it an incident
            store.record(later.article(), r.detect(later), later.published)
        _drain(settings)
        assert len(mailbox.wait_for(2, timeout=1)) == 1, "a dismissed incident sends nothing"

        # Undone from its history, it is back in the list.
        page.goto(f"{url}/incidents/{first.incident_id}")
        page.click("#history li.feedback form.undo button")
        page.wait_for_selector("#done")
        assert page.locator("#dismissed").count() == 0
        assert "amal" in page.locator("#history li.feedback.undone").inner_text()
        assert _listed(page, url) == [first.incident_id]
        page.goto(f"{url}/audit")
        actions = page.locator("#audit tr.entry").evaluate_all(
            "rows => rows.map(r => r.dataset.action)"
        )
        assert actions == ["feedback.undo", "feedback.not-incident"]
        assert page.violations == []


def test_a_merge_in_the_browser_makes_one_thread(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox,
    users: dict[str, str],
) -> None:  # fmt: skip
    settings = _settings(redis_url, prefix, mailbox, subscriptions=DESK)
    store = IncidentStore(redis_client, Keyspace(prefix))
    traghen = store.record(r.WIRE.article(), r.detect(r.WIRE), r.WIRE.published)
    sabha = store.record(
        r.SABHA_SAME_DAY.article(), r.detect(r.SABHA_SAME_DAY), r.SABHA_SAME_DAY.published
    )
    assert traghen is not None and sabha is not None
    drain(settings)
    sent = {m["X-Raqib-Incident"]: m for m in mailbox.wait_for(2, timeout=10)}
    first, second = sent[f"{traghen.incident_id} r1"], sent[f"{sabha.incident_id} r1"]

    with _desk(settings, redis_client, prefix, users) as (url, page):
        assert sorted(_listed(page, url)) == sorted([traghen.incident_id, sabha.incident_id])
        page.goto(f"{url}/incidents/{sabha.incident_id}")
        page.fill("#fb-merge input[name=into]", traghen.incident_id)
        page.fill("#fb-merge input[name=comment]", "الهجومان واحد")
        page.click("#fb-merge button")
        page.wait_for_selector("#merged")
        assert (
            page.locator("#merged a")
            .get_attribute("href", timeout=5000)
            .endswith(traghen.incident_id)
        )
        assert _listed(page, url) == [traghen.incident_id]
        page.goto(f"{url}/incidents/{traghen.incident_id}")
        sources = page.locator("#sources").inner_text()
        assert r.SABHA_SAME_DAY.outlet in sources
        assert "الهجومان واحد" in page.locator("#history").inner_text()
        assert page.violations == []

    drain(settings)
    merged = mailbox.wait_for(3, timeout=10)[2]
    assert merged["X-Raqib-Incident"] == f"{traghen.incident_id} r2"
    assert merged["In-Reply-To"] == first["Message-ID"]
    references = str(merged["References"]).split()
    assert first["Message-ID"] in references and second["Message-ID"] in references
    # A later report of what was the Sabha incident goes to the merged one, in its thread.
    later = r.Dispatch(
        r.SABHA_SAME_DAY.outlet, "sabha-police-toll", "ارتفاع حصيلة هجوم داعش على مركز شرطة سبها",
        (r.SABHA_SAME_DAY.paragraphs[0].replace("2 من", "4 من"), *r.SABHA_SAME_DAY.paragraphs[1:]),
        r.SABHA_SAME_DAY.published,
    )  # fmt: skip
    update = store.record(later.article(), r.detect(later), later.published)
    assert update is not None and update.incident_id == traghen.incident_id
    drain(settings)
    assert mailbox.wait_for(4, timeout=10)[3]["In-Reply-To"] == merged["Message-ID"]
    assert [i.id for i in store.recent()] == [traghen.incident_id]


def test_a_region_silence_added_in_the_browser_holds_and_releases(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox,
    users: dict[str, str],
) -> None:  # fmt: skip
    settings = _settings(redis_url, prefix, mailbox, subscriptions=DESK)
    keys = Keyspace(prefix)
    store = IncidentStore(redis_client, keys)
    with _desk(settings, redis_client, prefix, users) as (url, page):
        page.goto(f"{url}/silences")
        assert page.locator("#no-silences").count() == 1
        page.select_option("#add-silence select[name=region]", "فزان")
        page.fill("#add-silence input[name=for]", "6h")
        page.fill("#add-silence input[name=comment]", "تمرين عسكري قرب سبها")
        page.click("#add-silence button")
        page.wait_for_selector("#done")
        row = page.locator("#silences tr.silence.active")
        assert row.count() == 1
        assert "amal" in row.inner_text() and "تمرين عسكري" in row.inner_text()

        sabha = store.record(
            r.SABHA_SAME_DAY.article(), r.detect(r.SABHA_SAME_DAY), r.SABHA_SAME_DAY.published
        )
        assert sabha is not None
        _drain(settings)
        assert mailbox.wait_for(1, timeout=1) == [], "held by the silence"
        (held,) = waiting_deliveries(redis_client, keys)
        assert held.state == "held" and "تمرين عسكري" in held.reason
        page.goto(f"{url}/incidents")
        assert (
            page.locator(f'tr.incident[data-id="{sabha.incident_id}"] .badge.silenced').count() == 1
        )
        page.goto(f"{url}/incidents/{sabha.incident_id}")
        assert page.locator("#silenced-badge").count() == 1

        page.goto(f"{url}/silences")
        page.click("#silences form.expire button")
        page.wait_for_selector("#done")
        assert page.locator("#silences tr.silence.expired").count() == 1
        assert "amal" in page.locator("#silences tr.silence.expired").inner_text()
        page.goto(f"{url}/incidents")
        assert page.locator(".badge.silenced").count() == 0
        assert page.violations == []
    drain(settings)
    (message,) = mailbox.wait_for(1, timeout=10)
    assert message["X-Raqib-Incident"] == f"{sabha.incident_id} r1"
    assert waiting_deliveries(redis_client, keys) == []


@contextmanager
def _daemon_pages(settings: Settings, users: dict[str, str]) -> Iterator[str]:
    """The daemon's status server as `raqib run` makes it: the console under /console and the
    readers' unsubscribe pages leading into it, on a loop of its own."""
    landing = unsubscribe_landing(settings, True)
    with status_server(settings, landing=landing, console_users=users) as address:
        yield address


def _link(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"])
    assert header.startswith("<http://127.0.0.1:") and header.endswith(">")
    return header[1:-1]


def test_a_subscription_made_in_the_browser_gets_mail_and_its_link_stops_it(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox,
    users: dict[str, str], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv(unsubscribe.SECRET_ENV, SECRET)
    served = _settings(redis_url, prefix, mailbox, http={"port": 0})
    with _daemon_pages(served, users) as address, chromium() as browser:
        settings = _settings(redis_url, prefix, mailbox, public_url=address)
        url = f"{address}/console"
        page = _watch(browser.new_page())
        _log_in(page, url)
        page.goto(f"{url}/subscriptions")
        form = page.locator("#add-subscription")
        form.locator("input[name=name]").fill("field-team")
        form.locator("input[name=email]").fill("team@example.org")
        form.locator("select[name=regions]").select_option("فزان")
        form.locator("button").click()
        page.wait_for_selector("#done")
        row = page.locator('#subscriptions tr[data-name="field-team"]')
        assert (
            "team@example.org" in row.inner_text() and row.locator(".origin-console").count() == 1
        )
        record = SubscriptionStore(
            redis_client, Keyspace(prefix), AuditLog(redis_client, Keyspace(prefix))
        ).get("field-team")
        assert record is not None and record.origin == "console" and record.by == "amal"

        publish(
            redis_client, prefix, make_alert("qatrun-1", which=0), make_alert("sirte-1", which=1)
        )
        _drain(settings)
        (message,) = mailbox.wait_for(1, timeout=10)
        assert message["To"] == "team@example.org" and message["X-Raqib-Incident"] == "qatrun-1 r1"

        # The reader (not logged in) opens the link: it lands on the console's subscriptions page.
        page.click("header form.inline button")  # log out
        page.wait_for_selector("header a[href*='/login']")
        page.goto(_link(message))
        page.wait_for_selector("#unsubscribe-form")
        assert "/console/subscriptions/unsubscribe?t=" in page.url
        assert "team@example.org" in page.locator("#unsubscribe").inner_text()
        page.click("#unsubscribe-form button")
        page.wait_for_selector("#unsubscribed-done")
        # A forged token is refused there too.
        page.goto(
            f"{url}/subscriptions/unsubscribe?t="
            + unsubscribe.make_token("field-team", "team@example.org", b"another-key-of-16-bytes")
        )
        assert page.locator("#unsubscribe-bad").count() == 1
        assert page.violations == []

    found = unsubscribe.unsubscribed(redis_client, Keyspace(prefix))
    assert [(u.subscription, u.address, u.via) for u in found] == [
        ("field-team", "team@example.org", "console")
    ]
    publish(redis_client, prefix, make_alert("sebha-2", which=3))
    drain(settings)
    assert mailbox.wait_for(2, timeout=1) == [message], "no more mail after unsubscribing"
