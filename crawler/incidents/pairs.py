"""Pair agreement of `raqib scan --jsonl --cluster` output with labelled event clusters.

    raqib scan --jsonl --cluster LABELS.jsonl | python -m benchmarks.cluster_pairs LABELS.jsonl -

(`benchmarks.cluster_pairs` runs this module's `main`.)

Which reports are paired: every report with an `event_cluster` and every report labelled an
incident (`is_incident`); a pair counts when at least one of its two reports has a cluster
("clustered" figure). The "all" figure pairs every report that is labelled an incident, has a
cluster, or that detection took for an incident, each other, a report without a cluster being
an event of its own. The "detected" figure is the "clustered" one without the reports detection
passed over, so it measures the grouping alone. A pair is right when the two share an incident id exactly when they share
a cluster; a report that got no incident id (detection passed it over) shares none.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Any, TextIO


@dataclass(frozen=True)
class PairCounts:
    together: int  # pairs from one cluster that got one incident id
    same_cluster: int
    apart: int  # pairs from different clusters (or none) that got different ids
    different: int
    wrong: tuple[tuple[str, str], ...]

    @property
    def right(self) -> int:
        return self.together + self.apart

    @property
    def total(self) -> int:
        return self.same_cluster + self.different

    @property
    def precision(self) -> float:
        """Of the pairs put in one incident, those from one cluster."""
        joined = self.together + (self.different - self.apart)
        return self.together / joined if joined else 1.0

    @property
    def recall(self) -> float:
        """Of the pairs from one cluster, those put in one incident."""
        return self.together / self.same_cluster if self.same_cluster else 1.0

    @property
    def agreement(self) -> float:
        return self.right / self.total if self.total else 1.0

    def describe(self, name: str) -> str:
        return (
            f"{name}: {self.right}/{self.total} pairs right ({self.agreement:.1%}); "
            f"same cluster, one incident: {self.together}/{self.same_cluster}; "
            f"different clusters, different incidents: {self.apart}/{self.different}; "
            f"pairwise precision {self.precision:.3f}, recall {self.recall:.3f}"
        )


def count_pairs(
    labels: Iterable[Mapping[str, Any]],
    clustered: Mapping[str, Mapping[str, Any]],
    scope: str = "clustered",
) -> PairCounts:
    """Pair agreement; `clustered` maps a report id to its `scan --cluster` output line."""
    rows = list(labels)
    cluster = {r["id"]: r.get("event_cluster") for r in rows}

    def incident(report_id: str) -> str | None:
        line = clustered.get(report_id) or {}
        return line.get("incident_id")

    if scope == "detected":
        picked = [
            r["id"]
            for r in rows
            if (r.get("event_cluster") or r.get("is_incident")) and incident(r["id"]) is not None
        ]
    else:
        picked = [
            r["id"]
            for r in rows
            if r.get("event_cluster")
            or r.get("is_incident")
            or (scope == "all" and incident(r["id"]) is not None)
        ]
    together = same = apart = different = 0
    wrong: list[tuple[str, str]] = []
    for a, b in combinations(picked, 2):
        if scope != "all" and not (cluster[a] or cluster[b]):
            continue
        truth = cluster[a] is not None and cluster[a] == cluster[b]
        first, second = incident(a), incident(b)
        guess = first is not None and first == second
        if truth:
            same += 1
            together += guess
        else:
            different += 1
            apart += not guess
        if truth != guess:
            wrong.append((a, b))
    return PairCounts(together, same, apart, different, tuple(wrong))


def _read(stream: TextIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream if line.strip()]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[0], encoding="utf-8") as handle:
        labels = _read(handle)
    if argv[1] == "-":
        output = _read(sys.stdin)
    else:
        with open(argv[1], encoding="utf-8") as handle:
            output = _read(handle)
    by_id = {line["id"]: line for line in output}
    for scope in ("clustered", "detected", "all"):
        counts = count_pairs(labels, by_id, scope)
        print(counts.describe(scope))
        for a, b in counts.wrong:
            print(f"  wrong: {a} ({by_id.get(a, {}).get('incident_id')}) "
                  f"– {b} ({by_id.get(b, {}).get('incident_id')})")  # fmt: skip
    return 0
