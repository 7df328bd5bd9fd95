"""Reads fetched feeds, listing pages and articles in worker processes, each document under a deadline.

The documents come from strangers. Parsing one can take long (feedparser reads a hostile 8 MB
document for a minute) or take the process down; so no document is read in the crawling
process, and a worker still reading one past `crawler.parse_timeout_seconds` is killed and
replaced, the document reported as failed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from alerts.spine.cleaning import clean_text
from alerts.spine.processes import die_with_parent
from config.settings import SelectorSpec
from crawler.detect import Detector
from crawler.feeds.charsets import decode
from crawler.feeds.parsing import (
    MAX_TEXT_CHARS,
    FeedEntry,
    NotAFeed,
    html_text,
    listing_links,
    read_feed,
)  # fmt: skip
from crawler.feeds.state import entry_key

log = logging.getLogger(__name__)

START_SECONDS = 120.0  # for a worker to load the detector and trafilatura
OVERDUE_SECONDS = 5.0  # a document still in a worker this long past its deadline: /healthz says so

# The prefilter's detector, built by each worker when it starts.
_detector: Detector | None = None


@dataclass(frozen=True)
class SourceReading:
    """What a feed or listing page holds: each entry with its id and the prefilter's verdict."""

    entries: list[tuple[str, FeedEntry, bool]]  # (entry key, entry, worth following)
    well_formed: bool = True
    problem: str | None = None  # something wrong in a document that was still read
    failure: str | None = None  # not a feed at all
    found: int = 0  # entries in the document, read or not (crawler.max_entries_per_fetch)
    encoding: str = ""  # the charset the document was read in
    title: str = ""  # a feed's own title (alerts name the outlet by it, unless the catalogue does)


@dataclass(frozen=True)
class ArticleReading:
    text: str | None  # the article's main text, None when none was found
    title: str  # the page's <title>, for entries that came without one

    def __post_init__(self) -> None:
        # A stranger's page: cleaned as it comes in, like a feed's entries (parsing.FeedEntry).
        if self.text is not None:
            object.__setattr__(self, "text", clean_text(self.text))
        object.__setattr__(self, "title", clean_text(self.title, one_line=True))


def read_source(
    body: bytes,
    url: str,
    content_type: bytes | None,
    source: str,
    selectors: SelectorSpec | None,
    prefilter: bool,
    max_entries: int | None = None,
) -> SourceReading:
    """Entries of a feed (or, with selectors, of a listing page), keyed and prefiltered; the
    first `max_entries` of them."""
    well_formed, problem, title = True, None, ""
    if selectors is not None:
        decoded = decode(body, content_type)
        encoding = decoded.encoding
        links = listing_links(
            decoded.text, url, selectors.links, selectors.title, selectors.summary
        )
        entries = [FeedEntry(None, link, title, summary) for link, title, summary in links]
        found = len(entries)
        entries = entries[:max_entries]
        if not entries:
            problem = f"the `links` selector {selectors.links!r} found no link on the page"
    else:
        try:
            document = read_feed(body, url, content_type, max_entries)
        except NotAFeed as exc:
            return SourceReading([], failure=str(exc))
        entries, well_formed, problem = document.entries, document.well_formed, document.problem
        found, encoding, title = document.found, document.encoding, document.title
    keyed: dict[str, FeedEntry] = {}
    for entry in entries:
        keyed.setdefault(entry_key(source, entry.guid, entry.link, entry.title), entry)

    def worth(entry: FeedEntry) -> bool:
        # Detection's own cheap test on the title and the feed's text; off, everything goes on.
        if not prefilter or _detector is None:
            return True
        return _detector.prefilter(f"{entry.title}\n{entry.text}")

    return SourceReading(
        [(key, entry, worth(entry)) for key, entry in keyed.items()], well_formed, problem,
        found=found, encoding=encoding, title=title,
    )  # fmt: skip


def read_article(body: bytes, url: str, content_type: bytes | None) -> ArticleReading:
    import trafilatura

    html = decode(body, content_type).text
    text = trafilatura.extract(html, url=url, include_comments=False)
    start = html.find("<title")
    end = html.find("</title>", start)
    title = html_text(html[html.find(">", start) + 1 : end], 1000) if 0 <= start < end else ""
    return ArticleReading(text[:MAX_TEXT_CHARS] if text else None, title)


# What a worker can be asked to do, by name (a name pickles; the function is the worker's own).
_TASKS: dict[str, Callable[..., Any]] = {"source": read_source, "article": read_article}


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


def _serve(connection: Connection, watchlists: list[Path], gazetteer: Path | None,
           parent: int) -> None:  # fmt: skip
    """A worker process: say when ready, then read one document per request until told to stop."""
    try:
        _start_worker(watchlists, gazetteer, parent)
    except Exception as exc:
        connection.send(("failed", f"{type(exc).__name__}: {exc}"[:500]))
        return
    connection.send(("ready", None))
    while True:
        try:
            task, args = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer: tuple[str, Any] = ("ok", _TASKS[task](*args))
        except Exception as exc:
            answer = ("error", f"{type(exc).__name__}: {exc}"[:500])
        connection.send(answer)


class ReadFailed(Exception):
    """The reader gave up on a document (an error, its deadline, its worker died); says why."""


class ReaderClosed(ReadFailed):
    """The reader was stopped (the daemon is stopping) while the document waited or was read."""


@dataclass
class _Job:
    """A document in a worker, for /healthz: whose, since when (monotonic; 0 while it waits for
    the worker to be ready)."""

    source: str
    url: str
    since: float = 0.0


@dataclass
class _Worker:
    process: Any  # multiprocessing.Process of the spawn context
    connection: Connection
    ready: bool = False
    job: _Job | None = None
    retired: bool = False  # killed, or being replaced: takes no more work

    def exchange(self, request: tuple[str, tuple[Any, ...]], job: _Job,
                 deadline: float) -> tuple[str, Any]:  # fmt: skip
        """In a thread of its own: send one document and wait for the answer up to the deadline.

        Returns ("ok", result), ("error", why), ("timeout", None), ("died", how), ("gone", how)
        for a worker found dead before it was sent the document, or ("not started", why).
        """
        try:
            if not self.ready:
                if not self.connection.poll(START_SECONDS):
                    return "not started", f"not ready after {START_SECONDS:.0f}s"
                state, why = self.connection.recv()
                if state != "ready":
                    return "not started", why
                self.ready = True
            if not self.process.is_alive():
                return "gone", self.exit_status()
            job.since = time.monotonic()
            try:
                self.connection.send(request)
            except OSError:  # the pipe was closed before it took the document
                self.process.join(timeout=5)
                return "gone", self.exit_status()
            if not self.connection.poll(deadline):
                # Killed here, not by the event loop: a loop that is busy cannot delay it.
                self.process.kill()
                return "timeout", None
            answer: tuple[str, Any] = self.connection.recv()
            return answer
        except Exception as exc:  # EOFError, a broken pipe: the process is gone
            if not self.ready:
                return "not started", f"it exited ({type(exc).__name__})"
            self.process.join(timeout=5)
            return "died", self.exit_status()

    def exit_status(self) -> str:
        code = self.process.exitcode
        if code is None:
            return "still running"
        if code < 0:
            return f"killed by {signal.Signals(-code).name}"
        return f"exit code {code}"

    def stop(self) -> None:
        self.retired = True
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.connection.close()


@dataclass
class ReaderFailure:
    """The last document the reader gave up on, for /healthz."""

    source: str
    url: str
    reason: str
    at: float = field(default_factory=time.time)


class DocumentReader:
    """Runs `read_source` and `read_article` in `workers` processes, each document under a deadline.

    Parsing is most of a crawl's CPU; in a worker it runs beside Scrapy's own work on another
    core, and a document that takes longer than `deadline` seconds is given up: its worker is
    killed (it may be stuck in a regular expression or a C library) and another one started.
    A worker that dies is replaced the same way. The document is never read in this process.
    """

    def __init__(self, workers: int, watchlists: list[Path], gazetteer: Path | None,
                 deadline: float = 30.0) -> None:  # fmt: skip
        self.size = max(1, workers)
        self.watchlists = watchlists
        self.gazetteer = gazetteer
        self.deadline = deadline
        self.workers: list[_Worker] = []
        self.closed = False
        self.draining = False  # replaced by a reload: finish what was handed over, take nothing
        self.timeouts = 0
        self.deaths = 0
        self.last_failure: ReaderFailure | None = None
        self.start_failure: str | None = None  # why the last worker started could not start
        self._context = multiprocessing.get_context("spawn")
        self._slots: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _spawn(self) -> _Worker:
        # Not fork: the parent has threads (the reactor's, Redis's) a fork would copy halfway.
        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_serve, args=(theirs, self.watchlists, self.gazetteer, os.getpid()),
            name="raqib-reader", daemon=True,
        )  # fmt: skip
        process.start()
        theirs.close()
        return _Worker(process, ours)

    def start(self) -> None:
        """Start the workers and wait until they are ready (the detector built)."""
        if self.workers:
            return
        self.closed = False
        self.workers = [self._spawn() for _ in range(self.size)]
        for worker in self.workers:
            if not worker.connection.poll(START_SECONDS):
                self.close()
                raise RuntimeError(f"a document reader did not start within {START_SECONDS:.0f}s")
            state, why = worker.connection.recv()
            if state != "ready":
                self.close()
                raise RuntimeError(f"a document reader could not start: {why}")
            worker.ready = True

    def close(self, finish_queued: bool = False) -> None:
        """Stop every worker now, whatever it is reading; documents waiting fail with ReaderClosed.

        With `finish_queued` (a reload replacing this reader), a worker reading a document
        finishes it first and is stopped then; idle ones stop now.
        """
        if finish_queued:
            self.draining = True
            for worker in list(self.workers):
                if worker.job is None:
                    worker.stop()
            return
        self.closed = True
        workers, self.workers = self.workers, []
        for worker in workers:
            worker.stop()

    async def source(self, body: bytes, url: str, content_type: bytes | None, source: str,
                     selectors: SelectorSpec | None, prefilter: bool,
                     max_entries: int | None = None) -> SourceReading:  # fmt: skip
        args = (body, url, content_type, source, selectors, prefilter, max_entries)
        reading: SourceReading = await self._run("source", args, _Job(source, url))
        return reading

    async def article(self, body: bytes, url: str, content_type: bytes | None,
                      source: str = "") -> ArticleReading:  # fmt: skip
        reading: ArticleReading = await self._run(
            "article", (body, url, content_type), _Job(source, url)
        )
        return reading

    def _free_slots(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()
        if self._slots is None or self._loop is not loop:
            self._slots, self._loop = asyncio.Semaphore(self.size), loop
        return self._slots

    async def _run(self, task: str, args: tuple[Any, ...], job: _Job) -> Any:
        if not self.workers:
            if self.closed:
                raise ReaderClosed("the document reader was stopped")
            self.start()  # tests and one-off commands that did not start it
        async with self._free_slots():
            outcome, value = "gone", None
            # A worker found dead before it got the document is no fault of the document:
            # it goes to the worker started in its place.
            for _ in range(2):
                free = [w for w in self.workers if w.job is None and not w.retired]
                if self.closed or self.draining or not free:
                    raise ReaderClosed("the document reader was stopped")
                worker = free[0]
                outcome, value = await self._exchange(worker, (task, args), job)
                if self.closed:
                    raise ReaderClosed("the document reader was stopped")
                if outcome != "not started":
                    self.start_failure = None
                if outcome == "ok":
                    return value
                if outcome == "error":
                    raise ReadFailed(value)
                self._replace(worker)
                if outcome in ("died", "gone"):
                    self.deaths += 1
                if outcome != "gone":
                    break
            if outcome == "timeout":
                self.timeouts += 1
                reason = (
                    f"reading took longer than {self.deadline:g}s "
                    "(crawler.parse_timeout_seconds); the reader was stopped"
                )
            elif outcome in ("died", "gone"):
                reason = f"the reader process died while reading it ({value})"
            else:
                self.start_failure = str(value)
                reason = f"no reader process could start: {value}"
            self.last_failure = ReaderFailure(job.source, job.url, reason)
            log.warning("%s: gave up reading %s: %s", job.source or "article", job.url, reason)
            raise ReadFailed(reason)

    async def _exchange(self, worker: _Worker, request: tuple[str, tuple[Any, ...]],
                        job: _Job) -> tuple[str, Any]:  # fmt: skip
        worker.job = job
        try:
            return await self._in_thread(worker, request, job)
        except asyncio.CancelledError:
            self._replace(worker)  # its thread may still be waiting on the pipe
            raise
        finally:
            worker.job = None
            job.since = 0.0
            if self.draining:
                worker.stop()

    async def _in_thread(self, worker: _Worker, request: tuple[str, tuple[Any, ...]],
                         job: _Job) -> tuple[str, Any]:  # fmt: skip
        """`worker.exchange` in a daemon thread: nothing waits for it at exit, and a worker
        killed by `close` ends its wait at once (the pipe closes)."""
        loop = asyncio.get_running_loop()
        answer: asyncio.Future[tuple[str, Any]] = loop.create_future()

        def deliver(result: tuple[str, Any]) -> None:
            if not answer.done():
                answer.set_result(result)

        def exchange() -> None:
            result = worker.exchange(request, job, self.deadline)
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits any more
                loop.call_soon_threadsafe(deliver, result)

        threading.Thread(target=exchange, name="raqib-reader-wait", daemon=True).start()
        return await answer

    def _replace(self, worker: _Worker) -> None:
        if worker.retired:
            return
        worker.stop()
        if self.closed or worker not in self.workers:
            return
        self.workers[self.workers.index(worker)] = self._spawn()

    def status(self) -> dict[str, Any]:
        """The reader for /healthz: not ok while a document stays in a worker past its deadline
        (the worker could not be stopped) or no worker can start."""
        now = time.monotonic()
        busy = [w.job for w in list(self.workers) if w.job is not None and w.job.since]
        longest = max((now - job.since for job in busy), default=0.0)
        overdue = [job for job in busy if now - job.since > self.deadline + OVERDUE_SECONDS]
        failure = self.last_failure
        check: dict[str, Any] = {
            "ok": not overdue and self.start_failure is None,
            "workers": len(self.workers),
            "busy": len(busy),
            "longest_seconds": round(longest, 1),
            "deadline_seconds": self.deadline,
            "timeouts": self.timeouts,
            "deaths": self.deaths,
        }
        if overdue:
            check["overdue"] = [{"source": j.source, "url": j.url} for j in overdue]
        if self.start_failure is not None:
            check["error"] = f"no reader process can start: {self.start_failure}"
        if failure is not None:
            check["last_failure"] = {
                "source": failure.source, "url": failure.url, "reason": failure.reason,
                "seconds_ago": round(time.time() - failure.at, 1),
            }  # fmt: skip
        return check
