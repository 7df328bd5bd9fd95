"""The network guard on loopback only: a feed host trusted by host:port, links into other ports refused.

All traffic stays on 127.0.0.1. With `allow_private_networks: false`, the feed server's own
"127.0.0.1:<port>" is listed in `allow_private_hosts` (as a user lists an RSS bridge on
localhost); a second server on another port stands for the private network a feed must not
lead the crawler into. It must get no request at all, whichever way a link tries to reach it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis

from tests.conftest import raqib
from tests.feeds import INCIDENTS, Item, rss
from tests.servers import Reply, WebServer
from tests.test_crawler_faults import RSS, alerts, health


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
