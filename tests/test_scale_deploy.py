"""The operations files for many hosts: alert rules checked by promtool, a dashboard of metrics that
exist, and an image lock file that installs with --require-hashes and holds no test tool."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import ROOT
from tests.support.service import RaqibProcess

DEPLOY = ROOT / "deploy"
RULES = DEPLOY / "prometheus" / "rules.yml"
DASHBOARD = DEPLOY / "grafana" / "raqib.json"
LOCK = DEPLOY / "requirements.lock"
SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
    "gauge": ("",),
    "info": ("_info",),
}
METRIC = re.compile(r"\b(raqib_[a-z_]+|process_[a-z_]+)\b")


def _expressions() -> list[str]:
    rules = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    found = [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    found += [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]
    return found


def test_promtool_checks_the_alert_rules() -> None:
    promtool = shutil.which("promtool")
    if promtool is None:
        pytest.skip("promtool is missing (Debian's `prometheus`; .ci/run installs it)")
    run = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True,
                         text=True, timeout=60)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SUCCESS: 13 rules found" in run.stdout


def test_rules_and_dashboard_name_only_metrics_raqib_exports(
    make_config: Any, tmp_path: Path
) -> None:
    """Every metric a rule or a panel reads is on a real `raqib run`'s /metrics (a counter
    not yet counted shows its HELP and TYPE)."""
    daemon = RaqibProcess(make_config(), tmp_path / "run.log")
    try:
        daemon.wait_ready()
        status, text = daemon.get("/metrics")
    finally:
        assert daemon.stop() == 0
    assert status == 200
    exported = {
        family.name + suffix
        for family in text_string_to_metric_families(text)
        for suffix in SUFFIXES.get(family.type, ("",))
    }
    named = {name for expr in _expressions() for name in METRIC.findall(expr)}
    assert len(named) >= 15, named
    assert named <= exported, sorted(named - exported)
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert dashboard["uid"] == "raqib" and len(dashboard["panels"]) >= 12
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def _locked() -> dict[str, str]:
    """name -> the lock's text for it (its pin and hashes)."""
    entries = re.split(r"\n(?=[a-z0-9])", LOCK.read_text(encoding="utf-8"))
    found = {}
    for entry in entries:
        match = re.match(r"([A-Za-z0-9_.-]+)==\S+", entry)
        if match:
            found[re.sub(r"[-_.]+", "-", match.group(1)).lower()] = entry
    return found


def test_the_lock_pins_every_dependency_with_hashes_and_no_test_tool() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    locked = _locked()
    for requirement in project["dependencies"]:
        name = re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", requirement)[0]).lower()
        assert name in locked, f"{name} is not in {LOCK.name}: run `make lock`"
    for entry in locked.values():
        assert "--hash=sha256:" in entry, entry[:80]
    for tool in project["optional-dependencies"]["dev"]:
        name = re.sub(r"[-_.]+", "-", re.split(r"[<>=!~\[ ;]", tool)[0]).lower()
        if name not in ("cryptography", "psutil"):  # Raqib's own dependencies bring these two
            assert name not in locked, f"the test tool {name} is in the image's lock"


@pytest.mark.slow
def test_the_lock_installs_with_require_hashes_in_a_fresh_venv(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    steps = [
        [*pip, "install", "--quiet", "--require-hashes", "--no-deps", "-r", str(LOCK)],
        [*pip, "install", "--quiet", "--no-deps", str(ROOT)],
        [*pip, "check"],
        [str(venv / "bin" / "raqib"), "--help"],
    ]
    for step in steps:
        run = subprocess.run(step, capture_output=True, text=True, timeout=600, cwd=tmp_path)
        assert run.returncode == 0, (step, run.stdout[-2000:], run.stderr[-2000:])
    listed = subprocess.run([*pip, "list", "--format=json"], capture_output=True, text=True,
                            timeout=60, check=True)  # fmt: skip
    names = {item["name"].lower() for item in json.loads(listed.stdout)}
    assert "raqib" in names and not names & {"pytest", "mypy", "ruff", "playwright"}
