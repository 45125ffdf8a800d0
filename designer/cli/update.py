"""The ``update`` sub-command: bring a newer national version into a local variant.

``periop update LOCAL.yaml`` merges the newer version of the pathway LOCAL was
derived from into it (three-way, from the version it was derived from), asking
where both changed (docs/sharing.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from designer.cli.common import EXIT_OK, EXIT_UNREADABLE

EXIT_NOTHING = 1      # nothing to update


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_UNREADABLE


def _chooser(prefer: str | None):
    from designer.library.update import OURS, THEIRS

    if prefer:
        return lambda conflict: prefer
    if not sys.stdin.isatty():
        return lambda conflict: OURS

    def ask(conflict) -> str:
        print(f"Both changed: {conflict.describe()}")
        while True:
            answer = input("  keep [o]urs (local) or take [t]heirs (source)? ").strip().lower()
            if answer in ("o", "ours", ""):
                return OURS
            if answer in ("t", "theirs"):
                return THEIRS
    return ask


def _cmd_update(args: argparse.Namespace) -> int:
    from designer.graph.diff import diff_pathways
    from designer.graph.io import PathwayLoadError, PathwaySaveError, load_pathway, save_pathway
    from designer.library import LibraryError
    from designer.library.shared import GIT, git_checkout, load_sources, shared_library
    from designer.library.update import find_base, three_way_merge, update_for

    try:
        local = load_pathway(args.file)
        sources = load_sources()
    except (PathwayLoadError, LibraryError) as exc:
        return _err(str(exc))
    if local.derived_from is None:
        print(f"{args.file} was not made from a library pathway (no derived_from).")
        return EXIT_NOTHING
    library, problems = shared_library(sources, sync=args.sync)
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    update = update_for(local, library)
    if update is None:
        print(f"{local.title} is up to date with {local.derived_from.id} "
              f"{local.derived_from.version}.")
        return EXIT_NOTHING
    print(update.describe())
    theirs = library.load(update.source)
    git_folders = [git_checkout(s) for s in sources if s.kind == GIT]
    base = find_base(local.derived_from.id, local.derived_from.version, library, git_folders)
    if base is None:
        print(f"The version {update.from_version} it was derived from was not found: every "
              "difference is treated as changed on both sides.")
    else:
        print("What changed in the source:")
        print(diff_pathways(base, theirs).to_markdown())
    result = three_way_merge(base, local, theirs, _chooser(args.prefer))
    for conflict in result.conflicts:
        print(f"both changed: {conflict.describe()} -> kept {conflict.resolution}")
    print(f"{len(result.taken)} change(s) came in from the source; "
          f"{len(result.conflicts)} place(s) where both changed.")
    if args.dry_run:
        return EXIT_OK
    out = Path(args.output or args.file)
    try:
        save_pathway(result.merged, out)
    except PathwaySaveError as exc:
        return _err(str(exc))
    print(f"Updated: {out} (now derived from {update.source.id} {update.to_version}).")
    return EXIT_OK


def register(subparsers) -> None:
    """Add ``update`` to the command line (called by designer.cli)."""
    p = subparsers.add_parser(
        "update", help="bring the newer version of its source into a local variant",
        description="When the library holds a newer version of the pathway FILE was "
                    "derived from, show what changed in it and merge those changes into "
                    "FILE (three-way, from the version it was derived from), asking where "
                    "both changed. Exit 0 updated, 1 nothing to update, 2 an error.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", metavar="OUT.yaml", help="write here instead of FILE")
    p.add_argument("--prefer", choices=("ours", "theirs"),
                   help="where both changed, keep ours (local) or take theirs (source) "
                        "without asking")
    p.add_argument("--sync", action="store_true", help="pull git sources first")
    p.add_argument("--dry-run", action="store_true", help="show, write nothing")
    p.set_defaults(handler=_cmd_update)
