"""The ``diff`` sub-command: a clinical comparison of two pathway files."""

from __future__ import annotations

import argparse
import json
import sys

from designer.cli.common import EXIT_DIFFERENT, EXIT_IDENTICAL, EXIT_UNREADABLE

_DESCRIPTION = """\
Compare two pathways clinically: steps are matched by id, then by name where
ids differ; the report lists steps added, removed and changed field by field,
transitions and handoff information added or removed, and numeric thresholds
in conditions that moved (e.g. HbA1c >= 69 became >= 64). A is 'before' (for
example the library exemplar), B is 'after' (for example your trust's version).

exit status:
  0  the pathways are clinically identical
  1  there are differences
  2  a file could not be read (the message says why)
"""


def _cmd_diff(args: argparse.Namespace) -> int:
    from designer.graph.diff import diff_pathways
    from designer.graph.io import PathwayLoadError, load_pathway

    pathways = []
    for name in (args.a, args.b):
        try:
            pathways.append(load_pathway(name))
        except PathwayLoadError as exc:
            print(str(exc), file=sys.stderr)
            return EXIT_UNREADABLE
    diff = diff_pathways(*pathways)
    if args.json:
        data = {"a_file": args.a, "b_file": args.b, **diff.to_json()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.markdown:
        print(diff.to_markdown())
    else:
        print(_as_text(diff))
    return EXIT_IDENTICAL if diff.is_empty() else EXIT_DIFFERENT


def _as_text(diff) -> str:
    """A plain table that reads in a terminal: one change a line, grouped by subject."""
    lines = [f"A: {diff.a_label}", f"B: {diff.b_label}", "", diff.summary()]
    if diff.is_empty():
        return "\n".join(lines)
    lines.append("")
    sign = {"added": "+", "removed": "-", "changed": "~"}
    subject = None
    for row in diff.rows():
        if row["subject"] != subject:
            subject = row["subject"]
            lines.append(subject)
        if not row["field"]:
            lines.append(f"  {sign[row['change']]} {row['change']}")
        elif row["old"] and row["new"]:
            lines.append(f"  {sign[row['change']]} {row['field']}: {row['old']} -> {row['new']}")
        else:
            value = row["new"] or row["old"]
            lines.append(f"  {sign[row['change']]} {row['field']} {row['change']}: {value}")
    return "\n".join(lines)


def register(subparsers) -> None:
    """Add ``diff A B [--json | --markdown]`` to the command line."""
    p = subparsers.add_parser(
        "diff", help="compare two pathways clinically (exit 0 same, 1 different, 2 unreadable)",
        description=_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", metavar="A", help="the 'before' pathway file (e.g. the exemplar)")
    p.add_argument("b", metavar="B", help="the 'after' pathway file (e.g. your version)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="print the differences as JSON")
    out.add_argument("--markdown", action="store_true",
                     help="print the differences as a Markdown table")
    p.set_defaults(handler=_cmd_diff)
