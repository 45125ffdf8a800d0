"""Live checks: validation and the timeline, worked out off the GUI thread after edits.

One :class:`LiveChecks` sits beside the open document. Every model event restarts
one short timer (so a burst of edits costs one check). When the timer fires, the
pathway is copied (:meth:`~designer.graph.model.Pathway.snapshot`, linear and
cheap) and a worker thread builds ONE :class:`~designer.graph.pathway_index.PathwayIndex`
from the copy, which both :func:`~designer.graph.validate.validate` and
:func:`~designer.graph.timeline.compute_timeline` use. The result comes back by
signal (:attr:`LiveChecks.checked`); the Findings panel, the Timeline panel, the
canvas badges and the status bar all show that one result.

Every edit bumps a generation counter. A result computed for an older generation
is dropped when it arrives (the pathway has changed since), and the check runs
again for the newest state; at most one check runs at a time.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Qt, Signal

from designer.ui.editing.writer import gui_friendly_switching

if TYPE_CHECKING:  # pragma: no cover
    from designer.graph.model import Pathway
    from designer.graph.timeline import Timeline
    from designer.graph.validate import ValidationReport

#: the wait after the last edit before the checks run (folds a burst of keystrokes)
DEBOUNCE_MS = 120

log = logging.getLogger("designer")


@dataclass
class CheckResult:
    """What one check of one state of the pathway found.

    Attributes
    ----------
    generation
        The edit count the check belongs to (see :class:`LiveChecks`).
    pathway
        The snapshot that was checked (names and lanes shown with the result come
        from it, so they always match the findings and the timeline).
    report
        The validation report, or None when the checks could not run.
    timeline
        The timeline, or None when it could not be worked out.
    names
        Step id -> step name, built once for this result.
    timeline_rows
        The timeline in words, one tuple of cell texts per row (worked out in the
        worker, so the panel only swaps them in).
    prepared
        What each panel's preparer (see :meth:`LiveChecks.add_preparer`) made of
        this result in the worker, by the preparer's name.
    seconds
        How long the check took in the worker.
    """

    generation: int
    pathway: "Pathway"
    report: "ValidationReport | None" = None
    timeline: "Timeline | None" = None
    names: dict[str, str] = field(default_factory=dict)
    timeline_rows: list[tuple[str, ...]] = field(default_factory=list)
    prepared: dict[str, Any] = field(default_factory=dict)
    report_error: str | None = None
    timeline_error: str | None = None
    seconds: float = 0.0

    def target_name(self, target: str) -> str:
        """A step id or ``"FROM->TO"`` in words (with this result's names)."""
        return self.pathway.target_name(target, self.names)


Preparer = Callable[[CheckResult], Any]


def compute(pathway: "Pathway", generation: int = 0,
            preparers: dict[str, Preparer] | None = None) -> CheckResult:
    """Check ``pathway`` (a snapshot nobody edits meanwhile): one index, both results.

    ``preparers`` then turn the result into what each panel shows (each gets the
    result and returns anything; stored in ``result.prepared``). Qt-free and safe
    to run in any thread.
    """
    started = time.perf_counter()
    # Many short-lived objects, no reference cycles: a cycle collection started
    # here would hold every thread (the GUI's too) for its whole run, so the
    # collector waits until the check is done (as validate() does).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = _compute(pathway, generation, started)
        for name, prepare in (preparers or {}).items():
            try:
                result.prepared[name] = prepare(result)
            except Exception:   # a panel's bug must not stop the others
                log.exception("preparing %s failed", name)
        result.seconds = time.perf_counter() - started
        return result
    finally:
        if was_enabled:
            gc.enable()


def _compute(pathway: "Pathway", generation: int, started: float) -> CheckResult:
    from designer.graph.pathway_index import LazyGraph, PathwayIndex
    from designer.graph.timeline import compute_timeline, timeline_rows
    from designer.graph.validate import validate

    result = CheckResult(generation, pathway,
                         names={s.id: s.name for s in pathway.steps})
    graph = LazyGraph(PathwayIndex(pathway))   # one index per edit, shared below
    try:
        result.report = validate(pathway, graph)
    except Exception as exc:  # a faulty rule must not interrupt editing
        log.exception("validation failed")
        result.report_error = f"{type(exc).__name__}: {exc}"
    try:
        result.timeline = compute_timeline(pathway, graph)
        result.timeline_rows = timeline_rows(result.timeline, pathway)
    except Exception as exc:
        log.exception("timeline failed")
        result.timeline_error = f"{type(exc).__name__}: {exc}"
    result.seconds = time.perf_counter() - started
    return result


class _Relay(QObject):
    """Carries a worker's result to the GUI thread (lives in the GUI thread)."""

    done = Signal(object)


class _CheckJob(QRunnable):
    def __init__(self, pathway: "Pathway", generation: int, relay: _Relay,
                 preparers: dict[str, Preparer]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._pathway = pathway
        self._generation = generation
        self._relay = relay
        self._preparers = preparers

    def run(self) -> None:  # in the worker thread
        try:
            result = compute(self._pathway, self._generation, self._preparers)
        except BaseException as exc:  # pragma: no cover - compute catches what it can
            result = CheckResult(self._generation, self._pathway,
                                 report_error=str(exc), timeline_error=str(exc))
        try:
            self._relay.done.emit(result)
        except RuntimeError:  # the relay was deleted with its window
            pass


class LiveChecks(QObject):
    """The findings and timeline of the open document, kept current after each edit.

    Signals
    -------
    checked(CheckResult)
        A fresh result for the pathway as it is now (stale results are never sent).
    pending()
        An edit arrived; the shown result is out of date until the next ``checked``.
    """

    checked = Signal(object)
    pending = Signal()

    def __init__(self, parent: QObject | None = None, *, delay_ms: int = DEBOUNCE_MS,
                 threaded: bool = True) -> None:
        super().__init__(parent)
        self._pathway: "Pathway | None" = None
        self._generation = 0
        self._running = False     # a worker is checking (some generation)
        self._rerun = False       # the timer fired while it ran: check again after
        self.threaded = threaded
        self.result: CheckResult | None = None
        self.checks_started = 0   # how many checks ran (tests count them)
        self._preparers: dict[str, Preparer] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        # the pool before the relay: children go in the order they were made, so the
        # pool (which waits for a running check) goes before the relay the check
        # reports through
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._arrived, Qt.ConnectionType.QueuedConnection)
        gui_friendly_switching()

    def add_preparer(self, name: str, prepare: Preparer) -> None:
        """Run ``prepare(result)`` in the worker after each check; its return value is
        ``result.prepared[name]``. It must not touch Qt widgets (it runs off the GUI
        thread): panels use it to turn findings into rows of text.
        """
        self._preparers[name] = prepare

    # ---------------------------------------------------------------- binding

    def bind(self, pathway: "Pathway") -> None:
        """Follow ``pathway`` (a newly opened document's) from now on."""
        if self._pathway is not None:
            self._pathway.unsubscribe(self._on_model_event)
        self._pathway = pathway
        self.result = None
        pathway.subscribe(self._on_model_event)
        # checked just after the window appears, so opening a file is never held up
        self._on_model_event(None)

    def unbind(self) -> None:
        if self._pathway is not None:
            self._pathway.unsubscribe(self._on_model_event)
        self._pathway = None
        self._generation += 1
        self._timer.stop()

    @property
    def report(self):
        return self.result.report if self.result is not None else None

    @property
    def timeline(self):
        return self.result.timeline if self.result is not None else None

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def busy(self) -> bool:
        """True while the shown result is older than the pathway."""
        return self._timer.isActive() or self._running or self._rerun

    # ---------------------------------------------------------------- running

    def _on_model_event(self, _event) -> None:
        self._generation += 1
        self._timer.start()
        self.pending.emit()

    def schedule(self) -> None:
        """Check again after the usual short wait (e.g. a rule pack was switched on)."""
        self._on_model_event(None)

    def _start(self) -> None:
        if self._pathway is None:
            return
        if self._running:
            self._rerun = True   # one check at a time: the newest state runs next
            return
        if not self.threaded:
            self.check_now()
            return
        self._running = True
        self._rerun = False
        self.checks_started += 1
        self._pool.start(_CheckJob(self._pathway.snapshot(), self._generation, self._relay,
                                   dict(self._preparers)))

    def _arrived(self, result: CheckResult) -> None:
        self._running = False
        if result.generation == self._generation and self._pathway is not None:
            self._deliver(result)
        elif self._rerun and not self._timer.isActive():
            self._start()

    def _deliver(self, result: CheckResult) -> None:
        self.result = result
        self._rerun = False
        self.checked.emit(result)

    def check_now(self) -> CheckResult | None:
        """Check the pathway now, on this thread, and show the result everywhere.

        Anything running in the background for an older state is dropped when it
        arrives. Used by Tools > Check Pathway Now and by tests.
        """
        if self._pathway is None:
            return None
        self._timer.stop()
        self._generation += 1   # a check already running is now stale
        self.checks_started += 1
        result = compute(self._pathway.snapshot(), self._generation, dict(self._preparers))
        self._rerun = False
        self._deliver(result)
        return result

    def wait_done(self, timeout_ms: int = 5000) -> bool:
        """Block until the worker is idle (tests and shutdown)."""
        return self._pool.waitForDone(timeout_ms)
