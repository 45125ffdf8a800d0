"""One background writer for pathway files and recovery copies.

Serialising a big pathway to YAML takes seconds (6.7 s at 10,000 steps), so the
GUI thread only takes a snapshot (:meth:`~designer.graph.model.Pathway.snapshot`)
and this writer turns it into text and writes it, in one worker thread. Jobs run
one at a time, in the order they were given: two saves of one file land in that
order, and a recovery copy never overtakes a save.

:func:`wait` lets a caller that needs the outcome (Save, which must report a
failure before it returns) wait without freezing the window: the window keeps
painting and running its timers; key presses and clicks wait until the file is
written (so nothing edits the pathway half-way through a save).
"""

from __future__ import annotations

import gc
import sys
from typing import Any, Callable

from PySide6.QtCore import QEventLoop, QObject, QRunnable, QThreadPool, Qt, Signal

_pool: QThreadPool | None = None
_running: set["WriteJob"] = set()   # jobs given and not yet reported: kept alive here

#: how often (seconds) a busy Python thread hands the interpreter lock over. Python's
#: default (5 ms) lets a background check or save keep the GUI thread waiting about
#: 50 ms per event in the worst case (it needs the lock several times per event);
#: 1 ms keeps that near 20 ms, at a small cost to the worker.
SWITCH_INTERVAL_S = 0.001


def gui_friendly_switching() -> None:
    """Let the GUI thread get the interpreter lock quickly while workers run."""
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


def pool() -> QThreadPool:
    global _pool
    gui_friendly_switching()
    if _pool is None:
        _pool = QThreadPool()
        _pool.setMaxThreadCount(1)     # one at a time, first come first served
        _pool.setExpiryTimeout(-1)
    return _pool


class WriteJob(QObject):
    """One job; ``finished`` comes on the GUI thread with the job itself."""

    finished = Signal(object)

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.done = False
        self.result: Any = None
        self.error: BaseException | None = None
        self.revision: int | None = None   # the caller's note of what it wrote


class _Runner(QRunnable):
    def __init__(self, job: WriteJob, relay: "_Relay") -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._job = job
        self._relay = relay

    def run(self) -> None:   # in the writer thread
        job = self._job
        # serialising makes many objects and no cycles: a cycle collection started
        # here would hold the GUI thread too, so the collector waits (as validate does)
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            job.result = job.work()
        except BaseException as exc:   # reported on the GUI thread
            job.error = exc
        finally:
            if was_enabled:
                gc.enable()
        try:
            self._relay.done.emit(job)
        except RuntimeError:   # pragma: no cover - the relay went with its owner
            pass


class _Relay(QObject):
    done = Signal(object)


def submit(work: Callable[[], Any], parent: QObject | None = None) -> WriteJob:
    """Run ``work()`` in the writer thread after every job given before it.

    ``parent`` is accepted for callers' convenience but the job is not owned by it:
    a job (and the relay it reports through) lives until it has reported, even if
    the document that gave it is deleted meanwhile.
    """
    job = WriteJob(work)
    _running.add(job)
    relay = _Relay(job)

    def arrived(finished: WriteJob) -> None:
        finished.done = True
        _running.discard(finished)
        finished.finished.emit(finished)

    relay.done.connect(arrived, Qt.ConnectionType.QueuedConnection)
    job._relay = relay
    pool().start(_Runner(job, relay))
    return job


def wait(job: WriteJob) -> None:
    """Return when ``job`` has finished; the window keeps painting meanwhile."""
    if job.done:
        return
    loop = QEventLoop()
    job.finished.connect(loop.quit)
    if not job.done:
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)


def wait_idle(timeout_ms: int = 30_000) -> bool:
    """Block until every job has run (shutdown and tests)."""
    return pool().waitForDone(timeout_ms)
