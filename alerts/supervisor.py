"""Keeps a long-lived task running: one that ends by surprise is logged, counted and started again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from alerts.metrics import TASK_RESTARTS

log = logging.getLogger(__name__)

FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0
STEADY_AFTER = 60.0  # a task that ran this long before it ended restarts after FIRST_PAUSE


async def supervise(name: str, run: Callable[[], Awaitable[object]], stop: asyncio.Event) -> None:
    """Run `run()` until `stop` is set; if it returns or raises before then, run it again.

    The pause between restarts doubles from half a second up to 30 s while the task keeps
    failing fast, so a task that cannot start does not spin; one that ran a while restarts after the shortest pause.
    """
    pause = FIRST_PAUSE
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        try:
            await run()
            if stop.is_set():
                return
            log.error("task %s ended by itself; starting it again", name)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("task %s failed; starting it again", name)
        TASK_RESTARTS.labels(task=name).inc()
        if loop.time() - started >= STEADY_AFTER:
            pause = FIRST_PAUSE
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pause)
        pause = min(pause * 2, LONGEST_PAUSE)
