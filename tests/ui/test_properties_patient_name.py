"""The step's patient-facing name in the Properties panel: typed, applied, undone."""

from __future__ import annotations

from window_support import make_window, sample_file, settings  # noqa: F401 (fixtures)


def test_patient_name_is_edited_and_undone(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["surgery"])
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.current_page is dock.step_page
                    and dock.step_page.key == "surgery")
    page = dock.step_page
    edit = page.patient_name.widget
    assert edit.text() == ""
    assert edit.placeholderText() == "Same as the name"
    edit.setFocus()
    qtbot.keyClicks(edit, "Your operation")
    qtbot.keyClick(edit, "\t")
    pathway = window.document.pathway
    assert pathway.step("surgery").patient_name == "Your operation"
    window.document.undo_stack.undo()
    assert pathway.step("surgery").patient_name is None
    assert edit.text() == ""
