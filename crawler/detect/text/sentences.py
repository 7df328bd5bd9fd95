"""Sentences and the words around a position, in normalised text."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

from crawler.detect.text.morphology import PEEL_PROCLITICS

# A sentence ends at . ! ? ; or a paragraph break; a single newline is a soft wrap and was
# folded to a space by `normalise`. A dot between digits (1.6 مليار، 07.06.2021) is not an
# end, but a run of dots is («3...»), and so is a dot after a number («عام 2011.»). `sentence_spans` finds the ends this pattern finds, without it: a scan
# for the five characters and a test at each dot take half the time.
SENTENCE_END = re.compile(r"(?=[.!?;\n])(?:(?<!\d)\.|\.(?!\d)|[!?;]|\n|\.{2,})")
_END_CHARACTERS = re.compile(r"[.!?;\n]")
_WORD = re.compile(r"\w+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of normalised `text`, empty ones dropped."""
    spans: list[tuple[int, int]] = []
    start = 0
    past = 0  # the end of a run of dots taken whole
    length = len(text)
    for match in _END_CHARACTERS.finditer(text):
        at = match.start()
        if at < past:
            continue
        end = at + 1
        if text[at] == "." and (
            at > 0 and text[at - 1].isdecimal() and end < length and text[end].isdecimal()
        ):
            # a dot between digits ends a sentence only in a run of two or more (\d is
            # isdecimal); «… منذ عام 2011. وتبنى …» ends at the year
            while end < length and text[end] == ".":
                end += 1
            if end - at < 2:
                continue
            past = end
        if start < at and not text[start:at].isspace():  # (what strip() leaves something of)
            spans.append((start, at))
        start = end
    if text[start:].strip():
        spans.append((start, length))
    return spans


class Sentences:
    """The sentence spans of one text, with a fast lookup from offset to sentence."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = sentence_spans(text)
        self._starts = [s for s, _ in self.spans]

    def __len__(self) -> int:
        return len(self.spans)

    def index(self, offset: int) -> int:
        """The sentence that holds `offset` (the one before it when it falls on a boundary)."""
        return (bisect_right(self._starts, offset) or 1) - 1  # 0 before the first start

    def indexes(self, offsets: Iterable[int]) -> list[int]:
        """`index` of each offset, in one pass (for every hit of a text)."""
        starts = self._starts
        return [(bisect_right(starts, offset) or 1) - 1 for offset in offsets]

    def sentence(self, index: int) -> str:
        start, end = self.spans[index]
        return self.text[start:end]

    def ends_with_question(self, index: int) -> bool:
        _, end = self.spans[index]
        return end < len(self.text) and self.text[end] == "?"


_ENDS = re.compile(r"[.!?;\n]")


# Marks that part words in running text: a window holding no other non-letter is split on
# blanks once they are blanked out, the same words as _WORD finds (much faster).
MARKS = (",", '"', ":", "-", "(", ")", "'", "/", "%")
_APART = tuple((mark, f" {mark} ") for mark in MARKS)
_BLANKED = tuple((mark, " ") for mark in MARKS)


def split_plain(text: str, keep_marks: bool = False) -> list[str] | None:
    """The words of a text of letters, digits, spaces and MARKS, split on blanks (each mark a
    word of its own with `keep_marks`, dropped without); None when it holds anything else. A
    word character is one that isalnum or _, so this is what the word patterns would find."""
    letters = text.replace(" ", "")
    if letters.isalnum():
        return text.split()
    spaced = text
    for mark, apart in _APART if keep_marks else _BLANKED:
        if mark in letters:
            letters = letters.replace(mark, "")
            spaced = spaced.replace(mark, apart)
    return spaced.split() if letters.isalnum() else None


def _words_of(window: str) -> list[str]:
    """`_WORD.findall(window)`, without the pattern where the window is plain."""
    found = split_plain(window)
    return _WORD.findall(window) if found is None else found


def words_before(text: str, offset: int, count: int) -> list[str]:
    """Up to `count` words before `offset`, nearest first, not crossing a sentence end."""
    reach = 24 * count
    cut = offset > reach  # the window may start inside a word
    window = text[offset - reach if cut else 0 : offset]
    # Most often the `count` nearest pieces between blanks are whole words with no line break
    # among them: no sentence end lies between them and `offset`, and they are the answer,
    # whatever lies further (an end, a word the slice cut, marks). Else the words are read.
    pieces = window.rsplit(None, count)
    if len(pieces) > count and window.find("\n", len(pieces[0])) < 0:
        del pieces[0]
        if "".join(pieces).isalnum():  # (no piece is empty: each is a whole word)
            pieces.reverse()
            return pieces
    # the last sentence end in the window (one of _ENDS): five scans in C, no match objects
    last_end = max(
        window.rfind("."), window.rfind("!"), window.rfind("?"), window.rfind(";"),
        window.rfind("\n"),
    )  # fmt: skip
    if last_end >= 0:
        window = window[last_end + 1 :]
        cut = False
    found = _words_of(window)
    if cut and found and window[0].isalnum():
        del found[0]  # the slice cut a word in two: drop its tail
    found.reverse()
    return found[:count]


def words_after(text: str, offset: int, count: int) -> list[str]:
    """Up to `count` words from `offset` on, nearest first, not crossing a sentence end."""
    window = text[offset : offset + 24 * count]
    end = _ENDS.search(window)
    if end:
        window = window[: end.start()]
    # the nearest `count` pieces between blanks, when they are whole words (as in words_before)
    pieces = window.split(None, count)
    if len(pieces) > count:
        del pieces[count]
        if "".join(pieces).isalnum():
            return pieces
    found = _words_of(window)
    if (
        found
        and offset + 24 * count < len(text)
        and window
        and window[-1].isalnum()
        and end is None
    ):
        found = found[:-1]
    return found[:count]


def bare(word: str, stems: frozenset[str]) -> str:
    """`word` without its proclitics when what is left is one of `stems` (بمدينة → مدينة)."""
    return PEEL_PROCLITICS.stem(word, stems) or word


def forms(stems: frozenset[str]) -> frozenset[str]:
    """Every word `bare` reads as one of `stems`: for one set test against many words."""
    return PEEL_PROCLITICS.forms(stems)


def words(text: str) -> list[str]:
    return _WORD.findall(text)
