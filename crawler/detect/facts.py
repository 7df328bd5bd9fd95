"""Facts from an incident report: casualty counts and the event date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# First cut: digits next to a killing or wounding word. Number words come with the detection work.
_KILLED = re.compile(
    r"(?:مقتل|قتل|قتلت|استشهاد|اسفر عن مقتل)\s+(?:ما لا يقل عن\s+)?(\d+)"
    r"|(\d+)\s+(?:قتيلا|قتلي|قتيل)"
)
_INJURED = re.compile(r"(?:اصابه|جرح|اصيب)\s+(\d+)|(\d+)\s+(?:جريحا|جرحي|مصابا)")


@dataclass(frozen=True)
class CasualtyCount:
    who: str
    killed: int | None = None
    injured: int | None = None


def _first_number(pattern: re.Pattern[str], text: str) -> int | None:
    match = pattern.search(text)
    if match is None:
        return None
    return int(next(g for g in match.groups() if g))


def casualties(text: str) -> tuple[int | None, int | None, list[CasualtyCount]]:
    """(killed, injured, breakdown) from normalised text."""
    killed = _first_number(_KILLED, text)
    injured = _first_number(_INJURED, text)
    breakdown = [CasualtyCount("victims", killed, injured)] if killed or injured else []
    return killed, injured, breakdown


def event_date(text: str, published: date | None) -> date | None:
    """The day of the event; first cut: the publication day."""
    return published
