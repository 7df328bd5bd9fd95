"""Detection against our own challenge set (190 leads written before tuning) and the probe table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.detect import Document
from crawler.detect.evaluation import score
from crawler.detect.parse import parse_published
from tests.detect_cases import Case
from tests.detect_probes import PROBES
from tests.test_detect import check, detector

CHALLENGE = Path(__file__).resolve().parent / "data" / "challenge.jsonl"

# The figures reached (README, "How well it works"), less a margin of about two items each:
# a change that loses more than that is a regression, not noise.
MIN_PRECISION = 0.97
MIN_RECALL = 0.97
MIN_PLACES = 0.96
MIN_COUNTS = 0.95


@pytest.mark.parametrize("case", PROBES, ids=[c.about for c in PROBES])
def test_probe(case: Case) -> None:
    check(case)


def test_the_probes_are_unique() -> None:
    assert len({c.text for c in PROBES}) == len(PROBES)


def test_challenge_set() -> None:
    rows = [json.loads(line) for line in CHALLENGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 150
    found = detector()
    items = [
        (
            row,
            found.detect(
                Document(
                    text=row["text"],
                    title=row.get("title"),
                    id=row["id"],
                    published=parse_published(row["published"]) if row.get("published") else None,
                )
            ),
        )
        for row in rows
    ]
    report = score(items, found.gazetteer)
    misses = "\n".join(f"{m.id} [{m.what}] {m.detail}" for m in report.misses)
    assert report.precision >= MIN_PRECISION, misses
    assert report.recall >= MIN_RECALL, misses
    assert report.places_right >= MIN_PLACES * report.places_total, misses
    assert report.casualties_right >= MIN_COUNTS * report.casualties_total, misses
    # Every class of near miss is held apart, not only on average.
    for label in ("B", "C", "D"):
        row = report.by_class[label]
        assert row["incident"] <= 1, f"class {label}: {row}\n{misses}"
