"""Cold start: a fresh Python process until the designer window is shown.

Compared with a bare PySide6 QMainWindow started the same way, so the figure
says what the designer itself adds. The designer is started as a person starts it
(``periop open FILE``) and timed twice: to "shown", the end of its window's first
painted frame (menus, toolbar row, the panels' frames, "Opening ..." -- the model
and the editor are not loaded yet), and to "drawn", the end of the first paint of
the canvas with the pathway on it (panels filled, checks started). Each figure is
the median wall time (from spawning the process, interpreter start-up included)
or the least CPU time of a few runs, bare and designer interleaved.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import compile_designer

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5

# "Shown" is the end of the window's first frame: the first paint event of any of
# its widgets posts the report, which runs once that paint pass is over.
FIRST_FRAME = """
import time
from PySide6.QtCore import QEvent, QObject, QTimer
class _FirstFrame(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if not self.seen and event.type() == QEvent.Type.Paint:
            self.seen = True
            QTimer.singleShot(0, shown)
        return False
_first_frame = _FirstFrame()
"""

BARE = FIRST_FRAME + """
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
def shown():
    print("shown", time.process_time(), flush=True)
    app.quit()
app.installEventFilter(_first_frame)
window = QMainWindow()
window.resize(1600, 1000)
window.show()
app.exec()
"""

# The designer as a person starts it (``periop open [FILE]``), watched from outside:
# "shown" is the end of the first frame of its window (the frame with the menus, the
# panels' frames and "Opening ..."; the model is not loaded yet), "drawn" the end
# of the first paint of the pathway canvas with the pathway on it.
DESIGNER = FIRST_FRAME + """
import os, sys
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])
def shown():
    print("shown", time.process_time(), flush=True)
class _Drawn(QObject):
    seen = False
    def eventFilter(self, obj, event):
        if (not self.seen and event.type() == QEvent.Type.Paint and obj.parent() is not None
                and obj.parent().objectName() == "pathway-canvas"):
            self.seen = True
            QTimer.singleShot(0, drawn)
        return False
def drawn():
    print("drawn", time.process_time(), flush=True)
    for window in app.topLevelWidgets():
        document = getattr(window, "document", None)
        if document is not None:
            document.close()
    app.quit()
_drawn = _Drawn()
app.installEventFilter(_first_frame)
app.installEventFilter(_drawn)
if "--core" in sys.argv:  # without the library, export and workshop extensions
    sys.argv.remove("--core")
    from designer.ui.window.main_window import MainWindow
    MainWindow._install_extensions = lambda self: None
from designer.cli import main
main(["open", *sys.argv[1:]])
"""


def _time_to_shown(code: str, *args: str) -> tuple[float, float, float, float]:
    """(wall seconds from spawning to shown, the child's CPU seconds until shown,
    the same two until drawn; drawn is shown for the bare window)."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=home,
                   XDG_CONFIG_HOME=str(Path(home) / "config"),
                   PERIOP_DATA_DIR=str(Path(home) / "data"),
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        times = {}
        for line in child.stdout:
            word, _, cpu = line.strip().partition(" ")
            if word in ("shown", "drawn"):
                times[word] = (time.perf_counter() - start, float(cpu))
        child.wait(timeout=60)
    if "shown" not in times:
        raise RuntimeError("the window was not shown")
    drawn = times.get("drawn", times["shown"])
    return (*times["shown"], *drawn)


def _measure(code: str, *args: str) -> tuple[float, float, float, float]:
    """Median wall seconds and least CPU seconds over a few runs, to shown and to
    drawn: CPU time is what carries on a shared machine (the wall clock counts other
    people's work too)."""
    runs = [_time_to_shown(code, *args) for _ in range(RUNS)]
    return (statistics.median(r[0] for r in runs), min(r[1] for r in runs),
            statistics.median(r[2] for r in runs), min(r[3] for r in runs))


def run(report) -> None:
    compile_designer()
    sample = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"
    args = (str(sample),) if sample.exists() else ()
    what = "ERAS+ exemplar" if args else "new pathway"
    # interleaved: bare, designer, bare, designer ... so both meet the same load
    bare_runs, designer_runs = [], []
    for _ in range(RUNS):
        bare_runs.append(_time_to_shown(BARE))
        designer_runs.append(_time_to_shown(DESIGNER, *args))
    bare = statistics.median(r[0] for r in bare_runs)
    bare_cpu = min(r[1] for r in bare_runs)
    shown = statistics.median(r[0] for r in designer_runs)
    shown_cpu = min(r[1] for r in designer_runs)
    drawn = statistics.median(r[2] for r in designer_runs)
    drawn_cpu = min(r[3] for r in designer_runs)
    report("startup", "bare PySide6 QMainWindow, fresh process, shown", bare, "s")
    report("startup", "bare PySide6 QMainWindow, CPU to shown", bare_cpu, "s")
    report("startup", f"periop open, {what}: window frame shown", shown, "s", "<= 1.0")
    report("startup", f"periop open, {what}: CPU to frame shown", shown_cpu, "s")
    report("startup", f"periop open, {what}: pathway drawn", drawn, "s")
    report("startup", f"periop open, {what}: CPU to pathway drawn", drawn_cpu, "s")
    report("startup", "frame shown / bare QMainWindow (wall)", shown / bare, "x", "<= 2")
    report("startup", "frame shown / bare QMainWindow (CPU)", shown_cpu / bare_cpu, "x",
           "<= 2")
    report("startup", "pathway drawn / bare QMainWindow (wall)", drawn / bare, "x")
    report("startup", "pathway drawn / bare QMainWindow (CPU)", drawn_cpu / bare_cpu, "x")
    untitled = _measure(DESIGNER)
    report("startup", "periop open, new pathway: CPU to frame shown", untitled[1], "s")
    report("startup", "periop open, new pathway: CPU to pathway drawn", untitled[3], "s")
    core = _measure(DESIGNER, "--core", *args)
    report("startup", "core window only (no library/export/workshop), CPU to drawn",
           core[3], "s")


if __name__ == "__main__":  # pragma: no cover - handy when tuning start-up
    run(lambda area, measure, value, unit, target="": print(
        f"{area:8} {measure:55} {value:8.3f} {unit} {target}"))
