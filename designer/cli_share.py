"""The ``sources`` and ``update`` sub-commands: shared libraries and national-to-local updates.

``periop sources`` lists, adds and removes the library's shared folders and git
remotes, pulls the remotes and lists sync-conflict copies. ``periop update
LOCAL.yaml`` brings the newer version of the pathway LOCAL was derived from into
it (three-way merge), asking where both changed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_NOTHING, EXIT_UNREADABLE = 0, 1, 2


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_UNREADABLE


# ---------------------------------------------------------------------- sources


def _cmd_sources(args: argparse.Namespace) -> int:
    from .library import LibraryError
    from .library_shared import (
        FOLDER, GIT, add_source, compare_conflict, find_conflict_copies, load_sources,
        remove_source, shared_library,
    )

    try:
        if args.action == "add-folder":
            source = add_source(FOLDER, args.location, args.label)
            print(f"Added the shared folder '{source.label}' ({source.location}).")
            return EXIT_OK
        if args.action == "add-git":
            source = add_source(GIT, args.location, args.label)
            print(f"Added the git library '{source.label}' ({source.location}); "
                  "'periop sources sync' fetches it.")
            return EXIT_OK
        if args.action == "remove":
            remove_source(args.location)
            print(f"Removed the library source '{args.location}'.")
            return EXIT_OK
        sources = load_sources()
    except LibraryError as exc:
        return _err(str(exc))
    library, problems = shared_library(sources, sync=args.action == "sync")
    for problem in problems:
        print(f"problem: {problem}", file=sys.stderr)
    if args.action == "conflicts":
        conflicts = find_conflict_copies(library)
        for conflict in conflicts:
            print(conflict.describe())
            try:
                print("  " + compare_conflict(conflict).summary())
            except Exception as exc:  # noqa: BLE001 - an unreadable copy: say so
                print(f"  cannot compare: {exc}")
        if not conflicts:
            print("No sync conflict copies.")
        return EXIT_OK
    counts: dict[str, int] = {}
    for entry in library.entries:
        counts[entry.origin] = counts.get(entry.origin, 0) + 1
    print("built-in exemplars and your library, then:")
    for source in sources:
        print(f"  {source.label:<24} {source.kind:<6} {source.location} "
              f"({counts.get(source.label, 0)} pathways)")
    if not sources:
        print("  no shared folders or git remotes yet (periop sources add-folder PATH)")
    if args.action == "list" and args.pathways:
        for entry in library.entries:
            print(f"  {entry.id:<36} {entry.version:<8} {entry.status:<10} {entry.origin}")
    return EXIT_UNREADABLE if problems and args.action == "sync" else EXIT_OK


# ----------------------------------------------------------------------- update


def _chooser(prefer: str | None):
    from .library_update import OURS, THEIRS

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
    from .graph.diff import diff_pathways
    from .graph.io import PathwayLoadError, PathwaySaveError, load_pathway, save_pathway
    from .library import LibraryError
    from .library_shared import GIT, git_checkout, load_sources, shared_library
    from .library_update import find_base, three_way_merge, update_for

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
    """Add ``sources`` and ``update`` to the command line (called by designer.cli)."""
    p = subparsers.add_parser(
        "sources", help="shared folders and git remotes of the library",
        description="List, add or remove the library's shared folders (e.g. a Teams folder "
                    "synced by OneDrive) and git remotes; pull the remotes; list sync "
                    "conflict copies.")
    p.add_argument("action", nargs="?", default="list",
                   choices=("list", "add-folder", "add-git", "remove", "sync", "conflicts"))
    p.add_argument("location", nargs="?", help="folder, git URL, or the label to remove")
    p.add_argument("--label", help="the name shown in the library for this source")
    p.add_argument("--pathways", action="store_true", help="list every pathway too")
    p.set_defaults(handler=_cmd_sources_checked)

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


def _cmd_sources_checked(args: argparse.Namespace) -> int:
    if args.action in ("add-folder", "add-git", "remove") and not args.location:
        return _err(f"periop sources {args.action}: give the "
                    f"{'label' if args.action == 'remove' else 'location'}")
    return _cmd_sources(args)
