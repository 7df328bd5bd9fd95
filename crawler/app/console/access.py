"""Who may use the console: scrypt password hashes from the environment, sessions in Redis, CSRF, login limits.

Loopback needs no login to look; anything that changes state needs a login and a CSRF token
wherever the console listens, and any other address needs a login for everything.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import os
import secrets
from dataclasses import dataclass
from functools import cache
from typing import cast

import redis

from crawler.app.console.keys import ConsoleKeys

USERS_VARIABLE = "RAQIB_CONSOLE_USERS"
# scrypt's cost: 2^15 × 8 × 128 bytes = 32 MiB and about 0.1 s a try on one core.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
MAX_MEMORY = 64 * 1024 * 1024
SESSION_COOKIE = "raqib_session"
CSRF_COOKIE = "raqib_csrf"


class AccessError(ValueError):
    """The console cannot be served as configured: what is wrong and what to set."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4))


def hash_password(password: str, salt: bytes | None = None) -> str:
    """`scrypt$N$r$p$salt$hash`, for RAQIB_CONSOLE_USERS (`raqib console-password` prints one)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, maxmem=MAX_MEMORY
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, hashed: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = hashed.split("$")
        if scheme != "scrypt":
            return False
        expected = _unb64(digest)
        got = hashlib.scrypt(
            password.encode(), salt=_unb64(salt), n=int(n), r=int(r), p=int(p),
            maxmem=MAX_MEMORY, dklen=len(expected),
        )  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@cache
def _decoy() -> str:
    # A name nobody has is still checked against a hash, so a wrong name takes as long as a
    # wrong password and does not tell which names exist.
    return hash_password(secrets.token_hex(8))


def users_from_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """`name:scrypt$…` entries separated by commas or new lines; the hashes are never logged."""
    raw = (environ if environ is not None else dict(os.environ)).get(USERS_VARIABLE, "")
    users: dict[str, str] = {}
    for n, entry in enumerate(raw.replace("\n", ",").split(","), start=1):
        entry = entry.strip()
        if not entry:
            continue
        name, sep, hashed = entry.partition(":")
        if (
            not sep
            or not name.strip()
            or not hashed.startswith("scrypt$")
            or hashed.count("$") != 5
        ):
            raise AccessError(
                f"{USERS_VARIABLE}: entry {n} is not name:scrypt$N$r$p$salt$hash "
                "(make one with `raqib console-password NAME`)"
            )
        users[name.strip()] = hashed
    return users


def is_loopback(host: str) -> bool:
    if host in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve anywhere


@dataclass(frozen=True)
class Session:
    user: str
    csrf: str


class Access:
    """Logins, sessions and the login limit, for one console."""

    def __init__(
        self, client: redis.Redis, keys: ConsoleKeys, users: dict[str, str], host: str,
        session_seconds: float, attempts: int, window_seconds: float,
    ) -> None:  # fmt: skip
        self.client = client
        self.keys = keys
        self.users = users
        self.login_to_look = not is_loopback(host)
        self.session_seconds = int(session_seconds)
        self.attempts = attempts
        self.window = max(1, int(window_seconds))
        if self.login_to_look and not users:
            raise AccessError(
                f"the console listens on {host}, not loopback, so it needs a login: set "
                f"{USERS_VARIABLE}=name:scrypt$… (make a hash with `raqib console-password NAME`) "
                "or bind it to 127.0.0.1"
            )

    @staticmethod
    def _hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def session(self, token: str | None) -> Session | None:
        if not token or len(token) > 100:
            return None
        found = cast(dict[str, str], self.client.hgetall(self.keys.session(self._hash(token))))
        if not found.get("user") or found["user"] not in self.users:
            return None
        return Session(found["user"], found.get("csrf", ""))

    def limited(self, *who: str) -> bool:
        """Count a login attempt by each of `who` (the address, the name); True past the limit."""
        pipe = self.client.pipeline(transaction=False)
        for one in who:
            key = self.keys.login_attempts(self._hash(one))
            pipe.set(key, 0, ex=self.window, nx=True)  # the window starts at the first attempt
            pipe.incr(key)
        counts = pipe.execute()[1::2]
        return any(int(count) > self.attempts for count in counts)

    def login(self, name: str, password: str, address: str = "") -> str | None:
        """A new session's token when the name and password are right (the attempts counted
        for the name and the address start again)."""
        hashed = self.users.get(name)
        ok = verify_password(password, hashed or _decoy()) and hashed is not None
        if not ok:
            return None
        self.client.delete(
            self.keys.login_attempts(self._hash(f"name:{name}")),
            self.keys.login_attempts(self._hash(f"addr:{address}")),
        )
        token = secrets.token_urlsafe(32)
        key = self.keys.session(self._hash(token))
        self.client.hset(key, mapping={"user": name, "csrf": secrets.token_urlsafe(24)})
        self.client.expire(key, self.session_seconds)
        return token

    def logout(self, token: str | None) -> None:
        if token:
            self.client.delete(self.keys.session(self._hash(token)))


def csrf_ok(sent: str | None, expected: str | None) -> bool:
    return bool(sent and expected) and hmac.compare_digest(str(sent), str(expected))
