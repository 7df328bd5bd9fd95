"""Logging for Raqib: plain or JSON lines, with secrets scrubbed from every record and every line one line."""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable
from typing import Any
from urllib.parse import unquote, unquote_plus

from config.settings import Settings

SHORTEST_SECRET = 4  # shorter values are not scrubbed: they would blank out ordinary words
# Values in URLs that are settings, not secrets (Apprise's options, our own name): scrubbing
# them would blank out ordinary words of every log line.
_NOT_SECRET = frozenset(
    {"yes", "true", "false", "none", "null", "post", "json", "text", "html", "markdown",
     "raqib", "localhost", "upstream", "split", "truncate", "before", "after"}
)  # fmt: skip
# Libraries that log at INFO what an operator does not need; read-only commands hear them only
# at ERROR, the daemons from WARNING (the -v option gives them back).
NOISY_LOGGERS = (
    "scrapy", "twisted", "apprise", "trafilatura", "htmldate", "charset_normalizer",
    "apscheduler.executors", "py.warnings",
)  # fmt: skip


def base64_forms(secret: str) -> list[str]:
    """The text a secret shows inside any base64 (AUTH PLAIN and LOGIN, HTTP Basic …).

    In base64 a value reads differently by its offset in the encoded bytes (three ways); for
    each, the characters that depend on the secret alone are what a log line would show.
    """
    raw = secret.encode()
    forms = []
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw).decode()
        start = -(-offset * 8 // 6)  # characters still carrying the padding's bits
        end = (offset + len(raw)) * 8 // 6  # characters wholly within the secret
        if end - start >= SHORTEST_SECRET + 2:
            forms.append(encoded[start:end])
    return forms


def smtp_secrets(username: str | None, password: str) -> list[str]:
    """The SMTP password as a server could echo it: plain, URL-quoted, and base64 as sent in
    AUTH PLAIN (`\\0user\\0password`) and AUTH LOGIN."""
    values = [password, *base64_forms(password)]
    if username:
        values.append(base64.b64encode(f"\0{username}\0{password}".encode()).decode())
    return values


def url_secrets(url: str, kind: str = "apprise") -> list[str]:
    """The parts of a URL that may be credentials, each as written and decoded.

    `apprise`: every part after the scheme (services put tokens where a host or path would
    be: tgram://BOT_TOKEN/CHAT, slack://A/B/C), but a real host name. `webhook` (json://): the
    password, the query's values (`+Authorization=Bearer%20TOKEN`) and long path segments.
    `redis`: the password, in the userinfo or the query (`?password=`).
    """
    _, sep, rest = url.partition("://")
    if not sep:
        return [url]
    rest, _, fragment = rest.partition("#")
    rest, _, query = rest.partition("?")
    netloc, _, path = rest.partition("/")
    userinfo, _, host = netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    fields = [pair.partition("=")[::2] for pair in query.split("&") if pair]
    parts = [password]
    if kind == "redis":
        parts += [value for name, value in fields if name.lower() == "password"]
    elif kind == "webhook":
        parts += [value for _, value in fields]
        parts += [segment for segment in path.split("/") if len(segment) >= 8]
    else:
        parts += [user, fragment, *path.split("/"), *(value for _, value in fields)]
        if not _is_hostname(host):
            parts += [host, *host.split(":")]
    values = []
    for part in parts:
        for form in {part, unquote(part), unquote_plus(part)}:
            values.append(form)
            values += form.split()  # "Bearer TOKEN": the token alone too
    return [v for v in values if v.casefold() not in _NOT_SECRET]


def _is_hostname(host: str) -> bool:
    # A real host (mattermost.example.org, 127.0.0.1:8065), not a token where a host would be.
    name = host.rpartition(":")[0] if host.count(":") == 1 else host
    return "." in name and all(label and len(label) < 64 for label in name.split("."))


def secrets_of(settings: Settings) -> list[str]:
    """Everything in the settings and environment that must never reach a log line."""
    values = []
    if settings.smtp.password_env:
        password = os.environ.get(settings.smtp.password_env, "")
        if password:
            values += smtp_secrets(settings.smtp.username, password)
    for sub in settings.subscriptions:
        for target in sub.chat_targets():
            webhook = target.url.partition("://")[0].lower() in ("json", "jsons")
            values += url_secrets(target.url, "webhook" if webhook else "apprise")
    if settings.redis.url:
        values += url_secrets(settings.redis.url, "redis")
    for name in (settings.redis.password_env, settings.redis.sentinel_password_env):
        if name and os.environ.get(name):
            values.append(os.environ[name])
    return values


class SecretFilter(logging.Filter):
    """Replaces any known secret value with *** wherever it appears in a record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.extend(secrets)

    def extend(self, secrets: Iterable[str]) -> None:
        known = {*self.secrets, *(s for s in secrets if s and len(s) >= SHORTEST_SECRET)}
        self.secrets = sorted(known, key=len, reverse=True)

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        scrubbed = self.scrub(message)
        if scrubbed != message:
            record.msg, record.args = scrubbed, None
        # A traceback quotes exception messages, which can carry what a server echoed back.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self.scrub(record.stack_info)
        return True


# What must not reach a terminal raw from a log message: C0 and C1 controls (a newline would
# start a forged record, ESC colours or moves the cursor), line and paragraph separators, and
# the bidirectional embeddings, overrides and isolates that reorder what a line seems to say.
_UNSAFE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
_ESCAPES = {"\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or (
        f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
    )


def one_line(text: str) -> str:
    """A log message as one line: controls and direction overrides shown as escapes."""
    return _UNSAFE.sub(_escape, text)


class PlainFormatter(logging.Formatter):
    """`time LEVEL logger: message`, the message on one line whatever it quotes; a traceback's
    lines are indented, so none of them can pass for a record of its own."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        record.message = one_line(record.message)
        return super().formatMessage(record)

    def formatException(self, ei: Any) -> str:
        text = super().formatException(ei)
        return "\n".join("    " + one_line(line) for line in text.splitlines())


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        # JSON escapes C0 controls itself; C1 controls and direction overrides are escaped too.
        return _UNSAFE.sub(
            lambda m: f"\\u{ord(m.group()):04x}", json.dumps(entry, ensure_ascii=False)
        )


def scrub_secrets_of(settings: Settings) -> None:
    """Keep the secrets of reloaded settings (a new chat token …) out of the logs as well."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, SecretFilter):
                found.extend(secrets_of(settings))


def configure_logging(
    settings: Settings | None,
    level: str | None = None,
    json_format: bool | None = None,
    quiet: bool = False,
) -> None:
    """One handler on stderr, its filter scrubbing secrets from every record, Raqib's or a
    library's. `quiet` (read-only commands): warnings and errors only, libraries' errors only,
    unless `level` says otherwise."""
    log_settings = settings.log if settings else None
    explicit = level is not None
    name = (level or (log_settings.level if log_settings else "INFO")).upper()
    if quiet and not explicit:
        name = logging.getLevelName(
            max(logging.WARNING, logging.getLevelNamesMapping().get(name, 0))
        )
    use_json = (
        json_format if json_format is not None else bool(log_settings and log_settings.json_format)
    )
    secrets = SecretFilter(secrets_of(settings) if settings else [])
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if use_json else PlainFormatter())
    handler.addFilter(secrets)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(name)
    # A library that brings a handler of its own, and Python's last-resort handler, scrub too.
    for logger in list(logging.Logger.manager.loggerDict.values()):
        for other in getattr(logger, "handlers", ()):
            other.addFilter(secrets)
    if logging.lastResort is not None:
        logging.lastResort.addFilter(secrets)
    logging.captureWarnings(True)  # library warnings pass through the filter and the levels
    floor = logging.ERROR if quiet and not explicit else logging.WARNING
    for noisy in NOISY_LOGGERS:
        logging.getLogger(noisy).setLevel(max(floor, root.level))
