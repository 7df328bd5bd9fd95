"""E-mail through SMTP: multipart text and right-to-left HTML, updates threaded under the first."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import smtplib
import socket
import ssl
import threading
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate
from html import escape

from alerts import unsubscribe
from alerts.channels import DeliveryError, rendered_for
from alerts.jobs import DeliveryJob
from alerts.render import labels
from config.settings import RateLimit, SmtpSettings


def _tag(subscription: str) -> str:
    return hashlib.sha1(subscription.encode()).hexdigest()[:10]


def message_id(incident_id: str, revision: int, subscription: str, domain: str) -> str:
    """The same (incident, revision, subscription) always gets the same Message-ID.

    A worker that dies after sending and before recording sends again with this id, and mail
    clients fold the two copies into one.
    """
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in incident_id)
    return f"<raqib.{safe}.r{revision}.{_tag(subscription)}@{domain}>"


def digest_message_id(sequence: int, subscription: str, domain: str) -> str:
    return f"<raqib.digest.{sequence}.{_tag(subscription)}@{domain}>"


def _one_line(text: str) -> str:
    # A line break from a feed in a header would start a header of its own ("Bcc: …").
    return " ".join(text.split())


def _smtp_text(error: bytes | str) -> str:
    return error.decode(errors="replace") if isinstance(error, bytes) else str(error)


class _Session:
    """The SMTP connection of one send, so that the event loop can cut it from outside."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.client: smtplib.SMTP | None = None
        self.aborted = False

    def attach(self, client: smtplib.SMTP) -> None:
        with self.lock:
            self.client = client
            if not self.aborted:
                return
        client.close()
        raise OSError("send abandoned")

    def abort(self) -> None:
        """Wake the sending thread: shutting the socket down ends a blocked read at once."""
        with self.lock:
            self.aborted = True
            sock = self.client.sock if self.client is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


class EmailChannel:
    """One recipient: each address is its own channel, so one refusal never resends to others."""

    kind = "email"

    def __init__(
        self,
        smtp: SmtpSettings,
        recipient: str,
        rate_limit: RateLimit | None = None,
        public_url: str | None = None,
    ) -> None:
        self.smtp = smtp
        self.public_url = public_url
        self.recipient = recipient
        self.rate_limit = rate_limit
        self.domain = smtp.sender.rpartition("@")[2] or "raqib.local"

    @property
    def id(self) -> str:
        return f"email:{self.recipient}"

    def describe(self) -> str:
        return f"e-mail to {self.recipient}"

    def build(self, job: DeliveryJob, language: str) -> EmailMessage:
        rendered = rendered_for(job, language)
        msg = EmailMessage()
        msg["Subject"] = _one_line(rendered.subject)
        msg["From"] = Address("رقيب Raqib", addr_spec=self.smtp.sender)
        msg["To"] = self.recipient
        msg["Date"] = formatdate(localtime=False)
        msg["Auto-Submitted"] = "auto-generated"
        msg["Content-Language"] = language
        if job.digest is not None:
            msg["Message-ID"] = digest_message_id(job.digest, job.subscription, self.domain)
        else:
            alert = job.alerts[0]
            msg["Message-ID"] = message_id(
                alert.incident_id, alert.revision, job.subscription, self.domain
            )
            if alert.revision > 1:
                # A reply chain rooted at the first message: References starts with it and
                # ends with the parent (the previous revision), as In-Reply-To names.
                earlier = [
                    message_id(alert.incident_id, r, job.subscription, self.domain)
                    for r in range(1, alert.revision)
                ]
                # A merge: the threads of the incidents merged into this one join it too.
                joined = [
                    message_id(other, 1, job.subscription, self.domain)
                    for other in alert.merged_from
                ]
                msg["In-Reply-To"] = earlier[-1]
                msg["References"] = " ".join([*joined, *earlier])
            msg["X-Raqib-Incident"] = _one_line(f"{alert.incident_id} r{alert.revision}")
        text, html = rendered.text, rendered.html
        key = unsubscribe.secret() if self.public_url else None
        if self.public_url and key is not None:
            url = unsubscribe.link(self.public_url, job.subscription, self.recipient, key)
            # RFC 8058: a mail client's own "unsubscribe" button POSTs to this address.
            msg["List-Unsubscribe"] = f"<{url}>"
            msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            words = labels()[language]["unsubscribe"]
            text = f"{text.rstrip()}\n\n-- \n{rendered.ctx['rlm']}{words}:\n{url}\n"
            footer = (
                f'<p class="footer" style="color:#666;font-size:0.9em;margin-top:2em">'
                f'<a href="{escape(url)}">{escape(words)}</a></p>'
            )
            html = html.replace("<!--raqib-footer-->", footer, 1)
        msg.set_content(text)
        msg.add_alternative(html, subtype="html")
        return msg

    def _password(self) -> str | None:
        name = self.smtp.password_env
        if not name:
            return None
        value = os.environ.get(name)
        if value is None:
            raise DeliveryError(f"SMTP password variable {name} is not set", permanent=True)
        return value

    def _tls(self) -> ssl.SSLContext:
        # Certificates are always checked; a private CA is named, never switched off.
        cafile = str(self.smtp.ca_file) if self.smtp.ca_file else None
        return ssl.create_default_context(cafile=cafile)

    def _send_blocking(self, msg: EmailMessage, session: _Session) -> None:
        smtp = self.smtp
        client: smtplib.SMTP
        try:
            if smtp.ssl:
                client = smtplib.SMTP_SSL(
                    smtp.host, smtp.port, timeout=smtp.timeout, context=self._tls()
                )
            else:
                client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)
            session.attach(client)
            with client:
                if smtp.starttls and not smtp.ssl:
                    client.starttls(context=self._tls())
                password = self._password()
                if smtp.username and password is not None:
                    client.login(smtp.username, password)
                client.send_message(msg, to_addrs=[self.recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()), (0, b""))
            raise DeliveryError(
                f"SMTP {code} for {self.recipient}: {_smtp_text(text)}", permanent=code >= 500
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            # Fixed words, not the server's: a server may quote back what it was sent, and
            # AUTH PLAIN and LOGIN send the password (in base64).
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {smtp.host}:{smtp.port} refused the login of "
                f"{smtp.username!r} (check smtp.username and the password in "
                f"${smtp.password_env})",
                permanent=exc.smtp_code >= 500,
            ) from None
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(
                f"SMTP {exc.smtp_code}: {_smtp_text(exc.smtp_error)}",
                permanent=exc.smtp_code >= 500,
            ) from exc
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(
                f"SMTP {smtp.host}:{smtp.port}: certificate not trusted ({exc.verify_message});"
                " for a private CA set smtp.ca_file",
                permanent=True,
            ) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port}: {exc}", permanent=True) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryError(f"SMTP {smtp.host}:{smtp.port} unavailable: {exc}") from exc

    async def send(self, job: DeliveryJob, language: str) -> None:
        msg = self.build(job, language)
        session = _Session()
        try:
            await asyncio.to_thread(self._send_blocking, msg, session)
        except asyncio.CancelledError:
            # Timed out, or abandoned at shutdown: the thread would otherwise wait on a silent
            # server for up to smtp.timeout, and keep the process from exiting meanwhile.
            session.abort()
            raise

    async def close(self) -> None:
        return None
