"""Hostile feeds against the real daemon: nothing stalls, nothing grows without bound, no label lies.

Every server is real and on 127.0.0.1: the feeds' HTTP server, the SMTP server (aiosmtpd), the
daemon's own Redis. The hostile documents are the ones that stalled or broke Raqib before:
markup that made the tag-stripping regexes quadratic, a document feedparser reads for a minute,
a feed that gives its items new ids on every fetch, charset labels that name no charset.
"""

from __future__ import annotations

import json
import signal
import time
from pathlib import Path
from typing import Any

import psutil
import redis

from crawler.feeds.keys import FeedKeys
from crawler.feeds.state import entry_key
from tests.conftest import raqib
from tests.support.delivery import wait_until
from tests.support.feeds import INCIDENTS, MARKET_TEXT, MARKET_TITLE, Item, article_page, rss
from tests.support.servers import Mailbox, Reply, Request, WebServer
from tests.support.service import RaqibProcess
from tests.test_crawler_faults import RSS, alerts, health, serve_incident

SUBSCRIBERS = [{"name": "desk", "email": ["desk@example.org"]}]
FAST_ALERTS = {"poll_seconds": 0.1, "claim_idle_seconds": 1}


def quadratic_feed(unit: str, repeat: int = 131_072) -> bytes:
    """A feed whose one description is `unit` over and over (1–1.5 MB): before, the regexes that
    stripped tags took minutes of CPU on it."""
    return rss([Item(MARKET_TITLE, "http://example.org/a/1", unit * repeat)])


def slow_feed(megabytes: int) -> bytes:
    """Not well-formed (so feedparser reads it), and feedparser takes ~7 s a megabyte for it."""
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>أمن & دفاع</title>'.encode()
    return head + b"<x/>" * (megabytes * 250_000)


def test_a_hostile_feed_beside_a_good_one_stalls_nothing(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, mailbox: Mailbox,
    tmp_path: Path,
) -> None:  # fmt: skip
    web.routes["/script.xml"] = Reply(200, quadratic_feed("<script "), RSS)
    web.routes["/comment.xml"] = Reply(200, quadratic_feed("<!-- "), RSS)
    web.routes["/slow.xml"] = Reply(200, slow_feed(4), RSS)
    # The good feed answers last, so its document waits behind the hostile ones for the reader.
    sabha = serve_incident(web, "sabha", "/a/sabha.html")
    web.routes["/good.xml"] = Reply(200, rss([sabha]), RSS, delay=1.5)
    config = make_config(
        redis={"url": redis_url, "prefix": prefix}, subscriptions=SUBSCRIBERS, alerts=FAST_ALERTS,
        crawler={"parse_workers": 1, "parse_timeout_seconds": 3, "retries": 0},
        sources=[{"name": name, "url": web.url(f"/{name}.xml"), "interval": 600}
                 for name in ("script", "comment", "slow", "good")],
        shutdown_grace_seconds=5,
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "run.log")
    try:
        daemon.wait_ready()
        assert wait_until(lambda: web.hits("/good.xml"), 30), daemon.tail()
        served = web.hits("/good.xml")[0].at
        # The good feed's incident is e-mailed within seconds, whatever the others hold.
        messages = mailbox.wait_for(1, timeout=60)
        latency = time.time() - served
        assert len(messages) == 1, daemon.tail()
        plain = messages[0].get_body(("plain",))
        assert plain is not None and sabha.title in plain.get_content(), plain
        assert latency < 30, f"{latency:.1f}s from the good feed's answer to its e-mail"

        # The slow document was given up at its deadline, its worker replaced; the health says so.
        status, body = daemon.health()
        parsers = body["checks"]["parsers"]
        assert status == 200 and parsers["ok"], body
        assert parsers["timeouts"] == 1 and parsers["workers"] == 1, parsers
        assert parsers["last_failure"]["source"] == "slow", parsers
        assert "took longer than 3s" in parsers["last_failure"]["reason"], parsers

        listing = raqib("--config", str(config), "feeds", "--json")
        assert listing.returncode == 0, listing.stderr
        states = {s["name"]: s for s in map(json.loads, listing.stdout.splitlines())}
        slow = states["slow"]
        assert slow["failures"] == 1 and slow["items_seen"] == 0, slow
        assert "could not read the document: reading took longer than 3s" in slow["last_error"]
        assert "crawler.parse_timeout_seconds" in slow["last_error"]
        # The markup that used to take minutes is read at once, as the feed it is.
        for name in ("script", "comment", "good"):
            assert states[name]["last_success"] and not states[name]["last_error"], states[name]
            assert states[name]["items_seen"] == 1, states[name]
        table = raqib("--config", str(config), "feeds")
        slow_row = next(line for line in table.stdout.splitlines() if line.startswith("slow "))
        assert "took longer than 3s" in slow_row, table.stdout

        daemon.signal(signal.SIGTERM)
        signalled = time.monotonic()
        assert daemon.wait(5 + 15) == 0, daemon.tail()
        took = time.monotonic() - signalled
    finally:
        daemon.stop()
    print(f"good feed e-mailed {latency:.1f}s after it was served; stopped in {took:.1f}s")
    assert "gave up reading" in daemon.text()


def test_sigterm_exits_in_time_while_a_reader_is_stuck(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, tmp_path: Path
) -> None:
    web.routes["/slow.xml"] = Reply(200, slow_feed(8), RSS)  # a minute of feedparser
    grace = 2.0
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"parse_workers": 1, "parse_timeout_seconds": 600, "retries": 0,
                 "max_body_bytes": 16 * 1024 * 1024},
        sources=[{"name": "slow", "url": web.url("/slow.xml"), "interval": 600}],
        shutdown_grace_seconds=grace,
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "crawl.log", role="crawl")
    try:
        daemon.wait_ready()
        assert wait_until(lambda: web.hits("/slow.xml"), 30), daemon.tail()

        def reading() -> bool:
            check = daemon.health()[1]["checks"].get("parsers", {})
            return bool(check.get("busy") == 1 and check.get("longest_seconds", 0) >= 2)

        # /healthz shows the document in its worker (and, short of its deadline, no fault).
        stuck_seen = wait_until(reading, 20)
        during = daemon.health()[1]["checks"].get("parsers", {})
        workers = psutil.Process(daemon.pid).children(recursive=True)
        daemon.signal(signal.SIGTERM)
        signalled = time.monotonic()
        exit_code = daemon.wait(grace + 15)
        took = time.monotonic() - signalled
    finally:
        daemon.stop()
    assert exit_code == 0, daemon.tail()
    print(f"stopped {took:.1f}s after SIGTERM with the reader busy (grace {grace:.0f}s)")
    _, alive = psutil.wait_procs(workers, timeout=10)
    assert not alive, f"left behind: {alive}"
    assert stuck_seen and during["ok"] and during["deadline_seconds"] == 600, during
    assert "left unread, the reader stopped" in daemon.text(), daemon.tail()


def test_a_feed_that_rotates_its_ids_stays_within_its_bounds(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis,
    tmp_path: Path,
) -> None:  # fmt: skip
    fetches: list[float] = []

    def rotating(request: Request) -> Reply:
        # 300 items, every one with a new GUID and link on every fetch.
        fetches.append(request.at)
        n = len(fetches)
        items = [
            Item(f"{MARKET_TITLE} {i}", web.url(f"/a/{n}/{i}"), MARKET_TEXT, guid=f"{n}-{i}")
            for i in range(300)
        ]
        return Reply(200, rss(items), RSS)

    web.routes["/rotating.xml"] = rotating
    config = make_config(
        redis={"url": redis_url, "prefix": prefix},
        crawler={"max_entries_per_fetch": 50, "max_seen_ids": 200},
        sources=[{"name": "rotating", "url": web.url("/rotating.xml"), "interval": 1}],
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "crawl.log", role="crawl")
    seen_key = FeedKeys(prefix).seen("rotating")
    try:
        daemon.wait_ready()
        assert wait_until(lambda: health(redis_client, prefix, "rotating").fetches >= 6, 60), (
            daemon.tail()
        )
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()
    state = health(redis_client, prefix, "rotating")
    # Each fetch reads 50 entries (100 ids: GUID and link); the set keeps the newest 200.
    assert redis_client.zcard(seen_key) == 200
    assert state.items_seen == 50 * state.fetches
    assert state.entries_over_cap == 250
    assert state.seen_trimmed == 100 * state.fetches - 200
    # The newest are kept: the ids of the last fetch recorded are all there.
    last = state.fetches
    kept = set(redis_client.zrange(seen_key, 0, -1))
    for i in range(50):
        key = entry_key("rotating", f"{last}-{i}", web.url(f"/a/{last}/{i}"))
        assert set(key.partition("|")[0].split(",")) <= kept, i
    table = raqib("--config", str(config), "feeds")
    assert table.returncode == 0, table.stderr
    row = next(line for line in table.stdout.splitlines() if line.startswith("rotating "))
    assert "250 entries not read, past max_entries_per_fetch (50)" in row, row
    assert f"{state.seen_trimmed} oldest seen ids trimmed (max_seen_ids 200)" in row, row


def test_charset_labels_that_name_no_charset_are_ignored(
    web: WebServer, make_config: Any, redis_url: str, prefix: str, redis_client: redis.Redis
) -> None:
    # Codecs Python knows that are no text charset: each once, in the header and the document.
    labels = ["undefined", "rot13", "base64", "zlib", "hex", "uu", "bz2", "quopri", "idna"]
    sources, encodings = [], {}
    for n, label in enumerate(labels):
        title, paragraphs = list(INCIDENTS.values())[n % len(INCIDENTS)]
        encoding = "utf-8" if n % 2 else "windows-1256"  # what the bytes really are
        item = Item(f"{title} ({n})", web.url(f"/a/{n}.html"), paragraphs[0], guid=f"g{n}")
        feed = rss([item], encoding=encoding).replace(
            f'encoding="{encoding}"'.encode(), f'encoding="{label}"'.encode()
        )
        web.routes[f"/{n}.xml"] = Reply(
            200, feed, {"Content-Type": f"application/rss+xml; charset={label}"}
        )
        page = article_page(item.title, paragraphs, charset=encoding)
        web.routes[f"/a/{n}.html"] = Reply(
            200, page.replace(encoding.encode(), label.encode()),
            {"Content-Type": f"text/html; charset={label}"},
        )  # fmt: skip
        name = f"label-{label}"
        sources.append({"name": name, "url": web.url(f"/{n}.xml"), "interval": 60})
        encodings[name] = "utf-8" if encoding == "utf-8" else "cp1256"
    config = make_config(redis={"url": redis_url, "prefix": prefix}, sources=sources)

    # `raqib check --sources` reads each as the Arabic it is.
    probe = raqib("--config", str(config), "check", "--sources", "--json", timeout=120)
    assert probe.returncode == 0, probe.stdout + probe.stderr[-3000:]
    lines = probe.stdout.splitlines()[-len(sources) :]  # after the config check's own lines
    results = {r["name"]: r for r in map(json.loads, lines)}
    for name, encoding in encodings.items():
        result = results[name]
        assert result["ok"] and result["entries"] == 1, result
        assert result["encoding"] == encoding and result["arabic_share"] > 0.9, result

    # And the crawl reads every feed and its article, and reports each incident.
    run = raqib("--config", str(config), "crawl", "--once", timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    for name in encodings:
        state = health(redis_client, prefix, name)
        assert not state.last_error and state.items_seen == 1, (name, state)
        assert not state.article_failures, (name, state.last_warning)
    assert alerts(redis_client, prefix), run.stderr[-3000:]
    assert "UnicodeError" not in run.stderr and "Traceback" not in run.stderr, run.stderr[-3000:]


def test_a_size_limit_of_zero_is_refused(make_config: Any, tmp_path: Path) -> None:
    config = make_config(crawler={"max_body_bytes": 0})
    check = raqib("--config", str(config), "check")
    assert check.returncode == 2, check.stdout + check.stderr
    lines = config.read_text().splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "max_body_bytes" in text)
    assert f"{config}:{line}: crawler.max_body_bytes:" in check.stderr, check.stderr
    assert "must be more than 0" in check.stderr and "gzip bombs" in check.stderr
    # The environment cannot switch it off either.
    env = {"RAQIB_CRAWLER__MAX_BODY_BYTES": "0"}
    check = raqib("--config", str(make_config()), "check", env=env)
    assert check.returncode == 2 and "crawler.max_body_bytes" in check.stderr, check.stderr
