"""A clinical diff of two pathways: what a network or a board needs to see changed.

Steps are matched by id first, then (for those left over) by their normalised name,
so a trust that renamed ``pac`` to ``preassessment`` is still compared step by step.
Transitions are matched through that step matching. Conditions are read for
numeric thresholds ("HbA1c >= 69 mmol/mol") so a changed threshold is reported
with its old and new numbers rather than as a vague "condition changed".

Pure Python: no Qt. Used by the ``diff`` command, the editor's side-by-side view
and the board specification's variance appendix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from .model import Pathway, Step, Transition

ADDED, REMOVED, CHANGED = "added", "removed", "changed"

# areas about the pathway as a whole (no step or transition to mark on the canvas)
_PATHWAY_AREAS = ("header", "setting", "role", "rule", "evidence", "flow", "resource",
                  "cohort", "cost", "scenario")

# Step fields compared value by value; long texts are compared as "changed or not".
_STEP_FIELDS = ("name", "kind", "owner", "setting", "phase", "activity",
                "duration_days", "timing_assumed", "channel", "milestone", "duration",
                "capacity", "uses",
                "costs", "codes")
# the facts about an operation (``surgery:``), each compared on its own
_SURGERY_FACTS = ("major", "day_case", "major_blood_loss", "extended_vte_prophylaxis")
_TRANSITION_FIELDS = ("wait_days", "probability", "parallel", "wait",
                      "probability_by_cohort")
_STEP_TEXTS = ("description", "patient_info")
_FIELD_LABELS = {
    "duration_days": "duration (days)", "patient_info": "patient information",
    "timing_assumed": "timing assumed",
    "wait_days": "wait (days)", "within_days": "handoff within (days)",
    "rule_packs": "rule packs", "derived_from": "derived from",
    "probability_by_cohort": "probability by cohort", "cancer_pathway": "cancer pathway",
    "older_people": "older people", "surgery major": "major surgery",
    "surgery day_case": "day case", "surgery major_blood_loss": "major blood loss",
    "surgery extended_vte_prophylaxis": "extended VTE prophylaxis",
    "horizon_weeks": "horizon (weeks)", "warmup_weeks": "warm-up (weeks)",
}
_HEADER_FIELDS = ("title", "version", "status", "rule_packs", "population",
                  "derived_from", "cancer_pathway", "older_people")
_FLOW_FIELDS = ("arrivals", "horizon_weeks", "warmup_weeks", "replications", "seed",
                "currency", "note")
# the simulation's keyed lists (by id) and the fields compared on each
_KEYED_LISTS = (
    ("resource", "resources", ("name", "capacity", "bed", "note")),
    ("cohort", "cohorts", ("name", "share", "note")),
    ("cost", "costs", ("name", "amount", "year", "source", "url", "note")),
    ("scenario", "scenarios", ("name", "description", "changes")),
)
_EVIDENCE_FIELDS = ("source", "ref", "weak", "note")


@dataclass(frozen=True)
class Change:
    """One difference between pathway A (before) and pathway B (after).

    Attributes
    ----------
    change : str
        ``"added"``, ``"removed"`` or ``"changed"``.
    area : str
        What changed: ``"header"``, ``"setting"``, ``"role"``, ``"step"``,
        ``"transition"``, ``"handoff"``, ``"threshold"``, ``"rule"`` (a
        ``rule_config`` setting), ``"evidence"``, ``"flow"`` (the simulation's
        ``flow`` block), ``"resource"``, ``"cohort"``, ``"cost"`` or ``"scenario"``.
    subject : str
        The thing changed, in words (a step's name, "Name A → Name B").
    field : str
        The field changed ("" for a whole thing added or removed).
    old, new : Any
        Values before and after (plain JSON values; numbers stay numbers).
    a_key, b_key : str or None
        The step id or "FROM->TO" in A and in B (None where absent).
    """

    change: str
    area: str
    subject: str
    field: str = ""
    old: Any = None
    new: Any = None
    a_key: str | None = None
    b_key: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"change": self.change, "area": self.area, "subject": self.subject,
                "field": self.field, "old": self.old, "new": self.new,
                "a": self.a_key, "b": self.b_key}


@dataclass
class PathwayDiff:
    """The differences from pathway ``a`` (before) to pathway ``b`` (after)."""

    a_label: str
    b_label: str
    changes: list[Change] = field(default_factory=list)
    step_pairs: dict[str, str] = field(default_factory=dict)   # A id -> B id

    # ---------------------------------------------------------------- queries

    def is_empty(self) -> bool:
        """True when the two pathways are clinically identical."""
        return not self.changes

    def marks_a(self) -> dict[str, str]:
        """Step ids and "FROM->TO" keys of A with ``"removed"`` or ``"changed"``."""
        return self._marks("a_key", (REMOVED, CHANGED))

    def marks_b(self) -> dict[str, str]:
        """Step ids and "FROM->TO" keys of B with ``"added"`` or ``"changed"``."""
        return self._marks("b_key", (ADDED, CHANGED))

    def _marks(self, side: str, wanted: tuple[str, ...]) -> dict[str, str]:
        marks: dict[str, str] = {}
        for c in self.changes:
            key = getattr(c, side)
            if not key or c.area in _PATHWAY_AREAS:
                continue
            # a whole step or transition added/removed; anything else is a change of it
            whole = c.area in ("step", "transition") and not c.field
            status = c.change if whole else CHANGED
            if status in wanted and marks.get(key) in (None, CHANGED):
                marks[key] = status
        return marks

    def counts(self) -> dict[str, dict[str, int]]:
        """How many steps and transitions were added, removed or changed, and other areas."""
        out: dict[str, dict[str, int]] = {}
        seen: set[tuple[str, str, str]] = set()
        for c in self.changes:
            area = "transition" if c.area == "handoff" else c.area
            by_field = area in ("header", "threshold", "flow")
            status = c.change if not c.field or by_field else CHANGED
            ident = (area, c.a_key or c.b_key or c.subject, c.field if by_field else "")
            if ident in seen:
                continue
            seen.add(ident)
            out.setdefault(area, {}).setdefault(status, 0)
            out[area][status] += 1
        return out

    def summary(self) -> str:
        """One sentence for people: "3 steps added, 1 changed; 1 threshold changed"."""
        if self.is_empty():
            return "No clinical differences."
        nouns = {"step": ("step", "steps"), "transition": ("transition", "transitions"),
                 "threshold": ("threshold", "thresholds"), "setting": ("setting", "settings"),
                 "role": ("role", "roles"), "header": ("header field", "header fields"),
                 "rule": ("rule setting", "rule settings"),
                 "evidence": ("evidence item", "evidence items"),
                 "flow": ("flow field", "flow fields"),
                 "resource": ("resource", "resources"), "cohort": ("cohort", "cohorts"),
                 "cost": ("unit cost", "unit costs"), "scenario": ("scenario", "scenarios")}
        parts = []
        for area in ("step", "transition", "threshold", "setting", "role", "header", "rule",
                     "evidence", "flow", "resource", "cohort", "cost", "scenario"):
            counts = self.counts().get(area)
            if not counts:
                continue
            found = [(n, status) for status in (ADDED, REMOVED, CHANGED)
                     if (n := counts.get(status))]
            noun = nouns[area][0 if found[0][0] == 1 else 1]
            bits = [f"{n} {noun if i == 0 else ''} {status}".replace("  ", " ")
                    for i, (n, status) in enumerate(found)]
            parts.append(", ".join(bits))
        return "; ".join(parts) + "."

    # ---------------------------------------------------------------- output

    def rows(self) -> list[dict[str, str]]:
        """The changes as table rows ``{change, subject, field, old, new}`` (text)."""
        return [{"change": c.change, "subject": c.subject,
                 "field": _FIELD_LABELS.get(c.field, c.field.replace("_", " ")),
                 "old": _text(c.old), "new": _text(c.new)} for c in self.changes]

    def to_json(self) -> dict[str, Any]:
        return {"a": self.a_label, "b": self.b_label, "identical": self.is_empty(),
                "summary": self.summary(), "counts": self.counts(),
                "changes": [c.to_json() for c in self.changes]}

    def to_markdown(self) -> str:
        lines = [f"## Differences from {self.a_label} to {self.b_label}", "",
                 self.summary(), ""]
        if self.changes:
            lines += ["| Change | Subject | Field | Before | After |",
                      "|---|---|---|---|---|"]
            for r in self.rows():
                cells = [_md_cell(r[k]) for k in ("change", "subject", "field", "old", "new")]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
        return "\n".join(lines)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        if set(value) == {"level", "reason"} or set(value) == {"level"}:
            reason = value.get("reason")
            return f"{value['level']} ({reason})" if reason else str(value["level"])
        if "dist" in value:      # a distribution: "triangular min 2, mode 3, max 5"
            rest = ", ".join(f"{k} {_text(v)}" for k, v in value.items()
                             if k != "dist" and v is not None)
            return f"{value['dist']} {rest}".strip()
        return ", ".join(f"{k} {_text(v)}" if not isinstance(v, (dict, list))
                         else f"{k} ({_text(v)})"
                         for k, v in value.items() if v is not None and v != [] and v != {})
    return str(value)


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def normalise_name(name: str) -> str:
    """Lower case, punctuation dropped, spaces collapsed: how names are matched."""
    return " ".join(re.sub(r"[^\w\s]", " ", name.lower()).split())


# --------------------------------------------------------------- thresholds

_OPERATORS = (">=", "<=", "=>", "=<", "≥", "≤", "==", ">", "<", "=",
              "at or above", "at or below", "at least", "more than", "less than",
              "above", "below", "over", "under")
_THRESHOLD_RE = re.compile(
    r"(?P<op>" + "|".join(re.escape(o) for o in _OPERATORS) + r")\s*"
    r"(?P<num>-?\d+(?:\.\d+)?)", re.IGNORECASE)
_LABEL_RE = re.compile(r"([A-Za-z][\w%/.-]*(?:\s+[A-Za-z][\w%/.-]*){0,2})\s*$")
_SAME_OP = {"=>": ">=", "=<": "<=", "≥": ">=", "≤": "<=", "==": "=",
            "at or above": ">=", "at least": ">=", "at or below": "<=",
            "more than": ">", "above": ">", "over": ">", "less than": "<",
            "below": "<", "under": "<"}
_JOINERS = re.compile(r"\b(?:and|or|if|when|with|is|the|patient'?s?|a|an)\b", re.I)


def thresholds(condition: str | None) -> list[tuple[str, str, float]]:
    """The numeric comparisons in a condition: ``[("hba1c", ">=", 69.0), ...]``.

    The label is the last words before the operator (lower case), so "HbA1c >= 69"
    and "if HbA1c is at or above 64" both give the label ``"hba1c"``.
    """
    return [(label.lower(), op, value) for label, op, value in _comparisons(condition)]


def _comparisons(condition: str | None) -> list[tuple[str, str, float]]:
    """Like :func:`thresholds` with the label spelt as written ("HbA1c")."""
    found = []
    for m in _THRESHOLD_RE.finditer(condition or ""):
        before = condition[:m.start()]
        before = re.split(r"[,;()]|\band\b|\bor\b", before)[-1]
        before = _JOINERS.sub(" ", before)
        label_m = _LABEL_RE.search(before.strip())
        label = " ".join(label_m.group(1).split()) if label_m else ""
        op = m.group("op").lower()
        found.append((label, _SAME_OP.get(op, op), float(m.group("num"))))
    return found


_SHOWN_OP = {">=": "≥", "<=": "≤"}


def _threshold_changes(old: str | None, new: str | None) -> list[tuple[str, str, float, float]]:
    """(label, operator, old number, new number) for comparisons whose number moved."""
    before, after = _comparisons(old), _comparisons(new)
    out = []
    used: set[int] = set()
    for label, op, value in before:
        match = next((j for j, (l2, _o, _v) in enumerate(after)
                      if j not in used and l2.lower() == label.lower()), None)
        if match is None:
            continue
        used.add(match)
        l2, op2, value2 = after[match]
        if value2 != value or op2 != op:
            shown = f"{l2} {_SHOWN_OP.get(op2, op2)}".strip() if op == op2 else l2
            out.append((shown, op2, value, value2))
    return out


def _numbers_only(text: str | None) -> str:
    return re.sub(r"-?\d+(?:\.\d+)?", "#", normalise_name(text or ""))


# --------------------------------------------------------------- the diff


def _label(p: Pathway) -> str:
    return f"{p.title} (version {p.version})"


def _match_steps(a: Pathway, b: Pathway) -> dict[str, str]:
    b_ids = {s.id for s in b.steps}
    pairs = {s.id: s.id for s in a.steps if s.id in b_ids}
    paired_b = set(pairs.values())
    left_b: dict[str, str] = {}
    for s in b.steps:
        if s.id not in paired_b:
            left_b.setdefault(normalise_name(s.name), s.id)
    for s in a.steps:
        if s.id in pairs:
            continue
        match = left_b.pop(normalise_name(s.name), None)
        if match is not None:
            pairs[s.id] = match
    return pairs


def _name_of(p: Pathway, kind: str, ident: Any) -> Any:
    """Show a role or setting by its name (with the id) so a board can read it."""
    if ident is None:
        return None
    found = p.role(ident) if kind == "owner" else p.setting(ident)
    return f"{found.name}" if found else ident


def _step_changes(a: Pathway, b: Pathway, sa: Step, sb: Step) -> list[Change]:
    out = []
    subject = sb.name
    if sa.id != sb.id:
        out.append(Change(CHANGED, "step", subject, "id", sa.id, sb.id, sa.id, sb.id))
    for name in _STEP_FIELDS:
        old, new = _plain(getattr(sa, name)), _plain(getattr(sb, name))
        if old == new:
            continue
        if name in ("owner", "setting"):
            old, new = _name_of(a, name, old), _name_of(b, name, new)
            if old == new:       # same name, different id: say so with the ids
                old, new = getattr(sa, name), getattr(sb, name)
        out.append(Change(CHANGED, "step", subject, name, old, new, sa.id, sb.id))
    for fact in _SURGERY_FACTS:
        old = getattr(sa.surgery, fact) if sa.surgery else None
        new = getattr(sb.surgery, fact) if sb.surgery else None
        if old != new:
            out.append(Change(CHANGED, "step", subject, f"surgery {fact}", old, new,
                              sa.id, sb.id))
    for name in _STEP_TEXTS:
        if (getattr(sa, name) or "") != (getattr(sb, name) or ""):
            out.append(Change(CHANGED, "step", subject, name, "previous text",
                              "text changed", sa.id, sb.id))
    return out


def _transition_subject(p: Pathway, t: Transition, names: dict[str, str] | None = None
                        ) -> str:
    if names is None:
        names = {s.id: s.name for s in p.steps}
    return f"{names.get(t.source, t.source)} → {names.get(t.target, t.target)}"


def _handoff_changes(ta: Transition, tb: Transition, subject: str) -> list[Change]:
    ha, hb = ta.handoff, tb.handoff
    keys = (ta.key, tb.key)
    if ha is None and hb is None:
        return []
    if ha is None or hb is None:
        return [Change(ADDED if ha is None else REMOVED, "handoff", subject, "handoff",
                       None if ha is None else ", ".join(ha.information),
                       None if hb is None else ", ".join(hb.information), *keys)]
    out = []
    old_items = {normalise_name(i): i for i in ha.information}
    new_items = {normalise_name(i): i for i in hb.information}
    for k, item in old_items.items():
        if k not in new_items:
            out.append(Change(REMOVED, "handoff", subject, "handoff information",
                              item, None, *keys))
    for k, item in new_items.items():
        if k not in old_items:
            out.append(Change(ADDED, "handoff", subject, "handoff information",
                              None, item, *keys))
    for name in ("sender", "receiver", "channel", "within_days"):
        old, new = getattr(ha, name), getattr(hb, name)
        if old != new:
            out.append(Change(CHANGED, "handoff", subject, f"handoff {name}"
                              if name != "within_days" else name, old, new, *keys))
    return out


def _transition_changes(ta: Transition, tb: Transition, b: Pathway,
                        names: dict[str, str]) -> list[Change]:
    subject = _transition_subject(b, tb, names)
    keys = (ta.key, tb.key)
    out = []
    for name in _TRANSITION_FIELDS:
        old, new = _plain(getattr(ta, name)), _plain(getattr(tb, name))
        if old != new:
            out.append(Change(CHANGED, "transition", subject, name, old, new, *keys))
    if (ta.condition or "") != (tb.condition or ""):
        moved = _threshold_changes(ta.condition, tb.condition)
        only_numbers = _numbers_only(ta.condition) == _numbers_only(tb.condition)
        if not (moved and only_numbers):
            out.append(Change(CHANGED, "transition", subject, "condition",
                              ta.condition, tb.condition, *keys))
        for label, _op, old, new in moved:
            out.append(Change(CHANGED, "threshold", subject, f"{label} threshold".strip(),
                              int(old) if old.is_integer() else old,
                              int(new) if new.is_integer() else new, *keys))
    return out + _handoff_changes(ta, tb, subject)


def _is_link(derived: Any, p: Pathway) -> bool:
    return derived is not None and (derived.id, derived.version) == (p.id, p.version)


def _header_changes(a: Pathway, b: Pathway) -> list[Change]:
    out = []
    for name in _HEADER_FIELDS:
        old, new = _plain(getattr(a, name)), _plain(getattr(b, name))
        if name == "derived_from" and (_is_link(b.derived_from, a)
                                       or _is_link(a.derived_from, b)):
            continue        # "made from the other one" is the relation, not a variance
        if old != new:
            if name == "derived_from":
                old = f"{old['id']} {old['version']}" if old else None
                new = f"{new['id']} {new['version']}" if new else None
            out.append(Change(CHANGED, "header", "Pathway", name, old, new))
    for kind, items_a, items_b in (("setting", a.settings, b.settings),
                                   ("role", a.roles, b.roles)):
        ids_a = {x.id: x for x in items_a}
        ids_b = {x.id: x for x in items_b}
        for i, x in ids_a.items():
            if i not in ids_b:
                out.append(Change(REMOVED, kind, x.name, "", x.name, None))
        for i, x in ids_b.items():
            if i not in ids_a:
                out.append(Change(ADDED, kind, x.name, "", None, x.name))
            elif x.name != ids_a[i].name:
                out.append(Change(CHANGED, kind, x.name, "name", ids_a[i].name, x.name))
    return out + _rule_changes(a, b) + _evidence_changes(a, b) + _flow_changes(a, b)


def _rule_changes(a: Pathway, b: Pathway) -> list[Change]:
    """``rule_config``: a rule's level set, changed or cleared, and a reason changed."""
    out = []
    for rule in list(a.rule_config) + [r for r in b.rule_config if r not in a.rule_config]:
        old, new = a.rule_config.get(rule), b.rule_config.get(rule)
        if old is None:
            out.append(Change(ADDED, "rule", rule, "", None, _plain_setting(new)))
        elif new is None:
            out.append(Change(REMOVED, "rule", rule, "", _plain_setting(old), None))
        else:
            (lo, ro), (ln, rn) = _level_reason(old), _level_reason(new)
            if lo != ln:
                out.append(Change(CHANGED, "rule", rule, "level", lo, ln))
            if (ro or "") != (rn or ""):
                out.append(Change(CHANGED, "rule", rule, "reason", ro, rn))
    return out


def _level_reason(setting: Any) -> tuple[str, str | None]:
    plain = _plain(setting)
    if isinstance(plain, dict):
        return plain["level"], plain.get("reason")
    return plain, None


def _plain_setting(setting: Any) -> Any:
    level, reason = _level_reason(setting)
    return {"level": level, "reason": reason} if reason else level


def _evidence_changes(a: Pathway, b: Pathway) -> list[Change]:
    """Evidence items matched by their claim (normalised): added, removed, fields changed."""
    out = []
    old = {normalise_name(e.claim): e for e in a.evidence}
    new = {normalise_name(e.claim): e for e in b.evidence}
    for key, e in old.items():
        if key not in new:
            out.append(Change(REMOVED, "evidence", e.claim, "", e.source, None))
    for key, e in new.items():
        before = old.get(key)
        if before is None:
            out.append(Change(ADDED, "evidence", e.claim, "", None, e.source))
            continue
        for name in _EVIDENCE_FIELDS:
            if getattr(before, name) != getattr(e, name):
                out.append(Change(CHANGED, "evidence", e.claim, name,
                                  getattr(before, name), getattr(e, name)))
    return out


def _flow_changes(a: Pathway, b: Pathway) -> list[Change]:
    """The simulation inputs: the ``flow`` block field by field, then the keyed lists."""
    out = []
    fa, fb = a.flow, b.flow
    if (fa is None) != (fb is None):
        out.append(Change(ADDED if fa is None else REMOVED, "flow", "Flow", "",
                          _plain(fa), _plain(fb)))
    elif fa is not None:
        for name in _FLOW_FIELDS:
            old, new = _plain(getattr(fa, name)), _plain(getattr(fb, name))
            if old != new:
                out.append(Change(CHANGED, "flow", "Flow", name, old, new))
    for area, attr, fields_ in _KEYED_LISTS:
        ids_a = {x.id: x for x in getattr(a, attr)}
        ids_b = {x.id: x for x in getattr(b, attr)}
        for i, x in ids_a.items():
            if i not in ids_b:
                out.append(Change(REMOVED, area, x.name, "", x.name, None))
        for i, x in ids_b.items():
            before = ids_a.get(i)
            if before is None:
                out.append(Change(ADDED, area, x.name, "", None, x.name))
                continue
            for name in fields_:
                old, new = _plain(getattr(before, name)), _plain(getattr(x, name))
                if old != new:
                    out.append(Change(CHANGED, area, x.name, name, old, new))
    return out


def diff_pathways(a: Pathway, b: Pathway) -> PathwayDiff:
    """Compare pathway ``a`` (before, e.g. the exemplar) with ``b`` (after, e.g. a trust's).

    Parameters
    ----------
    a, b : Pathway
        The two pathways; neither is changed.

    Returns
    -------
    PathwayDiff
        Clinical changes first: steps in B's order (changed, added) followed by
        steps removed from A, then transitions the same way; then settings, roles
        and header fields.
    """
    result = PathwayDiff(_label(a), _label(b))
    changes = result.changes
    pairs = _match_steps(a, b)
    result.step_pairs = dict(pairs)
    back = {v: k for k, v in pairs.items()}
    a_steps = a.steps_by_id()
    for sb in b.steps:
        if sb.id in back:
            changes += _step_changes(a, b, a_steps[back[sb.id]], sb)
        else:
            changes.append(Change(ADDED, "step", sb.name, "", None, sb.name, None, sb.id))
    for sa in a.steps:
        if sa.id not in pairs:
            changes.append(Change(REMOVED, "step", sa.name, "", sa.name, None, sa.id, None))

    def mapped(t: Transition) -> str:
        return f"{pairs.get(t.source, '?' + t.source)}->{pairs.get(t.target, '?' + t.target)}"

    a_by_mapped = {mapped(t): t for t in a.transitions}
    names_a = {s.id: s.name for s in a.steps}
    names_b = {s.id: s.name for s in b.steps}
    matched: set[str] = set()
    for tb in b.transitions:
        ta = a_by_mapped.get(tb.key)
        if ta is None:
            changes.append(Change(ADDED, "transition", _transition_subject(b, tb, names_b), "",
                                  None, tb.condition, None, tb.key))
            continue
        matched.add(tb.key)
        changes += _transition_changes(ta, tb, b, names_b)
    for key, ta in a_by_mapped.items():
        if key not in matched:
            changes.append(Change(REMOVED, "transition", _transition_subject(a, ta, names_a), "",
                                  ta.condition, None, ta.key, None))
    changes += _header_changes(a, b)
    return result
