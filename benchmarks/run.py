"""`make bench`: run every benchmarks/bench_*.py and print one table.

Each module defines ``run(report)``; ``report(area, measure, value, unit, target="")``
records a row. A target such as ``"<= 5"`` (in the row's unit) is checked and
marked ok / MISSED; timings are never pass/fail in the test suite.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _isolate_user_folders() -> None:
    """Benchmarks make large pathways, recovery copies and cache entries: keep them in a
    temporary tree, never in the user's real data, settings, library or cache folders."""
    import tempfile
    root = Path(tempfile.mkdtemp(prefix="periop-bench-"))
    for var, sub in (("PERIOP_DATA_DIR", "data"), ("PERIOP_CONFIG_DIR", "config"),
                     ("PERIOP_CACHE_DIR", "cache"), ("PERIOP_USER_LIBRARY", "library")):
        os.environ.setdefault(var, str(root / sub))


def _one_qt_application():
    """One QApplication for every row. Without it an export row made a bare
    QGuiApplication first and the next row's QGraphicsScene crashed the process."""
    from PySide6.QtWidgets import QApplication
    return QApplication.instance() or QApplication([])


def _finish_deletions() -> None:
    """Delete now what a bench handed to ``deleteLater`` (its windows, canvases).

    ``processEvents`` leaves deferred deletions alone, and no event loop runs between
    benches: the next bench's first real event loop would destroy them, inside its
    own measure. The save's wait was that loop: bench_editing's and bench_open's
    windows, torn down there, showed as a 300-900 ms "save" block.
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


Row = tuple[str, str, float, str, str]


def _verdict(value: float, target: str) -> str:
    target = target.strip()
    for op in ("<=", ">=", "<", ">"):
        if target.startswith(op):
            try:
                limit = float(target[len(op):].split()[0])
            except (ValueError, IndexError):
                return ""
            ok = {"<=": value <= limit, ">=": value >= limit,
                  "<": value < limit, ">": value > limit}[op]
            return "ok" if ok else "MISSED"
    return ""


def _format(value: float) -> str:
    if value != value:  # NaN: not measured
        return "n/a"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("only", nargs="*", help="bench module names (e.g. core canvas)")
    args = parser.parse_args()
    modules = sorted(HERE.glob("bench_*.py"))
    if args.only:
        modules = [m for m in modules if m.stem.removeprefix("bench_") in args.only]
    _isolate_user_folders()
    app = _one_qt_application()  # noqa: F841 (kept alive for the whole run)
    rows: list[Row] = []
    failures = []
    for path in modules:
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        started = time.perf_counter()
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        try:
            spec.loader.exec_module(module)
            module.run(lambda a, m, v, u, t="": rows.append((a, m, float(v), u, t)))
        except Exception:  # a broken bench must not hide the others
            failures.append(path.name)
            traceback.print_exc()
        _finish_deletions()
        print(f"  {path.name}: {time.perf_counter() - started:.1f} s", file=sys.stderr)

    headers = ("area", "measure", "value", "unit", "target", "")
    table = [(a, m, _format(v), u, t, _verdict(v, t)) for a, m, v, u, t in rows]
    widths = [max(len(str(r[i])) for r in [headers, *table]) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print(line)
    for r in table:
        print("  ".join(str(c).rjust(w) if i == 2 else str(c).ljust(w)
                        for i, (c, w) in enumerate(zip(r, widths))))
    if failures:
        print(f"\nbench modules that failed: {', '.join(failures)}")
    missed = sum(1 for r in table if r[5] == "MISSED")
    print(f"\n{len(table)} measures, {missed} missed target(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
