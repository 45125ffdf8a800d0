"""`periop validate` as a whole process against bpmnlint on the same pathway as BPMN.

Both are the command a person or CI would run: Python (or Node) start-up, reading
the file, every check, the report. The pathway is the synthetic one at 200, 1,000
and 10,000 steps; bpmnlint lints its BPMN export with its recommended rules.
CPU seconds (user + system) of the child process, best of a few, interleaved.

``periop validate`` keeps the parse of a large file (>= 100,000 bytes) in its
parsed-pathway cache (designer/graph/cache.py), so a second run of the same file
reads JSON instead of YAML. bpmnlint has no such cache, so the row that carries the
goal is the **cold** one: every run of ours gets a fresh, empty PERIOP_CACHE_DIR.
The **warm** row (the cache filled by one run beforehand, then read by every timed
run) is reported beside it for information; at 200 steps the file is under the
cache's threshold and the two rows measure the same thing.

bpmnlint is not a Python package: install it with
``npm install --prefix benchmarks --no-save bpmnlint@11`` (benchmarks/node_modules
is ignored by git), put it on PATH, or name it in PERIOP_BPMNLINT. Without node
or bpmnlint the rows say so and are skipped.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import make_pathway
from timing import child_cpu, compile_designer

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SIZES = ((200, "<= 0.5"), (1_000, "<= 0.5"), (10_000, "<= 1.0"))


def find_bpmnlint() -> str | None:
    """The bpmnlint command, or None when it (or node) is not installed."""
    if shutil.which("node") is None:
        return None
    for candidate in (os.environ.get("PERIOP_BPMNLINT"),
                      str(HERE / "node_modules" / ".bin" / "bpmnlint"),
                      shutil.which("bpmnlint")):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def run(report) -> None:
    from designer.export.interop.bpmn import export_bpmn
    from designer.graph.io import save_pathway

    lint = find_bpmnlint()
    if lint is None:
        why = ("node not installed" if shutil.which("node") is None
               else "bpmnlint not installed")
        for n, _target in SIZES:
            report("cli", f"validate / bpmnlint, {n:,} steps: skipped, {why} "
                          "(npm install --prefix benchmarks --no-save bpmnlint@11)",
                   math.nan, "x")
        return
    compile_designer()   # an installed copy has its bytecode (see timing.compile_designer)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / ".bpmnlintrc").write_text('{"extends": "bpmnlint:recommended"}\n')
        for n, target in SIZES:
            pathway = make_pathway(n)
            yaml_path, bpmn_path = folder / f"p{n}.yaml", folder / f"p{n}.bpmn"
            save_pathway(pathway, yaml_path)
            export_bpmn(pathway, bpmn_path)
            ours_cmd = [sys.executable, "-m", "designer", "validate", str(yaml_path)]
            lint_cmd = [lint, str(bpmn_path)]
            checked = subprocess.run(lint_cmd, cwd=folder, capture_output=True, text=True)
            if "problem" not in checked.stdout and checked.returncode != 0:
                report("cli", f"validate / bpmnlint, {n:,} steps: bpmnlint failed "
                              f"({(checked.stderr or checked.stdout).strip()[:60]})",
                       math.nan, "x")
                continue
            runs = 3 if n < 10_000 else 2
            cold, warm, theirs = _interleaved(runs, ours_cmd, lint_cmd, folder,
                                              folder / f"cache-{n}")
            report("cli", f"periop validate, {n:,} steps, cold (empty cache)", cold, "s")
            report("cli", f"periop validate, {n:,} steps, warm (cached parse)", warm, "s")
            report("cli", f"bpmnlint on the BPMN, {n:,} steps, whole process", theirs, "s")
            report("cli", f"validate / bpmnlint, {n:,} steps, cold", cold / theirs, "x",
                   target)
            report("cli", f"validate / bpmnlint, {n:,} steps, warm (info)", warm / theirs,
                   "x")


def _interleaved(runs: int, ours_cmd: list[str], lint_cmd: list[str], folder: Path,
                 warm_cache: Path) -> tuple[float, float, float]:
    """Least CPU seconds of ours cold, ours warm and bpmnlint, run in turn ``runs`` times.

    Cold: a new empty cache folder for each run (removed after it). Warm: one cache
    folder, filled by an untimed run first. Other user folders point into ``folder``
    too, so no run reads or writes the real user's folders.
    """
    base = dict(os.environ, PERIOP_DATA_DIR=str(folder / "data"),
                PERIOP_CONFIG_DIR=str(folder / "config"),
                PERIOP_USER_LIBRARY=str(folder / "library"))
    warm_env = dict(base, PERIOP_CACHE_DIR=str(warm_cache))
    subprocess.run(ours_cmd, cwd=ROOT, capture_output=True, env=warm_env)   # fill it
    cold = warm = theirs = math.inf
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=folder) as empty:
            cold_env = dict(base, PERIOP_CACHE_DIR=empty)
            cold = min(cold, child_cpu(lambda: subprocess.run(
                ours_cmd, cwd=ROOT, capture_output=True, env=cold_env)))
        warm = min(warm, child_cpu(lambda: subprocess.run(
            ours_cmd, cwd=ROOT, capture_output=True, env=warm_env)))
        theirs = min(theirs, child_cpu(lambda: subprocess.run(
            lint_cmd, cwd=folder, capture_output=True)))
    return cold, warm, theirs


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    # as benchmarks/run.py does: this process's own user folders (save_pathway keeps a
    # large file's parse in the cache) in a temporary tree, never the real ones
    _folders = tempfile.TemporaryDirectory(prefix="periop-bench-")
    for _var, _sub in (("PERIOP_DATA_DIR", "data"), ("PERIOP_CONFIG_DIR", "config"),
                       ("PERIOP_CACHE_DIR", "cache"), ("PERIOP_USER_LIBRARY", "library")):
        os.environ.setdefault(_var, str(Path(_folders.name) / _sub))

    def _print(area, measure, value, unit, target=""):
        print(f"{area:5} {measure:50} {value:8.3f} {unit:2} {target}", flush=True)

    run(_print)
