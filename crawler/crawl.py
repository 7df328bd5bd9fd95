"""Runs Scrapy crawls of Raqib's sources inside the process's asyncio loop."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from config.settings import Settings, Source
from crawler.context import CrawlContext

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
        "ROBOTSTXT_OBEY": crawler.obey_robots_txt,
        "CONCURRENT_REQUESTS": crawler.concurrent_requests,
        "CONCURRENT_REQUESTS_PER_DOMAIN": crawler.concurrent_per_host,
        "DOWNLOAD_DELAY": crawler.download_delay,
        "DOWNLOAD_TIMEOUT": crawler.download_timeout,
        "DOWNLOAD_MAXSIZE": crawler.max_body_bytes,
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": crawler.retries,
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "DNSCACHE_ENABLED": True,
        "RAQIB_ALLOW_PRIVATE_NETWORKS": crawler.allow_private_networks,
        # Only the web: no file:, ftp:, s3: or data: handlers at all.
        "DOWNLOAD_HANDLERS": {"file": None, "ftp": None, "s3": None, "data": None},
        "DOWNLOADER_MIDDLEWARES": {
            "crawler.middlewares.NetworkGuardMiddleware": 50,
            "crawler.middlewares.ConditionalGetMiddleware": 560,
        },
        "ITEM_PIPELINES": {
            "crawler.pipelines.DetectionPipeline": 100,
            "crawler.pipelines.PublishPipeline": 200,
        },
    }


async def crawl_sources(context: CrawlContext, sources: Sequence[Source]) -> None:
    """Fetch these sources once, with a fresh crawler; returns when every article is handled."""
    from scrapy.crawler import AsyncCrawlerRunner

    from crawler.spiders.feed import FeedSpider

    if not sources:
        return
    runner = AsyncCrawlerRunner(scrapy_settings(context.settings))
    await runner.crawl(FeedSpider, sources=list(sources), context=context)
