"""``periop library``: list, show and copy pathways from the exemplar library.

Imports stay inside the handlers so that ``periop --help`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap

from designer.cli.common import EXIT_FAILED, EXIT_OK, EXIT_UNREADABLE


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``library list|show|new`` to the ``periop`` command line."""
    lib = subparsers.add_parser(
        "library", help="browse the exemplar library and start from a template",
        description="Browse the built-in exemplar pathways and your own library, and "
                    "start a new pathway from one of them.")
    sub = lib.add_subparsers(dest="library_command", metavar="ACTION")
    lib.set_defaults(handler=lambda args: _usage(lib))

    p = sub.add_parser("list", help="list library pathways",
                       description="List the pathways in the library, optionally filtered.")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.add_argument("--search", metavar="TEXT",
                   help="words to find in the title, summary, population or tags")
    p.add_argument("--specialty", metavar="S", help="only this specialty")
    p.add_argument("--tag", metavar="T", help="only pathways with this tag")
    p.set_defaults(handler=_cmd_list)

    p = sub.add_parser("show", help="describe one library pathway",
                       description="Show a library pathway's summary, population, "
                                   "evidence and size.")
    p.add_argument("id", metavar="ID")
    p.add_argument("--json", action="store_true", help="print as JSON")
    p.set_defaults(handler=_cmd_show)

    p = sub.add_parser("new", help="start a new pathway from a library template",
                       description="Write an editable copy of a library pathway (status "
                                   "draft, version 0.1.0, derived_from set) to FILE.")
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="file to write")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    p.set_defaults(handler=_cmd_new)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return EXIT_FAILED


def _entry_json(entry) -> dict:
    return {
        "id": entry.id, "title": entry.title, "version": entry.version,
        "status": entry.status, "origin": entry.origin, "summary": entry.summary,
        "population": entry.population, "organisation": entry.organisation,
        "specialties": list(entry.specialties), "tags": list(entry.tags),
        "rule_packs": list(entry.rule_packs), "file": str(entry.path),
    }


def _problems(library) -> None:
    for problem in library.problems:
        print(f"warning: {problem.message}", file=sys.stderr)


def _cmd_list(args: argparse.Namespace) -> int:
    from designer.library import load_library

    library = load_library()
    found = library.search(args.search, args.specialty, args.tag)
    if args.json:
        print(json.dumps({
            "pathways": [_entry_json(e) for e in found],
            "problems": [{"file": str(p.path), "message": p.message}
                         for p in library.problems],
        }, indent=2, ensure_ascii=False))
        return EXIT_OK
    _problems(library)
    if not found:
        print("No library pathway matches." if library.entries
              else "The library is empty.")
        return EXIT_OK
    width = max(len(e.id) for e in found)
    for entry in found:
        where = "" if entry.origin == "built-in" else f"  [{entry.origin}]"
        print(f"{entry.id:<{width}}  {entry.title}{where}")
    return EXIT_OK


def _cmd_show(args: argparse.Namespace) -> int:
    from designer.library import LibraryError, load_library

    library = load_library()
    entry = library.get(args.id)
    if entry is None:
        print(library.unknown_id_message(args.id), file=sys.stderr)
        return EXIT_FAILED
    try:
        pathway = library.load(entry)
    except LibraryError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_UNREADABLE
    handoffs = sum(1 for t in pathway.transitions if t.handoff is not None)
    if args.json:
        data = _entry_json(entry)
        data.update(steps=len(pathway.steps), transitions=len(pathway.transitions),
                    handoffs=handoffs,
                    settings=[s.name for s in pathway.settings],
                    evidence=[{"claim": e.claim, "source": e.source, "weak": e.weak,
                               **({"note": e.note} if e.note else {})}
                              for e in pathway.evidence])
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    wrap = textwrap.TextWrapper(width=88, initial_indent="  ", subsequent_indent="  ")
    lines = [f"{entry.title} ({entry.id}, version {entry.version}, {entry.status})",
             f"File: {entry.path}"]
    for label, value in (("Organisation", entry.organisation),
                         ("Population", entry.population),
                         ("Specialties", ", ".join(entry.specialties)),
                         ("Tags", ", ".join(entry.tags)),
                         ("Rule packs", ", ".join(entry.rule_packs))):
        if value:
            lines.append(f"{label}: {value}")
    lines.append(f"Size: {len(pathway.steps)} steps, {len(pathway.transitions)} "
                 f"transitions, {handoffs} handoffs; lanes: "
                 + ", ".join(s.name for s in pathway.settings))
    if entry.summary:
        lines += ["", "Summary:", wrap.fill(entry.summary)]
    if pathway.evidence:
        lines += ["", "Evidence:"]
        # each item's wrapped lines hang under its text, not under the dash
        claim = textwrap.TextWrapper(width=88, initial_indent="  - ", subsequent_indent="    ")
        note = textwrap.TextWrapper(width=88, initial_indent="    Note: ",
                                    subsequent_indent="    ")
        for item in pathway.evidence:
            weak = " (weak evidence)" if item.weak else ""
            lines.append(claim.fill(f"{item.claim}{weak}"))
            lines.append(f"    {item.source}")
            if item.note:
                lines.append(note.fill(item.note))
    print("\n".join(lines))
    return EXIT_OK


def _cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from designer.graph.io import PathwaySaveError, save_pathway
    from designer.library import LibraryError, load_library

    library = load_library()
    out = Path(args.output)
    if out.exists() and not args.force:
        print(f"{out} already exists; choose another file or add --force to replace it.",
              file=sys.stderr)
        return EXIT_FAILED
    if out.parent and not out.parent.exists():
        print(f"{out}: the folder {out.parent} does not exist.", file=sys.stderr)
        return EXIT_FAILED
    try:
        pathway = library.new_from_template(args.id)
    except LibraryError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    try:
        save_pathway(pathway, out)
    except PathwaySaveError as exc:
        print(str(exc), file=sys.stderr)
        return EXIT_FAILED
    print(f"Wrote {out}: a draft copy of '{args.id}' (new id '{pathway.id}'). "
          f"Open it with: periop open {out}")
    return EXIT_OK
