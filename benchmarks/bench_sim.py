"""designer.sim: one ERAS+ replication against a bare SimPy floor, parallel runs, memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import eras_floor

from designer.graph.io import load_pathway
from designer.sim import check
from designer.sim import run as simulate
from designer.sim.engine import run_replication
from designer.sim.plan import compile_plan

ROOT = Path(__file__).resolve().parents[1]
ERAS = ROOT / "pathway_library" / "eras-plus-colorectal.yaml"
PER_YEAR = 1000


def _cpu_best(n: int, fn) -> float:
    best = float("inf")
    for _ in range(n):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def _wall(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


_MEMORY = """
import json, resource, sys
from designer.graph.io import load_pathway
from designer.sim import run
p = load_pathway(sys.argv[1])
run(p, ["after"], replications=int(sys.argv[2]), weeks=52)
print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))
"""


def _peak_mb(replications: int) -> float:
    out = subprocess.run([sys.executable, "-c", _MEMORY, str(ERAS), str(replications)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(out) / 1024.0   # ru_maxrss is in kB on Linux


def _large_pathway(n: int):
    """A synthetic pathway of ``n`` steps with the inputs the simulation needs."""
    from generate import make_pathway

    from designer.graph.flow import Arrivals, Flow

    pathway = make_pathway(n)
    pathway.flow = Flow(arrivals=Arrivals(per_week=5))
    ways: dict[str, int] = {}
    for t in pathway.transitions:
        ways[t.source] = ways.get(t.source, 0) + 1
    pathway.transitions = [t.model_copy(update={"probability": 1 / ways[t.source]})
                           if ways[t.source] > 1 else t for t in pathway.transitions]
    pathway.steps = [s.model_copy(update={"duration_days": 1}) if s.duration_days is None
                     else s for s in pathway.steps]
    return pathway


def run(report) -> None:
    pathway = load_pathway(ERAS)
    # 1,000 referrals a year over 3 simulated years (after the file's 26 weeks of
    # warm-up); four theatre lists keep that volume stable
    pathway.flow.arrivals.per_week = PER_YEAR / 365.25 * 7
    pathway.resources[0] = pathway.resources[0].model_copy(update={"capacity": 4})
    plan = compile_plan(pathway, "after", weeks=156)
    events = run_replication(plan, 1, 0)["events"]
    ours = _cpu_best(5, lambda: run_replication(plan, 1, 0))
    floor = _cpu_best(5, lambda: eras_floor.run(per_year=PER_YEAR, years=3.0, theatres=4))
    report("sim", "ERAS+ 1 replication (3 y, 1,000 referrals/y), CPU", ours, "s", "<= 0.5")
    report("sim", "same model as bare SimPy (the floor), CPU", floor, "s")
    report("sim", "ratio to the bare SimPy floor", ours / floor, "x", "<= 1.3")
    report("sim", "step visits per second", events / ours, "/s")

    eras = load_pathway(ERAS)   # the exemplar as it is: ~500 operations a year
    serial = _wall(lambda: simulate(eras, ["before", "after"], replications=50, workers=1))
    parallel = _wall(lambda: simulate(eras, ["before", "after"], replications=50, workers=2))
    report("sim", "100 replications (ERAS+ before+after x 50), serial", serial, "s")
    report("sim", "100 replications, 2 worker processes", parallel, "s")
    report("sim", "speed-up with 2 workers", serial / parallel, "x")
    # wall times depend on what else runs on the machine's cores: say how busy it was
    report("sim", "machine load average (1 min) during the runs", os.getloadavg()[0], "")

    big = _large_pathway(10_000)
    report("sim", "pre-flight (check), 10,000 steps", _wall(lambda: check(big)) * 1000, "ms")

    small, large = _peak_mb(10), _peak_mb(100)
    report("sim", "peak memory, 10 replications", small, "MB")
    report("sim", "peak memory, 100 replications", large, "MB")
    report("sim", "memory growth per replication", (large - small) * 1024 / 90, "kB", "<= 50")


if __name__ == "__main__":
    def _print(area, measure, value, unit, target=""):
        print(f"{area:5} {measure:55} {value:12.4g} {unit:3} {target}")

    run(_print)
