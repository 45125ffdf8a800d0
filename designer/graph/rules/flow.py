"""The ``flow`` pack: what the patient flow simulation still needs (information only).

Runs when the pathway has a ``flow:`` block or lists ``flow`` in ``rule_packs``.
Every finding is information, never an error: a pathway is a good pathway
without simulation inputs. ``periop simulate`` refuses to run while any of these
remain (with the same field named); the editor shows them so they can be filled
in first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from designer.graph.model import Pathway, StepKind
from designer.graph.suggest import did_you_mean
from designer.graph.rules import FORMAT, Finding, found, rule

if TYPE_CHECKING:
    import networkx as nx

_PACK = "flow"
#: simulation inputs are part of the file format (docs/simulation.md), not a clinical source
_SOURCE = FORMAT
_TOLERANCE = 1e-6
#: step kinds that need a duration to be simulated (decisions and exits take none)
_TIMED = (StepKind.task, StepKind.wait, StepKind.entry)


@rule("flow-arrivals", _PACK, "The simulation has no arrivals", _SOURCE, severity="info")
def flow_arrivals(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """``flow.arrivals`` gives the new patients a week at the entry step.

    Source: the simulation's inputs (docs/simulation.md).
    """
    if pathway.flow is None or pathway.flow.arrivals is None:
        yield found("flow-arrivals",
                    "The simulation needs arrivals: set the new patients a week at the "
                    "entry step (flow: {arrivals: {per_week: N}}).")


@rule("flow-step-without-duration", _PACK, "A step has no duration to simulate", _SOURCE,
      severity="info")
def step_without_duration(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Tasks, waits and the entry need ``duration_days`` or a ``duration`` distribution.

    Source: the simulation's inputs (docs/simulation.md).
    """
    for s in pathway.steps:
        if s.kind in _TIMED and s.duration is None and s.duration_days is None:
            yield found("flow-step-without-duration",
                        f"'{s.name}' has no duration: the simulation needs its typical days "
                        "(duration_days) or a duration distribution.", s.id)


def _branches(pathway: Pathway) -> dict[str, list]:
    out: dict[str, list] = {}
    forked: set[str] = set()
    for t in pathway.transitions:
        if t.parallel:   # the simulation follows the first parallel branch only
            if t.source in forked:
                continue
            forked.add(t.source)
        out.setdefault(t.source, []).append(t)
    return {k: v for k, v in out.items() if len(v) > 1}


@rule("flow-branch-without-probability", _PACK, "A branch has no probability to simulate",
      _SOURCE, severity="info")
def branch_without_probability(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Each way out of a step with several needs the share of patients who take it.

    Source: the simulation's inputs (docs/simulation.md).
    """
    names = {s.id: s.name for s in pathway.steps}
    for source, branches in _branches(pathway).items():
        missing = [t for t in branches if t.probability is None]
        if missing:
            yield found("flow-branch-without-probability",
                        f"'{names.get(source, source)}' has {len(branches)} ways out and "
                        f"{len(missing)} without a probability: give the share of patients "
                        "on each branch (they sum to 1).", *(t.key for t in missing))


@rule("flow-branches-sum", _PACK, "A step's branch probabilities do not sum to 1", _SOURCE,
      severity="info")
def branches_sum(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Branch probabilities (and each cohort's) sum to 1 once all are given.

    Source: the simulation's inputs (docs/simulation.md).
    """
    names = {s.id: s.name for s in pathway.steps}
    cohorts = [c.id for c in pathway.cohorts]
    for source, branches in _branches(pathway).items():
        if any(t.probability is None for t in branches):
            continue
        for cohort in [None, *cohorts]:
            total = sum(t.probability_by_cohort.get(cohort, t.probability) if cohort
                        else t.probability for t in branches)
            if abs(total - 1) > _TOLERANCE:
                whom = f" for cohort '{cohort}'" if cohort else ""
                yield found("flow-branches-sum",
                            f"The branches of '{names.get(source, source)}'{whom} sum to "
                            f"{total:.6g}; the simulation needs them to sum to 1.",
                            *(t.key for t in branches))
                break


@rule("flow-unknown-input", _PACK, "A simulation input names nothing or does not add up",
      _SOURCE, severity="info")
def unknown_input(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Steps name resources in ``uses`` and unit costs in ``costs``; branches name cohorts.

    Source: the simulation's inputs (docs/simulation.md).
    """
    resources = [r.id for r in pathway.resources]
    costs = [c.id for c in pathway.costs]
    cohorts = [c.id for c in pathway.cohorts]
    for s in pathway.steps:
        for rid in s.uses:
            if rid not in resources:
                yield found("flow-unknown-input",
                            f"'{s.name}' uses '{rid}', which is not a resource"
                            f"{did_you_mean(rid, resources)}: add it to resources or correct "
                            "the name.", s.id)
        for sc in s.costs:
            if sc.cost not in costs:
                yield found("flow-unknown-input",
                            f"'{s.name}' names the cost '{sc.cost}', which is not in costs"
                            f"{did_you_mean(sc.cost, costs)}.", s.id)
    for t in pathway.transitions:
        for cid in t.probability_by_cohort:
            if cid not in cohorts:
                yield found("flow-unknown-input",
                            f"A probability is given for cohort '{cid}', which is not in "
                            f"cohorts{did_you_mean(cid, cohorts)}.", t.key)
    if cohorts:
        total = sum(c.share for c in pathway.cohorts)
        if abs(total - 1) > _TOLERANCE:
            yield found("flow-unknown-input",
                        f"The cohorts' shares sum to {total:.6g}; the simulation needs them "
                        "to sum to 1.")
