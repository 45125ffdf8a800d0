"""The side-by-side clinical diff: highlights, table, centring, spec appendix, exemplar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from designer.graph.io import save_pathway
from designer.graph.model import DerivedFrom, Step
from designer.ui.workshop.diff_view import MARK_COLOURS, DiffWindow

from workshop_sample import close_window, make_pathway, open_window, settle


def trust_version():
    """'This pathway': optimisation loop dropped, SDM added, owner and threshold changed."""
    p = make_pathway(version="1.1.0")
    p.remove_transition("optimise->pac")
    p.remove_transition("check->optimise")
    p.remove_step("optimise")
    p.add_step(Step(id="sdm", name="Shared decision making", setting="hospital",
                    owner="surgeon"))
    p.update_step("pac", owner="surgeon")
    p.update_transition("check->surgery", condition="HbA1c < 64 mmol/mol")
    return p


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path, trust_version())
    yield w
    close_window(w)


def pen_colour(items):
    return {item.pen().color().name() for item in items if hasattr(item, "pen")}


def test_compare_with_file_highlights_the_known_differences(window, qtbot, tmp_path,
                                                              monkeypatch):
    reference = tmp_path / "exemplar.yaml"
    save_pathway(make_pathway(), reference)
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *a, **k: (str(reference), "Pathway files (*.yaml *.yml)"))
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_D,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = window.workshop.diff_window
    assert isinstance(dialog, DiffWindow)
    qtbot.waitExposed(dialog)
    settle(qtbot)
    left, right = dialog.left, dialog.right
    # removed on the left (red), added and changed on the right (green, amber)
    assert left.marks == {"optimise": "removed", "check->optimise": "removed",
                          "optimise->pac": "removed", "pac": "changed",
                          "check->surgery": "changed"}
    assert right.marks == {"sdm": "added", "pac": "changed", "check->surgery": "changed"}
    assert pen_colour(left.mark_items["optimise"]) >= {MARK_COLOURS["removed"]}
    assert pen_colour(right.mark_items["sdm"]) >= {MARK_COLOURS["added"]}
    assert pen_colour(right.mark_items["pac"]) >= {MARK_COLOURS["changed"]}
    # each ring surrounds its step on that side's canvas
    ring = right.mark_items["sdm"][0].sceneBoundingRect()
    assert ring.contains(right.scene.item_for("sdm").sceneBoundingRect().center())
    assert right.scene.item_for("optimise") is None
    # the canvases are copies: nothing there can edit the open pathway
    assert right.pathway is not window.document.pathway
    assert not right.view.isInteractive()

    table = dialog.table
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    assert ["changed", "Preoperative assessment", "owner", "Preassessment nurse",
            "Surgeon"] in rows
    assert ["added", "Shared decision making", "", "", "Shared decision making"] in rows
    assert ["changed", "HbA1c check → Surgery", "HbA1c < threshold", "69", "64"] in rows
    assert ["removed", "GP optimisation", "", "GP optimisation", ""] in rows
    assert "Header field" not in dialog.summary.text()
    assert dialog.summary.text().startswith("1 step added, 1 removed, 1 changed")

    # choosing a row centres both canvases on it
    removed = next(r for r, row in enumerate(rows) if row[1] == "GP optimisation")
    left.view.centerOn(0, 0)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualItemRect(table.item(removed, 1)).center())
    centre = left.view.mapToScene(left.view.viewport().rect().center())
    target = left.scene.item_for("optimise").sceneBoundingRect().center()
    assert abs(centre.x() - target.x()) < 40 or not left.view.horizontalScrollBar().maximum()

    # the two canvases can sit side by side instead of one above the other
    qtbot.mouseClick(dialog.layout_button, Qt.MouseButton.LeftButton)
    assert dialog.canvases.orientation() == Qt.Orientation.Horizontal
    qtbot.mouseClick(dialog.layout_button, Qt.MouseButton.LeftButton)
    assert dialog.canvases.orientation() == Qt.Orientation.Vertical

    # Add to board specification: the appendix lists the differences
    out = tmp_path / "spec.md"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(out), "Markdown (*.md)"))
    qtbot.mouseClick(dialog.spec_button, Qt.MouseButton.LeftButton)
    text = out.read_text(encoding="utf-8")
    assert "GP optimisation" in text and "Preassessment nurse" in text
    owner_rows = [line for line in text.splitlines()
                  if "Preoperative assessment" in line and "owner" in line]
    assert owner_rows and "Preassessment nurse" in owner_rows[0] and "Surgeon" in owner_rows[0]
    dialog.close()


def test_compare_with_exemplar_uses_the_library_copy(qtbot, tmp_path):
    from designer.library import Library

    library = Library()
    pathway = library.new_from_template("eras-plus-colorectal")
    first = pathway.steps[1]
    pathway.update_step(first.id, duration_days=(first.duration_days or 0) + 7)
    window = open_window(qtbot, tmp_path, pathway)
    try:
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_D,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        dialog = window.workshop.diff_window
        assert isinstance(dialog, DiffWindow)
        assert "library exemplar" in dialog.windowTitle()
        assert dialog.right.marks == {first.id: "changed"}
        fields = {c.field for c in dialog.diff.changes if c.area == "step"}
        assert fields == {"duration_days"}
        dialog.close()
    finally:
        close_window(window)


def test_compare_with_exemplar_without_derived_from_explains(window, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    said = []
    monkeypatch.setattr(QMessageBox, "information",
                        lambda parent, title, text: said.append((title, text)))
    assert window.workshop.compare_with_exemplar() is None
    assert said and "not made from a library exemplar" in said[0][1]
    window.document.undo_stack.push(__import__(
        "designer.ui.commands", fromlist=["UpdateHeaderCommand"]).UpdateHeaderCommand(
        window.document.pathway, derived_from=DerivedFrom(id="no-such-thing", version="1")))
    assert window.workshop.compare_with_exemplar() is None
    assert "not in the library" in said[-1][1]


def test_identical_pathways_say_so(window, qtbot, tmp_path):
    same = tmp_path / "same.yaml"
    save_pathway(window.document.pathway, same)
    dialog = window.workshop.compare_with_file(str(same))
    qtbot.waitExposed(dialog)
    assert dialog.summary.text() == "No clinical differences."
    assert dialog.table.rowCount() == 0
    assert dialog.left.marks == {} and dialog.right.marks == {}
    dialog.close()


def test_unreadable_file_gives_a_message_not_a_traceback(window, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    bad = tmp_path / "bad.yaml"
    bad.write_text("format: periop-pathway/1\nsteps: [\n", encoding="utf-8")
    said = []
    monkeypatch.setattr(QMessageBox, "warning",
                        lambda parent, title, text: said.append((title, text)))
    assert window.workshop.compare_with_file(str(bad)) is None
    assert said and said[0][0] == "Cannot compare" and "bad.yaml" in said[0][1]
