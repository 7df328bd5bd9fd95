"""Delivery channels: e-mail through SMTP, chat through Apprise, and the console fallback."""

from __future__ import annotations

from typing import Protocol

from alerts.message import Alert
from alerts.render import Rendered


class DeliveryError(Exception):
    """A send that failed; `permanent` ones go to the dead-letter stream without retrying."""

    def __init__(self, message: str, permanent: bool = False, retry_after: float | None = None):
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Channel(Protocol):
    """One destination of one subscription."""

    @property
    def id(self) -> str:
        """Stable across restarts: part of the idempotency key (no secrets in it)."""
        ...

    @property
    def kind(self) -> str: ...

    async def send(self, alert: Alert, rendered: Rendered, subscription: str) -> None: ...
