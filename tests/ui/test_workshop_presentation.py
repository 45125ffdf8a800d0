"""Presentation mode: walk order, caption, keyboard walking and an exact restore on Esc."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget

from designer.graph.model import Step, Transition
from designer.ui.workshop.presentation import CaptionPanel, caption_for, walk_order

from workshop_sample import close_window, make_pathway, open_window, settle


@pytest.fixture
def window(qtbot, tmp_path):
    w = open_window(qtbot, tmp_path)
    yield w
    close_window(w)


def test_walk_order_is_entry_first_then_flow_order():
    p = make_pathway()
    # the optimisation loop (optimise -> pac) is a loop-back and must not reorder the walk
    assert walk_order(p) == ["referral", "pac", "check", "optimise", "surgery", "home"]


def test_walk_order_puts_unreachable_steps_last():
    p = make_pathway()
    p.add_step(Step(id="orphan", name="Orphan", setting="gp"), index=0)
    p.add_step(Step(id="leaflet", name="Leaflet", setting="gp"))
    p.add_transition(Transition(source="referral", target="leaflet"))
    order = walk_order(p)
    assert order[0] == "referral"
    assert order[-1] == "orphan"
    assert order.index("leaflet") < order.index("check")   # one step from the entry


def test_caption_names_owner_timing_and_handoff():
    p = make_pathway()
    cap = caption_for(p, "referral", 1, 6)
    assert cap.counter == "1 of 6" and cap.title == "Referral"
    assert "Owner: General practitioner" in cap.who and "GP practice" in cap.who
    assert cap.timing.startswith("Timing: Takes 1 day")
    [(line, complete)] = cap.handoffs
    assert line == ("To Hospital: referral letter, HbA1c, medicines list (by e-referral)")
    assert complete
    # a cross-setting move with no handoff says so
    assert caption_for(p, "pac", 2, 6).handoffs == []
    from designer.graph.model import Note
    p.add_note(Note(id="n1", text="Who phones the patient?", author="Ann",
                    category="question", target="referral"))
    assert caption_for(p, "referral", 1, 6).notes == ["Question (Ann): Who phones the patient?"]
    p.update_transition("check->optimise", handoff=None)
    [(line, complete)] = caption_for(p, "check", 3, 6).handoffs
    assert "no handoff information recorded" in line and not complete


def test_keys_walk_the_pathway_and_esc_restores_the_window(window, qtbot):
    tools = window.workshop
    view = window.view
    view.set_zoom(0.8)
    view.horizontalScrollBar().setValue(view.horizontalScrollBar().minimum())
    settle(qtbot)
    docks_before = {d.objectName(): d.isVisible() for d in window.findChildren(QDockWidget)}
    state_before = _layout(window)
    zoom_before = view.zoom()
    geometry_before = window.geometry()
    scroll_before = (view.horizontalScrollBar().value(), view.verticalScrollBar().value())

    qtbot.keyClick(window, Qt.Key.Key_F11)
    settle(qtbot)
    pres = tools.presentation
    assert pres.active
    assert window.isFullScreen()
    assert not any(d.isVisible() for d in window.findChildren(QDockWidget))
    assert not window.menuBar().isVisible()
    caption = view.findChild(CaptionPanel, "presentation-caption")
    assert caption is not None and caption.isVisible()
    assert pres.current_step() == "referral"
    assert "Referral" in caption.text()
    assert "font-size:26pt" in caption.text()       # readable from the back of the room

    seen = [pres.current_step()]
    for key in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_Right, Qt.Key.Key_Right,
                Qt.Key.Key_Right, Qt.Key.Key_Right):
        qtbot.keyClick(view.viewport(), key)
        seen.append(pres.current_step())
    assert seen == ["referral", "pac", "check", "optimise", "surgery", "home", "home"]
    assert window.scene.selected_ids() == ["home"]
    # the current step is in view, above the caption
    centre = window.scene.item_for("home").sceneBoundingRect().center()
    point = view.mapFromScene(centre)
    assert view.viewport().rect().contains(point)
    assert point.y() < caption.geometry().top()
    assert "Home" in caption.text()
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Left)
    assert pres.current_step() == "surgery"
    qtbot.keyClick(view.viewport(), Qt.Key.Key_Home)
    assert pres.current_step() == "referral"
    qtbot.keyClick(view.viewport(), Qt.Key.Key_End)
    assert pres.current_step() == "home"
    # walking never edits the pathway
    assert window.document.undo_stack.count() == 0

    qtbot.keyClick(view.viewport(), Qt.Key.Key_Escape)
    settle(qtbot)
    assert not pres.active
    assert not window.isFullScreen()
    assert {d.objectName(): d.isVisible()
            for d in window.findChildren(QDockWidget)} == docks_before
    assert _layout(window) == state_before
    assert window.geometry() == geometry_before
    assert view.zoom() == pytest.approx(zoom_before)
    assert (view.horizontalScrollBar().value(),
            view.verticalScrollBar().value()) == scroll_before
    assert window.menuBar().isVisible()
    assert view.isInteractive()
    assert view.findChild(CaptionPanel, "presentation-caption") is None


def test_opening_another_document_leaves_presentation(window, qtbot):
    from designer.ui.editing.document import Document

    window.workshop.presentation.enter()
    assert window.workshop.presentation.active
    window.set_document(Document.new_untitled())
    settle(qtbot)
    assert not window.workshop.presentation.active
    assert window.menuBar().isVisible()


def _layout(window):
    """What a person sees of the window's layout: each dock's area, visibility and
    floating state, each toolbar's visibility and area. (Raw saveState() bytes also
    carry transient sizes that Qt settles differently from run to run.)"""
    from PySide6.QtWidgets import QToolBar

    docks = {d.objectName(): (window.dockWidgetArea(d), d.isVisible(), d.isFloating())
             for d in window.findChildren(QDockWidget)}
    bars = {b.objectName(): (window.toolBarArea(b), b.isVisible())
            for b in window.findChildren(QToolBar)}
    return docks, bars
