"""An edit in a big pathway: how long until the findings and the timeline show it,
and how long the UI thread is blocked on the way (issue 16 items 1 and 2).

A window opens a generated pathway of N steps and one edit is made through the undo
stack, as the editor makes it. Three kinds of edit:

- ``duration``: one step's duration is changed (as the properties panel does), at
  200 and 2,000 steps;
- ``add``: a step is added to a lane (Insert > Step, as the palette does), at 2,000;
- ``delete``: a step in the middle of the flow is deleted with its arrows (as the
  Delete key does), at 2,000. Adding and deleting change the graph itself.

The clock runs from the push until both the Findings panel and the Timeline panel
show the new result. The debounce (the short wait that folds a burst of keystrokes
into one check) is reported separately and subtracted: it is a chosen delay, not work.

The UI-thread probe is a 5 ms repeating timer: the longest gap between two of its
ticks while the edit is being checked is the longest the window could not repaint
or answer a key. That wall-clock gap also counts the time the process waited for a
core (the machine is shared) or for the interpreter lock (the check runs in a
worker thread), so the GUI thread's own CPU time in the longest-working gap is
reported beside it: that part is the editor's work.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from generate import make_pathway

#: (size, kind of edit) rows, in the order they run
CASES = ((200, "duration"), (2000, "duration"), (2000, "add"), (2000, "delete"))
TARGETS = {200: ("<= 50", "<= 50"), 2000: ("<= 250", "<= 50")}
EDITS = 3
GIVE_UP_S = 60.0
_WORDS = {"duration": "edit", "add": "add a step", "delete": "delete a step"}


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def _debounce_ms() -> float:
    try:
        from designer.ui.editing.live_checks import DEBOUNCE_MS
        return float(DEBOUNCE_MS)
    except ImportError:  # before LiveChecks: the two docks each had their own timer
        from designer.ui.panels.findings import REVALIDATE_DELAY_MS
        from designer.ui.panels.timeline import RECOMPUTE_DELAY_MS
        return float(max(REVALIDATE_DELAY_MS, RECOMPUTE_DELAY_MS))


def _shown_state(window):
    """Something that changes when both panels have shown a fresh result."""
    return (window.findings_report, window.timeline_dock.timeline)


def _edit(window, pathway, kind: str, i: int, step) -> None:
    """Make edit number ``i`` of ``kind`` the way the editor makes it."""
    from designer.graph.model import StepKind
    from designer.ui.commands import RemoveItemsCommand, UpdateStepCommand

    if kind == "duration":
        window.push(UpdateStepCommand, step.id, {"duration_days": 3.0 + i})
    elif kind == "add":
        window.extension("canvas").add_step_of(StepKind.task, "hospital", rename=False)
    elif kind == "delete":
        # a plain step in the middle of the flow, with arrows in and out
        middle = len(pathway.steps) // 2 + 10 * i
        victim = next(s for s in pathway.steps[middle:]
                      if s.kind is StepKind.task and pathway.transitions_of(s.id))
        window.push(RemoveItemsCommand, [victim.id], [])
    else:  # pragma: no cover
        raise ValueError(kind)


def measure(n_steps: int, edits: int = EDITS, kind: str = "duration"
            ) -> tuple[float, float, float, float]:
    """(edit->shown minus debounce in ms, worst UI-thread gap in ms, GUI-thread CPU ms
    of the gap in which it worked longest, debounce ms)."""
    app = _app()
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

    from designer.ui.editing.document import Document
    from designer.ui.window.main_window import MainWindow

    pathway = make_pathway(n_steps)
    with tempfile.TemporaryDirectory() as home:
        settings = QSettings(os.path.join(home, "s.ini"), QSettings.Format.IniFormat)
        document = Document(pathway)
        window = MainWindow(document, settings=settings)
        window.show()
        deadline = time.perf_counter() + GIVE_UP_S
        while None in _shown_state(window) and time.perf_counter() < deadline:
            app.processEvents()
            time.sleep(0.002)
        # the canvas tidies its labels in slices after a build: finish that first, so
        # the figures are the edit's own
        window.scene.tidy_now()
        for _ in range(20):
            app.processEvents()
        step = next(s for s in pathway.steps if s.duration_days is not None)
        debounce = _debounce_ms()
        latencies, gaps, cpus = [], [], []
        for i in range(edits):
            before = _shown_state(window)
            clock = QElapsedTimer()
            last = [0, 0.0]
            worst = [0, 0.0]

            def tick():
                now, cpu = clock.elapsed(), time.thread_time()
                worst[0] = max(worst[0], now - last[0])
                worst[1] = max(worst[1], cpu - last[1])
                last[0], last[1] = now, cpu

            probe = QTimer()
            probe.setInterval(5)
            probe.timeout.connect(tick)
            clock.start()
            last[1] = time.thread_time()
            probe.start()
            started = time.perf_counter()
            _edit(window, pathway, kind, i, step)
            tick()  # the push itself counts as UI-thread work
            while time.perf_counter() - started < GIVE_UP_S:
                app.processEvents()
                state = _shown_state(window)
                if state[0] is not before[0] and state[1] is not before[1]:
                    break
                time.sleep(0.001)
            elapsed = (time.perf_counter() - started) * 1000
            tick()
            probe.stop()
            latencies.append(max(0.0, elapsed - debounce))
            gaps.append(worst[0])
            cpus.append(worst[1] * 1000)
        document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
        # processEvents leaves deferred deletions alone: without this every case's
        # window (three of them 2,000 steps) stayed alive into the next case's measure
        from PySide6.QtCore import QCoreApplication, QEvent
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return min(latencies), max(gaps), max(cpus), debounce


def run(report) -> None:
    only = os.environ.get("BENCH_EDIT_SIZES")
    sizes = {int(s) for s in only.split(",")} if only else None
    kinds = os.environ.get("BENCH_EDIT_KINDS")
    for n, kind in CASES:
        if (sizes is not None and n not in sizes) or (kinds and kind not in kinds.split(",")):
            continue
        latency, gap, cpu, debounce = measure(n, kind=kind)
        shown_target, gap_target = TARGETS.get(n, ("", "<= 50"))
        what = _WORDS[kind]
        shown = ("edit -> findings+timeline shown" if kind == "duration"
                 else f"{what} -> findings+timeline shown")
        report("editing", f"{shown}, {n:,} steps (after {debounce:.0f} ms debounce)",
               latency, "ms", shown_target)
        report("editing", f"{what} at {n:,} steps: longest UI-thread block", gap, "ms",
               gap_target)
        report("editing", f"{what} at {n:,} steps: longest block, GUI-thread CPU", cpu,
               "ms", gap_target)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if len(sys.argv) > 1:
        os.environ["BENCH_EDIT_SIZES"] = sys.argv[1]
    if len(sys.argv) > 2:
        os.environ["BENCH_EDIT_KINDS"] = sys.argv[2]
    run(lambda a, m, v, u, t="": print(f"{a:8} {m:70} {v:10.1f} {u} {t}"))
