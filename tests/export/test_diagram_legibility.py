"""Issue 14: the diagram a reader sees in every exemplar: whole names, no empty band."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.graph.io import load_pathway

pytest.importorskip("PySide6.QtGui")

from designer.export.diagram import MARGIN, render_image  # noqa: E402

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_last_lane_reaches_the_foot_of_the_picture(path):
    """The lanes fill the picture: below the last lane there is no empty band.

    The truth is the last setting's header colour (from the style, by the
    setting's kind in the pathway file), looked for in the pixels at the very
    foot of the picture's frame, in the header column where no arrow runs.
    """
    from PySide6.QtGui import QColor

    from designer.render import style

    pathway = load_pathway(path)
    image = render_image(pathway, scale=1.0)
    header = QColor(style.lane_colours(pathway.settings[-1].kind)[1]).name()
    foot = image.height() - int(MARGIN) - 3
    assert image.pixelColor(int(MARGIN) + 4, foot).name() == header, (
        f"{path.stem}: the last lane stops above the picture's foot")


def _owner_name(pathway, step) -> str:
    role = pathway.role(step.owner) if step.owner else None
    return role.name if role else (step.owner or "")


def _svg_texts(svg: str) -> list[str]:
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    return [" ".join("".join(el.itertext()).split())
            for el in root.iter("{http://www.w3.org/2000/svg}text")]


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_step_and_owner_name_is_drawn_whole(path):
    """A reader can read who owns each step: the names in the pathway file are
    drawn whole (lines of one step follow each other), never cut with "…"."""
    pytest.importorskip("PySide6.QtSvg")
    from designer.export.diagram import render_svg

    pathway = load_pathway(path)
    texts = _svg_texts(render_svg(pathway))
    assert not [t for t in texts if "…" in t], path.stem
    drawn = " ".join(texts)
    for step in pathway.steps:
        assert " ".join(step.name.split()) in drawn, step.name
        owner = _owner_name(pathway, step)
        if owner:
            assert owner in drawn, (step.name, owner)


@pytest.mark.parametrize("stem", ["eras-plus-colorectal", "diabetes-preop-clinic"])
def test_spec_pdf_diagram_shows_every_name_whole(stem, tmp_path):
    """The printed specification's diagram pages: pdftotext finds every step and
    owner name of the pathway file, word for word, and no "…"."""
    import re
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("poppler's pdftotext is not installed")
    from designer.export import export_one

    pathway = load_pathway(LIBRARY / f"{stem}.yaml")
    out = tmp_path / "spec.pdf"
    export_one(pathway, "spec-pdf", out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [page for page in text.split("\f") if "Diagram, part" in page]
    assert pages, "no diagram pages found"
    diagram = " ".join(pages)
    lines = [line for line in diagram.splitlines() if "…" in line]
    assert not lines, lines
    words = set(re.findall(r"[\w'≥<>()/-]+", diagram))
    for step in pathway.steps:
        for name in (step.name, _owner_name(pathway, step)):
            missing = [w for w in re.findall(r"[\w'≥<>()/-]+", name) if w not in words]
            assert not missing, (name, missing)
