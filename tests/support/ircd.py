"""A private ngircd on 127.0.0.1 for the tests, and a small IRC client that listens in a channel."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

from tests.support.servers import free_port, wait_for_items


def ngircd_binary() -> str | None:
    return shutil.which("ngircd") or next(
        (p for p in ("/usr/sbin/ngircd", "/usr/local/sbin/ngircd") if os.access(p, os.X_OK)), None
    )


class IrcServer:
    """ngircd with its own configuration (not the system service): no DNS or ident look-ups."""

    def __init__(self, directory: Path, binary: str) -> None:
        self.port = free_port()
        directory.mkdir(parents=True, exist_ok=True)
        self.config = directory / "ngircd.conf"
        self.config.write_text(
            "[Global]\n"
            "\tName = irc.raqib.test\n"
            "\tInfo = Raqib test server\n"
            "\tAdminInfo1 = Raqib tests\n\tAdminInfo2 = 127.0.0.1\n\tAdminEMail = root@localhost\n"
            "\tListen = 127.0.0.1\n"
            f"\tPorts = {self.port}\n"
            '\tMotdPhrase = "Raqib test"\n'
            "[Limits]\n\tMaxNickLength = 30\n"
            "[Options]\n\tDNS = no\n\tIdent = no\n\tPAM = no\n",
            encoding="utf-8",
        )
        self.log = directory / "ngircd.log"
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                [binary, "--nodaemon", "--config", str(self.config)],
                stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"ngircd exited: {self.log.read_text(errors='replace')}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.05)
        self.close()
        raise RuntimeError("ngircd did not listen within 10s")

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class IrcListener:
    """Joins a channel and keeps every PRIVMSG said there."""

    def __init__(self, port: int, channel: str, nick: str = "listener") -> None:
        self.channel = channel
        self.messages: list[tuple[str, str]] = []  # (sender nick, text)
        self._lock = threading.Lock()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self._buffer = b""
        self._send(f"NICK {nick}")
        self._send(f"USER {nick} 0 * :Raqib test listener")
        self._wait_for(" 001 ")
        self._send(f"JOIN {channel}")
        self._wait_for(" 366 ")  # end of the names list: we are in
        self.sock.settimeout(0.5)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._listen, daemon=True)
        self.thread.start()

    def _send(self, line: str) -> None:
        self.sock.sendall(line.encode("utf-8") + b"\r\n")

    def _lines(self) -> list[str]:
        data = self.sock.recv(65536)
        if not data:
            raise ConnectionError("IRC server closed the connection")
        self._buffer += data
        *lines, self._buffer = self._buffer.split(b"\r\n")
        out = []
        for raw in lines:
            line = raw.decode("utf-8", errors="replace")
            if line.startswith("PING"):
                self._send("PONG" + line[4:])
            out.append(line)
        return out

    def _wait_for(self, marker: str) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if any(marker in line for line in self._lines()):
                return
        raise TimeoutError(f"no {marker.strip()} from the IRC server")

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                lines = self._lines()
            except TimeoutError:
                continue
            except OSError:
                return
            for line in lines:
                prefix, _, rest = line.partition(" ")
                command, _, params = rest.partition(" ")
                if command == "PRIVMSG":
                    target, _, text = params.partition(" :")
                    if target == self.channel:
                        with self._lock:
                            self.messages.append((prefix.lstrip(":").split("!")[0], text))

    def wait_for(self, count: int, timeout: float = 30.0) -> list[tuple[str, str]]:
        return wait_for_items(self._lock, self.messages, count, timeout)

    def close(self) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            self._send("QUIT :done")
        self.thread.join(timeout=2)
        self.sock.close()
