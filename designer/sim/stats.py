"""Means and 95% confidence intervals over replications (Student's t)."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Iterable

_Z975 = NormalDist().inv_cdf(0.975)


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom.

    Exact for 1 and 2 degrees of freedom; from df 3 on, the Cornish-Fisher expansion
    in 1/df around the normal quantile (error below 1e-4 at df 3, far less above).
    """
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df == 1:
        return math.tan(math.pi * (0.975 - 0.5))
    if df == 2:
        p = 0.975
        return (2 * p - 1) / math.sqrt(2 * p * (1 - p))
    z = _Z975
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4


def summary(values: Iterable[float]) -> dict:
    """``{"mean": x, "ci95": [lo, hi]}`` of the finite values (NaN means "not defined").

    With fewer than two defined values the interval is ``None``; with none, the mean too.
    """
    xs = [float(v) for v in values if v is not None and math.isfinite(v)]
    n = len(xs)
    if n == 0:
        return {"mean": None, "ci95": None}
    mean = math.fsum(xs) / n
    if n < 2:
        return {"mean": mean, "ci95": None}
    var = math.fsum((x - mean) ** 2 for x in xs) / (n - 1)
    half = t975(n - 1) * math.sqrt(var / n)
    return {"mean": mean, "ci95": [mean - half, mean + half]}


def half_width(entry: dict) -> float:
    """Half the width of a summary's interval (NaN when it has none)."""
    ci = entry.get("ci95")
    return (ci[1] - ci[0]) / 2 if ci else math.nan
