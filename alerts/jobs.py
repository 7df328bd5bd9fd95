"""A delivery job: one alert (or one digest of alerts) for one channel of one subscription."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from alerts.message import Alert


def delivery_id(alert: Alert, subscription: str, channel: str) -> str:
    """The idempotency key: (incident, revision, subscription, channel)."""
    return f"{alert.incident_id}:{alert.revision}:{subscription}:{channel}"


def digest_id(subscription: str, channel: str, sequence: int | str) -> str:
    return f"digest:{sequence}:{subscription}:{channel}"


_ALERTS_MARK = ',"alerts":['
_DECODER = json.JSONDecoder()


def _split_json_list(body: str) -> tuple[str, ...]:
    """The items of a JSON list's inside ("{…},{…}"), each as its own text."""
    items: list[str] = []
    at = 0
    while at < len(body):
        _, end = _DECODER.raw_decode(body, at)
        items.append(body[at:end])
        at = end
        while at < len(body) and body[at] in ", \n":
            at += 1
    return tuple(items)


SEQUENCE_PLACEHOLDER = "__SEQ__"  # replaced in Redis by the digest's sequence number


def digest_head(subscription: str, channel: str, created: float) -> str:
    """A digest job's JSON up to its alerts, with the sequence number still to fill in."""
    job = DeliveryJob(
        id=digest_id(subscription, channel, SEQUENCE_PLACEHOLDER),
        subscription=subscription,
        channel=channel,
        alerts_json=(),
        digest=None,
        created=created,
    )
    return job.head_json().replace('"digest": null', f'"digest": "{SEQUENCE_PLACEHOLDER}"')


@dataclass(frozen=True)
class DeliveryJob:
    """What a sender needs to deliver, and where it is in its retries.

    The alerts travel as their JSON text: a digest is assembled in Redis (Lua) by joining them,
    and nothing is re-encoded on the way.
    """

    id: str
    subscription: str
    channel: str
    alerts_json: tuple[str, ...]
    digest: int | None = None  # the digest's sequence number; None for a single alert
    attempt: int = 0  # failed attempts so far
    parts_done: int = 0  # parts of a split chat message already sent (not sent again)
    created: float = 0.0  # when the alert reached the stream (epoch seconds), for latency
    error: str | None = None  # the last failure, for logs and the dead-letter list
    extra: dict[str, Any] = field(default_factory=dict)
    held: str | None = None  # why it waits on purpose: "quiet hours", "rate limit" (None: retry)

    @cached_property
    def alerts(self) -> list[Alert]:
        return [Alert.model_validate_json(text) for text in self.alerts_json]

    @property
    def top_score(self) -> float:
        return max((a.score for a in self.alerts), default=0.0)

    @property
    def idempotency_key(self) -> str:
        """What a webhook receiver sees as Idempotency-Key: stable, short, no names in it."""
        return hashlib.sha256(self.id.encode()).hexdigest()[:32]

    def to_json(self) -> str:
        head: dict[str, Any] = {
            "id": self.id,
            "subscription": self.subscription,
            "channel": self.channel,
            "digest": self.digest,
            "attempt": self.attempt,
            "parts_done": self.parts_done,
            "created": self.created,
            "error": self.error,
        }
        if self.extra:
            head["extra"] = self.extra
        if self.held:
            head["held"] = self.held
        # Alerts are already JSON: splice them in rather than decode and encode them again.
        return (
            json.dumps(head, ensure_ascii=False)[:-1]
            + _ALERTS_MARK
            + ",".join(self.alerts_json)
            + "]}"
        )

    @classmethod
    def from_json(cls, text: str) -> DeliveryJob:
        # Our own layout: the head, then the alerts list last. The alerts are cut out as they
        # are (no decoding and encoding again); a quote inside a JSON string is escaped, so the
        # marker cannot occur in the head's values.
        at = text.find(_ALERTS_MARK)
        if at < 0 or not text.endswith("]}"):
            raise ValueError("not a delivery job")
        data = json.loads(text[:at] + "}")
        return cls(
            id=data["id"],
            subscription=data["subscription"],
            channel=data["channel"],
            alerts_json=_split_json_list(text[at + len(_ALERTS_MARK) : -2]),
            digest=int(data["digest"]) if data.get("digest") is not None else None,
            attempt=int(data.get("attempt", 0)),
            parts_done=int(data.get("parts_done", 0)),
            created=float(data.get("created") or 0.0),
            error=data.get("error"),
            extra=data.get("extra") or {},
            held=data.get("held"),
        )

    def head_json(self) -> str:
        """The job's JSON up to the opening of its alerts list (a digest is completed in Redis)."""
        text = self.to_json()
        return text[: text.index(_ALERTS_MARK) + len(_ALERTS_MARK)]

    def failed(self, error: str, parts_done: int) -> DeliveryJob:
        return replace(
            self, attempt=self.attempt + 1, error=error, parts_done=parts_done, held=None
        )
