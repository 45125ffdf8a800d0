""""Did you mean ...?" suggestions for near-miss ids, field names and values."""

from __future__ import annotations

import difflib
from typing import Iterable


def closest(word: str, candidates: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The candidate closest to ``word`` (case-insensitive), or None when none is close."""
    pool = [c for c in candidates if c]
    if not word or not pool or len(word) > 100:  # a long value is no near miss (and slow)
        return None
    lowered = {c.lower(): c for c in pool}
    match = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return lowered[match[0]] if match else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """``" (did you mean 'x'?)"`` or an empty string."""
    match = closest(word, candidates)
    return f" (did you mean '{match}'?)" if match and match != word else ""
