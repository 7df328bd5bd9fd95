"""Reads a feed document into entries: lxml for well-formed RSS, Atom and RDF, feedparser for the rest."""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html import unescape
from typing import Any
from urllib.parse import urljoin

import lxml.etree

from alerts.spine.cleaning import clean_text
from crawler.feeds.charsets import Decoded, as_utf8_xml, decode

ATOM = "http://www.w3.org/2005/Atom"
RSS1 = "http://purl.org/rss/1.0/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
CONTENT = "http://purl.org/rss/1.0/modules/content/"
DC = "http://purl.org/dc/elements/1.1/"

# No network, no external entities, no entity expansion beyond lxml's safe limits.
_XML_PARSER = lxml.etree.XMLParser(
    resolve_entities=False, no_network=True, remove_comments=True, huge_tree=False
)
_INVISIBLE = re.compile(r"<(script|style|noscript)\b.*?</\1\s*>|<!--.*?-->", re.I | re.S)
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|blockquote|section|article|figcaption|header|footer)"
    r"\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u200f\u200e]+")
_CLOSERS = re.compile(rb"</(?:[A-Za-z0-9_-]+:)?(item|entry)\s*>", re.IGNORECASE)


class NotAFeed(ValueError):
    """The document is neither RSS, Atom nor RDF, nor anything feedparser can read entries from."""


@dataclass(frozen=True)
class FeedEntry:
    guid: str | None
    link: str  # absolute, as the feed gives it (canonicalised later)
    title: str
    text: str  # plain text: the longest of content and summary
    date: str | datetime | None = None  # as the feed wrote it; parsed only when needed

    def __post_init__(self) -> None:
        # The door where a stranger's text comes in, however it was read (RSS, Atom, the
        # lenient parser, a listing page): no control, escape or direction override passes.
        setattr_ = object.__setattr__  # frozen: set once, here
        if self.guid is not None:
            setattr_(self, "guid", clean_text(self.guid, one_line=True))
        setattr_(self, "link", clean_text(self.link, one_line=True).strip())
        setattr_(self, "title", clean_text(self.title, one_line=True))
        setattr_(self, "text", clean_text(self.text))

    @property
    def published(self) -> datetime | None:
        return (
            self.date
            if isinstance(self.date, datetime) or self.date is None
            else parse_date(self.date)
        )


@dataclass(frozen=True)
class FeedDocument:
    entries: list[FeedEntry]
    encoding: str
    well_formed: bool
    problem: str | None = None  # what was wrong with the document, for the health record


def html_text(markup: str) -> str:
    """Plain text of an HTML fragment, one line per block, spaces tidied.

    Regular expressions, not a parser: this runs on every entry of every feed, and the text
    only has to be good enough for the prefilter and detection (articles go through trafilatura).
    """
    if "<" in markup:
        markup = _INVISIBLE.sub(" ", markup)
        markup = _BLOCK_TAG.sub("\n", markup)
        markup = _TAG.sub("", markup)
    if "&" in markup:
        markup = unescape(markup)
    lines = _SPACES.sub(" ", markup).split("\n")
    return "\n".join(stripped for line in lines if (stripped := line.strip()))


def parse_date(value: str | None) -> datetime | None:
    """RFC 822 (RSS), ISO 8601 (Atom, Dublin Core), or whatever feedparser's parsers know."""
    if not value:
        return None
    value = value.strip()
    parsed: datetime | None = None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            from feedparser.datetimes import _parse_date

            stamp = _parse_date(value)
            if stamp is not None:
                return datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _child_text(element: Any, *names: str) -> str:
    for name in names:
        found = element.find(name)
        if found is not None and found.text:
            return str(found.text).strip()
    return ""


def _longest_text(*candidates: str) -> str:
    texts = [html_text(c) for c in candidates if c]
    return max(texts, key=len) if texts else ""


def _absolute(base: str, link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    return urljoin(base, link)


_RSS_FIELDS = {
    "title": "title", "link": "link", "description": "description", "pubDate": "date",
    f"{{{CONTENT}}}encoded": "content", f"{{{DC}}}date": "dc_date",
    f"{{{RSS1}}}title": "title", f"{{{RSS1}}}link": "link", f"{{{RSS1}}}description": "description",
}  # fmt: skip


def _rss_entry(item: Any, base: str) -> FeedEntry:
    # One pass over the item's children: this runs for every entry of every feed.
    found: dict[str, str] = {}
    guid_element = None
    for child in item:
        tag = child.tag
        if tag == "guid":
            guid_element = child
        elif isinstance(tag, str) and tag in _RSS_FIELDS:
            found.setdefault(_RSS_FIELDS[tag], (child.text or "").strip())
    guid = (guid_element.text or "").strip() if guid_element is not None else ""
    guid = guid or item.get(f"{{{RDF}}}about", "")
    link = found.get("link", "")
    permalink = guid_element is None or guid_element.get("isPermaLink", "true") != "false"
    if not link and guid and permalink and guid.startswith(("http://", "https://")):
        link = guid
    return FeedEntry(
        guid=guid or None,
        link=_absolute(base, link),
        title=html_text(found.get("title", "")),
        text=_longest_text(found.get("content", ""), found.get("description", "")),
        date=found.get("date") or found.get("dc_date") or None,
    )


def _atom_text(element: Any) -> str:
    if element is None:
        return ""
    if element.get("type") == "xhtml":
        return str(lxml.etree.tostring(element, method="html", encoding="unicode"))
    return str(element.text or "")


def _atom_entry(entry: Any, base: str) -> FeedEntry:
    link = ""
    for candidate in entry.iterfind(f"{{{ATOM}}}link"):
        if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
            link = candidate.get("href")
            break
    return FeedEntry(
        guid=_child_text(entry, f"{{{ATOM}}}id") or None,
        link=_absolute(entry.base or base, link),
        title=html_text(_atom_text(entry.find(f"{{{ATOM}}}title"))),
        text=_longest_text(
            _atom_text(entry.find(f"{{{ATOM}}}content")),
            _atom_text(entry.find(f"{{{ATOM}}}summary")),
        ),
        date=_child_text(entry, f"{{{ATOM}}}published", f"{{{ATOM}}}updated", f"{{{DC}}}date"),
    )


def _strict_entries(data: bytes, base: str) -> list[FeedEntry] | None:
    """Entries of a well-formed RSS 2.0, Atom or RDF document; None for any other document."""
    root = lxml.etree.fromstring(data, parser=_XML_PARSER, base_url=base)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "rss":
        channel = root.find("channel")
        items = channel.iterfind("item") if channel is not None else iter(())
        return [_rss_entry(item, base) for item in items]
    if tag == f"{{{ATOM}}}feed":
        return [_atom_entry(entry, base) for entry in root.iterfind(f"{{{ATOM}}}entry")]
    if tag == f"{{{RDF}}}RDF":
        return [_rss_entry(item, base) for item in root.iterfind(f"{{{RSS1}}}item")]
    return None


def _lenient_entries(data: bytes, base: str) -> tuple[list[FeedEntry], Any]:
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base})
    entries = []
    for entry in parsed.entries:
        link = entry.get("link") or ""
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        entries.append(
            FeedEntry(
                guid=entry.get("id") or None,
                link=_absolute(base, link),
                title=html_text(entry.get("title", "")),
                text=_longest_text(
                    *(c.get("value", "") for c in entry.get("content", [])),
                    entry.get("summary", ""),
                ),
                date=datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC) if stamp else None,
            )
        )
    return entries, parsed


def _complete(entries: list[FeedEntry], data: bytes) -> list[FeedEntry]:
    """The entries whose closing tag is in the document: a cut-off last entry waits for a whole copy."""
    closed = len(_CLOSERS.findall(data))
    return entries[:closed]


def read_feed(body: bytes, url: str, content_type: bytes | str | None = None) -> FeedDocument:
    """The entries of a feed document, however its server labelled or broke it."""
    decoded: Decoded = decode(body, content_type)
    data = as_utf8_xml(body, decoded)
    problem: str | None = None
    try:
        entries = _strict_entries(data, url)
    except lxml.etree.XMLSyntaxError as exc:
        problem = f"not well-formed XML ({exc.msg}); read with the lenient parser"
    else:
        if entries is not None:
            return FeedDocument(entries, decoded.encoding, well_formed=True)
    # feedparser guesses charsets its own way: give it clean UTF-8 that says so.
    data = as_utf8_xml(body, decoded, copy=True)
    entries, parsed = _lenient_entries(data, url)
    if problem is not None:
        entries = _complete(entries, data)
    if not entries:
        version = parsed.get("version")
        if version:
            return FeedDocument([], decoded.encoding, well_formed=problem is None, problem=problem)
        reason = parsed.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise NotAFeed(f"not a feed: {reason}")
    return FeedDocument(entries, decoded.encoding, well_formed=problem is None, problem=problem)


def _text_of(found: Iterable[Any]) -> str:
    parts = [s.root if isinstance(s.root, str) else s.xpath("string()").get("") for s in found]
    return _SPACES.sub(" ", " ".join(" ".join(p.split()) for p in parts)).strip()


def listing_links(
    html: str, url: str, links: str, title: str | None = None, summary: str | None = None
) -> Iterator[tuple[str, str, str]]:
    """(link, title, summary) for each article link a listing page's selectors find.

    `links` selects <a> elements, elements holding one (an article card), or href attributes;
    `title` and `summary`, when given, are looked up within each selected element.
    """
    from parsel import Selector

    page = Selector(text=html, base_url=url)

    def select(scope: Any, query: str) -> Any:
        return scope.xpath(query) if query.startswith(("/", "(", "./")) else scope.css(query)

    for found in select(page, links):
        if isinstance(found.root, str):  # the selector named the attribute itself
            href, element = found.root, None
        else:
            href, element = found.attrib.get("href") or found.css("a::attr(href)").get(""), found
        href = href.strip()
        if not href or href.startswith("#"):
            continue
        heading = blurb = ""
        if element is not None:
            heading = _text_of(select(element, title)) if title else _text_of([element])
            blurb = _text_of(select(element, summary)) if summary else ""
        yield urljoin(url, href), heading, blurb
