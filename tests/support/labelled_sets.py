"""One of our labelled sets (tests/data/*.jsonl) read and scored as `raqib eval` scores it:
shared by the challenge test and the held-out test."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.detect import Detector, Document
from crawler.detect.evaluation import Report, score
from crawler.detect.parse import parse_published

DATA = Path(__file__).resolve().parent.parent / "data"


def scored_set(name: str, detector: Detector) -> tuple[int, Report]:
    """How many items the set holds, and its report."""
    rows = [
        json.loads(line)
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    items = [
        (
            row,
            detector.detect(
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
    return len(rows), score(items, detector)
