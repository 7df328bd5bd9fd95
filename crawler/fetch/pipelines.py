"""Item pipelines: detect incidents in each article, then record and publish them to Redis."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler

from crawler.detect import Detection, Document
from crawler.fetch.metrics import ARTICLES, INCIDENT_REPORTS, MATCHES
from crawler.incidents import Article

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoredArticle:
    article: Article
    detection: Detection


class _CrawlerComponent:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> Any:
        return self.crawler.spider


class DetectionPipeline(_CrawlerComponent):
    """Runs the detector on the article text (pure Python, no I/O)."""

    def process_item(self, item: Article) -> ScoredArticle:
        detection = self.spider.context.detector.detect(
            Document(text=item.text, title=item.title, url=item.url, published=item.published)
        )
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("raqib/articles")
        ARTICLES.inc()
        if detection.is_incident:
            self.crawler.stats.inc_value("raqib/matches")
            MATCHES.inc()
        return ScoredArticle(item, detection)


class PublishPipeline(_CrawlerComponent):
    """Records each matching article in the incident store, which publishes any alert it causes
    on the stream; then marks the entry seen.

    The order is the guarantee: an entry is marked seen only once its alert is on the stream,
    so a crash in between means the entry is read again, never lost. The store commits an alert
    with its incident (in an outbox) before publishing it, so an alert a crash strands between
    the two is published when the next crawl opens, even though its article now reads as known.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.spider_opened, signal=signals.spider_opened)
        return pipeline

    def spider_opened(self) -> None:
        self.spider.context.incidents.flush_outbox()

    def process_item(self, item: ScoredArticle) -> ScoredArticle:
        spider = self.spider
        context = spider.context
        article = item.article
        try:
            # Both tiers are recorded: an unattributed event's alert reaches only subscriptions
            # that opt into that tier (`attribution` in a subscription).
            if item.detection.reportable:
                alert = context.incidents.record(article, item.detection)
                INCIDENT_REPORTS.labels(kind=alert.kind if alert else "duplicate").inc()
                if alert is not None:
                    log.info(
                        # The title quoted: a stranger's text, shown as data, never as lines.
                        "incident %s r%d (%s%s) from %s: %r",
                        alert.incident_id, alert.revision, alert.kind,
                        f": {', '.join(alert.update_reasons)}" if alert.update_reasons else "",
                        article.source, article.title,
                    )  # fmt: skip
            if article.entry_key:
                context.feeds.mark_seen(article.entry_key)
        except Exception:
            spider.entry_failed(article.source)
            raise
        spider.entry_done(article.source)
        return item
