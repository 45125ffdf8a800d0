"""A lock that lives exactly as long as this designer process: an OS file lock.

Crash recovery must tell "the designer that wrote this recovery file is still
running" from "it crashed". A process id cannot: ids are reused (after a reboot,
or in a long session another program gets the same number), and on Windows
``os.kill(pid, 0)`` does not probe a process at all. An OS lock on a file can:
the operating system releases it when the process ends, however it ends
(``kill -9``, a crash, a power cut on restart).

- POSIX: ``fcntl.flock`` (an exclusive, non-blocking lock on the whole file);
- Windows: ``msvcrt.locking`` on the file's first byte.

Each process holds one session lock, ``<data folder>/recovery-sessions/<session>.lock``;
its recovery sidecars name the session. Qt-free.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

try:  # POSIX
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


def _try_lock(fd: int) -> bool:
    """Take the lock on open file ``fd`` without waiting; False when another holds it."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:   # BlockingIOError / PermissionError: held elsewhere
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except OSError:
        pass


class SessionLock:
    """This process's session: a name and the lock held on its file until exit."""

    def __init__(self, folder: Path) -> None:
        self.name = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.path = folder / f"{self.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> bool:
        """Create the lock file and lock it; True when held (False: no lock, e.g. a
        read-only folder; recovery files then fall back to process ids)."""
        if self._fd is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        if not _try_lock(fd):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is None:
            return
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None
        try:
            self.path.unlink()
        except OSError:
            pass

    @property
    def held(self) -> bool:
        return self._fd is not None


def session_alive(folder: Path, session: str) -> bool:
    """True while the process that owns ``session`` runs (its lock file is locked).

    A missing lock file means the session ended (cleanly or not); a lock file
    nobody holds is left by a process that died, and is removed here.
    """
    if not session or "/" in session or "\\" in session or session.startswith("."):
        return False
    path = folder / f"{session}.lock"
    try:
        fd = os.open(path, os.O_RDWR)
    except FileNotFoundError:
        return False
    except OSError:
        return True   # cannot tell: assume alive rather than offer another's work
    try:
        if not _try_lock(fd):
            return True
        _unlock(fd)
    finally:
        os.close(fd)
    try:
        path.unlink()   # its owner is gone
    except OSError:
        pass
    return False
