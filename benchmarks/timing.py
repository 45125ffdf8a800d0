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
