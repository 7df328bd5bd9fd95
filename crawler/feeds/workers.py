"""Reads fetched feeds, listing pages and articles, in a worker process so the crawl's loop keeps moving."""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alerts.spine.processes import die_with_parent
from config.settings import SelectorSpec
from crawler.detect import Detector
from crawler.feeds.charsets import decode
from crawler.feeds.parsing import FeedEntry, NotAFeed, html_text, listing_links, read_feed
from crawler.feeds.state import entry_key

log = logging.getLogger(__name__)

T = TypeVar("T")

# The prefilter's detector: the main process's own, or one a worker builds when it starts.
_detector: Detector | None = None


@dataclass(frozen=True)
class SourceReading:
    """What a feed or listing page holds: each entry with its id and the prefilter's verdict."""

    entries: list[tuple[str, FeedEntry, bool]]  # (entry key, entry, worth following)
    well_formed: bool = True
    problem: str | None = None  # something wrong in a document that was still read
    failure: str | None = None  # not a feed at all


@dataclass(frozen=True)
class ArticleReading:
    text: str | None  # the article's main text, None when none was found
    title: str  # the page's <title>, for entries that came without one


def read_source(
    body: bytes,
    url: str,
    content_type: bytes | None,
    source: str,
    selectors: SelectorSpec | None,
    prefilter: bool,
) -> SourceReading:
    """Entries of a feed (or, with selectors, of a listing page), keyed and prefiltered."""
    well_formed, problem = True, None
    if selectors is not None:
        html = decode(body, content_type).text
        found = listing_links(html, url, selectors.links, selectors.title, selectors.summary)
        entries = [FeedEntry(None, link, title, summary) for link, title, summary in found]
        if not entries:
            problem = f"the `links` selector {selectors.links!r} found no link on the page"
    else:
        try:
            document = read_feed(body, url, content_type)
        except NotAFeed as exc:
            return SourceReading([], failure=str(exc))
        entries, well_formed, problem = document.entries, document.well_formed, document.problem
    keyed: dict[str, FeedEntry] = {}
    for entry in entries:
        keyed.setdefault(entry_key(source, entry.guid, entry.link, entry.title), entry)

    def worth(entry: FeedEntry) -> bool:
        # Detection's own cheap test on the title and the feed's text; off, everything goes on.
        if not prefilter or _detector is None:
            return True
        return _detector.prefilter(f"{entry.title}\n{entry.text}")

    return SourceReading(
        [(key, entry, worth(entry)) for key, entry in keyed.items()], well_formed, problem
    )


def read_article(body: bytes, url: str, content_type: bytes | None) -> ArticleReading:
    import trafilatura

    html = decode(body, content_type).text
    text = trafilatura.extract(html, url=url, include_comments=False)
    start = html.find("<title")
    end = html.find("</title>", start)
    title = html_text(html[html.find(">", start) + 1 : end]) if 0 <= start < end else ""
    return ArticleReading(text or None, title)


def _start_worker(watchlists: list[Path], gazetteer: Path | None, parent: int) -> None:
    global _detector
    # Ctrl-C goes to the whole process group; the daemon, not its reader, decides how to stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(parent)  # a daemon killed with SIGKILL leaves no worker behind
    _detector = Detector.from_files(watchlists, gazetteer)
    import trafilatura  # noqa: F401  (loaded now, not on the first article)

    # The detector's tables live as long as the worker: out of the collector's rounds.
    gc.collect()
    gc.freeze()


def _ready() -> bool:
    return _detector is not None


class DocumentReader:
    """Runs `read_source` and `read_article` in `workers` processes (0: on the event loop).

    Parsing is most of a crawl's CPU; in a worker it runs beside Scrapy's own work on another
    core. A worker that dies is replaced, and meanwhile documents are read in-process.
    """

    def __init__(self, detector: Detector, workers: int, watchlists: list[Path],
                 gazetteer: Path | None) -> None:  # fmt: skip
        global _detector
        _detector = detector  # for reading in-process
        self.workers = workers
        self.watchlists = watchlists
        self.gazetteer = gazetteer
        self.pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers and wait until they are ready (the detector built)."""
        if self.workers <= 0 or self.pool is not None:
            return
        self.pool = ProcessPoolExecutor(
            max_workers=self.workers,
            # Not fork: the parent has threads (the reactor's, Redis's) a fork would copy halfway.
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.watchlists, self.gazetteer, os.getpid()),
        )
        for ready in [self.pool.submit(_ready) for _ in range(self.workers)]:
            ready.result(timeout=120)

    def close(self, finish_queued: bool = False) -> None:
        """Stop the workers; with `finish_queued`, after the documents already handed to them."""
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=not finish_queued)
            self.pool = None

    async def source(self, body: bytes, url: str, content_type: bytes | None, source: str,
                     selectors: SelectorSpec | None, prefilter: bool) -> SourceReading:  # fmt: skip
        return await self._run(read_source, body, url, content_type, source, selectors, prefilter)

    async def article(self, body: bytes, url: str, content_type: bytes | None) -> ArticleReading:
        return await self._run(read_article, body, url, content_type)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        if self.pool is None:
            return function(*args)
        try:
            return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)
        except BrokenProcessPool:
            log.error("a document reader process died; starting another, reading this one here")
            self.close()
            self.start()
            return function(*args)
