"""The specification PDF's shortcuts (issue 16) against plain computations.

Each shortcut must leave the document exactly as the plain way makes it: the
same page contents, stream for stream, on every exemplar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph

from designer.export.kit import pdf as kit
from designer.export.spec import export_spec
from designer.graph.io import load_pathway
from doc_pathways import chain_pathway
from pdf_streams import content_streams

pytest.importorskip("PySide6.QtGui")

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 3, 14)


def _pathways():
    for path in sorted((ROOT / "pathway_library").glob("*.yaml")):
        yield path.stem, load_pathway(path, use_cache=False)
    yield "chain-60", chain_pathway(60)      # long tables split over many pages


def _streams(pathway, out: Path) -> list[bytes]:
    export_spec(pathway, "pdf", out, today=TODAY)
    return content_streams(out.read_bytes(), keep_undecoded=True)


class _PlainParagraph(Paragraph):
    """reportlab's own paragraph: parsed every time, wrapped every time asked."""

    def __init__(self, *args, parsed=None, **kwargs):
        super().__init__(*args, **kwargs)


def test_cells_that_keep_their_wrap_print_as_plain_paragraphs(tmp_path, monkeypatch):
    """kit.CellParagraph gives back its last wrap instead of breaking the lines again,
    and a plain text met again in a table reuses its parsed fragments."""
    for name, pathway in _pathways():
        fast = _streams(pathway, tmp_path / f"{name}-fast.pdf")
        with monkeypatch.context() as patch:
            patch.setattr(kit, "CellParagraph", _PlainParagraph)
            plain = _streams(pathway, tmp_path / f"{name}-plain.pdf")
        assert fast == plain, name


def test_a_cell_wrapped_again_at_another_width_breaks_its_lines_anew():
    cell = kit.CellParagraph("a few words that wrap over several lines " * 3,
                             kit.styles()["cell"])
    plain = Paragraph(cell.text, kit.styles()["cell"])
    for width in (200.0, 200.0, 90.0, 200.0, 90.0, 90.0):
        assert cell.wrap(width, 1000) == plain.wrap(width, 1000)
        assert cell.height == plain.height
        assert ([line for _sp, line in cell.blPara.lines]
                == [line for _sp, line in plain.blPara.lines])


def test_reportlab_uses_its_c_speedups():
    """rl_accel (a dependency) is installed and reportlab found it: without it number
    formatting, text widths and stream encoding run in Python, a fifth slower."""
    from reportlab.lib.rl_accel import _c_funcs

    assert {"fp_str", "instanceStringWidthTTF", "asciiBase85Encode", "escapePDF"} <= set(_c_funcs)


def test_the_formats_of_one_unchanged_pathway_gather_the_content_once(tmp_path, monkeypatch):
    """The export dialog and ``periop export`` write PDF, Word, HTML and Markdown of one
    pathway with one report: the content is gathered once, and again when the pathway
    changed in place or another report comes."""
    import designer.export.spec as spec
    from designer.graph.validate import validate

    calls = []
    real = spec.build_spec

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(spec, "build_spec", counted)
    monkeypatch.setattr(spec, "_LAST", [])
    pathway = chain_pathway(8)
    report = validate(pathway)
    for fmt in ("pdf", "docx", "html", "md"):
        export_spec(pathway, fmt, tmp_path / f"spec.{fmt}", report=report, today=TODAY)
    assert len(calls) == 1
    pathway.steps[1].name = "Renamed in place"
    export_spec(pathway, "md", tmp_path / "again.md", report=report, today=TODAY)
    assert len(calls) == 2 and "Renamed in place" in (tmp_path / "again.md").read_text()
    export_spec(pathway, "md", tmp_path / "again.md", report=validate(pathway), today=TODAY)
    export_spec(pathway, "md", tmp_path / "again.md", report=report,
                today=dt.date(2026, 3, 15))
    assert len(calls) == 4
