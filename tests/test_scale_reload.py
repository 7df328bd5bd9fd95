"""Reload without a restart: SIGHUP and `raqib reload` re-read sources, watchlists and subscriptions."""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from config.loader import load_settings
from config.settings import Settings
from crawler.app.reload import changes_between, file_digests
from crawler.detect import Detector, Document
from tests.conftest import ROOT, raqib
from tests.support.delivery import wait_until
from tests.support.feeds import MARKET_TEXT, MARKET_TITLE, Item, rss
from tests.support.servers import Reply, WebServer
from tests.support.service import RaqibProcess, wait_healthy
from tests.test_crawler_faults import HTML, RSS

pytestmark = pytest.mark.slow

# A name for ISIS that the shipped watchlist does not know; the reload teaches it.
ALIAS = "جماعة السرب الأسود"
ALIAS_TITLE = f"{ALIAS} تهاجم بوابة أمنية قرب سبها وتقتل ثلاثة حراس"
ALIAS_TEXT = [
    f"قال مصدر أمني إن مسلحين من {ALIAS} هاجموا بوابة أمنية جنوب سبها فجر اليوم، ما أدى إلى "
    "مقتل ثلاثة من الحراس وإصابة اثنين.",
    "وأضاف المصدر أن المهاجمين انسحبوا نحو الصحراء بعد تبادل لإطلاق النار.",
]
SHIPPED = ROOT / "config/watchlists/isis-libya.yaml"
KNOWN_FORMS = "forms: [دواعش, الدواعش, تنظيم داعش]"


def taught(watchlist: Path) -> None:
    text = SHIPPED.read_text(encoding="utf-8")
    assert KNOWN_FORMS in text
    watchlist.write_text(text.replace(KNOWN_FORMS, KNOWN_FORMS[:-1] + f", {ALIAS}]"), "utf-8")


def serve(web: WebServer) -> None:
    web.routes["/quiet.xml"] = Reply(
        200, rss([Item(MARKET_TITLE, web.url("/a/market"), MARKET_TEXT)]), RSS
    )
    web.routes["/alias.xml"] = Reply(
        200, rss([Item(ALIAS_TITLE, web.url("/a/alias"), ALIAS_TEXT[0])]), RSS
    )
    page = "".join(f"<p>{p}</p>" for p in ALIAS_TEXT)
    web.routes["/a/alias"] = Reply(
        200, f"<html><body><article><h1>{ALIAS_TITLE}</h1>{page}</article></body></html>".encode(),
        HTML,
    )  # fmt: skip
    web.routes["/hook1"] = Reply(200, b"ok")
    web.routes["/hook2"] = Reply(200, b"ok")


def test_the_new_name_needs_the_reloaded_watchlist(tmp_path: Path) -> None:
    """The premise of the next test: the shipped watchlist passes the report over, the taught
    one reports it."""
    watchlist = tmp_path / "watchlist.yaml"
    taught(watchlist)
    report = Document("\n".join(ALIAS_TEXT), title=ALIAS_TITLE)
    assert not Detector.from_files([SHIPPED]).detect(report).is_incident
    assert Detector.from_files([watchlist]).detect(report).is_incident


def test_sighup_and_raqib_reload(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, tmp_path: Path
) -> None:
    serve(web)
    watchlist = tmp_path / "watchlist.yaml"
    watchlist.write_text(SHIPPED.read_text(encoding="utf-8"), "utf-8")

    def config(sources: list[str], hook: str, **more: Any) -> Path:
        return make_config(
            redis={"url": redis_url, "prefix": prefix},
            sources=[{"name": n, "url": web.url(f"/{n}.xml"), "interval": 1} for n in sources],
            watchlists=[str(watchlist)],
            subscriptions=[{"name": "ops", "chat": [f"json://127.0.0.1:{web.port}/{hook}"]}],
            **more,
        )

    path = config(["quiet"], "hook1")
    daemon = RaqibProcess(path, tmp_path / "run.log")
    try:
        daemon.wait_ready()
        assert wait_until(lambda: len(web.hits("/quiet.xml")) >= 2, 30)

        # An invalid file: said where and why; the running configuration stays.
        good = path.read_text(encoding="utf-8")
        path.write_text(good.replace("sources:", "sourcs:"), encoding="utf-8")
        daemon.signal(signal.SIGHUP)
        assert wait_until(lambda: "is not valid; the running configuration stays" in daemon.text())
        assert "sourcs: unknown key (did you mean 'sources'?)" in daemon.text()
        assert f"{path}:" in daemon.text()
        fetched = len(web.hits("/quiet.xml"))
        assert wait_until(lambda: len(web.hits("/quiet.xml")) >= fetched + 2, 30)
        wait_healthy(daemon, True, 10)

        # A source added, the watchlist taught a new name, the subscription moved: SIGHUP.
        taught(watchlist)
        config(["quiet", "alias"], "hook2")
        daemon.signal(signal.SIGHUP)
        assert wait_until(lambda: "reload (SIGHUP) of" in daemon.text(), 30), daemon.tail()
        line = next(x for x in daemon.text().splitlines() if "reload (SIGHUP) of" in x)
        assert "sources: 1 added (alias)" in line
        assert "subscriptions: 1 changed (ops)" in line
        assert "watchlists: rebuilt (watchlist.yaml)" in line
        assert wait_until(lambda: len(web.hits("/hook2")) == 1, 30), daemon.tail()
        alert = web.hits("/hook2")[0].json()["raqib"]["alerts"][0]
        assert ALIAS in alert["title"] and alert["places"][0]["name"] == "سبها"
        assert web.hits("/hook1") == []

        # `raqib reload`: a source removed; a setting that waits for a restart is named.
        second = RaqibProcess(path, tmp_path / "alerts.log", role="alerts")
        try:
            second.wait_ready()
            config(["alias"], "hook2", http={"port": 0, "host": "127.0.0.2"})
            answer = raqib("--config", str(path), "reload", "--expect", "2", "--json")
            assert answer.returncode == 0, answer.stderr
            replies = [json.loads(x) for x in answer.stdout.splitlines()]
            assert sorted("+".join(r["roles"]) for r in replies) == ["alerts", "crawl+alerts"]
            for reply in replies:
                assert reply["ok"] and "sources: 1 removed (quiet)" in reply["summary"]
                assert "take effect at the next start: http.host" in reply["summary"]
            time.sleep(1.5)  # a run that had started before the reload may still finish
            quiet = len(web.hits("/quiet.xml"))
            alias = len(web.hits("/alias.xml"))
            assert wait_until(lambda: len(web.hits("/alias.xml")) >= alias + 3, 30)
            assert len(web.hits("/quiet.xml")) == quiet  # no longer fetched

            # `raqib reload` with a mistake: exit 1, where and why; nothing changes.
            bad = path.read_text(encoding="utf-8").replace("name: ops", "name: two words")
            path.write_text(bad, encoding="utf-8")
            refused = raqib("--config", str(path), "reload", "--expect", "2")
            assert refused.returncode == 2  # the command itself reads the file first
            assert "a subscription name needs no spaces" in refused.stderr
        finally:
            assert second.stop() == 0
        wait_healthy(daemon, True, 10)
        assert wait_until(lambda: len(web.hits("/alias.xml")) >= alias + 6, 30)
    finally:
        assert daemon.stop() == 0, daemon.tail()
    assert "Traceback" not in daemon.text()


def test_raqib_reload_reports_a_daemon_that_kept_its_configuration(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, tmp_path: Path
) -> None:
    """The command reads the file it is given; a daemon reads its own. A daemon whose file is
    wrong keeps its configuration and says why, and the command exits 1."""
    serve(web)
    daemon_config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        sources=[{"name": "quiet", "url": web.url("/quiet.xml"), "interval": 1}],
    )
    command_config = tmp_path / "command.yaml"
    command_config.write_text(daemon_config.read_text(encoding="utf-8"), encoding="utf-8")
    daemon = RaqibProcess(daemon_config, tmp_path / "crawl.log", role="crawl")
    try:
        daemon.wait_ready()
        text = daemon_config.read_text(encoding="utf-8")
        daemon_config.write_text(text.replace("interval: 1", "interval: -5"), encoding="utf-8")
        answer = raqib("--config", str(command_config), "reload", "--expect", "1")
        assert answer.returncode == 1, answer.stdout + answer.stderr
        assert "(crawl): kept its configuration: invalid" in answer.stdout
        assert "sources.0.interval" in answer.stdout
        assert daemon.process.poll() is None
        wait_healthy(daemon, True, 10)
        elsewhere = tmp_path / "elsewhere.yaml"
        elsewhere.write_text(text.replace(prefix, prefix + "nobody:"), encoding="utf-8")
        nobody = raqib("--config", str(elsewhere), "reload", "--wait", "1")
        assert nobody.returncode == 1 and "no daemon answered" in nobody.stderr
    finally:
        assert daemon.stop() == 0


def test_changes_name_what_a_reload_applies_and_what_waits(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text("sources: [{name: a, url: 'http://x/a', interval: 60}]\n", encoding="utf-8")
    old = load_settings(path, environ={})
    path.write_text(
        "sources: [{name: a, url: 'http://x/a', interval: 30}, {name: b, url: 'http://x/b'}]\n"
        "subscriptions: [{name: ops, email: [a@example.org]}]\n"
        "crawler: {concurrent_requests: 8}\nredis: {prefix: 'other:'}\n",
        encoding="utf-8",
    )
    new = load_settings(path, environ={})
    assert isinstance(new, Settings)
    found = changes_between(old, new, file_digests(old), file_digests(new))
    assert found.sources == {"added": ["b"], "removed": [], "changed": ["a"]}
    assert found.subscriptions == {"added": ["ops"], "removed": [], "changed": []}
    assert found.watchlists == []
    assert found.restart_needed == ["crawler.concurrent_requests", "redis.prefix"]
    assert found.describe() == (
        "sources: 1 added (b), 1 changed (a); subscriptions: 1 added (ops); "
        "take effect at the next start: crawler.concurrent_requests, redis.prefix"
    )


def test_an_edit_of_a_watchlist_s_own_gazetteer_is_a_change(tmp_path: Path) -> None:
    """A watchlist that names its own gazetteer (the Tunisian example) is rebuilt when that
    gazetteer is edited, as when the watchlist itself is."""
    root = Path(__file__).resolve().parent.parent
    watchlist = tmp_path / "isis-tunisia.yaml"
    gazetteer = tmp_path / "gazetteer-tunisia.yaml"
    gazetteer.write_bytes((root / "crawler/detect/data/gazetteer-tunisia.yaml").read_bytes())
    watchlist.write_text(
        (root / "config/watchlists/examples/isis-tunisia.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    path = tmp_path / "raqib.yaml"
    path.write_text(f"watchlists: [{watchlist}]\n", encoding="utf-8")
    settings = load_settings(path, environ={})
    assert isinstance(settings, Settings)
    before = file_digests(settings)
    assert str(gazetteer) in before, before
    gazetteer.write_text(gazetteer.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    found = changes_between(settings, settings, before, file_digests(settings))
    assert found.watchlists == ["gazetteer-tunisia.yaml"]
