"""Files only this user may read: the data directory, the embedded Redis's socket and its AOF.

Every alert passes through them; on a machine shared with other users, a directory anyone can
enter would let them read it, and a socket anyone could plant would let them take it.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path


class NotPrivate(RuntimeError):
    """A path that should be this user's alone is not: refused, with what to do about it."""


def private_directory(path: Path, close: bool = True) -> Path:
    """Create `path` (and missing parents) readable by this user only, or check it is ours.

    With `close`, a directory of ours that others may enter (made 0755 by an older Raqib) is
    closed (0700); one owned by someone else is refused.
    """
    missing = []
    for parent in (path, *path.parents):
        if parent.exists():
            break
        missing.append(parent)
    for directory in reversed(missing):
        # Made meanwhile (another raqib starting)? Then it is checked below like any other.
        with contextlib.suppress(FileExistsError):
            directory.mkdir(mode=0o700)
    info = os.lstat(path)
    if not stat.S_ISDIR(info.st_mode):
        raise NotPrivate(f"{path} is not a directory (a symbolic link or a file); remove it")
    if info.st_uid != os.getuid():
        raise NotPrivate(
            f"{path} belongs to uid {info.st_uid}, not to this user (uid {os.getuid()}); "
            "set data_dir to a directory of your own"
        )
    if close and stat.S_IMODE(info.st_mode) & 0o077:
        os.chmod(path, 0o700)
    return path


def is_private_directory(path: Path) -> bool:
    """A real directory (not a link), ours, that no one else may enter."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.getuid()
        and not stat.S_IMODE(info.st_mode) & 0o077
    )


def check_own_socket(path: Path) -> bool:
    """True when `path` is a socket of this user's; False when nothing is there.

    Anything else there — a file, a link, another user's socket — is refused: connecting to a
    server someone else started would hand them every alert.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return False
    if not stat.S_ISSOCK(info.st_mode):
        raise NotPrivate(f"{path} is not a socket; remove it")
    if info.st_uid != os.getuid():
        raise NotPrivate(
            f"refusing the Redis socket {path}: it belongs to uid {info.st_uid}, not to this "
            f"user (uid {os.getuid()}); a server someone else started would read every alert. "
            "Stop it and remove the socket"
        )
    return True


def close_files(directory: Path) -> None:
    """Files of ours in `directory` (an AOF written 0644 by an older Raqib) made 0600."""
    for path in directory.rglob("*"):
        info = os.lstat(path)
        if info.st_uid != os.getuid() or stat.S_ISLNK(info.st_mode):
            continue
        if stat.S_ISDIR(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, 0o700)
        elif stat.S_ISREG(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
            os.chmod(path, 0o600)


def private_umask() -> None:
    """In a child process before it runs (a `preexec_fn`): what it creates is its user's only."""
    os.umask(0o077)
