"""Arabic normalisation for matching: one translate table, and a map back to the original offsets."""

from __future__ import annotations

import re

_DELETE = [
    0x0640,  # tatweel
    *range(0x064B, 0x0660),  # harakat: fathatan … sukun, maddah, hamza above/below, …
    0x0670,  # superscript alef
    *range(0x06D6, 0x06EE),  # Quranic annotation marks
    0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x00AD,  # joiners, direction marks
    0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,  # bidi embeddings
    0x000D,  # carriage return: CRLF text must read like LF text
]  # fmt: skip

_MAP = {
    # alef forms → bare alef; hamza seats folded so مسؤول/مسئول and رئيس/رييس meet
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا", "ؤ": "و", "ئ": "ي",
    # alef maqsura → ya; ta marbuta → ha (matching only)
    "ى": "ي", "ة": "ه",
    # Persian / Urdu / Kurdish letters → Arabic
    "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ێ": "ي", "ک": "ك", "ڪ": "ك", "گ": "ك",
    "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه", "ۃ": "ه",
    "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن", "ڨ": "ق", "ڭ": "ك",
    # quotes of every kind → ASCII
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "＂": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'", "‹": '"', "›": '"',
    # Arabic punctuation → ASCII
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",", "۔": ".",
    "–": "-", "—": "-", "―": "-", "…": ".",
    # whitespace of every kind → space; a newline is kept (two of them end a paragraph)
    "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ", "\u2003": " ",
    "\u3000": " ", "\u2028": "\n", "\u2029": "\n", "\u000b": "\n", "\u000c": "\n", "\u0085": "\n",
}  # fmt: skip

TABLE: dict[int, str | None] = {cp: None for cp in _DELETE}
TABLE.update({ord(k): v for k, v in _MAP.items()})
for _i in range(10):
    TABLE[0x0660 + _i] = str(_i)  # Arabic-Indic digits
    TABLE[0x06F0 + _i] = str(_i)  # Persian digits
for _c in range(ord("A"), ord("Z") + 1):
    TABLE[_c] = chr(_c + 32)

# The table as (character, replacement) pairs: `normalise` replaces only the characters a long
# text holds. No replacement holds a character of the table, so replacing one after another is
# the one-pass translate, character for character.
_PAIRS = [(chr(cp), to or "") for cp, to in TABLE.items()]
assert not any(c in TABLE for _, to in _PAIRS for c in map(ord, to))
_LONG = 100  # letters from which the replaces beat translate (titles and words are shorter)

# A run of blanks: with two or more newlines it is a paragraph break ("\n"), otherwise one space.
# A single newline is a soft wrap (feeds and extractors break lines inside sentences).
# (The same runs as `[ \n]{2,}|\n`, written so that the engine tries less at each space.)
_BLANKS = re.compile(r"\n[ \n]*| [ \n]+")


def _fold_blanks(run: str) -> str:
    return "\n" if run.count("\n") >= 2 else " "


def normalise(text: str) -> str:
    """Text folded for matching: the same length or shorter, never longer."""
    if len(text) < _LONG:
        folded = text.translate(TABLE)
    else:
        # str.translate looks up every character in the table; a text holds few of the table's
        # characters, and a substring test and a replace per character are scans in C
        folded = text
        for char, to in _PAIRS:
            if char in folded:
                folded = folded.replace(char, to)
    if "\n" in folded or "  " in folded:
        folded = _fold_runs(folded)
    return folded


def _fold_runs(text: str) -> str:
    """`_BLANKS.sub` with `_fold_blanks`: a text holds few runs, found by scans in C, where the
    pattern is tried at every space. A run is a whole stretch of spaces and newlines that holds
    a newline or two blanks (what the pattern matches from its first blank)."""
    pieces: list[str] = []
    done = 0  # the text before it is folded (a run ended there, or nothing began)
    length = len(text)
    # the next newline and the next two spaces at or after `done` (-1: none left), each looked
    # for again only once a run has passed it: every scan goes on from where the last stopped
    newline = text.find("\n")
    spaces = text.find("  ")
    while newline >= 0 or spaces >= 0:
        start = spaces if newline < 0 or 0 <= spaces < newline else newline
        while start > done and text[start - 1] == " ":
            start -= 1  # (spaces before a newline: the run began there)
        end = start + 1
        while end < length and text[end] in " \n":
            end += 1
        pieces.append(text[done:start])
        pieces.append("\n" if text.count("\n", start, end) >= 2 else " ")
        done = end
        if 0 <= newline < done:
            newline = text.find("\n", done)
        if 0 <= spaces < done:
            spaces = text.find("  ", done)
    if not pieces:
        return text
    pieces.append(text[done:])
    return "".join(pieces)


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset it came from in `text`.

    Slow (a loop per character): for highlighting, never on the detection path. It must agree
    with `normalise` character for character; a test holds them together.
    """
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        mapped = TABLE.get(ord(char), char)
        if mapped is None:
            continue
        chars.append(mapped)
        origin.append(index)
    translated = "".join(chars)
    out: list[str] = []
    offsets: list[int] = []
    cursor = 0
    for match in _BLANKS.finditer(translated):
        out.append(translated[cursor : match.start()])
        offsets.extend(origin[cursor : match.start()])
        out.append(_fold_blanks(match.group()))
        offsets.append(origin[match.start()])
        cursor = match.end()
    out.append(translated[cursor:])
    offsets.extend(origin[cursor:])
    return "".join(out), offsets
