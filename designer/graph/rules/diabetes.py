"""The ``diabetes`` pack: the perioperative diabetes pathway (CPOC, JBDS).

Opt in with ``rule_packs: [diabetes]`` on pathways for people with diabetes.
Information items and conditions are free text written by clinicians, so the
checks look for words (case-insensitive, common synonyms and abbreviations
accepted) rather than fixed codes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator

from ..model import Activity, Pathway, SettingKind, StepKind
from ..network import PathwayIndex, index_for
from . import Finding, found, mentions, rule
from .perioperative import MEDICINES_WORDS, OPTIMISATION_ACTIVITIES
from .wording import without_diabetes as _without_diabetes

if TYPE_CHECKING:
    import networkx as nx

_PACK = "diabetes"

#: HbA1c at or above this (mmol/mol) goes back for optimisation (8.5%).
HBA1C_THRESHOLD = 69
HBA1C_THRESHOLD_PERCENT = 8.5

REFERRAL_DATASET: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("HbA1c", ("hba1c", "hb a1c", "a1c", "glycated")),
    ("blood pressure", ("blood pressure", "bp|")),
    ("weight", ("weight", "bmi|")),
    ("complications", ("complication",)),
    ("medicines", MEDICINES_WORDS),
)
DIABETES_TREATMENT_WORDS = ("diabet", "insulin", "glucose-lowering", "glucose lowering",
                            "hypoglyc", "metformin", "gliflozin", "sglt2", "sulfonylurea",
                            "gliclazide", "glp-1")
_GP_WORDS = ("gp|", "general practi", "practice", "community", "district", "diabet",
             "primary care")
_REFERRAL_SEARCH_LIMIT = 50
_PRIMARY_OR_COMMUNITY = (SettingKind.primary, SettingKind.community)
_FEW_BRANCHES = 16
_NEARBY = 32

_MENTION_RE = re.compile(r"hb\s*a1c|\ba1c\b|glycated", re.I)
_NUMBER_RE = re.compile(
    r"(?P<cmp>>=|=>|≥|⩾|>|at least|above|over|more than|greater than|"
    r"<=|=<|≤|⩽|<|below|under|less than)?\s*"
    r"(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>mmol\s*/\s*mol|%)?\s*"
    r"(?P<suffix>or more|or above|or over|or higher|and above|and over|\+)?",
    re.I)
_HIGH = {">=", "=>", "≥", "⩾", ">", "at least", "above", "over", "more than", "greater than"}
_YES_RE = re.compile(r"^\s*(yes|y|true|high|raised|above|over|not at target|not met)\b", re.I)


def high_hba1c(text: str | None) -> bool:
    """True when ``text`` sends people with HbA1c of 69 mmol/mol (8.5%) or more.

    Accepts forms like ">= 69", "≥69", "69 mmol/mol or more", "above 8.5%"; a
    lower threshold (e.g. ">= 64") also counts, as it catches everyone at 69 or
    more. "< 69" and "below 69" do not count.
    """
    return bool(text) and _high_hba1c(text)


@lru_cache(maxsize=1024)  # conditions repeat across a pathway's decisions
def _high_hba1c(text: str) -> bool:
    mention = _MENTION_RE.search(text)
    if mention is None:
        return False
    for m in _NUMBER_RE.finditer(text, mention.start()):
        comparator = (m.group("cmp") or "").lower()
        value = float(m.group("value"))
        percent = m.group("unit") == "%" or (m.group("unit") is None and 5 <= value < 20)
        if not percent and value < 20:
            continue  # e.g. "within 3 months"
        limit = HBA1C_THRESHOLD_PERCENT if percent else HBA1C_THRESHOLD
        low_bound = 6.0 if percent else 42
        high = comparator in _HIGH or bool(m.group("suffix"))
        if comparator and not high:
            continue
        if high and low_bound <= value <= limit:
            return True
        if not comparator and value == limit:
            return True
    return False


def _role_words(index: PathwayIndex, role_id: str | None) -> list[str]:
    role = index.roles.get(role_id) if role_id else None
    return [role_id or "", role.name if role else ""]


@rule("diabetes-referral-dataset", _PACK,
      "Referral handoff lacks HbA1c, blood pressure, weight, complications or medicines",
      "jbds-ip-surgery")
def diabetes_referral_dataset(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """The referral for surgery carries the diabetes dataset.

    The referral handoff is the first handoff met going on from each
    ``referral`` step (or from the entry when no step is a referral). Its
    information must mention HbA1c, blood pressure ("BP"), weight ("BMI"),
    complications and medicines ("medication list").

    Source: jbds-ip-surgery (the GP's referral letter carries
    current HbA1c, blood pressure, weight, complications and medicines).
    """
    index = index_for(pathway, graph)
    starts = index.with_activity(Activity.referral) or index.entries
    for sid in starts:
        handoffs, bare = _first_handoffs(index, sid)
        if not handoffs:
            yield found("diabetes-referral-dataset",
                        f"No handoff follows the referral at {index.name(sid)}, so the "
                        "diabetes information does not reach the surgical team. Add a "
                        "handoff carrying HbA1c, blood pressure, weight, complications of "
                        "diabetes and the medicines list.", *(bare or [sid]))
            continue
        items = [i for t in handoffs for i in t.handoff.information]
        missing = [label for label, words in REFERRAL_DATASET if not mentions(items, *words)]
        if missing:
            yield found("diabetes-referral-dataset",
                        f"The referral from {index.name(sid)} does not pass on "
                        f"{_and(missing)}. For people with diabetes the referral carries "
                        "current HbA1c, blood pressure, weight, complications and medicines; "
                        "add the missing items to the handoff.",
                        *(t.key for t in handoffs))


def _first_handoffs(index: PathwayIndex, start: str) -> tuple[list, list[str]]:
    """The referral's handoffs: the first ones met walking on within its setting.

    Returns the transitions with a handoff, and the names of transitions that
    leave the setting without one (where the handoff should be).
    """
    home = index.setting_of.get(start)
    seen = {start}
    frontier = [start]
    out, bare = [], []
    while frontier and len(seen) < _REFERRAL_SEARCH_LIMIT:
        nxt = []
        for sid in frontier:
            for t in index.outgoing(sid):
                if t.handoff is not None:
                    out.append(t)
                elif t.target not in index.steps:
                    continue
                elif index.setting_of[t.target] != home:
                    bare.append(t.key)
                elif t.target not in seen:
                    seen.add(t.target)
                    nxt.append(t.target)
        if out:
            return out, bare
        frontier = nxt
    return out, bare


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


@rule("hba1c-optimisation-route", _PACK,
      "No route for HbA1c >= 69 mmol/mol back to primary care and on to preassessment",
      ("jbds-ip-surgery", "nhs-borders-periop-diabetes", "qic-waiting-well-diabetes"))
def hba1c_optimisation_route(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """People with HbA1c of 69 mmol/mol or more go round an optimisation loop.

    Looks for a transition whose condition sends HbA1c of 69 mmol/mol (8.5%) or
    more (see :func:`high_hba1c`), or a "yes" branch of a decision whose name
    asks that question. The branch must lead (not through surgery) to an
    optimisation-type step in primary care or the community, or owned by the GP,
    practice or diabetes team, from which a route returns to preassessment
    before surgery. Reported at the preassessment steps when no branch exists,
    or at each branch when none of them comes back.

    Source: jbds-ip-surgery, nhs-borders-periop-diabetes, qic-waiting-well-diabetes
    (HbA1c below 69 mmol/mol before elective referral; at or above 69 optimise through
    the GP or diabetes team and return).
    """
    index = index_for(pathway, graph)
    branches = []
    steps = index.steps
    for t in pathway.transitions:
        condition = t.condition
        if not condition or t.source not in steps or t.target not in steps:
            continue
        if high_hba1c(condition):
            branches.append(t)
            continue
        source = steps[t.source]
        if (source.kind is StepKind.decision and _YES_RE.match(condition)
                and (high_hba1c(source.name) or high_hba1c(source.description))):
            branches.append(t)
    assessments = index.with_activity(Activity.preassessment)
    if branches:
        surgeries = set(index.with_activity(Activity.surgery))
        team: dict[str | None, bool] = {}
        if _quick_loop_found(index, branches, set(assessments), surgeries, team):
            return
        candidates = [sid for sid in index.with_activity(*OPTIMISATION_ACTIVITIES)
                      if _primary_or_diabetes_team(index, sid, team)]
        good = index.starts_reaching(candidates, set(assessments), avoid=surgeries)
        targets = {t.target for t in branches}
        if targets & good or index.starts_reaching(targets, good, avoid=surgeries):
            return
        for t in branches:
            yield found("hba1c-optimisation-route",
                        f"The branch '{t.condition}' from {index.name(t.source)} does not "
                        "lead to optimisation by the GP, practice nurse or diabetes team "
                        "that comes back to preassessment before surgery. Send it to a "
                        "primary care (or diabetes team) optimisation step and connect that "
                        "step back to preassessment.", t.key)
        return
    yield found("hba1c-optimisation-route",
                "There is no route for patients whose HbA1c is 69 mmol/mol (8.5%) or more. "
                "Add a decision at preassessment with a branch 'HbA1c 69 mmol/mol or more' "
                "to optimisation by the GP, practice nurse or diabetes team, which returns "
                "to preassessment before surgery is scheduled.", *assessments)


def _quick_loop_found(index: PathwayIndex, branches: list, assessments: set[str],
                      surgeries: set[str], team: dict[str | None, bool]) -> bool:
    """Look a few steps on from the first branches for the loop (the usual layout).

    True when found; False means "not found nearby", and the caller then checks
    the whole pathway.
    """
    optimising = set(OPTIMISATION_ACTIVITIES)
    steps, succ = index.steps, index.succ
    for t in branches[:_FEW_BRANCHES]:
        seen = {t.target}
        queue = [t.target]
        for sid in queue:  # breadth first; the queue grows while we walk it
            if (steps[sid].activity in optimising
                    and _primary_or_diabetes_team(index, sid, team)
                    and index.starts_reaching([sid], assessments, avoid=surgeries)):
                return True
            if len(seen) > _NEARBY or sid in surgeries:
                continue
            for n in succ[sid]:
                if n not in seen:
                    seen.add(n)
                    queue.append(n)
    return False


def _primary_or_diabetes_team(index: PathwayIndex, sid: str,
                              team: dict[str | None, bool]) -> bool:
    setting = index.settings.get(index.setting_of[sid])
    if setting is not None and setting.kind in _PRIMARY_OR_COMMUNITY:
        return True
    owner = index.steps[sid].owner
    if owner not in team:
        team[owner] = mentions(_role_words(index, owner), *_GP_WORDS)
    return team[owner]


_PLAN_TEXT = re.compile(r"plan|passport", re.I)


def _is_plan(step) -> bool:
    if step.activity is Activity.diabetes_plan:
        return True
    name, description = step.name.lower(), (step.description or "").lower()
    # cheap screen first: this runs on every step of the pathway
    if not ("plan" in name or "plan" in description or "passport" in name
            or "passport" in description):
        return False
    return mentions([name, description], "day-of-surgery plan", "day of surgery plan",
                    "diabetes plan", "diabetes passport")


@rule("day-of-surgery-plan", _PACK, "No diabetes day-of-surgery plan step before surgery",
      ("nhs-borders-periop-diabetes", "plymouth-diabetes-preop"), severity="warning")
def day_of_surgery_plan(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A diabetes day-of-surgery plan is made before each surgery step.

    A plan step has activity ``diabetes-plan``, or its name or description
    mentions a "day-of-surgery plan", "diabetes plan" or "diabetes passport".
    Every route to each surgery step must pass one (an urgent branch that skips
    the plan is found); a branch for people without diabetes ("no diabetes") is
    not followed.

    Source: nhs-borders-periop-diabetes, plymouth-diabetes-preop (day-of-surgery plan in
    the notes, first on the list, glucose targets).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries:
        return
    plans = [sid for sid in dict.fromkeys(
        index.with_activity(Activity.diabetes_plan)
        + index.saying(_PLAN_TEXT, ("plan", "passport")))
        if _is_plan(index.steps[sid])]
    missing = index.unguarded(surgeries, plans, leaving=_without_diabetes(index))
    for sid in missing:
        yield found("day-of-surgery-plan",
                    f"A patient can reach {index.name(sid)} without a diabetes day-of-surgery "
                    "plan. "
                    "Add a step (e.g. diabetes specialist nurse review) that writes the "
                    "plan for diabetes medicines on the day, a place first on the list "
                    "and glucose checks.", sid)


@rule("diabetes-discharge-gp", _PACK,
      "Discharge handoff does not tell the GP about diabetes treatment changes",
      "nhs-diabetes-periop-2011")
def diabetes_discharge_gp(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Discharge tells the GP or community team about changes to diabetes treatment.

    A ``discharge`` step is fine when a handoff on one of its outgoing
    transitions mentions diabetes treatment (e.g. "diabetes medicine changes",
    "insulin doses") and goes to primary care or the community (the next step's
    setting, or a receiver such as the GP, practice nurse or diabetes team).

    Source: nhs-diabetes-periop-2011 (JBDS: tell community teams about any
    change to diabetes treatment).
    """
    index = index_for(pathway, graph)
    for sid in index.with_activity(Activity.discharge):
        ok = False
        for t in index.outgoing(sid):
            h = t.handoff
            if h is None or not mentions(h.information, *DIABETES_TREATMENT_WORDS):
                continue
            to_primary = index.setting_kind(t.target) in (SettingKind.primary,
                                                          SettingKind.community)
            if to_primary or mentions(_role_words(index, h.receiver), *_GP_WORDS):
                ok = True
                break
        if not ok:
            yield found("diabetes-discharge-gp",
                        f"The handoff from {index.name(sid)} does not tell the GP or "
                        "community team about changes to diabetes treatment. Add "
                        "'changes to diabetes medicines' to a discharge handoff received by "
                        "the GP or practice nurse.", sid)


# HbA1c recency and the SGLT2 plan live in their own module
from . import diabetes_plans  # noqa: E402,F401
