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

    def beginText(self, *args, **kwargs):  # noqa: N802 (reportlab's name)
        """Text objects (drawString makes one too) that note what they write."""
        words = super().beginText(*args, **kwargs)
        for name in ("textOut", "textLine"):
            def noted(text="", _write=getattr(words, name)):
                self.texts.append(text)
                return _write(text)
            setattr(words, name, noted)
        return words


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


# The drawing is worked out once and its calls made again on each strip (issue 16): the
# recording must draw exactly what the diagram painter draws, on every exemplar.

def _exemplars():
    from designer.graph.validate import validate

    for path in sorted((ROOT / "pathway_library").glob("*.yaml")):
        pathway = load_pathway(path, use_cache=False)
        yield path.stem, pathway, validate(pathway)


def _page_code(paint) -> str:
    from designer.export.diagram_vector import PdfPainter

    canvas = Canvas(io.BytesIO())
    paint(PdfPainter(canvas))
    return "\n".join(canvas._code)


def test_a_recorded_drawing_paints_what_the_diagram_painter_paints_on_every_exemplar():
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor

    from designer.render.diagram_painter import DiagramPainter

    for name, pathway, report in _exemplars():
        drawing = DiagramDrawing(pathway, report)

        def direct(painter):          # the painter run straight onto the PDF, as before
            painter.fillRect(QRectF(0, 0, drawing.width, drawing.height), QColor("#ffffff"))
            painter.translate(drawing.margin, drawing.margin)
            DiagramPainter(painter, drawing.layout, report).paint(legend=False)

        assert _page_code(drawing.paint) == _page_code(direct), name
        assert _page_code(drawing.paint) == _page_code(drawing.paint), name   # replayable


def test_a_drawings_occupied_spans_are_those_of_a_painted_picture_on_every_exemplar():
    from designer.export import diagram

    for name, pathway, report in _exemplars():
        assert (DiagramDrawing(pathway, report).occupied_spans()
                == diagram.occupied_spans(pathway, report)), name


def test_a_strip_leaves_out_only_shapes_wholly_outside_its_window():
    """Each shape is written when it reaches into the window (stroke room included)
    and left out when it lies wholly outside: the clip would hide it anyway."""
    from PySide6.QtCore import QPointF, QRectF
    from PySide6.QtGui import QColor, QPainterPath, QPolygonF

    from designer.export.diagram_vector import _STROKE_ROOM, PdfPainter

    def written(draw, window=(100.0, 200.0), shift=0.0) -> bool:
        canvas = Canvas(io.BytesIO())
        painter = PdfPainter(canvas, window)
        painter.translate(shift, 0.0)
        before = len(canvas._code)
        painter.setBrush(QColor("#123456"))
        draw(painter, x0, x1)
        return len(canvas._code) > before + 1        # more than the translate

    def path(p, a, b):
        q = QPainterPath(QPointF(a, 0))
        q.cubicTo(QPointF(a, 20), QPointF(b, 20), QPointF(b, 0))
        p.drawPath(q)

    shapes = [
        lambda p, a, b: p.fillRect(QRectF(a, 0, b - a, 10), QColor("#ffffff")),
        lambda p, a, b: p.drawRect(QRectF(a, 0, b - a, 10)),
        lambda p, a, b: p.drawRoundedRect(QRectF(a, 0, b - a, 10), 3, 3),
        lambda p, a, b: p.drawLine(QPointF(b, 0), QPointF(a, 5)),
        lambda p, a, b: p.drawEllipse(QPointF((a + b) / 2, 5), (b - a) / 2, 5),
        lambda p, a, b: p.drawPolygon(QPolygonF([QPointF(a, 0), QPointF(b, 0),
                                                 QPointF(a, 9)])),
        path,
    ]
    room = _STROKE_ROOM
    for draw in shapes:
        for (x0, x1), shown in (((150.0, 160.0), True), ((50.0, 250.0), True),
                                ((80.0, 100.0 - room + 0.5), True),
                                ((200.0 + room - 0.5, 260.0), True),
                                ((20.0, 100.0 - room - 0.5), False),
                                ((200.0 + room + 0.5, 300.0), False)):
            assert written(draw) is shown, (x0, x1)
        x0, x1 = 20.0, 40.0                        # outside, until translated into it
        assert written(draw) is False
        assert written(draw, shift=100.0) is True


class _PlainPdfPainter:
    """The reference the PDF painter is checked against: every shape sets its colours
    and line width, every text saves the state, moves and flips the space, and draws a
    string (as the painter did before it skipped unchanged colours)."""

    @staticmethod
    def make(canvas):
        from PySide6.QtGui import QColor

        from designer.export.diagram_vector import _UNITS_PER_POINT, PdfPainter

        class Plain(PdfPainter):
            def _colours(self, fill=None):
                stroke = self._pen is not None
                fill = fill if fill is not None else self._brush
                if stroke:
                    colour, width = self._pen
                    self.c.setStrokeColorRGB(colour.redF(), colour.greenF(), colour.blueF(),
                                             colour.alphaF() * self._opacity)
                    self.c.setLineWidth(width)
                if fill is not None:
                    self.c.setFillColorRGB(fill.redF(), fill.greenF(), fill.blueF(),
                                           fill.alphaF() * self._opacity)
                return stroke, fill is not None

            def drawText(self, rect, flags, text):  # noqa: N802
                from reportlab.pdfbase.pdfmetrics import stringWidth
                from PySide6.QtCore import Qt

                points, bold = self._font
                name = self._fonts[1] if bold else self._fonts[0]
                size = points * _UNITS_PER_POINT
                width = stringWidth(text, name, size)
                flags = int(flags.value if hasattr(flags, "value") else flags)
                if flags & int(Qt.AlignHCenter.value):
                    x = rect.center().x() - width / 2
                elif flags & int(Qt.AlignRight.value):
                    x = rect.right() - width
                else:
                    x = rect.left()
                colour = self._pen[0] if self._pen is not None else QColor("#000000")
                self.c.saveState()
                self.c.setFillColorRGB(colour.redF(), colour.greenF(), colour.blueF(),
                                       colour.alphaF() * self._opacity)
                self.c.translate(x, rect.center().y() + size * 0.35)
                self.c.scale(1, -1)
                self.c.setFont(name, size)
                self.c.drawString(0, 0, text)
                self.c.restoreState()

        return Plain(canvas)


def _diagram_page(drawing, painter_of, path: Path) -> None:
    scale = 0.5
    canvas = Canvas(str(path), pagesize=(drawing.width * scale, drawing.height * scale))
    canvas.translate(0, drawing.height * scale)
    canvas.scale(scale, -scale)
    drawing.paint(painter_of(canvas))
    canvas.showPage()
    canvas.save()


def test_the_pdf_painter_prints_as_the_plain_reference_on_every_exemplar(tmp_path):
    """Skipping colours already set and writing each text as one flipped text object
    change no pixel and no word of the printed diagram."""
    import shutil
    import subprocess

    from PIL import Image, ImageChops

    from designer.export.diagram_vector import PdfPainter

    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("needs poppler's pdftoppm and pdftotext")
    for name, pathway, report in _exemplars():
        drawing = DiagramDrawing(pathway, report)
        pages = {}
        for kind, painter_of in (("fast", PdfPainter), ("plain", _PlainPdfPainter.make)):
            pdf = tmp_path / f"{name}-{kind}.pdf"
            _diagram_page(drawing, painter_of, pdf)
            subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", str(pdf),
                            str(tmp_path / f"{name}-{kind}")], check=True)
            text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                                  capture_output=True, text=True).stdout
            pages[kind] = (Image.open(tmp_path / f"{name}-{kind}.png").convert("RGB"), text)
        assert pages["fast"][1] == pages["plain"][1], name
        assert ImageChops.difference(pages["fast"][0], pages["plain"][0]).getbbox() is None, name
