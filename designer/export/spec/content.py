"""What the board specification says, gathered once for every output format.

:func:`build_spec` reads a pathway (plus its validation report, timeline and an
optional diff) and returns a :class:`SpecContent` of plain strings and lists.
The HTML, PDF, DOCX and Markdown writers only lay it out, so the four formats
always say the same thing.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from designer.graph.model import ACTIVITY_LABELS, PHASE_ORDER, Pathway, Step, StepKind
from designer.export.spec.glossary import terms_used
from designer.graph.vocabulary import (
    PHASE_LABELS, SETTING_KIND_LABELS, SEVERITY_LABELS, STATUS_LABELS, days, number, plural,
)



@dataclass
class StepRow:
    id: str
    name: str
    kind: str
    activity: str
    setting: str
    owner: str
    timing: str
    description: str
    critical: bool = False


@dataclass
class PhaseGroup:
    title: str
    steps: list[StepRow]


@dataclass
class HandoffRow:
    key: str
    route: str          # "From step -> To step"
    people: str         # "Sender -> Receiver"
    information: str
    channel: str
    service_level: str
    complete: bool


@dataclass
class TimelineRow:
    step_id: str
    name: str
    setting: str
    start_day: float
    end_day: float
    relative: str       # "T-42", "T0", "if needed", "" when there is no surgery step
    critical: bool
    detour: bool = False    # on an optimisation loop: only some patients, and it loops back
    #: only some patients take it: a decision sends the others round it (or a loop step)
    if_needed: bool = False
    plain_name: str = ""    # the step's name alone (``name`` may carry the loop note)
    loop_note: str = ""     # a loop step: what a trip round it costs


@dataclass
class FindingRow:
    severity: str       # label, e.g. "Warning"
    level: str          # "error" | "warning" | "info"
    rule: str
    title: str
    message: str
    targets: str
    reason: str = ""


@dataclass
class SpecContent:
    """Everything the specification prints, as plain text."""

    title: str
    pathway_id: str
    version: str
    status: str
    organisation: str
    date: str
    derived_from: str
    summary: str
    population: str
    specialties: str
    tags: str
    rule_packs: str
    phases: list[PhaseGroup]
    handoffs: list[HandoffRow]
    timeline: list[TimelineRow]
    timeline_total_days: float
    surgery_step: str
    critical_path: list[str]
    validation_counts: dict[str, int]
    findings: list[FindingRow]
    waived: list[FindingRow]
    evidence: list[dict[str, Any]]
    roles: list[dict[str, str]]
    settings: list[dict[str, str]]
    glossary: list[tuple[str, str]]
    diff_rows: list[dict[str, str]] = field(default_factory=list)
    #: the pathway's own rule settings (rule_config): rule, setting, default, reason
    rule_overrides: list[dict[str, str]] = field(default_factory=list)
    step_count: int = 0
    surgery_day: float | None = None    # day (from the start) on which surgery starts
    patient_reading: str = ""           # the Surgery School booklet's reading check

    @property
    def cover_rows(self) -> list[tuple[str, str]]:
        """Label/value pairs for the cover block."""
        rows = [("Version", self.version), ("Status", self.status),
                ("Organisation", self.organisation or "Not stated"),
                ("Date", self.date)]
        if self.derived_from:
            rows.append(("Derived from", self.derived_from))
        c = self.validation_counts
        rows.append(("Validation", f"{plural(c.get('error', 0), 'error')}, "
                                   f"{plural(c.get('warning', 0), 'warning')}, "
                                   f"{len(self.waived)} waived"))
        rows.append(("Pathway id", self.pathway_id))
        return rows


def _days(value: float | None) -> str:
    return "" if value is None else days(value)


def _named(lookup: dict[str, str], key: str | None, missing: str = "Not set") -> str:
    if not key:
        return missing
    return lookup.get(key, f"{key} (unknown)")


def _timing(step: Step, entry: Any, relative: str) -> str:
    parts = []
    if relative:
        parts.append(relative)
    if entry is not None:
        parts.append(f"day {number(entry.start_day)}")
    if step.duration_days:
        parts.append(f"lasts {_days(step.duration_days)}")
    return ", ".join(parts) or "Not set"


def _long_date(day: _dt.date) -> str:
    """'14 March 2026' ("%-d" is not portable to Windows)."""
    return f"{day.day} {day:%B %Y}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _library_title(pathway_id: str) -> str:
    """The title of the built-in library pathway ``pathway_id``, or "" if not found.

    The cover names what a pathway was derived from in words, not only by id.
    """
    try:
        from designer.graph.io import read_header
        from designer.library.index import builtin_folder

        for path in sorted(builtin_folder().glob("*.yaml")):
            header = read_header(path)
            if header.get("id") == pathway_id:
                return str(header.get("title") or "")
    except Exception:  # noqa: BLE001 - a missing or unreadable library: fall back to the id
        return ""
    return ""


def build_spec(pathway: Pathway, report: Any = None, diff: Any = None,
               today: _dt.date | None = None) -> SpecContent:
    """Gather the specification's content from ``pathway``.

    Parameters
    ----------
    pathway
        The pathway to describe.
    report
        A ``ValidationReport``; when None, :func:`designer.graph.validate.validate`
        runs now.
    diff
        An optional ``PathwayDiff``; its ``rows()`` become an appendix.
    today
        The date printed on the cover (defaults to today).
    """
    from designer.graph.timeline import compute_timeline, format_relative

    if report is None:
        from designer.graph.validate import validate

        report = validate(pathway)
    timeline = compute_timeline(pathway)

    settings = {s.id: s.name for s in pathway.settings}
    roles = {r.id: r.name for r in pathway.roles}
    steps = {s.id: s for s in pathway.steps}
    step_names = {s.id: s.name for s in pathway.steps}
    critical = set(timeline.critical_path)

    def relative_of(step_id: str) -> str:
        entry = timeline.by_step.get(step_id)
        if entry is None or entry.relative_day is None:
            return ""
        return format_relative(entry.relative_day)

    # Steps by phase, each phase in the order the patient meets its steps.
    order = {e.step_id: i for i, e in enumerate(timeline.entries)}
    original = {s.id: i for i, s in enumerate(pathway.steps)}

    def sort_key(step: Step) -> tuple[int, int]:
        return (order.get(step.id, len(order)), original[step.id])

    phases: list[PhaseGroup] = []
    for phase in list(PHASE_ORDER) + [None]:
        members = sorted((s for s in pathway.steps if s.phase == phase), key=sort_key)
        if not members:
            continue
        title = PHASE_LABELS[phase] if phase else "Phase not set"
        rows = [StepRow(
            id=s.id, name=s.name, kind=s.kind.value,
            activity=ACTIVITY_LABELS.get(s.activity, "") if s.activity else "",
            setting=_named(settings, s.setting), owner=_named(roles, s.owner),
            timing=_timing(s, timeline.by_step.get(s.id), relative_of(s.id)),
            description=_text(s.description), critical=s.id in critical,
        ) for s in members]
        phases.append(PhaseGroup(title, rows))

    handoffs: list[HandoffRow] = []
    # a missing service level is a finding (rule handoff-without-service-level): say so
    no_service_level = {target for f in list(report.findings) + list(report.waived)
                        if f.rule == "handoff-without-service-level" for target in f.targets}
    for t in pathway.transitions:
        a, b = steps.get(t.source), steps.get(t.target)
        crosses = a is not None and b is not None and a.setting != b.setting
        if t.handoff is None and not crosses:
            continue
        h = t.handoff
        route = f"{step_names.get(t.source, t.source)} \u2192 {step_names.get(t.target, t.target)}"
        if h is None:
            handoffs.append(HandoffRow(t.key, route, "Not recorded", "Not recorded",
                                       "Not recorded", "", False))
            continue
        people = (f"{_named(roles, h.sender, 'Sender not set')} \u2192 "
                  f"{_named(roles, h.receiver, 'Receiver not set')}")
        handoffs.append(HandoffRow(
            key=t.key, route=route, people=people,
            information="; ".join(h.information) or "Not recorded",
            channel=h.channel or "Not recorded",
            service_level=(f"within {_days(h.within_days)}" if h.within_days is not None
                           else "Not set (see the validation findings)"
                           if t.key in no_service_level else "Not set"),
            complete=h.is_complete(),
        ))

    only_some = _only_if_needed(pathway, timeline.surgery_step)
    timeline_rows = [TimelineRow(
        step_id=e.step_id, name=_timeline_name(step_names.get(e.step_id, e.step_id), e),
        setting=_named(settings, steps[e.step_id].setting) if e.step_id in steps else "",
        start_day=float(e.start_day), end_day=float(e.end_day),
        relative=("if needed" if e.detour else
                  format_relative(e.relative_day) + (" (assumed)" if e.timing_assumed else "")
                  if e.relative_day is not None else ""),
        critical=bool(e.on_critical_path), detour=e.detour,
        if_needed=e.detour or e.step_id in only_some,
        plain_name=step_names.get(e.step_id, e.step_id), loop_note=_loop_note(e),
    ) for e in timeline.entries]

    def target_names(targets: tuple[str, ...]) -> str:
        return "; ".join(pathway.target_name(t, step_names) for t in targets) or "Whole pathway"

    def finding_row(f: Any) -> FindingRow:
        return FindingRow(
            severity=SEVERITY_LABELS.get(f.severity, f.severity), level=f.severity,
            rule=f.rule, title=_text(getattr(f, "title", "")) or f.rule,
            message=f.message, targets=target_names(tuple(f.targets)),
            reason=_text(getattr(f, "waived_reason", "")),
        )

    surgery_entry = timeline.by_step.get(timeline.surgery_step) if timeline.surgery_step else None
    surgery_start = float(surgery_entry.start_day) if surgery_entry is not None else None

    derived = ""
    if pathway.derived_from is not None:
        source = pathway.derived_from
        title = _library_title(source.id)
        derived = (f"{title} (library pathway {source.id}), version {source.version}"
                   if title else f"library pathway {source.id}, version {source.version}")

    evidence = [{"claim": e.claim, "source": _cited(e), "weak": e.weak,
                 "note": _text(e.note)} for e in pathway.evidence]
    per_setting: dict[str, int] = {}
    per_role: dict[str, int] = {}
    for s in pathway.steps:
        if s.setting:
            per_setting[s.setting] = per_setting.get(s.setting, 0) + 1
        if s.owner:
            per_role[s.owner] = per_role.get(s.owner, 0) + 1
    settings_rows = [{"name": s.name, "kind": SETTING_KIND_LABELS.get(s.kind, s.kind.value),
                      "description": _text(s.description),
                      "steps": str(per_setting.get(s.id, 0))} for s in pathway.settings]
    role_rows = [{"name": r.name, "description": _text(r.description),
                  "steps": str(per_role.get(r.id, 0))} for r in pathway.roles]

    diff_rows: list[dict[str, str]] = []
    if diff is not None:
        diff_rows = [{k: _text(row.get(k)) for k in ("change", "subject", "field", "old", "new")}
                     for row in diff.rows()]
        for row in diff_rows:
            row["change"] = row["change"][:1].upper() + row["change"][1:]

    # Every text the document prints, so the glossary misses no abbreviation a reader meets.
    texts = [pathway.title, pathway.summary, pathway.population, pathway.organisation,
             ", ".join(pathway.tags), ", ".join(pathway.specialties)]
    texts += [f"{s.name}\n{s.description or ''}" for s in pathway.steps]
    texts += [h.information for h in handoffs] + [h.channel for h in handoffs]
    texts += [e["claim"] for e in evidence] + [e.get("note") or "" for e in evidence]
    texts += [f"{r.name}\n{getattr(r, 'description', '') or ''}" for r in pathway.roles]
    texts += [f"{s.name}\n{getattr(s, 'description', '') or ''}" for s in pathway.settings]
    # Code systems named by key: {snomed: ..., opcs: ...}.
    code_names = {"snomed": "SNOMED CT", "opcs": "OPCS"}
    texts += [code_names.get(c.lower(), c) for s in pathway.steps for c in s.codes]
    texts += [f.message for f in report.findings] + [f.message for f in report.waived]

    return SpecContent(
        title=pathway.title, pathway_id=pathway.id, version=pathway.version,
        status=STATUS_LABELS.get(pathway.status.value, pathway.status.value),
        organisation=_text(pathway.organisation),
        date=_long_date(today or _dt.date.today()),
        derived_from=derived, summary=_text(pathway.summary),
        population=_text(pathway.population),
        specialties=", ".join(pathway.specialties), tags=", ".join(pathway.tags),
        rule_packs=", ".join(["core"] + [p for p in pathway.rule_packs if p != "core"]),
        phases=phases, handoffs=handoffs, timeline=timeline_rows,
        timeline_total_days=float(timeline.total_days),
        surgery_step=step_names.get(timeline.surgery_step or "", ""),
        critical_path=[step_names.get(s, s) for s in timeline.critical_path],
        validation_counts=dict(report.summary),
        findings=[finding_row(f) for f in report.findings],
        rule_overrides=_rule_overrides(pathway),
        waived=[finding_row(f) for f in report.waived],
        evidence=evidence, roles=role_rows, settings=settings_rows,
        glossary=terms_used(texts), diff_rows=diff_rows, step_count=len(pathway.steps),
        surgery_day=surgery_start, patient_reading=_patient_reading(pathway),
    )


def _patient_reading(pathway: Pathway) -> str:
    """One sentence on how readable the patient materials are (NHS aim: age 11 or below)."""
    if not any((s.patient_info or "").strip() for s in pathway.steps):
        return ("No step has patient information yet, so there is no Surgery School "
                "booklet to check.")
    from designer.export.school import school_report

    report = school_report(pathway)
    hard = [s.title for s in report.sections if s.too_hard]
    text = (f"Patient information: the Surgery School booklet built from this pathway has a "
            f"reading age of {report.overall_reading_age:g} (NHS aim: 11 or below).")
    if hard:
        text += " Sections above the aim: " + ", ".join(hard) + "."
    if report.long_sentence_count:
        text += (f" {report.long_sentence_count} sentence(s) are longer than 20 words.")
    return text


def _only_if_needed(pathway: Pathway, surgery: str | None) -> set[str]:
    """Steps on the way to surgery that a decision lets some patients go round
    (``Optimise health`` after ``Needs optimising?``): the timeline puts them on
    the longest route, but only some patients take them."""
    if not surgery:
        return set()
    from designer.graph.branches import skippable_steps
    from designer.graph.network import forward_graph

    decisions = [s.id for s in pathway.steps if s.kind == StepKind.decision]
    return set(skippable_steps(forward_graph(pathway), decisions, surgery))


def _loop_note(entry) -> str:
    """What a trip round a detour step's loop costs ("" for other steps)."""
    if not entry.detour:
        return ""
    if entry.loop_days:
        return f"loops back; adds about {_days(entry.loop_days)}"
    return "loops back"


def _timeline_name(name: str, entry) -> str:
    """A detour step says what a trip round its loop costs (its T-day is not a date)."""
    note = _loop_note(entry)
    return f"{name} ({note})" if note else name


def _cited(evidence) -> str:
    """An evidence item's source as a reference from the sources registry, else as written."""
    from ...graph.sources import resolve, split_ref

    found = resolve(evidence.source, evidence.ref)
    if found is None:
        return evidence.source
    section = split_ref(evidence.ref)[1] if evidence.ref else None
    return found.citation(section)


def _rule_overrides(pathway: Pathway) -> list[dict[str, str]]:
    """Each rule this pathway sets differently from the default, with the reason given."""
    from ...graph.model import rule_level, rule_reason
    from ...graph.rules import RULES, load_packs

    load_packs()
    rows = []
    for rule_id, setting in pathway.rule_config.items():
        registered = RULES.get(rule_id)
        level = rule_level(setting).value
        rows.append({
            "rule": registered.title if registered else rule_id,
            "setting": "Switched off" if level == "off" else level.capitalize(),
            "default": registered.severity.capitalize() if registered else "Unknown rule",
            "reason": rule_reason(setting) or "No reason recorded",
        })
    return rows
