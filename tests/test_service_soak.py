"""Soak: `raqib run` for about a minute and a half against 200 local feeds, faults mixed in.
Memory stays flat after warm-up, and each real incident arrives as exactly one e-mail."""

from __future__ import annotations

import os
import statistics
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.support.delivery import wait_until
from tests.support.feeds import INCIDENTS, MARKET_TEXT, Item, article_page, rss, seed_article
from tests.support.servers import Mailbox, Reply, Request, WebServer
from tests.support.service import RaqibProcess, sample
from tests.test_crawler_faults import HTML, RSS

SOAK_SECONDS = int(os.environ.get("RAQIB_SOAK_SECONDS", "75"))  # longer by hand: the same test
WARM_UP_SECONDS = 30  # the first passes, and the first incidents read through every code path
INTERVAL = 4
# Flat: the mean RSS of the daemon's process tree over the last 15 s exceeds that of the 15 s
# right after warm-up by no more than this (bytes), and by no more than 10%.
GROWTH_ALLOWED = 24 * 1024 * 1024

GENERAL = [
    "افتتاح معرض للكتاب في المدينة بمشاركة عشرات دور النشر",
    "ارتفاع أسعار الخضروات في الأسواق مع بداية الموسم",
    "المنتخب يستعد لمباراته الودية الأسبوع المقبل",
    "بلدية المدينة تطلق حملة لتنظيف الشواطئ",
    "توقعات بطقس معتدل خلال الأيام القادمة",
    "جامعة المدينة تعلن مواعيد التسجيل للفصل الجديد",
]


def tree_rss(pid: int) -> int:
    """Resident memory of a process and all its children (parser workers, embedded Redis)."""
    root = psutil.Process(pid)
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except psutil.NoSuchProcess:
            continue
    return total


def quiet_feed(web: WebServer, name: str, count: int = 10) -> bytes:
    items = [
        Item(f"{GENERAL[(i + len(name)) % len(GENERAL)]} ({name}-{i})", web.url(f"/n/{name}/{i}"),
             MARKET_TEXT)
        for i in range(count)
    ]  # fmt: skip
    return rss(items, title=f"مصدر {name}")


def with_etag(body: bytes, tag: str) -> Any:
    """A feed that answers If-None-Match with 304, as most servers do."""

    def answer(request: Request) -> Reply:
        if request.headers.get("if-none-match") == tag:
            return Reply(304)
        return Reply(200, body, {**RSS, "ETag": tag})

    return answer


def rotating(web: WebServer, name: str) -> Any:
    """New bytes on every fetch (a window moving over 20 items): read in full every time, and
    after the first rounds nothing in it is new."""
    calls = [0]
    lock = threading.Lock()

    def answer(request: Request) -> Reply:
        with lock:
            calls[0] += 1
            start = calls[0] % 10
        items = [
            Item(
                f"{GENERAL[i % len(GENERAL)]} ({name}-{i})", web.url(f"/n/{name}/{i}"), MARKET_TEXT
            )
            for i in range(start, start + 10)
        ]
        return Reply(200, rss(items, title=f"مصدر {name}"), RSS)

    return answer


@pytest.mark.slow
def test_soak_200_feeds_with_faults_memory_flat_and_nothing_lost(
    web: WebServer, make_config: Any, prefix: str, mailbox: Mailbox, tmp_path: Path
) -> None:
    sources: list[dict[str, Any]] = []

    def source(name: str, route: Any) -> None:
        web.routes[f"/f/{name}.xml"] = route
        sources.append({"name": name, "url": web.url(f"/f/{name}.xml"), "interval": INTERVAL})

    for n in range(80):
        source(f"etag{n}", with_etag(quiet_feed(web, f"etag{n}"), f'"v{n}"'))
    for n in range(74):
        source(f"plain{n}", Reply(200, quiet_feed(web, f"plain{n}"), RSS))
    for n in range(10):
        source(f"rotating{n}", rotating(web, f"rotating{n}"))
    for n in range(10):
        source(f"err{n}", Reply(500, b"internal error"))
    for n in range(6):
        source(f"hang{n}", Reply(hang=True))
    for n in range(4):
        source(f"notfeed{n}", Reply(200, b"<html><body><p>not a feed at all", HTML))
    for n in range(4):  # malformed XML: cut off in its last item, read in part every time
        whole = quiet_feed(web, f"cut{n}")
        source(f"cut{n}", Reply(200, whole[: whole.rindex(b"<item>") + 30], RSS))
    for n in range(6):
        source(f"busy{n}", Reply(429, b"slow down", {"Retry-After": "1"}))
    # Where the incidents will appear: quiet at first.
    carriers = [f"news{n}" for n in range(6)]
    bodies = {name: quiet_feed(web, name, 5) for name in carriers}
    for name in carriers:
        source(name, lambda request, name=name: Reply(200, bodies[name], RSS))
    assert len(sources) == 200

    # Five incidents of our own, ten days apart; the first is also syndicated by a second outlet.
    reports = [
        (*INCIDENTS[key], f"/a/{key}.html") for key in ("sabha", "ubari", "baniwalid", "jufra")
    ]
    reports.append((*seed_article(), "/a/qatrun.html"))
    incidents = []
    for k, (title, paragraphs, path) in enumerate(reports):
        web.routes[path] = Reply(200, article_page(title, paragraphs), HTML)
        published = datetime(2025, 1, 5, 9, tzinfo=UTC) + timedelta(days=10 * k)
        incidents.append(Item(title, web.url(path), paragraphs[0][:150], published=published))
    web.routes["/a/copy.html"] = Reply(200, article_page(*INCIDENTS["sabha"]), HTML)
    copy = Item(incidents[0].title, web.url("/a/copy.html"), incidents[0].summary,
                published=incidents[0].published)  # fmt: skip

    config = make_config(
        redis={"url": None, "prefix": prefix},  # its own embedded Redis: part of the tree measured
        subscriptions=[{"name": "desk", "email": ["desk@example.org"]}],
        alerts={"poll_seconds": 0.2},
        crawler={"download_timeout": 2, "retries": 1, "retry_backoff_seconds": 0.2,
                 "backoff_base_seconds": 1, "max_backoff_seconds": 8, "jitter_seconds": 2,
                 "concurrent_per_host": 32},
        sources=sources,
    )  # fmt: skip
    daemon = RaqibProcess(config, tmp_path / "soak.log", from_config=True)
    samples: list[tuple[float, int]] = []
    try:
        daemon.wait_ready()
        started = time.monotonic()
        schedule = {8: [0], 15: [1], 40: [2], 50: [3], 60: [4]}
        shown: dict[str, list[Item]] = {name: [] for name in carriers}
        while (elapsed := time.monotonic() - started) < SOAK_SECONDS:
            samples.append((elapsed, tree_rss(daemon.pid)))
            for at in [at for at in schedule if elapsed >= at]:
                for k in schedule.pop(at):
                    shown[carriers[k]].append(incidents[k])
                    if k == 0:
                        shown[carriers[5]].append(copy)
                for name, items in shown.items():
                    bodies[name] = rss([*items, *[Item(f"خبر {name}", web.url(f"/n/{name}/x"))]])
            assert daemon.process.poll() is None, daemon.tail()
            time.sleep(1)
        assert wait_until(lambda: len(mailbox.messages) >= len(incidents), 30), daemon.tail()
        time.sleep(3)  # a copy would arrive here
        status, body = daemon.health()
        metrics = daemon.metrics()
        parts = {" ".join(p.cmdline()[:3])[-30:]: p.memory_info().rss // 2**20
                 for p in [psutil.Process(daemon.pid), *psutil.Process(daemon.pid).children(True)]}  # fmt: skip
        assert daemon.stop() == 0, daemon.tail()
    finally:
        daemon.stop()

    # Nothing lost, nothing twice: one e-mail per incident, nothing waiting, nothing dead.
    subjects = [str(m["Subject"]) for m in mailbox.messages]
    assert len(subjects) == len(incidents), subjects
    assert len({str(m["X-Raqib-Incident"]) for m in mailbox.messages}) == len(incidents)
    for place in ("سبها", "أوباري", "بني وليد", "هون", "القطرون"):  # where each one happened
        assert sum(place in subject for subject in subjects) == 1, (place, subjects)
    assert status == 200, body
    assert body["checks"]["alerts_pending"]["pending"] == 0
    assert body["checks"]["dead_letters"]["total"] == 0
    # Every kind of fault happened, and was counted.
    fetched = {labels: value for (name, labels), value in metrics.items()
               if name == "raqib_fetches_total"}  # fmt: skip
    for status_label in ("200", "304", "500", "429", "timeout", "unreadable"):
        assert sample(metrics, "raqib_fetches_total", kind="feed", status=status_label) > 0, fetched
    assert sample(metrics, "raqib_incident_reports_total", kind="new") == len(incidents)
    total_fetches = sum(fetched.values())
    # Memory: flat after warm-up.
    early = [rss for at, rss in samples if WARM_UP_SECONDS <= at < WARM_UP_SECONDS + 15]
    late = [rss for at, rss in samples if at >= SOAK_SECONDS - 15]
    early_mb, late_mb = statistics.mean(early) / 2**20, statistics.mean(late) / 2**20
    trace = ", ".join(
        f"{at:.0f}s {rss / 2**20:.1f}" for at, rss in samples[:: max(5, len(samples) // 20)]
    )
    print(
        f"\nfetches: {total_fetches:.0f}; RSS (MB) of the process tree: {trace}; "
        f"after warm-up {early_mb:.1f} MB, at the end {late_mb:.1f} MB; by process (MB): {parts}"
    )
    growth = statistics.mean(late) - statistics.mean(early)
    assert growth <= GROWTH_ALLOWED and growth <= 0.10 * statistics.mean(early), (
        f"memory grew {growth / 2**20:.1f} MB after warm-up: {trace}"
    )
    if total_fetches < 1500:
        pytest.fail(f"only {total_fetches:.0f} fetches: the soak did not soak")
