"""The text module's shortcuts give what the patterns they stand for give: on every string of
blanks and letters up to a length, and on our own texts."""

from __future__ import annotations

import itertools
import random

from crawler.detect.text import normalise as normalising
from tests.support.our_leads import our_leads


def _by_the_pattern(text: str) -> str:
    return normalising._BLANKS.sub(lambda m: normalising._fold_blanks(m.group()), text)


def test_runs_of_blanks_fold_as_the_pattern_folds_them() -> None:
    strings = [
        "".join(chars) for length in range(9) for chars in itertools.product(" \na", repeat=length)
    ]
    rng = random.Random(7)
    strings += [
        "".join(rng.choice(" \n\nab  ") for _ in range(rng.randint(0, 80))) for _ in range(5000)
    ]
    for text in strings:
        assert normalising._fold_runs(text) == _by_the_pattern(text), repr(text)


def test_our_texts_fold_as_the_pattern_folds_them() -> None:
    folded = 0
    for lead in our_leads():
        text = f"{lead.get('title') or ''}\n\n{lead.get('text') or ''}"
        assert normalising._fold_runs(text) == _by_the_pattern(text)
        folded += 1
    assert folded > 1000


def test_a_long_text_of_many_runs_folds_in_one_pass() -> None:
    """Each scan goes on from where the last stopped: many newlines and no two spaces (or the
    other way round) fold in time linear in the length, as the pattern does."""
    for text in ("a\nb " * 200_000, "a  b\n" * 200_000, "\n" * 500_000):
        assert normalising._fold_runs(text) == _by_the_pattern(text)
