"""Run the rule packs on a pathway, apply its waivers, report the findings.

``validate(pathway)`` runs ``core`` plus the packs the pathway lists in
``rule_packs``. The pathway's ``rule_config`` sets a rule's severity
(``{missing-phase: warning}``) or switches it off (``{vte-plan: off}``); the
override applies to every finding of that rule. A waiver accepts a finding when its ``rule`` equals the finding's
rule and its ``target`` is empty or one of the finding's targets; accepted
findings move to :attr:`ValidationReport.waived` with the waiver's reason.

The graph and the shared look-ups are built once per call, so the whole run is
linear in the size of the pathway (the editor re-validates on every edit).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field, replace
from typing import Iterable

from typing import TYPE_CHECKING

from .model import Pathway, rule_level
from .network import LazyGraph, PathwayIndex, index_for
from .rules import (
    PACKS,
    RULES,
    SEVERITIES,
    SEVERITY_RANK,
    Finding,
    Rule,
    rules_in,
)
from designer.graph.vocabulary import SEVERITY_HEADINGS, plural  # noqa: F401 (SEVERITY_HEADINGS: read from here too)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["Finding", "ValidationReport", "validate", "RULES", "Rule"]

#: headings for each severity, worst first (CLI text and the findings panel)


@dataclass
class ValidationReport:
    """The outcome of :func:`validate`.

    Attributes
    ----------
    findings
        Active findings, worst first (errors, then warnings, then information).
    waived
        Findings accepted by a waiver; each has ``waived_reason``.
    packs
        The packs that ran.
    """

    findings: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    packs: tuple[str, ...] = ()

    @property
    def summary(self) -> dict[str, int]:
        """Counts of active findings: ``{"error": n, "warning": n, "info": n}``."""
        counts = {name: 0 for name in SEVERITIES}
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def findings_for(self, target: str) -> list[Finding]:
        """Active findings that name ``target`` (a step id or ``"FROM->TO"``)."""
        return [f for f in self.findings if target in f.targets]

    def by_target(self) -> dict[str, list[Finding]]:
        """Active findings grouped by each of their targets (for canvas badges)."""
        out: dict[str, list[Finding]] = {}
        for f in self.findings:
            for t in f.targets:
                out.setdefault(t, []).append(f)
        return out

    def to_json(self) -> dict:
        """``{"findings": [...], "waived": [...], "summary": {...}}`` as in DESIGN.md §3."""
        return {
            "findings": [f.to_json() for f in self.findings],
            "waived": [f.to_json() for f in self.waived],
            "summary": self.summary,
        }

    def to_text(self, filename: str = "pathway") -> str:
        """A readable report for the terminal, grouped by severity."""
        summary = self.summary
        parts = [_count(summary["error"], "error"), _count(summary["warning"], "warning"),
                 _count(summary["info"], "note")]
        line = f"{filename}: " + ", ".join(parts)
        if self.waived:
            line += f" ({_count(len(self.waived), 'finding')} waived)"
        if not self.findings and not self.waived:
            line += " - no problems found"
        lines = [line]
        for severity in SEVERITIES:
            group = [f for f in self.findings if f.severity == severity]
            if not group:
                continue
            lines.append("")
            lines.append(f"{SEVERITY_HEADINGS[severity]} ({len(group)}):")
            for f in group:
                lines.append(f"  [{f.rule}] {f.message}")
                if f.targets:
                    lines.append(f"      at: {', '.join(f.targets)}")
        if self.waived:
            lines.append("")
            lines.append(f"Waived ({len(self.waived)}):")
            for f in self.waived:
                where = f" at {', '.join(f.targets)}" if f.targets else ""
                lines.append(f"  [{f.rule}]{where}: {f.waived_reason}")
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return plural(n, noun)


def active_packs(pathway: Pathway, packs: Iterable[str] | None = None) -> tuple[str, ...]:
    """The packs that run: ``core`` plus the known packs asked for, in pack order."""
    wanted = set(pathway.rule_packs if packs is None else packs) | {"core"}
    if packs is None and pathway.flow is not None:
        wanted.add("flow")  # a pathway with simulation inputs hears what they still lack
    return tuple(p for p in PACKS if p in wanted)


def validate(pathway: Pathway, graph: "nx.DiGraph | None" = None, *,
             packs: Iterable[str] | None = None) -> ValidationReport:
    """Check ``pathway`` against its rule packs.

    Parameters
    ----------
    pathway
        The pathway to check.
    graph
        Its graph from :func:`~designer.graph.network.build_graph`, when the caller
        has one already (built from the pathway as it is now: a graph kept across
        edits is stale). Without one the rules get a
        :class:`~designer.graph.network.LazyGraph`, built only if a rule uses it.
    packs
        Packs to run instead of ``pathway.rule_packs`` (``core`` always runs).

    Returns
    -------
    ValidationReport
    """
    # The run allocates many short-lived containers but no reference cycles;
    # pausing the cycle collector saves a third of the time on large pathways.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _run(pathway, graph, active_packs(pathway, packs))
    finally:
        if was_enabled:
            gc.enable()


def _run(pathway: Pathway, graph: "nx.DiGraph | None", run: tuple[str, ...]
         ) -> ValidationReport:
    if graph is None:
        # the rules work from the shared index; the networkx graph is built only
        # if a rule asks for it (none of ours does)
        graph = LazyGraph(PathwayIndex(pathway))
    else:
        index_for(pathway, graph)
    raw: list[tuple[int, int, Finding]] = []
    levels = {rule_id: rule_level(setting).value
              for rule_id, setting in pathway.rule_config.items()}
    for order, registered in enumerate(rules_in(run)):
        level = levels.get(registered.id)
        if level == "off":
            continue
        try:
            results = list(registered.check(pathway, graph))
        except Exception as exc:  # a broken rule must never hide the others
            results = [Finding(
                registered.id, "warning",
                f"The check '{registered.title}' could not run on this pathway "
                f"({type(exc).__name__}: {exc}). The other checks ran; please report "
                "this to the designer's maintainers.",
                (), registered.pack, registered.title)]
        if level is not None:
            results = [replace(f, severity=level) for f in results]
        for f in results:
            raw.append((SEVERITY_RANK[f.severity], order, f))
    raw.sort(key=lambda item: (item[0], item[1]))
    findings, waived = _apply_waivers(pathway, [f for _, _, f in raw])
    return ValidationReport(findings, waived, run)


def _apply_waivers(pathway: Pathway, findings: list[Finding]
                   ) -> tuple[list[Finding], list[Finding]]:
    if not pathway.waivers:
        return findings, []
    whole: dict[str, str] = {}
    targeted: dict[tuple[str, str], str] = {}
    for w in pathway.waivers:
        if w.target:
            targeted.setdefault((w.rule, w.target), w.reason)
        else:
            whole.setdefault(w.rule, w.reason)
    active: list[Finding] = []
    waived: list[Finding] = []
    for f in findings:
        reason = whole.get(f.rule)
        if reason is None:
            for t in f.targets:
                reason = targeted.get((f.rule, t))
                if reason is not None:
                    break
        if reason is None:
            active.append(f)
        else:
            waived.append(replace(f, waived_reason=reason))
    return active, waived
