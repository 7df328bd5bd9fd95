"""JSON logs: one object a line, and an SMTP password from the environment never in them."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from config.loader import load_settings
from config.logs import configure_logging
from tests.conftest import raqib, write_config
from tests.support.delivery import make_alert, publish
from tests.support.servers import free_port

SECRET = "s3cret-Pa55-for-raqib"  # only ever in the environment of the process under test


class EchoingServer:
    """An SMTP server that takes any password and then quotes it back in a refusal, as a badly
    written server might: the exact text Raqib logs when a delivery fails."""

    def __init__(self) -> None:
        self.port = free_port()
        self.logins: list[bytes] = []
        self.code = 451  # 550: a permanent refusal, so the delivery is dead-lettered
        self.controller = Controller(
            self, hostname="127.0.0.1", port=self.port, authenticator=self.authenticate,
            auth_require_tls=False,
        )  # fmt: skip
        self.controller.start()

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            self.logins.append(data.password)
        return AuthResult(success=True)

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        password = self.logins[-1].decode() if self.logins else ""
        if self.code >= 500:
            return f"{self.code} 5.7.1 refused (session raqib:{password})"
        return f"{self.code} 4.3.0 mailbox busy (session raqib:{password}), try later"


@pytest.fixture
def echoing() -> Iterator[EchoingServer]:
    server = EchoingServer()
    yield server
    server.controller.stop()


def _config(
    tmp_path: Path, redis_url: str, prefix: str, echoing: EchoingServer, **extra: Any
) -> Path:
    """A subscription mailed through the echoing server, logging in with the secret."""
    return write_config(
        tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"),
        redis={"url": redis_url, "prefix": prefix},
        smtp={"host": "127.0.0.1", "port": echoing.port, "sender": "raqib@test.example",
              "username": "raqib", "password_env": "RAQIB_TEST_SMTP_PASSWORD"},
        subscriptions=[{"name": "desk", "email": ["desk@example.org"]}], **extra,
    )  # fmt: skip


def test_json_logs_never_show_the_smtp_password(
    tmp_path: Path, redis_url: str, prefix: str, redis_client: redis.Redis, echoing: EchoingServer
) -> None:
    config = _config(tmp_path, redis_url, prefix, echoing, log={"json": True})
    publish(redis_client, prefix, make_alert("echo-1"))
    run = raqib(
        "--config", str(config), "--log-level", "DEBUG", "alerts", "--once",
        env={"RAQIB_TEST_SMTP_PASSWORD": SECRET},
    )  # fmt: skip
    assert run.returncode == 75, run.stderr[-3000:]  # the delivery waits to be retried
    assert echoing.logins == [SECRET.encode()], "the password did reach the server"
    lines = [json.loads(line) for line in run.stderr.splitlines() if line.strip()]
    assert lines and all({"ts", "level", "logger", "msg"} <= set(line) for line in lines)
    failure = [line for line in lines if "mailbox busy" in line["msg"]]
    assert failure and failure[0]["level"] == "warning", lines
    assert "raqib:***" in failure[0]["msg"]
    assert SECRET not in run.stderr + run.stdout


def test_a_dead_letter_keeps_no_secret_either(
    tmp_path: Path, redis_url: str, prefix: str, redis_client: redis.Redis, echoing: EchoingServer
) -> None:
    echoing.code = 550
    config = _config(tmp_path, redis_url, prefix, echoing)
    publish(redis_client, prefix, make_alert("echo-2"))
    env = {"RAQIB_TEST_SMTP_PASSWORD": SECRET}
    run = raqib("--config", str(config), "alerts", "--once", env=env)
    assert run.returncode == 1, run.stderr[-3000:]  # a delivery went to the dead letters
    assert echoing.logins == [SECRET.encode()], "the password did reach the server"
    listed = raqib("--config", str(config), "dead", "--json", env=env)
    assert listed.returncode == 0, listed.stderr[-3000:]
    assert "refused (session raqib:***)" in listed.stdout
    stored = redis_client.xrange(f"{prefix}{{alerts}}:dead")
    assert len(stored) == 1
    assert SECRET not in json.dumps(stored), "stored"
    assert SECRET not in listed.stdout, "listed"
    assert SECRET not in run.stderr, run.stderr


def test_a_traceback_in_a_json_log_is_scrubbed_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RAQIB_TEST_SMTP_PASSWORD", SECRET)
    config = write_config(
        tmp_path / "raqib.yaml",
        smtp={"username": "raqib", "password_env": "RAQIB_TEST_SMTP_PASSWORD"},
    )  # fmt: skip
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(load_settings(config), json_format=True)
        try:
            raise ConnectionError(f"server said: bad password {SECRET}")
        except ConnectionError:
            logging.getLogger("raqib.test").exception("send failed for %s", f"raqib:{SECRET}")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    (line,) = capsys.readouterr().err.splitlines()
    record = json.loads(line)
    assert record["msg"] == "send failed for raqib:***"
    assert "bad password ***" in record["exc"] and "Traceback" in record["exc"]
    assert SECRET not in line
