"""Means and 95% confidence intervals over replications (Student's t)."""

from __future__ import annotations

import math
from statistics import NormalDist
from typing import Iterable

_Z975 = NormalDist().inv_cdf(0.975)


def t975(df: int) -> float:
    """The 97.5% quantile of Student's t with ``df`` degrees of freedom.

    Up to 200 degrees of freedom, solved from the exact distribution function for
    whole-numbered df (Abramowitz and Stegun 26.7.3-4); above, the Cornish-Fisher
    expansion around the normal quantile (error far below 1e-6 there).
    """
    if df < 1:
        raise ValueError("degrees of freedom must be at least 1")
    if df <= 200:
        if df == 1:
            return math.tan(math.pi * 0.475)
        lo, hi = 0.0, 20.0
        for _ in range(80):
            mid = (lo + hi) / 2
            if _central(mid, df) < 0.95:
                lo = mid
            else:
                hi = mid
        return (lo + hi) / 2
    z = _Z975
    g1 = (z ** 3 + z) / 4
    g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96
    g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384
    g4 = (79 * z ** 9 + 776 * z ** 7 + 1482 * z ** 5 - 1920 * z ** 3 - 945 * z) / 92160
    return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4


def _central(t: float, df: int) -> float:
    """P(|T| <= t) for Student's t with whole-numbered ``df``."""
    theta = math.atan(t / math.sqrt(df))
    c2 = math.cos(theta) ** 2
    if df % 2:
        term, total = 1.0, 1.0
        for k in range(1, (df - 1) // 2):
            term *= c2 * (2 * k) / (2 * k + 1)
            total += term
        return 2 / math.pi * (theta + math.sin(theta) * math.cos(theta) * total)
    term, total = 1.0, 1.0
    for k in range(1, df // 2):
        term *= c2 * (2 * k - 1) / (2 * k)
        total += term
    return math.sin(theta) * total


def summary(values: Iterable[float], bounds: tuple[float, float] | None = None) -> dict:
    """``{"mean": x, "ci95": [lo, hi]}`` of the finite values (NaN means "not defined").

    With fewer than two defined values the interval is ``None``; with none, the mean too.
    ``bounds`` is the range the quantity can take (a share: 0 to 1): the t-interval is
    cut to it, since a few replications near 100% would otherwise give an upper end
    above 100%, which no reader can make sense of.
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
    low, high = mean - half, mean + half
    if bounds is not None:
        low, high = max(low, bounds[0]), min(high, bounds[1])
    return {"mean": mean, "ci95": [low, high]}


def half_width(entry: dict) -> float:
    """Half the width of a summary's interval (NaN when it has none)."""
    ci = entry.get("ci95")
    return (ci[1] - ci[0]) / 2 if ci else math.nan
