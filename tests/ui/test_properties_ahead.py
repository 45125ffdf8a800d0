"""The Properties panel builds its step page ahead, while the window is idle.

Building the step page is the costliest part of the first selection of a step (and
adding a step selects it), so it is built once the pathway has been drawn, in a turn
of its own; the first selection then only fills it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from designer.ui.panels.properties import pages, panel
from window_support import make_window, sample_file, settings  # noqa: F401 (fixtures)


def test_the_step_page_is_ready_before_the_first_selection_and_not_built_again(
        make_window, sample_file, qtbot, monkeypatch):
    built = []

    class CountedStepPage(pages.StepPage):
        def __init__(self, context) -> None:
            built.append(self)
            super().__init__(context)

    monkeypatch.setattr(panel, "StepPage", CountedStepPage)
    monkeypatch.setattr(panel, "_AHEAD", (CountedStepPage, *panel._AHEAD[1:]))
    window = make_window(path=sample_file)
    dock = window.properties_dock
    # nothing selected: the pathway page shows, and the step page is built while idle
    qtbot.waitUntil(lambda: len(built) == 1)
    assert dock.current_page is dock.pathway_page
    qtbot.waitUntil(lambda: not dock._ahead)      # the other pages too, one per turn
    assert {type(p) for p in dock._pages()} >= {CountedStepPage, pages.TransitionPage,
                                                 pages.LanePage}

    window.scene.select_ids(["prehab"])
    qtbot.waitUntil(lambda: dock.current_page is built[0])
    assert len(built) == 1                         # the first selection built nothing
    page = built[0]
    step = window.document.pathway.step("prehab")
    assert page.key == "prehab"
    assert page.name.widget.text() == step.name

    # and it edits as before: one undo step, undone back to the model's value
    before = step.name
    field = page.name.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "Prehab in the community")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert window.document.pathway.step("prehab").name == "Prehab in the community"
    window.document.undo_stack.undo()
    assert window.document.pathway.step("prehab").name == before
    qtbot.waitUntil(lambda: field.text() == before)
