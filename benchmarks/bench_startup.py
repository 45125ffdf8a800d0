"""Cold start: a fresh Python process until the designer window is shown.

Compared with a bare PySide6 QMainWindow started the same way, so the figure
says what the designer itself adds (imports, panels, first validation).
Each figure is the median of a few runs, timed by the parent from spawning the
process to the child's "shown" line (interpreter start-up included), printed
when the window's first frame has been painted.
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

DESIGNER = FIRST_FRAME + """
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
def shown():
    print("shown", time.process_time(), flush=True)
    window.document.close()
    app.quit()
app.installEventFilter(_first_frame)
window.resize(1600, 1000)
window.show()
app.exec()
"""


def _time_to_shown(code: str, *args: str) -> tuple[float, float]:
    """(wall seconds from spawning to shown, the child's CPU seconds until shown)."""
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
    word, _, cpu = line.strip().partition(" ")
    if word != "shown":
        raise RuntimeError("the window was not shown")
    return elapsed, float(cpu)


def _bytecode() -> None:
    """Compile the designer's modules once, as an installed copy has them (the test
    machines set PYTHONDONTWRITEBYTECODE, which would compile every module on every
    start and charge that to the designer)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "designer")],
                   check=False, stdout=subprocess.DEVNULL, env=dict(
                       os.environ, PYTHONDONTWRITEBYTECODE=""))


def _measure(code: str, *args: str) -> tuple[float, float]:
    """(median wall seconds, least CPU seconds) over a few runs: CPU time is what
    carries on a shared machine (the wall clock counts other people's work too)."""
    runs = [_time_to_shown(code, *args) for _ in range(RUNS)]
    return statistics.median(w for w, _ in runs), min(c for _, c in runs)


def run(report) -> None:
    _bytecode()
    bare, bare_cpu = _measure(BARE)
    report("startup", "bare PySide6 QMainWindow, fresh process", bare, "s")
    report("startup", "bare PySide6 QMainWindow, CPU to shown", bare_cpu, "s")
    sample = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"
    untitled, untitled_cpu = _measure(DESIGNER)
    report("startup", "designer, new pathway, to window shown", untitled, "s", "<= 1.0")
    if sample.exists():
        opened, opened_cpu = _measure(DESIGNER, str(sample))
        report("startup", "designer, ERAS+ exemplar open, to window shown", opened, "s",
               "<= 1.0")
        report("startup", "designer, ERAS+ exemplar open, CPU to shown", opened_cpu, "s")
    else:
        opened, opened_cpu = untitled, untitled_cpu
    report("startup", "designer / bare QMainWindow (wall)", max(untitled, opened) / bare, "x",
           "<= 2")
    report("startup", "designer / bare QMainWindow (CPU)",
           max(untitled_cpu, opened_cpu) / bare_cpu, "x", "<= 2")
    core, _ = _measure(DESIGNER, "--core")
    report("startup", "core window only (no library/export/workshop), shown", core, "s")


if __name__ == "__main__":  # pragma: no cover - handy when tuning start-up
    run(lambda area, measure, value, unit, target="": print(
        f"{area:8} {measure:55} {value:8.3f} {unit} {target}"))
