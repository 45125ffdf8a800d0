"""The canvas for assistive technology: ERAS+ read through Qt's accessibility interfaces."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAccessible

from designer.graph.io import load_pathway

ERAS = Path(__file__).resolve().parents[2] / "pathway_library" / "eras-plus-colorectal.yaml"
Text = QAccessible.Text


def _walk(interface, depth=0):
    yield interface
    if depth < 3:
        for index in range(interface.childCount()):
            child = interface.child(index)
            if child is not None:
                yield from _walk(child, depth + 1)


def test_every_step_and_transition_of_eras_is_an_accessible_object(qtbot):
    from canvas_support import make_canvas

    pathway, _stack, scene, view = make_canvas(qtbot, load_pathway(str(ERAS)))
    canvas = QAccessible.queryAccessibleInterface(view)
    assert canvas is not None and canvas.text(Text.Name) == "Pathway canvas"
    names = {}
    for node in _walk(canvas):
        names.setdefault(node.text(Text.Name), node)

    for lane in pathway.settings:
        assert f"Lane {lane.name}" in names
    for step in pathway.steps:
        node = names[step.name]
        assert node.role() == QAccessible.Role.ListItem
        described = node.text(Text.Description)
        assert (pathway.role(step.owner).name if step.owner else "in ") in described
        assert not node.rect().isEmpty() or not scene.item_for(step.id).isVisible()
    for t in pathway.transitions:
        name = f"{pathway.step(t.source).name} to {pathway.step(t.target).name}"
        node = names[name]
        described = node.text(Text.Description)
        if t.condition:
            assert t.condition in described
        crosses = pathway.step(t.source).setting != pathway.step(t.target).setting
        if crosses:
            assert "handoff" in described
    assert len(pathway.steps) >= 19 and len(pathway.transitions) >= 19   # all of them, above


def test_the_selection_is_the_focus_child_and_is_announced(qtbot):
    from canvas_support import make_canvas

    pathway, _stack, scene, view = make_canvas(qtbot, load_pathway(str(ERAS)))
    canvas = QAccessible.queryAccessibleInterface(view)
    step = pathway.steps[4]
    scene.select_ids([step.id])
    focus = canvas.focusChild()
    assert focus.text(Text.Name) == step.name
    assert focus.state().focused and focus.state().selected
    t = pathway.transitions[0]
    scene.select_ids([t.key])
    assert canvas.focusChild().text(Text.Name).endswith(pathway.step(t.target).name)


def test_announcing_the_selection_does_not_fail(qtbot, monkeypatch):
    from canvas_support import make_canvas

    from designer.ui.canvas import accessible

    pathway, _stack, scene, view = make_canvas(qtbot, load_pathway(str(ERAS)))
    canvas = QAccessible.queryAccessibleInterface(view)
    sent = []
    monkeypatch.setattr(accessible.QAccessible, "isActive", staticmethod(lambda: True))
    real = accessible.QAccessible.updateAccessibility
    monkeypatch.setattr(accessible.QAccessible, "updateAccessibility",
                        staticmethod(lambda event: (sent.append(event.type()), real(event))))
    scene.select_ids([pathway.steps[2].id])
    assert QAccessible.Event.Focus in sent
    assert canvas.focusChild().text(Text.Name) == pathway.steps[2].name


def test_badges_tell_their_meaning_by_shape_not_colour_alone(qtbot):
    from types import SimpleNamespace

    from canvas_support import make_canvas, sample_pathway

    pathway, _stack, scene, view = make_canvas(qtbot, sample_pathway())
    complete = scene.item_for("referral->sdm").handoff_badge
    incomplete = scene.item_for("sdm->prehab").handoff_badge
    assert complete.complete and not complete.mark.isVisible()
    assert not incomplete.complete and incomplete.mark.isVisible()     # the "!" mark

    def finding(severity):
        return SimpleNamespace(rule="x", severity=severity, message=severity,
                               targets=("surgery",))
    shapes = {}
    for severity in ("error", "warning", "info"):
        scene.set_findings(SimpleNamespace(findings=[finding(severity)]))
        badge = scene.item_for("surgery")._badge
        shapes[severity] = badge.path().elementCount()
    assert len(set(shapes.values())) == 3          # diamond, triangle, circle


def test_high_contrast_from_the_view_menu_and_kept(qtbot, tmp_path):
    from PySide6.QtCore import QSettings
    from PySide6.QtGui import QColor

    from designer.ui.window.main_window import MainWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings.setValue("view/high_contrast", False)
    window = MainWindow(None, settings=settings)
    qtbot.addWidget(window)
    toggle = window.extension("contrast").action
    assert toggle in window.menu_view.actions() and not toggle.isChecked()
    step = window.scene.item_for("referral")
    assert step.brush().color() != QColor("#000000")
    toggle.trigger()
    assert step.brush().color() == QColor("#000000")
    assert step.pen().color() == QColor("#ffffff")
    edge_or_lane = next(iter(window.scene._lanes.values()))
    assert edge_or_lane.brush().color() == QColor("#000000")
    assert window.view.backgroundBrush().color() == QColor("#000000")
    window.scene.select_ids(["referral"])
    assert step.pen().color() == QColor("#ffff00")        # selection in yellow
    assert settings.value("view/high_contrast") in (True, "true")
    toggle.trigger()
    assert step.brush().color() != QColor("#000000")
    window.document._forced_dirty = False
    window.close()
