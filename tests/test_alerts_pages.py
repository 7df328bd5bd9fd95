"""Every alert template rendered in a real headless Chromium: direction, labels, isolation, facts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from alerts.bidi import FSI, PDI
from alerts.render import Rendered
from tests.support.alert_pages import CLAIM, EVIDENCE, samples, text_page
from tests.support.browser import chromium, chromium_path

pytestmark = pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium")

KINDS = ("new", "update", "digest", "test")

# In the page: the computed direction of each block that has a class.
DIRECTIONS_JS = """() => Object.fromEntries(
  [...document.querySelectorAll('body, .headline, .facts, .evidence, .title, .scoring, .sources')]
    .map((el, i) => [el.className || el.tagName.toLowerCase(), getComputedStyle(el).direction]))"""

# Visible words outside the values we isolate and outside the scoring detail (the detector's
# own words, out of line and marked lang="en").
LABEL_TEXT_JS = """() => {
  const body = document.body.cloneNode(true);
  body.querySelectorAll('.scoring, bdi, a, .title, .evidence, .summary').forEach(e => e.remove());
  return body.innerText;
}"""

# Text nodes holding digits or Latin letters that no element isolates.
LOOSE_JS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!/[0-9A-Za-z]/.test(node.data)) continue;
    let el = node.parentElement, isolated = false;
    while (el && el !== document.body) {
      if (el.tagName === 'BDI' || el.tagName === 'A' || el.hasAttribute('dir')) { isolated = true; break; }
      el = el.parentElement;
    }
    if (!isolated) out.push(node.data.trim());
  }
  return out;
}"""

# Where a string shows on the page: the left edge of its first and of its last character.
EDGES_JS = """(needle) => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, at = node.data.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, at); range.setEnd(node, at + 1);
    const first = range.getBoundingClientRect().left;
    range.setStart(node, at + needle.length - 1); range.setEnd(node, at + needle.length);
    return [first, range.getBoundingClientRect().left];
  }
  return null;
}"""

# For plain text and chat: the direction each line was laid out in (its first character's
# side of the line), for the lines that hold letters.
LINE_SIDES_JS = """() => [...document.querySelectorAll('.line')].map(div => {
  const text = div.textContent;
  const at = text.search(/[\\u0600-\\u06FFA-Za-z]/);
  if (at < 0) return null;
  const range = document.createRange();
  const node = div.firstChild;
  range.setStart(node, 0); range.setEnd(node, 1);
  const box = div.getBoundingClientRect(), r = range.getBoundingClientRect();
  return [text.slice(0, 30), (r.left - box.left) > (box.right - r.right) ? 'right' : 'left'];
}).filter(Boolean)"""


@pytest.fixture(scope="module")
def page() -> Iterator[Any]:
    with chromium() as browser:
        page = browser.new_page()
        page.set_viewport_size({"width": 420, "height": 900})  # a phone's width
        yield page


def _show(page: Any, html: str) -> None:
    page.set_content(html, wait_until="load")


@pytest.mark.parametrize("kind", KINDS)
def test_arabic_html(page: Any, kind: str) -> None:
    rendered = samples("ar")[kind]
    _show(page, rendered.html)
    directions = page.evaluate(DIRECTIONS_JS)
    assert directions["body"] == "rtl"
    assert {directions[k] for k in ("headline", "facts", "evidence") if k in directions} == {"rtl"}
    if "scoring" in directions:
        assert directions["scoring"] == "ltr", "the detector's own words run left to right"
    labels = page.evaluate(LABEL_TEXT_JS)
    assert not re.search(r"[A-Za-z]", labels), f"an English word in Arabic mail: {labels!r}"
    assert page.evaluate(LOOSE_JS) == [], "every number and Latin name is isolated"
    text = page.inner_text("body")
    for fact in ("سرت", "تفجير انتحاري" if kind != "digest" else "هجوم انتحاري", "أعماق"):
        assert fact in text or kind == "digest", fact
    if kind != "digest":
        assert "حادثة خطيرة" in text and "من قوات الأمن" in text and "نقطة تفتيش" in text
        assert page.locator("mark").count() >= 3, "the matched words are highlighted"
        # A date in Arabic mail reads left to right, as written: 2026 before 14.
        first, last = page.evaluate(EDGES_JS, "2026-03-14")
        assert first < last
        # The scoring detail is out of line: collapsed until asked for.
        assert not page.locator(".scoring").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 420, "fits a phone"


@pytest.mark.parametrize("kind", KINDS)
def test_english_html(page: Any, kind: str) -> None:
    rendered = samples("en")[kind]
    _show(page, rendered.html)
    directions = page.evaluate(DIRECTIONS_JS)
    assert directions["body"] == "ltr" and directions["facts"] == "ltr"
    # The Arabic headline and the source's Arabic sentences stay right to left.
    assert directions["title"] == "rtl"
    if "evidence" in directions:
        assert directions["evidence"] == "rtl"
    text = page.inner_text("body")
    assert "Sirte (Tripolitania)" in text, "the gazetteer's English names"
    assert "Where" in text and "أين" not in text
    if kind != "digest":
        assert "Claimed by ISIS via Amaq" in text and "5 killed among security forces" in text
        assert "Target: a checkpoint" in text and "Severe incident" in text
        assert "Libya Observer" in text, "the outlet's own name, not its config name"
        assert "libya-observer" not in text
    else:
        assert "unattributed" in text
    assert page.evaluate("document.documentElement.scrollWidth") <= 420


def _plain(rendered: Rendered, form: str) -> str:
    return rendered.text if form == "text" else rendered.chat


@pytest.mark.parametrize("form", ["text", "chat"])
@pytest.mark.parametrize("kind", KINDS)
def test_arabic_text_and_chat(page: Any, kind: str, form: str) -> None:
    text = _plain(samples("ar")[kind], form)
    _show(page, text_page(text, "ar"))
    sides = [s for s in page.evaluate(LINE_SIDES_JS) if re.search("[\u0600-\u06ff]", s[0])]
    assert sides and [s for s in sides if s[1] != "right"] == []
    # Each number and Latin name in a line of ours is isolated (FSI … PDI); a source's own
    # sentences are quoted as paragraphs of their own, as the source wrote them.
    quoted = {EVIDENCE, CLAIM}
    for line in text.splitlines():
        if not re.search(r"[\u0600-\u06ff]", line) or line.startswith("  "):
            continue
        if re.sub("[«»\u200e\u200f]", "", line) in quoted:
            continue
        # A link stays bare, so that every reader makes it a link.
        outside = re.sub(f"{FSI}[^{PDI}]*{PDI}|https?://\\S+", "", line)
        assert not re.search(r"[0-9A-Za-z]", outside), line
    if kind != "digest":
        assert "أعماق" in text and "سرت" in text
    if kind == "test":
        assert "[تجربة]" in text if form == "chat" else "تجريبية" in text
    if form == "chat":
        assert "rule actor" not in text, "no scoring detail in chat"


@pytest.mark.parametrize("form", ["text", "chat"])
@pytest.mark.parametrize("kind", KINDS)
def test_english_text_and_chat(page: Any, kind: str, form: str) -> None:
    text = _plain(samples("en")[kind], form)
    _show(page, text_page(text, "en"))
    body = re.sub(f"[{FSI}{PDI}]", "", page.inner_text("body"))
    assert "Sirte (Tripolitania)" in body
    if kind != "digest":
        assert "Claimed by ISIS via Amaq" in body
    # English lines run left to right; the Arabic headline and quotes keep their direction.
    sides = page.evaluate(LINE_SIDES_JS)
    arabic = [side for line, side in sides if line.startswith("\u200f")]
    english = [side for line, side in sides if re.match(r"\W*[A-Za-z]", line)]
    assert arabic and set(arabic) == {"right"}, sides
    assert english and set(english) == {"left"}, sides


def test_subjects_say_test_update_and_severity() -> None:
    ar, en = samples("ar"), samples("en")
    assert ar["test"].subject.startswith("[تجربة] [رقيب] عاجل:")
    assert en["test"].subject.startswith("[TEST] [Raqib] SEVERE:")
    assert en["update"].subject.startswith("[Raqib] Update: SEVERE:")
    assert not ar["new"].subject.startswith("[تجربة]")
    assert f"{FSI}5 قتلى{PDI}" in ar["new"].subject
