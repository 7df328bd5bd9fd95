"""Every lead of our own challenge and grouping sets (tests/data/*challenge*.jsonl), for the
tests that hold a shortcut to the reading it spares on all our text."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data"


def our_leads() -> list[dict[str, Any]]:
    leads = []
    for path in sorted(DATA.glob("*challenge*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                leads.append(json.loads(line))
    return leads
