"""What a crawl needs from the running process: settings, Redis, the detector, the incident store."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import redis

from alerts.spine.connections import RedisHandle
from config.settings import Settings
from crawler.detect import Detector
from crawler.feeds.state import FeedStore
from crawler.feeds.workers import DocumentReader
from crawler.incidents.store import IncidentStore

log = logging.getLogger(__name__)


@dataclass
class CrawlContext:
    settings: Settings
    handle: RedisHandle
    detector: Detector
    # The Scrapy runners of the crawls under way, so a shutdown can stop them.
    runners: set[Any] = field(default_factory=set)

    @cached_property
    def client(self) -> redis.Redis:
        return self.handle.sync()

    @cached_property
    def feeds(self) -> FeedStore:
        crawler = self.settings.crawler
        return FeedStore(self.client, self.handle.keys, crawler.seen_ttl_days, crawler.max_seen_ids)

    @cached_property
    def reader(self) -> DocumentReader:
        """Parses documents in worker processes (started by `crawler.fetch.runner.preload`)."""
        crawler = self.settings.crawler
        return DocumentReader(
            crawler.parse_workers, self.settings.watchlists, self.settings.gazetteer,
            deadline=crawler.parse_timeout_seconds,
        )  # fmt: skip

    @cached_property
    def incidents(self) -> IncidentStore:
        titles = {s.name: s.title for s in self.settings.sources if s.title}
        return IncidentStore(self.client, self.handle.keys, self.settings.incidents, titles)

    def close(self) -> None:
        """Stop the document reader's workers, if they were started."""
        if "reader" in self.__dict__:
            self.reader.close()

    @classmethod
    def build(cls, settings: Settings, handle: RedisHandle) -> CrawlContext:
        detector = Detector.from_files(settings.watchlists, settings.gazetteer)
        return cls(settings=settings, handle=handle, detector=detector)
