"""Runs Scrapy crawls of Raqib's sources inside the process's asyncio loop."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from typing import Any

from config.settings import Settings, Source
from crawler.fetch.context import CrawlContext
from crawler.fetch.metrics import CRAWL_SECONDS

log = logging.getLogger(__name__)

ASYNCIO_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"


def install_reactor() -> None:
    """Scrapy on Twisted's asyncio reactor: call before anything imports twisted's reactor."""
    from scrapy.utils.reactor import install_reactor as _install

    _install(ASYNCIO_REACTOR)


def scrapy_settings(settings: Settings) -> dict[str, Any]:
    crawler = settings.crawler
    return {
        "BOT_NAME": "raqib",
        "USER_AGENT": crawler.user_agent,
        "TWISTED_REACTOR": ASYNCIO_REACTOR,
        "LOG_ENABLED": False,  # Raqib's own logging configuration applies
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy 2.19 starts, for every crawler, an HTTP server on 127.0.0.1 that runs Python
        # code sent to it (a token in a file guards it). A news daemon needs no such door.
        "REMOTE_CONTROL_ENABLED": False,
        "EXTENSIONS": {
            "scrapy.extensions.memusage.MemoryUsage": None,
            "scrapy.extensions.logstats.LogStats": None,
            "scrapy.extensions.feedexport.FeedExporter": None,
            "scrapy.extensions.spiderstate.SpiderState": None,
        },
        "ROBOTSTXT_OBEY": crawler.obey_robots_txt,
        "CONCURRENT_REQUESTS": crawler.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawler.concurrent_per_host,
        "DOWNLOAD_DELAY": crawler.download_delay,
        "DOWNLOAD_TIMEOUT": crawler.download_timeout,
        "DOWNLOAD_MAXSIZE": crawler.max_body_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": crawler.retries,
        "REDIRECT_MAX_TIMES": 5,
        "DEFAULT_REQUEST_HEADERS": {
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5",
            "Accept-Language": "ar, en;q=0.5",
        },
        "COOKIES_ENABLED": False,
        "METAREFRESH_ENABLED": False,  # it scans every page for a <meta refresh> we do not follow
        "DNSCACHE_ENABLED": True,
        "DNS_TIMEOUT": min(crawler.download_timeout, 20.0),
        # Scrapy's per-crawl memory of seen URLs is not needed: Redis decides what is new.
        "DUPEFILTER_CLASS": "scrapy.dupefilters.BaseDupeFilter",
        # Our pipelines are synchronous: many parallel item slots only cost tasks.
        "CONCURRENT_ITEMS": 8,
        # Scrapy re-reads each generator callback's source for this check on every response.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "RAQIB_ALLOW_PRIVATE_NETWORKS": crawler.allow_private_networks,
        "RAQIB_ALLOW_PRIVATE_HOSTS": list(crawler.allow_private_hosts),
        "RAQIB_RETRY_BACKOFF": crawler.retry_backoff_seconds,
        "RAQIB_RETRY_AFTER_MAX": crawler.retry_after_max_seconds,
        "RAQIB_ROBOTS_CACHE_SECONDS": crawler.robots_cache_seconds,
        # Only the web: no file:, ftp:, s3: or data: handlers at all.
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None},
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.fetch.middlewares.NetworkGuardMiddleware": 50,
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "crawler.fetch.middlewares.SharedRobotsTxtMiddleware": 100,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawler.fetch.middlewares.BackoffRetryMiddleware": 550,
            "crawler.fetch.middlewares.ConditionalGetMiddleware": 560,
            # Not needed for feeds and articles; each costs time on every request.
            "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
        },
        # No Referer: a site need not learn which feed led us to it.
        "REFERRER_POLICY": "no-referrer",
        "SPIDER_MIDDLEWARES": {
            "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
            "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
        },
        "ITEM_PIPELINES": {
            "crawler.fetch.pipelines.DetectionPipeline": 100,
            "crawler.fetch.pipelines.PublishPipeline": 200,
        },
    }


def install_resolver(settings: Settings) -> None:
    """Put the guarded resolver on the reactor, so connections are checked where they are made.

    Scrapy installs TWISTED_DNS_RESOLVER only when it runs the reactor itself (CrawlerProcess);
    Raqib runs the reactor and its crawlers with AsyncCrawlerRunner, so it installs its own.
    """
    from twisted.internet import reactor

    from crawler.fetch.middlewares import GuardedResolver, NetworkGuard

    resolver = GuardedResolver(
        reactor, cache_size=10_000, timeout=min(settings.crawler.download_timeout, 20.0)
    )
    crawler = settings.crawler
    resolver.guard = NetworkGuard(crawler.allow_private_networks, crawler.allow_private_hosts)
    resolver.install_on_reactor()


def preload(context: CrawlContext) -> None:
    """Ready the process for crawling, once, after the detector is built.

    Starts the document reader's workers; imports what a crawl loads lazily (Scrapy's HTTP
    handler, the spider, trafilatura), so the first run does not pay for it while sources are
    due; then freezes what is loaded so far (modules, the detector's tables) out of the garbage
    collector's rounds, which otherwise walk those objects again and again during every crawl.
    """
    import gc

    import scrapy.core.downloader.handlers.http11
    import scrapy.crawler  # noqa: F401
    import trafilatura  # noqa: F401

    import crawler.fetch.middlewares
    import crawler.fetch.spiders.feed  # noqa: F401

    context.reader.start()
    gc.collect()
    gc.freeze()


async def crawl_sources(
    context: CrawlContext,
    sources: Sequence[Source],
    on_source_done: Callable[[str], None] | None = None,
) -> None:
    """Fetch these sources once, with a fresh crawler; returns when every article is handled.

    `on_source_done(name)` is called as each source finishes (fetched and all its new entries
    handled, or failed), so a caller can tell one slow source from the rest of the batch.
    """
    from scrapy.crawler import AsyncCrawlerRunner

    from crawler.fetch.spiders.feed import FeedSpider

    if not sources:
        return
    install_resolver(context.settings)
    runner = AsyncCrawlerRunner(scrapy_settings(context.settings))
    context.runners.add(runner)
    started = time.monotonic()
    try:
        await runner.crawl(
            FeedSpider, sources=list(sources), context=context, on_source_done=on_source_done
        )
    finally:
        context.runners.discard(runner)
        CRAWL_SECONDS.observe(time.monotonic() - started)


async def stop_crawls(context: CrawlContext) -> None:
    """Stop the crawls under way: requests in flight are dropped, the spiders close.

    Nothing is lost by it: an entry is marked seen only once handled, and a feed's validators
    are saved only when all its entries are, so the next run reads what this one left.
    """
    runners = list(context.runners)
    if runners:
        log.warning("stopping %d crawl(s) still under way", len(runners))
        await asyncio.gather(*(runner.stop() for runner in runners), return_exceptions=True)


async def probe_sources(settings: Settings, sources: Sequence[Source]) -> dict[str, Any]:
    """Fetch and read each source once, remembering nothing: the work of `raqib check --sources`.

    Same guard, limits, retries and robots.txt as a crawl; no Redis, no detection. Returns a
    ProbeResult per source name.
    """
    from scrapy.crawler import AsyncCrawlerRunner

    from crawler.feeds.workers import DocumentReader
    from crawler.fetch.spiders.probe import ProbeResult, ProbeSpider

    results: dict[str, ProbeResult] = {}
    install_resolver(settings)
    options = scrapy_settings(settings)
    options["ITEM_PIPELINES"] = {}
    options["RAQIB_CONDITIONAL_GET"] = False
    # Documents are read in a worker under the deadline, as in a crawl: a hostile source
    # cannot hang the check.
    crawler = settings.crawler
    reader = DocumentReader(crawler.parse_workers, settings.watchlists, settings.gazetteer,
                            deadline=crawler.parse_timeout_seconds)  # fmt: skip
    reader.start()
    try:
        await AsyncCrawlerRunner(options).crawl(
            ProbeSpider, sources=list(sources), results=results, reader=reader
        )
    finally:
        reader.close()
    return dict(results)
