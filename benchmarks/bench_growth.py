"""Every export format at 200 and 2,000 steps, and how the time grows (issue 16).

Ten times the steps should cost about ten times the time: a growth well above
that means some step of the export is super-linear. The target allows n log n
(14x). CPU seconds, best of runs taken in turn (200, 2,000, 200, ...: both sizes
see the same load; two 2,000-step runs when one takes under 2 s). A first export
of each format at 30 steps warms fonts, Qt and imports outside the timing.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from generate import make_pathway

SMALL, LARGE = 200, 2_000
GROWTH_TARGET = "<= 14"     # 10x is linear; 14x allows n log n


def _formats():
    from designer.export import FORMATS, export_one

    return FORMATS, export_one


def _cpu(fn) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def run(report) -> None:
    formats, export_one = _formats()
    small, large = make_pathway(SMALL), make_pathway(LARGE)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        warm = make_pathway(30)
        for key in formats:
            export_one(warm, key, out / f"warm-{key}")
        for key in formats:
            target = out / f"{key}.out"
            base = _cpu(lambda: export_one(small, key, target))
            big = _cpu(lambda: export_one(large, key, target))
            base = min(base, _cpu(lambda: export_one(small, key, target)))
            if big < 2.0:          # a quick one: a second pair, the least disturbed wins
                big = min(big, _cpu(lambda: export_one(large, key, target)))
                base = min(base, _cpu(lambda: export_one(small, key, target)))
            report("growth", f"{key}, {SMALL} steps", base, "s")
            report("growth", f"{key}, {LARGE:,} steps", big, "s",
                   "<= 10" if key == "spec-pdf" else "")
            report("growth", f"{key}, {SMALL} -> {LARGE:,} steps", big / base, "x",
                   GROWTH_TARGET)


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

    def _print(area, measure, value, unit, target=""):
        print(f"{area:8} {measure:36} {value:10.3f} {unit:3} {target}", flush=True)

    run(_print)
