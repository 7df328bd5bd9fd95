"""E-mail over STARTTLS and over TLS with AUTH, the password from the environment, never logged."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

from alerts.spine.keyspace import Keyspace
from tests.support.certificates import self_signed_certificate
from tests.support.delivery import build_settings, drain, make_alert, publish
from tests.support.servers import Mailbox, _Collector, free_port

PASSWORD = "smtp-pass-7Qx!2"  # the test server's; Raqib reads it from RAQIB_TEST_SMTP_PASSWORD


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
) -> AuthResult:
    ok = (
        isinstance(data, LoginPassword)
        and data.login == b"raqib"
        and data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok)


class TlsMailbox(Mailbox):
    """The tests' Mailbox, behind TLS (implicit, or STARTTLS required) and AUTH."""

    def __init__(self, cert: Path, key: Path, implicit: bool) -> None:
        super().__init__()
        self.controller.stop()  # replace the plain server Mailbox started
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert, key)
        self.port = free_port()
        options: dict[str, Any] = {"authenticator": _authenticator, "auth_require_tls": True}
        if implicit:
            # aiosmtpd only counts STARTTLS as TLS for AUTH; this whole connection is TLS.
            options.update(ssl_context=context, auth_require_tls=False)
        else:
            options.update(tls_context=context, require_starttls=True)
        self.controller = Controller(
            _Collector(self), hostname="127.0.0.1", port=self.port, **options
        )
        self.controller.start()


@pytest.fixture(params=["starttls", "tls"])
def tls_mailbox(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[str, TlsMailbox, Path]]:
    cert, key = self_signed_certificate(tmp_path)
    box = TlsMailbox(cert, key, implicit=request.param == "tls")
    yield request.param, box, cert
    box.close()


def test_authenticated_mail_over_tls(
    tls_mailbox: tuple[str, TlsMailbox, Path],
    redis_url: str, prefix: str, redis_client: redis.Redis,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:  # fmt: skip
    mode, box, cert = tls_mailbox
    monkeypatch.setenv("RAQIB_TEST_SMTP_PASSWORD", PASSWORD)
    smtp = {"host": "127.0.0.1", "port": box.port, "sender": "raqib@test.example",
            "username": "raqib", "password_env": "RAQIB_TEST_SMTP_PASSWORD",
            "starttls": mode == "starttls", "ssl": mode == "tls", "ca_file": str(cert)}  # fmt: skip
    subscriptions = [{"name": "secure", "email": ["analyst@example.org"]}]
    settings = build_settings(redis_url, prefix, smtp=smtp, subscriptions=subscriptions)
    caplog.set_level(logging.DEBUG)
    publish(redis_client, prefix, make_alert("tls-1"))
    assert drain(settings).delivered == 1
    (message,) = box.wait_for(1, timeout=5)
    assert message["X-Raqib-Incident"] == "tls-1 r1"
    assert "القطرون" in message["Subject"]

    # Without the private CA the certificate is not trusted: a dead letter that says why.
    untrusted = build_settings(
        redis_url, prefix, smtp={**smtp, "ca_file": None}, subscriptions=subscriptions
    )
    publish(redis_client, prefix, make_alert("tls-2"))
    assert drain(untrusted).failed == 1
    (letter,) = redis_client.xrange(Keyspace(prefix).dead)
    assert (
        "certificate not trusted" in letter[1]["reason"] and "smtp.ca_file" in letter[1]["reason"]
    )
    assert PASSWORD not in caplog.text, "the password never reaches a log line"
