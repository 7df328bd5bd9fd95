"""The pair measure behind docs/incidents.md's dev-set figure, and the figure itself where the dev set is."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from crawler.incidents.pairs import count_pairs
from tests.conftest import ROOT, raqib

DEV_SET = ROOT.parent / "shared" / "eval" / "dev.jsonl"

LABELS = [
    {"id": "a1", "event_cluster": "A", "is_incident": True},
    {"id": "a2", "event_cluster": "A", "is_incident": True},
    {"id": "a3", "event_cluster": "A", "is_incident": False},  # e.g. a later retrospective
    {"id": "b1", "event_cluster": "B", "is_incident": True},
    {"id": "x1", "event_cluster": None, "is_incident": True},  # an event of its own
    {"id": "x2", "event_cluster": None, "is_incident": True},
    {"id": "n1", "event_cluster": None, "is_incident": False},
]
CASES = [
    # every report its own incident: pairs from one cluster are all missed
    ({"a1": "i1", "a2": "i2", "a3": "i3", "b1": "i4", "x1": "i5", "x2": "i6"}, "clustered",
     (0, 3, 11, 11)),
    # the clusters found exactly, a3 passed over by detection
    ({"a1": "i1", "a2": "i1", "b1": "i2", "x1": "i3", "x2": "i4"}, "clustered", (1, 3, 11, 11)),
    ({"a1": "i1", "a2": "i1", "b1": "i2", "x1": "i3", "x2": "i4"}, "detected", (1, 1, 8, 8)),
    # everything merged into one incident
    ({k: "i1" for k in ("a1", "a2", "a3", "b1", "x1", "x2")}, "clustered", (3, 3, 0, 11)),
    # "all" also pairs the unclustered reports with each other, and what detection flagged
    ({"a1": "i1", "a2": "i1", "b1": "i2", "x1": "i3", "x2": "i3", "n1": "i3"}, "all",
     (1, 3, 15, 18)),
]  # fmt: skip


@pytest.mark.parametrize(("ids", "scope", "expected"), CASES)
def test_count_pairs(ids: dict[str, str], scope: str, expected: tuple[int, int, int, int]) -> None:
    clustered = {k: {"id": k, "incident_id": v} for k, v in ids.items()}
    counts = count_pairs(LABELS, clustered, scope)
    assert (counts.together, counts.same_cluster, counts.apart, counts.different) == expected
    assert len(counts.wrong) == counts.total - counts.right


@pytest.mark.skipif(not DEV_SET.exists(), reason="the labelled dev set is not beside the project")
def test_dev_set_reports_of_one_event_share_one_incident(tmp_path: Path) -> None:
    done = raqib("scan", "--jsonl", "--cluster", str(DEV_SET))
    assert done.returncode == 0, done.stderr
    clustered: dict[str, dict[str, Any]] = {}
    for line in done.stdout.splitlines():
        record = json.loads(line)
        clustered[record["id"]] = record
    labels = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines() if line]
    counts = count_pairs(labels, clustered, "clustered")
    assert counts.agreement >= 0.9, counts.describe("clustered")


def test_pairwise_precision_and_recall() -> None:
    # a1 and a2 together (right), b1 merged with x1 (a pair from different clusters joined)
    ids = {"a1": "i1", "a2": "i1", "a3": "i2", "b1": "i3", "x1": "i3", "x2": "i4"}
    counts = count_pairs(LABELS, {k: {"id": k, "incident_id": v} for k, v in ids.items()})
    assert (counts.together, counts.same_cluster) == (1, 3)
    assert counts.precision == pytest.approx(1 / 2)  # a1–a2 right, b1–x1 wrong
    assert counts.recall == pytest.approx(1 / 3)  # a1–a3 and a2–a3 missed
    assert "pairwise precision 0.500, recall 0.333" in counts.describe("clustered")
