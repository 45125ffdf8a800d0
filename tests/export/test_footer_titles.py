"""Issue 14: a PDF's running footer carries the whole pathway title on every page.

The footer used to cut a long title with an ellipsis ("(POPS / C\u2026" in the
frailty specification from page 10, where "Page 10 of 17" is wider). Now it
wraps onto more lines, with the bottom margin grown to keep them clear of the
body, and never reaches the page number.

The truth is the ``title:`` line of each exemplar file, read here with a plain
YAML reader, and the footer is read back from the PDF by poppler's pdftotext,
cropped to the bottom of each page: neither goes through the exporter's code.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from reportlab.pdfbase.pdfmetrics import stringWidth

from designer.export.kit import pdf as kit
from designer.export.school import export_school
from designer.export.spec import export_spec
from designer.graph.io import load_pathway

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
TITLES = {f.stem: yaml.safe_load(f.read_text(encoding="utf-8"))["title"] for f in EXEMPLARS}
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None,
                                   reason="poppler's pdftotext is not installed")


def _footers(pdf: Path) -> list[str]:
    """The text of the bottom 30 mm of every page, one string per page, spaces squeezed."""
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(pdf)], capture_output=True,
                          text=True, check=True).stdout
    sizes = re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)
    out = []
    for number, (width, height) in enumerate(sizes, 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(number), "-l", str(number), "-x", "0",
             "-y", str(int(float(height)) - 85), "-W", str(int(float(width))), "-H", "85",
             str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        out.append(" ".join(text.split()))
    return out


def _check(footers: list[str], must_contain: list[str]) -> None:
    assert footers
    for number, footer in enumerate(footers, 1):
        assert "\u2026" not in footer, (number, footer)
        for words in must_contain:
            assert words in footer, (number, words, footer)
        assert f"Page {number} of {len(footers)}" in footer, (number, footer)


@needs_poppler
@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_specification_footer_has_the_whole_title_on_every_page(path, tmp_path):
    out = tmp_path / "spec.pdf"
    export_spec(load_pathway(path), "pdf", out)
    _check(_footers(out), [TITLES[path.stem]])


@needs_poppler
@pytest.mark.parametrize("stem", ["frailty-hip-pops", "prepare-og-imperial",
                                  "eras-plus-colorectal"])
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_school_footer_has_the_whole_patient_title_on_every_page(stem, large, tmp_path):
    out = tmp_path / "school.pdf"
    export_school(load_pathway(LIBRARY / f"{stem}.yaml"), "pdf", out, large_print=large)
    # the booklet drops bracketed guideline short forms and explains others in brackets:
    # every word of the title outside brackets must still be there
    words = re.sub(r"\([^)]*\)", " ", TITLES[stem]).split()
    _check(_footers(out), words)


@pytest.mark.parametrize("size", [8.0, 12.0, 16.0])
@pytest.mark.parametrize("kind", ["spec", "board", "school"])
def test_footer_lines_keep_every_word_and_clear_the_widest_page_number(kind, size):
    font = kit.fonts()[0]
    label = stringWidth("Page 999 of 999", font, size)
    for title in TITLES.values():
        text = {"spec": f"{title} \u2022 version 1.0.0 \u2022 Library exemplar",
                "board": f"{title} \u2022 board paper \u2022 version 1.0.0",
                "school": f"Surgery School \u2022 {title}"}[kind]
        lines = kit.footer_lines(text, font, size)
        assert " ".join(lines) == text
        for line in lines:
            assert stringWidth(line, font, size) + label + size <= kit.PAGE_WIDTH - 2 * kit.MARGIN
        # the footer's rule stays below the body frame's bottom edge
        rule = kit.footer_rule_height(len(lines), size)
        assert rule < kit.footer_margin(text, size)


def test_a_wrapped_footer_is_drawn_on_separate_lines_clear_of_the_page_number():
    drawn = []
    title = TITLES["frailty-hip-pops"]

    class Recorder(kit.canvas_maker(f"{title} \u2022 version 1.0.0 \u2022 Library exemplar",
                                    16.0)):
        def drawString(self, x, y, text, *args, **kwargs):          # noqa: N802
            drawn.append(("left", x, y, text))

        def drawRightString(self, x, y, text, *args, **kwargs):     # noqa: N802
            drawn.append(("right", x, y, text))

    canvas = Recorder(io.BytesIO(), pagesize=kit.A4)
    canvas.showPage()
    canvas.save()
    left = [d for d in drawn if d[0] == "left"]
    (_, rx, ry, label), = [d for d in drawn if d[0] == "right"]
    assert len(left) >= 2 and len({y for _, _, y, _ in left}) == len(left)
    assert title in " ".join(t for *_, t in sorted(left, key=lambda d: -d[2]))
    start = rx - stringWidth(label, canvas.footer_font, 16.0)
    for _, x, y, text in left:
        assert x + stringWidth(text, canvas.footer_font, 16.0) < start - 8
