"""``periop rules``: list every validation rule with its pack, severity and source."""

from __future__ import annotations

import argparse
import json

from designer.cli.common import EXIT_OK


def register(subparsers) -> None:
    p = subparsers.add_parser("rules", help="list the validation rules with their sources",
                              description="List every validation rule: pack, id, default "
                                          "severity, title and clinical source.")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from designer.graph.rules import catalogue

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
