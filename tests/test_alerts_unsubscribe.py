"""Unsubscribing: RFC 8058 headers, a signed link served by the status endpoint, Redis, the CLI."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

import pytest
import redis

from alerts import unsubscribe
from alerts.unsubscribe import make_token, read_token
from tests.conftest import raqib
from tests.support.browser import chromium, chromium_path
from tests.support.delivery import build_settings, drain, handle_for, make_alert, publish
from tests.support.servers import Mailbox
from tests.support.status_server import status_server

SECRET = "unsubscribe-secret-for-tests-1f9a"
ADDRESS = "reader@example.org"


@contextmanager
def endpoint(settings: Any) -> Iterator[str]:
    """The daemon's status endpoint with the unsubscribe pages, on a loop of its own."""
    languages = {s.name: s.language for s in settings.subscriptions}
    with status_server(settings, languages=languages) as address:
        yield address


def _settings(redis_url: str, prefix: str, mailbox: Mailbox, public_url: str) -> Any:
    return build_settings(
        redis_url, prefix, mailbox.port,
        subscriptions=[{"name": "desk", "email": [ADDRESS]}],
        alerts={"public_url": public_url}, http={"port": 0},
    )  # fmt: skip


def _request(url: str, data: bytes | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=data, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def _link(message: EmailMessage) -> str:
    header = str(message["List-Unsubscribe"])
    assert header.startswith("<http://127.0.0.1:") and header.endswith(">")
    return header[1:-1]


def test_tokens_are_signed() -> None:
    key = SECRET.encode()
    token = make_token("desk", ADDRESS, key)
    assert read_token(token, key) == ("desk", ADDRESS)
    assert read_token(token, b"another-secret-of-16-bytes") is None
    mac = token.partition(".")[2]
    forged = make_token("desk", "someone@else.org", key).partition(".")[0] + "." + mac
    assert read_token(forged, key) is None
    assert read_token("garbage", key) is None and read_token("", key) is None


def test_one_click_unsubscribe_stops_the_mail_and_the_operator_restores_it(
    redis_url: str, prefix: str, redis_client: redis.Redis, mailbox: Mailbox,
    make_config: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv(unsubscribe.SECRET_ENV, SECRET)
    with endpoint(_settings(redis_url, prefix, mailbox, "http://placeholder")) as address:
        settings = _settings(redis_url, prefix, mailbox, address)
        publish(redis_client, prefix, make_alert("u-1"))
        drain(settings)
        (message,) = mailbox.wait_for(1, timeout=10)
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = _link(message)
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
        assert link in text and "إلغاء الاشتراك" in text
        assert link.replace("&", "&amp;") in html or link in html
        assert SECRET not in text + html + str(message)

        # A GET (a mail scanner following the link) changes nothing.
        status, page = _request(link)
        assert status == 200 and "أوقف التنبيهات" in page
        assert unsubscribe.unsubscribed(redis_client, handle_for(settings).keys) == []
        # A token that is not ours is refused.
        status, _ = _request(link.split("?")[0] + "?t=" + make_token("desk", ADDRESS, b"x" * 20))
        assert status == 400
        # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click.
        status, page = _request(link, b"List-Unsubscribe=One-Click")
        assert status == 200 and "ألغي اشتراكك" in page

    config = make_config(
        redis={"url": redis_url}, subscriptions=[{"name": "desk", "email": [ADDRESS]}]
    )
    listed = raqib("--config", str(config), "unsubscribed")
    assert listed.returncode == 0, listed.stderr
    assert f"desk  {ADDRESS}  via one-click" in listed.stdout
    assert SECRET not in listed.stdout + listed.stderr

    publish(redis_client, prefix, make_alert("u-2", which=1))
    drain(settings)
    assert mailbox.wait_for(2, timeout=1) == [message], "no more mail after unsubscribing"

    restored = raqib("--config", str(config), "unsubscribed", "--restore", "desk", ADDRESS)
    assert restored.returncode == 0 and "restored" in restored.stdout
    publish(redis_client, prefix, make_alert("u-3", which=2))
    drain(settings)
    assert len(mailbox.wait_for(2, timeout=10)) == 2, "mail again after the operator restored it"
    again = raqib("--config", str(config), "unsubscribed", "--restore", "desk", ADDRESS)
    assert again.returncode == 1


@pytest.mark.skipif(chromium_path() is None, reason="needs Debian's chromium")
def test_the_page_a_reader_sees(
    redis_url: str, prefix: str, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(unsubscribe.SECRET_ENV, SECRET)
    settings = _settings(redis_url, prefix, mailbox, "http://placeholder")
    with endpoint(settings) as address, chromium() as browser:
        link = unsubscribe.link(address, "desk", ADDRESS, SECRET.encode())
        page = browser.new_page()
        page.goto(link)
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        page.click("button")
        page.wait_for_load_state()
        assert "ألغي اشتراكك" in page.inner_text("body")
    handle = handle_for(settings)
    client = handle.sync()
    try:
        found = unsubscribe.unsubscribed(client, handle.keys)
    finally:
        client.close()
    assert [(u.subscription, u.address, u.via) for u in found] == [("desk", ADDRESS, "page")]


def test_check_refuses_a_public_url_without_the_secret(make_config: Any) -> None:
    config = make_config(alerts={"public_url": "https://raqib.example.org"})
    env = {unsubscribe.SECRET_ENV: ""}
    refused = raqib("--config", str(config), "check", env=env)
    assert refused.returncode == 2
    assert (
        "alerts.public_url is set but $RAQIB_UNSUBSCRIBE_SECRET is not"
        in refused.stdout + refused.stderr
    )
    assert "raqib.yaml:" in refused.stdout + refused.stderr
    accepted = raqib("--config", str(config), "check", env={unsubscribe.SECRET_ENV: SECRET})
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    assert SECRET not in accepted.stdout + accepted.stderr
