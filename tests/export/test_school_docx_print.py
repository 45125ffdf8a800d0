"""Issue 14: the Word booklet, as LibreOffice lays it out, never strands a heading, the
sentence opening a list, a lone list item or a line to fill in; every page is numbered
"Page N of M" clear of the text; large print is large in the footer too.

Always: the paragraph properties Word and LibreOffice act on (keep with next, keep
lines together, widow control), checked against the booklet's own blocks. When
LibreOffice and poppler are installed: real conversions to PDF, read back page by page.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from docx import Document

from designer.export.school import export_school
from designer.export.school.content import build_booklet
from designer.graph.io import load_pathway
from page_check import page_lines, strands

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


def _effective(paragraph, name: str):
    """A paragraph format property as Word reads it: the paragraph's own, else its style's
    (and the style's bases), else False."""
    value = getattr(paragraph.paragraph_format, name)
    style = paragraph.style
    while value is None and style is not None:
        value = getattr(style.paragraph_format, name)
        style = style.base_style
    return bool(value)


def _written(path: Path, folder: Path, large: bool) -> Path:
    out = folder / f"{path.stem}{'-lp' if large else ''}.docx"
    export_school(load_pathway(path), "docx", out, large_print=large)
    return out


def _must_keep_with_next(booklet) -> list[str]:
    """Texts of the paragraphs that must stay with the next one, from the booklet's blocks."""
    texts = []
    for section in booklet.sections:
        texts.append(section.title)
        for block in section.blocks:
            texts += [t for t in (block.heading, block.when) if t]
            items = block.bullets + block.labels
            if block.paragraphs and (items or block.form_lines):
                texts.append(block.paragraphs[-1])
            for run in (block.bullets, block.labels):
                if len(run) > 1:
                    texts += [run[0], run[-2]]
            texts += block.form_lines[:-1]
    return texts


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_headings_openings_list_ends_and_form_lines_keep_with_next(path, tmp_path):
    booklet = build_booklet(load_pathway(path))
    doc = Document(str(_written(path, tmp_path, large=False)))
    paragraphs = {}
    for p in doc.paragraphs:
        paragraphs.setdefault(p.text, p)
    for text in _must_keep_with_next(booklet):
        assert text in paragraphs, text
        assert _effective(paragraphs[text], "keep_with_next"), text
    for p in doc.paragraphs:
        if p.style.name.startswith(("Heading", "Title")):
            assert _effective(p, "keep_together"), p.text     # a heading never splits
        if p.text.strip():
            assert _effective(p, "widow_control"), p.text     # no single line left behind
    # the closing note is not kept with anything: it ends the booklet
    assert not _effective(doc.paragraphs[-1], "keep_with_next")


def _footer_runs(doc):
    return [r for p in doc.sections[0].footer.paragraphs for r in p.runs]


@pytest.mark.parametrize("large, least", [(False, 8.0), (True, 16.0)])
def test_the_footer_numbers_pages_first_clear_of_the_text(tmp_path, large, least):
    doc = Document(str(_written(LIBRARY / "frailty-hip-pops.yaml", tmp_path, large)))
    footer = doc.sections[0].footer
    xml = footer._element.xml
    assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
    assert re.search(r"<w:instrText[^>]*> NUMPAGES </w:instrText>", xml)
    (paragraph,) = [p for p in footer.paragraphs if p.text.strip()]
    # "Page N of M" never splits over two lines and never runs into the title
    assert re.fullmatch(r"Page\u00a0\d+\u00a0of\u00a0\d+ \u2022 Surgery School \u2022 .+",
                        paragraph.text), paragraph.text
    assert paragraph.paragraph_format.space_before and \
        paragraph.paragraph_format.space_before.pt >= least / 2
    sizes = [r.font.size.pt for r in _footer_runs(doc) if r.font.size is not None]
    assert sizes and min(sizes) >= least


# --------------------------------------------------------- real layout (LibreOffice)


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(docs: list[Path], folder: Path) -> None:
    """DOCX -> PDF with LibreOffice (a private profile, so no user settings are used)."""
    profile = folder / "lo-profile"
    subprocess.run([_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(folder), *map(str, docs)],
                   capture_output=True, timeout=600, check=True)


def _without_running_footer(pages: list[list[str]], footer: str) -> tuple[list, list[str]]:
    """Pages without their footer lines ("Page N of M \u2022 ``footer``", which may wrap),
    and each page's "Page N of M"."""
    body, numbers = [], []
    squeezed = " ".join(footer.split())
    for lines in pages:
        lines = list(lines)
        found = ""
        while lines:
            match = re.match(r"Page\s\d+\sof\s\d+", lines[-1])
            if match:
                found = match.group(0)
                lines.pop()
                break
            if lines[-1] not in squeezed:
                break
            lines.pop()
        body.append(lines)
        numbers.append(found)
    return body, numbers


def _footer_gaps(pdf: Path) -> list[float]:
    """Per page: points between the lowest line of text and the footer's top line."""
    out = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                         text=True, check=True, timeout=60).stdout
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out)
    root = ET.fromstring(out)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    gaps = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        lines = []
        for line in page.iterfind(".//x:line", ns):
            words = " ".join(w.text or "" for w in line.iterfind("x:word", ns))
            lines.append((float(line.get("yMin")), float(line.get("yMax")), words))
        footer_top = min(y0 for y0, _, text in lines if re.match(r"Page \d+ of \d+", text))
        body_bottom = max((y1 for y0, y1, text in lines if y0 < footer_top - 1), default=0)
        gaps.append(footer_top - body_bottom)
    return gaps


@pytest.mark.skipif(_soffice() is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler's pdftotext are needed")
def test_libreoffice_pages_strand_nothing_and_are_numbered(tmp_path):
    names = ["frailty-hip-pops", "day-case-lap-chole", "prepare-og-imperial",
             "diabetes-preop-clinic"]
    docs = [_written(LIBRARY / f"{n}.yaml", tmp_path, large) for n in names
            for large in (False, True)]
    convert(docs, tmp_path)
    problems = []
    for doc in docs:
        name = doc.stem.removesuffix("-lp")
        booklet = build_booklet(load_pathway(LIBRARY / f"{name}.yaml"))
        pdf = doc.with_suffix(".pdf")
        pages, numbers = _without_running_footer(
            page_lines(pdf), f"Surgery School \u2022 {booklet.subtitle}")
        count = len(pages)
        assert count >= 4
        assert numbers == [f"Page {k} of {count}" for k in range(1, count + 1)], doc.name
        problems += [f"{doc.stem}: {p}" for p in strands(booklet, pages)]
        size = 16.0 if doc.stem.endswith("-lp") else 12.0
        gaps = _footer_gaps(pdf)
        assert min(gaps) >= size * 0.5, (doc.name, gaps)
    assert problems == []
