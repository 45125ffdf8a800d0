"""Opening a 2,000-step pathway file in the window (issue 16, "fast open, no freeze").

File > Open of a big file reads it in a worker and builds its canvas in slices while
the window stays live (``designer/ui/window/opening.py``). A 5 ms heartbeat timer
runs on the GUI thread from the moment the file is chosen until one second after the
new pathway is shown (its first paint, the fit, the overview map and the first
checks): the longest gap between beats is the longest the window stopped responding.
Two measures of that gap: wall time (what a user sees, but on a shared machine it
counts the time other processes had the cores) and the GUI thread's own CPU time
between beats (what our code held it for).

``BENCH_OPEN_SYNC=1`` measures the synchronous open instead (the figures before).
"""

from __future__ import annotations

import os
import tempfile
import time

from generate import make_pathway

STEPS = 2000
SETTLE_S = 1.0


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


class Heartbeat:
    """A 5 ms timer on the GUI thread; the longest gaps between its beats."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.wall = 0.0
        self.cpu = 0.0
        self._timer = QTimer()
        self._timer.setInterval(5)
        self._timer.timeout.connect(self.beat)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def beat(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        self.wall = max(self.wall, now - self._last)
        self.cpu = max(self.cpu, cpu - self._last_cpu)
        self._last, self._last_cpu = now, cpu

    def stop(self) -> None:
        self.beat()
        self._timer.stop()


def measure(sync: bool = False) -> dict:
    app = _app()
    from PySide6.QtCore import QSettings

    from designer import paths
    from designer.graph.io import save_pathway
    from designer.ui.editing.document import Document
    from designer.ui.window import opening
    from designer.ui.window.main_window import MainWindow

    paths.data_dir()     # as at start-up (the recovery folder): its imports done before
    saved = opening.BACKGROUND_BYTES
    if sync:
        opening.BACKGROUND_BYTES = 1 << 62
    with tempfile.TemporaryDirectory() as home:
        path = os.path.join(home, "big.yaml")
        save_pathway(make_pathway(STEPS), path)
        settings = QSettings(os.path.join(home, "s.ini"), QSettings.Format.IniFormat)
        window = MainWindow(Document(make_pathway(20)), settings=settings)
        window.resize(1600, 1000)
        window.show()
        for _ in range(30):
            app.processEvents()
            time.sleep(0.005)
        before = window.document
        beat = Heartbeat()
        beat.start()
        started = time.perf_counter()
        window.files.open_path(path)
        beat.beat()
        while window.document is before and time.perf_counter() - started < 600:
            app.processEvents()
            time.sleep(0.001)
        interactive = time.perf_counter() - started
        shown = time.perf_counter()
        while time.perf_counter() - shown < SETTLE_S:
            app.processEvents()
            time.sleep(0.001)
        beat.stop()
        window.document.undo_stack.setClean()
        window.close()
        window.deleteLater()
        app.processEvents()
    opening.BACKGROUND_BYTES = saved
    return {"wall": beat.wall, "cpu": beat.cpu, "interactive": interactive}


def slices() -> tuple[float, float, int]:
    """(longest slice wall ms, longest slice CPU ms, slices) building the 2,000-step canvas."""
    app = _app()
    from PySide6.QtGui import QUndoStack

    from designer.ui.canvas.building import SceneBuilder
    from designer.ui.canvas.scene import PathwayScene

    scene = PathwayScene(make_pathway(STEPS), QUndoStack(), build=False)
    builder = SceneBuilder(scene)
    builder.start()
    while not builder.done:
        app.processEvents()
        time.sleep(0.001)
    scene.detach()
    return builder.longest_slice_ms, builder.longest_slice_cpu_ms, builder.slices


def run(report) -> None:
    sync = bool(os.environ.get("BENCH_OPEN_SYNC"))
    got = measure(sync)
    how = " (synchronous open)" if sync else ""
    report("open", f"open 2,000 steps: longest GUI-thread block, wall{how}",
           got["wall"] * 1000, "ms", "<= 50")
    report("open", f"open 2,000 steps: longest GUI-thread block, GUI-thread CPU{how}",
           got["cpu"] * 1000, "ms", "<= 50")
    report("open", f"open 2,000 steps: until interactive{how}", got["interactive"], "s")
    wall, cpu, count = slices()
    report("open", f"build scene in slices, 2,000 steps: longest slice CPU ({count} slices)",
           cpu, "ms", "<= 50")
    report("open", "build scene in slices, 2,000 steps: longest slice wall", wall, "ms")


if __name__ == "__main__":
    import sys
    from pathlib import Path
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PERIOP_CACHE_DIR", tempfile.mkdtemp())
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(lambda *row: print(*row))
