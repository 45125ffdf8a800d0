"""Issue 14: pictures in Word documents are vector graphics (SVG) with a PNG fallback.

Each picture is checked as Word would find it: the ``a:blip`` embeds a PNG, its
``asvg:svgBlip`` extension an ``image/svg+xml`` part that parses as SVG, stands
alone, keeps its words as text and has the PNG's size; every picture has alt text.
Independent truths: the step names come from the pathway file; the SVG is drawn by
Qt's own SVG renderer and compared with the PNG fallback pixel by pixel; and, where
LibreOffice is installed, the document is converted to PDF by it.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET

from designer.export.kit import docx as kit

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
TODAY = dt.date(2026, 3, 14)
SVG = "{http://www.w3.org/2000/svg}"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "asvg": "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
EMU_PER_PT = 12700


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """The ERAS+ specification and board pack as Word documents."""
    from designer import sim
    from designer.export.board import board_content, write_board
    from designer.export.spec import export_spec
    from designer.graph.io import load_pathway
    from designer.graph.validate import validate

    out = tmp_path_factory.mktemp("docx_svg")
    pathway = load_pathway(LIBRARY / "eras-plus-colorectal.yaml")
    spec = export_spec(pathway, "docx", out / "spec.docx", today=TODAY)
    results = sim.run(pathway, scenarios=["before", "after"], replications=2, weeks=26,
                      workers=1)
    report = validate(pathway)
    content = board_content(pathway, results=results, report=report, workers=1, today=TODAY)
    board = write_board(content, pathway, report, "docx", out / "board.docx")
    return {"pathway": pathway, "spec": spec, "board": board}


def _pictures(path: Path) -> list[dict]:
    """Every picture of the document: its alt text, frame (points) and both parts."""
    from docx import Document

    doc = Document(str(path))                      # opens in python-docx
    part = doc.part
    found = []
    for shape in doc.inline_shapes:
        inline = shape._inline
        blips = inline.xpath(".//a:blip")
        assert len(blips) == 1
        blip = blips[0]
        svg_blips = blip.findall("a:extLst/a:ext/asvg:svgBlip", NS)
        ext = blip.find("a:extLst/a:ext", NS)
        found.append({
            "alt": inline.docPr.get("descr", ""),
            "frame": (inline.extent.cx / EMU_PER_PT, inline.extent.cy / EMU_PER_PT),
            "png": part.related_parts[blip.get(f"{{{NS['r']}}}embed")],
            "svg": [part.related_parts[b.get(f"{{{NS['r']}}}embed")] for b in svg_blips],
            "uri": ext.get("uri") if ext is not None else None,
        })
    return found


def _svg_size_pt(root) -> tuple[float, float]:
    def points(value: str) -> float:
        number, unit = re.fullmatch(r"([\d.]+)(pt|px)?", value).groups()
        return float(number) * (0.75 if unit == "px" else 1.0)
    return points(root.get("width")), points(root.get("height"))


def _texts(root) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("which", ["spec", "board"])
def test_every_picture_has_a_png_blip_an_svg_blip_and_alt_text(documents, which):
    from PIL import Image

    pictures = _pictures(documents[which])
    # key, 4 diagram parts, timeline (and the board's chart)
    assert len(pictures) >= (6 if which == "spec" else 7)
    for picture in pictures:
        assert len(picture["alt"]) > 30, picture["alt"]
        assert picture["png"].content_type == "image/png"
        assert picture["uri"] == "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
        assert len(picture["svg"]) == 1
        svg_part = picture["svg"][0]
        assert svg_part.content_type == "image/svg+xml"
        assert str(svg_part.partname).endswith(".svg")
        root = SafeET.fromstring(svg_part.blob)            # parses, no entities, no DTD tricks
        assert root.tag == f"{SVG}svg"
        # stands alone: no pictures, fonts or styles fetched from elsewhere
        for element in root.iter():
            for name, value in element.attrib.items():
                if name.endswith("href"):
                    assert value.startswith("#"), (name, value)
            assert element.tag != f"{SVG}image"
        assert b"<!DOCTYPE" not in svg_part.blob
        # the shape of the frame and of the PNG; the specification's pictures are
        # drawn at the size they print (the board's chart is a 7-inch figure, fitted)
        width, height = _svg_size_pt(root)
        frame_w, frame_h = picture["frame"]
        assert width / height == pytest.approx(frame_w / frame_h, rel=0.005)
        if which == "spec":
            assert width == pytest.approx(frame_w, abs=0.6)
            assert height == pytest.approx(frame_h, abs=0.6)
        png = Image.open(io.BytesIO(picture["png"].blob))
        assert png.width / png.height == pytest.approx(width / height, rel=0.01)
        # words stay words
        assert any(text.strip() for text in _texts(root))


def test_the_diagram_svgs_hold_every_step_name_as_text(documents):
    pathway = documents["pathway"]
    pictures = [p for p in _pictures(documents["spec"]) if p["alt"].startswith("Diagram")]
    assert len(pictures) >= 2                      # ERAS+ is cut into parts
    words = " ".join(" ".join(_texts(SafeET.fromstring(p["svg"][0].blob))) for p in pictures)
    words = " ".join(words.split())
    for step in pathway.steps:
        assert " ".join(step.name.split()) in words, step.name
    # a step is drawn in one part only: the cuts run between steps
    for step in pathway.steps:
        holding = [p for p in pictures
                   if " ".join(step.name.split()) in " ".join(
                       " ".join(_texts(SafeET.fromstring(p["svg"][0].blob))).split())]
        assert len(holding) == 1, step.name
    # the lane names repeat on every part
    lanes = [setting.name.split()[0] for setting in pathway.settings]
    for picture in pictures:
        text = " ".join(_texts(SafeET.fromstring(picture["svg"][0].blob)))
        assert all(lane in text for lane in lanes)


def test_the_diagram_comes_with_a_drawn_key_before_its_first_part(documents):
    pictures = _pictures(documents["spec"])
    assert pictures[0]["alt"].startswith("Key to the diagram")
    assert pictures[1]["alt"].startswith("Diagram")
    text = " ".join(_texts(SafeET.fromstring(pictures[0]["svg"][0].blob)))
    for label in ("Start or end", "Decision", "Wait", "Handoff complete",
                  "Handoff incomplete or missing", "Time runs left to right"):
        assert label in text


def test_qt_draws_each_svg_as_the_png_fallback_shows_it(documents):
    """Qt's SVG renderer (not our painter) draws every SVG; the result matches the
    fallback PNG to within anti-aliasing, so the vector picture is the same picture."""
    from PIL import Image, ImageChops, ImageFilter, ImageStat
    from PySide6.QtCore import QByteArray
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    from designer.export.diagram import ensure_gui_application

    def apart(a, b) -> float:
        """Mean grey difference, blurred a little: anti-aliasing and hinting aside."""
        a, b = (image.convert("L").filter(ImageFilter.BoxBlur(3)) for image in (a, b))
        return ImageStat.Stat(ImageChops.difference(a, b)).mean[0]

    ensure_gui_application()
    for picture in _pictures(documents["spec"]):
        png = Image.open(io.BytesIO(picture["png"].blob)).convert("RGB")
        renderer = QSvgRenderer(QByteArray(picture["svg"][0].blob))
        assert renderer.isValid()
        image = QImage(png.width, png.height, QImage.Format_RGB888)
        image.fill(QColor("#ffffff"))
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        data = bytes(image.constBits())[: image.bytesPerLine() * image.height()]
        drawn = Image.frombuffer("RGB", (image.width(), image.height()), data, "raw", "RGB",
                                 image.bytesPerLine(), 1)
        difference = apart(png, drawn)
        blank = apart(png, Image.new("RGB", png.size, "white"))
        moved = apart(png, ImageChops.offset(drawn, 4, 0))
        if picture["alt"].startswith("Diagram"):
            # the PNG is Qt's own painting of the same shapes: nearly the same pixels,
            # and closer than the same picture moved by 4 pixels
            assert difference < 1.2, (picture["alt"][:40], difference)
            assert difference < moved
        elif picture["alt"].startswith("Key"):
            # a row of small words: the hinting of the text weighs more
            assert difference < 0.5 * moved, (picture["alt"][:40], difference, moved)
        else:
            # the timeline's PNG is Pillow's painting (other font hinting): close
            assert difference < 0.4 * blank, (picture["alt"][:40], difference, blank)


def test_svg_painter_answers_every_call_the_pdf_painter_does():
    """The diagram painter draws through either: a call added to one is needed in both."""
    from designer.export.diagram_svg import SvgPainter
    from designer.export.diagram_vector import PdfPainter

    calls = {name for name in vars(PdfPainter) if not name.startswith("_")}
    assert calls <= set(vars(SvgPainter)), calls - set(vars(SvgPainter))


def test_svg_text_is_escaped_and_control_characters_dropped(tmp_path):
    from PySide6.QtCore import QRectF, Qt

    from designer.export.diagram_svg import SvgPainter

    painter = SvgPainter()
    painter.drawText(QRectF(0, 0, 100, 20), Qt.AlignLeft, "A & <b>B</b>\x01\x0b")
    body = painter.finish()
    root = SafeET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">{body}</svg>')
    assert _texts(root) == ["A & <b>B</b>"]


def test_add_svg_picture_survives_a_round_trip_through_python_docx(tmp_path):
    """Opened and saved again by python-docx, the SVG part and its link stay."""
    from docx import Document
    from docx.shared import Pt
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGB", (200, 100), "white").save(png, format="PNG")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="100pt" height="50pt" '
           'viewBox="0 0 100 50"><text x="5" y="20">Hello</text></svg>')
    doc = kit.new_document()
    shape = kit.add_svg_picture(doc, png.getvalue(), svg, Pt(100), Pt(50), "A greeting")
    assert shape.width == Pt(100) and shape.height == Pt(50)
    first = tmp_path / "a.docx"
    doc.save(str(first))
    again = tmp_path / "b.docx"
    reopened = Document(str(first))
    other = io.BytesIO()
    Image.new("RGB", (50, 50), "red").save(other, format="PNG")
    reopened.add_picture(other, width=Pt(20))      # python-docx's own call still works
    reopened.save(str(again))
    picture, plain = _pictures(again)
    assert plain["svg"] == [] and plain["png"].content_type == "image/png"
    assert picture["alt"] == "A greeting"
    assert picture["svg"][0].blob == svg.encode()
    assert picture["svg"][0].content_type == "image/svg+xml"


def _soffice() -> str | None:
    """LibreOffice: $PERIOP_SOFFICE (another version, say) or ``soffice`` on the PATH."""
    return os.environ.get("PERIOP_SOFFICE") or shutil.which("soffice")


def _libreoffice_version() -> tuple[int, ...] | None:
    soffice = _soffice()
    if soffice is None:
        return None
    try:
        shown = subprocess.run([soffice, "--version"], capture_output=True, text=True,
                               timeout=120).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"LibreOffice (\d+)\.(\d+)", shown)
    return tuple(int(n) for n in found.groups()) if found else None


#: The oldest LibreOffice seen to draw a DOCX picture from its svgBlip (25.2, Debian
#: bookworm-backports); 7.4 (Debian 12) draws the PNG fallback. Between, either.
READS_SVG_BLIP = (25, 2)


@pytest.mark.skipif(_libreoffice_version() is None or shutil.which("pdftotext") is None
                    or shutil.which("pdfimages") is None,
                    reason="LibreOffice (soffice) and poppler-utils are not installed")
def test_libreoffice_converts_the_specification_and_draws_the_diagram(documents, tmp_path):
    """LibreOffice opens the Word file and prints every diagram part: as vector
    graphics, the step names as text and no picture on those pages, where it reads
    the SVG; else from the PNG fallback, a picture on each of those pages."""
    version = _libreoffice_version()
    profile = tmp_path / "profile"
    subprocess.run([_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(documents["spec"])], check=True, capture_output=True, timeout=600)
    pdf = tmp_path / "spec.pdf"
    assert pdf.exists()
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")
    diagram_pages = [n for n, text in enumerate(pages) if "Diagram, part" in text]
    assert len(diagram_pages) >= 2
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    with_pictures = {int(line.split()[0]) - 1 for line in listed if line.strip()}
    text = " ".join(" ".join(pages[n] for n in diagram_pages).split())
    drew_vectors = not (set(diagram_pages) & with_pictures)
    if drew_vectors or version >= READS_SVG_BLIP:
        assert drew_vectors, f"LibreOffice {version} printed the PNG fallback"
        for step in documents["pathway"].steps:
            for word in step.name.split():
                assert word in text, step.name
    else:
        assert set(diagram_pages) <= with_pictures


def test_a_frame_reaching_past_a_part_keeps_only_its_own_sides():
    """Cut to a part, a framed rectangle shows its top and bottom within the part and
    no side at the cuts (a false edge where two parts meet)."""
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QPen

    from designer.export.diagram_svg import SvgPainter

    painter = SvgPainter(keep=(100.0, 200.0))
    painter.setPen(QPen(QColor("#90a4ae"), 1))
    painter.setBrush(QColor("#eeeeee"))
    painter.translate(10.0, 0.0)             # the part's span is in picture units
    painter.drawRect(QRectF(0, 0, 400, 50))  # picture x 10..410
    painter.drawRect(QRectF(120, 10, 20, 20))   # wholly inside: drawn as it is
    root = SafeET.fromstring(f'<svg xmlns="http://www.w3.org/2000/svg">'
                             f'{painter.finish()}</svg>')
    lines = [tuple(float(line.get(k)) for k in ("x1", "y1", "x2", "y2"))
             for line in root.iter(f"{SVG}line")]
    assert sorted(lines) == [(90.0, 0.0, 190.0, 0.0), (90.0, 50.0, 190.0, 50.0)]
    rects = [(float(r.get("x")), float(r.get("width")), r.get("stroke"))
             for r in root.iter(f"{SVG}rect")]
    assert rects == [(90.0, 100.0, None), (120.0, 20.0, "#90a4ae")]


def test_the_key_stays_legible_beside_an_overview_of_a_huge_pathway(tmp_path):
    """300 steps print as one tiny overview (the SVG keeps it sharp when zoomed);
    the key is drawn at the smallest legible diagram scale, not the overview's."""
    from designer.export.diagram_pages import MIN_SCALE
    from designer.export.spec import export_spec
    from designer.render.diagram_painter import LEGEND_HEIGHT
    from doc_pathways import chain_pathway

    out = export_spec(chain_pathway(300), "docx", tmp_path / "spec.docx", today=TODAY)
    pictures = _pictures(out)
    key, overview = pictures[0], pictures[1]
    assert key["alt"].startswith("Key") and overview["alt"].startswith("Diagram")
    assert overview["frame"][1] < 20                       # the overview is a sliver
    assert key["frame"][1] == pytest.approx(LEGEND_HEIGHT * MIN_SCALE, rel=0.02)
    root = SafeET.fromstring(overview["svg"][0].blob)     # the whole diagram, as text
    text = " ".join(_texts(root))
    assert all(f"Step number {i}" in text for i in range(300))
