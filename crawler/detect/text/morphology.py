"""Arabic proclitics in one place: the inventories and the peeling every fact reader shares.

Attached particles (و، ف، ب، ل، ك) and the article (ال) change a word's surface but not what it
says: «وبالمدينة» is «مدينة». Each reader peels a different inventory on purpose (a count word
takes no article, a place word does), so the inventories are named here, not copied."""

from __future__ import annotations

from collections.abc import Callable

# What may stick to the front of a word without the article: conjunctions, prepositions.
ATTACHED = frozenset({"", "و", "ف", "ب", "ك", "ل", "وب", "فب", "ول", "فل", "وك", "فك", "لب"})
# The article and what attaches before it.
ARTICLE = frozenset({"ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وبال", "فبال", "وكال"})
# Conjunction and preposition without the article: what attaches to a verb or a count word.
PARTICLES = ("وب", "ول", "فب", "فل", "و", "ف", "ب", "ل")
# Everything peeled off a neighbouring word before it is compared with a cue list (longest first).
PROCLITICS = ("وبال", "فبال", "وكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال",
              *PARTICLES)  # fmt: skip
# The conjunctions alone: what a denial or a clause's first word carries («ولم»، «فأحد»).
CONJUNCTIONS = ("و", "ف")
# The forms a dual casualty noun takes in a toll («وقتيلين»، «بالجريحين»).
DUAL_PREFIXES = ("", "و", "ب", "ال", "وال", "بال")


class Peeler:
    """Finds the stem a word is, with or without one of its proclitics.

    Each stem table (a module-level frozenset) is expanded once into every prefixed form, so a
    look-up is one dict access; the expansions are keyed by the table's value (a frozenset caches
    its hash), never by `id()`, which a collected table could hand to another."""

    def __init__(self, clitics: tuple[str, ...]) -> None:
        self.clitics = clitics
        self._expanded: dict[frozenset[str], dict[str, str]] = {}

    def _table(self, stems: frozenset[str]) -> dict[str, str]:
        expanded = self._expanded.get(stems)
        if expanded is None:
            expanded = {clitic + stem: stem for clitic in self.clitics for stem in stems}
            expanded.update({stem: stem for stem in stems})
            self._expanded[stems] = expanded
        return expanded

    def stem(self, word: str, stems: frozenset[str]) -> str | None:
        """The stem of `stems` that `word` is (وقتل → قتل), or None."""
        # Called for most words of a sentence: the expansion's look-up is inlined.
        expanded = self._expanded.get(stems)
        if expanded is None:
            expanded = self._table(stems)
        return expanded.get(word)

    def lookup(self, stems: frozenset[str]) -> Callable[[str], str | None]:
        """`stem` with `stems` fixed, as the expansion's own `get`: a hot loop calls C directly."""
        return self._table(stems).get

    def forms(self, stems: frozenset[str]) -> frozenset[str]:
        """Every word `stem` reads as one of `stems`: for one set test against many words."""
        return frozenset(self._table(stems))


PEEL_PARTICLES = Peeler(PARTICLES)
PEEL_PROCLITICS = Peeler(PROCLITICS)
PEEL_CONJUNCTIONS = Peeler(CONJUNCTIONS)


def peel_conjunction(word: str) -> str:
    """The word without a conjunction stuck to its front («ولم» → «لم»، «فأحد» → «أحد»), for a
    word read against several tables at once; a word of two letters keeps its («وا»)."""
    return word[1:] if len(word) > 2 and word[0] in CONJUNCTIONS else word


def is_plural(surface: str) -> bool:
    """A noun phrase in the sound feminine plural (هجمات، التفجيرات، عمليات إرهابية): its
    first word ends in ات (normalised text: ة is ه, so no singular ends so)."""
    head = surface.split(maxsplit=1)[0] if surface else ""
    return head.endswith("ات")
