"""Logging for Raqib: plain or JSON lines, with secrets scrubbed from every record."""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterable

from config.settings import Settings


class SecretFilter(logging.Filter):
    """Replaces any known secret value with *** wherever it appears in a record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets: list[str] = []
        self.extend(secrets)

    def extend(self, secrets: Iterable[str]) -> None:
        known = {*self.secrets, *(s for s in secrets if s and len(s) >= 4)}
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
        return json.dumps(entry, ensure_ascii=False)


def secrets_of(settings: Settings) -> list[str]:
    """Everything in the settings and environment that must never reach a log line."""
    values = []
    if settings.smtp.password_env:
        values.append(os.environ.get(settings.smtp.password_env, ""))
    for sub in settings.subscriptions:
        for url in (target.url for target in sub.chat_targets()):
            # the token parts of an Apprise URL: everything after the scheme
            values.extend(part for part in url.split("://", 1)[-1].split("/") if len(part) >= 8)
    for name in (settings.redis.password_env, settings.redis.sentinel_password_env):
        if name:
            values.append(os.environ.get(name, ""))
    url = settings.redis.url or ""
    if "@" in url:
        values.append(url.split("://", 1)[-1].rpartition("@")[0].partition(":")[2])
    return values


def scrub_secrets_of(settings: Settings) -> None:
    """Keep the secrets of reloaded settings (a new chat token …) out of the logs as well."""
    for handler in logging.getLogger().handlers:
        for found in handler.filters:
            if isinstance(found, SecretFilter):
                found.extend(secrets_of(settings))


def configure_logging(
    settings: Settings | None, level: str | None = None, json_format: bool | None = None
) -> None:
    log_settings = settings.log if settings else None
    level = level or (log_settings.level if log_settings else "INFO")
    use_json = (
        json_format if json_format is not None else bool(log_settings and log_settings.json_format)
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter()
        if use_json
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(SecretFilter(secrets_of(settings) if settings else []))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in (
        "scrapy",
        "twisted",
        "apprise",
        "trafilatura",
        "htmldate",
        "charset_normalizer",
        "apscheduler.executors",
    ):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
