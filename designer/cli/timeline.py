"""``periop timeline FILE``: expected days, T-minus relative to surgery, the critical path."""

from __future__ import annotations

import argparse
import json

from designer.cli.common import EXIT_OK, EXIT_UNREADABLE, print_err


def register(subparsers) -> None:
    p = subparsers.add_parser("timeline", help="expected days and T-minus relative to surgery",
                              description="Print each step's expected day from the entry, its "
                                          "day relative to surgery and the critical path.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from designer.graph.io import PathwayLoadError, load_pathway
    from designer.graph.timeline import compute_timeline

    try:
        pathway = load_pathway(args.file)
    except PathwayLoadError as exc:
        print_err(str(exc))
        return EXIT_UNREADABLE
    timeline = compute_timeline(pathway)
    if args.json:
        print(json.dumps(timeline.to_json(), indent=2, ensure_ascii=False))
    else:
        print(timeline.to_text(pathway))
    return EXIT_OK
