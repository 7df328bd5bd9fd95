"""The analyst's desk over HTTP: every change needs a login and its CSRF token, typed text is
cleaned and escaped, the audit log pages, and a reader's unsubscribe link leads into the console."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

import pytest
import redis
import requests

from alerts import unsubscribe
from alerts.audit import AuditLog
from alerts.silences import parse_duration
from alerts.spine.keyspace import Keyspace
from alerts.subscription_store import SubscriptionStore
from config.settings import Settings
from crawler.app.console.access import hash_password
from tests.support.console import console_server, record_reports
from tests.support.delivery import build_settings
from tests.support.status_server import status_server

PASSWORD = "correct horse battery"
SECRET = "unsubscribe-secret-for-desk-tests"
HOSTILE = "<script>alert(1)</script>\u202e تمرين"


@pytest.fixture(scope="module")
def users() -> dict[str, str]:
    return {"RAQIB_CONSOLE_USERS": "amal:" + hash_password(PASSWORD)}


@pytest.fixture
def desk(
    redis_client: redis.Redis, prefix: str, users: dict[str, str]
) -> Iterator[tuple[str, Keyspace]]:
    keys = Keyspace(prefix)
    record_reports(redis_client, keys, Settings())
    with console_server(Settings(), redis_client, keys, environ=users) as url:
        yield url, keys


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def _logged_in(url: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    form = session.get(f"{url}/login", timeout=10)
    done = session.post(
        f"{url}/login", data={"csrf": _csrf(form.text), "name": "amal", "password": PASSWORD},
        timeout=30,
    )  # fmt: skip
    assert done.status_code == 200
    return session, _csrf(session.get(f"{url}/silences", timeout=10).text)


def _first_incident(url: str) -> str:
    return str(requests.get(f"{url}/incidents.json", timeout=10).json()["incidents"][0]["id"])


def test_every_change_needs_a_login_and_its_csrf_token(
    desk: tuple[str, Keyspace], redis_client: redis.Redis
) -> None:
    url, keys = desk
    incident = _first_incident(url)
    changes: list[tuple[str, dict[str, Any]]] = [
        (f"/incidents/{incident}/feedback", {"kind": "not-incident"}),
        ("/feedback/undo", {"feedback": "fb-1"}),
        ("/silences", {"region": "فزان", "for": "1h", "comment": "x"}),
        ("/silences/expire", {"silence": "sil-1"}),
        ("/subscriptions", {"name": "x", "email": "x@example.org"}),
        ("/subscriptions/change", {"name": "x", "action": "pause"}),
    ]
    for path, data in changes:  # no login: the loopback console looks, but changes nothing
        assert requests.post(f"{url}{path}", data=data, timeout=10).status_code == 403, path
    session, csrf = _logged_in(url)
    for path, data in changes:  # a session, but a forged token
        refused = session.post(f"{url}{path}", data={**data, "csrf": "forged"}, timeout=10)
        assert refused.status_code == 403, path
    assert redis_client.xlen(keys.audit) == 0
    assert redis_client.hlen(keys.silences) == 0
    done = session.post(
        f"{url}/incidents/{incident}/feedback",
        data={"kind": "not-incident", "csrf": csrf}, timeout=10,
    )  # fmt: skip
    assert done.status_code == 200 and 'id="dismissed"' in done.text
    (entry,) = AuditLog(redis_client, keys).entries()
    assert (entry.by, entry.action, entry.target) == ("amal", "feedback.not-incident", incident)


def test_typed_text_is_cleaned_and_escaped(desk: tuple[str, Keyspace]) -> None:
    url, _ = desk
    session, csrf = _logged_in(url)
    incident = _first_incident(url)
    session.post(
        f"{url}/silences", data={"csrf": csrf, "incident": incident, "for": "1h", "comment": HOSTILE},
        timeout=10,
    )  # fmt: skip
    session.post(
        f"{url}/incidents/{incident}/feedback",
        data={"csrf": csrf, "kind": "toll", "killed": "3", "comment": HOSTILE}, timeout=10,
    )  # fmt: skip
    for path in ("/silences", f"/incidents/{incident}", "/audit", "/incidents"):
        html = session.get(f"{url}{path}", timeout=10).text
        assert "<script>alert" not in html, path
        assert "\u202e" not in html, path
    assert (
        "&lt;script&gt;alert(1)&lt;/script&gt;" in session.get(f"{url}/silences", timeout=10).text
    )


@pytest.mark.parametrize(
    ("form", "problem"),
    [
        ({"kind": "toll"}, "the killed, the injured or both"),
        ({"kind": "toll", "killed": "-3"}, "a whole number"),
        ({"kind": "place", "place": "Atlantis"}, "no place 'Atlantis'"),
        ({"kind": "merge", "into": "no-such-incident"}, "no incident 'no-such-incident'"),
        ({"kind": "split", "url": "https://example.org/none"}, "has no report"),
        ({"kind": "colour"}, "no feedback 'colour'"),
    ],
)
def test_feedback_that_cannot_be_applied_says_why(
    desk: tuple[str, Keyspace], form: dict[str, str], problem: str
) -> None:
    url, _ = desk
    session, csrf = _logged_in(url)
    incident = _first_incident(url)
    answer = session.post(
        f"{url}/incidents/{incident}/feedback", data={**form, "csrf": csrf}, timeout=10
    )
    assert answer.status_code == 400
    shown = re.search(r'id="problem"[^>]*>(.*?)</p>', answer.text, re.S)
    assert shown and problem in shown.group(1).replace("&#39;", "'")


def test_silence_and_subscription_forms_say_what_is_wrong(desk: tuple[str, Keyspace]) -> None:
    url, _ = desk
    session, csrf = _logged_in(url)
    cases = [
        ("/silences", {"for": "1h", "comment": "x"}, "at least one matcher"),
        ("/silences", {"region": "فزان", "for": "soon", "comment": "x"}, "a duration such as"),
        ("/silences", {"region": "فزان", "for": "1h", "comment": " "}, "needs a comment"),
        ("/subscriptions", {"name": "x"}, "needs a channel"),
        ("/subscriptions", {"name": "x", "email": "a@example.org", "places": "Atlantis"},
         "knows no place 'Atlantis'"),
        ("/subscriptions", {"name": "x", "email": "a@example.org", "chat": "nope://"}, "nope"),
    ]  # fmt: skip
    for path, data, problem in cases:
        answer = session.post(f"{url}{path}", data={**data, "csrf": csrf}, timeout=10)
        assert answer.status_code == 400, (path, data)
        assert problem in answer.text.replace("&#39;", "'"), (path, data)


def test_yaml_subscriptions_are_listed_read_only(
    redis_client: redis.Redis, prefix: str, users: dict[str, str]
) -> None:
    settings = Settings(subscriptions=[{"name": "desk", "email": ["desk@example.org"]}])
    keys = Keyspace(prefix)
    with console_server(settings, redis_client, keys, environ=users) as url:
        session, csrf = _logged_in(url)
        page = session.get(f"{url}/subscriptions", timeout=10).text
        row = re.search(r'<tr class="subscription yaml" data-name="desk">(.*?)</tr>', page, re.S)
        assert row and "desk@example.org" in row.group(1) and "<form" not in row.group(1)
        refused = session.post(
            f"{url}/subscriptions/change", data={"csrf": csrf, "name": "desk", "action": "pause"},
            timeout=10,
        )  # fmt: skip
        assert refused.status_code == 409 and "read-only here" in refused.text
        taken = session.post(
            f"{url}/subscriptions", data={"csrf": csrf, "name": "desk", "email": "a@example.org"},
            timeout=10,
        )  # fmt: skip
        assert taken.status_code == 400 and "YAML subscription already" in taken.text
        listed = session.get(f"{url}/subscriptions.json", timeout=10).json()["subscriptions"]
        assert [(s["name"], s["origin"]) for s in listed] == [("desk", "yaml")]


def test_the_audit_log_pages_newest_first(
    redis_client: redis.Redis, prefix: str, users: dict[str, str]
) -> None:
    keys = Keyspace(prefix)
    audit = AuditLog(redis_client, keys)
    for n in range(120):
        audit.record(
            "amal" if n % 2 else "omar", "silence.add", f"sil-{n:03d}", at=1_700_000_000 + n
        )
    with console_server(Settings(), redis_client, keys, environ=users) as url:
        first = requests.get(f"{url}/audit.json", timeout=10).json()
        assert [e["target"] for e in first["entries"][:2]] == ["sil-119", "sil-118"]
        assert len(first["entries"]) == 50 and first["older"]
        second = requests.get(f"{url}/audit.json", params={"before": first["older"]}, timeout=10)
        assert second.json()["entries"][0]["target"] == "sil-069"
        third = requests.get(
            f"{url}/audit.json", params={"before": second.json()["older"]}, timeout=10
        ).json()
        assert [e["target"] for e in third["entries"]][-1] == "sil-000" and third["older"] is None
        html = requests.get(f"{url}/audit", timeout=10).text
        assert html.count('class="entry"') == 50 and 'id="older"' in html
        assert (
            requests.get(f"{url}/audit", params={"action": "feedback"}, timeout=10).text.count(
                'class="entry"'
            )
            == 0
        )


def test_durations() -> None:
    assert parse_duration("90m") == 5400
    assert parse_duration("1d12h") == 129_600
    assert parse_duration("1w") == 604_800
    for bad in ("", "soon", "5", "-1h"):
        with pytest.raises(ValueError, match="a duration such as"):
            parse_duration(bad)


@contextmanager
def _status_server(settings: Settings, landing: str | None) -> Iterator[str]:
    with status_server(settings, landing=landing) as address:
        yield address


@pytest.mark.parametrize("landing", [None, "/console/subscriptions/unsubscribe"])
def test_a_stored_subscriptions_reader_can_unsubscribe(
    redis_url: str, prefix: str, redis_client: redis.Redis, monkeypatch: pytest.MonkeyPatch,
    landing: str | None,
) -> None:  # fmt: skip
    monkeypatch.setenv(unsubscribe.SECRET_ENV, SECRET)
    settings = build_settings(redis_url, prefix, http={"port": 0})
    keys = Keyspace(prefix)
    store = SubscriptionStore(redis_client, keys, AuditLog(redis_client, keys))
    store.add(settings, {"name": "field", "email": ["f@example.org"], "language": "en"}, "amal")
    with _status_server(settings, landing) as address:
        link = unsubscribe.link(address, "field", "f@example.org", SECRET.encode())
        asked = requests.get(link, timeout=10, allow_redirects=False)
        if landing is None:  # the plain page, in the subscription's language
            assert asked.status_code == 200 and "Stop" in asked.text
        else:  # into the console, the token with it (checked again there)
            assert asked.status_code == 303
            target = asked.headers["Location"]
            assert target.startswith(landing + "?t=")
            assert unsubscribe.read_token(unquote(target.partition("t=")[2]), SECRET.encode())
        other = unsubscribe.link(address, "nobody", "f@example.org", SECRET.encode())
        assert requests.get(other, timeout=10, allow_redirects=False).status_code == 400
        stopped = requests.post(link, data={"List-Unsubscribe": "One-Click"}, timeout=10)
        assert stopped.status_code == 200
    assert [u.subscription for u in unsubscribe.unsubscribed(redis_client, keys)] == ["field"]


def test_the_desk_speaks_english_by_the_switch(desk: tuple[str, Keyspace]) -> None:
    url, _ = desk
    session, _ = _logged_in(url)
    session.cookies.set("raqib_lang", "en", path="/console")
    incident = _first_incident(url)
    expected = {
        f"/incidents/{incident}": "Not an incident", "/silences": "Add a silence",
        "/subscriptions": "Add a subscription", "/audit": "Every action",
    }  # fmt: skip
    for path, words in expected.items():
        page = session.get(f"{url}{path}", timeout=10)
        assert page.status_code == 200 and 'lang="en"' in page.text and words in page.text, path
