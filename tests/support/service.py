"""`raqib run | crawl | alerts` as a real process for the service tests: its log, its endpoint, signals."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.support.delivery import wait_until

_ADDRESS = re.compile(r"status endpoint on (http://\S+) ")


class RaqibProcess:
    """One `raqib` daemon process, its log in a file, its status endpoint found in the log."""

    def __init__(
        self, config: Path, log: Path, role: str = "run", env: dict[str, str] | None = None,
        from_config: bool = False, extra: tuple[str, ...] = (),
    ) -> None:  # fmt: skip
        environ = {**os.environ, **(env or {})}
        if from_config:
            environ.pop("REDIS_URL", None)  # Redis as the config says (REDIS_URL would win)
        self.log = log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "crawler", *extra, "--config", str(config), role],
                cwd=ROOT, env=environ, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.address = ""

    @property
    def pid(self) -> int:
        return self.process.pid

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def tail(self, size: int = 4000) -> str:
        return self.text()[-size:]

    def wait_ready(self, timeout: float = 60) -> str:
        """Wait for the endpoint to listen and the daemon to run; returns the endpoint address."""

        def ready() -> bool:
            return "raqib running" in self.text() and bool(_ADDRESS.search(self.text()))

        assert wait_until(ready, timeout, every=0.1), f"daemon did not start:\n{self.tail()}"
        assert self.process.poll() is None, self.tail()
        match = _ADDRESS.search(self.text())
        assert match is not None
        self.address = match.group(1)
        return self.address

    def get(self, path: str, timeout: float = 10) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.address + path, timeout=timeout) as answer:
                return answer.status, answer.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode("utf-8")

    def health(self) -> tuple[int, dict[str, Any]]:
        status, body = self.get("/healthz")
        return status, json.loads(body)

    def metrics(self) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        """Every sample of /metrics, parsed by prometheus_client's own parser."""
        status, text = self.get("/metrics")
        assert status == 200, text
        samples = {}
        for family in text_string_to_metric_families(text):
            for sample in family.samples:
                samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
        return samples

    def signal(self, sig: signal.Signals = signal.SIGTERM) -> None:
        self.process.send_signal(sig)

    def wait(self, timeout: float) -> int:
        return self.process.wait(timeout)

    def stop(self, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return -9


def sample(
    metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float], name: str, **labels: str
) -> float:
    """One sample's value (0 when absent: a counter not yet touched)."""
    return metrics.get((name, tuple(sorted(labels.items()))), 0.0)


def wait_healthy(daemon: RaqibProcess, healthy: bool, timeout: float) -> dict[str, Any]:
    """Poll /healthz until it says healthy (200) or not (503); returns the last body."""
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        status, body = daemon.health()
        if (status == 200) == healthy:
            return body
        time.sleep(0.2)
    raise AssertionError(f"/healthz never became {'200' if healthy else '503'}: {body}")
