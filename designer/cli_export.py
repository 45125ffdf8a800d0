"""``periop export``: write a pathway as documents, interop files and pictures.

``periop export FILE --format fhir --format bpmn -o OUT`` (or ``--format
fhir,bpmn``, or ``--format all``). With one format, OUT is the file to write
(or a folder to write into); with several, OUT is a folder, created when
missing, and the file names come from the pathway id. The export never writes
over the pathway file itself.

Exit codes: 0 every export written; 1 an export failed (the others are still
written); 2 the pathway file could not be read.

The table :data:`FORMATS` and :func:`export_one` are shared with the File >
Export dialog, so both write the same files.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .graph.gcpause import gc_paused

EXIT_OK, EXIT_FAILED, EXIT_UNREADABLE = 0, 1, 2


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
    """The file name a format gets in an output folder (from the pathway id)."""
    return f"{pathway.id}{FORMATS[fmt].suffix}"


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
               report=None, png_scale: float = 2.0) -> list[str]:
    """Write one export; return warnings for people (reading age for Surgery School).

    Raises
    ------
    ExportRefused
        When ``out_path`` is the pathway file itself.
    Exception
        Whatever the exporter raises when it fails; callers show its message.
    """
    if fmt not in FORMATS:
        raise ExportRefused(f"unknown export format '{fmt}'")
    out = Path(out_path)
    if same_file(out, source_path):
        raise ExportRefused(f"{out} is the pathway file itself; choose another name")
    kind, _, variant = fmt.partition("-")
    if kind == "spec":
        from .export.spec import export_spec

        export_spec(pathway, variant, out, report=report)
        return []
    if kind == "school":
        from .export.school import export_school

        school = export_school(pathway, variant, out, large_print=large_print)
        return list(school.warnings)
    if fmt == "fhir":
        from .export.fhir import export_fhir

        export_fhir(pathway, out)
    elif fmt == "bpmn":
        from .export.bpmn import export_bpmn

        export_bpmn(pathway, out)
    elif fmt == "graphml":
        from .export.graphml import export_graphml

        export_graphml(pathway, out)
    elif fmt == "svg":
        from .export.diagram import render_svg

        out.write_text(render_svg(pathway, legend=True), encoding="utf-8")
    elif fmt == "png":
        from .export.diagram import render_png

        out.write_bytes(render_png(pathway, scale=png_scale, legend=True))
    return []


def parse_formats(values: list[str]) -> list[str]:
    """Formats from repeated or comma-separated ``--format`` values, in order, once each."""
    chosen: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip().lower()
            if not part:
                continue
            names = list(FORMATS) if part == "all" else [part]
            for name in names:
                if name not in FORMATS:
                    raise ValueError(
                        f"unknown format '{part}'; choose from {', '.join(FORMATS)} or all")
                if name not in chosen:
                    chosen.append(name)
    return chosen


def plan_outputs(pathway, formats: list[str], out: str | None) -> dict[str, Path]:
    """Where each format goes: OUT is a file for one format, else a folder."""
    target = Path(out) if out else Path.cwd()
    as_folder = (len(formats) > 1 or out is None or target.is_dir()
                 or str(out).endswith(("/", os.sep)))
    if as_folder:
        if target.exists() and not target.is_dir():
            raise ExportRefused(f"{target} is a file; several formats need a folder")
        if len(formats) > 1 and not target.exists() and target.suffix.lower() in _SUFFIXES:
            raise ExportRefused(f"{target} looks like a file name; several formats need a "
                                "folder (the files are named after the pathway)")
        return {fmt: target / default_file_name(pathway, fmt) for fmt in formats}
    return {formats[0]: target}


def _cmd_export(args: argparse.Namespace) -> int:
    from .graph.io import PathwayLoadError, load_pathway

    try:
        formats = parse_formats(args.format or [])
    except ValueError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if not formats:
        print("export: choose at least one --format", file=sys.stderr)
        return EXIT_FAILED
    if not Path(args.file).is_file():
        print(f"{args.file}: no such file", file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        pathway = load_pathway(args.file)
    except PathwayLoadError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    try:
        outputs = plan_outputs(pathway, formats, args.output)
        for path in outputs.values():
            if same_file(path, args.file):
                raise ExportRefused(
                    f"{path} is the pathway file itself; choose another output name")
        folder = {p.parent for p in outputs.values()}
        for parent in folder:
            parent.mkdir(parents=True, exist_ok=True)
    except (ExportRefused, OSError) as exc:
        print(f"export: {exc}", file=sys.stderr)
        return EXIT_FAILED

    from .graph.validate import validate

    report = validate(pathway) if any(f.startswith("spec-") for f in formats) else None
    status = EXIT_OK
    warned: set[str] = set()
    for fmt, path in outputs.items():
        try:
            warnings = export_one(pathway, fmt, path, source_path=args.file,
                                  large_print=args.large_print, report=report,
                                  png_scale=args.scale)
        except Exception as exc:  # noqa: BLE001 - one message per failed export
            print(f"export {fmt}: could not write {path}: {exc}", file=sys.stderr)
            status = EXIT_FAILED
            continue
        print(path)
        for warning in warnings:
            if warning not in warned:    # the same booklet text in HTML, PDF and Word
                warned.add(warning)
                print(f"warning (Surgery School): {warning}", file=sys.stderr)
    return status


def register(subparsers) -> None:
    """Add the ``export`` sub-command."""
    p = subparsers.add_parser(
        "export", help="write documents, FHIR, BPMN, GraphML or a diagram",
        description="Export a pathway. Formats: " + ", ".join(FORMATS) + " (or all). "
                    "Several formats go into the folder OUT, named from the pathway id. "
                    "Exit 0: written; 1: an export failed; 2: the file could not be read.")
    p.add_argument("file", metavar="FILE", help="pathway YAML file")
    p.add_argument("--format", "-f", action="append", metavar="FORMAT",
                   help="format to write; repeat or separate with commas")
    p.add_argument("-o", "--output", metavar="OUT",
                   help="output file (one format) or folder (default: current folder)")
    p.add_argument("--large-print", action="store_true",
                   help="Surgery School materials in large print (16 pt or more)")
    p.add_argument("--scale", type=float, default=2.0,
                   help="PNG pixels per diagram unit (default 2, sharp in print)")
    p.set_defaults(handler=_cmd_export)
