"""JSON webhooks (Apprise's json:// and jsons:// URLs), sent by Raqib itself with an Idempotency-Key.

Apprise's own JSON plugin reports only success or failure; here we see the HTTP status, so a 4xx
is dead-lettered at once while 5xx and 429 are retried, and every request carries a key that a
receiver can use to drop the copy a crash may cause. The URL syntax and the payload are
Apprise's: `json://user:pass@host:port/path?+Header=value&-param=value&:field=renamed&method=PUT`.
"""

from __future__ import annotations

import json
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from apprise.plugins.custom_json import NotifyJSON

from alerts.channels import DeliveryError, rendered_for
from alerts.channels.chat import channel_id, permanent_status, redact
from alerts.channels.markup import ChatStyle, prepare, split
from alerts.jobs import DeliveryJob
from config.settings import RateLimit

SCHEMES = ("json", "jsons")
WEBHOOK_LIMIT = 64_000  # characters of message text a part; receivers are servers, not phones
USER_AGENT = "Raqib/0.1 (news monitoring alerts)"


_ALERTS_PLACEHOLDER = "\u0000raqib-alerts\u0000"


def encode(payload: dict[str, Any], alerts_json: tuple[str, ...]) -> str:
    """The payload as JSON, the alerts put in as the JSON text they already are."""
    text = json.dumps(payload, ensure_ascii=False)
    return text.replace(json.dumps(_ALERTS_PLACEHOLDER), "[" + ",".join(alerts_json) + "]", 1)


def retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        from datetime import UTC, datetime

        return max(0.0, (parsedate_to_datetime(value) - datetime.now(UTC)).total_seconds())
    except (TypeError, ValueError):
        return None


class WebhookChannel:
    kind = "webhook"

    def __init__(
        self, url: str, timeout: float = 30.0, rate_limit: RateLimit | None = None
    ) -> None:
        parsed: dict[str, Any] | None = NotifyJSON.parse_url(url)  # type: ignore[no-untyped-call]
        if not parsed or parsed.get("schema") not in SCHEMES:
            raise ValueError(f"not a JSON webhook URL: {redact(url)}")
        self.url = url
        self.rate_limit = rate_limit
        scheme = "https" if parsed.get("secure") else "http"
        port = f":{parsed['port']}" if parsed.get("port") else ""
        self.target = f"{scheme}://{parsed['host']}{port}{parsed.get('fullpath') or '/'}"
        self.method = str(parsed.get("method") or "POST").upper()
        self.headers: dict[str, str] = dict(parsed.get("headers") or {})
        self.params: dict[str, str] = dict(parsed.get("params") or {})
        self.payload_extras: dict[str, str] = dict(parsed.get("payload") or {})
        self.verify = bool(parsed.get("verify", True))
        user, password = parsed.get("user"), parsed.get("password")
        self.auth = aiohttp.BasicAuth(user, password or "") if user else None
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self.style = ChatStyle(limit=WEBHOOK_LIMIT)
        self._session: aiohttp.ClientSession | None = None

    @property
    def id(self) -> str:
        return channel_id(self.url)

    def describe(self) -> str:
        return f"webhook {redact(self.url)}"

    def _session_now(self) -> aiohttp.ClientSession:
        # Made in the running loop, kept open: connections are reused between deliveries.
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                timeout=self.timeout,
                connector=aiohttp.TCPConnector(limit=64, ssl=self.verify),
            )
        return self._session

    def payload(
        self, job: DeliveryJob, language: str, part: int, parts: list[str]
    ) -> dict[str, Any]:
        """Apprise's JSON payload, with Raqib's structured alert(s) beside the text."""
        body: dict[str, Any] = {
            "version": "1.0",
            "title": "",
            "message": parts[part],
            "attachments": [],
            "type": "info",
            "raqib": {
                "v": 1,
                "idempotency_key": self._key(job, part, len(parts)),
                "kind": "digest" if job.digest is not None else "alert",
                "language": language,
                "part": part + 1,
                "parts": len(parts),
                "alerts": _ALERTS_PLACEHOLDER,  # spliced in as JSON text by `encode`
            },
        }
        for key, value in self.payload_extras.items():
            if key in body:  # Apprise's rule: ":message=text" renames, ":type=" removes
                moved = body.pop(key)
                if value:
                    body[value] = moved
            else:
                body[key] = value
        return body

    @staticmethod
    def _key(job: DeliveryJob, part: int, total: int) -> str:
        return job.idempotency_key if total == 1 else f"{job.idempotency_key}-{part + 1}"

    async def send(self, job: DeliveryJob, language: str) -> None:
        parts = split(prepare(rendered_for(job, language).chat, self.style), self.style)
        session = self._session_now()
        for index in range(job.parts_done, len(parts)):
            headers = {
                "User-Agent": USER_AGENT,
                "Content-Type": "application/json; charset=utf-8",
                **self.headers,
                "Idempotency-Key": self._key(job, index, len(parts)),
            }
            data = encode(self.payload(job, language, index, parts), job.alerts_json)
            try:
                async with session.request(
                    self.method, self.target, data=data.encode("utf-8"), headers=headers,
                    params=self.params or None, auth=self.auth, allow_redirects=False,
                ) as response:  # fmt: skip
                    await response.read()
                    status = response.status
                    wait = retry_after(response.headers.get("Retry-After"))
            except (aiohttp.ClientError, TimeoutError, OSError) as exc:
                raise DeliveryError(
                    f"{self.describe()}: {type(exc).__name__} {exc}".strip(), parts_done=index
                ) from exc
            if 200 <= status < 300:
                continue
            if 300 <= status < 400:
                raise DeliveryError(
                    f"{self.describe()}: HTTP {status} redirect; put the new address in the URL",
                    permanent=True, parts_done=index,
                )  # fmt: skip
            raise DeliveryError(
                f"{self.describe()}: HTTP {status}",
                permanent=permanent_status(status), retry_after=wait, parts_done=index,
            )  # fmt: skip

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
