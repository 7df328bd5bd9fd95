"""The source spider: a feed or listing page per source, new entries only, each worth it followed to its article."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import redis
import scrapy
from scrapy.exceptions import DownloadCancelledError, IgnoreRequest
from scrapy.http import Response
from twisted.python.failure import Failure

from config.settings import Source
from crawler.feeds.parsing import FeedEntry
from crawler.feeds.state import canonical_url
from crawler.feeds.workers import ReaderClosed, ReadFailed, SourceReading
from crawler.fetch.context import CrawlContext
from crawler.fetch.metrics import ENTRIES, FETCH_SECONDS, FETCHES, outcome_of
from crawler.fetch.middlewares import refusal_of, retry_after_seconds
from crawler.incidents import Article

log = logging.getLogger(__name__)

SourceDone = Callable[[str], None]


class FeedSpider(scrapy.Spider):
    name = "raqib-feed"

    def __init__(
        self,
        sources: list[Source],
        context: CrawlContext,
        on_source_done: SourceDone | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.sources = sources
        self.context = context
        self.on_source_done = on_source_done
        self.open_sources = {s.name for s in sources}
        # Entries of each feed still being handled; validators are saved only at zero,
        # so a crash never turns an unread entry into a 304 next time.
        self.pending: dict[str, int] = {}
        self.validators: dict[str, tuple[str | None, str | None, str]] = {}
        self.failed_entries: dict[str, int] = {}

    async def start(self) -> AsyncIterator[scrapy.Request]:
        known = self.context.feeds.all_validators(s.name for s in self.sources)
        for source in self.sources:
            yield scrapy.Request(
                source.url,
                callback=self.parse_source,
                errback=self.source_failed,
                dont_filter=True,
                priority=10,  # feeds before articles: one slow article never holds a feed back
                meta={
                    "source": source,
                    "raqib_feed": True,
                    "raqib_started": time.monotonic(),
                    "raqib_validators": known[source.name],
                    "handle_httpstatus_list": [304],
                },
            )

    # -- feeds and listing pages ---------------------------------------------------------------

    async def parse_source(self, response: Response) -> AsyncIterator[scrapy.Request | Article]:
        source: Source = response.meta["source"]
        feeds = self.context.feeds
        took = time.monotonic() - response.meta.get("raqib_started", time.monotonic())
        FETCH_SECONDS.observe(took)
        if response.status == 304:
            FETCHES.labels(kind="feed", status="304").inc()
            feeds.record_success(source.name, source.url, 304, 0, took)
            self._finish(source.name)
            return
        digest = hashlib.sha1(response.body).hexdigest()
        if digest == response.meta["raqib_validators"][2]:
            FETCHES.labels(kind="feed", status=str(response.status)).inc()
            # The server ignores validators, but the bytes are the ones already read in full.
            feeds.record_success(source.name, source.url, response.status, 0, took)
            self._finish(source.name)
            return
        crawler = self.context.settings.crawler
        try:
            reading = await self.context.reader.source(
                response.body, response.url, response.headers.get(b"Content-Type"), source.name,
                source.selectors if source.kind == "page" else None, crawler.prefilter,
                crawler.max_entries_per_fetch,
            )  # fmt: skip
        except ReaderClosed:  # the daemon is stopping: the next start reads it again
            log.info("%s: left unread, the reader stopped", source.name)
            self._finish(source.name)
            return
        except ReadFailed as exc:  # a document the reader gave up on is this source's failure
            self._fail(source, f"could not read the document: {exc}", response.status, took,
                       unreadable=True)  # fmt: skip
            return
        except Exception as exc:  # a fault of ours: still this source's failure, not a hang
            log.exception("%s: could not read %s", source.name, response.url)
            self._fail(source, f"could not read the document: {type(exc).__name__}: {exc}",
                       response.status, took, unreadable=True)  # fmt: skip
            return
        if reading.failure:
            self._fail(source, reading.failure, response.status, took, unreadable=True)
            return
        FETCHES.labels(kind="feed", status=str(response.status)).inc()
        try:
            onward = self._settle(source, response, reading, digest, took)
        except redis.RedisError as exc:
            # Nothing was marked seen: the entries are read again on the next run.
            log.error("%s: Redis failed while settling the feed's entries: %s", source.name, exc)
            self._finish(source.name)
            return
        for request_or_article in onward:
            yield request_or_article

    def _settle(
        self, source: Source, response: Response, reading: SourceReading, digest: str, took: float
    ) -> list[scrapy.Request | Article]:
        """Record the fetch; settle the entries the prefilter turned down; return the rest."""
        feeds = self.context.feeds
        if reading.title and not source.title:
            # The outlet's own name, for alerts, when the catalogue gives none.
            self.context.incidents.outlet_titles.setdefault(source.name, reading.title)
        if reading.problem:
            feeds.record_warning(source.name, reading.problem)
            log.warning("%s: %s (%s)", source.name, reading.problem, source.url)
        over_cap = max(0, reading.found - len(reading.entries))
        if over_cap:
            log.warning("%s: the document lists %d entries; read the first %d "
                        "(crawler.max_entries_per_fetch)", source.name, reading.found,
                        len(reading.entries))  # fmt: skip
        fresh = feeds.unseen(key for key, _, _ in reading.entries)
        new = [(key, entry, worth) for key, entry, worth in reading.entries if key in fresh]
        dismissed = [key for key, _, worth in new if not worth]
        onward = [self._follow(source, key, entry) for key, entry, worth in new if worth]
        ENTRIES.labels(verdict="dismissed").inc(len(dismissed))
        ENTRIES.labels(verdict="followed").inc(len(onward))
        # A document read only in part (malformed, cut off) is fetched whole next time.
        validators = (
            (_header(response, b"ETag"), _header(response, b"Last-Modified"), digest)
            if reading.well_formed
            else None
        )
        # Entries the prefilter (detection's own cheap test) turned down could not be reported:
        # they are settled with the fetch, in the same round trip, their articles not fetched.
        feeds.record_success(
            source.name, source.url, response.status, len(new), took, seen=dismissed,
            validators=None if onward else validators, over_cap=over_cap,
        )  # fmt: skip
        if onward:
            if validators is not None:
                self.validators[source.name] = validators
            self.pending[source.name] = len(onward)
        else:
            self._finish(source.name)
        return onward

    def _follow(self, source: Source, key: str, entry: FeedEntry) -> scrapy.Request | Article:
        """An entry worth a closer look: its article page, or (no web link) the feed's text."""
        article = Article(
            source=source.name,
            url=canonical_url(entry.link) if entry.link else source.url,
            title=entry.title,
            text=entry.text,
            published=entry.published,
            summary=entry.text[:600],
            entry_key=key,
        )
        if entry.link.startswith(("http://", "https://")):
            return scrapy.Request(
                entry.link,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"article": article, "source": source},
            )
        if entry.link:
            self._warn_article(source, f"link {entry.link[:200]!r} is not http(s)")
        return article

    def source_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        source: Source = request.meta["source"]
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else 0
        retry_after = _retry_after(response) if response is not None else None
        took = time.monotonic() - request.meta.get("raqib_started", time.monotonic())
        FETCH_SECONDS.observe(took)
        limit = self.context.settings.crawler.max_body_bytes
        self._fail(source, describe(failure, limit), status, took, retry_after)

    def _fail(
        self,
        source: Source,
        reason: str,
        status: int,
        took: float,
        retry_after: float | None = None,
        unreadable: bool = False,
    ) -> None:
        outcome = "unreadable" if unreadable else outcome_of(status, reason)
        FETCHES.labels(kind="feed", status=outcome).inc()
        crawler = self.context.settings.crawler
        until = self.context.feeds.record_failure(
            source.name, source.url, reason, status, base=crawler.backoff_base_seconds,
            cap=crawler.max_backoff_seconds, retry_after=retry_after, duration=took,
        )  # fmt: skip
        log.warning(
            "source %s failed: %s; resting %.0fs (%s)",
            source.name, reason, until - time.time(), source.url,
        )  # fmt: skip
        self._finish(source.name)

    # -- articles --------------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Article]:
        article: Article = response.meta["article"]
        FETCHES.labels(kind="article", status=str(response.status)).inc()
        content_type = response.headers.get(b"Content-Type") or b""
        if content_type and not any(t in content_type.lower() for t in (b"html", b"xml")):
            self._warn_article(
                response.meta["source"],
                f"article {article.url} is {content_type.decode('latin-1')}; used the feed's text",
            )
            yield article
            return
        source: Source = response.meta["source"]
        try:
            reading = await self.context.reader.article(
                response.body, response.url, content_type, source.name
            )
        except ReaderClosed:  # the daemon is stopping: the entry is read again at the next start
            log.info("%s: article %s left unread, the reader stopped", source.name, article.url)
            return
        except ReadFailed as exc:  # the feed's text is still there to judge
            self._warn_article(
                source, f"article {article.url} unreadable ({exc}); used the feed's text"
            )
            yield article
            return
        if reading.text:
            article = Article(
                source=article.source, url=article.url, title=article.title or reading.title,
                text=reading.text, published=article.published,
                summary=article.summary or reading.text[:600], entry_key=article.entry_key,
            )  # fmt: skip
        yield article

    def article_failed(self, failure: Failure) -> Iterator[Article]:
        # The feed's own text still gets read: an unreachable page must not hide an incident.
        request = failure.request  # type: ignore[attr-defined]
        article: Article = request.meta["article"]
        why = describe(failure, self.context.settings.crawler.max_body_bytes)
        response = getattr(failure.value, "response", None)
        status = response.status if response is not None else 0
        FETCHES.labels(kind="article", status=outcome_of(status, why)).inc()
        self._warn_article(
            request.meta["source"],
            f"article {request.url} unavailable ({why}); used the feed's text",
        )
        yield article

    def _warn_article(self, source: Source, message: str) -> None:
        self.context.feeds.record_warning(source.name, message, article=True)
        log.info("%s: %s", source.name, message)

    # -- bookkeeping, called by the publishing pipeline ---------------------------------------

    def entry_done(self, source: str) -> None:
        self.pending[source] = self.pending.get(source, 1) - 1
        if self.pending[source] <= 0:
            self._feed_done(source)

    def entry_failed(self, source: str) -> None:
        self.failed_entries[source] = self.failed_entries.get(source, 0) + 1
        self.entry_done(source)

    def _feed_done(self, source: str) -> None:
        validators = self.validators.pop(source, None)
        if validators is not None and not self.failed_entries.get(source):
            # Otherwise the whole feed is fetched again next time.
            self.context.feeds.save_validators(source, *validators)
        self._finish(source)

    def _finish(self, source: str) -> None:
        if source in self.open_sources:
            self.open_sources.discard(source)
            if self.on_source_done is not None:
                self.on_source_done(source)

    def closed(self, reason: str) -> None:
        for source in sorted(self.open_sources):
            log.info("source %s left unfinished when the crawl closed (%s)", source, reason)
            self._finish(source)


_RESPONSE = re.compile(r"response <\d{3} [^>]+>\s*")
_URL = re.compile(r"https?://\S+?(?=[\s,;)]|\.?$)")


def _header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def _retry_after(response: Response) -> float | None:
    return retry_after_seconds(response.headers.get(b"Retry-After"))


def describe(failure: Failure, size_limit: int | None = None) -> str:
    """A failure as a user reads it in `raqib feeds`: the HTTP status, or the error and its cause."""
    error = failure.value
    request = getattr(failure, "request", None)
    refusal = refusal_of(request, error) if request is not None and error is not None else None
    if refusal:
        return refusal
    response = getattr(error, "response", None)
    if response is not None:
        status = f"HTTP {response.status}"
        after = response.headers.get(b"Retry-After")
        return f"{status} (Retry-After: {after.decode('latin-1')})" if after else status
    name = type(error).__name__
    text = str(error).strip()
    if not text and isinstance(error, DownloadCancelledError):
        # Scrapy cancels a body that outgrows DOWNLOAD_MAXSIZE mid-stream without a word.
        limit = f" of {size_limit} bytes" if size_limit else ""
        return f"{name}: the body grew past the size limit{limit} (crawler.max_body_bytes)"
    if not text:
        return name
    # The URL is the source's own, shown beside the error anyway.
    text = _URL.sub("the URL", _RESPONSE.sub("response ", text))
    if isinstance(error, IgnoreRequest):
        return text
    return text if name in text else f"{name}: {text}"
