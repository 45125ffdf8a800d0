"""Import every BPMN file of a folder and count what happens.

    python benchmarks/import_miwg.py [FOLDER] [--json] [--list-refused]

FOLDER defaults to the shared BPMN MIWG suite (``../shared/interop/bpmn-miwg``
beside the repository) when it is there, else to the copy in
``tests/data/bpmn-miwg``. Each file is imported, saved and loaded back, and
validated. Printed: files imported, refused (by reason), crashes (must be 0),
elements not carried over by kind, findings by rule, and the time taken.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def default_folder() -> Path:
    for base in (ROOT.parent, ROOT.parent.parent):
        candidate = base / "shared" / "interop" / "bpmn-miwg"
        if candidate.is_dir():
            return candidate
    return ROOT / "tests" / "data" / "bpmn-miwg"


def measure(folder: Path, sub_pathways: bool = False) -> dict:
    """Counts over every ``*.bpmn`` file under ``folder``."""
    from designer.export.interop.bpmn_import import read_bpmn
    from designer.export.interop.import_common import ImportRefused
    from designer.graph.io import dump_pathway, loads_pathway

    files = sorted(folder.rglob("*.bpmn"))
    imported, refused, crashes = 0, Counter(), []
    refused_files: list[str] = []
    dropped, findings, kept = Counter(), Counter(), Counter()
    steps = transitions = subs = 0
    valid_without_errors = 0
    start = time.perf_counter()
    for path in files:
        try:
            result = read_bpmn(path, sub_pathways=sub_pathways)
            pending = [result]
            while pending:
                current = pending.pop()
                again = loads_pathway(dump_pathway(current.pathway), path.name)
                if not again.content_equal(current.pathway):
                    raise AssertionError("the imported pathway does not load back equal")
                pending += current.sub_pathways.values()
                subs += len(current.sub_pathways)
        except ImportRefused as exc:
            refused[exc.reason] += 1
            refused_files.append(str(exc))
            continue
        except Exception:  # noqa: BLE001 - counted: a crash is a bug to fix
            crashes.append((str(path.relative_to(folder)), traceback.format_exc(limit=3)))
            continue
        imported += 1
        steps += len(result.pathway.steps)
        transitions += len(result.pathway.transitions)
        for kind, ids in result.report.dropped.items():
            dropped[kind] += len(ids)
        for what, n in result.report.kept.items():
            kept[what] += n
        for line in result.report.findings:
            findings[line.split("]")[0].split("[")[-1]] += 1
        if not result.report.finding_counts.get("error"):
            valid_without_errors += 1
    seconds = time.perf_counter() - start
    return {"folder": str(folder), "files": len(files), "imported": imported,
            "refused": dict(refused), "refused_files": refused_files,
            "crashes": crashes, "steps": steps, "transitions": transitions,
            "sub_pathways": subs,
            "imported_without_errors": valid_without_errors,
            "dropped": dict(dropped.most_common()), "kept": dict(kept.most_common()),
            "findings": dict(findings.most_common()), "seconds": round(seconds, 2)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    parser.add_argument("--list-refused", action="store_true",
                        help="print the message of every refused file")
    parser.add_argument("--sub-pathways", action="store_true",
                        help="also import each sub-process as a pathway of its own")
    args = parser.parse_args(argv)
    folder = args.folder or default_folder()
    counts = measure(folder, args.sub_pathways)
    if args.json:
        print(json.dumps(counts, indent=2))
        return 1 if counts["crashes"] else 0
    print(f"Folder: {counts['folder']}")
    print(f"Files: {counts['files']}; imported: {counts['imported']} "
          f"({counts['imported_without_errors']} with no validation errors); "
          f"refused: {sum(counts['refused'].values())}; crashes: {len(counts['crashes'])}; "
          f"time: {counts['seconds']} s")
    print(f"Steps: {counts['steps']}; transitions: {counts['transitions']}"
          + (f"; sub-pathways: {counts['sub_pathways']}" if args.sub_pathways else ""))
    if counts["refused"]:
        print("Refused by reason:")
        for reason, n in sorted(counts["refused"].items()):
            print(f"  {n:6d}  {reason}")
    if args.list_refused:
        for line in counts["refused_files"]:
            print(f"    {line}")
    print("Not carried over, by kind:")
    for kind, n in counts["dropped"].items():
        print(f"  {n:6d}  {kind}")
    print("Findings to complete, by rule:")
    for rule, n in counts["findings"].items():
        print(f"  {n:6d}  {rule}")
    for name, trace in counts["crashes"]:
        print(f"CRASH {name}\n{trace}")
    return 1 if counts["crashes"] else 0


if __name__ == "__main__":
    sys.exit(main())
