"""The daemon's status server on a loop of its own, as `raqib run` makes it: the readers'
unsubscribe pages, and the console when a test asks for it."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from alerts.unsubscribe import UnsubscribePages
from crawler.app.console.web import Console
from crawler.app.endpoint import StatusEndpoint
from crawler.app.status import ServiceStatus
from tests.support.delivery import handle_for


@contextmanager
def status_server(
    settings: Any,
    languages: Mapping[str, str] | None = None,
    landing: str | None = None,
    console_users: dict[str, str] | None = None,
) -> Iterator[str]:
    """Serve until the block ends; yields the address. `landing`: where the unsubscribe pages
    lead (the console's page); `console_users`: serve the console too, with these logins."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    handle = handle_for(settings)
    status = ServiceStatus(settings, handle, ["alerts"])
    client = handle.sync()
    console = (
        Console(settings, client, handle.keys, host="127.0.0.1", environ=console_users)
        if console_users is not None
        else None
    )
    pages = [UnsubscribePages(client, handle.keys, dict(languages or {}), landing)]
    server = StatusEndpoint(settings.http, status, [], pages=pages, console=console)
    address = asyncio.run_coroutine_threadsafe(server.start(), loop).result(10)
    try:
        yield address
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()
        client.close()
        status.client.close()
