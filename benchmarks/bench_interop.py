"""Interop exports and the diagram picture on synthetic pathways (CLI and File > Export)."""

from __future__ import annotations

from pathlib import Path

from generate import make_pathway
from timing import best_of

from designer.export.interop.bpmn import export_bpmn
from designer.export.diagram import render_png, render_svg
from designer.export.interop.fhir import export_fhir
from designer.export.interop.graphml import export_graphml

SIZES = (30, 200)
EXEMPLAR = Path(__file__).resolve().parents[1] / "pathway_library" / "eras-plus-colorectal.yaml"


def run(report) -> None:
    render_png(make_pathway(12))           # start Qt and load fonts outside the timing
    cases = [(f"{n:,} steps", make_pathway(n), 5 if n < 100 else 3) for n in SIZES]
    if EXEMPLAR.exists():
        from designer.graph.io import load_pathway

        cases.insert(0, ("ERAS+ exemplar (auto-laid-out)", load_pathway(EXEMPLAR), 5))
    for what, pathway, repeats in cases:
        for name, fn in (
                ("diagram PNG (scale 1)", lambda: render_png(pathway)),
                ("diagram PNG (scale 2)", lambda: render_png(pathway, scale=2.0)),
                ("diagram SVG", lambda: render_svg(pathway)),
                ("FHIR PlanDefinition", lambda: export_fhir(pathway)),
                ("BPMN with DI", lambda: export_bpmn(pathway)),
                ("GraphML", lambda: export_graphml(pathway))):
            report("export", f"{name}, {what}", best_of(repeats, fn) * 1000, "ms")


if __name__ == "__main__":
    def _print(area, measure, value, unit, target=""):
        print(f"{area:10} {measure:36} {value:10.2f} {unit:3} {target}")

    run(_print)
