"""MinHash over normalised shingles: copies are near, other stories far, signatures stable across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from crawler.detect import normalise
from crawler.incidents.minhash import (
    BANDS,
    PERMUTATIONS,
    bands,
    shingles,
    similarity,
    text_signature,
)
from tests.support import incident_reports as r


def _signature(dispatch: r.Dispatch) -> tuple[int, ...]:
    return text_signature(normalise(f"{dispatch.title}\n{dispatch.text}"))


def test_a_copy_is_near_and_other_stories_of_the_same_attack_are_far() -> None:
    wire, copy, own = _signature(r.WIRE), _signature(r.WIRE_COPY), _signature(r.OWN_STORY)
    assert len(wire) == PERMUTATIONS
    assert similarity(wire, copy) >= 0.6
    assert similarity(wire, own) < 0.2
    assert similarity(_signature(r.HIGHER_TOLL), _signature(r.HIGHER_TOLL_COPY)) >= 0.6
    assert similarity(wire, _signature(r.SABHA_SAME_DAY)) < 0.1


def test_the_estimate_tracks_the_true_jaccard() -> None:
    a = normalise(f"{r.WIRE.title}\n{r.WIRE.text}")
    b = normalise(f"{r.WIRE_COPY.title}\n{r.WIRE_COPY.text}")
    first, second = shingles(a), shingles(b)
    true = len(first & second) / len(first | second)
    estimate = similarity(text_signature(a), text_signature(b))
    assert abs(estimate - true) < 0.15, (estimate, true)


def test_copies_share_a_band_and_unrelated_texts_do_not() -> None:
    wire = bands(_signature(r.WIRE))
    assert len(wire) == BANDS
    assert set(wire) & set(bands(_signature(r.WIRE_COPY)))
    assert not set(wire) & set(bands(_signature(r.SABHA_SAME_DAY)))


def test_empty_text_has_no_signature() -> None:
    assert text_signature("") == ()
    assert similarity((), ()) == 0.0
    assert bands(()) == []


def test_signatures_are_the_same_in_every_process() -> None:
    # They are stored in Redis and compared across crawler processes and restarts.
    text = normalise(r.WIRE.text)
    code = (
        "import json, sys; from crawler.incidents.minhash import text_signature; "
        "print(json.dumps(text_signature(sys.stdin.read())))"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], input=text, capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    ]  # fmt: skip
    assert json.loads(runs[0]) == json.loads(runs[1]) == list(text_signature(text))
