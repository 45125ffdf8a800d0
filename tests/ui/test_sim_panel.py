"""The Simulation panel: inputs with undo and refusals, Run and Cancel, charts, overlay,
animation (designer/ui/sim)."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt

from designer.graph.io import save_pathway
from designer.graph.model import Pathway
from window_support import make_window, settings  # noqa: F401 (fixtures)


def _flow_pathway(**overrides) -> Pathway:
    """Referral, a clinic with 1 slot, a decision, surgery using a theatre, home."""
    data = {
        "format": "periop-pathway/1", "id": "sim-gui", "title": "Simulation panel test",
        "settings": [{"id": "hospital", "name": "Hospital", "kind": "secondary"}],
        "steps": [
            {"id": "in", "name": "Referral", "kind": "entry", "setting": "hospital",
             "duration_days": 0, "position": [100, 80]},
            {"id": "clinic", "name": "Clinic", "setting": "hospital", "activity": "preassessment",
             "capacity": 1, "duration": {"dist": "exponential", "mean": 0.5},
             "position": [300, 80]},
            {"id": "fit", "name": "Fit?", "kind": "decision", "setting": "hospital",
             "position": [500, 80]},
            {"id": "op", "name": "Operation", "setting": "hospital", "activity": "surgery",
             "uses": ["theatre"], "costs": [{"cost": "episode"}],
             "duration_days": 1, "position": [700, 80]},
            {"id": "out", "name": "Home", "kind": "exit", "setting": "hospital",
             "position": [900, 80]},
        ],
        "transitions": [
            {"from": "in", "to": "clinic"},
            {"from": "clinic", "to": "fit"},
            {"from": "fit", "to": "op", "probability": 0.9},
            {"from": "fit", "to": "out", "probability": 0.1},
            {"from": "op", "to": "out", "wait_days": 2},
        ],
        "flow": {"arrivals": {"per_week": 5}, "horizon_weeks": 20, "warmup_weeks": 4,
                 "replications": 3, "seed": 7, "currency": "GBP"},
        "resources": [{"id": "theatre", "name": "Theatre lists", "capacity": 2}],
        "cohorts": [{"id": "imd-1", "name": "Most deprived fifth", "share": 0.2},
                    {"id": "rest", "name": "Other four fifths", "share": 0.8}],
        "costs": [{"id": "episode", "name": "Inpatient episode", "amount": 3000,
                   "year": "2016/17"}],
        "scenarios": [
            {"id": "before", "name": "Before", "changes": [{"step": "op", "duration_days": 2}]},
            {"id": "after", "name": "After"},
        ],
    }
    data.update(overrides)
    return Pathway.model_validate(data)


@pytest.fixture
def sim_window(make_window, tmp_path):
    def make(**overrides):
        path = tmp_path / "flow.yaml"
        save_pathway(_flow_pathway(**overrides), str(path))
        window = make_window(path=path)
        dock = window.simulation.dock
        dock.workers = 1            # keep CI fast: replications in this process
        dock.show()
        dock.refresh_inputs()
        return window, dock
    return make


def _type(qtbot, field, text: str) -> None:
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)


def _run(qtbot, dock) -> None:
    assert dock.run()
    qtbot.waitUntil(lambda: not dock.running and dock.job is None, timeout=60_000)


def test_editing_arrivals_by_keyboard_undoes_and_redoes(sim_window, qtbot):
    window, dock = sim_window()
    field = dock.inputs.run_settings.per_week.widget
    _type(qtbot, field, "12.5")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    pathway = window.document.pathway
    assert pathway.flow.arrivals.per_week == 12.5
    assert window.document.undo_stack.count() == 1           # typing merged into one step
    window.act.undo.trigger()
    assert pathway.flow.arrivals.per_week == 5
    assert field.text() == "5"
    window.act.redo.trigger()
    assert pathway.flow.arrivals.per_week == 12.5 and field.text() == "12.5"


def test_arrivals_as_a_weekly_schedule(sim_window, qtbot):
    window, dock = sim_window()
    settings_ = dock.inputs.run_settings
    combo = settings_.arrivals_kind.widget
    flow = window.document.pathway.flow
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)             # "A weekly schedule"
    assert window.document.pathway.flow.arrivals.schedule == [(0, 5)]
    assert settings_.schedule.widget.isEnabled() and not settings_.per_week.widget.isEnabled()
    _type(qtbot, settings_.schedule.widget, "0: 5, 26: 8")
    qtbot.keyClick(settings_.schedule.widget, Qt.Key.Key_Tab)
    assert window.document.pathway.flow.arrivals.schedule == [(0, 5), (26, 8)]
    _type(qtbot, settings_.schedule.widget, "26: 8, 0: 5")   # weeks must rise: refused
    assert "rise" in settings_.schedule.error.text()
    qtbot.keyClick(settings_.schedule.widget, Qt.Key.Key_Tab)  # leaving: nothing changed
    assert window.document.pathway.flow.arrivals.schedule == [(0, 5), (26, 8)]
    assert settings_.schedule.widget.text() == "0: 5, 26: 8"
    while window.document.undo_stack.canUndo():
        window.document.undo_stack.undo()
    assert window.document.pathway.flow == flow


def test_editing_a_resource_capacity_undoes(sim_window, qtbot):
    window, dock = sim_window()
    resources = dock.inputs.resources
    assert resources.list.currentItem().text() == "Theatre lists: 2 at once"
    field = resources.capacity_field.widget
    _type(qtbot, field, "3")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert window.document.pathway.resource("theatre").capacity == 3
    qtbot.waitUntil(lambda: resources.list.item(0).text() == "Theatre lists: 3 at once")
    window.act.undo.trigger()
    assert window.document.pathway.resource("theatre").capacity == 2
    assert field.text() == "2"


def test_a_refused_value_is_explained_and_changes_nothing(sim_window, qtbot):
    window, dock = sim_window()
    before = window.document.pathway.model_dump()
    editor = dock.inputs.resources.capacity_field
    _type(qtbot, editor.widget, "0")
    assert editor.error.isVisible()
    assert editor.error.text() == "Capacity must be 1 or more."
    assert window.document.pathway.model_dump() == before
    assert window.document.undo_stack.count() == 0
    qtbot.keyClick(editor.widget, Qt.Key.Key_Tab)
    assert editor.widget.text() == "2"

    horizon = dock.inputs.run_settings.horizon
    _type(qtbot, horizon.widget, "soon")
    assert "Enter a number" in horizon.error.text()
    assert window.document.pathway.model_dump() == before


def test_a_scenario_change_is_added_and_a_bad_one_refused(sim_window, qtbot):
    window, dock = sim_window()
    scenarios = dock.inputs.scenarios
    scenarios.list.setCurrentRow(1)                         # "After"
    scenarios.change_kind.setCurrentIndex(scenarios.change_kind.findData("resource"))
    scenarios.change_field.setCurrentIndex(scenarios.change_field.findData("capacity"))
    _type(qtbot, scenarios.change_value, "4")
    qtbot.mouseClick(scenarios.add_change_button, Qt.MouseButton.LeftButton)
    after = window.document.pathway.scenario("after")
    assert after.changes[0].resource == "theatre" and after.changes[0].capacity == 4
    qtbot.waitUntil(lambda: scenarios.changes.count() == 1)
    assert scenarios.changes.item(0).text() == "Resource theatre: capacity = 4"

    _type(qtbot, scenarios.change_value, "1.5")
    qtbot.mouseClick(scenarios.add_change_button, Qt.MouseButton.LeftButton)
    assert scenarios.change_problem.text() == "Type a whole number."
    assert len(window.document.pathway.scenario("after").changes) == 1
    window.act.undo.trigger()
    assert window.document.pathway.scenario("after").changes == []


def test_run_finishes_shows_charts_and_keeps_results_on_the_document(sim_window, qtbot):
    window, dock = sim_window()
    _run(qtbot, dock)
    assert dock.message.isHidden(), dock.message.text()
    assert dock.progress.value() == dock.progress.maximum() == 6   # 3 replications x 2
    results = dock.results
    assert [s.id for s in results.scenarios] == ["before", "after"]
    assert "GBP, 2016/17 prices" in dock.results_view.summary.text()
    dock.results_view.draw_all()
    canvases = dock.results_view.canvases
    assert set(canvases) == {"Waiting list", "Time to treatment", "Utilisation", "Cost",
                             "Differences", "By cohort"}
    assert all(canvas.figure.axes for canvas in canvases.values())
    rtt = canvases["Time to treatment"].figure.axes[0]
    assert any(line.get_xdata()[0] == 18 for line in rtt.get_lines())   # the 18-week line
    cost = canvases["Cost"].figure.axes[0]
    assert "GBP" in cost.get_xlabel() and "2016/17" in cost.get_title()
    record = window.document.current_simulation()
    assert record is not None and record.results is results
    assert not dock.stale.isVisible()
    dock.inputs.resources.capacity_field.apply(3)   # the pathway changes after the run
    assert window.document.current_simulation() is None
    assert window.document.last_simulation is record
    qtbot.waitUntil(dock.stale.isVisible)             # and the panel says so
    window.act.undo.trigger()
    assert window.document.current_simulation() is record
    qtbot.waitUntil(lambda: not dock.stale.isVisible())


def test_replications_run_in_worker_processes_from_the_panel(sim_window, qtbot):
    window, dock = sim_window(flow={"arrivals": {"per_week": 5}, "horizon_weeks": 8,
                                    "warmup_weeks": 2, "replications": 2, "seed": 11})
    dock.workers = 2
    _run(qtbot, dock)
    assert dock.message.isHidden(), dock.message.text()
    assert dock.results.replications == 2
    serial = __import__("designer.sim", fromlist=["run"]).run(
        window.document.pathway, workers=1)
    # the same seed gives the same numbers in processes as in this one (compared as
    # text: a measure with nothing to measure is NaN, which is never == itself)
    assert [repr(s.replications) for s in dock.results.scenarios] == \
        [repr(s.replications) for s in serial.scenarios]


def test_matplotlib_is_loaded_only_when_a_chart_is_shown(sim_window, qtbot):
    import subprocess

    code = ("import os, sys; os.environ['QT_QPA_PLATFORM']='offscreen'\n"
            "from PySide6.QtWidgets import QApplication; app = QApplication([])\n"
            "from designer.ui.window.main_window import MainWindow\n"
            "from PySide6.QtCore import QSettings\n"
            "import tempfile; s = QSettings(tempfile.mktemp(suffix='.ini'), "
            "QSettings.Format.IniFormat)\n"
            "w = MainWindow(settings=s)\n"
            "print('matplotlib' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stderr


def test_cancel_stops_a_run(sim_window, qtbot):
    window, dock = sim_window(flow={"arrivals": {"per_week": 20}, "horizon_weeks": 520,
                                    "replications": 500, "seed": 1})
    assert dock.run()
    qtbot.waitUntil(lambda: dock.progress.value() >= 1, timeout=60_000)
    qtbot.mouseClick(dock.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dock.running and dock.job is None, timeout=60_000)
    assert "cancelled" in dock.message.text()
    assert dock.progress.value() == 0
    assert dock.results is None and window.document.last_simulation is None
    assert dock.run_button.isEnabled()


def test_inputs_the_simulation_refuses_give_a_message_not_a_traceback(sim_window, qtbot):
    window, dock = sim_window()
    window.document.pathway.update_transition("fit->out", probability=0.2)
    assert not dock.run()
    text = dock.message.text()
    assert dock.message.isVisible()
    assert "cannot run yet" in text and "sum to" in text and "Traceback" not in text
    assert dock.job is None


def test_an_unstable_run_is_said_plainly(sim_window, qtbot):
    window, dock = sim_window(flow={"arrivals": {"per_week": 30}, "horizon_weeks": 10,
                                    "warmup_weeks": 2, "replications": 2, "seed": 3})
    _run(qtbot, dock)
    assert dock.warning.isVisible()
    assert "Unstable" in dock.warning.text() and "grows without bound" in dock.warning.text()


def test_overlay_colours_a_step_with_its_value_as_text(sim_window, qtbot):
    window, dock = sim_window()
    _run(qtbot, dock)
    dock.overlay_mode.setCurrentIndex(dock.overlay_mode.findData("utilisation"))
    overlay = dock.overlay
    assert set(overlay.values) == {"clinic", "op"}
    label = overlay.labels["clinic"].text()
    assert label.endswith("% busy")
    assert overlay.legend.isVisible() and "Utilisation" in overlay.legend.text()
    step = window.scene.step_items()["clinic"]
    halo = [c for c in step.childItems() if c.brush().color().name() in
            ("#1b9e77", "#e6ab02", "#e66101", "#b2182b")]
    assert halo                                              # the step is coloured
    dock.overlay_mode.setCurrentIndex(dock.overlay_mode.findData("wait"))
    assert overlay.labels["clinic"].text().startswith("waits ")
    dock.overlay_mode.setCurrentIndex(dock.overlay_mode.findData("off"))
    assert overlay.values == {} and not [c for c in step.childItems() if c in halo]
    assert overlay.legend is None


def test_animation_advances_frames_and_pauses(sim_window, qtbot):
    window, dock = sim_window()
    _run(qtbot, dock)
    dock.speed.setCurrentIndex(dock.speed.findData(8.0))
    qtbot.mouseClick(dock.play_button, Qt.MouseButton.LeftButton)
    animation = dock.animation
    start = animation.clock_days
    qtbot.waitUntil(lambda: animation.frames >= 5, timeout=5_000)
    assert animation.clock_days > start
    assert dock.clock.text().startswith("Week ")
    assert dock.play_button.text() == "Pause"
    qtbot.mouseClick(dock.play_button, Qt.MouseButton.LeftButton)
    frames = animation.frames
    # 1.5 days into someone's 2-day operation (the trace is of "Before"), they are a
    # dot inside its step (a glide into a step takes at most half the time there)
    day = next(t for t, _p, step, event in dock.results.trace
               if step == "op" and event == "start" and t > animation.start_days) + 1.5
    animation.seek(day)
    dots = [d for d in animation._dots if d.isVisible()]
    operation = window.scene.step_items()["op"].sceneBoundingRect()
    assert dots and all(d.scene() is window.scene for d in dots)
    assert any(operation.contains(d.pos()) for d in dots)
    assert animation.counts["seen"] >= 1
    qtbot.wait(200)
    assert animation.frames == frames                          # paused
    dock.stop_animation()
    assert not [d for d in window.scene.items() if d in dots]


def test_menu_and_panel_toggle(sim_window, qtbot):
    window, dock = sim_window()
    texts = [a.text() for a in window.simulation.menu.actions()]
    assert "&Run Simulation" in texts
    assert window.simulation.show_action in window.menu_panels.actions()
