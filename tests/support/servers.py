"""Real servers on 127.0.0.1 for the tests: HTTP for feeds and pages, SMTP through aiosmtpd."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False  # accept the request and never answer (until the server is reset)
    unsized: bool = False  # no Content-Length: the body ends when the connection closes


Route = Reply | Callable[["Request"], Reply]


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    at: float
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


class WebServer:
    """A threaded HTTP server whose routes tests set; it logs every request it gets."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._release = threading.Event()  # set to free the handlers of hanging replies
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                self._answer("GET")

            def do_POST(self) -> None:
                self._answer("POST")

            def do_PUT(self) -> None:
                self._answer("PUT")

            def _answer(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(
                    method, self.path, {k.lower(): v for k, v in self.headers.items()},
                    time.time(), body,
                )  # fmt: skip
                with outer._lock:
                    outer.requests.append(request)
                    route = outer.routes.get(self.path)
                if route is None:
                    reply = Reply(404, b"not found")
                else:
                    reply = route(request) if callable(route) else route
                if reply.hang:
                    outer._release.wait(60)
                    self.close_connection = True
                    return
                if reply.delay:
                    time.sleep(reply.delay)
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    if reply.unsized:
                        self.send_header("Connection", "close")
                        self.close_connection = True
                    elif "Content-Length" not in reply.headers:
                        self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    for start in range(0, len(reply.body), 1 << 16):
                        self.wfile.write(reply.body[start : start + (1 << 16)])

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def hits(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def reset(self) -> None:
        self._release.set()
        with self._lock:
            self.routes.clear()
            self.requests.clear()
        self._release = threading.Event()

    def close(self) -> None:
        self._release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_items(lock: threading.Lock, items: list[Any], count: int, timeout: float) -> list[Any]:
    """A copy of `items` once it holds `count` (or what it holds when `timeout` runs out)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with lock:
            if len(items) >= count:
                return list(items)
        time.sleep(0.05)
    with lock:
        return list(items)


class _Collector:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        code = self.mailbox.next_rcpt_code()
        if code != 250:
            return f"{code} {'try again later' if code < 500 else 'mailbox unavailable'}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.mailbox.data_delay:
            await asyncio.sleep(self.mailbox.data_delay)
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode()
        message = email.message_from_bytes(data, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.mailbox.add(message, list(envelope.rcpt_tos))
        return "250 Message accepted"


class Mailbox:
    """aiosmtpd on 127.0.0.1 collecting every message; can answer RCPT with chosen codes."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self.rcpt_codes: list[int] = []  # consumed one per RCPT; empty means 250
        self.data_delay = 0.0  # seconds before a message is accepted (a slow server)
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(_Collector(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def next_rcpt_code(self) -> int:
        with self._lock:
            return self.rcpt_codes.pop(0) if self.rcpt_codes else 250

    def add(self, message: EmailMessage, rcpt: list[str]) -> None:
        with self._lock:
            self.messages.append(message)
            self.recipients.append(rcpt)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        return wait_for_items(self._lock, self.messages, count, timeout)

    def reset(self) -> None:
        with self._lock:
            self.messages.clear()
            self.recipients.clear()
            self.rcpt_codes.clear()
            self.data_delay = 0.0

    def close(self) -> None:
        self.controller.stop()
