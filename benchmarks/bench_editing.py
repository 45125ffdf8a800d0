"""An edit in a big pathway: how long until the findings and the timeline show it,
and how long the UI thread is blocked on the way (issue 16 items 1 and 2).

A window opens a generated pathway of N steps; one step's duration is changed
through the undo stack (as the properties panel does). The clock runs from the
push until both the Findings panel and the Timeline panel show the new result.
The debounce (the short wait that folds a burst of keystrokes into one check) is
reported separately and subtracted: it is a chosen delay, not work.

The UI-thread probe is a 5 ms repeating timer: the longest gap between two of its
ticks while the edit is being checked is the longest the window could not repaint
or answer a key.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from generate import make_pathway

SIZES = (200, 2000)
TARGETS = {200: ("<= 50", "<= 50"), 2000: ("<= 250", "<= 50")}
EDITS = 3
GIVE_UP_S = 60.0


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


def measure(n_steps: int, edits: int = EDITS) -> tuple[float, float, float]:
    """(edit->shown minus debounce in ms, worst UI-thread gap in ms, debounce ms)."""
    app = _app()
    from PySide6.QtCore import QElapsedTimer, QSettings, QTimer

    from designer.ui.commands import UpdateStepCommand
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
        latencies, gaps = [], []
        for i in range(edits):
            before = _shown_state(window)
            clock = QElapsedTimer()
            last = [0]
            worst = [0]

            def tick():
                now = clock.elapsed()
                worst[0] = max(worst[0], now - last[0])
                last[0] = now

            probe = QTimer()
            probe.setInterval(5)
            probe.timeout.connect(tick)
            clock.start()
            probe.start()
            started = time.perf_counter()
            window.push(UpdateStepCommand, step.id, {"duration_days": 3.0 + i})
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
        document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    return min(latencies), max(gaps), debounce


def run(report) -> None:
    only = os.environ.get("BENCH_EDIT_SIZES")
    sizes = tuple(int(s) for s in only.split(",")) if only else SIZES
    for n in sizes:
        latency, gap, debounce = measure(n)
        shown_target, gap_target = TARGETS.get(n, ("", "<= 50"))
        report("editing", f"edit -> findings+timeline shown, {n:,} steps (after "
               f"{debounce:.0f} ms debounce)", latency, "ms", shown_target)
        report("editing", f"edit at {n:,} steps: longest UI-thread block", gap, "ms",
               gap_target)


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if len(sys.argv) > 1:
        os.environ["BENCH_EDIT_SIZES"] = sys.argv[1]
    run(lambda a, m, v, u, t="": print(f"{a:8} {m:70} {v:10.1f} {u} {t}"))
