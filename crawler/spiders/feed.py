"""The feed spider: a feed per source, new entries only, each followed to its article page."""

from __future__ import annotations

import calendar
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any

import feedparser
import scrapy
import trafilatura
from scrapy.http import Response
from twisted.python.failure import Failure

from config.settings import Source
from crawler.context import CrawlContext
from crawler.feedstate import canonical_url, entry_key
from crawler.incidents import Article

log = logging.getLogger(__name__)


def _published(entry: Any) -> datetime | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return datetime.fromtimestamp(calendar.timegm(stamp), tz=UTC)


def _entry_text(entry: Any) -> str:
    """The longest text a feed entry carries (content:encoded, summary, description)."""
    texts = [c.get("value", "") for c in entry.get("content", [])]
    texts.append(entry.get("summary", ""))
    best = max(texts, key=len) if texts else ""
    if "<" in best:
        best = trafilatura.extract(best) or scrapy.Selector(text=best).xpath("string()").get() or ""
    return best.strip()


class FeedSpider(scrapy.Spider):
    name = "raqib-feed"

    def __init__(self, sources: list[Source], context: CrawlContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sources = sources
        self.context = context
        # Entries of each feed still being handled; validators are saved only at zero,
        # so a crash never turns an unread entry into a 304 next time.
        self.pending: dict[str, int] = {}
        self.validators: dict[str, tuple[str | None, str | None]] = {}
        self.failed_entries: dict[str, int] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for source in self.sources:
            yield scrapy.Request(
                source.url,
                callback=self.parse_feed,
                errback=self.feed_failed,
                dont_filter=True,
                meta={
                    "source": source,
                    "raqib_feed": True,
                    "handle_httpstatus_list": [304],
                },
            )

    # -- feeds -------------------------------------------------------------------------------

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request | Article]:
        source: Source = response.meta["source"]
        feeds = self.context.feeds
        if response.status == 304:
            feeds.record_success(source.name, source.url, 304, 0)
            return
        parsed = feedparser.parse(response.body)
        entries = parsed.entries
        if not entries and parsed.bozo:
            reason = f"not a feed: {parsed.get('bozo_exception', 'unreadable')}"
            feeds.record_failure(source.name, source.url, reason, response.status)
            log.warning("%s: %s (%s)", source.name, reason, source.url)
            return
        keyed = []
        for entry in entries:
            link = entry.get("link") or ""
            if link:
                link = response.urljoin(link)
            key = entry_key(source.name, entry.get("id"), link)
            keyed.append((key, entry, link))
        fresh = feeds.unseen(k for k, _, _ in keyed)
        new = [(k, e, link) for k, e, link in keyed if k in fresh]
        feeds.record_success(source.name, source.url, response.status, len(new))
        self.validators[source.name] = (
            _header(response, b"ETag"),
            _header(response, b"Last-Modified"),
        )
        self.pending[source.name] = len(new)
        if not new:
            self._feed_done(source.name)
            return
        detector = self.context.detector
        for key, entry, link in new:
            title = (entry.get("title") or "").strip()
            text = _entry_text(entry)
            article = Article(
                source=source.name,
                url=canonical_url(link) if link else source.url,
                title=title,
                text=text,
                published=_published(entry),
                summary=text[:600],
                entry_key=key,
            )
            worth = not self.context.settings.crawler.prefilter or detector.prefilter(
                f"{title}\n{text}"
            )
            if not worth or not link.startswith(("http://", "https://")):
                yield article
                continue
            yield scrapy.Request(
                link,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"article": article, "source": source},
            )

    def feed_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.meta["source"]
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else 0
        reason = _describe(failure)
        self.context.feeds.record_failure(
            source.name,
            source.url,
            reason,
            status,
            cap=self.context.settings.crawler.max_backoff_seconds,
        )
        log.warning("feed %s failed: %s", source.name, reason)

    # -- articles ----------------------------------------------------------------------------

    def parse_article(self, response: Response) -> Iterator[Article]:
        article: Article = response.meta["article"]
        text = trafilatura.extract(response.body, url=response.url, include_comments=False)
        if text:
            article = Article(
                source=article.source, url=article.url, title=article.title, text=text,
                published=article.published, summary=article.summary, entry_key=article.entry_key,
            )  # fmt: skip
        yield article

    def article_failed(self, failure: Failure) -> Iterator[Article]:
        # The feed's own text still gets read: an unreachable page must not hide an incident.
        request = failure.request  # type: ignore[attr-defined]
        article: Article = request.meta["article"]
        log.info(
            "article %s unavailable (%s); using the feed's text", article.url, _describe(failure)
        )
        yield article

    # -- bookkeeping, called by the publishing pipeline -------------------------------------

    def entry_done(self, source: str) -> None:
        self.pending[source] = self.pending.get(source, 1) - 1
        if self.pending[source] <= 0:
            self._feed_done(source)

    def entry_failed(self, source: str) -> None:
        self.failed_entries[source] = self.failed_entries.get(source, 0) + 1
        self.entry_done(source)

    def _feed_done(self, source: str) -> None:
        if self.failed_entries.get(source):
            return  # fetch the whole feed again next time
        etag, modified = self.validators.pop(source, (None, None))
        self.context.feeds.save_validators(source, etag, modified)


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _describe(failure: Failure) -> str:
    error = failure.value
    response = getattr(error, "response", None)
    if response is not None:
        return f"HTTP {response.status}"
    return f"{type(error).__name__}: {error}".strip()
