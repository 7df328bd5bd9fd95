"""The deployment files: compose and systemd validate with their own tools and agree with the code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from config.loader import DEFAULT_CONFIG, load_settings
from config.settings import HttpSettings, Settings
from crawler.app.daemon import CRAWL_STOP_SECONDS
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
# After SIGTERM: the grace, stopping crawls, closing Redis; what an orchestrator must allow.
STOP_NEEDS = Settings().shutdown_grace_seconds + CRAWL_STOP_SECONDS + 10


def _compose_command() -> list[str] | None:
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


def _seconds(value: str) -> float:
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", value):
        total += float(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def _env_lines(text: str) -> dict[str, str]:
    return dict(
        line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#")
    )


def test_compose_file_is_valid_and_gives_raqib_time_to_stop(tmp_path: Path) -> None:
    command = _compose_command()
    if command is None:
        pytest.skip(
            "neither `docker compose` nor `docker-compose` is installed (.ci/run installs it)"
        )
    # As a user has it after docs/scaling.md's first step: the configuration in its own
    # directory outside the source tree (/etc/raqib; RAQIB_ETC here), the env file beside it.
    etc = tmp_path / "etc-raqib"
    etc.mkdir()
    shutil.copy(DEFAULT_CONFIG, etc / "raqib.yaml")
    shutil.copy(DEPLOY / "raqib.env.example", etc / "raqib.env")
    run = subprocess.run(
        [*command, "-f", str(DEPLOY / "compose.yaml"), "config"],
        capture_output=True, text=True, timeout=60,
        env={**os.environ, "RAQIB_ETC": str(etc)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    resolved = yaml.safe_load(run.stdout)
    services = resolved["services"]
    assert set(services) == {"redis", "crawl", "alerts"}
    redis = services["redis"]
    assert redis["command"][:3] == ["redis-server", "--appendonly", "yes"]
    for role in ("crawl", "alerts"):
        service = services[role]
        assert service["command"] == [role]
        environment = service["environment"]
        assert environment["REDIS_URL"] == "redis://redis:6379/0"
        assert environment["RAQIB_CONFIG"] == "/etc/raqib/raqib.yaml"
        assert environment["RAQIB_SMTP__PASSWORD_ENV"] == "SMTP_PASSWORD"  # from the env file
        assert _seconds(service["stop_grace_period"]) >= STOP_NEEDS
        # The configuration from outside the source tree, read-only.
        (volume,) = service["volumes"]
        if isinstance(volume, dict):
            assert (volume["source"], volume["target"], volume["read_only"]) == (
                str(etc), "/etc/raqib", True,
            )  # fmt: skip
        else:
            assert volume == f"{etc}:/etc/raqib:ro", volume
        # `--scale crawl=3`: no fixed host port, each replica gets a loopback port of its own.
        (port,) = service["ports"]
        if isinstance(port, dict):
            assert port["host_ip"] == "127.0.0.1" and not port.get("published"), port
            assert int(port["target"]) == HttpSettings().port
        else:
            assert port.startswith("127.0.0.1::9480"), port
        # What the container's environment makes of the settings.
        environ = {k: str(v) for k, v in environment.items()}
        settings = load_settings(etc / "raqib.yaml", environ=environ)
        assert settings.redis.url == "redis://redis:6379/0" and settings.log.json_format
        assert settings.smtp.starttls and settings.smtp.port == 587


def test_systemd_unit_verifies_and_stops_raqib_alone(tmp_path: Path) -> None:
    unit = (DEPLOY / "raqib.service").read_text(encoding="utf-8")
    options = dict(
        line.split("=", 1) for line in unit.splitlines() if "=" in line and not line.startswith("#")
    )
    # SIGTERM to Raqib only: it stops its Redis and workers itself, after the last deliveries.
    assert options["KillMode"] == "mixed" and options["KillSignal"] == "SIGTERM"
    assert float(options["TimeoutStopSec"]) >= STOP_NEEDS
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed here")
    # The unit as installed under /opt/raqib, pointed at this checkout's own program instead.
    program = Path(sys.executable).parent / "raqib"
    assert program.exists(), program
    local = unit.replace("/opt/raqib/.venv/bin/raqib", str(program)).replace(
        "WorkingDirectory=/opt/raqib", f"WorkingDirectory={ROOT}"
    )
    path = tmp_path / "raqib.service"
    path.write_text(local, encoding="utf-8")
    run = subprocess.run([analyze, "verify", str(path)], capture_output=True, text=True, timeout=60)
    # verify exits 0 on a line it cannot parse too, and only says so: any word from it fails.
    assert run.returncode == 0 and not (run.stdout + run.stderr).strip(), run.stdout + run.stderr


def test_the_image_and_the_env_example_set_settings_that_exist() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    env_block = dockerfile.split("ENV ", 1)[1].split("\n\n", 1)[0]
    environ = dict(re.findall(r"(\w+)=(\S+)", env_block))
    settings = load_settings(DEFAULT_CONFIG, environ=environ)
    assert settings.http.host == "0.0.0.0" and settings.http.port == HttpSettings().port
    assert str(settings.data_dir) == "/var/lib/raqib"
    assert f"EXPOSE {HttpSettings().port}" in dockerfile and "/healthz" in dockerfile
    example = _env_lines((DEPLOY / "raqib.env.example").read_text(encoding="utf-8"))
    loaded = load_settings(DEFAULT_CONFIG, environ=example)  # a typo would be a ConfigError
    assert loaded.shutdown_grace_seconds == 30 and loaded.smtp.password_env == "SMTP_PASSWORD"
