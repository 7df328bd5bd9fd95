"""The status endpoint: GET /healthz (JSON; 200 healthy, 503 not), GET /metrics (Prometheus), the
console, and the readers' unsubscribe pages (GET and POST /unsubscribe) when they are set up."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest
from prometheus_client.registry import Collector, CollectorRegistry

from config.settings import HttpSettings
from crawler.app.status import ServiceStatus

if TYPE_CHECKING:
    from crawler.app.console.web import Console

log = logging.getLogger(__name__)


class StatusEndpoint:
    """An aiohttp server on the daemon's own loop. Checks and scrapes read Redis in a thread of
    their own, so neither the loop nor a busy pool of e-mail sends can hold them up."""

    def __init__(
        self,
        settings: HttpSettings,
        status: ServiceStatus,
        collectors: list[Collector],
        registry: CollectorRegistry = REGISTRY,
        pages: list[Any] | None = None,
        console: Console | None = None,
    ) -> None:
        self.settings = settings
        self.pages = pages or []  # more routes: objects with add_routes(app)
        self.status = status
        self.collectors = collectors
        self.registry = registry
        self.console = console  # the analyst's console, under /console
        self.runner: Any = None
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="raqib-status")

    async def start(self) -> str:
        """Listen; returns the address. Raises OSError when the port cannot be had."""
        from aiohttp import web

        app = web.Application()
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        for page in self.pages:
            page.add_routes(app)
        if self.console is not None:
            self.console.install(app)
        self.runner = web.AppRunner(app, access_log=None, handle_signals=False)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.host, self.settings.port)
        try:
            await site.start()
        except OSError:
            await self.runner.cleanup()
            self.runner = None
            raise
        for collector in self.collectors:
            self.registry.register(collector)
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
            for collector in self.collectors:
                self.registry.unregister(collector)
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self.console is not None:
            await self.console.close()

    async def _in_thread(self, function: Any, *args: Any) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.pool, function, *args)

    async def _healthz(self, request: Any) -> Any:
        from aiohttp import web

        healthy, body = await self._in_thread(self.status.health)
        return web.json_response(
            body,
            status=200 if healthy else 503,
            dumps=functools.partial(json.dumps, ensure_ascii=False),
        )

    async def _metrics(self, request: Any) -> Any:
        from aiohttp import web

        text = await self._in_thread(generate_latest, self.registry)
        return web.Response(body=text, headers={"Content-Type": CONTENT_TYPE_LATEST})
