"""Command line: ``periop`` / ``python -m designer``.

Sub-commands keep their imports inside their handlers, so ``validate`` and
``export`` never load Qt widgets and start fast. Other parts of the package add
sub-commands by listing a module in ``_PLUGINS`` that defines
``register(subparsers)``; each registered parser sets ``handler`` to a function
``(args) -> int`` (the exit code).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Sequence

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

# modules that add sub-commands: (module, what it adds)
_PLUGINS = (
    "designer.cli_library",   # library list|show|new
    "designer.cli_export",    # export
    "designer.cli_diff",      # diff
)


def _print_err(message: str) -> None:
    print(message, file=sys.stderr)


# ---------------------------------------------------------------------- validate


def _cmd_validate(args: argparse.Namespace) -> int:
    from .graph.io import PathwayLoadError, load_pathway
    from .graph.validate import validate

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
                _print_err(message)
            continue
        if report.summary["error"] and worst == EXIT_OK:
            worst = EXIT_FINDINGS
        results.append({"file": name, **report.to_json()})
        if not args.json:
            print(report.to_text(name))
    if args.json:
        print(json.dumps({"files": results}, indent=2, ensure_ascii=False))
    return worst


# ---------------------------------------------------------------------- timeline


def _cmd_timeline(args: argparse.Namespace) -> int:
    from .graph.io import PathwayLoadError, load_pathway
    from .graph.timeline import compute_timeline

    try:
        pathway = load_pathway(args.file)
    except PathwayLoadError as exc:
        _print_err(str(exc))
        return EXIT_UNREADABLE
    timeline = compute_timeline(pathway)
    if args.json:
        print(json.dumps(timeline.to_json(), indent=2, ensure_ascii=False))
    else:
        print(timeline.to_text(pathway))
    return EXIT_OK


# ------------------------------------------------------------------------- rules


def _cmd_rules(args: argparse.Namespace) -> int:
    from .graph.rules import catalogue

    rules = catalogue()
    if args.json:
        print(json.dumps(rules, indent=2, ensure_ascii=False))
        return EXIT_OK
    width = max(len(r["id"]) for r in rules)
    pack = None
    for r in rules:
        if r["pack"] != pack:
            pack = r["pack"]
            always = " (always on)" if pack == "core" else " (opt in with rule_packs)"
            print(f"\n{pack}{always}")
        print(f"  {r['id'].ljust(width)}  {r['severity']:<7}  {r['title']}")
        print(f"  {''.ljust(width)}  source: {r['source']}")
    return EXIT_OK


# ------------------------------------------------------------------------ schema


def _cmd_schema(args: argparse.Namespace) -> int:
    from .graph.io import json_schema

    print(json.dumps(json_schema(), indent=2))
    return EXIT_OK


# -------------------------------------------------------------------------- open


def _cmd_open(args: argparse.Namespace) -> int:
    if args.file and not Path(args.file).exists():
        _print_err(f"{args.file}: no such file")
        return EXIT_UNREADABLE
    from .ui.app import run_app  # Qt is loaded only here

    return run_app(args.file, screenshot=args.screenshot)


# ------------------------------------------------------------------------ parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="periop",
        description="Perioperative Pathway Designer: design, check and export "
                    "perioperative care pathways. With no command, opens the designer.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check pathway files against the rule packs",
                       description="Check pathway files. Exit 0: no errors; 1: errors "
                                   "remain; 2: a file could not be read.")
    p.add_argument("files", nargs="+", metavar="FILE", help="pathway YAML file(s)")
    p.add_argument("--json", action="store_true", help="print findings as JSON")
    p.set_defaults(handler=_cmd_validate)

    p = sub.add_parser("timeline", help="expected days and T-minus relative to surgery",
                       description="Print each step's expected day from the entry, its "
                                   "day relative to surgery and the critical path.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_cmd_timeline)

    p = sub.add_parser("rules", help="list the validation rules with their sources",
                       description="List every validation rule: pack, id, default "
                                   "severity, title and clinical source.")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_cmd_rules)

    p = sub.add_parser("schema", help="print the JSON Schema of the pathway format",
                       description="Print the JSON Schema of periop-pathway/1.")
    p.set_defaults(handler=_cmd_schema)

    p = sub.add_parser("open", help="open the designer window",
                       description="Open the designer, optionally on FILE.")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--screenshot", metavar="OUT.png",
                   help="render the window offscreen at 1600x1000, save it and exit")
    p.set_defaults(handler=_cmd_open)

    for module_name in _PLUGINS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        args = parser.parse_args(["open", *([] if argv is None else list(argv))])
    try:
        return args.handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
