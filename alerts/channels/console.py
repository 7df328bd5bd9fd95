"""The fallback when no subscription is configured: print the alert and append it to alerts.jsonl."""

from __future__ import annotations

import sys
from pathlib import Path

from alerts.message import Alert
from alerts.render import Rendered


class ConsoleChannel:
    kind = "console"

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "alerts.jsonl"

    @property
    def id(self) -> str:
        return "console"

    async def send(self, alert: Alert, rendered: Rendered, subscription: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(alert.model_dump_json() + "\n")
        sys.stdout.write(f"\n{rendered.text}\n")
        sys.stdout.flush()
