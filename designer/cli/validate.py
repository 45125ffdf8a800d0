"""``periop validate FILE...``: check pathway files against the rule packs."""

from __future__ import annotations

import argparse
import json

from designer.cli.common import EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, print_err


def register(subparsers) -> None:
    p = subparsers.add_parser("validate", help="check pathway files against the rule packs",
                              description="Check pathway files. Exit 0: no errors; 1: errors "
                                          "remain; 2: a file could not be read.")
    p.add_argument("files", nargs="+", metavar="FILE", help="pathway YAML file(s)")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from designer.graph.gcpause import gc_paused

    with gc_paused():  # the model's classes: many lasting objects, no garbage
        from designer.graph.io import PathwayLoadError, load_pathway
        from designer.graph.validate import validate

    results = []
    worst = EXIT_OK
    for name in args.files:
        try:
            pathway = load_pathway(name)
            report = validate(pathway)
        except Exception as exc:  # noqa: BLE001 - one bad file never hides the others
            message = str(exc) if isinstance(exc, PathwayLoadError) else (
                f"Cannot check {name}: unexpected {type(exc).__name__} ({str(exc)[:200]})")
            worst = EXIT_UNREADABLE
            results.append({"file": name, "error": message})
            if not args.json:
                print_err(message)
            continue
        if report.summary["error"] and worst == EXIT_OK:
            worst = EXIT_FINDINGS
        results.append({"file": name, **report.to_json()})
        if not args.json:
            print(report.to_text(name))
    if args.json:
        print(json.dumps({"files": results}, indent=2, ensure_ascii=False))
    return worst
