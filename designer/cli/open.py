"""``periop open [FILE]``: the designer window (also what ``periop`` alone does).

The only command that loads Qt widgets, and only when it runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from designer.cli.common import EXIT_UNREADABLE, print_err


def register(subparsers) -> None:
    p = subparsers.add_parser("open", help="open the designer window",
                              description="Open the designer, optionally on FILE.")
    p.add_argument("file", nargs="?", metavar="FILE")
    p.add_argument("--screenshot", metavar="OUT.png",
                   help="render the window offscreen at 1600x1000, save it and exit")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.file and not Path(args.file).exists():
        print_err(f"{args.file}: no such file")
        return EXIT_UNREADABLE
    from designer.ui.window.app import run_app  # Qt is loaded only here

    return run_app(args.file, screenshot=args.screenshot)
