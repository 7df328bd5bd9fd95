"""Arabic numbers in normalised text: digits, number words (ثلاثة وعشرين) and vague counts (عشرات)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields

from crawler.detect.lexicon import load

# The number words and their values: data/lexicons/numbers.yaml.
_LEXICON = load("numbers")
UNITS = _LEXICON.values("units")
TENS = _LEXICON.values("tens")
HUNDREDS = _LEXICON.values("hundreds")
THOUSANDS = _LEXICON.values("thousands")
# Counts that say "many" without a number: a fact, but not an exact one.
VAGUE = _LEXICON.values("vague")
# Words before a number that make it a bound or an estimate (ما لا يقل عن ستين، أكثر من 50).
APPROXIMATE = _LEXICON.words("approximate")
# «جندي رابع»: an ordinal after a casualty is the toll.
ORDINALS = _LEXICON.values("ordinals")

_CONJUNCTION = "و"


# A frozen dataclass's __init__ sets each field through object.__setattr__; a number is built
# for every figure read, so __init__ writes the slots through their descriptors: the same
# object, faster (a test checks it against the generated __init__).
@dataclass(frozen=True, slots=True, init=False)
class Number:
    value: int | None  # None for a vague count (عشرات)
    start: int  # token index of the first word
    end: int  # token index after the last word
    vague: str | None = None  # the vague word, when there is no number

    def __init__(self, value: int | None, start: int, end: int, vague: str | None = None) -> None:
        set_value, set_start, set_end, set_vague = _SET_NUMBER_FIELDS
        set_value(self, value)
        set_start(self, start)
        set_end(self, end)
        set_vague(self, vague)

    @property
    def exact(self) -> bool:
        return self.value is not None


_NUMBER_FIELDS = ("value", "start", "end", "vague")
assert tuple(f.name for f in fields(Number)) == _NUMBER_FIELDS, "__init__ sets each field"
_SET_NUMBER_FIELDS = tuple(Number.__dict__[name].__set__ for name in _NUMBER_FIELDS)


# Each number word's kind and value, in one table: a word of UNITS is a unit, whatever else.
_WORD_VALUES: dict[str, tuple[str, int]] = {
    word: (kind, value)
    for table, kind in ((HUNDREDS, "hundreds"), (TENS, "tens"), (UNITS, "unit"))
    for word, value in table.items()
}
_word_value = _WORD_VALUES.get  # (kind, value) of a number word, or None


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
            # «مئة وسبعة عشر»: a teen after the hundreds
            if (
                part_kind == "unit"
                and part_value < 10
                and end < len(tokens)
                and tokens[end] in ("عشر", "عشره")
            ):
                value, end = value + 10, end + 1
        else:
            break
    return Number(value, index, end)
