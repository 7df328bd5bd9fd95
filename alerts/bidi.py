"""Mixed-direction text kept in order: every number, id and Latin name isolated from the words around it.

Arabic and English share a line in every alert: "+0.10" in an Arabic sentence shows as "0.10+",
an incident id such as `qatrun-7` splits around its hyphen, a Latin outlet name pulls the Arabic
after it to the wrong side. The Unicode bidirectional algorithm is told where each fragment
starts and ends: in HTML with `<bdi>` (or `dir="auto"` on a block), in plain text and chat with
FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (U+2068 … U+2069), which every current mail client,
Telegram, Slack and Matrix honour. Third-party text cannot carry isolates of its own: the alert
contract cleans them out (`alerts.spine.cleaning`), so each one in a message is ours and balanced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from markupsafe import Markup, escape

FSI = "\u2068"  # first strong isolate: the fragment takes the direction of its first letter
LRI = "\u2066"  # left-to-right isolate: for fragments that are always LTR (URLs, times)
PDI = "\u2069"  # pop directional isolate: ends the fragment
RLM = (
    "\u200f"  # right-to-left mark: keeps a line that starts with digits or Latin text right-aligned
)


def isolate_text(value: object) -> str:
    """A fragment for plain text or chat, isolated from the text around it; each line of it
    on its own (an isolate ends with its paragraph)."""
    text = str(value)
    return "\n".join(f"{FSI}{line}{PDI}" if line else "" for line in text.split("\n"))


LRM = "\u200e"  # left-to-right mark
_ARABIC = range(0x0590, 0x08FF + 1)  # Hebrew, Arabic and their supplements: right to left


def first_strong_is_rtl(text: str) -> bool:
    for char in text:
        if ord(char) in _ARABIC or 0xFB1D <= ord(char) <= 0xFEFC:
            return True
        if char.isalpha():
            return False
    return False


def paragraph_text(value: object) -> str:
    """A paragraph of a source (its title, a quoted sentence) on lines of its own: each line
    starts with a mark of its own direction, so an Arabic sentence in an English message is laid
    out right to left, and an English one in an Arabic message left to right."""
    return "\n".join(
        (RLM if first_strong_is_rtl(line) else LRM) + line if line else ""
        for line in str(value).split("\n")
    )


def isolate_ltr_text(value: object) -> str:
    """A fragment that always runs left to right (a link, a timestamp), isolated."""
    text = str(value)
    return f"{LRI}{text}{PDI}" if text else ""


def isolate_html(value: object) -> Markup:
    """A fragment for HTML: escaped (unless it is our own markup already) inside `<bdi>`."""
    return Markup("<bdi>{}</bdi>").format(value) if str(value) else Markup("")


def fill(template: str, isolate: Callable[[object], Any], **values: object) -> str:
    """A sentence from one of our label templates, each value isolated; in HTML the template is
    ours (no escaping needed) and each value is escaped by `isolate`."""
    parts = {k: isolate(v) for k, v in values.items()}
    if isolate is isolate_html:
        return str(escape(template).format(**parts))
    return template.format(**parts)


def _marked_runs(text: str, marks: list[tuple[int, int]]) -> Iterator[tuple[str, bool]]:
    """`text` cut into runs, each with whether it is a matched word; overlaps are merged."""
    cursor = 0
    for start, end in sorted(marks):
        start, end = max(start, cursor), min(end, len(text))
        if start >= end:
            continue
        yield text[cursor:start], False
        yield text[start:end], True
        cursor = end
    yield text[cursor:], False


def marked_html(text: str, marks: list[tuple[int, int]]) -> Markup:
    """A sentence of a source with the matched words wrapped in `<mark>`, all of it escaped."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(run) if marked else escape(run)
        for run, marked in _marked_runs(text, marks)
    )


def marked_text(text: str, marks: list[tuple[int, int]], left: str = "«", right: str = "»") -> str:
    """The same for plain text and chat: the matched words between guillemets."""
    return "".join(
        f"{left}{run}{right}" if marked else run for run, marked in _marked_runs(text, marks)
    )


FILTERS: Mapping[str, Callable[..., Any]] = {
    "iso": isolate_text,
    "iso_ltr": isolate_ltr_text,
    "para": paragraph_text,
    "bdi": isolate_html,
}
