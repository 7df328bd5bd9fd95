"""One crawl over every kind of broken source: the good ones are read, each fault lands in the health."""

from __future__ import annotations

import gzip
import time
from itertools import pairwise
from typing import Any

import redis

from alerts.message import Alert
from alerts.spine.keyspace import Keyspace
from crawler.feeds.state import FeedState, FeedStore
from tests.conftest import raqib
from tests.support.feeds import (
    INCIDENTS,
    MARKET_TEXT,
    MARKET_TITLE,
    SPORT_TEXT,
    SPORT_TITLE,
    Item,
    article_page,
    rss,
)  # fmt: skip
from tests.support.servers import Reply, Request, WebServer

HTML = {"Content-Type": "text/html; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}


def serve_incident(web: WebServer, key: str, path: str) -> Item:
    """An article page for one of our incident reports, and the feed item pointing at it."""
    title, paragraphs = INCIDENTS[key]
    web.routes[path] = Reply(200, article_page(title, paragraphs), HTML)
    return Item(title, web.url(path), summary=paragraphs[0][:120])


def alerts(client: redis.Redis, prefix: str) -> list[Alert]:
    return [Alert.from_fields(f) for _, f in client.xrange(Keyspace(prefix).matches)]


def health(client: redis.Redis, prefix: str, name: str) -> FeedState:
    return FeedStore(client, Keyspace(prefix)).state(name)


def serve_faults(web: WebServer) -> dict[str, str]:
    """Every fault the crawler must survive, each as a source; returns name -> feed URL."""
    sources: dict[str, str] = {}

    # A healthy feed with an incident, and a sports item beside it.
    web.routes["/good.xml"] = Reply(
        200, rss([serve_incident(web, "sabha", "/a/sabha.html"), Item(SPORT_TITLE, web.url("/a/sport.html"), SPORT_TEXT[0])]), RSS
    )  # fmt: skip
    sources["good"] = "/good.xml"

    # Feed and article in windows-1256, both claiming to be UTF-8 (header and document).
    title, paragraphs = INCIDENTS["ubari"]
    feed = rss(
        [Item(title, web.url("/a/ubari.html"), paragraphs[0][:100])], encoding="windows-1256"
    )
    web.routes["/cp1256.xml"] = Reply(
        200, feed.replace(b'encoding="windows-1256"', b'encoding="utf-8"'), RSS
    )
    page = article_page(title, paragraphs, charset="windows-1256").replace(
        b"windows-1256", b"utf-8"
    )
    web.routes["/a/ubari.html"] = Reply(200, page, HTML)
    sources["cp1256"] = "/cp1256.xml"

    # An unescaped & in a title: not XML, but still a feed to read.
    item = serve_incident(web, "baniwalid", "/a/baniwalid.html")
    item.title = "أمن & دفاع: " + item.title
    web.routes["/amp.xml"] = Reply(200, rss([item]).replace(b"&amp;", b"&"), RSS)
    sources["amp"] = "/amp.xml"

    # A document cut off in its third item: the two whole items are read.
    cut = rss(
        [Item(f"{MARKET_TITLE} {n}", web.url(f"/a/m{n}.html"), MARKET_TEXT) for n in range(3)]
    )
    web.routes["/cut.xml"] = Reply(200, cut[: cut.rindex(b"<item>") + 40], RSS)
    sources["truncated"] = "/cut.xml"

    # 20 MB with no Content-Length: the limit must cut the download, not the memory.
    web.routes["/huge.xml"] = Reply(200, b"<rss>" + b" " * (20 * 1024 * 1024), RSS, unsized=True)
    sources["huge"] = "/huge.xml"

    # 64 MB of zeros gzipped to 64 KB.
    bomb = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
    web.routes["/bomb.xml"] = Reply(200, bomb, {**RSS, "Content-Encoding": "gzip"})
    sources["bomb"] = "/bomb.xml"

    web.routes["/loop/a"] = Reply(302, b"", {"Location": web.url("/loop/b")})
    web.routes["/loop/b"] = Reply(302, b"", {"Location": web.url("/loop/a")})
    sources["loop"] = "/loop/a"

    web.routes["/500.xml"] = Reply(500, b"internal error")
    sources["err500"] = "/500.xml"

    web.routes["/hang.xml"] = Reply(hang=True)
    sources["hang"] = "/hang.xml"

    web.routes["/429.xml"] = Reply(429, b"slow down", {"Retry-After": "3600"})
    sources["limited"] = "/429.xml"

    # A short Retry-After is waited for within the crawl, then the feed answers.
    answered: list[float] = []

    def brief(request: Request) -> Reply:
        answered.append(request.at)
        if len(answered) == 1:
            return Reply(429, b"one moment", {"Retry-After": "1"})
        return Reply(200, rss([Item(MARKET_TITLE, web.url("/a/market.html"), MARKET_TEXT)]), RSS)

    web.routes["/brief.xml"] = brief
    sources["brief429"] = "/brief.xml"
    return {name: web.url(path) for name, path in sources.items()}


def fault_config(
    make_config: Any, redis_url: str, prefix: str, urls: dict[str, str], **crawler: Any
) -> Any:
    return make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"download_timeout": 1.5, "retries": 2, "retry_backoff_seconds": 0.2,
                 "backoff_base_seconds": 1, **crawler},
        sources=[{"name": name, "url": url, "interval": 60} for name, url in urls.items()],
    )  # fmt: skip


def test_every_fault_is_survived_and_recorded(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    urls = serve_faults(web)
    config = fault_config(make_config, redis_url, prefix, urls)
    started = time.time()
    run = raqib("--config", str(config), "crawl", "--once", timeout=90)
    assert run.returncode == 0, run.stderr[-3000:]

    def state(name: str) -> FeedState:
        return health(redis_client, prefix, name)

    # The readable sources were read, their incidents published, in correct Arabic.
    published = {a.title: a for a in alerts(redis_client, prefix)}
    for key in ("sabha", "ubari", "baniwalid"):
        assert any(INCIDENTS[key][0] in title for title in published), (key, list(published))
    ubari = next(a for t, a in published.items() if INCIDENTS["ubari"][0] in t)
    assert "ثلاثة جنود" in ubari.summary + ubari.title or ubari.places
    assert all("Ø" not in a.title and "\ufffd" not in a.title for a in published.values())
    assert state("good").items_seen == 2 and state("good").last_status == 200
    # Read in the same crawl as the source that never answers, and not held back by it.
    assert state("good").last_duration < 1.5 <= state("hang").last_duration
    assert state("cp1256").items_seen == 1
    assert state("amp").items_seen == 1 and "not well-formed" in state("amp").last_warning
    assert (
        state("truncated").items_seen == 2 and "not well-formed" in state("truncated").last_warning
    )
    assert not state("truncated").etag and not state("truncated").body_sha1, (
        "a partial read is no validator"
    )
    assert state("brief429").items_seen == 1 and state("brief429").failures == 0
    assert len(web.hits("/brief.xml")) == 2

    # Each fault is recorded on its own source, which rests; nothing else is touched.
    expected_errors = {
        "huge": "size limit",
        "bomb": "exceeded DOWNLOAD_MAXSIZE (8388608 B) during decompression",
        "loop": "max redirections",
        "err500": "HTTP 500",
        "hang": "Timeout",
        "limited": "HTTP 429",
    }
    for name, words in expected_errors.items():
        failed = state(name)
        assert words.lower() in failed.last_error.lower(), (name, failed.last_error)
        assert failed.failures == 1 and failed.backoff_until > started, name
        assert failed.items_seen == 0
    for name in set(urls) - set(expected_errors):
        assert not state(name).last_error, (name, state(name).last_error)

    # Retries: 500s are tried three times, spaced out; a long Retry-After is not retried but rested.
    tries = [r.at for r in web.hits("/500.xml")]
    assert len(tries) == 3
    assert all(later - earlier >= 0.15 for earlier, later in pairwise(tries))
    assert len(web.hits("/429.xml")) == 1
    assert state("limited").backoff_until - started >= 3500
    assert len(web.hits("/loop/a")) + len(web.hits("/loop/b")) <= 7

    # `raqib feeds` shows it to a person.
    table = raqib("--config", str(config), "feeds")
    assert table.returncode == 0, table.stderr
    lines = {line.split()[0]: line for line in table.stdout.splitlines()[1:]}
    assert "HTTP 429" in lines["limited"] and "(1 failure)" in lines["limited"]
    assert "never" in lines["hang"] and "Timeout" in lines["hang"]
    assert lines["good"].split()[1:3] != ["never"]
