"""Chat through Apprise URLs: Telegram, Slack, Discord, Matrix, MS Teams, ntfy, IRC, webhooks …"""

from __future__ import annotations

import hashlib

import apprise

from alerts.channels import DeliveryError
from alerts.message import Alert
from alerts.render import Rendered


class ChatChannel:
    kind = "chat"

    def __init__(self, url: str, throttle: bool = False) -> None:
        self.url = url
        self.apprise = apprise.Apprise()
        if not self.apprise.add(url):
            raise ValueError(f"not a usable Apprise URL: {redact(url)}")
        if not throttle:
            for plugin in self.apprise:
                plugin.request_rate_per_sec = 0

    @property
    def id(self) -> str:
        # Chat URLs carry tokens: the id is a digest, never the URL itself.
        return "chat:" + hashlib.sha1(self.url.encode()).hexdigest()[:16]

    async def send(self, alert: Alert, rendered: Rendered, subscription: str) -> None:
        result = await self.apprise.async_notify(
            body=rendered.chat, title="", body_format=apprise.NotifyFormat.TEXT
        )
        if not result:
            raise DeliveryError(
                f"chat delivery to {redact(self.url)} failed ({result.status.name})"
            )


def redact(url: str) -> str:
    """A chat URL fit for logs: scheme and host only."""
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].rpartition("@")[2]
    return f"{scheme}://{host}/…"
