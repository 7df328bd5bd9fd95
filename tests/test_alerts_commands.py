"""`raqib test-alert` against real servers, and `raqib check` on subscriptions."""

from __future__ import annotations

import socket
from pathlib import Path

from tests.conftest import raqib, write_config
from tests.support.servers import Mailbox, Reply, WebServer

SECRET = "desk-token-8c1f2e"


def _config(tmp_path: Path, mailbox: Mailbox, web: WebServer) -> Path:
    return write_config(
        tmp_path / "raqib.yaml",
        data_dir=str(tmp_path / "var"),
        smtp={"host": "127.0.0.1", "port": mailbox.port, "sender": "raqib@test.example"},
        subscriptions=[
            {"name": "desk", "language": "en", "email": ["desk@example.org"],
             "chat": [f"json://127.0.0.1:{web.port}/hook?+Authorization=Bearer%20{SECRET}",
                      f"json://127.0.0.1:{web.port}/broken"]},
            {"name": "analysts", "email": ["analyst@example.org"]},
        ],
    )  # fmt: skip


def test_test_alert_reports_each_channel(tmp_path: Path, mailbox: Mailbox, web: WebServer) -> None:
    web.routes["/hook"] = Reply(200)
    web.routes["/broken"] = Reply(404)
    config = _config(tmp_path, mailbox, web)

    result = raqib("--config", str(config), "test-alert", "--subscription", "desk", timeout=60)
    assert result.returncode == 1, result.stderr  # one channel failed
    lines = result.stdout.splitlines()
    assert "  ok      e-mail to desk@example.org" in lines
    assert any(
        line.startswith(f"  ok      webhook json://127.0.0.1:{web.port}/…") for line in lines
    )
    assert any("FAILED  webhook" in line and "HTTP 404 (permanent)" in line for line in lines)
    assert lines[-1] == "2 ok, 1 failed"
    assert SECRET not in result.stdout + result.stderr, "no token in what is printed"

    (message,) = mailbox.wait_for(1, timeout=5)
    assert message["Subject"].startswith("[TEST] [Raqib] ⁨attack⁩ — ⁨Sabha (Fezzan)⁩")
    assert "Test message — not a real incident" in message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    (hit,) = web.hits("/hook")
    assert hit.headers["authorization"] == f"Bearer {SECRET}"
    assert "سبها" in hit.json()["message"]

    arabic = raqib("--config", str(config), "test-alert", "-s", "analysts", timeout=60)
    assert arabic.returncode == 0, arabic.stderr
    assert arabic.stdout.splitlines()[-1] == "1 ok, 0 failed"
    second = mailbox.wait_for(2, timeout=5)[1]
    assert "رسالة تجريبية — لا تصف حادثة حقيقية" in second.get_body(("plain",)).get_content()  # type: ignore[union-attr]


def test_test_alert_names_the_known_subscriptions(
    tmp_path: Path, mailbox: Mailbox, web: WebServer
) -> None:
    config = _config(tmp_path, mailbox, web)
    result = raqib("--config", str(config), "test-alert", "-s", "nobody", timeout=60)
    assert result.returncode == 2
    assert "no subscription named 'nobody' (known: desk, analysts)" in result.stderr


def test_check_counts_channels_and_rejects_a_bad_subscription(
    tmp_path: Path, mailbox: Mailbox, web: WebServer
) -> None:
    config = _config(tmp_path, mailbox, web)
    result = raqib("--config", str(config), "check", timeout=60)
    assert result.returncode == 0, result.stderr
    assert "subscriptions: desk (3 channels), analysts (1 channel)" in result.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "subscriptions:\n  - name: night\n    email: [a@example.org]\n    quiet_hours:\n"
        "      start: '22:00'\n      end: '07:00'\n      timezone: Mars/Olympus\n",
        encoding="utf-8",
    )
    rejected = raqib("--config", str(bad), "check", timeout=60)
    assert rejected.returncode == 2
    assert "subscriptions.0.quiet_hours.timezone" in rejected.stderr
    assert "unknown time zone 'Mars/Olympus'" in rejected.stderr


def test_an_unreachable_redis_is_one_clear_line_and_no_password(tmp_path: Path) -> None:
    """A wrong REDIS_URL: each command that needs Redis says so in a line, without a traceback
    and without the URL's password; `run --once` cannot wait for it and exits 1 too."""
    config = write_config(tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"), sources=[])
    with socket.socket() as probe:  # a port on which nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {"REDIS_URL": f"redis://:sekret-pw@127.0.0.1:{port}/0"}
    for command in (["feeds"], ["incidents"], ["dead"], ["run", "--once"]):
        result = raqib("--config", str(config), *command, env=env)
        output = result.stdout + result.stderr
        assert result.returncode == 1, (command, output)
        assert "cannot reach Redis" in output and f"127.0.0.1:{port}" in output, command
        assert "Traceback" not in output and "sekret-pw" not in output, (command, output)
