"""Delivery channels: e-mail through SMTP, chat through Apprise, JSON webhooks, the console fallback."""

from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from alerts.jobs import DeliveryJob
from alerts.message import Alert
from alerts.render import Rendered, render, render_digest
from config.settings import RateLimit


class DeliveryError(Exception):
    """A send that failed; `permanent` ones go to the dead-letter stream without retrying."""

    def __init__(
        self,
        message: str,
        permanent: bool = False,
        retry_after: float | None = None,
        parts_done: int = 0,
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        self.parts_done = parts_done  # parts of a split message that did arrive


class Channel(Protocol):
    """One destination of one subscription."""

    @property
    def id(self) -> str:
        """Stable across restarts: part of the idempotency key (no secrets in it)."""
        ...

    @property
    def kind(self) -> str: ...

    @property
    def rate_limit(self) -> RateLimit | None: ...

    def describe(self) -> str:
        """For logs and reports: never a token or password."""
        ...

    async def send(self, job: DeliveryJob, language: str) -> None:
        """Deliver the job's alert (or digest); raise DeliveryError when it did not arrive."""
        ...

    async def close(self) -> None: ...


def rendered_for(job: DeliveryJob, language: str) -> Rendered:
    """The job's message; the same alerts in the same language are rendered once for everyone."""
    note = job.extra.get("note")
    return _rendered(
        job.alerts_json, job.digest is not None, language, note if isinstance(note, str) else None,
        bool(job.extra.get("test")),
    )  # fmt: skip


@lru_cache(maxsize=512)
def _rendered(
    alerts_json: tuple[str, ...], digest: bool, language: str, note: str | None, test: bool = False
) -> Rendered:
    alerts = [Alert.model_validate_json(text) for text in alerts_json]
    if digest:
        return render_digest(alerts, language)
    return render(alerts[0], language, note=note, test=test)
