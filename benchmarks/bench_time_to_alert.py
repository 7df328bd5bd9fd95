"""Time to alert: from an incident appearing in a feed to its e-mail arriving, split into polling and processing."""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

INCIDENTS = int(os.environ.get("BENCH_TTA_INCIDENTS", "24"))
INTERVAL = int(os.environ.get("BENCH_TTA_INTERVAL", "6"))  # seconds between fetches of the feed
ROOT = Path(__file__).resolve().parent.parent

# Our own reports, one template per kind of incident; each names its town as «مدينة …» once.
TEMPLATES = [
    (
        "هجوم لتنظيم داعش على بوابة أمنية في {p}",
        "شن عناصر من تنظيم داعش فجر اليوم هجوما على بوابة أمنية عند مدخل مدينة {p}، ما أدى إلى مقتل {n} من أفراد الأمن وإصابة آخرين، بحسب مصدر أمني.\n\n"
        "وأضاف المصدر أن المهاجمين فروا باتجاه الصحراء، وأن تعزيزات عسكرية وصلت إلى المكان.",
    ),
    (
        "انفجار سيارة مفخخة قرب مركز للشرطة في {p}",
        "انفجرت سيارة مفخخة صباح اليوم قرب مركز للشرطة في مدينة {p}، وأعلن تنظيم داعش مسؤوليته عن التفجير الذي أسفر عن سقوط {n} قتلى.\n\n"
        "وطوقت الأجهزة الأمنية موقع الانفجار وبدأت التحقيق في ملابساته.",
    ),
    (
        "داعش يخطف موظفين في {p}",
        "أقدم مسلحون ينتمون إلى تنظيم داعش أمس على خطف {n} موظفين يعملون في شركة خدمات قرب مدينة {p}، وفق ما أفاد به مسؤول محلي.\n\n"
        "ولم تعرف حتى الآن الجهة التي نقل إليها المخطوفون.",
    ),
    (
        "كمين لداعش يستهدف دورية للجيش قرب {p}",
        "نصب عناصر من داعش كمينا لدورية عسكرية على الطريق المؤدي إلى مدينة {p} مساء أمس، وقتل في الهجوم {n} جنود.\n\n"
        "وقال متحدث عسكري إن وحدات الجيش تلاحق المهاجمين في المنطقة.",
    ),
    (
        "اغتيال مسؤول أمني في {p} وداعش يتبنى",
        "اغتال مسلحون من تنظيم داعش مسؤولا أمنيا أمام منزله في مدينة {p} اليوم، وتبنى التنظيم العملية في بيان نشره على منصاته.\n\n"
        "ونددت السلطات المحلية بالجريمة ودعت إلى تشديد الإجراءات الأمنية.",
    ),
    (
        "اشتباكات بين قوات الأمن وخلية لداعش في {p}",
        "اندلعت اشتباكات عنيفة فجر اليوم بين قوات الأمن وخلية تابعة لتنظيم داعش في مدينة {p}، أسفرت عن مقتل {n} من عناصر الخلية.\n\n"
        "وضبطت القوات أسلحة وذخائر داخل المنزل الذي تحصن فيه المسلحون.",
    ),
]
PLACES = [
    "سبها", "أوباري", "مرزق", "القطرون", "غات", "الكفرة", "درنة", "سرت", "بني وليد", "مصراتة",
    "زليتن", "غريان", "نالوت", "الزاوية", "صبراتة", "زوارة", "أجدابيا", "البيضاء", "طبرق", "هون",
    "تراغن", "غدامس", "يفرن", "ترهونة",
]  # fmt: skip
REPORTS = [
    (title.format(p=place), text.format(p=place, n=2 + k % 5))
    for k, place in enumerate(PLACES)
    for title, text in [TEMPLATES[k % len(TEMPLATES)]]
]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.4999)))
    return ordered[rank - 1]


# -- the feed server: items appear when the benchmark says, every request is logged -------------


@dataclass
class Item:
    guid: str
    title: str
    text: str
    published: datetime
    appeared: float = 0.0


@dataclass
class FeedServer:
    items: list[Item] = field(default_factory=list)
    fetches: list[tuple[float, int, frozenset[str]]] = field(
        default_factory=list
    )  # time, status, guids
    lock: threading.Lock = field(default_factory=threading.Lock)

    def feed(self, base: str) -> tuple[bytes, str, frozenset[str]]:
        with self.lock:
            items = list(self.items[-30:])
        entries = "".join(
            f"<item><title>{escape(i.title)}</title><link>{base}/a/{i.guid}.html</link>"
            f"<guid>{i.guid}</guid><pubDate>{format_datetime(i.published)}</pubDate>"
            f"<description>{escape(i.text.split(chr(10))[0][:200])}</description></item>"
            for i in reversed(items)
        )
        body = (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>أخبار الجنوب</title><link>{base}/</link><description>أخبار</description>"
            f"{entries}</channel></rss>"
        ).encode()
        return (
            body,
            '"' + hashlib.sha1(body).hexdigest()[:16] + '"',
            frozenset(i.guid for i in items),
        )

    def article(self, guid: str) -> bytes | None:
        with self.lock:
            found = next((i for i in self.items if i.guid == guid), None)
        if found is None:
            return None
        paragraphs = "".join(f"<p>{escape(p)}</p>" for p in found.text.split("\n\n"))
        return (
            f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8">'
            f"<title>{escape(found.title)}</title></head><body><nav><a href='/'>الرئيسية</a></nav>"
            f"<article><h1>{escape(found.title)}</h1>{paragraphs}</article>"
            f"<footer>جميع الحقوق محفوظة</footer></body></html>"
        ).encode()

    def serve(self) -> tuple[ThreadingHTTPServer, str]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                received = time.time()
                base = f"http://127.0.0.1:{self.server.server_address[1]}"
                status, body, headers = 404, b"not found", {"Content-Type": "text/plain"}
                if self.path == "/feed.xml":
                    body, etag, guids = outer.feed(base)
                    headers = {"Content-Type": "application/rss+xml; charset=utf-8", "ETag": etag}
                    status = 304 if self.headers.get("If-None-Match") == etag else 200
                    with outer.lock:
                        outer.fetches.append((received, status, guids))
                    if status == 304:
                        body = b""
                elif self.path.startswith("/a/"):
                    page = outer.article(self.path[3:].removesuffix(".html"))
                    if page is not None:
                        status, body = 200, page
                        headers = {"Content-Type": "text/html; charset=utf-8"}
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"


# -- the mail server: when each message arrives ----------------------------------------------


class Arrivals:
    def __init__(self) -> None:
        self.messages: list[tuple[float, str]] = []  # arrival, subject
        self.lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import email
        import email.policy

        arrived = time.time()
        message = email.message_from_bytes(
            envelope.original_content or b"", policy=email.policy.default
        )
        with self.lock:
            self.messages.append((arrived, str(message["Subject"])))
        return "250 Message accepted"

    def count(self) -> int:
        with self.lock:
            return len(self.messages)


def _wait(condition: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.01)
    return False


def main() -> None:
    from aiosmtpd.controller import Controller

    rng = random.Random(7)
    feeds = FeedServer()
    httpd, base = feeds.serve()
    arrivals = Arrivals()
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        smtp_port = sock.getsockname()[1]
    mail = Controller(arrivals, hostname="127.0.0.1", port=smtp_port)
    mail.start()
    now = datetime.now(UTC).replace(microsecond=0)
    reports = [REPORTS[k % len(REPORTS)] for k in range(INCIDENTS)]
    items = [
        # Five days apart: each report is an incident of its own (distinct days and places).
        Item(f"tta-{k}", title, text, now - timedelta(days=5 * (INCIDENTS - k)))
        for k, (title, text) in enumerate(reports)
    ]
    with tempfile.TemporaryDirectory(prefix="raqib-tta-") as tmp:
        config = Path(tmp) / "raqib.yaml"
        config.write_text(
            json.dumps(
                {
                    "data_dir": str(Path(tmp) / "var"),
                    "redis": {"url": None, "prefix": "raqib-tta:"},
                    "http": {"port": 0},
                    "smtp": {
                        "host": "127.0.0.1",
                        "port": smtp_port,
                        "sender": "raqib@bench.example",
                    },
                    "watchlists": [str(ROOT / "config/watchlists/isis-libya.yaml")],
                    "crawler": {
                        "allow_private_networks": True,
                        "jitter_seconds": 0,
                        "obey_robots_txt": False,
                        "download_delay": 0,
                    },
                    "sources": [{"name": "south", "url": f"{base}/feed.xml", "interval": INTERVAL}],
                    "subscriptions": [{"name": "desk", "email": ["desk@example.org"]}],
                }
            ),
            encoding="utf-8",
        )
        log = Path(tmp) / "daemon.log"
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        with log.open("wb") as out:
            daemon = subprocess.Popen(
                [sys.executable, "-m", "crawler", "--config", str(config), "run"],
                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            if not _wait(lambda: len(feeds.fetches) >= 2, 120):
                raise SystemExit("the daemon never fetched the feed:\n" + log.read_text()[-3000:])
            print(f"{INCIDENTS} incidents, one at a time, into a feed fetched every {INTERVAL} s "
                  "(jitter 0); `raqib run` with its embedded Redis, SMTP to aiosmtpd")  # fmt: skip
            for k, item in enumerate(items):
                # Appear at a random moment of the polling cycle, as news does.
                time.sleep(rng.uniform(0, INTERVAL))
                item.appeared = time.time()
                with feeds.lock:
                    feeds.items.append(item)
                if not _wait(lambda k=k: arrivals.count() > k, 60 + 2 * INTERVAL):
                    raise SystemExit(f"incident {k} never arrived:\n" + log.read_text()[-4000:])
        finally:
            daemon.send_signal(signal.SIGTERM)
            daemon.wait(60)
            mail.stop()
            httpd.shutdown()
    polling, processing, total = [], [], []
    for item, (arrived, _subject) in zip(items, arrivals.messages, strict=True):
        served = min(
            t for t, status, guids in feeds.fetches if status == 200 and item.guid in guids
        )
        polling.append(served - item.appeared)
        processing.append(arrived - served)
        total.append(arrived - item.appeared)
    rows = [("total (appeared → e-mail received)", total), ("polling (appeared → first fetch serving it)", polling),
            ("processing (that fetch → e-mail received)", processing)]  # fmt: skip
    width = max(len(r[0]) for r in rows)
    print(f"{'':<{width}}  {'p50':>7}  {'p95':>7}  {'max':>7}")
    for label, values in rows:
        print(f"{label:<{width}}  {percentile(values, 0.5):>6.2f}s  {percentile(values, 0.95):>6.2f}s  "
              f"{max(values):>6.2f}s")  # fmt: skip
    p95 = percentile(processing, 0.95)
    print(
        f"target: processing p95 <= 2 s: {'met' if p95 <= 2 else 'NOT met'} ({p95:.2f} s); "
        f"{len(arrivals.messages)} e-mails for {INCIDENTS} incidents"
    )
    default = 600
    print(f"with the default interval ({default} s, jitter up to 10 s) polling averages ~{default / 2 + 5:.0f} s "
          f"and is at most {default + 10} s; GDELT publishes every 900 s, Europe Media Monitor every 600 s")  # fmt: skip


if __name__ == "__main__":
    main()
