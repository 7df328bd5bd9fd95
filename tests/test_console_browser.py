"""The console in a real Chromium: list, filter, open an incident, the map's markers, every export."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import feedparser
import pytest
import redis

from alerts.spine.keyspace import Keyspace
from config.settings import Settings
from tests.support.browser import chromium, chromium_path
from tests.support.console import console_server, dead_letter, record_reports

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium")

INCIDENTS = 5  # the reports make five incidents (the five outlets' attack is one of them)
ATTACKS = 3  # in Traghen (the five outlets), Sabha and Al Qatrun


@pytest.fixture
def console_url(redis_client: redis.Redis, prefix: str) -> Iterator[str]:
    settings = Settings(console={"tile_url": ""})  # no tiles: the outline alone, offline
    record_reports(redis_client, Keyspace(prefix), settings)
    with console_server(settings, redis_client, Keyspace(prefix)) as url:
        yield url


@pytest.fixture
def page(console_url: str) -> Iterator[Any]:
    with chromium() as browser:
        page = browser.new_page()
        page.violations = []
        page.on(
            "console",
            lambda message: (
                page.violations.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        yield page


def test_list_filter_and_open_an_incident(page: Any, console_url: str) -> None:
    page.goto(f"{console_url}/incidents")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#incidents tr.incident").count() == INCIDENTS
    assert page.locator("#total").inner_text() == str(INCIDENTS)
    assert page.locator("#timeline rect").count() >= 1

    page.select_option("select[name=type]", "bombing")  # a choice applies at once
    page.wait_for_url("**type=bombing**")
    rows = page.locator("#incidents tr.incident")
    assert rows.count() == 1
    assert "تراغن" in rows.first.inner_text()

    with page.expect_navigation():
        page.select_option("select[name=type]", "")
    page.fill("input[name=q]", "سبها")
    page.click("#filters button[type=submit]")
    page.wait_for_url("**q=**")
    assert "type=&" in page.url  # any type
    assert page.locator("#incidents tr.incident").count() == 1

    page.goto(f"{console_url}/incidents?min_toll=5")
    tolls = page.locator("#incidents tr.incident")
    assert tolls.count() >= 1
    page.locator("#incidents tr.incident a").first.click()
    page.wait_for_selector("#incident")
    assert page.locator("#sources > li").count() >= 1
    assert page.locator("#history li").count() >= 1
    assert page.locator("#tolls tbody tr").count() >= 1
    assert page.violations == []


def test_the_five_outlets_attack_shows_its_sources_and_copies(page: Any, console_url: str) -> None:
    page.goto(f"{console_url}/incidents?place=تراغن&type=attack")
    page.locator("#incidents tr.incident a").first.click()
    page.wait_for_selector("#incident")
    sources = page.locator("#sources").inner_text()
    assert "وكالة الصحراء للأنباء" in sources
    assert page.locator("#sources .copies li").count() >= 1  # the wire story's copies
    assert "داعش" in page.locator("#evidence mark").all_inner_texts()
    assert page.locator("#toll-chart circle").count() >= 3
    assert "r1" in page.locator("#history").inner_text()


def _markers_shown(page: Any) -> int:
    single = page.locator(".incident-marker").count()
    clustered = sum(int(t) for t in page.locator(".marker-cluster span").all_inner_texts())
    return int(single + clustered)


def test_the_map_shows_a_marker_per_incident(page: Any, console_url: str) -> None:
    page.goto(f"{console_url}/map")
    page.wait_for_selector("#map[data-loaded]")
    assert page.locator("#marker-count").inner_text() == str(INCIDENTS)
    assert _markers_shown(page) == INCIDENTS
    assert page.locator(".leaflet-overlay-pane path").count() >= 1  # Libya's outline
    page.goto(f"{console_url}/map?type=attack")
    page.wait_for_selector("#map[data-loaded]")
    assert _markers_shown(page) == ATTACKS
    assert page.violations == []


def test_every_export_downloads_and_parses(page: Any, console_url: str, tmp_path: Path) -> None:
    page.goto(f"{console_url}/incidents")
    got: dict[str, str] = {}
    for fmt in ("csv", "geojson", "atom", "json"):
        with page.expect_download() as download:
            page.click(f"#export-{fmt}")
        target = tmp_path / f"export.{fmt}"
        download.value.save_as(target)
        got[fmt] = target.read_text(encoding="utf-8")

    table = list(csv.DictReader(io.StringIO(got["csv"])))
    assert len(table) == INCIDENTS
    assert {"event_date", "event_type", "actor1", "latitude", "fatalities", "notes"} <= set(
        table[0]
    )
    assert {row["actor1"] for row in table} == {"Islamic State (Libya)"}

    geo = json.loads(got["geojson"])
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == INCIDENTS
    for feature in geo["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 19 < lat < 34 and 9 < lon < 26  # in Libya

    feed = feedparser.parse(got["atom"])
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == INCIDENTS
    assert all(e.id.startswith("urn:raqib:incident:") for e in feed.entries)
    assert all(e.link.startswith(console_url + "/incidents/") for e in feed.entries)

    assert json.loads(got["json"])["count"] == INCIDENTS


def test_keyboard_shortcuts_and_filters_that_apply_at_once(page: Any, console_url: str) -> None:
    page.goto(f"{console_url}/incidents")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.keyboard.press("Escape")
    page.evaluate("document.activeElement.blur()")
    page.select_option("select[name=type]", "attack")  # applies without the button
    page.wait_for_url("**type=attack**")
    assert page.locator("#incidents tr.incident").count() == ATTACKS
    page.keyboard.press("m")
    page.wait_for_url("**/map?**type=attack**")
    page.wait_for_selector("#map[data-loaded]")
    assert _markers_shown(page) == ATTACKS
    assert page.violations == []


def test_english_by_the_switch(page: Any, console_url: str) -> None:
    page.goto(f"{console_url}/incidents")
    page.click("#language")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Incidents" in page.locator("header").inner_text()
    page.goto(f"{console_url}/map")
    assert page.locator("html").get_attribute("lang") == "en"  # remembered


def test_a_console_off_loopback_asks_for_a_login(redis_client: redis.Redis, prefix: str) -> None:
    from crawler.app.console.access import hash_password

    users = {"RAQIB_CONSOLE_USERS": "analyst:" + hash_password("correct horse")}
    settings = Settings(console={"tile_url": ""})
    record_reports(redis_client, Keyspace(prefix), settings)
    # Listening as if on every address (the test binds 127.0.0.1; the console is told 0.0.0.0).
    with (
        console_server(
            settings, redis_client, Keyspace(prefix), host="0.0.0.0", environ=users
        ) as url,
        chromium() as browser,
    ):
        page = browser.new_page()
        page.goto(f"{url}/incidents?type=attack")
        page.wait_for_selector("#login")
        page.fill("input[name=name]", "analyst")
        page.fill("input[name=password]", "wrong")
        page.click("#login button")
        assert page.locator("#login .error").count() == 1
        page.fill("input[name=name]", "analyst")
        page.fill("input[name=password]", "correct horse")
        page.click("#login button")
        page.wait_for_selector("#incidents")
        assert "type=attack" in page.url
        assert page.locator("#incidents tr.incident").count() == ATTACKS
        cookie = next(c for c in browser.cookies() if c["name"] == "raqib_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
        # A logged-in analyst re-drives a dead letter from the page (its form carries the token).
        dead_letter(redis_client, Keyspace(prefix))
        page.goto(f"{url}/deliveries")
        assert page.locator("#dead-count").inner_text() == "1"
        page.click("#dead button")
        page.wait_for_selector("#redriven")
        assert page.locator("#dead-count").inner_text() == "0"
        assert redis_client.xlen(Keyspace(prefix).jobs) == 1
