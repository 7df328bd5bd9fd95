"""Thousands of local feeds from one asyncio HTTP server in a process of its own, and a webhook.

The farm serves `feeds` small RSS feeds (ETag and 304 like most servers), a few of which carry
one ISIS incident in Libya each (our own sentences, a different town each), the incidents'
article pages, and a webhook (`POST /hook`) that records each delivery's Idempotency-Key. It
logs when each feed was fetched; `log()` returns that, so a test can count fetches per feed and
deliveries per incident. The scale tests and `benchmarks/bench_scale.py` use it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import multiprocessing
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from typing import Any

# Our own reports: towns far enough apart that each is an incident of its own.
TOWNS = [
    "سبها", "أوباري", "القطرون", "مرزق", "غات", "الكفرة", "درنة", "سرت", "بني وليد", "هون",
    "أجدابيا", "طبرق", "مصراتة", "غريان", "نالوت", "صبراتة", "البيضاء", "زليتن", "تراغن", "الشويرف",
]  # fmt: skip
REPORTS = [
    ("مسلحون من تنظيم داعش يهاجمون بوابة أمنية قرب {town}",
     "قال مصدر أمني إن عناصر من تنظيم داعش هاجموا بوابة أمنية قرب {town} فجر اليوم، ما أدى إلى "
     "مقتل {count} من الحراس. وانسحب المهاجمون نحو الصحراء."),
    ("داعش يتبنى تفجير عبوة ناسفة استهدفت دورية في {town}",
     "أعلن تنظيم داعش مسؤوليته عن تفجير عبوة ناسفة استهدفت دورية عسكرية في {town} أمس، وأسفر "
     "الانفجار عن مقتل {count} جنود. وقالت مصادر عسكرية إن الدورية كانت تؤمن الطريق."),
]  # fmt: skip
COUNTS = ["اثنين", "ثلاثة", "أربعة"]
QUIET = [
    "بلدية المدينة تطلق حملة لصيانة الطرق الداخلية",
    "ارتفاع أسعار الخضروات في الأسواق مع بداية الموسم",
    "جامعة المدينة تعلن مواعيد التسجيل للفصل الجديد",
    "توقعات بطقس معتدل خلال الأيام القادمة",
]
QUIET_TEXT = "وقال مسؤول في البلدية إن الأعمال تستمر حتى نهاية الشهر وتشمل الأحياء كلها."
MAX_INCIDENTS = len(TOWNS)


@dataclass(frozen=True)
class Incident:
    feed: int
    town: str
    title: str
    text: str
    published: datetime


def incidents(count: int, feeds: int) -> list[Incident]:
    """`count` incidents, each in its own feed spread over the farm, a week apart."""
    if count > MAX_INCIDENTS:
        raise ValueError(f"at most {MAX_INCIDENTS} incidents")
    step = max(1, feeds // max(count, 1))
    found = []
    for k in range(count):
        title, text = REPORTS[k % len(REPORTS)]
        town = TOWNS[k]
        found.append(Incident(
            feed=(k * step + 7) % feeds, town=town, title=title.format(town=town),
            text=text.format(town=town, count=COUNTS[k % len(COUNTS)]),
            published=datetime(2026, 1, 5, 8, 0, tzinfo=UTC) + timedelta(days=7 * k),
        ))  # fmt: skip
    return found


def _feed(base: str, number: int, items: int, incident: Incident | None) -> bytes:
    entries = []
    stamp = datetime(2026, 1, 1, 6, 0, tzinfo=UTC)
    for i in range(items):
        title = f"{QUIET[(number + i) % len(QUIET)]} ({number}-{i})"
        entries.append((title, f"{base}/n/{number}/{i}", QUIET_TEXT, stamp + timedelta(hours=i)))
    if incident is not None:
        entries.append((incident.title, f"{base}/news/{number}.html", incident.text,
                        incident.published))  # fmt: skip
    xml = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<pubDate>{format_datetime(when)}</pubDate><description>{escape(text)}</description></item>"
        for title, link, text, when in entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
        f"<title>مصدر {number}</title><link>{base}/</link><description>أخبار</description>"
        f"{xml}</channel></rss>"
    ).encode()


def _article(incident: Incident) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>'
        f"{escape(incident.title)}</title></head><body><article><h1>{escape(incident.title)}</h1>"
        f"<p>{escape(incident.text)}</p><p>وأعلنت القيادة العامة رفع حالة التأهب في المنطقة.</p>"
        f"</article></body></html>"
    ).encode()


def _serve(port_out: Any, feeds: int, items: int, incident_count: int, hook_delay: float) -> None:
    asyncio.run(_main(port_out, feeds, items, incident_count, hook_delay))


async def _main(
    port_out: Any, feeds: int, items: int, incident_count: int, hook_delay: float
) -> None:
    documents: dict[str, tuple[bytes, str, str]] = {}
    fetches: dict[int, list[float]] = {}  # feed number -> when each fetch was answered
    agents: dict[int, list[str]] = {}  # feed number -> the User-Agent of each fetch
    hooks: list[dict[str, Any]] = []
    articles: list[float] = []

    def reply(status: str, body: bytes, headers: dict[str, str]) -> bytes:
        head = [f"HTTP/1.1 {status}", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method, path = lines[0].split(" ")[:2]
                headers = {
                    k.strip().lower(): v.strip()
                    for k, _, v in (line.partition(":") for line in lines[1:] if line)
                }
                body = b""
                if "content-length" in headers:
                    body = await reader.readexactly(int(headers["content-length"]))
                if method == "POST" and path == "/hook":
                    if hook_delay:
                        await asyncio.sleep(hook_delay)
                    sent = json.loads(body).get("raqib", {}).get("alerts", [])
                    hooks.append({
                        "key": headers.get("idempotency-key", ""), "at": time.time(),
                        "incidents": [f"{a['incident_id']}/r{a['revision']}" for a in sent],
                    })  # fmt: skip
                    writer.write(reply("200 OK", b"ok", {}))
                elif path == "/__log":
                    log = {
                        "fetches": fetches,
                        "agents": agents,
                        "hooks": hooks,
                        "articles": len(articles),
                    }
                    writer.write(reply("200 OK", json.dumps(log).encode(), {}))
                elif path in documents:
                    content, etag, kind = documents[path]
                    if path.startswith("/feeds/"):
                        fetches.setdefault(int(path[7:-4]), []).append(time.time())
                        agents.setdefault(int(path[7:-4]), []).append(headers.get("user-agent", ""))
                    else:
                        articles.append(time.time())
                    if etag and headers.get("if-none-match") == etag:
                        writer.write(reply("304 Not Modified", b"", {"ETag": etag}))
                    else:
                        extra = {"Content-Type": kind, **({"ETag": etag} if etag else {})}
                        writer.write(reply("200 OK", content, extra))
                else:
                    writer.write(reply("404 Not Found", b"not found", {}))
                await writer.drain()
                if headers.get("connection", "").lower() == "close":
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=4096)
    port = server.sockets[0].getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    by_feed = {incident.feed: incident for incident in incidents(incident_count, feeds)}
    for number in range(feeds):
        content = _feed(base, number, items, by_feed.get(number))
        etag = '"' + hashlib.sha1(content).hexdigest()[:16] + '"'
        documents[f"/feeds/{number}.xml"] = (content, etag, "application/rss+xml; charset=utf-8")
    for number, incident in by_feed.items():
        documents[f"/news/{number}.html"] = (_article(incident), "", "text/html; charset=utf-8")
    port_out.send(port)
    async with server:
        await server.serve_forever()


class FeedFarm:
    """The farm's process: start it, read its log, stop it (also on the way out of `with`)."""

    def __init__(
        self, feeds: int, incidents: int = 0, items: int = 3, hook_delay: float = 0.0
    ) -> None:
        self.feeds = feeds
        self.incidents = incidents
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        self.process = context.Process(
            target=_serve, args=(send, feeds, items, incidents, hook_delay), daemon=True
        )
        self.process.start()
        if not receive.poll(60):
            self.close()
            raise RuntimeError("the feed farm did not start")
        self.port: int = receive.recv()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def sources(self, interval: int) -> list[dict[str, Any]]:
        return [
            {"name": f"farm-{n}", "url": self.url(f"/feeds/{n}.xml"), "interval": interval}
            for n in range(self.feeds)
        ]

    @property
    def hook(self) -> str:
        return f"json://127.0.0.1:{self.port}/hook"

    def log(self) -> dict[str, Any]:
        with urllib.request.urlopen(self.url("/__log"), timeout=30) as answer:
            data: dict[str, Any] = json.load(answer)
        data["fetches"] = {int(k): v for k, v in data["fetches"].items()}
        data["agents"] = {int(k): v for k, v in data["agents"].items()}
        return data

    def close(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(10)

    def __enter__(self) -> FeedFarm:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
