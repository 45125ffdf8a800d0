"""Defects 3 and 5 of issue 15: small things a mature editor gets right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from workshop_sample import make_pathway


def test_a_new_priority_owner_confirmed_with_enter_is_kept(qtbot):
    from designer.ui.workshop.priorities import PriorityDialog

    dialog = PriorityDialog(None, make_pathway())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title_edit, "Phone every patient")
    line = dialog.owner_box.lineEdit()
    line.setFocus()
    qtbot.keyClicks(line, "Diabetes specialist nurse")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert dialog.values()["owner"] == "Diabetes specialist nurse"
    # a known role typed in full is still stored by its id
    line.selectAll()
    qtbot.keyClicks(line, "General practitioner")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    assert dialog.values()["owner"] == "gp"


def test_the_priority_dialog_shows_no_literal_ampersand(qtbot):
    from designer.ui.workshop.priorities import PriorityDialog

    dialog = PriorityDialog(None, make_pathway())
    qtbot.addWidget(dialog)
    for label in dialog.findChildren(QLabel):
        if "&" in label.text():
            assert label.buddy() is not None, label.text()


# --------------------------------------------------------------- the main window

from window_support import make_window, sample_file, settings  # noqa: E402,F401 (fixtures)


def _rename_surgery(window, text):
    from designer.ui.commands import UpdateStepCommand

    window.push(UpdateStepCommand, "surgery", name=text)


def test_ctrl_y_redoes(make_window, sample_file, qtbot, monkeypatch):
    from PySide6.QtGui import QKeySequence

    real = QKeySequence.keyBindings

    def gnome_keys(key):      # GNOME and KDE bind Redo to Ctrl+Shift+Z only
        if key == QKeySequence.StandardKey.Redo:
            return [QKeySequence("Ctrl+Shift+Z")]
        return real(key)
    monkeypatch.setattr(QKeySequence, "keyBindings", gnome_keys)
    window = make_window(path=sample_file)
    _rename_surgery(window, "Surgery (open)")
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.pathway.step("surgery").name == "Surgery"
    qtbot.keyClick(window.view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.document.pathway.step("surgery").name == "Surgery (open)"


def test_toolbar_buttons_stay_put_as_the_undo_text_changes(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    bar = window.toolbar
    layout_button = bar.widgetForAction(window.act.auto_layout)
    before = layout_button.pos()
    _rename_surgery(window, "Surgery with a much longer name than before, to be sure")
    qtbot.wait(50)
    assert window.act.undo.text().startswith("&Undo ") or "Undo" in window.act.undo.text()
    assert layout_button.pos() == before


def test_a_refusal_is_said_once_and_goes_when_fixed(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["surgery"])
    page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page)
    field = page.name
    box = field.widget
    box.setFocus()
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Delete)          # a step needs a name: refused
    assert field.error.text()
    qtbot.keyClick(box, Qt.Key.Key_Return)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    field.settle()
    assert field.error.text().count("Not changed") <= 1
    assert box.text() == "Surgery"
    box.selectAll()
    qtbot.keyClicks(box, "Open surgery")
    assert not field.error.text() and field.error.isHidden()
    assert window.document.pathway.step("surgery").name == "Open surgery"


def test_f1_lists_canvas_and_workshop_keys(make_window):
    from designer.ui.window.shortcuts import shortcut_rows

    window = make_window()
    groups = dict(shortcut_rows(window))
    assert "Workshop" in groups and "Canvas" in groups
    workshop = dict(groups["Workshop"])
    assert workshop["Present Pathway"] == "F11"
    canvas_text = " ".join(what for what, _ in groups["Canvas"])
    for word in ("context menu", "Connect", "Rename", "lane above"):
        assert word in canvas_text
    assert "Ctrl+Y" in dict(groups["Edit"])["Redo"]


def test_fit_is_readable_and_keeps_lane_names_in_view(make_window, qtbot):
    from pathlib import Path

    eras = Path(__file__).resolve().parents[2] / "pathway_library" / "eras-plus-colorectal.yaml"
    window = make_window(path=eras)
    window.view.zoom_reset()
    window.act.fit_all.trigger()
    assert window.view.zoom() >= 0.6
    left = window.view.mapToScene(0, 0).x()
    for lane in window.scene._lanes.values():
        assert lane.header.x() == max(0.0, left)
    window.act.fit_whole.trigger()
    assert window.view.zoom() < 0.6          # the whole of ERAS+ only fits small
