"""Issue 14: the canvas shows every step's name and owner whole, as the exports do."""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_support import make_canvas
from designer.graph.io import load_pathway

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"


@pytest.mark.parametrize("stem", ["frailty-hip-pops", "eras-plus-colorectal",
                                  "prehab4cancer", "waiting-well-my-planned-care"])
def test_canvas_shows_names_and_owners_from_the_file_whole(qtbot, stem):
    pathway = load_pathway(LIBRARY / f"{stem}.yaml")
    _, _, scene, _ = make_canvas(qtbot, pathway)
    for step in pathway.steps:
        item = scene.item_for(step.id)
        below = item._below.text().split("\n") if item._below is not None else []
        lines = item.text_lines() + below
        assert not [line for line in lines if "…" in line], (step.name, lines)
        shown = " ".join(lines)
        assert " ".join(step.name.split()) in shown, (step.name, lines)
        role = pathway.role(step.owner) if step.owner else None
        if role is not None:
            assert role.name in shown, (role.name, lines)
