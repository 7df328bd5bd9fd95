"""The audit log: who did what, and when, to incidents, silences and subscriptions (a capped stream)."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import redis

from alerts.spine.cleaning import clean_text
from alerts.spine.keyspace import Keyspace

AUDIT_LENGTH = 100_000  # entries kept, about; the oldest go first


def actor(name: str) -> str:
    """Who acts, as one clean line; nobody anonymous."""
    cleaned = clean_text(name, one_line=True).strip()[:100]
    if not cleaned:
        raise ValueError("say who acts: --by NAME")
    return cleaned


@dataclass(frozen=True)
class AuditEntry:
    id: str
    at: float
    by: str
    action: str  # e.g. feedback.not-incident, silence.add, subscription.pause
    target: str  # what it was done to: an incident, a silence, a subscription
    detail: dict[str, Any]

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": datetime.fromtimestamp(self.at, UTC).isoformat(timespec="seconds"),
            "by": self.by, "action": self.action, "target": self.target, "detail": self.detail,
        }  # fmt: skip


class AuditLog:
    def __init__(self, client: redis.Redis, keys: Keyspace) -> None:
        self.client = client
        self.key = keys.audit

    def record(
        self, by: str, action: str, target: str, detail: dict[str, Any] | None = None,
        at: float | None = None,
    ) -> str:  # fmt: skip
        fields = {
            "at": repr(time.time() if at is None else at), "by": actor(by), "action": action,
            "target": clean_text(target, one_line=True),
            "detail": json.dumps(detail or {}, ensure_ascii=False),
        }  # fmt: skip
        return str(
            self.client.xadd(self.key, cast(Any, fields), maxlen=AUDIT_LENGTH, approximate=True)
        )

    def entries(
        self, limit: int = 50, action: str | None = None, target: str | None = None,
        before: str | None = None,
    ) -> list[AuditEntry]:  # fmt: skip
        """The latest entries first, optionally of one action (prefix) or one target, and only
        those older than the entry `before` (the next page of a list)."""
        out: list[AuditEntry] = []
        last = before or "+"
        while len(out) < limit:
            batch = cast(
                list[tuple[str, dict[str, str]]],
                self.client.xrevrange(self.key, max=last, count=500),
            )
            if not batch:
                break
            for entry_id, fields in batch:
                if entry_id == last:
                    continue
                entry = AuditEntry(
                    id=entry_id, at=float(fields.get("at", "0")), by=fields.get("by", "?"),
                    action=fields.get("action", "?"), target=fields.get("target", ""),
                    detail=json.loads(fields.get("detail") or "{}"),
                )  # fmt: skip
                if action and not entry.action.startswith(action):
                    continue
                if target and entry.target != target:
                    continue
                out.append(entry)
                if len(out) >= limit:
                    break
            if len(batch) < 500:
                break
            last = batch[-1][0]
        return out
