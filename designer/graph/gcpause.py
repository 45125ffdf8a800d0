"""Pause Python's cycle collector around allocation-heavy work that makes no cycles.

Parsing a large pathway (YAML, then the pydantic models) allocates hundreds of
thousands of containers; each one counts towards the next automatic collection,
so the collector walks the ever-growing young objects again and again, which is
most of the time of a large load. None of that work creates reference cycles, so
pausing the collector loses nothing: whatever is garbage is collected as usual
once it runs again.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import Iterator


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cycle collector for the block (or the decorated function); nestable."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
