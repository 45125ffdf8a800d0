"""The Business case part of the Pathway page: edits are undoable; refusals name the field."""

from __future__ import annotations

from PySide6.QtCore import Qt

from window_support import make_window, sample_file, settings  # noqa: F401 (fixtures)


def _pathway_page(window, qtbot):
    window.scene.clearSelection()
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.pathway_page)
    return dock.pathway_page.business_case


def test_typing_the_sponsor_is_one_undo_step(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    box = _pathway_page(window, qtbot)
    assert window.document.pathway.business_case is None
    field = box.sponsor.widget
    field.setFocus()
    qtbot.keyClicks(field, "Medical director")
    assert window.document.pathway.business_case.sponsor == "Medical director"
    assert window.document.undo_stack.count() == 1
    window.document.undo_stack.undo()
    assert window.document.pathway.business_case is None
    assert field.text() == ""
    window.document.undo_stack.redo()
    assert field.text() == "Medical director"


def test_a_fourth_recommendation_line_is_refused(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    box = _pathway_page(window, qtbot)
    box.recommendation.widget.setPlainText("one\ntwo\nthree")
    assert window.document.pathway.business_case.recommendation == "one\ntwo\nthree"
    box.recommendation.widget.setPlainText("one\ntwo\nthree\nfour")
    assert "at most 3" in box.recommendation.error.text()
    assert window.document.pathway.business_case.recommendation == "one\ntwo\nthree"


def test_risks_table_add_edit_refuse_and_undo(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    box = _pathway_page(window, qtbot)
    table = box.tables["risks"]
    qtbot.mouseClick(table.add_button, Qt.MouseButton.LeftButton)
    case = window.document.pathway.business_case
    assert [r.risk for r in case.risks] == ["New risk"]
    assert table.table.rowCount() == 1
    # clearing the owner is refused, naming the field; the model and table keep it
    table.table.item(0, 1).setText("")
    assert "business_case.risks[0].owner" in table.error.text()
    assert window.document.pathway.business_case.risks[0].owner == "Owner"
    assert table.table.item(0, 1).text() == "Owner"
    table.table.item(0, 1).setText("Chief operating officer")
    assert window.document.pathway.business_case.risks[0].owner == "Chief operating officer"
    assert not table.error.isVisible()
    window.document.undo_stack.undo()
    assert window.document.pathway.business_case.risks[0].owner == "Owner"
    assert table.table.item(0, 1).text() == "Owner"
    window.document.undo_stack.undo()
    assert window.document.pathway.business_case is None
    assert table.table.rowCount() == 0
