"""Processes and long-lived tasks: children that die with the daemon, tasks kept running, their counters."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import os
import signal
from collections.abc import Awaitable, Callable

from prometheus_client import Counter

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1

TASK_ERRORS = Counter(
    "raqib_task_errors",
    "Unexpected errors caught in a long-lived task (router, sender, clock …), which went on.",
    ["task"],
)
TASK_RESTARTS = Counter(
    "raqib_task_restarts",
    "Long-lived tasks that ended by surprise and were started again.",
    ["task"],
)


def die_with_parent(parent: int | None = None) -> None:
    """In a child process: get SIGTERM when the daemon dies, even by SIGKILL (Linux).

    The embedded Redis then writes its AOF and exits, and a parser worker exits rather than
    wait for ever on a pipe it holds both ends of. With `parent`, a child whose parent is
    already gone by now exits at once.
    """
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass
    if parent is not None and os.getppid() != parent:
        os._exit(0)


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
