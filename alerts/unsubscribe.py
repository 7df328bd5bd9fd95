"""Unsubscribing: signed one-click links (RFC 8058), the list of who stopped, and the way back.

A reader's link carries a token: the subscription and the address, signed with HMAC-SHA256 under
the secret in `RAQIB_UNSUBSCRIBE_SECRET`. The token is the reader's credential and stands in for
a login and a CSRF token: only the person who received the mail has it, it names one address of
one subscription, and it can do one thing, stop that mail. A GET only shows a confirmation (mail
scanners follow links); the POST (a mail client's one-click, or the page's button) stops the
mail. Who stopped is kept in Redis (`…{alerts}:unsubscribed`), listed by `raqib unsubscribed`,
and restored by the operator (`raqib unsubscribed --restore SUBSCRIPTION ADDRESS`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import quote

import redis
import redis.asyncio

from alerts.spine.keyspace import Keyspace

SECRET_ENV = "RAQIB_UNSUBSCRIBE_SECRET"
PATH = "/unsubscribe"
_MAC_BYTES = 16  # 128 bits of HMAC-SHA256: unguessable, and the link stays short


def secret() -> bytes | None:
    """The signing secret from the environment; None when unsubscribing is not set up."""
    value = os.environ.get(SECRET_ENV, "")
    return value.encode() if len(value) >= 16 else None


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _mac(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, b"raqib-unsubscribe\n" + payload, hashlib.sha256).digest()[:_MAC_BYTES]


def make_token(subscription: str, address: str, key: bytes) -> str:
    payload = f"{subscription}\n{address}".encode()
    return f"{_b64(payload)}.{_b64(_mac(key, payload))}"


def read_token(token: str, key: bytes) -> tuple[str, str] | None:
    """(subscription, address) of a token signed with `key`; None for anything else."""
    try:
        payload_text, _, mac_text = token.partition(".")
        payload, mac = _unb64(payload_text), _unb64(mac_text)
    except (ValueError, TypeError):
        return None
    if not hmac.compare_digest(mac, _mac(key, payload)):
        return None
    subscription, _, address = payload.decode("utf-8", "replace").partition("\n")
    return (subscription, address) if subscription and address else None


def link(base_url: str, subscription: str, address: str, key: bytes) -> str:
    """The reader's unsubscribe address on the status endpoint."""
    token = make_token(subscription, address, key)
    return f"{base_url.rstrip('/')}{PATH}?t={quote(token)}"


def key_of(keys: Keyspace) -> str:
    # Under the {alerts} hash tag: read by the sender next to its other keys.
    return keys._k("{alerts}", "unsubscribed")


def field(subscription: str, address: str) -> str:
    return f"{subscription}\t{address.casefold()}"


@dataclass(frozen=True)
class Unsubscribed:
    subscription: str
    address: str
    at: float
    via: str  # one-click | page | cli

    def summary(self) -> dict[str, Any]:
        return {"subscription": self.subscription, "address": self.address, "at": self.at,
                "via": self.via}  # fmt: skip


def unsubscribe(
    client: redis.Redis, keys: Keyspace, subscription: str, address: str, via: str
) -> bool:
    """Stop the mail; True when it was not stopped already."""
    record = json.dumps({"at": time.time(), "via": via, "address": address})
    return bool(client.hsetnx(key_of(keys), field(subscription, address), record))


def restore(client: redis.Redis, keys: Keyspace, subscription: str, address: str) -> bool:
    """The operator puts an address back; True when it had unsubscribed."""
    return bool(client.hdel(key_of(keys), field(subscription, address)))


def unsubscribed(client: redis.Redis, keys: Keyspace) -> list[Unsubscribed]:
    out = []
    for name, raw in cast(dict[str, str], client.hgetall(key_of(keys))).items():
        subscription, _, _ = name.partition("\t")
        data = json.loads(raw)
        out.append(Unsubscribed(subscription, data.get("address", ""), data["at"], data["via"]))
    return sorted(out, key=lambda u: u.at)


def language_of(
    client: redis.Redis, keys: Keyspace, languages: Mapping[str, str], subscription: str
) -> str | None:
    """The language of a subscription a token may name: one of the YAML (`languages`) or one
    made without YAML (kept in Redis); None for any other name."""
    if subscription in languages:
        return languages[subscription]
    raw = client.hget(keys.stored_subscriptions, subscription)
    if not raw:
        return None
    stored = json.loads(cast(str, raw)).get("subscription") or {}
    return "en" if stored.get("language") == "en" else "ar"


def reader_of(
    client: redis.Redis, keys: Keyspace, languages: Mapping[str, str], token: str
) -> tuple[str, str, str] | None:
    """(subscription, address, language) of a reader's token signed with our secret, naming a
    subscription that exists; None for anything else."""
    key = secret()
    found = read_token(token, key) if key is not None and token else None
    if found is None:
        return None
    language = language_of(client, keys, languages, found[0])
    return None if language is None else (*found, language)


async def has_unsubscribed(
    client: redis.asyncio.Redis, keys: Keyspace, subscription: str, address: str
) -> bool:
    return bool(await client.hexists(key_of(keys), field(subscription, address)))


# --- the pages on the status endpoint -------------------------------------------------------

_PAGE = """<!DOCTYPE html>
<html lang="{lang}" dir="{dir}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{brand}</title></head>
<body><h1>{brand}</h1><p>{message}</p>{form}</body></html>"""
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


class UnsubscribePages:
    """GET /unsubscribe?t=TOKEN asks (or, with the console, sends the reader to its page that
    asks); POST (one-click or the button) stops the mail."""

    def __init__(
        self, client: redis.Redis, keys: Keyspace, languages: Mapping[str, str],
        landing: str | None = None,
    ) -> None:  # fmt: skip
        self.client = client
        self.keys = keys
        self.languages = languages  # subscription -> ar | en (the YAML's; stored ones are read)
        self.landing = landing  # the console's unsubscribe page, when it is served

    def add_routes(self, app: Any) -> None:
        app.router.add_get(PATH, self.ask)
        app.router.add_post(PATH, self.stop)

    def _page(self, status: int, lang: str, message: str, form: str = "") -> Any:
        from html import escape

        from aiohttp import web

        from alerts.render import labels

        words = labels()[lang]
        body = _PAGE.format(
            lang=lang, dir="rtl" if lang == "ar" else "ltr", brand=escape(words["brand"]),
            message=escape(message), form=form,
        )  # fmt: skip
        return web.Response(
            status=status, text=body, content_type="text/html", charset="utf-8", headers=_HEADERS
        )

    async def _read(self, token: str) -> tuple[str, str, str] | None:
        import asyncio

        return await asyncio.to_thread(reader_of, self.client, self.keys, self.languages, token)

    async def ask(self, request: Any) -> Any:
        from html import escape

        from alerts.render import labels

        token = request.query.get("t", "")
        found = await self._read(token)
        if found is None:
            return self._page(400, "ar", labels()["ar"]["unsubscribe_bad"])
        if self.landing:
            from aiohttp import web

            # The reader confirms on the console's subscriptions page (the token checked again
            # there); a mail client's one-click POST still comes here.
            raise web.HTTPSeeOther(f"{self.landing}?t={quote(token)}", headers=_HEADERS)
        lang = found[2]
        words = labels()[lang]
        form = (
            f'<form method="post" action="{PATH}?t={escape(quote(token))}">'
            f'<button type="submit">{escape(words["unsubscribe_button"])}</button></form>'
        )
        return self._page(200, lang, words["unsubscribe_confirm"], form)

    async def stop(self, request: Any) -> Any:
        import asyncio

        from alerts.render import labels

        found = await self._read(request.query.get("t", ""))
        if found is None:
            return self._page(400, "ar", labels()["ar"]["unsubscribe_bad"])
        form = await request.post()
        via = "one-click" if form.get("List-Unsubscribe") == "One-Click" else "page"
        subscription, address, lang = found
        await asyncio.to_thread(unsubscribe, self.client, self.keys, subscription, address, via)
        return self._page(200, lang, labels()[lang]["unsubscribe_done"])
