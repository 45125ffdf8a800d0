"""The board specification as GitHub-flavoured Markdown (tables, no pictures).

Pathway text is escaped so that it cannot break a table or turn into markup:
pipes, backslashes, asterisks and the like are backslash-escaped, HTML angle
brackets become entities and line breaks inside cells become ``<br>``.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from designer.export.spec.content import SpecContent
from designer.export.spec.text import (
    SECTION_TITLES,
    contents,
    critical_path_sentence,
    evidence_strength,
    validation_sentence,
)

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
# Only what would start a heading, list or rule at the start of a line.
_LINE_START = re.compile(r"^(\s*)(#{1,6}(?=\s|$)|[+\-](?=\s)|\d+[.)](?=\s|$)|[=-]+(?=\s*$))",
                         re.MULTILINE)


def _escape_line_start(match: re.Match[str]) -> str:
    mark = match.group(2)
    if mark[0].isdigit():               # "12." -> "12\." (only punctuation escapes)
        return match.group(1) + mark[:-1] + "\\" + mark[-1]
    return match.group(1) + "\\" + mark


def md_escape(text: Any) -> str:
    """``text`` safe inside Markdown (and inside a table cell)."""
    value = "" if text is None else str(text)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    value = _LINE_START.sub(_escape_line_start, value)
    # '&gt;' now contains no '>' so quoting cannot start; keep line breaks visible.
    return value.replace("\r\n", "\n").replace("\n", "<br>")


def _table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(md_escape(h) for h in header) + " |",
             "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(md_escape(v) or " " for v in row) + " |" for row in rows]
    return lines + [""]


def render_spec_md(c: SpecContent) -> str:
    """The specification as Markdown text."""
    out: list[str] = [f"# {md_escape(c.title)}", "",
                      "*Perioperative care pathway specification*", ""]
    out += _table(["Field", "Value"], c.cover_rows)
    out += ["**Contents**", ""] + [f"{n}. {title}" for n, (_, title) in
                                   enumerate(contents(c), 1)] + [""]
    out += [f"## {SECTION_TITLES['summary']}", "", md_escape(c.summary or "No summary given."), "",
            f"**Population.** {md_escape(c.population or 'Not stated.')}", ""]
    for label, value in (("Specialties", c.specialties), ("Tags", c.tags),
                         ("Rule packs checked", c.rule_packs)):
        if value:
            out += [f"**{label}.** {md_escape(value)}", ""]
    out += [f"**Size.** {c.step_count} steps, {len(c.handoffs)} handoffs", ""]
    out += [f"## {SECTION_TITLES['diagram']}", "",
            "The diagram is not included in the Markdown version; export it as SVG or PNG "
            "from the same pathway.", ""]
    out += [f"## {SECTION_TITLES['steps']}", "",
            "Steps in the order the patient meets them within each phase. "
            "**Bold** steps are on the critical path.", ""]
    for group in c.phases:
        out += [f"### {md_escape(group.title)}", ""]
        rows = []
        for s in group.steps:
            name = md_escape(s.name)
            name = f"**{name}**" if s.critical else name
            if s.activity:
                name += f" ({md_escape(s.activity)})"
            rows.append([name, md_escape(s.setting), md_escape(s.owner), md_escape(s.timing),
                         md_escape(s.description)])
        out += ["| Step | Setting | Owner | Timing | Description |", "|---|---|---|---|---|"]
        out += ["| " + " | ".join(v or " " for v in row) + " |" for row in rows] + [""]
    out += [f"## {SECTION_TITLES['handoffs']}", ""]
    if c.handoffs:
        out += _table(["From \u2192 to", "Sender \u2192 receiver", "Information passed on",
                       "Channel", "Service level", "Complete"],
                      [[h.route, h.people, h.information, h.channel,
                        h.service_level or "Not set", "Yes" if h.complete else "No"]
                       for h in c.handoffs])
    else:
        out += ["The patient stays in one setting: there are no handoffs.", ""]
    out += [f"## {SECTION_TITLES['timeline']}", "", md_escape(critical_path_sentence(c)), ""]
    if c.timeline:
        out += _table(["Step", "Relative to surgery", "Start day", "End day", "Critical path"],
                      [[r.name, r.relative or "-", f"{r.start_day:g}", f"{r.end_day:g}",
                        "Yes" if r.critical else "No"] for r in c.timeline])
    out += [f"## {SECTION_TITLES['validation']}", "", md_escape(validation_sentence(c)), "",
            md_escape(c.patient_reading), ""]
    if c.findings:
        out += ["### Findings to resolve", ""]
        out += _table(["Severity", "Rule", "Finding", "Where"],
                      [[f.severity, f.title, f.message, f.targets] for f in c.findings])
    out += ["### Waived findings", ""]
    out += (_table(["Rule", "Where", "Reason for waiver"],
                   [[f.title, f.targets, f.reason] for f in c.waived])
            if c.waived else ["No findings have been waived.", ""])
    if c.rule_overrides:
        out += ["### Rule settings for this pathway", ""]
        out += _table(["Rule", "Set to", "Default", "Reason"],
                      [[r["rule"], r["setting"], r["default"], r["reason"]]
                       for r in c.rule_overrides])
    out += [f"## {SECTION_TITLES['evidence']}", ""]
    if c.evidence:
        out += ["Claims marked **Weak** rest on a non-UK or secondary source.", ""]
        out += _table(["Claim", "Source", "Strength"],
                      [[e["claim"], e["source"], evidence_strength(e)] for e in c.evidence])
    else:
        out += ["No evidence has been recorded for this pathway.", ""]
    out += [f"## {SECTION_TITLES['roles']}", "", "### Settings of care", ""]
    out += _table(["Setting", "Kind", "Steps", "Description"],
                  [[s["name"], s["kind"], s["steps"], s["description"]] for s in c.settings])
    out += ["### Roles", ""]
    out += _table(["Role", "Steps owned", "Description"],
                  [[r["name"], r["steps"], r["description"]] for r in c.roles])
    out += [f"## {SECTION_TITLES['glossary']}", ""]
    out += (_table(["Abbreviation", "Meaning"], c.glossary) if c.glossary
            else ["No abbreviations are used.", ""])
    if c.diff_rows:
        out += [f"## {SECTION_TITLES['diff']}", ""]
        out += _table(["Change", "What", "Field", "Before", "After"],
                      [[r["change"], r["subject"], r["field"], r["old"], r["new"]]
                       for r in c.diff_rows])
    out += ["---", "", f"{md_escape(c.title)} \u2022 version {md_escape(c.version)} \u2022 "
            f"{md_escape(c.status)} \u2022 {md_escape(c.date)}", ""]
    return "\n".join(out)
