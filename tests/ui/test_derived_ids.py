"""Ids that follow names (issue 15): a retitled new pathway and a named new step.

Before: the id stayed ``new-pathway`` after retitling (exports went out as
``new-pathway.pdf``) and keyboard-added steps kept ``new-step-2``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from designer.graph.blank import blank_pathway
from designer.graph.io import save_pathway
from designer.graph.model import Status
from window_support import make_window, sample_file, settings  # noqa: F401 (fixtures)


def _pathway_page(window, qtbot):
    window.scene.select_ids([])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.pathway_page)
    return dock.pathway_page


def test_typing_a_new_pathways_title_carries_the_id_in_one_undo_step(make_window, qtbot):
    window = make_window()
    pathway = window.document.pathway
    assert pathway.id == "new-pathway"
    page = _pathway_page(window, qtbot)
    title = page.title_field.widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "ERAS+ colorectal")
    assert pathway.title == "ERAS+ colorectal"
    assert pathway.id == "eras-plus-colorectal"
    assert page.id_field.widget.text() == "eras-plus-colorectal"
    assert window.document.undo_stack.count() == 1
    qtbot.keyClick(title, Qt.Key.Key_Tab)

    from designer.export import default_file_name
    assert default_file_name(pathway, "spec-pdf") == "eras-plus-colorectal-specification.pdf"

    window.document.undo_stack.undo()
    assert (pathway.title, pathway.id) == ("New perioperative pathway", "new-pathway")


def test_an_id_typed_by_hand_stays_when_the_title_changes(make_window, qtbot):
    window = make_window()
    pathway = window.document.pathway
    page = _pathway_page(window, qtbot)
    field = page.id_field.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "hip-gm")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    title = page.title_field.widget
    title.setFocus()
    title.selectAll()
    qtbot.keyClicks(title, "Hip replacement")
    assert (pathway.title, pathway.id) == ("Hip replacement", "hip-gm")
    assert not page.id_offer.isVisible()


def test_a_left_over_id_is_offered_from_the_title_by_a_button(make_window, qtbot, tmp_path):
    old = blank_pathway()
    old.title = "Hip replacement"
    old.status = Status.approved
    path = tmp_path / "old.yaml"
    save_pathway(old, path)
    window = make_window(path=path)
    pathway = window.document.pathway
    page = _pathway_page(window, qtbot)
    button = page.id_offer
    qtbot.waitUntil(button.isVisible)
    assert "hip-replacement" in button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert pathway.id == "hip-replacement"
    assert window.document.undo_stack.count() == 1
    qtbot.waitUntil(lambda: not button.isVisible())
    window.document.undo_stack.undo()
    assert pathway.id == "new-pathway"


def test_exports_of_a_retitled_pathway_still_called_new_pathway_take_the_title():
    from designer.export import default_file_name

    pathway = blank_pathway()
    pathway.title = "Hip replacement"
    assert default_file_name(pathway, "spec-pdf") == "hip-replacement-specification.pdf"


def test_a_keyboard_added_step_takes_its_id_from_the_name_it_is_given(make_window, qtbot):
    import test_keyboard_authoring as keys

    window = make_window()
    keys._WINDOWS[:] = [window]
    pathway = window.document.pathway
    stack = window.document.undo_stack
    window.view.setFocus()
    qtbot.waitUntil(lambda: keys.focus() is window.view)

    keys.add_step(window, Qt.Key.Key_T, "Preoperative assessment")
    assert [s.id for s in pathway.steps if s.name == "Preoperative assessment"] == [
        "preoperative-assessment"]
    assert stack.count() == 2             # add, then name (id and name together)
    keys.add_step(window, Qt.Key.Key_T, "Preoperative assessment")
    assert sorted(s.id for s in pathway.steps if s.name == "Preoperative assessment") == [
        "preoperative-assessment", "preoperative-assessment-2"]
    assert pathway.step("new-step") is None

    stack.undo()                           # one undo takes back the name and the id
    assert pathway.step("new-step") is not None
    assert pathway.step("new-step").name == "New step"
    assert pathway.step("preoperative-assessment-2") is None
    stack.redo()
    assert pathway.step("preoperative-assessment-2").name == "Preoperative assessment"

    # once named, the id stays when the step is renamed (files and notes may use it)
    keys.find_and_select(window, "Preoperative")
    selected = window.scene.selected_ids()[0]
    keys.press(Qt.Key.Key_F2)
    keys.type_text("Pre-op clinic")
    keys.press(Qt.Key.Key_Return)
    assert pathway.step(selected).name == "Pre-op clinic"
    assert pathway.step("pre-op-clinic") is None


def _highlighted(dock):
    return [dock.model.step_id(i.row()) for i in dock.table.selectionModel().selectedRows()]


def test_a_pasted_step_is_named_apart_and_its_timeline_row_is_highlighted(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.timeline_dock
    qtbot.waitUntil(lambda: dock.model.rowCount() == 9)
    pathway = window.document.pathway
    from canvas_support import view_point
    item = window.scene.item_for("prehab")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=view_point(window.view, item.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: _highlighted(dock) == ["prehab"])
    ctrl = Qt.KeyboardModifier.ControlModifier
    qtbot.keyClick(window.view, Qt.Key.Key_C, ctrl)
    qtbot.keyClick(window.view, Qt.Key.Key_V, ctrl)
    (pasted,) = window.scene.selected_ids()
    assert pasted != "prehab"
    assert pathway.step(pasted).name == "Prehabilitation programme (copy)"
    # never the original's row while the copy's row is being worked out
    assert "prehab" not in _highlighted(dock)
    qtbot.waitUntil(lambda: dock.model.rowCount() == 10)
    qtbot.waitUntil(lambda: _highlighted(dock) == [pasted])
    names = [dock.model.index(r, 2).data() for r in range(dock.model.rowCount())]
    assert names.count("Prehabilitation programme") == 1

    qtbot.keyClick(window.view, Qt.Key.Key_D, ctrl)     # a copy of the copy
    (third,) = window.scene.selected_ids()
    assert pathway.step(third).name == "Prehabilitation programme (copy 2)"
    assert third == "prehab-3"
    qtbot.waitUntil(lambda: _highlighted(dock) == [third])


def test_naming_a_new_step_in_the_properties_panel_carries_its_id(make_window, qtbot):
    import test_keyboard_authoring as keys

    window = make_window()
    keys._WINDOWS[:] = [window]
    pathway = window.document.pathway
    stack = window.document.undo_stack
    window.view.setFocus()
    qtbot.waitUntil(lambda: keys.focus() is window.view)
    keys.add_step(window, Qt.Key.Key_T, "New step")    # keeps the name it was given
    assert pathway.step("new-step") is not None
    count = stack.count()

    keys.press(Qt.Key.Key_Return)                       # to the Properties panel
    page = window.properties_dock.step_page
    field = page.name.widget
    qtbot.waitUntil(lambda: keys.focus() is field)
    field.selectAll()
    keys.type_text("Anaesthetic review")
    keys.press(Qt.Key.Key_Tab)                          # leaving the field
    assert pathway.step("new-step") is None
    assert pathway.step("anaesthetic-review").name == "Anaesthetic review"
    assert page.step_id.widget.text() == "anaesthetic-review"
    assert stack.count() == count + 1                   # the typing and the id: one step

    stack.undo()
    assert pathway.step("new-step").name == "New step"
    stack.redo()
    assert pathway.step("anaesthetic-review").name == "Anaesthetic review"

    # typed again later: the id made from a real name stays
    field.setFocus()
    field.selectAll()
    keys.type_text("Anaesthetic clinic")
    keys.press(Qt.Key.Key_Tab)
    assert pathway.step("anaesthetic-review").name == "Anaesthetic clinic"
