"""Third-party text made clean once, where it enters Raqib: no controls, escapes or direction overrides.

Feed titles, summaries, article text and links are written by strangers. A newline in a title
forges a log line; ESC sequences recolour or rewrite a terminal; U+202E and its kin reorder what
a line seems to say; C0 and C1 controls confuse mail and chat clients. `clean_text` takes them
out and is applied at the two doors: where the crawler reads a feed or an article, and in the
alert contract (`alerts.message`), so that no template ever sees them.
"""

from __future__ import annotations

import re

# Escape sequences, whole, so that no "[31m" is left behind: OSC (ESC ] … ended by BEL or
# ESC \\; unended, only its ESC goes), CSI (ESC [ …, or the C1 CSI), any other ESC pair, and an
# IRC colour code with its digits (\x0304,01).
_ESCAPES = (
    r"(?:\x1b\]|\x9d)[^\x07\x1b\n]{0,512}(?:\x07|\x1b\\)"
    r"|(?:\x1b\[|\x9b)[0-?]{0,64}[ -/]{0,16}[@-~]?"
    r"|\x1b[@-_]?"
    r"|\x03(?:\d{1,2}(?:,\d{1,2})?)?"
)
# Taken out: C0 controls but tab and newline; DEL; C1 controls but NEL (a line break); the
# bidirectional embeddings, overrides and isolates (U+202A–202E, U+2066–2069), which reorder the
# text around them; the byte-order mark and the interlinear annotation marks. Left in: the marks
# that only say which way a letter runs (U+200E, U+200F, U+061C) and the joiners Arabic and
# Persian need.
_REMOVED = re.compile(
    _ESCAPES + r"|\r(?=\n)|[\x00-\x08\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x84\x86-\x9a\x9c\x9e\x9f"
    r"\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
# Line breaks of every kind become a newline; a tab a space.
_BREAKS = str.maketrans({"\r": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n", "\t": " "})
_ONE_LINE = str.maketrans({"\n": " "})
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Cheap first look: almost all text has none of these and is returned as it is.
_SUSPECT = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb\ud800-\udfff]"
)


def clean_text(text: str, one_line: bool = False) -> str:
    """`text` without controls, terminal escapes or direction overrides; line breaks of every
    kind as "\\n" (as spaces with `one_line`, for titles and names). Nothing else changes: no
    letter, mark or space is added or moved, so text that was clean comes back as it was."""
    if _SUSPECT.search(text) is not None:
        text = _REMOVED.sub("", text).translate(_BREAKS)
        text = _SURROGATE.sub("\ufffd", text)  # half a character cannot be encoded anywhere
    return text.translate(_ONE_LINE) if one_line and "\n" in text else text


def removed_spans(text: str) -> list[tuple[int, int]]:
    """The [start, end) spans `clean_text` takes out of `text` (its other changes keep lengths),
    for moving offsets into the text (highlighted words) along with it."""
    if _SUSPECT.search(text) is None:
        return []
    return [m.span() for m in _REMOVED.finditer(text)]


def shift_offset(offset: int, spans: list[tuple[int, int]]) -> int:
    """Where `offset` of the original text is once `spans` are taken out."""
    moved = offset
    for start, end in spans:
        if start >= offset:
            break
        moved -= min(end, offset) - start
    return moved
