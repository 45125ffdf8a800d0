"""Start-up shows the window's frame first, then loads the editor into it (issue 16).

``periop open FILE`` paints a frame (menus, toolbar row, the panels' frames, an
empty canvas, "Opening FILE…") with nothing but Qt imported, then imports the
model and the editor, offers back unsaved work and opens the file in the same
window. The frame must be painted before the model is imported, and the finished
window must be the one the usual construction gives, in the same places.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QDockWidget, QToolBar

from designer.ui.editing import recovery
from designer.ui.window import app as app_module
from designer.ui.window.main_window import MainWindow
from window_support import click_modal_button, settings  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parents[2]
EXEMPLAR = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"

# Starts the designer as `periop open FILE` does and reports, at the window's first
# paint, which modules are loaded and what the window shows; then, once the pathway
# canvas has been painted, what the finished window holds.
WATCH = r"""
import json, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([sys.argv[0]])
seen = {}
def window():
    return next(w for w in app.topLevelWidgets() if w.objectName() == "designer-main-window")
class Watch(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj.isWidgetType():
            if "first" not in seen:
                w = window()
                seen["first"] = {
                    "model": "designer.graph.model" in sys.modules,
                    "pydantic": "pydantic" in sys.modules,
                    "panels": "designer.ui.panels.findings" in sys.modules,
                    "status": w.statusBar().currentMessage(),
                    "menus": [a.text() for a in w.menuBar().actions()]}
            parent = obj.parent()
            if ("drawn" not in seen and parent is not None
                    and parent.objectName() == "pathway-canvas"):
                seen["drawn"] = True
                QTimer.singleShot(0, done)
        return False
def done():
    w = window()
    seen["finished"] = {
        "title": w.document.pathway.title, "path": str(w.document.path),
        "status": w.statusBar().currentMessage(),
        "menus": [a.text() for a in w.menuBar().actions()],
        "file_menu": [a.text() for a in w.menu_file.actions()]}
    print(json.dumps(seen), flush=True)
    w.document.close()
    app.quit()
watch = Watch()
app.installEventFilter(watch)
QTimer.singleShot(60_000, app.quit)
from designer.cli import main
main(["open", *sys.argv[1:]])
"""


def _geometry(window) -> list:
    parts = window.findChildren(QDockWidget) + window.findChildren(QToolBar)
    return sorted((p.objectName(), p.geometry().getRect()) for p in parts if p.isVisible()
                  and p.objectName() in ("palette-dock", "properties-dock",
                                         "findings-dock", "timeline-dock")) + [
        ("canvas", window.centralWidget().geometry().getRect())]


def test_the_frame_is_painted_before_the_model_is_imported(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run([sys.executable, "-c", WATCH, str(EXEMPLAR)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stderr[-3000:]
    seen = json.loads(lines[-1])
    first = seen["first"]
    assert not first["model"] and not first["pydantic"] and not first["panels"]
    assert first["status"] == "Opening eras-plus-colorectal.yaml…"
    assert first["menus"] == ["&File", "&Edit", "&View", "&Tools", "&Workshop",
                              "&Simulation", "&Help"]
    finished = seen["finished"]
    assert finished["title"] == "ERAS+ major colorectal cancer surgery"
    assert finished["path"] == str(EXEMPLAR)
    assert finished["status"] == ""            # "Opening …" is gone
    assert finished["menus"] == first["menus"]  # the same menu bar, now working
    assert "&Open…" in finished["file_menu"]


def test_the_finished_frame_is_the_usual_window_in_the_same_places(qtbot, settings):
    from designer.ui.editing.document import Document

    usual = MainWindow(Document.open(EXEMPLAR), settings=settings)
    qtbot.addWidget(usual)
    usual.show()
    qtbot.waitExposed(usual)
    expected = _geometry(usual)
    usual.document.close()

    frame = MainWindow(opening="eras-plus-colorectal.yaml", settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    assert not frame.ready
    assert _geometry(frame) == expected        # the panels' frames where they will be
    frame.finish_opening(Document.open(EXEMPLAR))
    qtbot.wait(50)
    assert frame.ready
    assert _geometry(frame) == expected
    assert frame.findChild(QDockWidget, "palette-dock").widget() is not None
    assert not [w for w in frame.findChildren(QDockWidget) if not w.objectName()
                and w.isVisible()]             # no placeholder left on screen
    assert frame.statusBar().currentMessage() == ""
    assert frame.document.pathway.title == "ERAS+ major colorectal cancer surgery"
    assert frame.windowTitle().startswith("eras-plus-colorectal.yaml")
    frame.document.close()


def test_closing_the_frame_before_it_is_finished_just_closes(qtbot, settings):
    frame = MainWindow(opening="x.yaml", settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    assert frame.close()
    app_module._finish_start(frame, None)       # a late call changes nothing
    assert not frame.ready


def _orphan(recovery_id: str, text: str, title: str) -> None:
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{recovery_id}.yaml").write_text(text, encoding="utf-8")
    (folder / f"{recovery_id}.json").write_text(
        json.dumps({"pid": 2 ** 22 + 12345, "title": title, "saved_at": 1.0}),
        encoding="utf-8")


def test_start_up_offers_unsaved_work_over_the_frame(qtbot, settings):
    _orphan("crashed", "format: periop-pathway/1\nid: hip\ntitle: Hip unsaved\n",
            "Hip unsaved")
    frame = MainWindow(opening="", settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    seen = []
    click_modal_button("Restore", seen=seen)
    app_module._finish_start(frame, None)
    assert seen == ["Restore unsaved work?"]
    assert frame.ready and frame.document.pathway.title == "Hip unsaved"
    frame.document._forced_dirty = False
    frame.document.undo_stack.setClean()
    frame.document.close()


def test_a_file_that_cannot_be_opened_is_explained_and_a_new_pathway_opens(
        qtbot, settings, tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("format: periop-pathway/1\nid: [unclosed\n", encoding="utf-8")
    frame = MainWindow(opening=bad.name, settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    seen = []
    click_modal_button("OK", seen=seen)
    app_module._finish_start(frame, str(bad))
    assert seen == ["Cannot open pathway"]
    assert frame.ready and frame.document.path is None
    frame.document.close()


def test_high_contrast_is_in_force_from_the_first_frame(qtbot, settings):
    from PySide6.QtGui import QPalette

    from designer.ui.editing.document import Document

    settings.setValue("view/high_contrast", True)
    frame = MainWindow(opening="eras-plus-colorectal.yaml", settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    first = frame.grab().toImage()
    # the canvas area and the menu bar already light-on-black, as the editor will be
    centre = frame.centralWidget().geometry().center()
    assert first.pixelColor(centre).lightness() < 30
    assert frame.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    frame.finish_opening(Document.open(EXEMPLAR))
    assert frame.palette().color(QPalette.ColorRole.Window).name() == "#000000"
    assert frame.extension("contrast").on
    frame.document.close()
