"""Item pipelines: detect incidents in each article, then record and publish them to Redis."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Self

from scrapy.crawler import Crawler

from crawler.detect import Detection, Document
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
        if detection.is_incident:
            self.crawler.stats.inc_value("raqib/matches")
        return ScoredArticle(item, detection)


class PublishPipeline(_CrawlerComponent):
    """Records the incident and publishes its alert on the stream, then marks the entry seen.

    The order is the guarantee: an entry is marked seen only once its alert is on the stream,
    so a crash in between means the entry is read again, never lost.
    """

    def process_item(self, item: ScoredArticle) -> ScoredArticle:
        spider = self.spider
        context = spider.context
        article = item.article
        try:
            if item.detection.is_incident:
                alert = context.incidents.record(article, item.detection)
                if alert is not None:
                    context.client.xadd(context.handle.keys.matches, alert.to_fields())
                    log.info(
                        "incident %s r%d (%s) from %s: %s",
                        alert.incident_id, alert.revision, alert.kind, article.source, article.title,
                    )  # fmt: skip
            if article.entry_key:
                context.feeds.mark_seen(article.entry_key)
        except Exception:
            spider.entry_failed(article.source)
            raise
        spider.entry_done(article.source)
        return item
