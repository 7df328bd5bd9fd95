"""Aho-Corasick matching over normalised Arabic, accepting a hit only as a whole word with its clitics."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import ahocorasick

from crawler.detect.normalise import normalise

# Proclitics that may stick to the front of a word: conjunctions, prepositions, the article.
PLAIN_PREFIXES = frozenset({"", "و", "ف", "ب", "ك", "ل", "وب", "فب", "ول", "فل", "وك", "فك", "لب"})
ARTICLE_PREFIXES = frozenset(
    {"ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال", "وكال"}
)
NOUN_PREFIXES = PLAIN_PREFIXES | ARTICLE_PREFIXES

# Endings a term may take, by inflection class (after normalisation: ة→ه, tanwin stripped).
SUFFIXES: dict[str, frozenset[str]] = {
    "none": frozenset({""}),
    # داعش → داعشي، داعشيه، داعشيا، داعشيون، داعشيين
    "nisba": frozenset({"", "ي", "يه", "يا", "يون", "يين", "يان", "يات", "يتين", "ين"}),
    # هجوم → هجوما، هجومه، هجومها، هجومين، هجومات
    "noun": frozenset(
        {"", "ا", "ه", "ها", "هم", "هما", "ان", "ين", "ات", "اته", "اتها", "تين", "تان"}
    ),
    # قتل → قتلت، قتلوا، قتلا، قتله، قتلهم
    "verb": frozenset({"", "ت", "وا", "ا", "ن", "ه", "ها", "هم", "تا", "تهم", "ته", "وه"}),
    # ليبي → ليبيه، ليبيا، ليبيين، ليبيون
    "adjective": frozenset({"", "ه", "ا", "ين", "ون", "ان", "ات", "تين"}),
}


@dataclass(frozen=True)
class Term:
    """One watchlist entry: a role, a canonical label, and any data its role needs."""

    role: str
    label: str
    weight: float = 1.0
    inflect: str = "none"
    data: Mapping[str, Any] = field(default_factory=dict)
    # Built from the surface forms; identity is enough for hashing.
    forms: tuple[str, ...] = ()

    def __hash__(self) -> int:
        return id(self)

    def __eq__(self, other: object) -> bool:
        return self is other


@dataclass(frozen=True)
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


@dataclass(frozen=True)
class _Form:
    term: Term
    core: str
    prefixes: frozenset[str]
    suffixes: frozenset[str]


def _is_word(char: str) -> bool:
    return char.isalnum()


class Matcher:
    """All the terms of one or more watchlists in one automaton."""

    def __init__(self, terms: Iterable[Term]) -> None:
        self._automaton = ahocorasick.Automaton()
        entries: dict[str, list[_Form]] = {}
        self.terms = list(terms)
        for term in self.terms:
            suffixes = SUFFIXES[term.inflect]
            for form in term.forms:
                core = normalise(form).strip()
                if not core:
                    continue
                prefixes = PLAIN_PREFIXES
                if core.startswith("ال") and len(core) > 3:
                    # الدولة → match دولة after any article-bearing proclitic (للدولة, والدولة …)
                    core, prefixes = core[2:], ARTICLE_PREFIXES
                elif term.role != "place" or term.data.get("article_ok", True):
                    prefixes = NOUN_PREFIXES
                entries.setdefault(core, []).append(_Form(term, core, prefixes, suffixes))
        for core, forms in entries.items():
            self._automaton.add_word(core, tuple(forms))
        self._empty = not entries
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Hit]:
        """Hits in normalised `text`, longest first where two overlap."""
        if self._empty:
            return []
        hits: list[Hit] = []
        length = len(text)
        for last, forms in self._automaton.iter(text):
            core_len = len(forms[0].core)
            core_start = last - core_len + 1
            word_start = core_start
            while word_start > 0 and _is_word(text[word_start - 1]):
                word_start -= 1
            word_end = last + 1
            while word_end < length and _is_word(text[word_end]):
                word_end += 1
            prefix = text[word_start:core_start]
            suffix = text[last + 1 : word_end]
            for form in forms:
                if prefix in form.prefixes and suffix in form.suffixes:
                    hits.append(
                        Hit(form.term, word_start, word_end, core_start, last + 1,
                            text[word_start:word_end])
                    )  # fmt: skip
        return _longest_first(hits)


def _longest_first(hits: list[Hit]) -> list[Hit]:
    """Drop a hit inside a longer one (طرابلس inside ولاية طرابلس), keep ties of the same span."""
    hits.sort(key=lambda h: (h.core_start, -h.core_end))
    kept: list[Hit] = []
    max_end, max_span = -1, (-1, -1)
    for hit in hits:
        span = (hit.core_start, hit.core_end)
        if hit.core_end <= max_end and span != max_span:
            continue
        kept.append(hit)
        if hit.core_end > max_end:
            max_end, max_span = hit.core_end, span
    return kept
