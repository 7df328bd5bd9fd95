"""The fallback when no subscription is configured: print the alert and append it to alerts.jsonl."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from alerts.channels import rendered_for
from alerts.jobs import DeliveryJob
from alerts.spine.files import private_directory
from config.settings import RateLimit


class ConsoleChannel:
    kind = "console"
    rate_limit: RateLimit | None = None

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / "alerts.jsonl"

    @property
    def id(self) -> str:
        return "console"

    def describe(self) -> str:
        return f"console and {self.path}"

    async def send(self, job: DeliveryJob, language: str) -> None:
        private_directory(self.path.parent, close=False)
        # Every alert is in this file: it is this user's alone (0600), like the embedded Redis.
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8") as out:
            for alert in job.alerts:
                out.write(alert.model_dump_json() + "\n")
        sys.stdout.write(f"\n{rendered_for(job, language).text}\n")
        sys.stdout.flush()

    async def close(self) -> None:
        return None
