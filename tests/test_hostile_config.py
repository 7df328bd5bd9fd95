"""Careless or hostile configuration: bounded, every mistake at its file:line in one pass, nothing misleading."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from config import load_settings
from config.loader import DEFAULT_CONFIG
from tests.conftest import ROOT, raqib, write_config

ADDRESS_SPACE = 2 << 30  # 2 GiB: a bounded loader needs a fraction; an unbounded one hits it


def _limited(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """`raqib` with its memory capped and a deadline, so a loader that expands an alias bomb
    fails this test instead of the machine."""

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))

    return subprocess.run(
        [sys.executable, "-m", "crawler", *args], capture_output=True, text=True, timeout=60,
        cwd=ROOT, preexec_fn=cap, env={**os.environ, **(env or {})},
    )  # fmt: skip


def _alias_bomb() -> str:
    """Ten levels of nine aliases in about 600 bytes: 9^10 strings once expanded."""
    lines = ["data_dir: var/", 'x0: &a0 ["lol"]']
    for level in range(1, 10):
        lines.append(f"x{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    lines.append(f"sources: [{', '.join(['*a9'] * 9)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_its_line_without_expanding(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text(_alias_bomb(), encoding="utf-8")
    result = _limited("--config", str(path), "check")
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and "MemoryError" not in result.stderr
    # x6 is the first anchor past the budget (9^6 values): its line is named.
    assert f"{path}:8: aliases here expand to more than 200,000 values" in result.stderr


def test_shared_blocks_through_aliases_still_load(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text(
        "subscriptions:\n"
        "  - &desk {name: desk, email: [desk@example.org], min_score: 0.7}\n"
        "  - {<<: *desk, name: night}\n",
        encoding="utf-8",
    )
    settings = load_settings(path, environ={})
    assert [(s.name, s.min_score) for s in settings.subscriptions] == [
        ("desk", 0.7),
        ("night", 0.7),
    ]


@pytest.mark.parametrize(
    "where, text",
    [
        ("file", "data_dir: !!python/object/apply:os.system ['echo owned']\n"),
        ("file", "smtp:\n  host: !!python/name:os.system\n"),
        ("env", "data_dir: var/\n"),
    ],
)
def test_a_python_tag_is_a_config_error_with_its_line(
    tmp_path: Path, where: str, text: str
) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text(text, encoding="utf-8")
    env = (
        {"RAQIB_SMTP__HOST": "!!python/object/apply:os.system ['echo owned']"}
        if where == "env"
        else {}
    )
    result = _limited("--config", str(path), "check", env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "owned" not in result.stdout
    expected = f"{path}:{text.count(chr(10))}:" if where == "file" else "$RAQIB_SMTP__HOST:1:"
    assert expected in result.stderr and "python/" in result.stderr, result.stderr


def test_check_reports_every_problem_in_one_pass_each_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "raqib.yaml"
    path.write_text(
        "data_dir: var/\n"  # 1
        "smtp:\n"  # 2
        "  prot: 25\n"  # 3: a schema error
        "sources: []\n"  # 4
        "subscriptions:\n"  # 5
        "  - name: desk\n"  # 6
        "    email: desk@@example.org\n"  # 7: not an address
        "    chat:\n"  # 8
        "      - slack://TOKENAAAAAA/SECRETB\n"  # 9: Apprise cannot read it
        "    places: [سرت, Atlantis]\n"  # 10: a place the gazetteer does not know
        "    regions: [فزان, Narnia]\n"  # 11
        "  - name: desk\n"  # 12: a name used again
        "    email: [other@example.org]\n",  # 13
        encoding="utf-8",
    )
    result = raqib("--config", str(path), "check", timeout=60)
    assert result.returncode == 2, result.stdout
    lines = [line.strip() for line in result.stderr.splitlines()]
    for line, key in [
        (3, "smtp.prot: unknown key"),
        (7, "subscriptions.0.email: not an e-mail address: 'desk@@example.org'"),
        (9, "subscriptions.0.chat.0: not a usable Apprise URL"),
        (10, "subscriptions.0.places.1: the gazetteer knows no place 'Atlantis'"),
        (11, "subscriptions.0.regions.1: no region or district named 'Narnia'"),
        (12, "subscriptions: the name 'desk' is used again (first at line 6)"),
    ]:
        assert any(text.startswith(f"{path}:{line}: {key}") for text in lines), (line, lines)
    assert "SECRETB" not in result.stderr + result.stdout  # Apprise's own complaint quoted it


def test_one_address_as_a_string_is_a_list_of_one(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "raqib.yaml",
        subscriptions=[{"name": "desk", "email": "desk@example.org", "chat": "json://127.0.0.1/x"}],
    )
    (sub,) = load_settings(path, environ={}).subscriptions
    assert sub.email == ["desk@example.org"] and [t.url for t in sub.chat_targets()] == [
        "json://127.0.0.1/x"
    ]


def test_no_enabled_source_is_a_warning(tmp_path: Path) -> None:
    path = write_config(
        tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"),
        sources=[{"name": "off", "url": "http://127.0.0.1:9/feed.xml", "enabled": False}],
    )  # fmt: skip
    result = raqib("--config", str(path), "check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"warning: {path}:" in result.stderr and "no enabled source" in result.stderr


def test_the_console_fallback_is_a_subscription_test_alert_can_reach(tmp_path: Path) -> None:
    path = write_config(tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"), sources=[])
    checked = raqib("--config", str(path), "check", timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert "subscriptions: none; alerts go to the console" in checked.stdout
    sent = raqib("--config", str(path), "test-alert", "-s", "console", timeout=60)
    assert sent.returncode == 0, sent.stderr
    assert "ok      console and" in sent.stdout
    (line,) = (tmp_path / "var/alerts.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(line)["incident_id"].startswith("test-")


def test_version() -> None:
    result = raqib("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == "raqib, version 0.1.0"


@pytest.mark.parametrize("command", [["feeds"], ["incidents"], ["dead"], ["pending"]])
def test_read_only_commands_say_only_their_answer_unless_asked(
    tmp_path: Path, command: list[str]
) -> None:
    path = write_config(tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"), sources=[])
    env: dict[str, Any] = {"REDIS_URL": ""}  # their own embedded Redis, whatever the CI sets
    quiet = raqib("--config", str(path), *command, env=env)
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stderr == "", quiet.stderr
    told = raqib("-v", "--config", str(path), *command, env=env)
    assert told.returncode == 0, told.stderr
    assert "embedded Redis started" in told.stderr


def test_the_shipped_config_checks_clean() -> None:
    result = raqib("--config", str(DEFAULT_CONFIG), "check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
