"""``periop export``: write a pathway as documents, interop files and pictures.

``periop export FILE --format fhir --format bpmn -o OUT`` (or ``--format
fhir,bpmn``, or ``--format all``). With one format, OUT is the file to write
(or a folder to write into); with several, OUT is a folder, created when
missing, and the file names come from the pathway id. The export never writes
over the pathway file itself.

Exit codes: 0 every export written; 1 an export failed (the others are still
written); 2 the pathway file could not be read.

The table :data:`~designer.export.FORMATS` and :func:`~designer.export.export_one`
live in :mod:`designer.export`, shared with the File > Export dialog.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from designer.cli.common import EXIT_FAILED, EXIT_OK, EXIT_UNREADABLE
from designer.export import (
    _SUFFIXES, FORMATS, ExportRefused, default_file_name, export_one, same_file,
)


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
    from designer.graph.io import PathwayLoadError, load_pathway

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

    from designer.graph.validate import validate

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
