"""Timing helpers shared by the benchmark modules."""

from __future__ import annotations

import time
from typing import Callable


def best_of(n: int, fn: Callable[[], object]) -> float:
    """The fastest of ``n`` runs of ``fn``, in seconds (the least disturbed by other load)."""
    best = float("inf")
    for _ in range(n):
        started = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - started)
    return best


def cpu_best_of(n: int, fn: Callable[[], object]) -> float:
    """The least CPU time (this process, all threads) of ``n`` runs of ``fn``, in seconds.

    CPU time rather than wall time: on a shared machine it counts our work, not the
    waits for a core.
    """
    best = float("inf")
    for _ in range(n):
        started = time.process_time()
        fn()
        best = min(best, time.process_time() - started)
    return best


def interleaved(n: int, *fns: Callable[[], object]) -> list[float]:
    """The least CPU time of each of ``fns``, run in turn ``n`` times (A B A B ...).

    Interleaving puts every function under the same spells of load, so the ratios
    between them hold on a busy machine.
    """
    best = [float("inf")] * len(fns)
    for _ in range(n):
        for i, fn in enumerate(fns):
            started = time.process_time()
            fn()
            best[i] = min(best[i], time.process_time() - started)
    return best


def child_cpu(run: Callable[[], object]) -> float:
    """CPU seconds (user + system) that the child processes started by ``run`` used."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    run()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compile_designer() -> None:
    """Compile the designer's modules once, as an installed copy has them.

    The test machines set PYTHONDONTWRITEBYTECODE, which would compile every module
    on every start of a fresh process and charge that to whatever the row times.
    """
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(root / "designer")],
                   check=False, stdout=subprocess.DEVNULL,
                   env=dict(os.environ, PYTHONDONTWRITEBYTECODE=""))
