"""The daemon: scheduler, crawler and alert worker in one asyncio loop over Twisted's reactor."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Awaitable, Callable
from typing import Any

from alerts.connections import RedisHandle, open_redis
from alerts.worker import AlertWorker
from config.settings import Settings
from crawler.context import CrawlContext
from crawler.crawl import crawl_sources, install_reactor, preload

log = logging.getLogger(__name__)


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


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)


async def run_once(settings: Settings, handle: RedisHandle, crawl: bool = True,
                   deliver: bool = True) -> int:  # fmt: skip
    """Crawl every enabled source once, deliver every resulting alert, return.

    An explicit run: it fetches sources that are backing off or leased by a running daemon too.
    """
    if crawl:
        context = CrawlContext.build(settings, handle)
        preload(context)
        sources = [s for s in settings.sources if s.enabled]
        log.info("crawling %d sources once", len(sources))
        try:
            await crawl_sources(context, sources)
        finally:
            context.close()
    if deliver:
        worker = AlertWorker(settings, handle)
        try:
            await worker.drain()
        finally:
            await worker.close()
        log.info("delivered %d alerts (%d failed)", worker.delivered, worker.failed)
    return 0


async def run_forever(settings: Settings, handle: RedisHandle, crawl: bool = True,
                      deliver: bool = True) -> int:  # fmt: skip
    from crawler.scheduler import SourceScheduler

    stop = asyncio.Event()
    _stop_on_signals(stop)
    tasks: list[asyncio.Task[Any]] = []
    schedule = None
    if crawl:
        context = CrawlContext.build(settings, handle)
        preload(context)
        schedule = SourceScheduler(context, settings.sources)
        schedule.start()
    worker = None
    if deliver:
        worker = AlertWorker(settings, handle)
        tasks.append(asyncio.create_task(worker.run(stop), name="alerts"))
    log.info("raqib running on %s; Ctrl-C or SIGTERM stops it", handle.describe())
    await stop.wait()
    log.info("stopping")
    if schedule is not None:
        schedule.shutdown()
        schedule.context.close()
    for task in tasks:
        try:
            await asyncio.wait_for(task, timeout=30)
        except TimeoutError:
            task.cancel()
    if worker is not None:
        await worker.close()
    return 0


def daemon(settings: Settings, once: bool, crawl: bool = True, deliver: bool = True) -> int:
    async def main() -> int:
        with open_redis(settings) as handle:
            log.info("using %s", handle.describe())
            if once:
                return await run_once(settings, handle, crawl, deliver)
            return await run_forever(settings, handle, crawl, deliver)

    return run_in_reactor(main)
