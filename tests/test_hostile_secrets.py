"""Secrets in every form they travel in — a Redis URL's query, base64 in SMTP AUTH, Apprise's own
log lines — never reach a log, a dead letter or the AOF."""

from __future__ import annotations

import base64
import io
import json
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from alerts.spine.connections import redact_url, redis_server_binary
from config.loader import load_settings
from config.logs import SecretFilter, configure_logging, secrets_of
from tests.conftest import raqib, write_config
from tests.support.delivery import make_alert, publish, wait_until
from tests.support.servers import free_port

SECRET = "Redis-Pa55-in-the-query"
SMTP_SECRET = "smtp-Pa55-w0rd-secret"


# --- point 4: a Redis password in the URL's query -------------------------------------------


@pytest.fixture
def locked_redis(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A real redis-server that asks for SECRET, on a TCP port and a unix socket."""
    port, socket = free_port(), tmp_path / "locked.sock"
    server = subprocess.Popen(
        [str(redis_server_binary()), "--port", str(port), "--bind", "127.0.0.1",
         "--unixsocket", str(socket), "--requirepass", SECRET, "--save", "",
         "--appendonly", "no", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        assert wait_until(socket.exists, timeout=20)
        yield port, socket
    finally:
        server.terminate()
        server.wait(10)


@pytest.mark.parametrize(
    "form",
    [
        "redis://127.0.0.1:{port}/0?password={secret}",
        "unix://{socket}?db=0&password={secret}",
        "redis://127.0.0.1:{port}?db=0&password={secret}&socket_timeout=5",
        "redis://:{secret}@127.0.0.1:{port}/0",
        "redis://default:{secret}@127.0.0.1:{port}/0",
    ],
)
def test_a_redis_password_is_never_logged_whatever_the_url_form(
    tmp_path: Path, locked_redis: tuple[int, Path], form: str
) -> None:
    port, socket = locked_redis
    url = form.format(port=port, socket=socket, secret=SECRET)
    config = write_config(tmp_path / "raqib.yaml", data_dir=str(tmp_path / "var"), sources=[])
    run = raqib("--config", str(config), "run", "--once", env={"REDIS_URL": url})
    output = run.stdout + run.stderr
    assert run.returncode == 0, output  # it did log in with the password
    assert "using Redis at" in output
    assert SECRET not in output, output
    wrong = url.replace(SECRET, SECRET + "-wrong")
    refused = raqib("--config", str(config), "feeds", env={"REDIS_URL": wrong})
    assert refused.returncode == 1 and "cannot reach Redis" in refused.stderr, refused.stderr
    assert SECRET not in refused.stdout + refused.stderr, refused.stderr


@pytest.mark.parametrize(
    "url, shown",
    [
        ("redis://h:6379/0?password=S3cret", "redis://h:6379/0?password=***"),
        ("unix:///run/r.sock?db=2&password=S3cret", "unix:///run/r.sock?db=2&password=***"),
        ("rediss://u:S3cret@h/0", "rediss://u:***@h/0"),
        ("redis://:S3cret@h:1/0", "redis://***@h:1/0"),
        ("redis://S3cret@h", "redis://***@h"),
        ("redis://h/0?username=u&sentinel_password=S3cret", "redis://h/0?username=u&sentinel_password=***"),
        ("redis://h:6379/0", "redis://h:6379/0"),
    ],
)  # fmt: skip
def test_redact_url_covers_every_place_a_password_goes(url: str, shown: str) -> None:
    assert redact_url(url) == shown


def test_the_log_filter_knows_a_query_password_encoded_or_not(tmp_path: Path) -> None:
    settings = load_settings(
        write_config(tmp_path / "raqib.yaml", sources=[]),
        environ={"REDIS_URL": "redis://h:6379/0?password=p%40ss-w0rd"},
    )
    scrub = SecretFilter(secrets_of(settings)).scrub
    assert scrub("auth p@ss-w0rd and p%40ss-w0rd") == "auth *** and ***"


# --- point 6: an SMTP server quoting AUTH back -------------------------------------------------


class QuotingAuthServer:
    """Refuses every login, quoting back what the client sent — the base64 of AUTH PLAIN's
    "\\0user\\0password" or of AUTH LOGIN's password — as a badly written server might."""

    def __init__(self, mechanism: str) -> None:
        self.port = free_port()
        self.mechanism = mechanism
        self.quoted: list[str] = []
        other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
        self.controller = Controller(
            self, hostname="127.0.0.1", port=self.port, authenticator=self.authenticate,
            auth_require_tls=False, auth_exclude_mechanism=[other],
        )  # fmt: skip
        self.controller.start()

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        sent = b"\0" + data.login + b"\0" + data.password if mechanism == "PLAIN" else data.password
        blob = base64.b64encode(sent).decode()
        self.quoted.append(blob)
        return AuthResult(
            success=False, handled=False, message=f"535 5.7.8 credentials {blob} rejected"
        )


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_an_smtp_server_quoting_auth_leaks_nothing(
    tmp_path: Path, make_config: Any, prefix: str, mechanism: str
) -> None:
    server = QuotingAuthServer(mechanism)
    try:
        config = make_config(
            smtp={"host": "127.0.0.1", "port": server.port, "sender": "raqib@test.example",
                  "username": "raqib", "password_env": "RAQIB_TEST_SMTP_PASSWORD"},
            subscriptions=[{"name": "desk", "email": ["desk@example.org"]}],
        )  # fmt: skip
        env = {"RAQIB_TEST_SMTP_PASSWORD": SMTP_SECRET}
        settings = load_settings(config)
        with redis.Redis.from_url(_redis_url(settings, tmp_path), decode_responses=True) as client:
            publish(client, prefix, make_alert(f"auth-{mechanism.lower()}"))
        run = raqib("--config", str(config), "alerts", "--once", env=env)
        listed = raqib("--config", str(config), "dead", "--json", env=env)
    finally:
        server.controller.stop()
        _stop_embedded(tmp_path)
    assert server.quoted, "the server was asked to log in"
    assert run.returncode == 1, run.stderr  # 535 is for good: dead-lettered
    (letter,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert "refused the login of 'raqib'" in letter["reason"], letter
    forms = [SMTP_SECRET, *server.quoted, base64.b64encode(SMTP_SECRET.encode()).decode()]
    places = {"log": run.stdout + run.stderr, "raqib dead": listed.stdout + listed.stderr}
    for aof in (tmp_path / "var/redis").rglob("*.aof"):
        places[aof.name] = aof.read_text(errors="replace")
    assert any(name.endswith(".aof") for name in places) or _external_redis()
    for name, text in places.items():
        for form in forms:
            assert form not in text, (name, form)


def _external_redis() -> bool:
    import os

    return bool(os.environ.get("REDIS_URL"))


def _redis_url(settings: Any, tmp_path: Path) -> str:
    """The Redis the command will use: REDIS_URL, or the embedded one under the data dir
    (started here so the alert can be published; the command shares it)."""
    if settings.redis.url:
        return str(settings.redis.url)
    from alerts.spine.connections import EmbeddedRedis

    embedded = EmbeddedRedis(tmp_path / "var/redis")
    embedded.start()
    _EMBEDDED[str(tmp_path)] = embedded
    return embedded.url


_EMBEDDED: dict[str, Any] = {}


def _stop_embedded(tmp_path: Path) -> None:
    embedded = _EMBEDDED.pop(str(tmp_path), None)
    if embedded is not None:
        embedded.stop()  # SIGTERM: its AOF is written out


# --- point 7: Apprise's own log lines ---------------------------------------------------------


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = root.handlers[:], root.level, logging.lastResort
    levels = {name: logging.getLogger(name).level for name in ("apprise", "py.warnings")}
    yield
    root.handlers[:], level, logging.lastResort = saved
    root.setLevel(level)
    for name, value in levels.items():
        logging.getLogger(name).setLevel(value)
    logging.captureWarnings(False)


def test_apprise_log_lines_are_scrubbed_on_every_handler(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], restored_logging: None
) -> None:
    import apprise

    urls = ["slack://TOKENAAAAAA/SECRETB", "slack://TK9/SECRET7"]
    config = write_config(
        tmp_path / "raqib.yaml", sources=[], subscriptions=[{"name": "desk", "chat": urls}]
    )
    # A handler a library put on its own logger before Raqib configured logging.
    own = io.StringIO()
    library_handler = logging.StreamHandler(own)
    logging.getLogger("apprise").addHandler(library_handler)
    try:
        configure_logging(load_settings(config, environ={}))
        for url in urls:
            assert not apprise.Apprise().add(url)  # Apprise logs why, quoting the URL
    finally:
        logging.getLogger("apprise").removeHandler(library_handler)
    err = capsys.readouterr().err
    assert "Could not load Slack URL" in err, err
    for text in (err, own.getvalue()):
        assert "Could not load Slack URL" in text
        for token in ("TOKENAAAAAA", "SECRETB", "SECRET7"):
            assert token not in text, text
