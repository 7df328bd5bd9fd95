"""The toll tests' case and its check, shared by tests/test_detect_tolls*.py: detect one text
and compare its dead and hurt with what the case says (``...`` where it says nothing of a side)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import EllipsisType

from crawler.detect import Document
from crawler.detect.facts.casualties import MILITANTS
from tests.support.incident_reports import detector

PUBLISHED = datetime(2024, 3, 12, 9, 0, tzinfo=UTC)

Count = int | EllipsisType | None
# (what it checks, title, text, killed, injured)
Toll = tuple[str, str | None, str, Count, Count]


def check_toll(about: str, title: str | None, text: str, killed: Count, injured: Count) -> None:
    found = detector().detect(Document(text=text, title=title, published=PUBLISHED))
    assert found.is_incident, f"{about}: {found.why}"
    if killed is not ...:
        assert found.killed == killed, f"{about}: {found.why}"
    if injured is not ...:
        assert found.injured == injured, f"{about}: {found.why}"
    # one count per side: no side is listed twice, and the attackers' dead are no victims
    sides = [c.who for c in found.casualties]
    assert len(sides) == len(set(sides)), found.casualties
    assert MILITANTS not in sides, found.casualties
