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
# Markup whose content is never text: scripts, styles and comments. Only their openings are found
# by a regex; the closing of each is then looked for once. (One regex with a lazy `.*?` up to the
# closing rescanned the rest of the text for every unclosed opening: quadratic, minutes of CPU.)
_HIDDEN_OPENING = re.compile(r"<(script|style|noscript)\b|<!--", re.I)
_HIDDEN_CLOSING = {
    name: re.compile(rf"</{name}\s*>", re.I) for name in ("script", "style", "noscript")
}
_BLOCK_TAG = re.compile(
    r"</?(?:p|div|br|li|ul|ol|h[1-6]|tr|td|blockquote|section|article|figcaption|header|footer)"
    r"\b[^>]*>",
    re.I,
)
_TAG = re.compile(r"<[^>]*>")
_SPACES = re.compile(r"[ \t\u00a0\u200f\u200e]+")
_CLOSERS = re.compile(rb"</(?:[A-Za-z0-9_-]+:)?(item|entry)\s*>", re.IGNORECASE)

# What one field of an entry may keep. A title longer than a paragraph is not a title, and a
# news article is rarely a tenth of the text limit (some 8,000 words). Detection runs on these
# in the crawling process, and its time grows faster than the text: the caps bound it.
MAX_TITLE_CHARS = 1_000
MAX_TEXT_CHARS = 50_000
MAX_MARKUP_CHARS = 1_000_000  # markup read for one field's text (tags take room too)
MAX_LINK_CHARS = 4_096  # a longer "link" is no address: the entry keeps the feed's text
MAX_ID_CHARS = 2_000  # GUIDs and dates: only hashed or parsed, never shown whole


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
    found: int = 0  # entries in the document; more than `entries` when a cap cut them
    title: str = ""  # the feed's own name for itself (its channel's or feed's title)


def html_text(markup: str, limit: int = MAX_TEXT_CHARS) -> str:
    """Plain text of an HTML fragment, one line per block, spaces tidied, at most `limit` characters.

    Regular expressions, not a parser: this runs on every entry of every feed, and the text
    only has to be good enough for the prefilter and detection (articles go through trafilatura).
    Each pass is linear in the length of the markup, whatever it holds (hostile feeds included).
    """
    markup = markup[:MAX_MARKUP_CHARS]
    if "<" in markup:
        markup = _without_hidden(markup)
        markup = _substitute_closed(_BLOCK_TAG, "\n", markup)
        markup = _substitute_closed(_TAG, "", markup)
    if "&" in markup:
        markup = unescape(markup)
    lines = _SPACES.sub(" ", markup).split("\n")
    text = "\n".join(stripped for line in lines if (stripped := line.strip()))
    return text[:limit].rstrip() if len(text) > limit else text


def _without_hidden(markup: str) -> str:
    """The markup without scripts, styles and comments; one never closed hides the rest (as in a
    browser)."""
    parts: list[str] = []
    position = 0
    while (opening := _HIDDEN_OPENING.search(markup, position)) is not None:
        parts.append(markup[position : opening.start()])
        name = opening.group(1)
        if name is None:  # a comment
            end = markup.find("-->", opening.end())
            position = end + 3 if end >= 0 else -1
        else:
            closing = _HIDDEN_CLOSING[name.lower()].search(markup, opening.end())
            position = closing.end() if closing is not None else -1
        if position < 0:
            return "".join(parts)
        parts.append(" ")
    parts.append(markup[position:])
    return "".join(parts)


def _substitute_closed(tag: re.Pattern[str], replacement: str, markup: str) -> str:
    """`tag.sub` on the markup up to its last ">": after it no tag can close, and a regex that
    looked there would rescan the rest of the text for each "<" (quadratic). Linear this way,
    with the same result."""
    end = markup.rfind(">") + 1
    if end == 0:
        return markup
    return tag.sub(replacement, markup[:end]) + markup[end:]


def parse_date(value: str | None) -> datetime | None:
    """RFC 822 (RSS), ISO 8601 (Atom, Dublin Core), or whatever feedparser's parsers know."""
    if not value or len(value) > MAX_ID_CHARS:
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
    if len(link) > MAX_LINK_CHARS:
        return ""
    if not link or link.startswith(("http://", "https://")):
        return link
    return urljoin(base, link)


def _title(markup: str) -> str:
    return html_text(markup, MAX_TITLE_CHARS)


def _short(value: str | None) -> str | None:
    """An id or a date as the feed wrote it, unless it is too long to be one."""
    return value[:MAX_ID_CHARS] if value else None


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
        guid=_short(guid),
        link=_absolute(base, link),
        title=_title(found.get("title", "")),
        text=_longest_text(found.get("content", ""), found.get("description", "")),
        date=_short(found.get("date") or found.get("dc_date")),
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
        guid=_short(_child_text(entry, f"{{{ATOM}}}id")),
        link=_absolute(entry.base or base, link),
        title=_title(_atom_text(entry.find(f"{{{ATOM}}}title"))),
        text=_longest_text(
            _atom_text(entry.find(f"{{{ATOM}}}content")),
            _atom_text(entry.find(f"{{{ATOM}}}summary")),
        ),
        date=_short(
            _child_text(entry, f"{{{ATOM}}}published", f"{{{ATOM}}}updated", f"{{{DC}}}date")
        ),
    )


def _strict_entries(
    data: bytes, base: str, limit: int | None
) -> tuple[list[FeedEntry], int, str] | None:
    """The first `limit` entries of a well-formed RSS 2.0, Atom or RDF document, how many it
    has, and the feed's title; None for any other document."""
    root = lxml.etree.fromstring(data, parser=_XML_PARSER, base_url=base)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == "rss":
        channel = root.find("channel")
        items = list(channel.iterfind("item")) if channel is not None else []
        title = channel.findtext("title") if channel is not None else ""
        return [_rss_entry(item, base) for item in items[:limit]], len(items), _title(title or "")
    if tag == f"{{{ATOM}}}feed":
        items = list(root.iterfind(f"{{{ATOM}}}entry"))
        title = root.findtext(f"{{{ATOM}}}title") or ""
        return [_atom_entry(entry, base) for entry in items[:limit]], len(items), _title(title)
    if tag == f"{{{RDF}}}RDF":
        items = list(root.iterfind(f"{{{RSS1}}}item"))
        title = root.findtext(f"{{{RSS1}}}channel/{{{RSS1}}}title") or ""
        return [_rss_entry(item, base) for item in items[:limit]], len(items), _title(title)
    return None


def _lenient_entries(
    data: bytes, base: str, limit: int | None, cut_off: bool
) -> tuple[list[FeedEntry], int, Any]:
    """Like `_strict_entries`, by feedparser; `cut_off`: only the entries whose closing tag is in
    the document count (a cut-off last entry waits for a whole copy)."""
    import feedparser

    parsed = feedparser.parse(data, response_headers={"content-location": base})
    found = len(parsed.entries)
    if cut_off:
        found = min(found, len(_CLOSERS.findall(data)))
    entries = []
    for entry in parsed.entries[: found if limit is None else min(found, limit)]:
        link = entry.get("link") or ""
        # `in` first: feedparser warns when asked for an `updated_parsed` the entry lacks.
        stamp = entry.get("published_parsed") or (
            entry.get("updated_parsed") if "updated_parsed" in entry else None
        )
        entries.append(
            FeedEntry(
                guid=_short(entry.get("id")),
                link=_absolute(base, link),
                title=_title(entry.get("title", "")),
                text=_longest_text(
                    *(c.get("value", "") for c in entry.get("content", [])),
                    entry.get("summary", ""),
                ),
                date=datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC) if stamp else None,
            )
        )
    return entries, found, parsed


def read_feed(
    body: bytes, url: str, content_type: bytes | str | None = None, max_entries: int | None = None
) -> FeedDocument:
    """The entries of a feed document (the first `max_entries`), however its server labelled or
    broke it."""
    decoded: Decoded = decode(body, content_type)
    data = as_utf8_xml(body, decoded)
    problem: str | None = None
    try:
        strict = _strict_entries(data, url, max_entries)
    except lxml.etree.XMLSyntaxError as exc:
        problem = f"not well-formed XML ({exc.msg}); read with the lenient parser"
    else:
        if strict is not None:
            entries, found, title = strict
            return FeedDocument(
                entries, decoded.encoding, well_formed=True, found=found, title=title
            )
    # feedparser guesses charsets its own way: give it clean UTF-8 that says so.
    data = as_utf8_xml(body, decoded, copy=True)
    entries, found, parsed = _lenient_entries(data, url, max_entries, cut_off=problem is not None)
    well_formed = problem is None
    title = _title(str(parsed.get("feed", {}).get("title", "") or ""))
    if not entries:
        version = parsed.get("version")
        if version:
            return FeedDocument([], decoded.encoding, well_formed, problem, found, title)
        reason = parsed.get("bozo_exception") or "no RSS, Atom or RDF root element"
        raise NotAFeed(f"not a feed: {str(reason)[:300]}")
    return FeedDocument(entries, decoded.encoding, well_formed, problem, found, title)


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
