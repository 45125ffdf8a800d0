"""Exports over pathways the editor can make but the exporters choked on (issue 10, items 1-2).

The files are in tests/data/hostile: a brand-new pathway (File > New), a step
description of about 2,700 characters, a title of about 300 characters, text
pasted with vertical tabs, form feeds, NEL and other control characters, and two
steps placed very far apart (and near 1e9).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from designer.export import FORMATS, ExportError, export_one
from designer.graph.io import load_pathway

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
# Characters XML 1.0 forbids, and the line-like controls that break Word's text.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x85\ufffe\uffff\u2028\u2029]")


def pathway(name: str):
    return load_pathway(HOSTILE / f"{name}.yaml")


@pytest.mark.parametrize("name, fmt", [
    ("new_pathway", "spec-pdf"),            # the diagram was taller than the landscape page
    ("new_pathway", "spec-docx"),
    ("long_description", "spec-pdf"),       # a table row taller than a page
    ("long_title", "spec-pdf"),
    ("long_title", "school-pdf"),
    ("long_title", "spec-docx"),            # Word's title property holds 255 characters
    ("long_title", "school-docx"),
    ("control_characters", "spec-docx"),    # vertical tab, form feed: not XML
    ("control_characters", "school-docx"),
    ("control_characters", "spec-pdf"),
    ("control_characters", "bpmn"),
    ("control_characters", "graphml"),
    ("control_characters", "svg"),
    ("far_apart", "png"),
    ("far_apart", "svg"),
    ("near_1e9", "png"),
    ("near_1e9", "svg"),
    ("near_1e9", "spec-pdf"),
])
def test_every_export_succeeds_on_pathways_the_editor_can_make(tmp_path, name, fmt):
    out = tmp_path / f"out{FORMATS[fmt].suffix}"
    export_one(pathway(name), fmt, out)
    assert out.stat().st_size > 0


@pytest.mark.parametrize("fmt", ["spec-docx", "school-docx"])
def test_word_files_hold_only_xml_text(tmp_path, fmt):
    out = tmp_path / f"out{FORMATS[fmt].suffix}"
    export_one(pathway("control_characters"), fmt, out)
    with zipfile.ZipFile(out) as z:
        for member in z.namelist():
            if member.endswith(".xml"):
                text = z.read(member).decode("utf-8")
                assert not FORBIDDEN.search(text), member
        document = z.read("word/document.xml").decode("utf-8")
    # the pasted line breaks became breaks or spaces, the words stay
    assert "Referral" in document and "letter" in document


@pytest.mark.parametrize("fmt", ["spec-docx", "school-docx"])
def test_a_long_title_is_shortened_only_in_the_word_properties(tmp_path, fmt):
    out = tmp_path / f"out{FORMATS[fmt].suffix}"
    source = pathway("long_title")
    export_one(source, fmt, out)
    with zipfile.ZipFile(out) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        document = z.read("word/document.xml").decode("utf-8")
    title = re.search(r"<dc:title>(.*?)</dc:title>", core).group(1)
    assert len(title) <= 255 and title.endswith("\u2026")
    assert source.title.split()[-1] in document        # the whole title is in the text


def test_the_pathway_itself_is_not_changed_by_cleaning(tmp_path):
    source = pathway("control_characters")
    before = source.model_dump()
    export_one(source, "spec-md", tmp_path / "out.md")
    assert source.model_dump() == before
    assert "\x0b" not in (tmp_path / "out.md").read_text(encoding="utf-8")


def test_an_empty_picture_is_never_reported_as_written(tmp_path, monkeypatch):
    import designer.export.diagram as diagram

    monkeypatch.setattr(diagram, "render_png", lambda *a, **k: b"")
    out = tmp_path / "out.png"
    with pytest.raises(ExportError, match="could not be drawn"):
        export_one(pathway("new_pathway"), "png", out)
    assert not out.exists()


def test_a_layout_failure_is_a_sentence_not_reportlab_internals(tmp_path, monkeypatch):
    from reportlab.platypus.doctemplate import LayoutError

    import designer.export.spec.pdf as spec_pdf

    def fail(*_args, **_kwargs):
        raise LayoutError("Flowable <Image at 0x7f> too large on page 3 in frame 'x'")

    monkeypatch.setattr(spec_pdf, "write_spec_pdf", fail)
    with pytest.raises(ExportError) as info:
        export_one(pathway("new_pathway"), "spec-pdf", tmp_path / "out.pdf")
    message = str(info.value)
    assert "could not be laid out" in message and "too large to fit on a page" in message
    assert "Flowable" not in message and "0x7f" not in message
