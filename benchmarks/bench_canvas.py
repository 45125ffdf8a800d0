"""Canvas timings on a 2,000-step pathway: scene build, repaints, dragging a step."""

from __future__ import annotations

import statistics
import time

from generate import make_pathway

from designer.graph.model import Transition


def _app():
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def _busy_step(pathway, wanted: int = 10) -> str:
    """A mid-pathway step given ``wanted`` transitions (adding links to neighbours)."""
    ids = [s.id for s in pathway.steps]
    sid = ids[len(ids) // 2]
    have = len(pathway.transitions_of(sid))
    offset = 2
    while have < wanted:
        for other in (ids[(len(ids) // 2 + offset) % len(ids)],
                      ids[(len(ids) // 2 - offset) % len(ids)]):
            if have >= wanted:
                break
            source, target = (sid, other) if offset % 2 else (other, sid)
            if pathway.transition(f"{source}->{target}") is None:
                pathway.add_transition(Transition(source=source, target=target))
                have += 1
        offset += 1
    return sid


def _repaint_ms(app, view, repeats: int = 15) -> float:
    """Best of ``repeats`` synchronous repaints (the machine is shared: best is fairest)."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        view.viewport().repaint()
        times.append(time.perf_counter() - t)
    app.processEvents()
    return min(times) * 1000


def run(report) -> None:
    app = _app()
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QUndoStack
    from PySide6.QtTest import QTest

    from designer.ui.canvas.scene import PathwayScene
    from designer.ui.canvas.view import PathwayView

    pathway = make_pathway(2000)
    busy = _busy_step(pathway)

    build = []
    for _ in range(3):
        t = time.perf_counter()
        scene = PathwayScene(pathway, QUndoStack())
        build.append(time.perf_counter() - t)
        scene.detach()
    report("canvas", "build scene, 2,000 steps", min(build), "s", "<= 0.5")

    stack = QUndoStack()
    scene = PathwayScene(pathway, stack)
    t = time.perf_counter()
    scene.tidy_now()
    report("canvas", "label tidying after the build (runs in slices, UI stays live)",
           time.perf_counter() - t, "s")
    view = PathwayView(scene)
    view.resize(1600, 1000)
    view.show()
    app.processEvents()

    view.fit_all()
    app.processEvents()
    report("canvas", "repaint, fit all (2,000 steps)", _repaint_ms(app, view), "ms", "<= 50")

    view.zoom_reset()
    view.centre_on_id(busy)
    app.processEvents()
    report("canvas", "repaint at 100% zoom", _repaint_ms(app, view), "ms", "<= 8")

    # Drag the busy step: one press, many moves, one release (all real mouse events).
    vp = view.viewport()
    start = view.mapFromScene(scene.item_for(busy).scenePos())
    QTest.mousePress(vp, Qt.LeftButton, Qt.NoModifier, start)
    app.processEvents()
    moves = []
    for i in range(1, 61):
        t = time.perf_counter()
        QTest.mouseMove(vp, start + QPoint(i * 2, (i % 7) * 3))
        app.processEvents()          # includes the batched edge re-routing
        moves.append(time.perf_counter() - t)
    QTest.mouseRelease(vp, Qt.LeftButton, Qt.NoModifier, start + QPoint(120, 0))
    app.processEvents()
    assert stack.count() == 1, "the drag should be one undo step"
    report("canvas", "mouse-move while dragging a step with 10 transitions (median)",
           statistics.median(moves) * 1000, "ms", "<= 4")
    report("canvas", "mouse-move while dragging (95th percentile)",
           sorted(moves)[int(len(moves) * 0.95)] * 1000, "ms")
    view.close()
    scene.detach()


if __name__ == "__main__":
    import os
    import sys
    from pathlib import Path
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    run(lambda *row: print(*row))
