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
