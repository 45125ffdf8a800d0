"""The last simulation of a document, kept with a fingerprint of the pathway it ran.

A later step (the board pack, say) reuses the results only while the pathway is
unchanged: :meth:`SimulationRecord.matches` compares the fingerprint
(:func:`designer.graph.flow_edit.simulation_hash`) with the pathway now.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from designer.graph.flow_edit import simulation_hash
from designer.sim.results import Results


@dataclass(frozen=True)
class SimulationRecord:
    """Results of one finished run and what they were run on."""

    results: Results
    pathway_hash: str
    scenarios: tuple[str, ...]
    replications: int
    finished_at: str = field(
        default_factory=lambda: datetime.now(timezone.utc).isoformat(timespec="seconds"))

    @classmethod
    def of(cls, pathway, results: Results) -> "SimulationRecord":
        """A record of ``results`` run on ``pathway`` (as it was for the run)."""
        return cls(results=results, pathway_hash=simulation_hash(pathway),
                   scenarios=tuple(s.id for s in results.scenarios),
                   replications=results.replications)

    def matches(self, pathway) -> bool:
        """True while ``pathway`` is still what the results describe."""
        return simulation_hash(pathway) == self.pathway_hash
