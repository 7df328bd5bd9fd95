"""Sample alerts as a reader sees them, rendered in headless Chromium to docs/images/alert-*.png.

Run by `make screenshots`. The incidents are our own made-up samples (tests/support/alert_pages.py);
the e-mail's HTML is shown as it is, the plain text and chat as a bidi-aware reader shows them.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.support.alert_pages import samples, text_page  # noqa: E402
from tests.support.browser import chromium  # noqa: E402

IMAGES = ROOT / "docs" / "images"
PHONE = {"width": 400, "height": 800}


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    ar, en = samples("ar"), samples("en")
    shots = {
        "alert-email-ar.png": ar["new"].html,
        "alert-email-en.png": en["new"].html,
        "alert-update-ar.png": ar["update"].html,
        "alert-digest-ar.png": ar["digest"].html,
        "alert-chat-ar.png": text_page(ar["new"].chat, "ar"),
        "alert-chat-en.png": text_page(en["new"].chat, "en"),
    }
    with chromium() as browser:
        page = browser.new_page()
        page.set_viewport_size(PHONE)
        for name, html in shots.items():
            page.set_content(html, wait_until="load")
            page.screenshot(path=str(IMAGES / name), full_page=True)
            print(f"docs/images/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
