"""Crash recovery files: where they live, how they are written and found again.

While a document has unsaved changes it is written every 30 seconds to a
recovery file with a small JSON sidecar (``<id>.json``) saying which file it
belongs to and which designer session wrote it. The recovery file is the model as
JSON (``<id>.pathway.json``, :func:`designer.graph.cache.pathway_json`): no person
reads it, and JSON writes and reads many times faster than YAML. Recovery files
written as pathway YAML (``<id>.yaml``, by earlier versions) are still found and
restored. A clean save or close
removes both. At the next start, files left behind by a session that is no
longer running (or by a document of this process that was dropped without
closing) are offered for restoring.

A session is alive while its OS file lock is held (see
:mod:`designer.ui.editing.session_lock`): the lock dies with its process, so a
reused process id never hides a crashed session's work. Sidecars written before
sessions existed (no ``session`` field) fall back to probing the process id.
"""

from __future__ import annotations

import atexit
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from designer import paths
from designer.graph.io import STALE_TEMP_SECONDS, write_text_atomic
from designer.ui.editing.session_lock import SessionLock, session_alive

# Recovery ids owned by documents alive in this process (never offered).
LIVE_IDS: set[str] = set()

# This process's session, locked on the first recovery write (see session_lock).
_SESSION: SessionLock | None = None


def _sessions_dir() -> Path:
    """The session locks, beside the recovery folder (which holds only recovery files)."""
    return recovery_dir().parent / "recovery-sessions"


def current_session() -> str | None:
    """This process's session name, its lock taken (None when no lock can be held)."""
    global _SESSION
    folder = _sessions_dir()
    if _SESSION is None or _SESSION.path.parent != folder:
        if _SESSION is not None:
            _SESSION.release()
        _SESSION = SessionLock(folder)
        atexit.register(_SESSION.release)   # a clean exit removes its lock file too
    return _SESSION.name if _SESSION.acquire() else None


def recovery_dir() -> Path:
    """The folder holding recovery files (see :func:`designer.paths.recovery_dir`)."""
    return paths.recovery_dir()


@dataclass(frozen=True)
class RecoveryEntry:
    """One recovery file left behind (JSON or, from earlier versions, YAML) and what it
    belongs to; ``yaml_path`` is that file whichever it is."""

    recovery_id: str
    yaml_path: Path
    original_path: str | None
    title: str
    saved_at: float
    # (size, sha256) of the user's file when it was last read or saved; None if unknown
    disk_signature: tuple[int, str] | None = None

    def describe(self) -> str:
        try:
            when = time.strftime("%d %b %Y %H:%M", time.localtime(self.saved_at))
        except (OverflowError, OSError, ValueError):
            when = "at an unknown time"
        name = Path(self.original_path).name if self.original_path else "untitled pathway"
        return f"{self.title} ({name}), last autosaved {when}"

    @property
    def is_json(self) -> bool:
        """True for a JSON recovery file (False for an earlier version's YAML)."""
        return self.yaml_path.name.endswith(JSON_SUFFIX)

    def discard(self) -> None:
        remove_recovery(self.recovery_id)

    def set_aside(self) -> Path | None:
        """Keep a recovery file that cannot be restored, out of the way; returns where.

        It is never offered again, but the text stays on disk for the user (or
        someone helping them) to rescue by hand.
        """
        kind = "json" if self.is_json else "yaml"
        kept = self.yaml_path.with_name(f"{self.recovery_id}.damaged.{kind}")
        try:
            os.replace(self.yaml_path, kept)
        except OSError:
            kept = None
        remove_recovery(self.recovery_id)
        return kept


JSON_SUFFIX = ".pathway.json"       # the recovery file itself (beside <id>.json, its sidecar)


def _paths(recovery_id: str) -> tuple[Path, Path, Path]:
    """The JSON recovery file, the sidecar, and the YAML one earlier versions wrote."""
    folder = recovery_dir()
    return (folder / f"{recovery_id}{JSON_SUFFIX}", folder / f"{recovery_id}.json",
            folder / f"{recovery_id}.yaml")


def write_recovery(recovery_id: str, text: str, original_path: str | None, title: str,
                   disk_signature: tuple[int, str] | None = None, *,
                   as_json: bool = False) -> Path:
    """Write the recovery file and its sidecar atomically; returns the recovery file.

    ``text`` is the pathway as JSON (:func:`designer.graph.cache.pathway_json`) when
    ``as_json``, else as pathway YAML. ``disk_signature`` records which version of
    the user's file the changes were made to, so after restoring, a file changed
    since then is not overwritten without asking.
    """
    json_path, meta_path, yaml_path = _paths(recovery_id)
    body, stale = (json_path, yaml_path) if as_json else (yaml_path, json_path)
    body.parent.mkdir(parents=True, exist_ok=True)
    meta = {"path": original_path, "title": title, "pid": os.getpid(),
            "session": current_session(), "saved_at": time.time(),
            "disk_signature": list(disk_signature) if disk_signature else None}
    for target, content in ((body, text), (meta_path, json.dumps(meta))):
        write_text_atomic(target, content)
    try:
        stale.unlink()          # only one copy of the work is ever offered
    except OSError:
        pass
    return body


def _is_sidecar(path: Path) -> bool:
    """True for ``<id>.json``; not for a JSON recovery file or one set aside."""
    return not path.name.endswith((JSON_SUFFIX, ".damaged.json"))


def remove_recovery(recovery_id: str) -> None:
    """Remove a recovery file and its sidecar (missing files are fine)."""
    for target in _paths(recovery_id):
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass  # a stale file is harmless; it is offered again at most once more


def _process_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _read_meta(meta_path: Path) -> dict:
    """The sidecar's fields; an unreadable or damaged sidecar gives none.

    The YAML beside it is still offered: it is the user's work, and the sidecar
    only says where it came from.
    """
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return meta if isinstance(meta, dict) else {}


def _number(value, kind):
    """``value`` as ``kind`` (int or float), or 0 when it is missing or not a number."""
    try:
        return kind(value or 0)
    except (TypeError, ValueError, OverflowError):
        return kind(0)


def _signature(value) -> tuple[int, str] | None:
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int) \
            and isinstance(value[1], str):
        return value[0], value[1]
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _writer_alive(meta: dict) -> bool:
    """True when the session (or, for old sidecars, the process) that wrote it runs."""
    session = meta.get("session")
    if isinstance(session, str) and session:
        return session_alive(_sessions_dir(), session)
    return _process_alive(_number(meta.get("pid"), int))


def remove_stale_temp_files(older_than: float = STALE_TEMP_SECONDS) -> int:
    """Delete temporary files a failed or interrupted recovery write left; returns how many."""
    removed = 0
    now = time.time()
    for temp in recovery_dir().glob(".*.tmp"):
        try:
            if temp.is_file() and now - temp.stat().st_mtime >= older_than:
                temp.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def find_orphans() -> list[RecoveryEntry]:
    """Recovery files whose writer is gone, newest first.

    Also removes the temporary files of recovery writes that never finished.
    """
    folder = recovery_dir()
    if not folder.is_dir():
        return []
    remove_stale_temp_files()
    own = _SESSION.name if _SESSION is not None and _SESSION.held else None
    for lock in _sessions_dir().glob("*.lock"):   # tidy the locks of ended sessions
        if lock.stem != own:
            session_alive(lock.parent, lock.stem)
    found: list[RecoveryEntry] = []
    for meta_path in folder.glob("*.json"):
        if not _is_sidecar(meta_path):
            continue
        recovery_id = meta_path.stem
        body, _, yaml_path = _paths(recovery_id)
        if not body.is_file():
            body = yaml_path
        if not body.is_file():
            continue
        meta = _read_meta(meta_path)
        session = meta.get("session")
        if session:
            mine = own is not None and session == own
        else:
            mine = _number(meta.get("pid"), int) == os.getpid()
        if mine:
            if recovery_id in LIVE_IDS:
                continue
        elif _writer_alive(meta):
            continue  # another designer window is running and owns it
        original = meta.get("path")
        found.append(RecoveryEntry(
            recovery_id, body, original if isinstance(original, str) and original else None,
            str(meta.get("title") or "Untitled pathway"),
            _number(meta.get("saved_at"), float) or _mtime(body),
            _signature(meta.get("disk_signature"))))
    found.sort(key=lambda e: -e.saved_at)
    return found
