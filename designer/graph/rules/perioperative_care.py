"""The ``perioperative`` pack, part 3: equity and preparation for surgery.

Communication needs and digital exclusion (who the pathway leaves behind), and
the checks that prepare a patient's body for an operation: enhanced recovery,
anaemia, frailty and smoking. Where a rule needs a fact the pathway has not
stated (is this major surgery? are these older people?), it says what to set,
as information, rather than guessing.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterator

from ..model import Activity, Pathway
from ..network import PathwayIndex, index_for
from . import Finding, fewest, found, rule, surgery_facts
from .wording import (
    COMMUNICATION_NEEDS, DIGITAL_CHANNEL, ENHANCED_RECOVERY, HB_CHECK, NON_DIGITAL_CHANNEL,
    SMOKING_ASKED, STOP_SMOKING_REFERRAL, any_says, says, step_says, steps_saying,
)

if TYPE_CHECKING:
    import networkx as nx

_PACK = "perioperative"
#: Hb and iron are checked at least this many days before surgery (3-4 weeks)
ANAEMIA_SCREEN_DAYS = 21
_FIRST_CONTACT_SEARCH = 20
_LOW_HB = re.compile(r"\b(hb|haemoglobin|hemoglobin)\b[^0-9<>]*(<|≤|below|under|less than)\s*130"
                     r"|anaemi", re.IGNORECASE)
_AFTER_SURGERY_ER = re.compile(r"\benhanced\s+recovery\b|\bERAS\+?|\bstepped\s+recovery\b|"
                               r"\bearly\s+(mobilis|mobiliz|eating|nutrition|feeding)",
                               re.IGNORECASE)


def _surgeries(index: PathwayIndex) -> list[str]:
    return index.with_activity(Activity.surgery)


# ---------------------------------------------------------------- equity

def _first_contact_handoffs(index: PathwayIndex, start: str) -> list:
    """Handoffs met first walking on from ``start`` within its setting."""
    home = index.setting_of.get(start)
    seen, frontier, out = {start}, [start], []
    while frontier and len(seen) < _FIRST_CONTACT_SEARCH and not out:
        nxt = []
        for sid in frontier:
            for t in index.outgoing(sid):
                if t.handoff is not None:
                    out.append(t)
                elif (t.target in index.steps and t.target not in seen
                      and index.setting_of[t.target] == home):
                    seen.add(t.target)
                    nxt.append(t.target)
        frontier = nxt
    return out


@rule("communication-needs", _PACK,
      "Communication needs not recorded at first contact or not passed on at a handoff",
      "accessible-information-standard")
def communication_needs(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Communication needs are asked at first contact and travel with every handoff.

    The entry step records them (its text mentions communication or accessible
    information needs), or the first handoff after it carries them. Every handoff
    to a professional names "communication needs" (or "accessible information")
    among its information. Handoffs to the patient themselves are not checked.

    Source: accessible-information-standard (DCB1605: ask, record, flag, share
    and act on communication needs; mandatory since August 2016).
    """
    index = index_for(pathway, graph)
    for sid in index.entries:
        if step_says(index.steps[sid], COMMUNICATION_NEEDS):
            continue
        first = _first_contact_handoffs(index, sid)
        if not any(any_says(COMMUNICATION_NEEDS, t.handoff.information) for t in first):
            yield found("communication-needs",
                        f"Communication needs are not recorded at first contact "
                        f"({index.name(sid)}). Ask about and record how the patient needs "
                        "information (e.g. large print, British Sign Language, an "
                        "interpreter, easy read) when they first come into the pathway.",
                        sid)
    passed: dict[tuple[str, ...], bool] = {}   # information lists repeat across handoffs
    for t, h in index.handoffs:
        if index.is_lay(h.receiver) or not h.information:
            continue  # no information at all is handoff-without-information's finding
        items = tuple(h.information)
        ok = passed.get(items)
        if ok is None:
            ok = passed[items] = any_says(COMMUNICATION_NEEDS, items)
        if not ok:
            yield found("communication-needs",
                        f"The handoff from {index.name(t.source)} to {index.name(t.target)} "
                        "does not pass on the patient's communication needs. Add "
                        "'communication needs' to the information sent, so that the next "
                        "team meets them.", t.key)


@rule("handoff-digital-only", _PACK,
      "A handoff to the patient by an app or digital channel only",
      ("nhse-earlier-screening", "nhs-health-literacy", "accessible-information-standard"),
      severity="warning")
def handoff_digital_only(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Information for the patient does not reach them only through an app.

    A handoff received by the patient (or a carer) whose channel is digital only
    ("NHS App notification", "email", "online portal") is reported unless the
    channel also names another way ("app or letter") or another handoff from the
    same step reaches the patient by letter, phone or in person.

    Source: nhse-earlier-screening (digital pathways need support for people who
    cannot use them); nhs-health-literacy; accessible-information-standard.
    """
    index = index_for(pathway, graph)
    for t, h in index.handoffs:
        if not index.is_lay(h.receiver) or not h.channel:
            continue
        if not says(DIGITAL_CHANNEL, h.channel) or says(NON_DIGITAL_CHANNEL, h.channel):
            continue
        others = [o for o in index.outgoing(t.source) if o is not t and o.handoff is not None
                  and index.is_lay(o.handoff.receiver)
                  and says(NON_DIGITAL_CHANNEL, o.handoff.channel)]
        if not others:
            yield found("handoff-digital-only",
                        f"The patient hears about {index.name(t.target)} only by "
                        f"'{h.channel}'. People without a smartphone or the internet would "
                        "miss it: send it by letter or phone as well (or whichever way the "
                        "patient asked for).", t.key)


# ------------------------------------------------------------ preparation

def _cannot_tell(rule_id: str, what: str, field: str, targets: list[str]) -> Finding:
    return found(rule_id, f"Cannot tell whether {what}: set {field} so that this check can "
                 "run.", *targets, severity="info")


@rule("enhanced-recovery", _PACK,
      "Major or complex surgery without enhanced recovery before, during and after",
      "nice-ng180#1.2")
def enhanced_recovery(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Major surgery has enhanced recovery before, during and after the operation.

    Applies to surgery steps with ``surgery: {major: true}`` (unknown: "cannot
    tell", as information). Before: every route passes Surgery School
    (``education``) or ``prehabilitation``. During: the surgery step names
    enhanced recovery (or ERAS). After: a later step names enhanced or stepped
    recovery, or early mobilisation or eating.

    Source: nice-ng180 1.2 (enhanced recovery with parts before, during and after
    the operation for planned major or complex surgery).
    """
    index = index_for(pathway, graph)
    surgeries = _surgeries(index)
    unknown = [s for s in surgeries if surgery_facts(index.steps[s]).major is None]
    major = [s for s in surgeries if surgery_facts(index.steps[s]).major is True]
    if unknown:
        yield _cannot_tell("enhanced-recovery", "this is major surgery, which needs enhanced "
                           "recovery", "surgery: major: true or false on the surgery step",
                           unknown)
    if not major:
        return
    unprepared = set(index.unguarded(
        major, index.with_activity(Activity.education, Activity.prehabilitation)))
    er_after = set(index.saying(_AFTER_SURGERY_ER, ("enhanced", "eras", "stepped", "early")))
    for sid in major:
        missing = []
        if sid in unprepared:
            missing.append("before (Surgery School or prehabilitation on every route)")
        if not step_says(index.steps[sid], ENHANCED_RECOVERY):
            missing.append("during (say on the surgery step that it follows the enhanced "
                           "recovery protocol)")
        if not any(n in er_after for n in index.after_cached(sid)):
            missing.append("after (early mobilisation and eating on the ward)")
        if missing:
            yield found("enhanced-recovery",
                        f"{index.name(sid)} is major surgery without enhanced recovery "
                        f"{'; '.join(missing)}. Enhanced recovery needs all three parts.",
                        sid)


@rule("anaemia-screen-timing", _PACK,
      "Major surgery without Hb and iron checked 3-4 weeks before, or no iron route for Hb "
      "below 130 g/L",
      ("preop-association-anaemia", "esa-preop-anaemia", "nice-ng24-qs138"), severity="warning")
def anaemia_screen_timing(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Anaemia is found early enough to treat before surgery with blood loss.

    Applies to surgery steps with ``surgery: {major_blood_loss: true}``
    (expected loss over 500 mL or transfusion risk over 10%); unknown on major
    surgery is reported as "cannot tell". Every route passes an Hb check (a
    step naming haemoglobin, Hb, anaemia or ferritin, or an
    ``anaemia-management`` step) that starts at least 21 days before the
    operation on the timeline, and some branch for a low Hb (below 130 g/L, or
    "anaemia") leads to an ``anaemia-management`` (iron) step before surgery.

    Source: preop-association-anaemia (Hb 130 g/L or more; screen early where
    blood loss is over 500 mL); esa-preop-anaemia (3-8 weeks before surgery);
    nice-ng24-qs138 (iron before surgery).
    """
    index = index_for(pathway, graph)
    surgeries = _surgeries(index)
    facts = {s: surgery_facts(index.steps[s]) for s in surgeries}
    unknown = [s for s in surgeries if facts[s].major_blood_loss is None
               and facts[s].major is not False and facts[s].day_case is not True]
    if unknown:
        yield _cannot_tell("anaemia-screen-timing", "blood loss over 500 mL is expected",
                           "surgery: major_blood_loss: true or false on the surgery step",
                           unknown)
    bleeding = [s for s in surgeries if facts[s].major_blood_loss is True]
    if not bleeding:
        return
    iron = index.with_activity(Activity.anaemia_management)
    checks = list(dict.fromkeys(steps_saying(index, HB_CHECK) + iron))
    unchecked = set(index.unguarded(bleeding, checks))
    surgery_set = set(surgeries)
    low_hb = [t for t in pathway.transitions if t.condition and _LOW_HB.search(t.condition)
              and t.target in index.steps]
    treated = bool(iron) and any(
        t.target in iron or index.starts_reaching([t.target], set(iron), avoid=surgery_set)
        for t in low_hb)
    for sid in bleeding:
        if sid in unchecked:
            yield found("anaemia-screen-timing",
                        f"A patient can reach {index.name(sid)} without a haemoglobin and "
                        "iron check. Check Hb and iron at least 3 to 4 weeks before an "
                        "operation with expected blood loss over 500 mL, on every route.",
                        sid)
            continue
        before, start = index.days_before(sid)
        windows = [start[sid] - start[c] for c in checks if c in before and c != sid]
        if windows and max(windows) < ANAEMIA_SCREEN_DAYS:
            yield found("anaemia-screen-timing",
                        f"Hb and iron are checked only about {max(windows):.0f} days before "
                        f"{index.name(sid)}. Check them at least 3 to 4 weeks before, so that "
                        "iron has time to work (oral iron needs 4 to 6 weeks).", sid)
        if not treated:
            yield found("anaemia-screen-timing",
                        f"Before {index.name(sid)} there is no route for a haemoglobin below "
                        "130 g/L to iron treatment. Add a branch 'Hb below 130 g/L' from the "
                        "check to an iron step (oral iron, or intravenous iron when time is "
                        "short) before surgery.", sid)


@rule("frailty-screen", _PACK,
      "A pathway for older people with no frailty screen and route to comprehensive "
      "geriatric assessment",
      ("cpoc-bgs-frailty-2021", "york-frailty", "pops-harari-2007"), severity="warning")
def frailty_screen(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Older people are screened for frailty, with a route to CGA, before surgery.

    Applies when the pathway says ``older_people: true`` or has a
    ``frailty-assessment`` step; otherwise "cannot tell" (information) when the
    pathway has surgery and ``older_people`` is not set. Every route to surgery
    passes a frailty screen, and a route leads from a screen to a
    ``comprehensive-geriatric-assessment`` step before surgery.

    Source: cpoc-bgs-frailty-2021 (identify frailty from contemplation of
    surgery); york-frailty (Clinical Frailty Scale, then CGA);
    pops-harari-2007 (CGA before surgery).
    """
    index = index_for(pathway, graph)
    surgeries = _surgeries(index)
    screens = index.with_activity(Activity.frailty_assessment)
    if pathway.older_people is False or not surgeries:
        return
    if pathway.older_people is None and not screens:
        yield _cannot_tell("frailty-screen", "this pathway is for older people, who need a "
                           "frailty screen", "older_people: true or false on the pathway", [])
        return
    for sid in index.unguarded(surgeries, screens):
        yield found("frailty-screen",
                    f"A patient can reach {index.name(sid)} without a frailty screen. Screen "
                    "older people with the Clinical Frailty Scale early (at preassessment or "
                    "before), on every route to surgery.", sid)
    cga = set(index.with_activity(Activity.cga))
    if screens and (not cga or not index.starts_reaching(screens, cga, avoid=set(surgeries))):
        yield found("frailty-screen",
                    f"Frailty found at {fewest([index.name(s) for s in screens])} leads "
                    "nowhere: no route goes to a comprehensive geriatric assessment before "
                    "surgery. Add a branch 'frailty found' to a CGA (e.g. a POPS clinic) "
                    "that returns with an optimisation plan.", *screens)


@rule("smoking-support", _PACK,
      "Smoking status not asked, or no very brief advice and stop-smoking referral route",
      ("rcsed-smoking-2023", "nice-smoking-elective-surgery", "nice-ng180#1.3.2"),
      severity="warning")
def smoking_support(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Smokers are found and offered support before surgery.

    Every route to each surgery step passes a step that asks about smoking (its
    text mentions smoking or tobacco, or it is a ``smoking-cessation`` step),
    and the pathway has a route to stop-smoking support before surgery: a
    ``smoking-cessation`` step, or a step that refers to a stop smoking service
    or gives very brief advice.

    Source: rcsed-smoking-2023 (very brief advice plus referral works);
    nice-smoking-elective-surgery (record status, refer to NHS Stop Smoking
    Services); nice-ng180 1.3.2 (support stopping smoking).
    """
    index = index_for(pathway, graph)
    surgeries = _surgeries(index)
    if not surgeries:
        return
    cessation = index.with_activity(Activity.smoking_cessation)
    asked = list(dict.fromkeys(steps_saying(index, SMOKING_ASKED) + cessation))
    for sid in index.unguarded(surgeries, asked):
        yield found("smoking-support",
                    f"A patient can reach {index.name(sid)} without being asked whether they "
                    "smoke. Ask and record smoking status at referral or preassessment, on "
                    "every route.", sid)
    support = set(cessation) | set(steps_saying(index, STOP_SMOKING_REFERRAL))
    surgery_set = set(surgeries)
    before = index.before_surgery
    if not any(s in before and s not in surgery_set for s in support):
        yield found("smoking-support",
                    "Smokers have no route to help before surgery. Give very brief advice "
                    "and refer them to the NHS Stop Smoking Service (a stop smoking step or "
                    "referral before the operation); surgery is a good time to stop.",
                    *surgeries)
