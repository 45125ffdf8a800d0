"""The diagram drawn into the PDF as vector graphics (designer.export.diagram_vector)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

pytest.importorskip("PySide6.QtGui")

from reportlab.pdfgen.canvas import Canvas  # noqa: E402

from designer.export.diagram_vector import DiagramDrawing, DiagramKey, DiagramStrip  # noqa: E402
from designer.graph.io import load_pathway  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


class _Recording(Canvas):
    """A reportlab canvas that remembers the text it is asked to write."""

    def __init__(self):
        super().__init__(io.BytesIO())
        self.texts: list[str] = []

    def drawString(self, x, y, text, *args, **kwargs):  # noqa: N802 (reportlab's name)
        self.texts.append(text)
        return super().drawString(x, y, text, *args, **kwargs)


def _words(texts) -> str:
    return " ".join(" ".join(texts).split())


@pytest.fixture(scope="module")
def drawing():
    return DiagramDrawing(load_pathway(ROOT / "pathway_library" / "diabetes-preop-clinic.yaml"))


def test_the_whole_diagram_writes_every_lane_and_step_as_text(drawing):
    canvas = _Recording()
    strip = DiagramStrip(drawing, 0.0, 0.0, drawing.width, 0.5, drawing.height)
    strip.canv = canvas
    strip.draw()
    words = _words(canvas.texts)
    pathway = drawing.layout.pathway
    for setting in pathway.settings:
        assert setting.name in words
    # names are wrapped (and a decision's owner shortened): every word of each short
    # name is there
    for step in pathway.steps:
        assert all(word in words for word in step.name.split()[:2]), step.name
    assert strip.wrap(800, 600) == pytest.approx((drawing.width * 0.5, drawing.height * 0.5))


def test_a_slice_is_as_wide_as_the_lane_headers_and_its_cut(drawing):
    header = 16 + 150.0
    strip = DiagramStrip(drawing, header, 1200.0, 1800.0, 0.6, drawing.height)
    assert strip.wrap(0, 0) == pytest.approx(((header + 600.0) * 0.6, drawing.height * 0.6))


def test_the_key_names_every_shape_and_badge_and_fits_the_width(drawing):
    key = DiagramKey(drawing, 0.7, 300.0)
    assert key.wrap(0, 0)[0] <= 300.0 + 1e-6
    canvas = _Recording()
    key.canv = canvas
    key.draw()
    words = _words(canvas.texts)
    for label in ("Start or end", "Step", "Decision", "Wait", "Handoff complete",
                  "Handoff incomplete or missing", "Time runs left to right"):
        assert label in words
