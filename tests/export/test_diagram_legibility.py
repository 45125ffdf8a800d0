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
