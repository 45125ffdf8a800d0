"""The ``import`` sub-command: a BPMN 2.0 or FHIR PlanDefinition file to a pathway."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.cli.common import EXIT_OK, EXIT_UNREADABLE

_DESCRIPTION = """\
Read a BPMN 2.0 file (from any modeller: Camunda, Signavio, bpmn.io, Visio...)
or a FHIR R4 PlanDefinition (JSON, or a Bundle holding one) and write a pathway
file, with an import report beside it (OUT.import-report.md) listing what was
kept, how it was mapped, what had no equivalent and what to complete.

exit status:
  0  imported (the report and the findings say what to complete)
  2  the file could not be imported (the message says why); nothing is written
"""


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "import", help="import a BPMN 2.0 or FHIR PlanDefinition file as a pathway",
        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("file", metavar="FILE", help="FILE.bpmn or FILE.json")
    p.add_argument("-o", "--output", metavar="OUT.yaml", required=True,
                   help="the pathway file to write (the report goes beside it)")
    p.add_argument("--format", choices=("bpmn", "fhir"),
                   help="read FILE as this format (default: from its name or content)")
    p.add_argument("--sub-pathways", action="store_true",
                   help="also write each BPMN sub-process as a pathway of its own "
                        "(OUT.STEP.yaml), linked from its step's description")
    return p


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_UNREADABLE


def run(args: argparse.Namespace) -> int:
    from designer.export.interop.import_common import ImportRefused
    from designer.export.interop.importing import import_file, link_sub_pathways, report_path
    from designer.graph.io import PathwaySaveError, dump_pathway, write_text_atomic

    source, out = Path(args.file), Path(args.output)
    report_file = report_path(out)
    if source.resolve() in (out.resolve(), report_file.resolve()):
        return _err(f"Cannot import {source}: the output would overwrite the input; "
                    "choose another name with -o")
    if not out.parent.is_dir():
        return _err(f"Cannot import {source}: the folder {out.parent} does not exist")
    try:
        result = import_file(source, args.format, args.sub_pathways)
    except ImportRefused as exc:
        return _err(str(exc))
    except Exception as exc:  # a bug: still one message and nothing written
        return _err(f"Cannot import {source}: unexpected error ({type(exc).__name__}: "
                    f"{exc}); this is a bug in the designer, please report it")
    pathway, report = result.pathway, result.report
    subs = link_sub_pathways(result, out)
    if source.resolve() in {target.resolve() for target, _sub in subs}:
        return _err(f"Cannot import {source}: a sub-pathway would overwrite the input; "
                    "choose another name with -o")
    try:
        for target, sub in [(out, result), *subs]:
            write_text_atomic(target, dump_pathway(sub.pathway))
            write_text_atomic(report_path(target), sub.report.to_markdown())
    except PathwaySaveError as exc:
        return _err(str(exc))
    counts = report.finding_counts
    print(f"Imported {source.name} ({report.fmt}) to {out}: {len(pathway.steps)} steps, "
          f"{len(pathway.transitions)} transitions, {len(pathway.settings)} settings.")
    if report.dropped:
        print(f"{report.dropped_count()} element(s) had no equivalent and were not carried "
              f"over ({', '.join(sorted(report.dropped)[:4])}"
              f"{', ...' if len(report.dropped) > 4 else ''}).")
    print(f"Findings: {counts.get('error', 0)} errors, {counts.get('warning', 0)} warnings "
          "- open the pathway in the designer to complete it.")
    for target, sub in subs:
        print(f"Sub-pathway: {target} ({len(sub.pathway.steps)} steps)")
    print(f"Report: {report_file}")
    return EXIT_OK
