"""The crawler's pure parts, table-driven: charsets, feed reading, entry ids, the network guard's policy."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from crawler.detect import Detector, Document
from crawler.feeds.charsets import as_utf8_xml, decode
from crawler.feeds.parsing import NotAFeed, html_text, listing_links, read_feed
from crawler.feeds.state import canonical_url, entry_key, lease_seconds
from crawler.fetch.middlewares import NetworkGuard, is_public, retry_after_seconds
from tests.support.feeds import SPORT_TEXT, SYRIA_TEXT, Item, article_page, rss, seed_article

ROOT = Path(__file__).resolve().parent.parent
TITLE = "مسلحون من داعش يهاجمون بوابة أمنية قرب سبها"
TEXT = "قال مصدر أمني إن عناصر من تنظيم داعش هاجموا بوابة أمنية جنوب سبها فجر اليوم."

# -- charsets -------------------------------------------------------------------------------------

CP1256 = f"<p>{TEXT}</p>".encode("cp1256")
UTF8 = f"<p>{TEXT}</p>".encode()

CHARSET_CASES = [
    # (body, Content-Type, expected codec, relabelled)
    (UTF8, "text/html; charset=utf-8", "utf-8", False),
    (UTF8, "text/html", "utf-8", False),
    (CP1256, "text/html; charset=windows-1256", "cp1256", False),
    (CP1256, "text/html; charset=utf-8", "cp1256", True),  # the lie this module exists for
    (CP1256, "text/html; charset=iso-8859-1", "cp1256", True),  # a server's careless default
    (CP1256, None, "cp1256", True),
    (b'<meta charset="windows-1256">' + CP1256, "text/html", "cp1256", False),
    (UTF8, "text/html; charset=windows-1256", "utf-8", True),  # valid UTF-8 wins over a label
    (b"\xef\xbb\xbf" + UTF8, None, "utf-8-sig", False),
]


@pytest.mark.parametrize(("body", "content_type", "codec", "relabelled"), CHARSET_CASES)
def test_decode_sees_through_charset_labels(
    body: bytes, content_type: str | None, codec: str, relabelled: bool
) -> None:
    decoded = decode(body, content_type)
    assert TEXT in decoded.text
    assert decoded.encoding == codec
    assert decoded.relabelled is relabelled


def test_xml_declaration_is_rewritten_only_when_the_bytes_change() -> None:
    feed = rss([Item(TITLE, "http://example.org/a", TEXT)], encoding="windows-1256")
    lying = feed.replace(b'encoding="windows-1256"', b'encoding="utf-8"')
    fixed = as_utf8_xml(lying, decode(lying))
    assert fixed.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert TITLE.encode() in fixed
    honest = rss([Item(TITLE, "http://example.org/a", TEXT)])
    assert as_utf8_xml(honest, decode(honest)) is honest


# -- feeds ----------------------------------------------------------------------------------------

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://example.org/">
  <title>اختبار</title>
  <entry><id>tag:example.org,2024:1</id><title type="html">{TITLE} &amp;amp; تفاصيل</title>
    <link rel="alternate" href="/news/1"/><link rel="enclosure" href="/img/1.jpg"/>
    <updated>2024-03-02T08:30:00Z</updated>
    <summary type="html">&lt;p&gt;{TEXT}&lt;/p&gt;</summary></entry>
</feed>""".encode()

RDF = f"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="http://example.org/"><title>اختبار</title></channel>
  <item rdf:about="http://example.org/news/2"><title>{TITLE}</title>
    <link>http://example.org/news/2</link><description>{TEXT}</description>
    <dc:date>2024-03-02T10:00:00+02:00</dc:date></item>
</rdf:RDF>""".encode()


def test_rss_entries_with_text_links_and_dates() -> None:
    published = datetime(2024, 3, 2, 8, 30, tzinfo=UTC)
    body = rss([Item(TITLE, "/news/1", f"<p>{TEXT}</p><p>سطر ثان</p>", "g-1", published)])
    document = read_feed(body, "http://example.org/feed.xml", "application/rss+xml")
    (entry,) = document.entries
    assert document.well_formed and document.problem is None
    assert (entry.guid, entry.link, entry.title) == ("g-1", "http://example.org/news/1", TITLE)
    assert entry.text == f"{TEXT}\nسطر ثان"
    assert entry.published == published


@pytest.mark.parametrize(
    ("body", "link", "published"),
    [
        (ATOM, "http://example.org/news/1", datetime(2024, 3, 2, 8, 30, tzinfo=UTC)),
        (RDF, "http://example.org/news/2", datetime(2024, 3, 2, 8, 0, tzinfo=UTC)),
    ],
)
def test_atom_and_rdf(body: bytes, link: str, published: datetime) -> None:
    (entry,) = read_feed(body, "http://example.org/feed").entries
    assert entry.link == link
    assert entry.title.startswith(TITLE)
    assert TEXT in entry.text
    assert entry.published == published


def test_unescaped_ampersand_is_read_leniently_and_reported() -> None:
    body = rss([Item("الأمن & الدفاع في الجنوب", "http://example.org/1", TEXT)])
    body = body.replace(b"&amp;", b"&")
    document = read_feed(body, "http://example.org/feed")
    assert not document.well_formed
    assert document.problem and "not well-formed" in document.problem
    (entry,) = document.entries
    assert entry.title == "الأمن & الدفاع في الجنوب"
    assert TEXT in entry.text


def test_truncated_feed_keeps_only_whole_entries() -> None:
    items = [Item(f"{TITLE} {n}", f"http://example.org/{n}", TEXT) for n in range(3)]
    body = rss(items)
    for end in range(40, 48):  # wherever the cut falls, even inside a character
        document = read_feed(body[: body.rindex(b"<item>") + end], "http://example.org/feed")
        assert not document.well_formed
        assert [e.link for e in document.entries] == [
            "http://example.org/0",
            "http://example.org/1",
        ]
        assert [e.title for e in document.entries] == [f"{TITLE} 0", f"{TITLE} 1"]
        assert document.encoding == "utf-8"


@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body><p>not a feed</p></body></html>", b"\x00\x01\x02", gzip.compress(b"x")],
)
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeed):
        read_feed(body, "http://example.org/feed")


def test_an_empty_feed_is_a_feed() -> None:
    assert read_feed(rss([]), "http://example.org/feed").entries == []


def test_external_entities_are_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file://{secret}">]>'
        f"<rss><channel><item><title>&x;</title><link>http://example.org/1</link></item>"
        f"</channel></rss>"
    ).encode()
    document = read_feed(body, "http://example.org/feed")
    assert all("SECRET" not in e.title for e in document.entries)


def test_html_text() -> None:
    assert html_text("<p>سطر &amp; آخر</p><script>alert(1)</script><br/>ثان <b>هنا</b>") == (
        "سطر & آخر\nثان هنا"
    )
    assert html_text("  نص   بسيط ") == "نص بسيط"


def test_listing_links_by_css_and_xpath() -> None:
    page = """<html><body><nav><a href="/">الرئيسية</a></nav>
      <div class="news"><article><a href="/a/1"><h3>خبر أول</h3></a><p class="s">ملخص أول</p></article>
      <article><a href="https://other.example/a/2"><h3>خبر ثان</h3></a></article></div>
      </body></html>"""
    by_css = list(listing_links(page, "http://site.example/list", "div.news article", "h3", "p.s"))
    assert by_css == [
        ("http://site.example/a/1", "خبر أول", "ملخص أول"),
        ("https://other.example/a/2", "خبر ثان", ""),
    ]
    by_xpath = list(
        listing_links(page, "http://site.example/list", "//div[@class='news']//a/@href")
    )
    assert [link for link, _, _ in by_xpath] == [link for link, _, _ in by_css]


# -- entry ids, leases, Retry-After ----------------------------------------------------------------


def test_canonical_url() -> None:
    assert canonical_url("HTTP://Example.ORG:80/a/b?utm_source=x&id=3#top") == (
        "http://example.org/a/b?id=3"
    )
    assert canonical_url("https://example.org:443") == "https://example.org/"
    assert canonical_url(" https://Example.org/path ") == "https://example.org/path"


def test_entry_key_ties_guid_and_url_to_their_source() -> None:
    key = entry_key("wasat", "g-1", "https://example.org/a?utm_medium=rss")
    assert key.endswith("|wasat")
    assert entry_key("wasat", "g-1", "https://EXAMPLE.org/a") == key
    assert entry_key("other", "g-1", "https://example.org/a") != key
    assert entry_key("wasat", None, None, "عنوان") != entry_key("wasat", None, None, "عنوان آخر")


@pytest.mark.parametrize(
    ("interval", "jitter", "expected"), [(600, 10, 589), (60, 0, 59), (2, 0, 1.8), (20, 15, 10)]
)
def test_lease_is_a_little_shorter_than_the_interval(
    interval: float, jitter: float, expected: float
) -> None:
    assert lease_seconds(interval, jitter) == pytest.approx(expected)


def test_retry_after() -> None:
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412420.0) == 60
    assert retry_after_seconds(b"soon") is None
    assert retry_after_seconds(None) is None


# -- the network guard's policy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True), ("2001:4860:4860::8888", True), ("127.0.0.1", False),
        ("10.1.2.3", False), ("172.16.0.1", False), ("192.168.1.1", False),
        ("169.254.169.254", False), ("::1", False), ("fe80::1", False), ("0.0.0.0", False),
        ("::ffff:127.0.0.1", False), ("100.64.0.1", False),
        # IPv4 inside IPv6: judged by the IPv4 address it leads to.
        ("::ffff:8.8.8.8", True), ("::7f00:1", False), ("::127.0.0.1", False),
        ("::ffff:0:7f00:1", False), ("64:ff9b::7f00:1", False), ("64:ff9b::a00:1", False),
        ("64:ff9b::808:808", True), ("64:ff9b:1::808:808", False), ("2002:7f00:1::", False),
        ("2002:a9fe:a9fe::", False), ("2002:808:808::1", True),
        ("2001:0:4136:e378:8000:63bf:80ff:fffe", False), ("fe80::1%eth0", False),
    ],
)  # fmt: skip
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


def test_guard_trusts_listed_hosts_and_ports_only() -> None:
    guard = NetworkGuard(False, ["rss-bridge.local", "127.0.0.1:8080"])
    assert guard.trusts("rss-bridge.local", 443)
    assert guard.trusts("127.0.0.1", 8080)
    assert not guard.trusts("127.0.0.1", 8081)
    assert guard.trusts("127.0.0.1")  # the resolver's question: the middleware checks the port
    assert not guard.trusts("10.0.0.1") and not guard.trusts("localhost", 8080)
    assert guard.refusal("http://x/", "x", ["127.0.0.1"]) is not None
    assert guard.refusal("http://x/", "x", ["8.8.8.8"]) is None
    assert NetworkGuard(True).trusts("10.0.0.1", 80)


# -- the contract the crawler relies on: what detection reports, the prefilter lets through -------


def test_prefilter_passes_every_text_detection_reports() -> None:
    detector = Detector.from_files([ROOT / "config/watchlists/isis-libya.yaml"])
    seed_title, seed_paragraphs = seed_article()
    texts = [
        (seed_title, "\n".join(seed_paragraphs)),
        (TITLE, TEXT),
        ("الأهلي يفوز", "\n".join(SPORT_TEXT)),
        ("هجوم في دير الزور", "\n".join(SYRIA_TEXT)),
        ("", "فجر عناصر داعش عبوة ناسفة في دورية للجيش قرب سرت وقتلوا جنديين."),
    ]
    reported = 0
    for title, text in texts:
        if detector.detect(Document(text=text, title=title)).is_incident:
            reported += 1
            assert detector.prefilter(f"{title}\n{text}"), title
    assert reported >= 2


def test_article_page_builder_round_trips_cp1256() -> None:
    page = article_page(TITLE, [TEXT], charset="windows-1256")
    assert TEXT in decode(page.replace(b"windows-1256", b"utf-8"), "text/html; charset=utf-8").text


# -- the document reader's worker process ---------------------------------------------------------


def test_reader_worker_reads_and_survives_its_death() -> None:
    import asyncio
    import os
    import signal

    from crawler.feeds.workers import DocumentReader

    watchlists = [ROOT / "config/watchlists/isis-libya.yaml"]
    reader = DocumentReader(1, watchlists, None, deadline=60)
    reader.start()
    items = [
        Item(TITLE, "http://example.org/1", TEXT),
        Item("الأهلي يفوز", "http://example.org/2", SPORT_TEXT[0]),
    ]
    body = rss(items)

    async def read() -> list[bool]:
        reading = await reader.source(body, "http://example.org/feed", None, "s", None, True)
        return [worth for _, _, worth in reading.entries]

    try:
        assert asyncio.run(read()) == [True, False]  # read in the worker, prefiltered there
        first = reader.workers[0].process.pid
        os.kill(first, signal.SIGKILL)
        reader.workers[0].process.join(10)
        # The document goes to a worker started in its place, never to this process.
        assert asyncio.run(read()) == [True, False]
        second = reader.workers[0].process.pid
        assert second != first and second != os.getpid()
        assert asyncio.run(read()) == [True, False] and reader.workers[0].process.pid == second
        assert reader.status()["ok"] and reader.status()["deaths"] == 1
    finally:
        reader.close()


def test_reader_that_cannot_start_a_worker_says_so_and_recovers(tmp_path: Path) -> None:
    import asyncio
    import os
    import shutil
    import signal

    from crawler.feeds.workers import DocumentReader, ReadFailed

    watchlist = tmp_path / "watchlist.yaml"
    shutil.copy(ROOT / "config/watchlists/isis-libya.yaml", watchlist)
    reader = DocumentReader(1, [watchlist], None, deadline=60)
    reader.start()
    body = rss([Item(TITLE, "http://example.org/1", TEXT)])

    async def read() -> int:
        reading = await reader.source(body, "http://example.org/feed", None, "s", None, True)
        return len(reading.entries)

    try:
        assert asyncio.run(read()) == 1 and reader.status()["ok"]
        # The watchlist goes away under a running reader, then its worker dies: the worker
        # started in its place cannot load it. Documents fail at once, with the reason.
        watchlist.rename(tmp_path / "moved.yaml")
        os.kill(reader.workers[0].process.pid, signal.SIGKILL)
        reader.workers[0].process.join(10)
        with pytest.raises(ReadFailed, match=r"no reader process could start: .*No such file"):
            asyncio.run(read())
        status = reader.status()
        assert not status["ok"] and "No such file" in status["error"], status
        # Put back, the next worker starts and the reader is healthy again.
        (tmp_path / "moved.yaml").rename(watchlist)
        assert asyncio.run(read()) == 1
        assert reader.status()["ok"] and "error" not in reader.status()
    finally:
        reader.close()
