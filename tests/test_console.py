"""The console over HTTP: access (login, sessions, CSRF, limits, CSP), escaping, the query, exports, the CLI."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import redis
import requests

from alerts.sample import sample_alert
from alerts.spine.keyspace import Keyspace
from config.settings import Settings
from crawler.app.console.access import (
    AccessError,
    hash_password,
    is_loopback,
    users_from_environment,
    verify_password,
)
from crawler.app.console.index import VERSION, IncidentIndex
from crawler.app.console.keys import ConsoleKeys
from crawler.app.console.queries import Filters, map_data, timeline
from crawler.incidents.store import IncidentStore
from tests.conftest import raqib
from tests.support import incident_reports as reports
from tests.support import redis_mode
from tests.support.console import console_server, dead_letter, generated, record_reports

PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def analyst_hash() -> str:
    return hash_password(PASSWORD)


# -- access ---------------------------------------------------------------------------------------


def test_passwords_are_scrypt_hashes_that_verify(analyst_hash: str) -> None:
    assert analyst_hash.startswith("scrypt$32768$8$1$")
    assert verify_password(PASSWORD, analyst_hash)
    assert not verify_password(PASSWORD + "!", analyst_hash)
    assert not verify_password(PASSWORD, "scrypt$garbage")
    assert hash_password(PASSWORD) != analyst_hash  # salted


def test_users_come_from_the_environment(analyst_hash: str) -> None:
    users = users_from_environment({"RAQIB_CONSOLE_USERS": f"a:{analyst_hash},\n b:{analyst_hash}"})
    assert set(users) == {"a", "b"}
    with pytest.raises(AccessError, match="entry 1") as caught:
        users_from_environment({"RAQIB_CONSOLE_USERS": "a:plaintext"})
    assert "plaintext" not in str(caught.value)  # a secret is never repeated back


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("::1", True), ("localhost", True), ("0.0.0.0", False),
     ("10.0.0.5", False), ("console.example", False)],
)  # fmt: skip
def test_what_counts_as_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_off_loopback_without_users_is_refused(redis_client: redis.Redis, prefix: str) -> None:
    from crawler.app.console.web import Console

    with pytest.raises(AccessError, match="RAQIB_CONSOLE_USERS"):
        Console(Settings(), redis_client, Keyspace(prefix), host="0.0.0.0", environ={})


@pytest.fixture
def served(redis_client: redis.Redis, prefix: str) -> Iterator[tuple[str, Keyspace]]:
    keys = Keyspace(prefix)
    record_reports(redis_client, keys, Settings())
    with console_server(Settings(), redis_client, keys) as url:
        yield url, keys


def test_loopback_looks_without_login_but_changes_nothing(
    served: tuple[str, Keyspace], redis_client: redis.Redis
) -> None:
    url, keys = served
    page = requests.get(f"{url}/incidents", timeout=10)
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert page.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in page.text and " on" + "click=" not in page.text  # no inline script
    letter = dead_letter(redis_client, keys)
    refused = requests.post(f"{url}/deliveries/redrive", data={"id": letter}, timeout=10)
    assert refused.status_code == 403
    assert redis_client.xlen(keys.dead) == 1


@pytest.fixture
def guarded(
    redis_client: redis.Redis, prefix: str, analyst_hash: str
) -> Iterator[tuple[str, Keyspace]]:
    keys = Keyspace(prefix)
    record_reports(redis_client, keys, Settings())
    environ = {"RAQIB_CONSOLE_USERS": f"analyst:{analyst_hash}"}
    with console_server(Settings(), redis_client, keys, host="0.0.0.0", environ=environ) as url:
        yield url, keys


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF field in the form"
    return found.group(1)


def _login(session: requests.Session, url: str, password: str = PASSWORD) -> requests.Response:
    form = session.get(f"{url}/login", timeout=10)
    return session.post(
        f"{url}/login", data={"csrf": _csrf(form.text), "name": "analyst", "password": password,
                              "next": "/console/deliveries"},
        timeout=30, allow_redirects=False,
    )  # fmt: skip


def test_off_loopback_everything_needs_a_login(guarded: tuple[str, Keyspace]) -> None:
    url, _ = guarded
    first = requests.get(f"{url}/incidents", timeout=10, allow_redirects=False)
    assert first.status_code == 303 and "/console/login" in first.headers["Location"]
    for path in ("/incidents.csv", "/incidents.atom", "/map.json", "/incidents.json"):
        assert requests.get(f"{url}{path}", timeout=10).status_code == 401
    assert requests.get(f"{url}/static/map.js", timeout=10).status_code == 200


def test_login_needs_its_csrf_token(guarded: tuple[str, Keyspace]) -> None:
    url, _ = guarded
    session = requests.Session()
    session.get(f"{url}/login", timeout=10)
    forged = session.post(
        f"{url}/login", data={"csrf": "forged", "name": "analyst", "password": PASSWORD}, timeout=30,
        allow_redirects=False,
    )  # fmt: skip
    assert forged.status_code == 403
    assert "raqib_session" not in session.cookies


def test_a_session_re_drives_a_dead_letter_with_its_csrf_token(
    guarded: tuple[str, Keyspace], redis_client: redis.Redis
) -> None:
    url, keys = guarded
    letter = dead_letter(redis_client, keys)
    session = requests.Session()
    done = _login(session, url)
    assert done.status_code == 303
    cookie = done.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    page = session.get(f"{url}/deliveries", timeout=10)
    assert letter in page.text or "550 no such user" in page.text
    without = session.post(f"{url}/deliveries/redrive", data={"id": letter}, timeout=10)
    assert without.status_code == 403
    assert redis_client.xlen(keys.dead) == 1
    moved = session.post(
        f"{url}/deliveries/redrive", data={"id": letter, "csrf": _csrf(page.text)}, timeout=10
    )
    assert moved.status_code == 200 and "redriven" in moved.url
    assert redis_client.xlen(keys.dead) == 0
    assert (
        redis_client.xlen(keys.jobs) == 1
    )  # back on the delivery stream, as `raqib dead --redrive`
    session.post(f"{url}/logout", data={"csrf": _csrf(moved.text)}, timeout=10)
    assert session.get(f"{url}/incidents.csv", timeout=10).status_code == 401


def test_login_attempts_are_limited(guarded: tuple[str, Keyspace]) -> None:
    url, _ = guarded
    session = requests.Session()
    answers = [_login(session, url, "wrong").status_code for _ in range(5)]
    assert answers == [401] * 5
    assert _login(session, url).status_code == 429  # even the right password, for a while
    assert "raqib_session" not in session.cookies


# -- what pages show ------------------------------------------------------------------------------


def test_third_party_text_is_escaped_and_cleaned(redis_client: redis.Redis, prefix: str) -> None:
    keys = Keyspace(prefix)
    store = IncidentStore(redis_client, keys, Settings().incidents)
    hostile = reports.SABHA_SAME_DAY
    article = hostile.article()
    title = "<script>alert(1)</script>\u202e هجوم لداعش على مركز شرطة في سبها"
    from dataclasses import replace

    store.record(replace(article, title=title), reports.detect(hostile))
    with console_server(Settings(), redis_client, keys) as url:
        listed = requests.get(f"{url}/incidents", timeout=10).text
        incident_id = json.loads(requests.get(f"{url}/incidents.json", timeout=10).text)[
            "incidents"
        ][0]["id"]
        shown = requests.get(f"{url}/incidents/{incident_id}", timeout=10).text
    for html in (listed, shown):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "\u202e" not in html


def test_evidence_is_highlighted_without_raw_html() -> None:
    from crawler.app.console.web import environment, segments

    text = "هاجم عناصر من تنظيم داعش <b>مركز</b>"
    start = text.index("داعش")
    pieces = segments(text, [(start, start + 4), (start + 1, start + 2), (500, 600)])
    assert pieces == [("هاجم عناصر من تنظيم ", False), ("داعش", True), (" <b>مركز</b>", False)]
    html = (
        environment()
        .from_string(
            "{% for p, m in s %}{% if m %}<mark>{{ p }}</mark>{% else %}{{ p }}{% endif %}{% endfor %}"
        )
        .render(s=pieces)
    )
    assert "<mark>داعش</mark>" in html and "&lt;b&gt;" in html


def test_evidence_comes_from_the_alert_or_its_matched_words() -> None:
    from alerts.message import Alert, Evidence
    from crawler.app.console.web import evidence_of

    alert = sample_alert(incident_id="e-1")
    sentence = "هاجم عناصر تنظيم داعش بوابة أمنية"
    start = sentence.index("داعش")
    kept = Alert.model_validate(
        {**alert.model_dump(), "evidence": [Evidence(text=sentence, marks=[(start, start + 4)])]}
    )
    assert evidence_of(kept, []) == [
        [(sentence[:start], False), ("داعش", True), (sentence[start + 4 :], False)]
    ]
    # An alert from before detection kept sentences: the matched words in the stories' titles,
    # found whatever the spelling (إ/ا, tatweel).
    older = Alert.model_validate(
        {**alert.model_dump(), "evidence": [], "matched": ["داعش", "اغتيال"]}
    )
    shown = evidence_of(older, ["إغتيـال ضابط على يد داعش", "لا شيء هنا"])
    assert shown == [[("إغتيـال", True), (" ضابط على يد ", False), ("داعش", True)]]


# -- the query, the index, exports ----------------------------------------------------------------


def test_the_index_follows_the_store(redis_client: redis.Redis, prefix: str) -> None:
    keys = Keyspace(prefix)
    store = record_reports(redis_client, keys, Settings())
    index = IncidentIndex(redis_client, ConsoleKeys(prefix), store)
    rows = index.rows()
    assert len(rows) == len(store.recent(100)) == 5
    assert redis_client.hlen(ConsoleKeys(prefix).incident_summaries) == 5
    assert [r.changed for r in rows] == sorted((r.changed for r in rows), reverse=True)
    store.record(reports.VAGUE_SAME_DAY.article(), reports.detect(reports.VAGUE_SAME_DAY))
    after = index.rows()
    assert len(after) == len(store.recent(100))
    assert after[0].changed >= rows[0].changed
    # Another process's index reads the summaries written, not the incidents.
    again = IncidentIndex(redis_client, ConsoleKeys(prefix), store).rows()
    assert [r.id for r in again] == [r.id for r in after]
    # An incident leaving the store's index (expired) leaves the console's, and its summary goes.
    names = ConsoleKeys(prefix)
    redis_client.zrem(names.incidents, after[-1].id)
    redis_client.incr(names.incident_clock)
    assert [r.id for r in index.rows()] == [r.id for r in after[:-1]]
    assert not redis_client.hexists(names.incident_summaries, after[-1].id)


def test_the_list_follows_analysts_feedback(redis_client: redis.Redis, prefix: str) -> None:
    from alerts.audit import AuditLog
    from crawler.incidents.feedback import FeedbackStore

    keys = Keyspace(prefix)
    store = record_reports(redis_client, keys, Settings())
    feedback = FeedbackStore(store, AuditLog(redis_client, keys))
    index = IncidentIndex(redis_client, ConsoleKeys(prefix), store)
    listed = Filters().apply(index.rows())
    false_alarm, miscounted = listed[0], listed[1]
    dismissal = feedback.give("not-incident", false_alarm.id, by="amal")
    feedback.give("toll", miscounted.id, by="amal", killed=miscounted.toll + 7, injured=0)
    rows = Filters().apply(index.rows())
    assert false_alarm.id not in {r.id for r in rows} and len(rows) == len(listed) - 1
    assert next(r for r in rows if r.id == miscounted.id).killed == miscounted.toll + 7
    # Another console reads the same from the summaries written; undoing brings it back.
    again = IncidentIndex(redis_client, ConsoleKeys(prefix), store).rows()
    assert false_alarm.id not in {r.id for r in Filters().apply(again)}
    feedback.undo(dismissal.id, by="amal")
    assert false_alarm.id in {r.id for r in Filters().apply(index.rows())}


def test_filters(redis_client: redis.Redis, prefix: str) -> None:
    keys = Keyspace(prefix)
    store = record_reports(redis_client, keys, Settings())
    rows = IncidentIndex(redis_client, ConsoleKeys(prefix), store).rows()
    by = lambda **q: Filters.parse(q).apply(rows)  # noqa: E731
    assert len(by()) == 5
    assert len(by(type="attack")) == 3
    assert {r.place for r in by(place="Sabha")} == {"سبها"}  # English name, Arabic place
    assert len(by(place="تراغن")) == 3
    assert all(r.toll >= 5 for r in by(min_toll="5")) and by(min_toll="5")
    assert len(by(region="فزان")) == 5
    assert by(tier="unattributed") == [] and len(by(tier="isis")) == 5
    assert len(by(q="القطرون")) == 1 and len(by(q="القطرون بوابة")) == 1 and by(q="بنغازي") == []
    assert len(by(span="1h")) == 5  # all changed just now
    assert by(span="1h") == Filters(span="1h").apply(rows, now=time.time())
    assert Filters(span="1h").apply(rows, now=time.time() + 7200) == []
    with pytest.raises(ValueError, match="span"):
        Filters.parse({"span": "forever"})


def test_timeline_stacks_each_day_by_type() -> None:
    now = time.time()
    made = generated(300, now, days=30)
    from crawler.app.console.index import summarise

    rows = [summarise(incident, changed, None, None)[0] for incident, changed in made]
    chart = timeline(rows, "30d", now)
    assert len(chart.bars) in (30, 31)
    counted = sum(bar.total for bar in chart.bars)
    in_span = sum(
        1 for r in rows if chart.first.isoformat() <= (r.day or "") <= chart.last.isoformat()
    )  # type: ignore[union-attr]
    assert counted == in_span
    for bar in chart.bars:
        assert sum(s.count for s in bar.segments) == bar.total
        assert all(s.height > 0 for s in bar.segments)
    assert max(sum(s.height for s in bar.segments) for bar in chart.bars) == pytest.approx(
        chart.height
    )


def test_map_data_for_a_year_of_incidents_is_small() -> None:
    now = time.time()
    from crawler.app.console.index import summarise

    rows = [summarise(i, c, None, None)[0] for i, c in generated(10_000, now)]
    data = json.dumps(map_data(rows), ensure_ascii=False, separators=(",", ":")).encode()
    assert len(data) <= 1_000_000
    assert len(map_data(rows)["points"]) == 10_000


# -- the command line -----------------------------------------------------------------------------


@pytest.fixture
def cli_config(make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis) -> Path:
    record_reports(redis_client, Keyspace(prefix), Settings())
    return Path(make_config(redis=redis_mode.redis_block(redis_url, prefix)))


def test_cli_exports(cli_config: Path) -> None:
    table = raqib("-c", str(cli_config), "incidents", "--since", "7d", "--format", "csv")
    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert len(rows) == 5 and all(r["event_date"].startswith("2024-03-") for r in rows)
    atom = raqib("-c", str(cli_config), "incidents", "--since", "7d", "--format", "atom")
    assert len(feedparser.parse(atom.stdout).entries) == 5
    geo = json.loads(raqib("-c", str(cli_config), "incidents", "--format", "geojson").stdout)
    assert len(geo["features"]) == 5
    whole = json.loads(raqib("-c", str(cli_config), "incidents", "--format", "json").stdout)
    assert whole["count"] == 5 and all(
        "signature" not in s for i in whole["incidents"] for s in i["stories"]
    )
    bad = raqib("-c", str(cli_config), "incidents", "--since", "soon")
    assert bad.returncode == 2 and "span" in bad.stderr


def test_cli_makes_a_password_hash() -> None:
    made = raqib("console-password", "analyst", "--stdin", input=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    name, _, hashed = made.stdout.strip().partition(":")
    assert name == "analyst" and verify_password(PASSWORD, hashed)
    assert PASSWORD not in made.stdout + made.stderr
    assert raqib("console-password", "a:b", "--stdin", input="x" * 10).returncode == 2


def test_the_daemon_serves_the_console(cli_config: Path, tmp_path: Path) -> None:
    from tests.support.service import RaqibProcess

    daemon = RaqibProcess(cli_config, tmp_path / "run.log")
    try:
        daemon.wait_ready()
        assert "/console/" in daemon.text()
        status, body = daemon.get("/console/incidents.json")
        assert status == 200 and json.loads(body)["count"] == 5
        assert daemon.get("/healthz")[0] in (200, 503)
    finally:
        assert daemon.stop() == 0, daemon.tail()


def test_raqib_console_serves_alone_and_refuses_the_world_without_users(cli_config: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "RAQIB_CONSOLE_USERS"}
    refused = raqib("-c", str(cli_config), "console", "--host", "0.0.0.0", env=env)
    assert refused.returncode == 2 and "RAQIB_CONSOLE_USERS" in refused.stderr
    alone = subprocess.Popen(
        [sys.executable, "-m", "crawler", "-c", str(cli_config), "console", "--port", "0"],
        cwd=ROOT, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert alone.stderr is not None
        line = alone.stderr.readline()
        while line and "console on" not in line:
            line = alone.stderr.readline()
        url = re.search(r"(http://\S+/console)/", line)
        assert url, line
        # Keep reading its log, so a full pipe never blocks the process (and its stop).
        import threading

        threading.Thread(target=alone.stderr.read, daemon=True).start()
        atom = requests.get(f"{url.group(1)}/incidents.atom", timeout=10)
        assert len(feedparser.parse(atom.text).entries) == 5
    finally:
        alone.send_signal(signal.SIGINT)
        try:
            code = alone.wait(60)  # a loaded machine is slow to stop; never leave it running
        except subprocess.TimeoutExpired:
            alone.kill()
            code = alone.wait(10)
        finally:
            if alone.stderr is not None:
                alone.stderr.close()
    assert code == 0, "raqib console did not stop on SIGINT"


def test_raqib_console_stops_on_sigterm_and_on_an_inherited_ignored_sigint(
    cli_config: Path,
) -> None:
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    def start(ignore_sigint: bool) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-m", "crawler", "-c", str(cli_config), "console", "--port", "0"],
            cwd=ROOT, stderr=subprocess.PIPE, text=True,
            # a parent that ignores Ctrl-C passes that on: Python then installs no handler
            preexec_fn=(lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None,
        )  # fmt: skip
        assert process.stderr is not None
        line = process.stderr.readline()
        while line and "console on" not in line:
            line = process.stderr.readline()
        assert "console on" in line, line
        return process

    for ignore_sigint, sig in ((False, signal.SIGTERM), (True, signal.SIGINT)):
        process = start(ignore_sigint)
        process.send_signal(sig)
        try:
            code = process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            code = process.wait(10)
        finally:
            if process.stderr is not None:
                process.stderr.close()
        assert code == 0, (sig, code)


def test_the_toll_chart_follows_the_adopted_figures(redis_client: redis.Redis, prefix: str) -> None:
    from crawler.app.console.queries import toll_chart

    store = record_reports(redis_client, Keyspace(prefix), Settings())
    attack = next(i for i in store.recent(10) if len(i.tolls) >= 3)
    chart = toll_chart(attack.tolls)
    assert chart is not None
    assert len(chart.killed) == sum(t.killed is not None for t in attack.tolls)
    adopted = [t.killed for t in attack.tolls if t.adopted and t.killed is not None]
    assert chart.peak == max(max(t.killed or 0, t.injured or 0) for t in attack.tolls)
    # The line ends at the last adopted figure, at the right edge.
    last_x, last_y = chart.killed_line.split()[-1].split(",")
    assert float(last_x) == chart.width - 6
    assert float(last_y) == round(
        chart.height - 6 - (chart.height - 12) * adopted[-1] / chart.peak, 1
    )
    assert toll_chart([]) is None


def test_a_summary_of_another_version_is_made_again(redis_client: redis.Redis, prefix: str) -> None:
    keys = Keyspace(prefix)
    store = record_reports(redis_client, keys, Settings())
    names = ConsoleKeys(prefix)
    first = IncidentIndex(redis_client, names, store).rows()
    some = first[0].id
    old = json.loads(str(redis_client.hget(names.incident_summaries, some)))
    old.pop("v")
    old.pop("attribution")  # as a summary written before a field existed
    redis_client.hset(names.incident_summaries, some, json.dumps(old))
    again = IncidentIndex(redis_client, names, store).rows()
    assert [r.to_json() for r in again] == [r.to_json() for r in first]
    assert json.loads(str(redis_client.hget(names.incident_summaries, some)))["v"] == VERSION
