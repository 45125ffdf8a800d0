"""The ``core`` pack, part 2: numeric thresholds on a decision's branches."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from ..model import Pathway, StepKind
from ..network import index_for
from . import FORMAT, Finding, found, rule

if TYPE_CHECKING:
    import networkx as nx

_CORE = "core"

_COMPARISON = re.compile(
    r"(?P<op><=|=<|≤|⩽|>=|=>|≥|⩾|<|>|below|under|less than|above|over|more than|"
    r"greater than|at least|at most)?\s*(?P<value>\d+(?:\.\d+)?)\s*"
    r"(?:mmol\s*/\s*mol|mmol\s*/\s*l|g\s*/\s*l|%|kg|years?|weeks?|days?)?\s*"
    r"(?P<suffix>or more|or above|or over|or higher|and above|and over|\+|or less|"
    r"or below|or under|or lower|and below|and under)?", re.IGNORECASE)
_RANGE = re.compile(r"\d\s*-\s*\d")
_LOW_OPS = {"<": (False,), "below": (False,), "under": (False,), "less than": (False,),
            "<=": (True,), "=<": (True,), "≤": (True,), "⩽": (True,), "at most": (True,)}
_HIGH_OPS = {">": (False,), "above": (False,), "over": (False,), "more than": (False,),
             "greater than": (False,), ">=": (True,), "=>": (True,), "≥": (True,),
             "⩾": (True,), "at least": (True,)}
_HIGH_SUFFIX = {"or more", "or above", "or over", "or higher", "and above", "and over", "+"}


@lru_cache(maxsize=1024)  # branch conditions repeat across a pathway's decisions
def _interval(condition: str) -> tuple[float, bool, float, bool] | None:
    """The one-sided interval a branch condition states, e.g. "HbA1c < 69" -> (-inf, 69).

    Returns ``(low, low_included, high, high_included)``, or None when the
    condition states no single comparison (or a range such as "4-6 weeks").
    """
    if _RANGE.search(condition):
        return None
    found_: list[tuple[float, bool, float, bool]] = []
    for m in _COMPARISON.finditer(condition):
        op = (m.group("op") or "").lower()
        suffix = (m.group("suffix") or "").lower()
        value = float(m.group("value"))
        if op in _LOW_OPS:
            found_.append((float("-inf"), False, value, _LOW_OPS[op][0]))
        elif op in _HIGH_OPS:
            found_.append((value, _HIGH_OPS[op][0], float("inf"), False))
        elif suffix in _HIGH_SUFFIX:
            found_.append((value, True, float("inf"), False))
        elif suffix:
            found_.append((float("-inf"), False, value, True))
    return found_[0] if len(found_) == 1 else None


def branch_interval(condition: str) -> tuple[float, bool, float, bool] | None:
    """The one-sided interval a branch condition states, as this rule reads it
    (``(low, low_included, high, high_included)``), or None; for the exports."""
    return _interval(condition)


def _covers(intervals, x: float) -> bool:
    for low, low_in, high, high_in in intervals:
        if (low < x or (low_in and low == x)) and (x < high or (high_in and high == x)):
            return True
    return False


@lru_cache(maxsize=256)  # decisions with the same branch thresholds repeat
def _gaps(intervals: tuple[tuple[float, bool, float, bool], ...]
          ) -> tuple[tuple[float, float], ...]:
    """The values no interval takes: points ``(a, a)`` and open stretches ``(a, b)``."""
    bounds = sorted({b for low, _, high, _ in intervals for b in (low, high)
                     if b not in (float("inf"), float("-inf"))})
    pieces: list[tuple[float, float]] = []
    for i, b in enumerate(bounds):
        if not _covers(intervals, b):
            pieces.append((b, b))
        if i + 1 < len(bounds) and not _covers(intervals, (b + bounds[i + 1]) / 2):
            pieces.append((b, bounds[i + 1]))
    return tuple(pieces)


@rule("decision-threshold-gap", _CORE,
      "Decision branches whose thresholds leave a value with no route",
      FORMAT, severity="warning")
def decision_threshold_gap(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Numeric thresholds on a decision's branches leave no value without a route.

    Each branch condition that states one comparison ("HbA1c < 69", "Hb 130 g/L
    or more") is read as a range of values; branches without a number (e.g. "no
    diabetes") and ranges ("4-6 weeks") are left alone. A value that no branch
    takes (e.g. exactly 69 with "< 69" and "> 69") is reported.

    Source: the pathway file format (a structural check: a patient whose result
    falls in the gap has no next step).
    """
    index = index_for(pathway, graph)
    for sid in index.by_kind[StepKind.decision]:
        branches = [(t, _interval(t.condition)) for t in index.outgoing(sid) if t.condition]
        intervals = tuple(iv for _, iv in branches if iv is not None)
        if len(intervals) < 2:
            continue
        pieces = _gaps(intervals)
        if pieces:
            low, high = pieces[0][0], pieces[-1][1]
            value = (f"a value of {low:g}" if low == high
                     else f"values from {low:g} to {high:g}")
            yield found("decision-threshold-gap",
                        f"At decision '{index.steps[sid].name}' no branch takes {value}: "
                        "the thresholds "
                        f"{', '.join(repr(t.condition) for t, iv in branches if iv)} leave a "
                        "gap. Make one branch include the boundary (e.g. '69 mmol/mol or "
                        "more' and 'below 69').", sid)
