"""The network guard on loopback only: a feed host trusted by host:port, links into other ports refused.

All traffic stays on 127.0.0.1. With `allow_private_networks: false`, the feed server's own
"127.0.0.1:<port>" is listed in `allow_private_hosts` (as a user lists an RSS bridge on
localhost); a second server on another port stands for the private network a feed must not
lead the crawler into. It must get no request at all, whichever way a link tries to reach it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from itertools import pairwise
from typing import Any

import pytest
import redis

from tests.conftest import ROOT, raqib
from tests.support.feeds import INCIDENTS, Item, rss
from tests.support.servers import Reply, WebServer
from tests.test_crawler_faults import HTML, RSS, alerts, health


@pytest.fixture
def inside() -> Iterator[WebServer]:
    server = WebServer()
    server.routes["/secret"] = Reply(200, b"internal admin page")
    yield server
    server.close()


def test_links_into_private_addresses_are_refused(
    web: WebServer, inside: WebServer, make_config: Any, redis_url: str, prefix: str,
    redis_client: redis.Redis,
) -> None:  # fmt: skip
    title, paragraphs = INCIDENTS["jufra"]
    text = paragraphs[0]
    web.routes["/redirect"] = Reply(302, b"", {"Location": inside.url("/secret")})
    items = [
        Item(title, inside.url("/secret"), text, guid="by-address"),
        Item(title + " (2)", f"http://localhost:{inside.port}/secret", text, guid="by-name"),
        Item(title + " (3)", web.url("/redirect"), text, guid="by-redirect"),
        Item(title + " (4)", "file:///etc/passwd", text, guid="by-scheme"),
    ]
    web.routes["/feed.xml"] = Reply(200, rss(items), RSS)
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"allow_private_networks": False, "allow_private_hosts": [f"127.0.0.1:{web.port}"],
                 "retries": 0},
        sources=[
            {"name": "trusted", "url": web.url("/feed.xml"), "interval": 60},
            {"name": "inside", "url": inside.url("/feed.xml"), "interval": 60},
        ],
    )  # fmt: skip
    run = raqib("--config", str(config), "crawl", "--once", timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]

    assert inside.requests == [], [r.path for r in inside.requests]
    assert len(web.hits("/redirect")) == 1  # followed to the trusted host, refused beyond it

    trusted = health(redis_client, prefix, "trusted")
    assert trusted.items_seen == 4 and not trusted.last_error
    assert trusted.article_failures == 4
    assert "refused" in trusted.last_warning or "not http(s)" in trusted.last_warning
    assert "private" in run.stderr and "127.0.0.1" in run.stderr
    # Refused pages fall back to the feed's own text: the incident is still reported.
    assert any(a.title.startswith(title) for a in alerts(redis_client, prefix))

    blocked = health(redis_client, prefix, "inside")
    assert "private, loopback or link-local" in blocked.last_error
    assert blocked.items_seen == 0 and blocked.failures == 1


def test_politeness_robots_txt_delay_and_headers(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    web.routes["/robots.txt"] = Reply(
        200,
        b"User-agent: *\nDisallow: /private/\nDisallow: /members/\n",
        {"Content-Type": "text/plain"},
    )
    items = []
    for number, key in enumerate(("sabha", "ubari", "jufra")):
        title, paragraphs = INCIDENTS[key]
        path = f"/news/{number}.html" if number else "/members/0.html"
        web.routes[path] = Reply(
            200, f"<html><body><p>{paragraphs[0]}</p></body></html>".encode(), HTML
        )
        items.append(Item(title, web.url(path), paragraphs[0], guid=key))
    web.routes["/feed.xml"] = Reply(200, rss(items), RSS)
    web.routes["/private/feed.xml"] = Reply(200, rss(items), RSS)
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"obey_robots_txt": True, "download_delay": 0.4},
        sources=[
            {"name": "open", "url": web.url("/feed.xml"), "interval": 60},
            {"name": "closed", "url": web.url("/private/feed.xml"), "interval": 60},
        ],
    )
    run = raqib("--config", str(config), "crawl", "--once", timeout=60)
    assert run.returncode == 0, run.stderr[-3000:]

    assert len(web.hits("/robots.txt")) == 1, "robots.txt is read once per host"
    assert not web.hits("/private/feed.xml") and not web.hits("/members/0.html")
    closed = health(redis_client, prefix, "closed")
    assert "robots.txt" in closed.last_error and closed.items_seen == 0
    opened = health(redis_client, prefix, "open")
    assert opened.items_seen == 3 and "robots.txt" in opened.last_warning
    # The article robots.txt keeps us from is still judged on the feed's own text.
    assert len(alerts(redis_client, prefix)) == 3

    # One host, one request at a time, DOWNLOAD_DELAY (±50%) apart.
    times = sorted(r.at for r in web.requests)
    assert len(times) == 4  # robots.txt, the feed, two articles
    assert all(b - a >= 0.4 * 0.5 - 0.02 for a, b in pairwise(times)), times
    feed = web.hits("/feed.xml")[0].headers
    assert feed["user-agent"].startswith("Raqib/") and feed["accept-language"].startswith("ar")
    assert "referer" not in web.hits("/news/1.html")[0].headers


# Run in a subprocess: the name resolves to a public address when the guard middleware asks, and
# to 127.0.0.1 when the connection is made (DNS rebinding); only the resolver can catch that.
REBINDING = """
import sys
import crawler.fetch.middlewares
from crawler.app.cli import main

async def public(host):
    return ["8.8.8.8"]

crawler.fetch.middlewares.resolve = public
main(sys.argv[1:])
"""


def test_a_name_that_turns_private_is_refused_when_connecting(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    web.routes["/feed.xml"] = Reply(200, rss([Item("خبر", web.url("/a/1"), "نص")]), RSS)
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"allow_private_networks": False},
        sources=[
            {"name": "rebound", "url": f"http://localhost:{web.port}/feed.xml", "interval": 60}
        ],
    )
    run = subprocess.run(
        [sys.executable, "-c", REBINDING, "--config", str(config), "crawl", "--once"],
        capture_output=True, text=True, timeout=60, cwd=ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    assert web.requests == []
    state = health(redis_client, prefix, "rebound")
    assert "refused a connection to localhost" in state.last_error, state.last_error
    assert "private, loopback or link-local address (127.0.0.1)" in state.last_error


# IPv6 spellings of 127.0.0.1 (the second server's address): each leads there, or would through
# a translator or tunnel, so the guard judges the IPv4 address inside.
IPV4_INSIDE_IPV6 = {
    "mapped": "::ffff:127.0.0.1",
    "compatible": "::7f00:1",
    "translated": "::ffff:0:7f00:1",
    "nat64": "64:ff9b::7f00:1",
    "nat64-local": "64:ff9b:1::7f00:1",
    "6to4": "2002:7f00:1::",
    "teredo": "2001:0:4136:e378:8000:63bf:80ff:fffe",  # its client: 127.0.0.1
}


def test_ipv4_addresses_inside_ipv6_ones_are_judged_as_ipv4(
    web: WebServer, inside: WebServer, make_config: Any, redis_url: str, prefix: str,
    redis_client: redis.Redis,
) -> None:  # fmt: skip
    title, paragraphs = INCIDENTS["sabha"]
    items = [
        Item(f"{title} ({form})", f"http://[{address}]:{inside.port}/secret", paragraphs[0],
             guid=form)
        for form, address in IPV4_INSIDE_IPV6.items()
    ]  # fmt: skip
    web.routes["/feed.xml"] = Reply(200, rss(items), RSS)
    sources = [{"name": "trusted", "url": web.url("/feed.xml"), "interval": 60}]
    sources += [
        {"name": form, "url": f"http://[{address}]:{inside.port}/feed.xml", "interval": 60}
        for form, address in IPV4_INSIDE_IPV6.items()
    ]
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"allow_private_networks": False, "allow_private_hosts": [f"127.0.0.1:{web.port}"],
                 "retries": 0, "download_timeout": 3},
        sources=sources,
    )  # fmt: skip
    run = raqib("--config", str(config), "crawl", "--once", timeout=90)
    assert run.returncode == 0, run.stderr[-3000:]

    assert inside.requests == [], [r.path for r in inside.requests]
    for form, address in IPV4_INSIDE_IPV6.items():
        state = health(redis_client, prefix, form)
        assert state.failures == 1 and state.items_seen == 0, (form, state.last_error)
        # Refused by the guard before any connection, not failed while connecting.
        assert f"refused http://[{address}]:{inside.port}/feed.xml" in state.last_error, (
            form, state.last_error,
        )  # fmt: skip
        assert "private, loopback or link-local" in state.last_error, (form, state.last_error)
        link = f"http://[{address}]:{inside.port}/secret"
        assert f"refused {link}: " in run.stderr, (form, run.stderr[-3000:])
    trusted = health(redis_client, prefix, "trusted")
    assert trusted.items_seen == len(IPV4_INSIDE_IPV6)
    assert trusted.article_failures == len(IPV4_INSIDE_IPV6)
