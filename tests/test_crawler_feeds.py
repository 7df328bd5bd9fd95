"""Conditional GET, entries that come back, and listing pages: each entry is read once, a 304 costs nothing."""

from __future__ import annotations

from typing import Any

import redis

from crawler.feeds.keys import FeedKeys
from tests.conftest import raqib
from tests.support.feeds import INCIDENTS, MARKET_TEXT, MARKET_TITLE, Item, article_page, rss
from tests.support.servers import Reply, Request, WebServer
from tests.test_crawler_faults import HTML, RSS, alerts, health, serve_incident


def crawl_once(config: Any) -> None:
    run = raqib("--config", str(config), "crawl", "--once", timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]


def one_source(make_config: Any, redis_url: str, prefix: str, **source: Any) -> Any:
    return make_config(
        redis={"url": redis_url, "prefix": prefix},
        sources=[{"name": "wasat", "interval": 60, **source}],
    )


def forget_seen(client: redis.Redis, prefix: str, source: str) -> None:
    """Wipe a source's seen-set, so only the validators can keep a run from reading entries."""
    client.delete(FeedKeys(prefix).seen(source))


def test_304_and_an_unchanged_body_cost_no_parsing(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    body = rss(
        [
            serve_incident(web, "sabha", "/a/sabha.html"),
            Item(MARKET_TITLE, web.url("/a/m.html"), MARKET_TEXT),
        ]
    )
    validators = {"ETag": '"v1"', "Last-Modified": "Sat, 01 Mar 2025 10:00:00 GMT"}
    honour = [True]

    def feed(request: Request) -> Reply:
        if honour[0] and request.headers.get("if-none-match") == '"v1"':
            return Reply(304, b"", validators)
        return Reply(200, body, {**RSS, **validators} if honour[0] else RSS)

    web.routes["/feed.xml"] = feed
    config = one_source(make_config, redis_url, prefix, url=web.url("/feed.xml"))

    crawl_once(config)
    first = health(redis_client, prefix, "wasat")
    assert (first.items_seen, first.etag, first.last_status) == (2, '"v1"', 200)
    assert len(alerts(redis_client, prefix)) == 1
    assert "if-none-match" not in web.hits("/feed.xml")[0].headers

    # With the seen-set gone, only the 304 stops the entries from being read again.
    forget_seen(redis_client, prefix, "wasat")
    crawl_once(config)
    second = health(redis_client, prefix, "wasat")
    request = web.hits("/feed.xml")[1]
    assert request.headers["if-none-match"] == '"v1"'
    assert request.headers["if-modified-since"] == validators["Last-Modified"]
    assert (second.last_status, second.not_modified, second.fetches) == (304, 1, 2)
    assert second.items_seen == 2 and len(alerts(redis_client, prefix)) == 1
    assert len(web.hits("/a/sabha.html")) == 1

    # A server that ignores validators but sends the same bytes: still nothing parsed.
    honour[0] = False
    crawl_once(config)
    third = health(redis_client, prefix, "wasat")
    assert (third.last_status, third.items_seen, third.fetches) == (200, 2, 3)
    assert len(alerts(redis_client, prefix)) == 1

    # New bytes are read (the market item too: its seen record was wiped above).
    body = rss(
        [
            serve_incident(web, "jufra", "/a/jufra.html"),
            Item(MARKET_TITLE, web.url("/a/m.html"), MARKET_TEXT),
        ]
    )
    crawl_once(config)
    assert health(redis_client, prefix, "wasat").items_seen == 4
    assert len(web.hits("/a/jufra.html")) == 1
    assert len(alerts(redis_client, prefix)) == 2


def test_entries_that_come_back_are_not_read_again(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    sabha = serve_incident(web, "sabha", "/a/sabha.html")
    sabha.guid = "wasat-101"
    ubari = serve_incident(web, "ubari", "/a/ubari.html")
    ubari.guid = "wasat-102"
    market = Item(MARKET_TITLE, web.url("/a/market.html"), MARKET_TEXT, guid="wasat-103")
    jufra = serve_incident(web, "jufra", "/a/jufra.html")
    jufra.guid = "wasat-104"
    config = one_source(make_config, redis_url, prefix, url=web.url("/feed.xml"))

    def serve(*items: Item) -> None:
        web.routes["/feed.xml"] = Reply(200, rss(list(items)), RSS)

    serve(sabha, market, ubari)
    crawl_once(config)
    assert health(redis_client, prefix, "wasat").items_seen == 3
    assert len(alerts(redis_client, prefix)) == 2

    serve(jufra, market)  # two items drop out, one is new
    crawl_once(config)
    assert health(redis_client, prefix, "wasat").items_seen == 4
    assert len(alerts(redis_client, prefix)) == 3

    # They come back: one with a new GUID and tracking on its link, one with a new link, same GUID.
    sabha_again = Item(
        sabha.title,
        sabha.link + "?utm_source=rss&utm_medium=feed",
        sabha.summary,
        guid="wasat-101-v2",
    )
    ubari_again = Item(
        ubari.title, web.url("/a/ubari-updated.html"), ubari.summary, guid="wasat-102"
    )
    web.routes["/a/ubari-updated.html"] = web.routes["/a/ubari.html"]
    serve(sabha_again, ubari_again, jufra, market)
    crawl_once(config)
    state = health(redis_client, prefix, "wasat")
    assert state.items_seen == 4 and state.fetches == 3
    assert len(alerts(redis_client, prefix)) == 3
    for path in ("/a/sabha.html", "/a/ubari.html", "/a/jufra.html"):
        assert len(web.hits(path)) == 1, path
    assert not web.hits("/a/ubari-updated.html")


def test_a_listing_page_is_a_source(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    title, paragraphs = INCIDENTS["baniwalid"]
    web.routes["/a/baniwalid.html"] = Reply(200, article_page(title, paragraphs), HTML)
    web.routes["/a/market.html"] = Reply(200, article_page(MARKET_TITLE, [MARKET_TEXT]), HTML)
    listing = f"""<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"></head><body>
      <nav><a href="/sport">رياضة</a> <a href="/economy">اقتصاد</a></nav>
      <section class="latest">
        <div class="card"><a class="headline" href="/a/baniwalid.html">{title}</a><p>{paragraphs[0]}</p></div>
        <div class="card"><a class="headline" href="/a/market.html?utm_source=home">{MARKET_TITLE}</a></div>
      </section></body></html>""".encode()
    web.routes["/news/"] = Reply(200, listing, {**HTML, "ETag": '"list-1"'})
    config = one_source(
        make_config, redis_url, prefix, url=web.url("/news/"), kind="page",
        selectors={"links": "section.latest div.card", "title": "a.headline", "summary": "p"},
    )  # fmt: skip
    crawl_once(config)
    state = health(redis_client, prefix, "wasat")
    assert state.items_seen == 2 and not state.last_error and not state.last_warning
    (alert,) = alerts(redis_client, prefix)
    assert alert.title == title and "بني وليد" in {p.name for p in alert.places}
    assert len(web.hits("/a/baniwalid.html")) == 1
    assert not web.hits("/sport")

    crawl_once(config)  # the listing answers 200 again without If-None-Match support: same bytes
    assert health(redis_client, prefix, "wasat").items_seen == 2
    assert web.hits("/news/")[1].headers.get("if-none-match") == '"list-1"'
