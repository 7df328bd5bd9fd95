"""Arabic numbers in normalised text: digits, number words (ثلاثة وعشرين) and vague counts (عشرات)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from crawler.detect.text.normalise import normalise


def _table(pairs: dict[str, int]) -> dict[str, int]:
    return {normalise(k): v for k, v in pairs.items()}


UNITS = _table({
    "واحد": 1, "واحدة": 1, "أحد": 1, "إحدى": 1, "اثنان": 2, "اثنين": 2, "اثنتان": 2, "اثنتين": 2,
    "اثنا": 2, "اثني": 2, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4, "خمس": 5, "خمسة": 5,
    "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثمان": 8, "ثماني": 8, "ثمانية": 8, "تسع": 9,
    "تسعة": 9, "عشر": 10, "عشرة": 10,
})  # fmt: skip
TENS = _table({
    "عشرون": 20, "عشرين": 20, "ثلاثون": 30, "ثلاثين": 30, "أربعون": 40, "أربعين": 40,
    "خمسون": 50, "خمسين": 50, "ستون": 60, "ستين": 60, "سبعون": 70, "سبعين": 70,
    "ثمانون": 80, "ثمانين": 80, "تسعون": 90, "تسعين": 90,
})  # fmt: skip
HUNDREDS = _table({
    "مئة": 100, "مائة": 100, "مئتان": 200, "مئتين": 200, "مائتان": 200, "مائتين": 200,
    "ثلاثمئة": 300, "ثلاثمائة": 300, "أربعمئة": 400, "أربعمائة": 400, "خمسمئة": 500,
    "خمسمائة": 500, "ستمئة": 600, "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700,
    "ثمانمئة": 800, "ثمانمائة": 800, "تسعمئة": 900, "تسعمائة": 900,
})  # fmt: skip
THOUSANDS = _table({"ألف": 1000, "ألفا": 1000, "آلاف": 1000, "ألفين": 2000, "ألفان": 2000})
# Counts that say "many" without a number: a fact, but not an exact one.
VAGUE = _table({
    "عشرات": 10, "العشرات": 10, "مئات": 100, "المئات": 100, "آلاف": 1000,
    "الآلاف": 1000, "بضعة": 3, "بضع": 3, "عدة": 3, "العديد": 3,
})  # fmt: skip
# Words before a number that make it a bound or an estimate (ما لا يقل عن ستين، أكثر من 50).
APPROXIMATE = frozenset(
    normalise(w)
    for w in ("أكثر", "أزيد", "يزيد", "يقل", "لايقل", "نحو", "حوالي", "قرابة", "زهاء", "يقارب",
              "تقريبا", "الأقل", "ناهز", "يناهز", "أقل")
)  # fmt: skip

_CONJUNCTION = "و"


@dataclass(frozen=True, slots=True)
class Number:
    value: int | None  # None for a vague count (عشرات)
    start: int  # token index of the first word
    end: int  # token index after the last word
    vague: str | None = None  # the vague word, when there is no number

    @property
    def exact(self) -> bool:
        return self.value is not None


def _word_value(word: str) -> tuple[str, int] | None:
    for table, kind in ((UNITS, "unit"), (TENS, "tens"), (HUNDREDS, "hundreds")):
        if word in table:
            return kind, table[word]
    return None


def parse_number(tokens: Sequence[str], index: int) -> Number | None:
    """The number that starts at `tokens[index]`, or None.

    Digits (23، 1500), number words with their conjunctions (ثلاثة وعشرين، مئة وخمسين،
    ثلاثة آلاف), a digit with a word (3 آلاف), or a vague count (عشرات).
    """
    if index >= len(tokens):
        return None
    word = tokens[index]
    if word.isdigit():
        value = int(word)
        end = index + 1
        if end < len(tokens) and tokens[end] in THOUSANDS and value < 1000:
            value, end = value * 1000, end + 1
        return Number(value, index, end)
    if word in VAGUE and word not in UNITS:
        return Number(None, index, index + 1, vague=word)
    first = _word_value(word)
    if first is None:
        return None
    kind, value = first
    end = index + 1
    # Teens: أحد عشر، اثنا عشر، ثلاثة عشر
    if kind == "unit" and value < 10 and end < len(tokens) and tokens[end] in ("عشر", "عشره"):
        value, end = value + 10, end + 1
    # A thousand count: ثلاثة آلاف
    if end < len(tokens) and tokens[end] in THOUSANDS:
        value, end = value * 1000, end + 1
    # Further parts joined by و: ثلاثة وعشرين، مئة وخمسة وعشرين
    while end < len(tokens) and tokens[end].startswith(_CONJUNCTION):
        part = _word_value(tokens[end][1:])
        if part is None:
            break
        part_kind, part_value = part
        if (part_kind == "tens" and value % 100 < 10) or (part_kind != "tens" and value % 10 == 0):
            value, end = value + part_value, end + 1
        else:
            break
    return Number(value, index, end)
