"""The ``sources`` sub-command: the library's shared folders and git remotes.

``periop sources`` lists, adds and removes the library's shared folders and git
remotes, pulls the remotes and lists sync-conflict copies (docs/sharing.md).
"""

from __future__ import annotations

import argparse
import sys

from designer.cli.common import EXIT_OK, EXIT_UNREADABLE


def _err(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_UNREADABLE


# ---------------------------------------------------------------------- sources


def _cmd_sources(args: argparse.Namespace) -> int:
    from designer.library import LibraryError
    from designer.library.shared import (
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


def register(subparsers) -> None:
    """Add ``sources`` to the command line (called by designer.cli)."""
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


def _cmd_sources_checked(args: argparse.Namespace) -> int:
    if args.action in ("add-folder", "add-git", "remove") and not args.location:
        return _err(f"periop sources {args.action}: give the "
                    f"{'label' if args.action == 'remove' else 'location'}")
    return _cmd_sources(args)
