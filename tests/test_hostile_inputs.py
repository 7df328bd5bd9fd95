"""Property-based tests: random and hostile input, up to 2 MB, never breaks or hangs a reader.

For the feed reader (what a parser worker runs), the charset decoder, the normaliser and the
detector. Each example must return (no exception escapes the component) within a generous
deadline: a hang detector, not a speed test. The inputs are built from fragments that broke
parsers before (unclosed `<script`, `<!--`, runs of tags, entities, BOMs, bidi controls, Arabic
words the detector counts), repeated up to 2 MB, and from plain random text and bytes.

`RAQIB_HYPOTHESIS_PROFILE=thorough` runs many more examples than the default `ci` profile.
"""

from __future__ import annotations

import codecs
import encodings.aliases
import faulthandler
import os
import sys
from collections.abc import Iterator
from datetime import timedelta
from functools import cache
from typing import TextIO

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from crawler.detect import Detector, Document, normalise
from crawler.feeds.charsets import as_utf8_xml, decode
from crawler.feeds.parsing import MAX_TEXT_CHARS, html_text
from crawler.feeds.workers import SourceReading, read_source
from tests.conftest import ROOT

MAX_BYTES = 2 * 1024 * 1024
HANG_SECONDS = 900  # a whole test past this is a hang: the run stops with every thread's stack

_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile(
    "ci", max_examples=25, deadline=timedelta(seconds=60), suppress_health_check=_QUIET
)
settings.register_profile(
    "thorough", max_examples=1000, deadline=timedelta(seconds=120), suppress_health_check=_QUIET
)
PROFILE = settings.get_profile(os.environ.get("RAQIB_HYPOTHESIS_PROFILE", "ci"))

# What broke or slowed parsers before, and what the detector counts or folds.
FRAGMENTS = [
    "<script ", "</script>", "<style>", "<!-- ", "-->", "<", ">", "<p ", "</p>", "<br/>", "<a href='",
    "<x/>", "<item>", "</item>", "<entry>", "<title>", "</title>", "<description>", "<![CDATA[",
    "]]>", "<?xml ", '<?xml version="1.0" encoding="', "<!DOCTYPE x [", "<!ENTITY a '", "&",
    "&amp;", "&#", "&#x", "&#1575;", "&lt;script", "&nbsp;", "\x00", "\ufeff", "\u202e", "\u2066",
    "\u200f", "\r\n", "\n", " ", "\t", ".", "،", "؟", "ـ", "\u064b", "\u0651", "داعش ", "الدواعش",
    "هجوم ", "تفجير ", "سبها", "طرابلس ", "ولاية برقة", "قتل ", "ثلاثة وعشرين ", "عشرات ", "أمس ",
    "١٢٣", "12", "يناير ", "http://", "xn--", "\U0001f600",
]  # fmt: skip
SIZES = [1, 100, 10_000, 300_000, MAX_BYTES]
# The inputs that stalled a worker for minutes before (quadratic regexes): always tried.
SCRIPTS = "<script " * 131_072
COMMENTS = "<!-- " * 131_072
INCIDENT = "هاجم مسلحون من داعش بوابة أمنية جنوب سبها فجر اليوم وقتلوا ثلاثة جنود. "


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    """A few fragments (or random characters), repeated to one of a few sizes up to 2 MB."""
    parts = draw(
        st.lists(
            st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), min_size=1, max_size=6
        )
    )
    unit = "".join(parts) or " "
    size = draw(st.sampled_from(SIZES))
    return (unit * max(1, size // len(unit)))[:MAX_BYTES]


@st.composite
def hostile_bytes(draw: st.DrawFn) -> bytes:
    """Hostile text in some encoding (or raw random bytes), cut to 2 MB."""
    if draw(st.booleans()):
        unit = draw(st.binary(min_size=1, max_size=64))
        return (unit * max(1, draw(st.sampled_from(SIZES)) // len(unit)))[:MAX_BYTES]
    text = draw(hostile_text())
    encoding = draw(st.sampled_from(["utf-8", "cp1256", "utf-16", "iso8859-6", "latin-1"]))
    return text.encode(encoding, "replace")[:MAX_BYTES]


@st.composite
def feed_document(draw: st.DrawFn) -> bytes:
    """A feed skeleton with hostile text where titles and descriptions go (escaped or not), or
    hostile bytes alone."""
    if draw(st.integers(0, 3)) == 0:
        return draw(hostile_bytes())
    text = draw(hostile_text())
    if draw(st.booleans()):
        text = text.replace("&", "&amp;").replace("<", "&lt;")
    label = draw(st.sampled_from(LABELS))
    kind = draw(st.sampled_from(["rss", "atom", "rdf"]))
    if kind == "atom":
        body = (
            f'<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>{text[:80]}</id>'
            f"<title>{text[:200]}</title><summary>{text}</summary></entry></feed>"
        )
    elif kind == "rdf":
        body = (
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns="http://purl.org/rss/1.0/"><item rdf:about="http://example.org/1">'
            f"<title>{text[:200]}</title><description>{text}</description></item></rdf:RDF>"
        )
    else:
        body = (
            '<rss version="2.0"><channel><title>t</title><item><guid>g</guid>'
            f"<title>{text[:200]}</title><link>http://example.org/{text[:40]}</link>"
            f"<pubDate>{text[:60]}</pubDate><description>{text}</description></item>"
            "</channel></rss>"
        )
    document = f'<?xml version="1.0" encoding="{label}"?>{body}'
    return document.encode("utf-8", "replace")[:MAX_BYTES]


# Every charset label Python knows (text codecs or not), and some it does not.
LABELS = sorted(
    {*encodings.aliases.aliases, *encodings.aliases.aliases.values()}
    | {"undefined", "rot13", "base64", "idna", "punycode", "utf-7", "x-user-defined", "", "utf-8"}
)


@pytest.fixture(scope="module")
def real_stderr(request: pytest.FixtureRequest) -> Iterator[TextIO]:
    """The terminal's stderr, not pytest's capture of it: a run stopped by the hang detector
    never gets to show what it captured."""
    capture = request.config.pluginmanager.getplugin("capturemanager")
    if capture is None:
        yield sys.stderr
        return
    with capture.global_and_fixture_disabled():
        stream = os.fdopen(os.dup(2), "w")
    yield stream
    stream.close()


@pytest.fixture(autouse=True)
def hang_detector(real_stderr: TextIO) -> Iterator[None]:
    """A test still running after HANG_SECONDS is stuck: print every stack and stop the run."""
    faulthandler.dump_traceback_later(HANG_SECONDS, exit=True, file=real_stderr)
    yield
    faulthandler.cancel_dump_traceback_later()


@cache
def detector() -> Detector:
    return Detector.from_files([ROOT / "config/watchlists/isis-libya.yaml"])


def rss_around(description: str) -> bytes:
    escaped = description.replace("&", "&amp;").replace("<", "&lt;")
    return (
        '<rss version="2.0"><channel><title>t</title><item><title>t</title>'
        f"<description>{escaped}</description></item></channel></rss>"
    ).encode()


@PROFILE
@given(body=feed_document(), label=st.sampled_from(LABELS), page=st.booleans())
@example(body=rss_around(SCRIPTS), label="utf-8", page=False)
@example(body=rss_around(COMMENTS), label="undefined", page=False)
@example(body=b'<?xml version="1.0" encoding="' * 70_000, label="utf-8", page=False)
def test_the_feed_reader_reads_anything_without_raising(
    body: bytes, label: str, page: bool
) -> None:
    content_type = f"application/rss+xml; charset={label}".encode("ascii", "replace")
    selectors = None
    if page:  # a listing page read with selectors, as `kind: page` sources are
        from config.settings import SelectorSpec

        selectors = SelectorSpec(links="a[href]")
    reading = read_source(body, "http://example.org/feed", content_type, "s", selectors, True, 50)
    assert isinstance(reading, SourceReading)
    assert len(reading.entries) <= 50 and reading.found >= len(reading.entries)
    for _, entry, _ in reading.entries:
        assert len(entry.text) <= MAX_TEXT_CHARS and len(entry.title) <= 1_000


@PROFILE
@given(markup=hostile_text())
@example(markup=SCRIPTS)
@example(markup=COMMENTS)
@example(markup="<p " * 500_000)
def test_markup_to_text_takes_anything(markup: str) -> None:
    assert len(html_text(markup)) <= MAX_TEXT_CHARS
    assert len(html_text(markup, 1_000)) <= 1_000


@PROFILE
@given(body=hostile_bytes(), label=st.sampled_from(LABELS), declared=st.sampled_from(LABELS))
@example(body=INCIDENT.encode("cp1256") * 100, label="undefined", declared="undefined")
@example(body=INCIDENT.encode("cp1256"), label="rot13", declared="base64")
def test_the_charset_decoder_takes_any_bytes_and_any_label(
    body: bytes, label: str, declared: str
) -> None:
    document = f'<?xml version="1.0" encoding="{declared}"?>'.encode("ascii", "replace") + body
    for data in (body, document):
        decoded = decode(data, f"text/xml; charset={label}")
        assert isinstance(decoded.text, str)
        codecs.lookup(decoded.encoding)  # a codec Python has, and a text codec
        assert decoded.encoding not in ("undefined", "rot-13", "base64", "idna", "utf-7")
        as_utf8_xml(data, decoded).decode("utf-8", "replace")


@PROFILE
@given(text=hostile_text())
@example(text=INCIDENT * 20_000)
def test_the_normaliser_takes_any_text(text: str) -> None:
    assert len(normalise(text)) <= len(text)  # its promise: the same length or shorter


# The detector is given at most what the reader keeps of a field; on longer texts dense with
# incident sentences its time grows with the square of the length (a place is looked for among
# all the text's places for each window): 2 MB of them would take many minutes.
DETECTED = MAX_TEXT_CHARS + 1_000


@PROFILE
@given(
    text=hostile_text().map(lambda t: t[:DETECTED]),
    title=st.one_of(st.none(), hostile_text().map(lambda t: t[:1_000])),
)
@example(text=(INCIDENT * 1_000)[:DETECTED], title=INCIDENT)
def test_the_detector_takes_any_text(text: str, title: str | None) -> None:
    found = detector()
    detection = found.detect(Document(text=text, title=title))
    assert isinstance(detection.is_incident, bool) and detection.score == detection.score
    assert isinstance(found.prefilter(text), bool)
