"""Crash recovery with a session lock that dies with its process (issue 10, item 4).

A child process writes a recovery file and holds its session lock; while it runs
its work is not offered; once it is killed (``kill -9``: no clean-up at all) the
work is offered at once, whatever process now has its old process id.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from designer.ui.editing import recovery
from designer.ui.editing.session_lock import SessionLock, session_alive

CHILD = """
import sys, time
from designer.ui.editing import recovery
recovery.write_recovery(sys.argv[1], "format: periop-pathway/1\\nid: x\\ntitle: Child\\n",
                        None, "Work of another window")
print(recovery.current_session(), flush=True)
time.sleep(120)
"""


def _start_child(recovery_id: str) -> tuple[subprocess.Popen, str]:
    child = subprocess.Popen([sys.executable, "-c", CHILD, recovery_id], stdout=subprocess.PIPE,
                             text=True, env=dict(os.environ))
    session = child.stdout.readline().strip()
    assert session, "the child could not write its recovery file"
    return child, session


def _offered() -> list[str]:
    return [e.recovery_id for e in recovery.find_orphans()]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs kill -9")
def test_work_of_a_running_window_is_offered_only_after_it_is_killed():
    child, session = _start_child("child-work")
    try:
        assert session_alive(recovery._sessions_dir(), session)
        assert "child-work" not in _offered()          # its window is still open
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    deadline = time.time() + 10
    while "child-work" not in _offered() and time.time() < deadline:
        time.sleep(0.05)   # the OS releases the lock as the process is reaped
    assert _offered() == ["child-work"]
    # the dead session's lock file is tidied away once seen unheld
    assert not (recovery._sessions_dir() / f"{session}.lock").exists()


def test_a_reused_process_id_does_not_hide_a_crashed_sessions_work():
    """The old probe: any live process with the dead designer's pid hid its work."""
    recovery.write_recovery("crashed", "format: periop-pathway/1\n", None, "Crashed work")
    meta = recovery.recovery_dir() / "crashed.json"
    data = json.loads(meta.read_text())
    data["session"] = f"{os.getppid()}-deadbeef"   # a session nobody holds...
    data["pid"] = os.getppid()                       # ...whose pid is alive (reused)
    meta.write_text(json.dumps(data))
    assert _offered() == ["crashed"]


def test_this_processs_own_session_is_alive_and_its_live_documents_are_not_offered():
    recovery.write_recovery("mine", "format: periop-pathway/1\n", None, "Mine")
    own = recovery.current_session()
    assert own and session_alive(recovery._sessions_dir(), own)
    recovery.LIVE_IDS.add("mine")
    try:
        assert _offered() == []
    finally:
        recovery.LIVE_IDS.discard("mine")
    assert _offered() == ["mine"]   # dropped without closing: offered, as before


def test_a_lock_is_released_with_its_holder(tmp_path):
    lock = SessionLock(tmp_path)
    assert lock.acquire() and session_alive(tmp_path, lock.name)
    lock.release()
    assert not session_alive(tmp_path, lock.name)
    assert not session_alive(tmp_path, "../escape")   # never a path outside the folder


def test_stale_temp_files_of_recovery_writes_are_removed_at_start():
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    old = folder / ".abc.yaml.x1y2z3w4.tmp"
    young = folder / ".abc.json.q1w2e3r4.tmp"
    for path in (old, young):
        path.write_text("half written")
    then = time.time() - 3600
    os.utime(old, (then, then))
    recovery.find_orphans()
    assert not old.exists() and young.exists()
