"""A decision's owner caption sits on the same side of its diamond on the canvas as in
the exported diagram, for every exemplar (the export's layout is the reference)."""

from __future__ import annotations

from pathlib import Path

import pytest
from canvas_support import make_canvas
from PySide6.QtGui import QImage, QPainter

from designer.graph.io import load_pathway
from designer.graph.model import StepKind
from designer.render.diagram_layout import lay_out
from designer.render.diagram_painter import DiagramPainter

EXEMPLARS = sorted((Path(__file__).resolve().parents[2] / "pathway_library").glob("*.yaml"))


def _side(left: float, right: float, centre: float) -> str:
    """Which way a caption's box stands from the centre line of its diamond."""
    if right <= centre + 0.5:
        return "left"
    if left >= centre - 0.5:
        return "right"
    return "under"


def _export_sides(pathway) -> dict[str, str]:
    layout = lay_out(pathway)
    image = QImage(8, 8, QImage.Format_ARGB32)
    painter = QPainter(image)
    try:
        drawer = DiagramPainter(painter, layout)
        sides = {}
        for sid, box in layout.boxes.items():
            if box.step.kind is not StepKind.decision:
                continue
            rect = drawer.caption_rect(box)
            if rect is not None:
                sides[sid] = _side(rect.left(), rect.right(), box.cx)
        return sides
    finally:
        painter.end()


def test_there_are_ten_exemplars():
    assert len(EXEMPLARS) == 10


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_canvas_and_export_put_each_owner_caption_on_the_same_side(qtbot, path):
    pathway = load_pathway(path)
    expected = _export_sides(pathway)
    _, _, scene, _ = make_canvas(qtbot, load_pathway(path))
    scene.flush()
    shown = {}
    for sid in expected:
        item = scene.item_for(sid)
        caption = item._below.sceneBoundingRect()
        shown[sid] = _side(caption.left(), caption.right(), item.scenePos().x())
    assert shown == expected


def test_some_exemplar_caption_stands_aside():
    """The comparison above is not only of centred captions."""
    asides = [side for path in EXEMPLARS for side in _export_sides(load_pathway(path)).values()
              if side != "under"]
    assert asides
