"""Cold start: a fresh Python process until the designer window is shown.

Compared with a bare PySide6 QMainWindow started the same way, so the figure
says what the designer itself adds (imports, panels, first validation).
Each figure is the median of a few runs, timed by the parent from spawning the
process to the child's "shown" line (interpreter start-up included).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNS = 5

BARE = """
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.resize(1600, 1000)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""

DESIGNER = """
import sys
from PySide6.QtCore import QSettings, QTimer
from designer.ui.window.app import create_application, open_window
from designer.ui.editing.document import Document
if "--core" in sys.argv:  # without the library, export and workshop extensions
    sys.argv.remove("--core")
    from designer.ui.window.main_window import MainWindow
    MainWindow._install_extensions = lambda self: None
app = create_application()
import os
path = sys.argv[1] if len(sys.argv) > 1 else None
document = Document.open(path) if path else Document.new_untitled()
window = open_window(document, settings=QSettings(os.environ["BENCH_SETTINGS"],
                                                  QSettings.Format.IniFormat))
window.resize(1600, 1000)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), window.document.close(), app.quit()))
app.exec()
"""


def _time_to_shown(code: str, *args: str) -> float:
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=home,
                   XDG_CONFIG_HOME=str(Path(home) / "config"),
                   PERIOP_DATA_DIR=str(Path(home) / "data"),
                   BENCH_SETTINGS=str(Path(home) / "settings.ini"),
                   PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
        start = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = child.stdout.readline()
        elapsed = time.perf_counter() - start
        child.wait(timeout=60)
    if line.strip() != "shown":
        raise RuntimeError("the window was not shown")
    return elapsed


def _median(code: str, *args: str) -> float:
    return statistics.median(_time_to_shown(code, *args) for _ in range(RUNS))


def run(report) -> None:
    bare = _median(BARE)
    report("startup", "bare PySide6 QMainWindow, fresh process", bare, "s")
    sample = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"
    untitled = _median(DESIGNER)
    report("startup", "designer, new pathway, to window shown", untitled, "s", "<= 1.0")
    if sample.exists():
        opened = _median(DESIGNER, str(sample))
        report("startup", "designer, ERAS+ exemplar open, to window shown", opened, "s",
               "<= 1.0")
    else:
        opened = untitled
    report("startup", "designer / bare QMainWindow", max(untitled, opened) / bare, "x", "<= 2")
    core = _median(DESIGNER, "--core")
    report("startup", "core window only (no library/export/workshop), shown", core, "s")


if __name__ == "__main__":  # pragma: no cover - handy when tuning start-up
    run(lambda area, measure, value, unit, target="": print(
        f"{area:8} {measure:55} {value:8.3f} {unit} {target}"))
