"""The diagram cut into strips for print: cuts pass between steps, pages are landscape."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from designer.export import diagram_pages
from designer.export.diagram_pages import CUT_CLEARANCE, MIN_SCALE, plan_strips, strip_cuts
from designer.export.spec import export_spec
from doc_pathways import chain_pathway


def test_cuts_go_through_gaps_and_cover_the_picture():
    spans = [(200.0, 350.0), (400.0, 550.0), (600.0, 750.0), (800.0, 950.0)]
    cuts = strip_cuts(spans, 166.0, 1000.0, 500.0)
    assert cuts[0][0] == 166.0 and cuts[-1][1] == 1000.0
    assert all(a[1] == b[0] for a, b in zip(cuts, cuts[1:]))       # no gaps, no overlap
    assert all(right - left <= 500.0 for left, right in cuts)
    for _left, right in cuts[:-1]:
        assert not any(a - CUT_CLEARANCE < right < b + CUT_CLEARANCE for a, b in spans)


def test_a_cut_with_no_gap_nearby_falls_back_to_the_full_width():
    spans = [(100.0, 2000.0)]             # one huge label: nowhere to cut cleanly
    cuts = strip_cuts(spans, 0.0, 1200.0, 500.0)
    assert [round(r) for _l, r in cuts] == [500, 1000, 1200]


def test_when_labels_fill_every_gap_the_cut_still_misses_the_steps():
    steps = [(100.0 + 210 * i, 250.0 + 210 * i) for i in range(6)]
    labels = [(240.0 + 210 * i, 320.0 + 210 * i) for i in range(6)]   # bridge each gap
    cuts = strip_cuts(labels, 0.0, 1400.0, 600.0, steps)
    assert len(cuts) > 2
    for _left, right in cuts[:-1]:
        assert not any(a - CUT_CLEARANCE < right < b + CUT_CLEARANCE for a, b in steps)


def test_plan_prefers_fewer_pages_then_the_larger_scale():
    # A short, wide picture: two strips fit on a page at a modest scale.
    plan = plan_strips(3000.0, 312.0, 166.0, [], 740.0, 475.0, 400.0)
    assert plan is not None
    scale, cuts = plan
    assert scale >= MIN_SCALE
    pages = diagram_pages._pages(len(cuts), 312.0 * scale + diagram_pages.CAPTION_ROOM,
                                 475.0, 400.0)
    for other in diagram_pages.STRIP_SCALES:
        other_cuts = strip_cuts([], 166.0, 3000.0, 740.0 / other - 166.0)
        other_pages = diagram_pages._pages(
            len(other_cuts), 312.0 * other + diagram_pages.CAPTION_ROOM, 475.0, 400.0)
        assert (other_pages, -other) >= (pages, -scale)


def test_plan_gives_up_on_a_diagram_too_big_to_print():
    assert plan_strips(200_000.0, 600.0, 166.0, [], 740.0, 475.0, 400.0) is None


def test_strips_of_a_real_diagram_never_slice_a_step(tmp_path):
    from designer.export import diagram
    from designer.export.spec.pdf import LANDSCAPE_FRAME

    pathway = chain_pathway(18)
    width, height = diagram.diagram_size(pathway)
    pieces = diagram_pages.diagram_pieces(pathway, None, *LANDSCAPE_FRAME)
    assert len(pieces) > 1
    scale = pieces[0].height_pt / height
    assert scale >= MIN_SCALE - 1e-6
    assert all(p.width_pt <= LANDSCAPE_FRAME[0] + 0.5 for p in pieces)
    assert all("part" in p.caption and "lane names" in p.caption for p in pieces)
    # Reconstruct where each cut fell from the strip widths and check it misses every box.
    header = diagram.MARGIN + diagram_pages.LANE_HEADER_WIDTH
    boxes = [(a, b) for a, b, is_step in diagram.occupied_spans(pathway) if is_step]
    assert len(boxes) == 18
    x = header
    for piece in pieces[:-1]:
        x += piece.width_pt / scale - header
        assert not any(a < x < b for a, b in boxes), f"cut at {x:.0f} slices a step"


def _page_boxes(data: bytes) -> list[tuple[float, float]]:
    return [(float(w), float(h)) for w, h in
            re.findall(rb"/MediaBox \[ 0 0 ([\d.]+) ([\d.]+) \]", data)]


@pytest.mark.parametrize("steps", [18])
def test_pdf_prints_the_diagram_on_landscape_pages_only(tmp_path, steps):
    out = export_spec(chain_pathway(steps), "pdf", tmp_path / "spec.pdf",
                      today=dt.date(2026, 3, 14))
    boxes = _page_boxes(out.read_bytes())
    landscape = [w > h for w, h in boxes]
    assert landscape[0] is False                       # the cover is portrait
    assert any(landscape)                              # the diagram is landscape
    first, last = landscape.index(True), len(landscape) - 1 - landscape[::-1].index(True)
    assert all(landscape[first:last + 1])              # one run of diagram pages
    assert not any(landscape[last + 1:])               # back to portrait after it


def test_docx_puts_the_diagram_in_a_landscape_section(tmp_path):
    from docx import Document
    from docx.enum.section import WD_ORIENT

    out = export_spec(chain_pathway(18), "docx", tmp_path / "spec.docx",
                      today=dt.date(2026, 3, 14))
    sections = Document(str(out)).sections
    orientations = [s.orientation for s in sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    assert sections[1].page_width > sections[1].page_height
    assert sections[2].page_width < sections[2].page_height


def test_diagram_heading_travels_with_the_first_part():
    from reportlab.platypus import KeepTogether, Paragraph

    from designer.export.spec.content import build_spec
    from designer.export.spec.pdf import spec_story

    pathway = chain_pathway(18)
    story = spec_story(build_spec(pathway, today=dt.date(2026, 3, 14)), pathway, None)
    groups = [f for f in story if isinstance(f, KeepTogether)]
    first = groups[0]._content
    texts = [f.getPlainText() for f in first if isinstance(f, Paragraph)]
    assert texts[0] == "Pathway diagram" and "part 1 of" in texts[-1]


def test_specification_pdf_draws_the_diagram_as_vector_graphics(tmp_path):
    """Issue 14: the diagram was a 144 ppi picture cut into slices; now it is drawn
    with lines and real text, so it stays sharp and its words can be searched."""
    from designer.export.spec import export_spec
    from designer.graph.io import load_pathway
    from pdf_streams import content_streams

    root = Path(__file__).resolve().parents[2]
    pathway = load_pathway(root / "pathway_library" / "diabetes-preop-clinic.yaml")
    out = tmp_path / "spec.pdf"
    export_spec(pathway, "pdf", out)
    data = out.read_bytes()
    assert b"/Subtype /Image" not in data
    # the diagram pages show text (step names, lane names) and draw shapes
    streams = content_streams(data)
    diagram_streams = [s for s in streams if s.count(b"BT") >= len(pathway.steps)
                       and s.count(b" c\n") + s.count(b" re") >= len(pathway.steps)]
    assert diagram_streams


def test_specification_docx_pictures_have_alt_text(tmp_path):
    from docx import Document

    from designer.export.spec import export_spec
    from designer.graph.io import load_pathway

    root = Path(__file__).resolve().parents[2]
    pathway = load_pathway(root / "pathway_library" / "eras-plus-colorectal.yaml")
    out = tmp_path / "spec.docx"
    export_spec(pathway, "docx", out)
    shapes = Document(str(out)).inline_shapes
    assert len(shapes) >= 2
    for shape in shapes:
        alt = shape._inline.docPr.get("descr", "")
        assert len(alt) > 30, alt
    assert any(pathway.title in s._inline.docPr.get("descr") for s in shapes)


def test_a_cut_goes_through_an_early_gap_rather_than_through_a_step():
    steps = [(100.0, 250.0), (280.0, 900.0)]     # a wide step: the only gap is early
    cuts = strip_cuts([], 0.0, 1200.0, 700.0, steps)
    for _left, right in cuts[:-1]:
        assert not any(a < right < b for a, b in steps), cuts


def test_the_quick_too_big_check_never_refuses_a_diagram_that_has_a_plan():
    """``_may_fit`` lets diagram_pieces skip finding the gaps of a diagram too wide to
    print in strips; no gaps at all give the fewest strips, so whenever it says no,
    plan_strips finds no plan either."""
    from designer.export.spec.pdf import LANDSCAPE_FRAME

    frame_width, frame_height = LANDSCAPE_FRAME
    header = 166.0
    for height in (200.0, 312.0, 600.0, 900.0, 1300.0, 2000.0):
        for width in [200.0 + 250.0 * i for i in range(120)] + [60_000.0, 500_000.0]:
            if not diagram_pages._may_fit(width, height, header, frame_width, frame_height):
                assert plan_strips(width, height, header, [], frame_width, frame_height,
                                   frame_height) is None, (width, height)


def test_pieces_from_a_drawing_are_those_worked_out_from_the_pathway():
    """The spec passes its DiagramDrawing so the diagram is laid out and painted once:
    the pieces must be the same as diagram_pieces works out alone."""
    from designer.export.diagram_vector import DiagramDrawing
    from designer.export.spec.pdf import LANDSCAPE_FRAME
    from designer.graph.io import load_pathway
    from designer.graph.validate import validate

    root = Path(__file__).resolve().parents[2]
    pathways = [load_pathway(p, use_cache=False)
                for p in sorted((root / "pathway_library").glob("*.yaml"))]
    pathways += [chain_pathway(18), chain_pathway(120)]
    for pathway in pathways:
        report = validate(pathway)
        for raster in (False, True):
            alone = diagram_pages.diagram_pieces(pathway, report, *LANDSCAPE_FRAME, 380.0,
                                                 raster=raster)
            shared = diagram_pages.diagram_pieces(pathway, report, *LANDSCAPE_FRAME, 380.0,
                                                  raster=raster,
                                                  drawing=DiagramDrawing(pathway, report))
            assert shared == alone, pathway.id
