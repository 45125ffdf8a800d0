"""Small flow pathways for the simulation tests (built from dicts, no files)."""

from __future__ import annotations

from typing import Any

from designer.graph.model import Pathway


def flow_pathway(steps: list[dict], transitions: list[dict], **extra: Any) -> Pathway:
    """A pathway of ``steps`` (dicts with id, kind, ...) joined by ``transitions``."""
    data: dict[str, Any] = {
        "format": "periop-pathway/1", "id": "sim-test", "title": "Simulation test",
        "settings": [{"id": "hospital", "name": "Hospital", "kind": "secondary"}],
        "roles": [],
        "steps": [{"name": s["id"].title(), **s} for s in steps],
        "transitions": [{"from": t[0], "to": t[1], **(t[2] if len(t) > 2 else {})}
                        if isinstance(t, tuple) else t for t in transitions],
    }
    data.update(extra)
    return Pathway.model_validate(data)


def single_queue(mean_days: float, capacity: int, per_week: float, weeks: float = 520,
                 warmup: float = 26, **extra: Any) -> Pathway:
    """Poisson arrivals into one step with ``capacity`` servers and exponential service."""
    return flow_pathway(
        [{"id": "in", "kind": "entry", "duration_days": 0},
         {"id": "serve", "activity": "surgery", "capacity": capacity,
          "duration": {"dist": "exponential", "mean": mean_days}},
         {"id": "out", "kind": "exit", "duration_days": 0}],
        [("in", "serve"), ("serve", "out")],
        flow={"arrivals": {"per_week": per_week}, "horizon_weeks": weeks,
              "warmup_weeks": warmup}, **extra)


def erlang_c_wait(lam: float, mean_service: float, c: int) -> float:
    """Mean wait in queue of an M/M/c queue (Erlang C formula), same time unit as lam."""
    import math

    a = lam * mean_service            # offered load in servers
    rho = a / c
    top = a ** c / math.factorial(c) / (1 - rho)
    bottom = sum(a ** k / math.factorial(k) for k in range(c)) + top
    p_wait = top / bottom
    return p_wait * mean_service / (c * (1 - rho))
