"""After each edit, what the window shows is the pathway as it is now.

The editor no longer redoes everything after an edit (issue 16, "speed where users
feel it"): the findings tree is swapped without a reset when its rows are the same,
the timeline redraws only the rows that changed, badges are touched only where
their findings changed (many of them in slices), the overview map is drawn again
only when a block may have moved, the simulation inputs follow the model when they
are next shown, and the lanes and roles lists are rebuilt only when a row's text
changed. These tests fail if any of that shows a stale result: after every kind of
edit, the panels must equal a validation and a timeline worked out independently
from a fresh copy of the pathway.
"""

from __future__ import annotations

from collections import Counter

import pytest
from PySide6.QtCore import QModelIndex

from designer.graph.model import Pathway, Role, Setting, Step, StepKind, Transition
from designer.graph.timeline import compute_timeline, timeline_rows
from designer.graph.validate import validate
from designer.ui.commands import (
    AddStepCommand, MoveStepsCommand, RemoveItemsCommand, UpdateStepCommand,
)
from window_support import make_window, settings  # noqa: F401 (fixtures)

CHAIN = 240      # a delete in the middle gives over 200 findings (a pack that starts closed)


def chain_pathway(n: int = CHAIN) -> Pathway:
    """Entry, n-2 tasks in a row over two lanes, exit."""
    settings_ = [Setting(id="gp", name="GP practice", kind="primary"),
                 Setting(id="hospital", name="Hospital", kind="secondary")]
    roles = [Role(id="gp", name="General practitioner"), Role(id="nurse", name="Nurse")]
    steps = []
    for i in range(n):
        kind = StepKind.entry if i == 0 else StepKind.exit if i == n - 1 else StepKind.task
        lane = "gp" if (i // 4) % 2 == 0 else "hospital"
        steps.append(Step(id=f"s{i}", name=f"Step number {i}", kind=kind, setting=lane,
                          owner="gp" if lane == "gp" else "nurse",
                          duration_days=float(i % 3), position=(200.0 + 210.0 * i, 70.0)))
    transitions = [Transition(source=f"s{i}", target=f"s{i + 1}") for i in range(n - 1)]
    return Pathway(id="chain", title="A long chain", settings=settings_, roles=roles,
                   steps=steps, transitions=transitions)


def _settle(qtbot, window) -> None:
    checks = window.checks
    qtbot.waitUntil(lambda: not checks.busy and checks.result is not None
                    and checks.result.generation == checks.generation, timeout=20000)
    qtbot.wait(20)   # the panels' own zero-delay follow-ups


def _fresh(pathway: Pathway) -> tuple:
    """Validation and timeline of an independent copy (no shared index or cache)."""
    copy = Pathway.model_validate(pathway.model_dump())
    return copy, validate(copy), compute_timeline(copy)


def _finding_key(f) -> tuple:
    return (f.rule, tuple(f.targets), f.severity, f.message)


def _shown_rows(model) -> list[tuple[str, ...]]:
    return [tuple(model.data(model.index(r, c)) for c in range(model.columnCount()))
            for r in range(model.rowCount())]


def _leaf_texts(model) -> list[str]:
    return sorted(model.data(index) for index in model.leaves())


def assert_shows_the_pathway_as_it_is(window) -> None:
    pathway = window.document.pathway
    copy, report, timeline = _fresh(pathway)
    # the Findings panel: the same findings, and its rows say them
    dock = window.findings_dock
    shown = sorted(_finding_key(f) for f, waived in dock.model.entries if not waived)
    assert shown == sorted(_finding_key(f) for f in report.findings)
    assert _leaf_texts(dock.model) == sorted(f.message for f in report.findings) or \
        not report.findings
    assert window.findings_report.summary == report.summary
    # the Timeline panel: row for row what the timeline of the copy says
    assert _shown_rows(window.timeline_dock.model) == timeline_rows(timeline, copy)
    assert window.timeline_dock.timeline.total_days == timeline.total_days
    # the badges on the canvas
    scene = window.scene
    scene.flush_badges()
    wanted = Counter(t for f in report.findings for t in f.targets)
    for step in pathway.steps:
        badge = scene.item_for(step.id)._badge
        count = wanted.get(step.id, 0)
        if count:
            assert badge is not None and badge.data(0), step.id
            assert badge._label.text() == (str(count) if count < 10 else "9+"), step.id
        else:
            assert badge is None or not badge.data(0), step.id


@pytest.fixture
def chain_window(make_window):  # noqa: F811
    from designer.ui.editing.document import Document

    def make():
        window = make_window(Document(chain_pathway()))
        return window
    return make


def test_each_kind_of_edit_shows_fresh_findings_timeline_and_badges(chain_window, qtbot):
    window = chain_window()
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    pathway = window.document.pathway

    # a duration: the findings stay as they were (swapped in without a reset), the
    # timeline's later rows change
    reset = []
    window.findings_dock.model.modelReset.connect(lambda: reset.append(1))
    assert window.push(UpdateStepCommand, "s10", {"duration_days": 30.0})
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    assert not reset                                   # the same rows: no reset

    # a name: the timeline rows and the findings' "where" follow it
    assert window.push(UpdateStepCommand, "s3", {"name": "Renamed step"})
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    assert any("Renamed step" in row[2] for row in _shown_rows(window.timeline_dock.model))

    # a step added (no arrows yet: new findings about it)
    new = Step(id="extra", name="An extra step", setting="gp", owner="gp",
               position=(300.0, 300.0))
    assert window.push(lambda p: AddStepCommand(p, new))
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    assert any("extra" in f.targets for f in window.findings_report.findings)

    # a step in the middle deleted with its arrows: the pathway is cut in two and
    # hundreds of findings (and badges) appear
    assert window.push(RemoveItemsCommand, ["s120"], [])
    _settle(qtbot, window)
    assert len(window.findings_report.findings) > 200
    assert_shows_the_pathway_as_it_is(window)
    # the pack with over 200 findings starts closed and says how many
    model, tree = window.findings_dock.model, window.findings_dock.tree
    top = model.index(0, 0, QModelIndex())
    packs = [model.index(r, 0, top) for r in range(model.rowCount(top))]
    big = [p for p in packs if model.rowCount(p) > 200]
    assert big and not tree.isExpanded(big[0]) and f"({model.rowCount(big[0]):,})" in \
        model.data(big[0])

    # undo and redo come back to exactly the results of those states
    window.document.undo_stack.undo()
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    window.document.undo_stack.redo()
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    window.document.undo_stack.undo()
    window.document.undo_stack.undo()                  # the added step goes too
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)
    assert pathway.step("extra") is None


def test_badges_follow_a_result_that_comes_while_slices_are_still_due(chain_window, qtbot):
    """Many badges are done in slices; a newer result meanwhile wins."""
    window = chain_window()
    _settle(qtbot, window)
    scene = window.scene
    window.push(RemoveItemsCommand, ["s120"], [])
    window.checks.check_now()                          # result delivered, slices queued
    assert scene._badge_queue                          # (many: not all done at once)
    window.document.undo_stack.undo()                  # back before any slice ran
    window.checks.check_now()
    _settle(qtbot, window)
    assert_shows_the_pathway_as_it_is(window)


def test_overview_map_is_drawn_again_only_when_a_block_moves(chain_window, qtbot):
    window = chain_window()
    _settle(qtbot, window)
    minimap = window.view.minimap
    minimap.repaint()
    drawn = minimap._picture
    assert drawn is not None
    window.push(UpdateStepCommand, "s5", {"duration_days": 9.0})
    minimap._refresh()                                 # what the 400 ms timer calls
    minimap.repaint()
    assert minimap._picture is drawn                   # nothing it draws changed
    step = window.document.pathway.step("s5")
    window.push(MoveStepsCommand, {"s5": (step.position[0], step.position[1] + 120.0)})
    minimap._refresh()
    minimap.repaint()
    assert minimap._picture is not None and minimap._picture is not drawn


def test_hidden_simulation_inputs_follow_the_steps_when_shown(chain_window, qtbot):
    window = chain_window()
    _settle(qtbot, window)
    dock = window.simulation.dock
    dock.show()
    dock.refresh_inputs()
    dock.hide()
    window.push(UpdateStepCommand, "s7", {"name": "Now called something else"})
    dock.show()
    scenarios = dock.inputs.scenarios
    scenarios.change_kind.setCurrentIndex(scenarios.change_kind.findData("step"))
    labels = [scenarios.change_target.itemText(i)
              for i in range(scenarios.change_target.count())]
    assert "Now called something else" in labels and len(labels) == CHAIN


def test_roles_list_counts_follow_an_owner_change(chain_window, qtbot):
    window = chain_window()
    _settle(qtbot, window)
    roles = window.properties_dock.pathway_page.roles

    def texts():
        qtbot.wait(10)   # the lists are refreshed from a zero-delay timer
        return [roles.list.item(i).text() for i in range(roles.list.count())]

    before = texts()
    window.push(UpdateStepCommand, "s0", {"owner": "nurse"})
    after = texts()
    assert before != after
    used = Counter(s.owner for s in window.document.pathway.steps)
    assert after == [f"General practitioner  ({used['gp']} steps)",
                     f"Nurse  ({used['nurse']} steps)"]
