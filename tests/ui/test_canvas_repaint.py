"""Defect 1 of issue 15: the canvas must not keep showing deleted or moved things.

What is on screen is read from the window's backing store
(``QScreen.grabWindow``), which holds what the last partial repaints left; a
``QWidget.grab`` would render everything afresh and could never show a ghost.
It is compared with a fresh canvas of the same model at the same zoom and scroll.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QUndoStack
from PySide6.QtTest import QTest

from canvas_support import sample_pathway
from designer.graph.model import Setting
from designer.ui.commands import (
    AddSettingCommand, MoveSettingCommand, MoveStepsCommand, RemoveItemsCommand,
    RemoveSettingCommand,
)

TOLERANCE = 40        # per colour channel: antialiasing and overlapping lane borders


def _canvas(qtbot, pathway, zoom):
    from designer.ui.canvas.scene import PathwayScene
    from designer.ui.canvas.view import PathwayView

    scene = PathwayScene(pathway, QUndoStack())
    view = PathwayView(scene)
    scene.setParent(view)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    qtbot.waitExposed(view)
    view.set_zoom(zoom)
    view.home()
    _settle(scene)
    return scene, view


def _settle(scene) -> None:
    scene.tidy_now()
    QTest.qWait(500)          # the overview map redraws 400 ms after a change


def _on_screen(view) -> QImage:
    """The viewport as the window system last got it (partial repaints included)."""
    port = view.viewport()
    corner = port.mapTo(view.window(), port.rect().topLeft())
    shot = view.screen().grabWindow(view.window().winId())
    return shot.copy(corner.x(), corner.y(), port.width(), port.height()).toImage() \
        .convertToFormat(QImage.Format.Format_RGB32)


def _differing(a: QImage, b: QImage) -> int:
    """Pixels differing by more than TOLERANCE in some colour channel."""
    assert a.size() == b.size()
    width, stride = a.width() * 4, a.bytesPerLine()
    data_a, data_b = bytes(a.constBits()), bytes(b.constBits())
    count = 0
    for y in range(a.height()):
        row_a = data_a[y * stride:y * stride + width]
        row_b = data_b[y * stride:y * stride + width]
        if row_a == row_b:
            continue
        for x in range(0, width, 4):
            if any(abs(row_a[x + c] - row_b[x + c]) > TOLERANCE for c in range(3)):
                count += 1
    return count


def _edits(pathway):
    moved = pathway.step("prehab")
    return [
        lambda: AddSettingCommand(pathway, Setting(id="extra", name="Extra lane",
                                                   kind="community")),
        lambda: RemoveItemsCommand(pathway, ["optimise"], []),
        lambda: RemoveItemsCommand(pathway, [], ["surgery->discharge"]),
        lambda: MoveSettingCommand(pathway, "hospital", 0),
        lambda: MoveStepsCommand(pathway, {"prehab": (moved.position, "home")}),
        lambda: RemoveSettingCommand(pathway, "extra"),
        lambda: RemoveSettingCommand(pathway, "hub"),
    ]


@pytest.mark.parametrize("zoom", [1.0, 0.3])
def test_no_ghosts_after_deleting_and_moving_lanes_and_steps(qtbot, zoom):
    pathway = sample_pathway()
    scene, view = _canvas(qtbot, pathway, zoom)
    scene.select_ids(["optimise"])
    QTest.qWait(50)
    for make in _edits(pathway):
        scene.undo_stack.push(make())
        QTest.qWait(60)        # one repaint after each edit, as a person would see
    _settle(scene)
    seen = _on_screen(view)

    fresh_scene, fresh_view = _canvas(qtbot, pathway.model_copy(deep=True), zoom)
    fresh_view.horizontalScrollBar().setValue(view.horizontalScrollBar().value())
    fresh_view.verticalScrollBar().setValue(view.verticalScrollBar().value())
    _settle(fresh_scene)
    assert _differing(seen, _on_screen(fresh_view)) == 0
