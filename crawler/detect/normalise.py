"""Arabic normalisation for matching: one translate table, and a map back to the original offsets."""

from __future__ import annotations

import re

_DELETE = [
    0x0640,  # tatweel
    *range(0x064B, 0x0660),  # harakat: fathatan … sukun, maddah, hamza above/below, …
    0x0670,  # superscript alef
    *range(0x06D6, 0x06EE),  # Quranic annotation marks
    0x200C, 0x200D, 0x200E, 0x200F, 0x061C, 0xFEFF, 0x00AD,  # joiners, direction marks, BOM
]  # fmt: skip

_MAP = {
    # alef forms → bare alef
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    # alef maqsura → ya; ta marbuta → ha (matching only)
    "ى": "ي", "ة": "ه",
    # Persian / Urdu / Kurdish letters → Arabic
    "ی": "ي", "ې": "ي", "ۍ": "ي", "ے": "ي", "ک": "ك", "ڪ": "ك", "گ": "ك",
    "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ۀ": "ه", "ە": "ه", "ہ": "ه", "ھ": "ه",
    # quotes of every kind → "
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "`": "'", "´": "'",
    # Arabic punctuation → ASCII
    "،": ",", "؛": ";", "؟": "?", "٪": "%", "٫": ".", "٬": ",",
    "–": "-", "—": "-", "ـ": "",
    # whitespace of every kind → space
    "\n": " ", "\r": " ", "\t": " ", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2002": " ",
    "\u2003": " ", "\u3000": " ", "\u2028": " ", "\u2029": " ",
}  # fmt: skip

TABLE: dict[int, str | None] = {cp: None for cp in _DELETE}
TABLE.update({ord(k): v or None for k, v in _MAP.items()})
for _i in range(10):
    TABLE[0x0660 + _i] = str(_i)  # Arabic-Indic digits
    TABLE[0x06F0 + _i] = str(_i)  # Persian digits
for _c in range(ord("A"), ord("Z") + 1):
    TABLE[_c] = chr(_c + 32)

_SPACES = re.compile(r" {2,}")


def normalise(text: str) -> str:
    """Text folded for matching: the same length or shorter, never longer."""
    folded = text.translate(TABLE)
    if "  " in folded:
        folded = _SPACES.sub(" ", folded)
    return folded


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised text and, for each of its characters, the offset it came from in `text`."""
    out: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        mapped = TABLE.get(ord(char), char)
        if not mapped:
            continue
        if mapped == " " and out and out[-1] == " ":
            continue
        out.append(mapped)
        offsets.append(index)
    return "".join(out), offsets
