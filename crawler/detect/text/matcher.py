"""Aho-Corasick matching over normalised Arabic, accepting a hit only as a whole word with its clitics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from crawler.detect.text.morphology import ARTICLE, ATTACHED
from crawler.detect.text.normalise import normalise

# Proclitics that may stick to the front of a word (crawler/detect/text/morphology.py).
_PLAIN = ATTACHED
_ARTICLE = ARTICLE

PREFIXES: dict[str, frozenset[str]] = {
    # a noun: any conjunction, preposition and the article (بالقطرون، وللتنظيم، فالهجوم)
    "noun": _PLAIN | _ARTICLE,
    # a place name: no article (السرت) and no ك "like" (كسرت is "she broke", not "like Sirte")
    "name": frozenset(p for p in _PLAIN if "ك" not in p),
    # a past-tense verb: و ف ل (the future س never goes on a past verb)
    "verb": frozenset({"", "و", "ف", "ل", "ول", "فل"}),
    # words that take only a conjunction (a preposition would change the meaning)
    "conj": frozenset({"", "و", "ف"}),
    "none": frozenset({""}),
}

# Endings a term may take, by inflection class (after normalisation: ة→ه, tanwin stripped).
SUFFIXES: dict[str, frozenset[str]] = {
    "none": frozenset({""}),
    # داعش → داعشي، داعشيه، داعشيا، داعشيون، داعشيين
    "nisba": frozenset({"", "ي", "يه", "يا", "يون", "يين", "يان", "يات", "يتين", "ين"}),
    # هجوم → هجوما، هجومه، هجومها، هجومين، هجومات
    "noun": frozenset(
        {"", "ا", "ه", "ها", "هم", "هما", "ان", "ين", "ات", "اته", "اتها", "تين", "تان", "ي"}
    ),
    # قتل → قتلت، قتلوا، قتلا، قتلها، قتلهم. Not قتله "killed him": after ة→ه it is قتلة
    # "killers", and سيطره "controlled it" is the noun سيطرة.
    "verb": frozenset(
        {"", "ت", "وا", "ا", "ن", "ها", "هم", "تا", "تهم", "ته", "وه", "تها", "نا", "هما"}
    ),
    # ليبي → ليبيه، ليبيا، ليبيين، ليبيون
    "adjective": frozenset({"", "ه", "ا", "ين", "ون", "ان", "ات", "تين"}),
}


@dataclass(frozen=True, eq=False)
class Term:
    """One watchlist entry: a role, a canonical label, and any data its role needs.

    Terms compare by identity: two entries with the same label are still two terms.
    """

    role: str
    label: str
    weight: float = 1.0
    inflect: str = "none"
    data: Mapping[str, Any] = field(default_factory=dict)
    forms: tuple[str, ...] = ()
    prefixes: str = "noun"
    # Whole words (normalised, clitics included) that look like a form of this term but are
    # another word: فسرت "she explained" is not ف + سرت.
    not_words: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Hit:
    term: Term
    start: int  # offsets in the normalised text, the whole token with its clitics
    end: int  # exclusive
    core_start: int
    core_end: int
    surface: str

    @property
    def role(self) -> str:
        return self.term.role


def unfrozen_twin(cls: type) -> type:
    """A class of `cls`'s slots without its frozen __setattr__, for building many objects fast.

    A frozen dataclass's __init__ sets each field through object.__setattr__. An object of the
    twin takes plain attribute stores; given `cls` as its __class__ once they are written, it
    is the object cls(...) builds (the same layout: Python checks it at the assignment).
    """
    slots = cls.__dict__["__slots__"]
    assert cls.__bases__ == (object,) and "__weakref__" not in slots, cls
    return type(f"Unfrozen{cls.__name__}", (), {"__slots__": slots})


# The matcher builds a Hit for every word it accepts.
_new_object = object.__new__
_UnfrozenHit = unfrozen_twin(Hit)


@dataclass(frozen=True, slots=True)
class _Form:
    term: Term
    core: str
    prefixes: frozenset[str]
    suffixes: frozenset[str]


def compile_form(form: str, prefixes: str) -> tuple[str, frozenset[str]]:
    """The core to put in the automaton and the proclitics it may carry.

    A form written with the article (الدولة) is stored without it and accepts only the
    article-bearing proclitics (الدولة، والدولة، للدولة), never the bare word.
    """
    core = normalise(form).strip()
    allowed = PREFIXES[prefixes]
    if core.startswith("ال") and len(core) > 3 and prefixes in ("noun", "name"):
        return core[2:], _ARTICLE
    return core, allowed


class Matcher:
    """All the terms of one or more watchlists in one automaton."""

    def __init__(self, terms: Iterable[Term], marks: Iterable[str] = ()) -> None:
        """`marks`: words (normalised) that `find` notes where they open a word, in the same
        pass over the text as the terms (see `find`)."""
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Form]] = {}
        self.terms = list(terms)
        for term in self.terms:
            if term.prefixes not in PREFIXES:
                raise ValueError(
                    f"{term.role}/{term.label}: unknown prefixes class {term.prefixes!r}"
                )
            if term.inflect not in SUFFIXES:
                raise ValueError(
                    f"{term.role}/{term.label}: unknown inflect class {term.inflect!r}"
                )
            suffixes = SUFFIXES[term.inflect]
            for form in term.forms:
                core, prefixes = compile_form(form, term.prefixes)
                if not core:
                    continue
                entries.setdefault(core, []).append(_Form(term, core, prefixes, suffixes))
        marked = frozenset(marks)
        for mark in marked:
            entries.setdefault(mark, [])  # (a mark no term has: no form takes it)
        for core, forms in entries.items():
            # (length, the proclitics any form takes, each form's tests as a plain tuple,
            # whether it is a mark)
            self._automaton.add_word(
                core,
                (
                    len(core),
                    frozenset().union(*(f.prefixes for f in forms)),
                    tuple((f.prefixes, f.suffixes, f.term, f.term.not_words) for f in forms),
                    core in marked,
                ),
            )
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str, marked: list[int] | None = None) -> list[Hit]:
        """Hits in normalised `text`, longest first where two overlap, in text order.

        With `marked`, the start of every mark that opens a word (no letter or digit before
        it) is added to that list, in the order the pass meets their ends.
        """
        if self._empty:
            return []
        # (core start, -core end, order found, term, start, end, surface): a Hit is built only
        # for the readings _longest_first keeps
        found: list[_Found] = []
        length = len(text)
        for last, (core_len, any_prefixes, forms, mark) in self._automaton.iter(text):
            core_start = last - core_len + 1
            # Cheap rejections first: most automaton hits sit inside a longer word. No clitics
            # are longer than 4 letters nor endings than 5, so look no further than that. Most
            # cores open their word (prefix "") and close it (suffix ""): one test each.
            if core_start and text[core_start - 1].isalnum():
                word_start = core_start - 1
                floor = core_start - 5 if core_start > 5 else 0
                while word_start > floor and text[word_start - 1].isalnum():
                    word_start -= 1
                if core_start - word_start > 4:
                    continue
                prefix = text[word_start:core_start]
            else:
                word_start = core_start
                prefix = ""
                if mark and marked is not None:
                    marked.append(core_start)
            if prefix not in any_prefixes:
                continue  # no form takes it: the ending need not be read
            word_end = last + 1
            if word_end < length and text[word_end].isalnum():
                word_end += 1
                ceiling = last + 7 if last + 7 < length else length
                while word_end < ceiling and text[word_end].isalnum():
                    word_end += 1
                if word_end - last - 1 > 5:
                    continue
                suffix = text[last + 1 : word_end]
            else:
                suffix = ""
            for prefixes, suffixes, term, not_words in forms:
                if prefix in prefixes and suffix in suffixes:
                    surface = text[word_start:word_end]
                    if not_words and surface in not_words:
                        continue
                    found.append(
                        (core_start, -last - 1, len(found), term, word_start, word_end, surface)
                    )
        # Each Hit is built as its unfrozen twin, slot by slot, then made a Hit: the object
        # Hit(...) builds, at a fraction of the cost (this runs for every word kept)
        hits: list[Hit] = []
        for core_start, negative_core_end, _, term, start, end, surface in _longest_first(found):
            hit: Any = _new_object(_UnfrozenHit)  # (a Hit once its class is set)
            hit.term = term
            hit.start = start
            hit.end = end
            hit.core_start = core_start
            hit.core_end = -negative_core_end
            hit.surface = surface
            hit.__class__ = Hit
            hits.append(hit)
        return hits


# A reading of the matcher before it is a Hit: (core_start, -core_end, the order it was found
# in, term, start, end, surface). Sorted as tuples: by core start, the longer first, then in
# the order found (unique, so the terms are never compared).
_Found = tuple[int, int, int, Term, int, int, str]


def _longest_first(found: list[_Found]) -> list[_Found]:
    """Drop a hit inside a longer one (طرابلس inside ولاية طرابلس), keep ties of the same span."""
    if len(found) < 2:
        return found
    found.sort()
    kept: list[_Found] = []
    # the reading that reaches furthest so far, by its core's start and end
    max_start, max_end = -1, -1
    for entry in found:
        core_start, core_end = entry[0], -entry[1]
        if core_end <= max_end:
            if core_start != max_start or core_end != max_end:
                continue  # inside a longer one (not a tie of the same span)
        elif core_start < max_end and kept:
            # Two terms overlap without nesting (…الدولة الإسلامية في ليبيا…): keep the one that
            # began first, it was the longer reading at that point.
            continue
        kept.append(entry)
        if core_end > max_end:
            max_start, max_end = core_start, core_end
    return kept
