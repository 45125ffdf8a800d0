"""Save and autosave of a 10,000-step pathway: how long the UI thread is blocked
(issue 16 item 6).

The document copies the pathway on the GUI thread and the background writer
serialises and writes it. A 5 ms repeating timer probes the GUI thread: the
longest gap between its ticks is the longest the window could not repaint. For
comparison, the same save done on the GUI thread (as before) is timed too.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

from generate import make_pathway

N_STEPS = 10_000


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def _probe():
    from PySide6.QtCore import QElapsedTimer, QTimer

    clock = QElapsedTimer()
    state = {"last": 0, "worst": 0}

    def tick():
        now = clock.elapsed()
        state["worst"] = max(state["worst"], now - state["last"])
        state["last"] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    clock.start()
    timer.start()
    return timer, tick, state


def _cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def _reopen_rows(report, pathway, target: str, n_steps: int) -> None:
    """A save keeps the model in the parsed-pathway cache: what that costs the save,
    and what re-opening the file just saved costs (CPU, interleaved)."""
    from pathlib import Path

    from designer.graph import cache
    from designer.graph.io import load_pathway

    text = Path(target).read_text(encoding="utf-8")
    keep = min(_cpu(lambda: cache.store_saved(text, pathway)) for _ in range(3))
    from_cache, from_yaml = [], []
    for _ in range(2):
        from_cache.append(_cpu(lambda: load_pathway(target)))
        from_yaml.append(_cpu(lambda: load_pathway(target, use_cache=False)))
    report("saving", f"save {n_steps:,} steps: keeping it in the parse cache, CPU",
           keep * 1000, "ms")
    report("saving", f"re-open {n_steps:,} steps just saved (from the cache), CPU",
           min(from_cache) * 1000, "ms")
    report("saving", f"re-open {n_steps:,} steps from its YAML (no cache), CPU",
           min(from_yaml) * 1000, "ms")


def run(report, n_steps: int = N_STEPS) -> None:
    app = _app()
    from PySide6.QtCore import QCoreApplication, QEvent

    from designer.graph.io import save_pathway
    from designer.ui.commands import UpdateStepCommand
    from designer.ui.editing import writer
    from designer.ui.editing.document import Document

    pathway = make_pathway(n_steps)
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("PERIOP_DATA_DIR", os.path.join(folder, "data"))
        # the parsed-pathway cache in the temporary folder, never the user's
        os.environ.setdefault("PERIOP_CACHE_DIR", os.path.join(folder, "cache"))
        target = os.path.join(folder, "big.yaml")
        started = time.perf_counter()
        save_pathway(pathway, target)
        on_gui = time.perf_counter() - started
        report("saving", f"save {n_steps:,} steps on the GUI thread (before: the block)",
               on_gui * 1000, "ms")
        _reopen_rows(report, pathway, target, n_steps)

        document = Document(pathway, target)
        step = pathway.steps[5]
        # what another bench left to deleteLater goes now, not in the save's wait (the
        # first event loop to run): the block measured is the save's own
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        document.undo_stack.push(UpdateStepCommand(pathway, step.id, {"name": "Edited"}))
        timer, tick, state = _probe()
        started = time.perf_counter()
        document.save()
        tick()
        timer.stop()
        report("saving", f"save {n_steps:,} steps: wall time (written in the background)",
               (time.perf_counter() - started) * 1000, "ms")
        report("saving", f"save {n_steps:,} steps: longest UI-thread block", state["worst"],
               "ms", "<= 50")

        document.undo_stack.push(UpdateStepCommand(pathway, step.id, {"name": "Again"}))
        timer, tick, state = _probe()
        written = []
        document.autosaved.connect(written.append)
        document.autosave_failed.connect(written.append)
        document.autosave_in_background()
        while not written:
            app.processEvents()
            time.sleep(0.001)
        tick()
        timer.stop()
        report("saving", f"autosave {n_steps:,} steps: longest UI-thread block",
               state["worst"], "ms", "<= 50")
        document.undo_stack.setClean()
        document.close()
        writer.wait_idle()


if __name__ == "__main__":  # pragma: no cover
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    run(lambda a, m, v, u, t="": print(f"{a:8} {m:70} {v:10.1f} {u} {t}"),
        int(sys.argv[1]) if len(sys.argv) > 1 else N_STEPS)
