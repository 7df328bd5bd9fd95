"""E-mail through SMTP: multipart text and right-to-left HTML, updates threaded under the first."""

from __future__ import annotations

import asyncio
import hashlib
import os
import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate

from alerts.channels import DeliveryError
from alerts.message import Alert
from alerts.render import Rendered
from config.settings import SmtpSettings


def message_id(alert_incident: str, revision: int, subscription: str, domain: str) -> str:
    """The same (incident, revision, subscription) always gets the same Message-ID.

    A worker that dies after sending and before recording sends again with this id, and mail
    clients fold the two copies into one.
    """
    sub = hashlib.sha1(subscription.encode()).hexdigest()[:10]
    return f"<raqib.{alert_incident}.r{revision}.{sub}@{domain}>"


class EmailChannel:
    kind = "email"

    def __init__(self, smtp: SmtpSettings, recipients: list[str]) -> None:
        self.smtp = smtp
        self.recipients = recipients
        self.domain = smtp.sender.rpartition("@")[2] or "raqib.local"

    @property
    def id(self) -> str:
        return "email:" + ",".join(sorted(self.recipients))

    def build(self, alert: Alert, rendered: Rendered, subscription: str) -> EmailMessage:
        msg = EmailMessage()
        msg["Subject"] = rendered.subject
        msg["From"] = Address("رقيب Raqib", addr_spec=self.smtp.sender)
        msg["To"] = ", ".join(self.recipients)
        msg["Date"] = formatdate(localtime=False)
        msg["Message-ID"] = message_id(alert.incident_id, alert.revision, subscription, self.domain)
        if alert.revision > 1:
            earlier = [
                message_id(alert.incident_id, r, subscription, self.domain)
                for r in range(1, alert.revision)
            ]
            msg["In-Reply-To"] = earlier[-1]
            msg["References"] = " ".join(earlier)
        msg["X-Raqib-Incident"] = f"{alert.incident_id} r{alert.revision}"
        msg["Content-Language"] = "ar" if 'dir="rtl"' in rendered.html else "en"
        msg.set_content(rendered.text)
        msg.add_alternative(rendered.html, subtype="html")
        return msg

    def _password(self) -> str | None:
        name = self.smtp.password_env
        if not name:
            return None
        value = os.environ.get(name)
        if value is None:
            raise DeliveryError(f"SMTP password variable {name} is not set", permanent=True)
        return value

    def _send_blocking(self, msg: EmailMessage) -> None:
        smtp = self.smtp
        client: smtplib.SMTP
        try:
            if smtp.ssl:
                client = smtplib.SMTP_SSL(
                    smtp.host, smtp.port, timeout=smtp.timeout, context=ssl.create_default_context()
                )
            else:
                client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
            with client:
                if smtp.starttls and not smtp.ssl:
                    client.starttls(context=ssl.create_default_context())
                password = self._password()
                if smtp.username and password is not None:
                    client.login(smtp.username, password)
                refused = client.send_message(msg)
            if refused:
                codes = {addr: code for addr, (code, _) in refused.items()}
                permanent = all(code >= 500 for code in codes.values())
                raise DeliveryError(f"SMTP refused some recipients: {codes}", permanent=permanent)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {addr: code for addr, (code, _) in exc.recipients.items()}
            permanent = all(code >= 500 for code in codes.values())
            raise DeliveryError(f"SMTP refused recipients: {codes}", permanent=permanent) from exc
        except smtplib.SMTPResponseException as exc:
            text = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {text}", permanent=exc.smtp_code >= 500
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} unavailable: {exc}") from exc

    async def send(self, alert: Alert, rendered: Rendered, subscription: str) -> None:
        msg = self.build(alert, rendered, subscription)
        await asyncio.to_thread(self._send_blocking, msg)
