"""The source catalogue, and `raqib check --sources` verifying sources against servers on 127.0.0.1."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from config.loader import DEFAULT_CONFIG, load_settings
from tests.conftest import raqib
from tests.support.feeds import MARKET_TEXT, MARKET_TITLE, SPORT_TITLE, Item, rss
from tests.support.servers import Reply, WebServer
from tests.test_crawler_faults import HTML, RSS

CATALOGUE = Path(__file__).resolve().parent.parent / "seeds/sources.yaml"


def test_the_shipped_catalogue() -> None:
    settings = load_settings(DEFAULT_CONFIG, environ={})
    sources = settings.sources
    enabled = [s for s in sources if s.enabled]
    assert len(enabled) >= 40
    assert len({s.url for s in sources}) == len(sources), "one entry per address"
    countries = [s.country for s in sources]
    assert countries[: countries.count("LY")] == ["LY"] * countries.count("LY"), "Libya first"
    assert sum(s.country == "LY" and s.language == "ar" for s in enabled) >= 12
    for source in sources:
        assert source.found_in, f"{source.name}: say where the address was found"
        assert source.url.startswith("https://"), source.name
        assert source.interval >= 300, f"{source.name}: be polite"
        assert source.country and source.language in ("ar", "en"), source.name
    assert any(s.kind == "page" and s.selectors for s in sources), "a page-listing example"


def test_check_sources_fetches_and_judges_each(
    web: WebServer, make_config: Any, tmp_path: Path
) -> None:
    web.routes["/ar.xml"] = Reply(200, rss([Item(MARKET_TITLE, web.url("/a/1"), MARKET_TEXT)]), RSS)
    web.routes["/en.xml"] = Reply(
        200,
        rss([Item("Markets busy before the holiday", web.url("/a/2"), "Shops were full.")]),
        RSS,
    )
    web.routes["/page.html"] = Reply(200, b"<html><body><p>no feed here</p></body></html>", HTML)
    web.routes["/list.html"] = Reply(
        200,
        f'<html><body><ul class="news"><li><a href="/a/3">{SPORT_TITLE}</a></li></ul></body></html>'.encode(),
        HTML,
    )
    catalogue = tmp_path / "sources.yaml"
    entries = [
        {"name": "arabic", "url": web.url("/ar.xml")},
        {"name": "english", "url": web.url("/en.xml")},
        {"name": "gone", "url": web.url("/missing.xml")},
        {"name": "not-a-feed", "url": web.url("/page.html")},
        {
            "name": "listing",
            "url": web.url("/list.html"),
            "kind": "page",
            "selectors": {"links": "ul.news a"},
        },
        {
            "name": "bad-selector",
            "url": web.url("/list.html"),
            "kind": "page",
            "selectors": {"links": "div.none a"},
        },
    ]
    listed = [{**e, "found_in": "a test", "verified": False} for e in entries]
    catalogue.write_text(
        "# test catalogue\n"
        + yaml.safe_dump({"sources": listed}, allow_unicode=True, sort_keys=False),
        encoding="utf-8",
    )
    config = make_config(sources_file=str(catalogue), crawler={"retries": 0})
    assert len(yaml.safe_load(catalogue.read_text(encoding="utf-8"))["sources"]) == len(entries)

    run = raqib("--config", str(config), "check", "--sources", "--json", "--mark-verified")
    assert run.returncode == 1, run.stderr  # some sources do not answer
    results = {r["name"]: r for r in map(json.loads, run.stdout.splitlines()[-len(entries) :])}
    assert results["arabic"]["ok"] and results["arabic"]["entries"] == 1
    assert results["arabic"]["arabic_share"] > 0.9
    assert not results["english"]["ok"] and "Arabic" in results["english"]["problems"][0]
    assert not results["gone"]["ok"] and results["gone"]["status"] == 404
    assert not results["not-a-feed"]["ok"] and "not a feed" in results["not-a-feed"]["problems"][0]
    assert results["listing"]["ok"] and results["listing"]["entries"] == 1
    assert not results["bad-selector"]["ok"]
    assert "2 of 6 sources answered" in run.stderr

    marked = yaml.safe_load(catalogue.read_text(encoding="utf-8"))["sources"]
    assert {s["name"] for s in marked if s["verified"] is True} == {"arabic", "listing"}
    assert catalogue.read_text(encoding="utf-8").startswith("# test catalogue\n")

    table = raqib("--config", str(config), "check", "--sources", "--source", "arabic")
    assert table.returncode == 0, table.stderr
    assert table.stdout.splitlines()[-1].split()[:3] == ["arabic", "yes", "200"]
