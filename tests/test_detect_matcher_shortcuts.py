"""`Matcher.find`'s shortcuts (one test for a word edge next to the core, the proclitics tried
before the ending is read) find what the plain reading finds: on every text of our own
challenge sets, with the shipped watchlists and gazetteers, and on edge cases."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from crawler.detect import Detector
from crawler.detect.text.matcher import Hit, Matcher, Term
from crawler.detect.text.normalise import normalise
from tests.support.our_leads import our_leads

ROOT = Path(__file__).resolve().parent.parent
WATCHLISTS = [
    ROOT / "config/watchlists/isis-libya.yaml",
    ROOT / "config/watchlists/examples/isis-tunisia.yaml",
]


def _plain_find(matcher: Matcher, text: str) -> list[Hit]:
    """The reading without shortcuts: the whole word around every core the automaton finds,
    every form tested, each Hit built by its class."""
    found = []
    for last, (core_len, _, forms, _) in matcher._automaton.iter(text):
        core_start = last - core_len + 1
        word_start = core_start
        while word_start > 0 and text[word_start - 1].isalnum():
            word_start -= 1
        word_end = last + 1
        while word_end < len(text) and text[word_end].isalnum():
            word_end += 1
        prefix, suffix = text[word_start:core_start], text[last + 1 : word_end]
        if len(prefix) > 4 or len(suffix) > 5:
            continue
        for prefixes, suffixes, term, not_words in forms:
            surface = text[word_start:word_end]
            if prefix in prefixes and suffix in suffixes and surface not in not_words:
                found.append(
                    (core_start, -last - 1, len(found), term, word_start, word_end, surface)
                )
    return [
        Hit(term, start, end, core_start, -negative_end, surface)
        for core_start, negative_end, _, term, start, end, surface in _plain_longest_first(found)
    ]


def _plain_longest_first(found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """A reading inside a longer one dropped (ties of the same span kept), and of two that
    overlap without nesting the one that began first."""
    kept: list[tuple[Any, ...]] = []
    max_end, max_span = -1, (-1, -1)
    for entry in sorted(found):
        span = (entry[0], -entry[1])
        if span[1] <= max_end and span != max_span:
            continue
        if span[0] < max_end and span[1] > max_end and kept:
            continue
        kept.append(entry)
        if span[1] > max_end:
            max_end, max_span = span[1], span
    return kept


def _our_texts() -> list[str]:
    return [
        normalise(f"{lead.get('title') or ''}\n\n{lead.get('text') or ''}") for lead in our_leads()
    ]


@pytest.fixture(scope="module")
def matchers() -> list[Matcher]:
    return Detector.from_files(WATCHLISTS).matchers


def _key(hits: list[Hit]) -> list[tuple[object, ...]]:
    return [(id(h.term), h.start, h.end, h.core_start, h.core_end, h.surface) for h in hits]


def test_find_is_the_plain_reading_on_our_texts(matchers: list[Matcher]) -> None:
    texts = _our_texts()
    assert len(texts) > 1000
    found = 0
    for matcher in matchers:
        for text in texts:
            hits = matcher.find(text)
            assert _key(hits) == _key(_plain_find(matcher, text)), text[:80]
            found += len(hits)
    assert found > 10_000


@pytest.mark.parametrize(
    "text",
    [
        "هجوم",  # the whole text is the word
        "والهجوم",  # proclitics from the text's first letter
        "فبالهجوم",  # clitics of four letters
        "ففبالهجوم",  # five: no word of ours
        "هجوماتها",  # an ending to the text's last letter
        "هجومااااا",  # an ending of five letters
        "هجوماااااا",  # six
        "الهجوم، والتفجير.",  # marks after the words
        "(داعش)-طرابلس",  # marks on both sides
        "مهاجم قتلت والقتل",  # a core inside another word
    ],
)
def test_find_is_the_plain_reading_at_the_edges(text: str) -> None:
    terms = [
        Term("incident", "هجوم", inflect="noun", forms=("هجوم", "الهجوم", "تفجير")),
        Term("incident", "قتل", inflect="verb", prefixes="verb", forms=("قتل",)),
        Term("actor", "داعش", inflect="nisba", forms=("داعش",)),
        Term(
            "place", "طرابلس", prefixes="name", forms=("طرابلس",), not_words=frozenset({"وطرابلس"})
        ),
    ]
    matcher = Matcher(terms)
    normalised = normalise(text)
    assert _key(matcher.find(normalised)) == _key(_plain_find(matcher, normalised))


def test_a_hit_of_find_is_a_hit() -> None:
    """Built through its unfrozen twin, a Hit of `find` is the object Hit(...) builds: the same
    class, fields, repr, hash and equality, and as frozen."""
    term = Term("incident", "هجوم", inflect="noun", forms=("هجوم",))
    (found,) = Matcher([term]).find(normalise("وقع هجوم"))
    built = Hit(term, 4, 8, 4, 8, "هجوم")
    assert type(found) is Hit
    assert (found, repr(found), hash(found)) == (built, repr(built), hash(built))
    with pytest.raises(dataclasses.FrozenInstanceError):
        found.start = 0  # type: ignore[misc]


def test_marks_are_noted_where_they_open_a_word(matchers: list[Matcher]) -> None:
    """`find(text, marked)` notes every start of a mark (the heads of other events) that has
    no letter or digit before it, and finds the same hits as without."""
    from crawler.detect.facts.report import OTHER_EVENT_HEADS

    noted = 0
    for matcher in matchers:
        for text in _our_texts():
            marked: list[int] = []
            assert _key(matcher.find(text, marked)) == _key(matcher.find(text))
            plain = []
            for head in OTHER_EVENT_HEADS:
                at = text.find(head)
                while at >= 0:
                    if not (at and text[at - 1].isalnum()):
                        plain.append(at)
                    at = text.find(head, at + 1)
            assert sorted(marked) == sorted(plain)
            noted += len(marked)
    assert noted > 500
