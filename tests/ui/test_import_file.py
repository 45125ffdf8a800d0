"""File > Import…: a BPMN or FHIR file becomes a new untitled pathway with its report."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from designer.ui.window.import_file import import_into_window
from designer.ui.window.main_window import MainWindow

DATA = Path(__file__).resolve().parents[1] / "data" / "import"


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_menu_item_sits_below_open(window):
    actions = window.menu_file.actions()
    assert actions[actions.index(window.act.open) + 1] is window.extension("import").action


def test_bpmn_import_shows_the_pathway_and_the_report(window, qtbot):
    assert import_into_window(window, DATA / "clinic.bpmn")
    doc = window.document
    assert doc.path is None and len(doc.pathway.steps) == 11
    assert all(s.position is not None for s in doc.pathway.steps)     # placed on the canvas
    report = window.extension("import").report
    qtbot.waitExposed(report)
    text = report.text.toPlainText()
    assert "parallelGateway (bypassed)" in text and "What to complete" in text
    assert "Imported clinic.bpmn" in window.statusBar().currentMessage()
    window.document.undo_stack.setClean()      # nothing to ask about when the test closes


def test_fhir_import(window):
    assert import_into_window(window, DATA / "plan-bundle.json")
    assert window.document.pathway.title.startswith("Hip replacement")


def test_refused_file_is_explained_and_the_pathway_kept(window, qtbot, tmp_path):
    before = window.document.pathway
    bad = tmp_path / "bad.bpmn"
    bad.write_text("<definitions><process>", encoding="utf-8")
    assert not import_into_window(window, bad)
    box = window.extension("import").error
    qtbot.waitExposed(box)
    assert "not well-formed XML" in box.text() and box.text().startswith("Cannot import")
    box.accept()
    assert window.document.pathway is before
