"""Chat through Apprise URLs: Telegram, Slack, Discord, Matrix, MS Teams, ntfy, IRC …"""

from __future__ import annotations

import asyncio
import hashlib
import re
from typing import Any

import apprise
from apprise.conversion.format import convert_between

from alerts.channels import DeliveryError, rendered_for
from alerts.channels.markup import (
    MARKDOWN_ON_TEXT,
    MENTION_SERVICES,
    ChatStyle,
    prepare,
    split,
    utf8_length,
)
from alerts.jobs import DeliveryJob
from config.settings import RateLimit

# Apprise's services log a failed HTTP request as "... error=404." (the status code).
_HTTP_ERROR = re.compile(r"error=(\d{3})\b")
IRC_LINE_BYTES = 350  # RFC 2812 allows 512 bytes a line; the server adds our prefix to each
IRC_MESSAGE_BYTES = 3000  # past this a message is split into several sends
DEFAULT_LIMIT = 16000


def redact(url: str) -> str:
    """A webhook URL fit for logs and reports: scheme and host only, never a path or password."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].rpartition("@")[2]
    return f"{scheme}://{host}/…"


def redact_chat(url: str) -> str:
    """A chat URL fit for logs and reports. Many services put a token where a host would be
    (tgram://BOT_TOKEN/…, discord://ID/TOKEN), so only the scheme and a digest are shown."""
    scheme = url.partition("://")[0]
    return f"{scheme}://…#{channel_id(url).partition(':')[2][:8]}"


def channel_id(url: str) -> str:
    # Chat URLs carry tokens: the id is a digest, never the URL itself.
    return "chat:" + hashlib.sha1(url.encode()).hexdigest()[:16]


def permanent_status(code: int) -> bool:
    """HTTP statuses that retrying will not fix: 4xx but timeouts, too-early and rate limiting."""
    return 400 <= code < 500 and code not in (408, 425, 429)


def classify(result: Any) -> tuple[str, bool]:
    """What went wrong in an Apprise result, and whether it is permanent.

    Apprise reports only success or failure; the HTTP status is in its captured log lines.
    A 4xx (not 408/425/429) is permanent; 5xx, 429, timeouts and no status at all are not.
    """
    codes: list[int] = []
    statuses: list[str] = []
    for service in result:
        statuses.append(service.status.name)
        for entry in service.logs():
            codes.extend(int(c) for c in _HTTP_ERROR.findall(entry.message))
    if codes:
        code = codes[-1]
        return f"HTTP {code}", permanent_status(code)
    return f"{'/'.join(statuses) or result.status.name}", False


class ChatChannel:
    kind = "chat"

    def __init__(
        self, url: str, throttle: bool = False, rate_limit: RateLimit | None = None
    ) -> None:
        self.url = url
        self.rate_limit = rate_limit
        self.apprise = apprise.Apprise()
        if not self.apprise.add(url):
            raise ValueError(f"not a usable Apprise URL: {redact_chat(url)}")
        self.plugin: Any = next(iter(self.apprise))
        if not throttle:
            self.plugin.request_rate_per_sec = 0
        self.scheme = url.partition("://")[0].lower()
        self.style = self._style()
        # One send at a time per service: keeps parts in order and Apprise's per-plugin state safe.
        self._lock = asyncio.Lock()

    def _style(self) -> ChatStyle:
        if self.scheme in ("irc", "ircs"):
            return ChatStyle(
                limit=IRC_MESSAGE_BYTES, measure=utf8_length, line_limit=IRC_LINE_BYTES
            )
        target = self.plugin.resolve_format(apprise.NotifyFormat.TEXT)

        def measure(text: str) -> int:
            # What the service counts is our text after Apprise escapes it for the service's
            # markup ("<" becomes "&lt;" for Telegram's HTML, "*" becomes "\*" for Markdown).
            converted: str = convert_between(apprise.NotifyFormat.TEXT, target, text)  # type: ignore[no-untyped-call]
            return len(converted)

        limit = int(getattr(self.plugin, "body_maxlen", 0) or 0) or DEFAULT_LIMIT
        return ChatStyle(
            limit=min(limit, DEFAULT_LIMIT),
            measure=measure,
            mentions=self.scheme in MENTION_SERVICES,
            markdown=self.scheme in MARKDOWN_ON_TEXT and target == apprise.NotifyFormat.TEXT,
        )

    @property
    def id(self) -> str:
        return channel_id(self.url)

    def describe(self) -> str:
        return f"{self.plugin.service_name} {redact_chat(self.url)}"

    def parts(self, job: DeliveryJob, language: str) -> list[str]:
        text = prepare(rendered_for(job, language).chat, self.style)
        return split(text, self.style)

    async def send(self, job: DeliveryJob, language: str) -> None:
        parts = self.parts(job, language)
        async with self._lock:
            for index in range(job.parts_done, len(parts)):
                # TEXT: Apprise escapes it for the service's own markup (HTML, Markdown …), so a
                # title with <script> or *bold* arrives as those characters.
                result = await self.apprise.async_notify(
                    body=parts[index], title="", body_format=apprise.NotifyFormat.TEXT
                )
                if not result:
                    reason, permanent = classify(result)
                    raise DeliveryError(
                        f"{self.describe()}: {reason}", permanent=permanent, parts_done=index
                    )

    async def close(self) -> None:
        return None
