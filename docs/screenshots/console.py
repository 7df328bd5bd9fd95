"""Render the console's list, map and incident page to PNG for docs/console.md (`make screenshots`).

A throwaway embedded Redis holds our invented Arabic reports (through real detection and the
incident store) and 150 generated incidents over three months; the map has no tiles, so the
pictures need no network and show Libya's outline.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from alerts.spine.connections import EmbeddedRedis  # noqa: E402
from alerts.spine.keyspace import Keyspace  # noqa: E402
from config.settings import Settings  # noqa: E402
from tests.support.browser import chromium  # noqa: E402
from tests.support.console import (  # noqa: E402
    console_server,
    generated,
    record_reports,
    write_incidents,
)
from tests.support.redis_mode import client_for  # noqa: E402

IMAGES = ROOT / "docs/images"


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(Path(tmp)) as server:
        client = client_for(server.url)
        keys = Keyspace("shots:")
        settings = Settings(console={"tile_url": ""})
        write_incidents(client, keys, generated(150, time.time() - 3600, days=90))
        record_reports(client, keys, settings)
        with console_server(settings, client, keys) as url, chromium() as browser:
            page = browser.new_page()
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"{url}/incidents?span=30d")
            page.screenshot(path=str(IMAGES / "console-list.png"))
            page.goto(f"{url}/map?span=365d")
            page.wait_for_selector("#map[data-loaded]")
            page.wait_for_timeout(1500)  # the clusters fade in
            page.screenshot(path=str(IMAGES / "console-map.png"))
            page.goto(f"{url}/incidents?place=تراغن&type=attack")
            page.locator("#incidents tr.incident a").first.click()
            page.wait_for_selector("#incident")
            page.screenshot(path=str(IMAGES / "console-incident.png"), full_page=True)
    for name in ("console-list", "console-map", "console-incident"):
        print(f"wrote docs/images/{name}.png")


if __name__ == "__main__":
    main()
