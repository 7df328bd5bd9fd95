"""A real headless Chromium (Debian's `chromium`) driven by Playwright, for pages people look at."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Playwright cannot download its own browser here; Debian's is used, found on PATH or named.
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")

# Without the background-networking flags Chromium tries to reach Google's hosts at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=Translate,MediaRouter,OptimizationHints",
]


def chromium_path() -> str | None:
    named = os.environ.get("RAQIB_CHROMIUM")
    if named:
        return named
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@contextmanager
def chromium() -> Iterator[Any]:
    """A Playwright Browser on the machine's Chromium, closed afterwards."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError(
            "no Chromium on this machine: install Debian's `chromium` (.ci/run does) "
            "or name one in RAQIB_CHROMIUM"
        )
    with tempfile.TemporaryDirectory(prefix="raqib-chromium-") as profile, sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield context
        finally:
            context.close()
