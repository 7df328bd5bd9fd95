"""The daemon: scheduler, crawler and alert worker in one asyncio loop over Twisted's reactor."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

import redis

from alerts import unsubscribe
from alerts.pending import pending_counts
from alerts.queues import AlertQueueCollector
from alerts.spine.connections import RedisHandle, open_redis, unreachable
from alerts.spine.files import NotPrivate
from alerts.spine.processes import supervise
from alerts.unsubscribe import UnsubscribePages
from alerts.worker import AlertWorker
from config.settings import Settings
from crawler.app.endpoint import StatusEndpoint
from crawler.app.exits import EXIT_FAILURE, EXIT_OK, EXIT_TEMPFAIL
from crawler.app.reload import Reloader
from crawler.app.status import EMBEDDED_REDIS_RESTARTS, ServiceCollector, ServiceStatus
from crawler.feeds.health import SourceCollector, reachability
from crawler.feeds.state import FeedStore
from crawler.fetch.context import CrawlContext
from crawler.fetch.runner import crawl_sources, install_reactor, preload, stop_crawls

log = logging.getLogger(__name__)

CRAWL_STOP_SECONDS = 5.0  # after the grace: how long stopping the crawls may take


def run_in_reactor(main: Callable[[], Awaitable[int]]) -> int:
    """Run `main` on Twisted's asyncio reactor (as Scrapy needs) and return its exit code."""
    install_reactor()
    from twisted.internet import reactor as _reactor
    from twisted.internet.defer import Deferred

    reactor: Any = _reactor
    result: dict[str, int] = {"code": 1}

    async def wrapper() -> None:
        try:
            result["code"] = await main()
        except Exception:
            log.exception("raqib stopped on an error")
            result["code"] = 1
        finally:
            reactor.stop()

    def start() -> None:
        Deferred.fromFuture(asyncio.ensure_future(wrapper()))

    reactor.callWhenRunning(start)
    # Our own handlers decide how to stop (gracefully), not Twisted's.
    reactor.run(installSignalHandlers=False)
    return result["code"]


class Stopping:
    """The first SIGTERM or SIGINT asks for a graceful stop within the grace; a second one, now."""

    def __init__(self, grace: float) -> None:
        self.grace = grace
        self.requested = asyncio.Event()
        self.forced = asyncio.Event()
        self.deadline = 0.0

    def install(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self.signal, sig)

    def signal(self, sig: int) -> None:
        name = signal.Signals(sig).name
        if not self.requested.is_set():
            self.deadline = asyncio.get_running_loop().time() + self.grace
            log.info("%s: stopping; work under way has %.0fs to finish (a second signal stops "
                     "at once)", name, self.grace)  # fmt: skip
            self.requested.set()
        elif not self.forced.is_set():
            log.warning("%s again: stopping now; what is under way is taken up at the next start",
                        name)  # fmt: skip
            self.forced.set()

    def remaining(self) -> float:
        if self.forced.is_set():
            return 0.0
        return max(0.0, self.deadline - asyncio.get_running_loop().time())

    async def within(self, work: Awaitable[Any]) -> bool:
        """Wait for `work` until the grace runs out or a second signal comes; True if it ended."""
        task = asyncio.ensure_future(work)
        forced = asyncio.ensure_future(self.forced.wait())
        await asyncio.wait({task, forced}, timeout=self.remaining(),
                           return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
        forced.cancel()
        if task.done():
            return True
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return False


async def run_once(settings: Settings, handle: RedisHandle, crawl: bool = True,
                   deliver: bool = True) -> int:  # fmt: skip
    """Crawl every enabled source once, deliver every resulting alert, return the exit code.

    An explicit run: it fetches sources that are backing off or leased by a running daemon too.
    Exit 0 when nothing failed (held deliveries — quiet hours, digests, rate limits — wait on
    purpose), 75 when deliveries wait to be retried, 1 when one went to the dead letters.
    """
    if crawl:
        context = CrawlContext.build(settings, handle)
        preload(context)
        sources = [s for s in settings.sources if s.enabled]
        log.info("crawling %d sources once", len(sources))
        try:
            await crawl_sources(context, sources)
            verdict = await asyncio.to_thread(
                reachability, settings, context.feeds, [s.name for s in sources]
            )
        finally:
            context.close()
        log.log(logging.INFO if verdict.ok else logging.WARNING, "%s", verdict.sentence())
    if not deliver:
        return EXIT_OK
    worker = AlertWorker(settings, handle)
    try:
        await worker.drain()
    finally:
        await worker.close()
    sender = worker.sender
    client = handle.sync()
    try:
        waiting = await asyncio.to_thread(pending_counts, client, handle.keys)
    finally:
        client.close()
    code = EXIT_FAILURE if sender.failed else EXIT_TEMPFAIL if waiting.retry else EXIT_OK
    log.log(
        {EXIT_OK: logging.INFO, EXIT_TEMPFAIL: logging.WARNING}.get(code, logging.ERROR),
        "deliveries: %d sent, %d failed for now (retried later), %d held (quiet hours, rate "
        "limits), %d dead; waiting now: %d to retry, %d held, %d digest(s)%s",
        sender.delivered, sender.retried, sender.held, sender.failed, waiting.retry,
        waiting.held, waiting.digests,
        "; `raqib pending` lists them" if waiting.retry or waiting.held else "",
    )  # fmt: skip
    return code


def unsubscribe_landing(settings: Settings, served_here: bool) -> str | None:
    """Where a reader's unsubscribe link leads: the console's subscriptions page (on this
    server, or where `console.public_url` says it is), or None for the plain page."""
    if served_here:
        return "/console/subscriptions/unsubscribe"
    if settings.console.public_url:
        return settings.console.public_url.rstrip("/") + "/subscriptions/unsubscribe"
    return None


def console_for(settings: Settings, handle: RedisHandle) -> Any:
    """The console for the daemon's HTTP server, or None (off, or not safe as configured)."""
    if not settings.console.enabled:
        return None
    from crawler.app.console.access import AccessError
    from crawler.app.console.web import Console

    try:
        return Console(settings, handle.sync(), handle.keys, host=settings.http.host)
    except AccessError as exc:
        log.warning("console not served: %s", exc)
        return None


async def run_forever(settings: Settings, handle: RedisHandle, crawl: bool = True,
                      deliver: bool = True) -> int:  # fmt: skip
    """Run the roles asked for until SIGTERM or SIGINT, then stop as `Stopping` says."""
    from crawler.fetch.scheduler import SourceScheduler

    stopping = Stopping(settings.shutdown_grace_seconds)
    stopping.install()
    roles = [role for role, on in (("crawl", crawl), ("alerts", deliver)) if on]
    status = ServiceStatus(settings, handle, roles)
    endpoint = None
    sources_gauge = None
    if settings.http.enabled:
        collectors: list[Any] = [ServiceCollector(status)]
        if deliver:
            collectors.append(AlertQueueCollector(status.client, handle.keys))
        if crawl:
            enabled = [s.name for s in settings.sources if s.enabled]
            sources_gauge = SourceCollector(
                settings, FeedStore(status.client, handle.keys), enabled
            )
            collectors.append(sources_gauge)
        pages: list[Any] = []
        console = console_for(settings, handle)
        if settings.alerts.public_url and unsubscribe.secret() is not None:
            languages = {s.name: s.language for s in settings.subscriptions}
            pages.append(UnsubscribePages(status.client, handle.keys, languages,
                                          unsubscribe_landing(settings, console is not None)))  # fmt: skip
        endpoint = StatusEndpoint(settings.http, status, collectors, pages=pages, console=console)
        try:
            address = await endpoint.start()
        except OSError as exc:
            log.error("cannot serve /healthz and /metrics on %s:%d: %s; set http.port "
                      "(RAQIB_HTTP__PORT) or http.enabled: false", settings.http.host,
                      settings.http.port, exc.strerror or exc)  # fmt: skip
            return 1
        log.info("status endpoint on %s (/healthz, /metrics%s)", address,
                 ", /console/" if endpoint.console is not None else "")  # fmt: skip

    services = asyncio.Event()  # stops the supervised helpers
    helpers: list[asyncio.Task[None]] = []
    schedule = None
    worker = None
    context = None
    finished = False
    loop = asyncio.get_running_loop()
    try:
        if handle.embedded is not None:
            embedded = handle.embedded
            helpers.append(asyncio.create_task(supervise(
                "embedded-redis",
                lambda: embedded.keep_running(services, EMBEDDED_REDIS_RESTARTS.inc), services,
            )))  # fmt: skip
        if crawl:
            context = CrawlContext.build(settings, handle)
            preload(context)
            schedule = SourceScheduler(context, settings.sources)
            schedule.start()
            status.schedule = schedule
        worker_stop = asyncio.Event()
        running: list[Awaitable[Any]] = []
        if deliver:
            worker = AlertWorker(settings, handle)
            status.worker = worker
            running.append(asyncio.create_task(
                worker.run(worker_stop, grace=settings.shutdown_grace_seconds), name="alerts"
            ))  # fmt: skip
        reloader = Reloader(settings, handle.keys, status.client, context, schedule,
                            sources_gauge, worker)  # fmt: skip
        loop.add_signal_handler(signal.SIGHUP, reloader.on_signal)
        helpers.append(asyncio.create_task(
            supervise("reload", lambda: reloader.watch(services), services)
        ))  # fmt: skip
        log.info("raqib running (%s) on %s; Ctrl-C or SIGTERM stops it, SIGHUP or `raqib "
                 "reload` reloads sources, watchlists and subscriptions", " + ".join(roles),
                 handle.describe())  # fmt: skip

        await stopping.requested.wait()
        status.stopping = True
        # No new work: no new crawl runs, no new matches or jobs read.
        if schedule is not None:
            schedule.shutdown()
            running.append(schedule.batcher.settle(None))
        worker_stop.set()
        finished = await stopping.within(asyncio.gather(*running))
        if not finished:
            if schedule is not None:
                # Documents still in the reader are given up first (their workers killed), so
                # the crawls waiting for them can end now; the next start reads them again.
                schedule.context.close()
                # The spiders close when the requests in flight end; we do not wait that long.
                wait = 0.0 if stopping.forced.is_set() else CRAWL_STOP_SECONDS
                await _bounded(stop_crawls(schedule.context), wait)
            if worker is not None:
                await worker.abandon()
    finally:
        # Whatever ended the run (a stop, or an error while starting or running), let go of
        # everything it holds: the workers, the endpoint's port, the embedded Redis's watch.
        loop.remove_signal_handler(signal.SIGHUP)
        if schedule is not None:
            if not schedule.stopping:
                schedule.shutdown()
            schedule.context.close()
        services.set()
        await asyncio.gather(*helpers, return_exceptions=True)
        if endpoint is not None:
            await endpoint.stop()
        status.close()
        if worker is not None:
            await worker.close()
    log.info(
        "stopped%s", "" if finished else " (work left unfinished is taken up at the next start)"
    )
    return 0


async def _bounded(work: Awaitable[Any], seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(work, timeout=seconds)


def daemon(settings: Settings, once: bool, crawl: bool = True, deliver: bool = True) -> int:
    async def main() -> int:
        try:
            with open_redis(settings) as handle:
                log.info("using %s", handle.describe())
                if once:
                    # One pass cannot wait for Redis to come back: say so at once. The daemon
                    # (below) rides out a Redis that is not there yet, as it rides out restarts.
                    try:
                        await asyncio.to_thread(handle.sync().ping)
                    except (redis.ConnectionError, redis.TimeoutError) as exc:
                        log.error("%s", unreachable(exc))
                        return EXIT_FAILURE
                    return await run_once(settings, handle, crawl, deliver)
                return await run_forever(settings, handle, crawl, deliver)
        except NotPrivate as exc:  # a data directory or socket that is not ours alone
            log.error("%s", exc)
            return EXIT_FAILURE

    return run_in_reactor(main)
