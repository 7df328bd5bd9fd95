"""Render the console's list, map and incident page to PNG for docs/console.md, and the analyst's
desk (feedback forms, silences, subscriptions) for docs/feedback.md (`make screenshots`).

A throwaway embedded Redis holds our invented Arabic reports (through real detection and the
incident store) and 150 generated incidents over three months; the map has no tiles, so the
pictures need no network and show Libya's outline. The desk's pictures are taken logged in as a
throwaway analyst, after a silence and a subscription were made through the pages' own forms.
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
from crawler.app.console.access import hash_password  # noqa: E402
from tests.support.browser import chromium  # noqa: E402
from tests.support.console import (  # noqa: E402
    console_server,
    generated,
    record_reports,
    write_incidents,
)
from tests.support.redis_mode import client_for  # noqa: E402

IMAGES = ROOT / "docs/images"
PASSWORD = "screenshots-only"
SHOTS = ("console-list", "console-map", "console-incident", "console-feedback",
         "console-silences", "console-subscriptions")  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(Path(tmp)) as server:
        client = client_for(server.url)
        keys = Keyspace("shots:")
        settings = Settings(
            console={"tile_url": ""},
            subscriptions=[{"name": "desk", "email": ["desk@example.org"]}],
        )
        write_incidents(client, keys, generated(150, time.time() - 3600, days=90))
        record_reports(client, keys, settings)
        users = {"RAQIB_CONSOLE_USERS": "huda:" + hash_password(PASSWORD)}
        with console_server(settings, client, keys, environ=users) as url, chromium() as browser:
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
            desk(page, url)
    for name in SHOTS:
        print(f"wrote docs/images/{name}.png")


def desk(page: object, url: str) -> None:
    """The analyst's pictures: logged in, things made through the forms, then photographed."""
    from typing import Any

    p: Any = page
    p.goto(f"{url}/login?next=/console/incidents")
    p.fill("input[name=name]", "huda")
    p.fill("input[name=password]", PASSWORD)
    p.click("#login button")
    p.wait_for_selector("#incidents")
    p.goto(f"{url}/silences")
    p.select_option("#add-silence select[name=region]", "فزان")
    p.fill("#add-silence input[name=for]", "6h")
    p.fill("#add-silence input[name=comment]", "تمرين عسكري حول سبها")
    p.click("#add-silence button")
    p.wait_for_selector("#done")
    p.select_option("#add-silence select[name=type]", "kidnapping")
    p.fill("#add-silence input[name=for]", "1d")
    p.fill("#add-silence input[name=comment]", "المكتب يتابعها مباشرة")
    p.click("#add-silence button")
    p.wait_for_selector("#done")
    p.screenshot(path=str(IMAGES / "console-silences.png"), full_page=True)
    p.goto(f"{url}/subscriptions")
    form = p.locator("#add-subscription")
    form.locator("input[name=name]").fill("field-team")
    form.locator("input[name=email]").fill("team@example.org")
    form.locator("select[name=regions]").select_option("فزان")
    form.locator("button").click()
    p.wait_for_selector("#done")
    p.screenshot(path=str(IMAGES / "console-subscriptions.png"), full_page=True)
    p.goto(f"{url}/incidents?place=تراغن&type=attack")
    p.locator("#incidents tr.incident a").first.click()
    p.wait_for_selector("#incident")
    p.fill("#fb-toll input[name=killed]", "5")
    p.fill("#fb-toll input[name=comment]", "رقم وزارة الصحة")
    p.click("#fb-toll button")
    p.wait_for_selector("#done")
    p.locator("#feedback").scroll_into_view_if_needed()
    p.evaluate("window.scrollBy(0, -80)")
    p.screenshot(path=str(IMAGES / "console-feedback.png"))


if __name__ == "__main__":
    main()
