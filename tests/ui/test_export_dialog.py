"""File > Export…: format chooser, folder, progress, result message, no overwrite."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow, QMessageBox

from designer.graph.model import Pathway
from designer.ui.window import export_dialog
from designer.ui.window.export_dialog import ExportDialog, install


def demo_pathway(name: str = "Operation") -> Pathway:
    return Pathway.model_validate({
        "id": "dialog-demo", "title": "Dialog demo",
        "settings": [{"id": "gp", "name": "GP practice", "kind": "primary"},
                     {"id": "hospital", "name": "Hospital", "kind": "secondary"}],
        "roles": [{"id": "gp", "name": "General practitioner"}],
        "steps": [
            {"id": "start", "name": "Referral", "kind": "entry", "setting": "gp",
             "owner": "gp", "position": [260, 70]},
            {"id": "op", "name": name, "setting": "hospital", "position": [470, 70]},
            {"id": "end", "name": "Home", "kind": "exit", "setting": "gp",
             "position": [680, 70]},
        ],
        "transitions": [{"from": "start", "to": "op"}, {"from": "op", "to": "end"}],
    })


class _StandIn(QMainWindow):
    """Keeps the extension install() returns, as the main window does."""

    export_ext = None

    @property
    def export_action(self):
        return self.export_ext.action

    @property
    def export_dialog(self):
        return self.export_ext.dialog


@pytest.fixture
def window(qtbot, tmp_path):
    """A stand-in main window with the attributes install() relies on."""
    win = _StandIn()
    win.menu_file = win.menuBar().addMenu("&File")
    win.file_extras_separator = win.menu_file.addSeparator()
    win.close_action = win.menu_file.addAction("Close")
    win.settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    pathway_path = tmp_path / "work" / "dialog-demo.yaml"
    pathway_path.parent.mkdir()
    pathway_path.write_text("placeholder: the pathway file\n", encoding="utf-8")
    win.document = SimpleNamespace(pathway=demo_pathway('A & B "quoted"'),
                                   path=pathway_path)
    win.findings_report = None
    win.pending_commits = []
    win.commit_pending_edits = lambda: win.pending_commits.append(True)
    qtbot.addWidget(win)
    win.export_ext = install(win)
    win.show()
    return win


def open_dialog(window, qtbot) -> ExportDialog:
    window.export_action.trigger()
    dialog = window.export_dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def tick_only(dialog: ExportDialog, qtbot, keys: list[str]) -> None:
    for key, check in dialog.checks.items():
        if check.isChecked() != (key in keys):
            qtbot.mouseClick(check, Qt.LeftButton, pos=_box_offset())


def _box_offset():
    from PySide6.QtCore import QPoint

    return QPoint(8, 8)        # on the tick box itself


def close_result(dialog: ExportDialog) -> QMessageBox:
    box = dialog.result_box
    assert box is not None and box.isVisible()
    return box


def test_menu_entry_sits_above_close(window):
    actions = window.menu_file.actions()
    assert actions.index(window.export_action) < actions.index(window.close_action)
    assert window.export_action.text() == "&Export…"


def test_exports_chosen_formats_into_the_pathway_folder(window, qtbot):
    dialog = open_dialog(window, qtbot)
    assert dialog.folder_edit.text() == str(window.document.path.parent)
    tick_only(dialog, qtbot, ["fhir", "bpmn", "svg"])
    assert dialog.selected_formats() == ["fhir", "bpmn", "svg"]
    assert "dialog-demo.bpmn" in dialog.names_label.text()
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    result = dialog.last_result
    assert [p.name for p in result.written] == [
        "dialog-demo-plandefinition.fhir.json", "dialog-demo.bpmn", "dialog-demo-diagram.svg"]
    folder = window.document.path.parent
    plan = json.loads((folder / "dialog-demo-plandefinition.fhir.json").read_text("utf-8"))
    assert plan["action"][1]["title"] == 'A & B "quoted"'     # unsaved name on screen
    box = close_result(dialog)
    assert "3 files written" in box.text()
    assert "dialog-demo.bpmn" in box.informativeText()
    assert not dialog.isVisible()                              # closed on success
    box.close()
    # the choice is remembered for next time
    assert window.settings.value(export_dialog.SETTINGS_FORMATS) == ["fhir", "bpmn", "svg"]


def test_open_folder_button_opens_the_output_folder(window, qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(export_dialog.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    dialog = open_dialog(window, qtbot)
    tick_only(dialog, qtbot, ["graphml"])
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    box = close_result(dialog)
    button = box.findChild(type(dialog.export_button), "open-folder")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert opened == [str(window.document.path.parent)]


def test_export_button_disabled_without_a_format(window, qtbot):
    dialog = open_dialog(window, qtbot)
    tick_only(dialog, qtbot, [])
    assert not dialog.export_button.isEnabled()
    assert "Choose at least one format" in dialog.names_label.text()
    assert not dialog.large_print.isEnabled()
    tick_only(dialog, qtbot, ["school-html"])
    assert dialog.large_print.isEnabled()


def test_failures_are_messages_and_the_pathway_file_is_never_overwritten(
        window, qtbot, monkeypatch):
    # a pathway file that happens to have the BPMN export's name
    doc = window.document
    sneaky = doc.path.parent / "dialog-demo.bpmn"
    sneaky.write_text("the pathway\n", encoding="utf-8")
    doc.path = sneaky
    import designer.export.interop.graphml as graphml

    monkeypatch.setattr(graphml, "export_graphml",
                        lambda *a, **k: (_ for _ in ()).throw(OSError("disk full")))
    dialog = open_dialog(window, qtbot)
    tick_only(dialog, qtbot, ["bpmn", "graphml", "fhir"])
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert sneaky.read_text(encoding="utf-8") == "the pathway\n"
    result = dialog.last_result
    assert [p.name for p in result.written] == ["dialog-demo-plandefinition.fhir.json"]
    assert len(result.errors) == 2
    box = close_result(dialog)
    assert box.icon() == QMessageBox.Warning
    text = box.informativeText()
    assert "pathway file itself" in text and "disk full" in text
    assert "Traceback" not in text
    assert dialog.isVisible()                    # stays open to try again
    box.close()


def test_school_reading_age_warnings_are_shown(window, qtbot, monkeypatch):
    calls = []

    def export_school(pathway, fmt, out_path, large_print=False):
        calls.append((fmt, large_print))
        Path(out_path).write_text("booklet", encoding="utf-8")
        return SimpleNamespace(warnings=["'Going home' reads at age 13"])

    fake = ModuleType("designer.export.school")
    fake.export_school = export_school
    monkeypatch.setitem(sys.modules, "designer.export.school", fake)
    dialog = open_dialog(window, qtbot)
    tick_only(dialog, qtbot, ["school-html"])
    qtbot.mouseClick(dialog.large_print, Qt.LeftButton, pos=_box_offset())
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert calls == [("html", True)]
    text = close_result(dialog).informativeText()
    assert "'Going home' reads at age 13" in text and "Reading age" in text
    assert text.count("'Going home' reads at age 13") == 1


def test_with_the_real_main_window(qtbot, tmp_path):
    from designer.ui.window.main_window import MainWindow

    win = MainWindow(settings=QSettings(str(tmp_path / "s.ini"), QSettings.IniFormat))
    qtbot.addWidget(win)
    assert win.export_action in win.menu_file.actions()
    win.export_action.trigger()
    assert win.export_dialog.isVisible()
    win.export_dialog.reject()


def test_library_folder_is_avoided_and_the_last_folder_remembered(window, qtbot, tmp_path,
                                                                  monkeypatch):
    import designer.library.index

    library = tmp_path / "pathway_library"
    library.mkdir()
    monkeypatch.setattr(designer.library.index, "builtin_folder", lambda: library.resolve())
    window.document.path = library / "exemplar.yaml"
    dialog = open_dialog(window, qtbot)
    assert Path(dialog.folder_edit.text()) != library
    out = tmp_path / "my exports"
    dialog.folder_edit.clear()
    qtbot.keyClicks(dialog.folder_edit, str(out))
    tick_only(dialog, qtbot, ["graphml"])
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    assert (out / "dialog-demo.graphml").exists()          # the folder was created
    dialog.result_box.close()
    window.export_action.trigger()
    assert window.export_dialog.folder_edit.text() == str(out)
    assert window.export_dialog.selected_formats() == ["graphml"]


def test_an_edit_still_being_typed_is_applied_before_exporting(window, qtbot):
    """File > Export first finishes the edit in the focused box (it would be left out)."""
    assert window.pending_commits == []
    dialog = open_dialog(window, qtbot)
    assert window.pending_commits == [True]
    dialog.close()


def test_open_folder_without_a_file_manager_says_where_the_files_are(window, qtbot,
                                                                     monkeypatch):
    monkeypatch.setattr(export_dialog.QDesktopServices, "openUrl", lambda url: False)
    dialog = open_dialog(window, qtbot)
    tick_only(dialog, qtbot, ["graphml"])
    qtbot.mouseClick(dialog.export_button, Qt.LeftButton)
    box = close_result(dialog)
    qtbot.mouseClick(box.findChild(type(dialog.export_button), "open-folder"), Qt.LeftButton)
    failed = dialog.folder_failed_box
    assert failed.isVisible()
    assert str(window.document.path.parent) in failed.informativeText()
    failed.close()
