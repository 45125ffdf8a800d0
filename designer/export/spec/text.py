"""Headings and sentences of the specification shared by every output format."""

from __future__ import annotations

import re
from typing import Any

from designer.export.spec.content import SpecContent
from designer.export.spec.timeline_chart import Bar
from designer.graph.vocabulary import days, plural

SECTION_TITLES = {
    "summary": "Summary and population",
    "diagram": "Pathway diagram",
    "steps": "Steps by phase",
    "handoffs": "Handoffs between settings",
    "timeline": "Timeline and critical path",
    "validation": "Validation summary",
    "evidence": "Evidence and outcomes",
    "roles": "Roles and settings",
    "glossary": "Glossary of abbreviations",
    "diff": "Appendix: changes from the earlier version",
}

DIAGRAM_KEY = ("One lane for each setting of care; time runs from left to right. Rounded "
               "boxes are the start and end, diamonds are decisions and an hourglass marks "
               "a wait. A badge on an arrow between lanes marks a handoff: green when it is "
               "complete, red when something is missing. Box colours group kinds of activity: "
               "for example green for assessment, optimisation and prehabilitation, yellow "
               "for education and red for surgery.")


#: Longer critical paths are summarised rather than listed step by step.
MAX_LISTED_CRITICAL_STEPS = 24


def critical_path_sentence(content: SpecContent) -> str:
    """One paragraph on the surgery step and the critical path."""
    if not content.timeline:
        return "The pathway has no steps to place on a timeline."
    parts = []
    if content.surgery_step:
        parts.append(f"Days are counted relative to the start of surgery ({content.surgery_step}),"
                     " so T-42 is six weeks before surgery and T+3 three days after.")
    else:
        parts.append("The pathway has no surgery step, so days are counted from its start.")
    parts.append(f"The longest route takes {days(content.timeline_total_days)}.")
    path = content.critical_path
    if len(path) > MAX_LISTED_CRITICAL_STEPS:
        # A list of dozens of names is unreadable and pushes the chart off the page.
        parts.append(f"Its critical path has {len(path)} steps, from {path[0]} to {path[-1]}: "
                     "the red bars in the chart and the bold steps in the tables.")
    elif path:
        parts.append(f"Its critical path has {len(path)} steps: " + " \u2192 ".join(path) + ".")
    if any(row.if_needed and not row.detour for row in content.timeline):
        parts.append("Steps only some patients take, because a decision sends the others "
                     "round them, are pale bars edged in red or blue: the days shown are "
                     "those of patients who take them, and the others reach surgery sooner.")
    if any(row.detour for row in content.timeline):
        parts.append("Patients sent round an optimisation loop (the amber bars, marked "
                     "\u2018if needed\u2019) go back to an earlier step afterwards, so their "
                     "operation moves later by about the days shown for that loop.")
    return " ".join(parts)


def validation_sentence(content: SpecContent) -> str:
    """The validation counts as a sentence."""
    c = content.validation_counts
    errors, warnings, infos = c.get("error", 0), c.get("warning", 0), c.get("info", 0)

    n = plural

    head = (f"Checked against the rule packs: {content.rule_packs}. "
            f"{n(errors, 'error')}, {n(warnings, 'warning')} and "
            f"{n(infos, 'information note')} remain; "
            f"{n(len(content.waived), 'finding')} waived with a recorded reason.")
    if errors:
        head += " The pathway is not ready for approval until the errors are resolved."
    elif not warnings:
        head += " No unresolved problems were found."
    return head


_WEAK_PREFIX = re.compile(r"^\s*weak(\s+evidence)?\b\s*[-\u2013\u2014:.,;]?\s*", re.IGNORECASE)


def evidence_strength(item: dict[str, Any]) -> str:
    """'Weak: note' for weak evidence, else the note or 'UK source'.

    A note that itself starts "Weak evidence - ..." is not prefixed twice.
    """
    note = (item.get("note") or "").strip()
    if item.get("weak"):
        note = _WEAK_PREFIX.sub("", note)
        return "Weak" + (f": {note}" if note else "")
    return note or "UK source"


def chart_bars(content: SpecContent) -> list[Bar]:
    """The timeline rows as chart bars."""
    return [Bar(label=r.plain_name or r.name, start=r.start_day, end=r.end_day,
                critical=r.critical, relative=r.relative, detour=r.detour,
                if_needed=r.if_needed, note=r.loop_note)
            for r in content.timeline]


def surgery_day(content: SpecContent) -> float | None:
    """The day (from the pathway's start) on which surgery starts, if any."""
    return content.surgery_day


def diagram_unavailable(exc: BaseException) -> str:
    """The note printed in place of a diagram that could not be drawn."""
    missing = getattr(exc, "name", None) or "a drawing component"
    return (f"The diagram could not be drawn on this computer ({missing} is not "
            "available). Export the diagram separately once it is installed.")


def contents(content: SpecContent) -> list[tuple[str, str]]:
    """(anchor, title) of each main section, in document order."""
    keys = ["summary", "diagram", "steps", "handoffs", "timeline", "validation", "evidence",
            "roles", "glossary"]
    if content.diff_rows:
        keys.append("diff")
    return [(key, SECTION_TITLES[key]) for key in keys]
