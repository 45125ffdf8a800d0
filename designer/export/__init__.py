"""Every export the designer writes, in one table, and one function to write any of them.

:data:`FORMATS` names each export (its key on the command line, a label for people,
its file name suffix and its group); :func:`export_one` writes one of them. The
command line (``periop export``) and the File > Export dialog both use these, so
they write the same files.

The writers are imported only when a format is written: importing this package
(or ``designer.export.interop.bpmn``) stays light and never loads Qt.

- ``spec/``: the board specification (HTML, PDF, Word, Markdown)
- ``board/``: the board pack (business case, QIA, EIA, risks; HTML, PDF, Word)
- ``school/``: the Surgery School booklet for patients
- ``interop/``: FHIR, BPMN and GraphML files for other systems (Qt-free)
- ``diagram.py`` / ``diagram_pages.py``: the diagram as SVG / PNG and printed pages
- ``action_log.py``: the workshop's action log
- ``kit/``: shared writers' helpers (Word, PDF, HTML, XML text, the export file writer)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from designer.export.kit.files import ExportError, write_export, write_export_text  # noqa: F401
from designer.graph.gcpause import gc_paused


@dataclass(frozen=True)
class ExportFormat:
    """One export: its key on the command line, a label for people and its file name."""

    key: str
    label: str
    suffix: str        # appended to the pathway id to make the file name
    group: str


FORMATS: dict[str, ExportFormat] = {f.key: f for f in (
    ExportFormat("spec-html", "Board specification (HTML)", "-specification.html", "board"),
    ExportFormat("spec-pdf", "Board specification (PDF)", "-specification.pdf", "board"),
    ExportFormat("spec-docx", "Board specification (Word)", "-specification.docx", "board"),
    ExportFormat("spec-md", "Board specification (Markdown)", "-specification.md", "board"),
    ExportFormat("board-pdf", "Board pack: business case (PDF)", "-board-pack.pdf", "board"),
    ExportFormat("board-docx", "Board pack: business case (Word)", "-board-pack.docx", "board"),
    ExportFormat("board-html", "Board pack: business case (HTML)", "-board-pack.html", "board"),
    ExportFormat("school-html", "Surgery School booklet (HTML)", "-surgery-school.html",
                 "patients"),
    ExportFormat("school-pdf", "Surgery School booklet (PDF)", "-surgery-school.pdf",
                 "patients"),
    ExportFormat("school-docx", "Surgery School booklet (Word)", "-surgery-school.docx",
                 "patients"),
    ExportFormat("fhir", "FHIR R4 PlanDefinition (JSON)", "-plandefinition.fhir.json",
                 "systems"),
    ExportFormat("bpmn", "BPMN 2.0 process (XML)", ".bpmn", "systems"),
    ExportFormat("graphml", "GraphML network (yEd, Gephi)", ".graphml", "systems"),
    ExportFormat("svg", "Diagram (SVG)", "-diagram.svg", "pictures"),
    ExportFormat("png", "Diagram (PNG)", "-diagram.png", "pictures"),
)}


_SUFFIXES = {"." + f.suffix.rsplit(".", 1)[-1].lower() for f in FORMATS.values()} | {".xml"}


class ExportRefused(Exception):
    """An export that would do harm (e.g. write over the pathway file); message for people."""


def default_file_name(pathway, fmt: str) -> str:
    """The file name a format gets in an output folder (from the pathway id).

    A pathway still called ``new-pathway`` is named from its title instead, so the
    exports of a retitled pathway never all go out as ``new-pathway.pdf``.
    """
    # here, not at the top: ``periop --help`` lists FORMATS without loading the model
    from designer.graph.ids import DEFAULT_PATHWAY_ID, slugify

    stem = pathway.id
    if stem == DEFAULT_PATHWAY_ID and getattr(pathway, "title", None):
        stem = slugify(pathway.title, DEFAULT_PATHWAY_ID)
    return f"{stem}{FORMATS[fmt].suffix}"


def same_file(a, b) -> bool:
    """True when paths ``a`` and ``b`` name the same file (existing or not)."""
    if a is None or b is None:
        return False
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    return pa.resolve() == pb.resolve()


@gc_paused()     # exports build many objects and no lasting cycles: see graph/gcpause.py
def export_one(pathway, fmt: str, out_path, *, source_path=None, large_print: bool = False,
               report=None, png_scale: float = 2.0, results=None) -> list[str]:
    """Write one export; return warnings for people (reading age for Surgery School).

    Text is cleaned for every format first (:func:`designer.export.kit.xmltext.clean_pathway`:
    pasted vertical tabs, form feeds, NEL and other control characters), so a name
    pasted from another program never breaks a Word or XML file.

    ``results``: simulation results of this very pathway (unchanged since they were
    made) for the board pack to reuse instead of simulating again.

    Raises
    ------
    ExportRefused
        When ``out_path`` is the pathway file itself.
    ExportError
        When the export fails; the message is for people (a library's own error,
        such as reportlab's layout error, never reaches them as it is).
    """
    if fmt not in FORMATS:
        raise ExportRefused(f"unknown export format '{fmt}'")
    out = Path(out_path)
    if same_file(out, source_path):
        raise ExportRefused(f"{out} is the pathway file itself; choose another name")
    from designer.export.kit.xmltext import clean_pathway

    cleaned = clean_pathway(pathway)
    if cleaned is not pathway and report is not None:
        from designer.graph.validate import validate

        report = validate(cleaned)   # its messages quote the cleaned text
    try:
        return _export(cleaned, fmt, out, large_print, report, png_scale, results)
    except (ExportError, ExportRefused):
        raise
    except Exception as exc:  # noqa: BLE001 - one message for people, the cause chained
        raise ExportError(_failure_message(FORMATS[fmt], exc)) from exc


def _failure_message(fmt: ExportFormat, exc: Exception) -> str:
    """A sentence for people about an exporter that failed (never a library's internals)."""
    name = type(exc).__name__
    if name == "LayoutError":   # reportlab: something does not fit on a page
        return (f"{fmt.label} could not be laid out: part of the pathway is too large to fit "
                "on a page (a very long text or a very large diagram). Shorten it, or export "
                "as HTML or Word instead.")
    if isinstance(exc, (MemoryError, OverflowError)):
        return (f"{fmt.label} could not be written: the pathway is too large to draw "
                "(check for steps placed very far apart).")
    detail = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else name
    return f"{fmt.label} could not be written ({detail})."


def _export(pathway, fmt: str, out: Path, large_print: bool, report, png_scale: float,
            results=None) -> list[str]:
    kind, _, variant = fmt.partition("-")
    if kind == "spec":
        from designer.export.spec import export_spec

        export_spec(pathway, variant, out, report=report)
        return []
    if kind == "board":
        from designer.export.board import export_board

        export_board(pathway, variant, out, report=report, results=results)
        return []
    if kind == "school":
        from designer.export.school import export_school

        school = export_school(pathway, variant, out, large_print=large_print)
        return list(school.warnings)
    if fmt == "fhir":
        from designer.export.interop.fhir import write_fhir

        write_fhir(pathway, out)
    elif fmt == "bpmn":
        from designer.export.interop.bpmn import export_bpmn

        export_bpmn(pathway, out)
    elif fmt == "graphml":
        from designer.export.interop.graphml import export_graphml

        export_graphml(pathway, out)
    elif fmt == "svg":
        from designer.export.diagram import render_svg

        write_export_text(out, render_svg(pathway, legend=True))
    elif fmt == "png":
        from designer.export.diagram import render_png

        data = render_png(pathway, scale=png_scale, legend=True)
        if not data:   # Qt could not make the picture: never report an empty file as done
            raise ExportError(f"{FORMATS[fmt].label} could not be drawn: the diagram is too "
                              "large for a picture (check for steps placed very far apart); "
                              "export it as SVG instead.")
        write_export(out, lambda tmp: tmp.write_bytes(data))
    return []
