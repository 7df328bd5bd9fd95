"""The daemon and its embedded Redis killed with SIGKILL mid-batch, then started again."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from alerts.channels.email import message_id
from alerts.spine.connections import EmbeddedRedis
from tests.conftest import ROOT, write_config
from tests.support.delivery import make_alert, publish, wait_until
from tests.support.processes import pid_alive
from tests.support.servers import Mailbox

ALERTS = 40


def _start_daemon(config: Path, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}  # its own embedded Redis
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "crawler", "--config", str(config), "run"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip


def _answers(socket: Path) -> bool:
    try:
        client = redis.Redis(unix_socket_path=str(socket), socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.ConnectionError, redis.TimeoutError, redis.BusyLoadingError, OSError):
        return False


def _workers_of(pid: int) -> list[int]:
    """The daemon's parser worker processes (multiprocessing children), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if f"\nPPid:\t{pid}\n" in status and b"multiprocessing" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_sigkill_mid_batch_then_restart_delivers_each_alert_once(
    tmp_path: Path, prefix: str, mailbox: Mailbox
) -> None:
    data_dir = tmp_path / "var"
    config = write_config(
        tmp_path / "raqib.yaml",
        data_dir=str(data_dir), redis={"url": None, "prefix": prefix},
        smtp={"host": "127.0.0.1", "port": mailbox.port, "sender": "raqib@test.example"},
        watchlists=[str(ROOT / "config/watchlists/isis-libya.yaml")], sources=[], http={"port": 0},
        subscriptions=[{"name": "analysts", "email": ["analyst@example.org"]}],
        alerts={"claim_idle_seconds": 1, "poll_seconds": 0.1, "concurrency": 4,
                "backoff_base_seconds": 0.1},
    )  # fmt: skip
    log = tmp_path / "daemon.log"
    embedded = EmbeddedRedis(data_dir / "redis")  # where the daemon's Redis will be
    mailbox.data_delay = 0.1  # a slow mail server: the batch is still going when we strike
    alerts = [make_alert(f"crash-{i}", which=i) for i in range(ALERTS)]
    expected = {message_id(a.incident_id, 1, "analysts", "test.example") for a in alerts}

    daemon = _start_daemon(config, log)
    try:
        assert wait_until(lambda: _answers(embedded.socket), timeout=60), log.read_text()
        client = redis.Redis(unix_socket_path=str(embedded.socket), decode_responses=True)
        publish(client, prefix, *alerts)
        client.close()
        assert wait_until(lambda: len(mailbox.messages) >= 8, timeout=60), log.read_text()
        redis_pid = int((data_dir / "redis" / "redis.pid").read_text())
        workers = _workers_of(daemon.pid)
        assert workers, "the daemon reads documents in a worker process"
        daemon.send_signal(signal.SIGKILL)
        os.kill(redis_pid, signal.SIGKILL)
        daemon.wait(10)
        assert wait_until(lambda: not pid_alive(redis_pid), timeout=10)
        # Its parser worker goes with it, rather than wait for ever as an orphan.
        assert wait_until(lambda: not any(pid_alive(w) for w in workers), timeout=10), workers
        at_kill = len(mailbox.messages)
        assert at_kill < ALERTS, "the kill came too late to test anything"

        daemon = _start_daemon(config, log)
        arrived = wait_until(
            lambda: {str(m["Message-ID"]) for m in mailbox.messages} >= expected, timeout=90
        )
        assert arrived, log.read_text()[-3000:]
        time.sleep(1.5)  # a late copy would show up here
    finally:
        if daemon.poll() is None:
            daemon.send_signal(signal.SIGTERM)
            try:
                daemon.wait(30)
            except subprocess.TimeoutExpired:
                daemon.kill()
                daemon.wait()
    ids = [str(m["Message-ID"]) for m in mailbox.messages]
    assert set(ids) == expected, "every alert arrives, under its own Message-ID"
    by_incident: dict[str, set[str]] = {}
    for m in mailbox.messages:
        by_incident.setdefault(str(m["X-Raqib-Incident"]), set()).add(str(m["Message-ID"]))
    assert len(by_incident) == ALERTS and all(len(v) == 1 for v in by_incident.values())
    # A copy is possible only for a message in flight at the kill (sent, not yet recorded), and
    # it carries the same Message-ID, so a mail client shows it once.
    print(f"at kill: {at_kill}, messages: {len(ids)}, distinct: {len(set(ids))}")
    assert len(ids) - len(set(ids)) <= 4, f"{len(ids) - len(set(ids))} copies"
    assert daemon.returncode == 0, log.read_text()[-3000:]
