"""The Timeline panel: expected days, T-minus/T-plus, total, critical path on the canvas."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from window_support import (  # noqa: F401 (fixtures)
    make_window, sample_file, settings,
)


def _column(table, column):
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def test_rows_follow_expected_days_relative_to_surgery(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.timeline_dock
    qtbot.waitUntil(lambda: dock.table.model().rowCount() == 9)
    days = [float(d) for d in _column(dock.table, 0)]
    assert days == sorted(days)
    names = _column(dock.table, 2)
    relative = dict(zip(names, _column(dock.table, 1)))
    assert relative["Surgery"] == "T0"
    assert relative["Referral for surgical opinion"] == "T-42"  # 14 days' wait + 28 of prehab
    assert relative["Recovered at home"] == "T0"  # no durations after surgery in the sample
    assert "About 42 days" in dock.total_label.text()


def test_timeline_follows_edits(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.timeline_dock
    from designer.ui.commands import UpdateStepCommand

    window.push(UpdateStepCommand, "prehab", {"duration_days": 42})
    qtbot.waitUntil(lambda: "About 56 days" in dock.total_label.text())


def test_critical_path_toggle_highlights_the_route_on_the_canvas(make_window, sample_file,
                                                                qtbot):
    window = make_window(path=sample_file)
    dock = window.timeline_dock
    qtbot.waitUntil(lambda: dock.timeline is not None)
    critical = dock.timeline.critical_path
    assert critical[0] == "referral" and "prehab" in critical
    qtbot.mouseClick(dock.critical_path_button, Qt.MouseButton.LeftButton)
    assert dock.critical_path_action.isChecked()
    assert all(window.scene.item_for(s).critical for s in critical)
    assert not window.scene.item_for("preassess").critical
    qtbot.mouseClick(dock.critical_path_button, Qt.MouseButton.LeftButton)
    assert not any(window.scene.item_for(s).critical for s in critical)


def test_clicking_a_row_selects_and_centres_the_step(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    dock = window.timeline_dock
    qtbot.waitUntil(lambda: dock.table.model().rowCount() == 9)
    row = _column(dock.table, 2).index("Discharge home")
    rect = dock.table.visualRect(dock.table.model().index(row, 2))
    QTest.mouseClick(dock.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.scene.selected_ids() == ["discharge"]
    visible = window.view.mapToScene(window.view.viewport().rect()).boundingRect()
    assert visible.contains(window.scene.item_for("discharge").sceneBoundingRect().center())


def test_optimisation_loop_steps_say_if_needed_not_a_date(make_window, qtbot):
    from pathlib import Path

    library = Path(__file__).resolve().parents[2] / "pathway_library"
    window = make_window(path=library / "diabetes-preop-clinic.yaml")
    dock = window.timeline_dock
    qtbot.waitUntil(lambda: dock.table.model().rowCount() > 0)
    rows = dict(zip(_column(dock.table, 2), _column(dock.table, 1)))
    loop = next(name for name in rows if name.startswith("GP diabetes optimisation"))
    assert rows[loop] == "if needed" and "loops back, adds about" in loop
    assert rows["Surgery"] == "T0"
