"""The ``perioperative`` pack, part 2: discharge, medicines and VTE.

Leaving hospital is where information is most often lost: these rules check
that the GP receives a summary, that someone picks the patient up, that the
medicines plan travels, and that VTE prophylaxis continues where it should.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

from ..model import Activity, Pathway, SettingKind
from ..network import PathwayIndex, index_for
from . import Finding, fewest, found, rule, surgery_facts
from .wording import (
    DIAGNOSIS, DISCHARGE_COORDINATOR, DISCHARGE_PLAN, GP_ROLE, HELPLINE, HIGH_RISK_MEDICINES,
    MEDICINES_LIST, MEDICINES_PLAN, PIFU, VTE, any_says, says, step_says, steps_saying,
    steps_saying_both,
)

if TYPE_CHECKING:
    import networkx as nx

_PACK = "perioperative"
_OUTSIDE = (SettingKind.primary, SettingKind.community, SettingKind.home)
#: at-risk patients are contacted 24-72 hours after discharge
CONTACT_WITHIN_DAYS = 3


def _receiver_is_gp(index: PathwayIndex, t) -> bool:
    h = t.handoff
    if h is None or not h.receiver or index.is_lay(h.receiver):
        return False
    role = index.roles.get(h.receiver)
    if says(GP_ROLE, h.receiver, role.name if role else None):
        return True
    return index.setting_kind(t.target) is SettingKind.primary


def _professional(index: PathwayIndex, sid: str) -> bool:
    owner = index.steps[sid].owner
    return bool(owner) and not index.is_lay(owner)


def _handed_over(index: PathwayIndex, sid: str) -> list:
    """The transitions leaving ``sid`` that carry a handoff."""
    return [t for t in index.outgoing(sid) if t.handoff is not None]


def _reached_unguarded(rule_id: str, index: PathwayIndex, targets: list[str],
                       guards: list[str], advice: Callable[[str], str]) -> Iterator[Finding]:
    """A finding on each of ``targets`` some route reaches with no guard step first.

    ``advice`` gives the message from the target step's name.
    """
    for sid in index.unguarded(targets, guards):
        yield found(rule_id, advice(index.name(sid)), sid)


@rule("discharge-without-follow-up", _PACK,
      "A discharge with no later step in a primary, community or home setting",
      ("nhse-periop-playbook", "nasgp-nice-discharge"))
def discharge_without_follow_up(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """After discharge a professional picks the patient up outside hospital.

    A ``discharge`` step is fine when a later step in a primary-care, community
    or home setting is owned by a professional (GP, practice or community
    nurse, physiotherapist...). A step owned by the patient ("Recovering at
    home") is not follow-up. When the only later steps are in social care (e.g.
    reablement), the message says that health follow-up is what is missing.

    Source: nhse-periop-playbook (discharge to primary care, surgical follow-up
    or patient-initiated follow-up); nasgp-nice-discharge (contact after
    discharge for people at risk).
    """
    index = index_for(pathway, graph)
    for sid in index.with_activity(Activity.discharge):
        if index.finds(sid, lambda n: index.setting_kind(n) in _OUTSIDE
                       and _professional(index, n)):
            continue   # the usual case: found a step or two on
        social = [n for n in index.after_cached(sid)
                  if index.setting_kind(n) is SettingKind.social and _professional(index, n)]
        if social:
            yield found("discharge-without-follow-up",
                        f"After {index.name(sid)} the patient goes to social care "
                        f"({fewest([index.name(n) for n in social])}), but no GP, community "
                        "nurse or therapist follows up their recovery. Reablement does not "
                        "replace health follow-up: add a GP, practice nurse or community "
                        "team review.", sid)
        else:
            yield found("discharge-without-follow-up",
                        f"After {index.name(sid)} no professional sees the patient at home, "
                        "in primary care or in the community, so nobody picks them up after "
                        "they leave (a step the patient does on their own is not "
                        "follow-up). Add a follow-up step (e.g. GP or practice nurse "
                        "review, community rehabilitation).", sid)


@rule("discharge-information", _PACK,
      "Discharge handoff lacks medicines list or diagnosis, or nobody coordinates discharge",
      ("nice-ng27", "nursing-times-discharge-coordinator"))
def discharge_information(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every handoff leaving a discharge step carries the medicines list and diagnosis.

    Each handoff is checked on its own (NICE NG27: at each transfer). The items
    must say what they are: "medicines list", "list of medicines", "medication
    reconciliation", "TTO" count as the medicines list, "drug allergies" does
    not; "diagnosis" counts as the diagnosis, "procedure code" does not. The
    discharge step is owned by, or planned with, a discharge coordinator.

    Source: nice-ng27 (diagnosis, treatment and a complete medicines list at
    each transfer); nursing-times-discharge-coordinator (one coordinator agrees
    the plan with hospital and community teams).
    """
    index = index_for(pathway, graph)
    coordinators = [r.id for r in pathway.roles if says(DISCHARGE_COORDINATOR, r.id, r.name)]
    for sid in index.with_activity(Activity.discharge):
        step = index.steps[sid]
        handed = _handed_over(index, sid)
        if not handed:
            yield found("discharge-information",
                        f"Nothing is handed over when the patient leaves at "
                        f"{index.name(sid)}. Add a handoff to the GP (and the patient) that "
                        "carries the diagnosis and the complete medicines list.", sid)
        for t in handed:
            info = t.handoff.information
            missing = [label for label, pattern in (("the medicines list", MEDICINES_LIST),
                                                    ("the diagnosis", DIAGNOSIS))
                       if not any_says(pattern, info)]
            if missing:
                yield found("discharge-information",
                            f"The discharge handoff from {index.name(sid)} to "
                            f"{index.name(t.target)} does not pass on "
                            f"{' or '.join(missing)}. Name {' and '.join(missing)} in the "
                            "information sent at this transfer (a list of allergies or a "
                            "procedure code is not enough).", t.key)
        planned_by = {step.owner, *(index.steps[p].owner for p in index.pred[sid])}
        if not (planned_by & set(coordinators)) and not step_says(step, DISCHARGE_COORDINATOR):
            yield found("discharge-information",
                        f"Nobody coordinates {index.name(sid)}. Name a single discharge "
                        "coordinator who agrees the plan with the hospital and community "
                        "teams: make them the owner of the discharge step (or of the step "
                        "that plans it).", sid)


@rule("discharge-safety-net", _PACK,
      "Discharge without a GP summary, an early contact, a helpline and follow-up or PIFU",
      ("nice-ng27", "nasgp-nice-discharge", "nhse-periop-playbook"))
def discharge_safety_net(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Each discharge has the four parts of a safety net.

    1. The GP receives a summary: a handoff from the discharge step to a GP or
       practice role (or into primary care, not to the patient alone) naming
       the diagnosis and the medicines list.
    2. A professional contacts the patient within 72 hours (for people at risk
       of readmission): a later step owned by a professional, reached within
       3 days of discharge on the timeline.
    3. A helpline: a discharge handoff or the discharge step gives a number or
       named contact to call.
    4. Surgical follow-up or patient-initiated follow-up (PIFU): a later
       ``follow-up`` step owned by a professional, or a step offering PIFU.

    Source: nice-ng27 (summary to the GP), nasgp-nice-discharge (contact 24-72
    hours after discharge), nhse-periop-playbook (named surgical contact,
    surgical follow-up including PIFU).
    """
    index = index_for(pathway, graph)
    discharges = index.with_activity(Activity.discharge)
    pifu = set(steps_saying(index, PIFU)) if discharges else set()
    for sid in discharges:
        step = index.steps[sid]
        handed = _handed_over(index, sid)
        to_gp = [t for t in handed if _receiver_is_gp(index, t)]
        if not any(any_says(DIAGNOSIS, t.handoff.information)
                   and any_says(MEDICINES_LIST, t.handoff.information) for t in to_gp):
            yield found("discharge-safety-net",
                        f"The GP is not sent a discharge summary from {index.name(sid)} "
                        "(a handoff to the patient alone is not enough). Add a handoff to the "
                        "GP or practice team carrying the diagnosis and the complete "
                        "medicines list.", sid)
        soon = index.after(sid, within_days=CONTACT_WITHIN_DAYS - (step.duration_days or 0))
        if not any(_professional(index, n) for n in soon):
            yield found("discharge-safety-net",
                        f"Nobody contacts the patient in the first 72 hours after "
                        f"{index.name(sid)}. People at risk of readmission need a call or "
                        "visit from their GP or a nurse 24 to 72 hours after discharge: add "
                        "that step, with its timing.", sid)
        texts = [step.description, step.patient_info]
        if not (any_says(HELPLINE, texts) or any(any_says(HELPLINE, t.handoff.information)
                                                  for t in handed)):
            yield found("discharge-safety-net",
                        f"At {index.name(sid)} the patient is not told who to call if they "
                        "are worried. Give a helpline or named surgical contact with a "
                        "phone number in the discharge information.", sid)
        followed = index.finds(sid, lambda n: n in pifu or (
            index.steps[n].activity is Activity.follow_up and _professional(index, n)))
        if not followed and not any(any_says(PIFU, t.handoff.information) for t in handed):
            yield found("discharge-safety-net",
                        f"After {index.name(sid)} there is no surgical follow-up and no "
                        "patient-initiated follow-up (PIFU). Add a follow-up step, or PIFU "
                        "with the warning signs and how to get back in touch.", sid)


def _before_admission(index: PathwayIndex) -> list[str]:
    return index.with_activity(Activity.admission) or index.with_activity(Activity.surgery)


@rule("discharge-planned-before-admission", _PACK, "Discharge needs not planned before admission",
      ("cpoc-periop-care", "rcoa-gpas-2"), severity="warning")
def discharge_planned_before_admission(pathway: Pathway, graph: "nx.DiGraph"
                                       ) -> Iterator[Finding]:
    """Discharge is planned before the patient comes in, on every route.

    Every route to admission (or to surgery, when there is no admission step)
    passes a ``discharge-planning`` step, or a step whose description says it
    plans discharge or home needs ("discharge planning starts now", "plans for
    going home").

    Source: cpoc-periop-care (arrange discharge before surgery); rcoa-gpas-2
    (preoperative assessment plans admission and discharge).
    """
    index = index_for(pathway, graph)
    targets = _before_admission(index)
    if not targets:
        return
    planners = index.with_activity(Activity.discharge_planning) + [
        sid for sid in steps_saying(index, DISCHARGE_PLAN)
        if index.steps[sid].activity is not Activity.discharge
        and says(DISCHARGE_PLAN, index.steps[sid].description)]
    yield from _reached_unguarded(
        "discharge-planned-before-admission", index, targets, planners, lambda name: (
            f"A patient can reach {name} with no discharge plan made. "
            "Plan discharge before admission: at preassessment (or a discharge "
            "planning step) agree the expected stay, home needs, equipment and who "
            "will help at home."))


@rule("medicines-plan", _PACK,
      "No written medicines plan (anticoagulants, antiplatelets, diabetes medicines) "
      "from preassessment to discharge",
      ("ukcpa-periop-medicines", "nice-ng27"), severity="warning")
def medicines_plan(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Medicines are reconciled and a written plan carried to admission and discharge.

    Every route to each surgery step passes a step that makes the plan: a
    ``medicines-reconciliation`` step, or a step whose description mentions a
    medicines plan or reconciliation and the high-risk medicines
    (anticoagulants or antiplatelets). The discharge handoff to the GP then
    carries the medicines list (see ``discharge-information``). The plan's
    contents (stop, bridge, restart) are for the clinicians: no UK source for
    drug-by-drug timings is cited, so the rule asks only that a plan exists.

    Source: ukcpa-periop-medicines (national guidance on continuing or stopping
    each regular medicine around surgery: the plan the rule asks for);
    nice-ng27 (a complete medicines list at every transfer).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries:
        return
    planners = (index.with_activity(Activity.medicines_reconciliation)
                + steps_saying_both(index, MEDICINES_PLAN, HIGH_RISK_MEDICINES))
    yield from _reached_unguarded(
        "medicines-plan", index, surgeries, planners, lambda name: (
            f"A patient can reach {name} without a written medicines plan. "
            "At preassessment, reconcile medicines and write a plan for "
            "anticoagulants, antiplatelets and diabetes medicines (stop, bridge, "
            "restart), and carry it to admission and the discharge letter."))


@rule("vte-plan", _PACK,
      "Inpatient surgery without a VTE risk assessment, or extended prophylaxis not "
      "handed over at discharge",
      ("nice-ng89",), severity="warning")
def vte_plan(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Inpatient surgery has a VTE risk assessment; extended prophylaxis reaches home.

    Each surgery step not marked ``day_case: true`` needs a step on every route
    to it (the admission or surgery step itself counts) that assesses VTE and
    bleeding risk (its text names VTE, venous thromboembolism or
    thromboprophylaxis). When the surgery step says
    ``extended_vte_prophylaxis: true``, every discharge after it hands over the
    prophylaxis (a handoff item naming VTE, anticoagulant injections or
    thromboprophylaxis).

    Source: nice-ng89 (assess VTE and bleeding risk on admission; plan for
    discharge; extended prophylaxis after some operations continues at home).
    """
    index = index_for(pathway, graph)
    surgeries = [sid for sid in index.with_activity(Activity.surgery)
                 if surgery_facts(index.steps[sid]).day_case is not True]
    if not surgeries:
        return
    assessors = [sid for sid in steps_saying(index, VTE)
                 if index.steps[sid].activity is not Activity.discharge]
    yield from _reached_unguarded(
        "vte-plan", index, surgeries, assessors, lambda name: (
            f"No VTE risk assessment comes before {name} on every route. "
            "Assess each surgical inpatient's risk of blood clots (VTE) and of "
            "bleeding on admission, and record the prophylaxis plan, on the "
            "admission or surgery step."))
    for sid in surgeries:
        if surgery_facts(index.steps[sid]).extended_vte_prophylaxis is not True:
            continue
        after = index.after_cached(sid)
        for d in index.with_activity(Activity.discharge):
            if d not in after:
                continue
            carried = any(any_says(VTE, t.handoff.information) for t in _handed_over(index, d))
            if not carried:
                yield found("vte-plan",
                            f"After {index.name(sid)} VTE prophylaxis continues at home, but "
                            f"the handoff from {index.name(d)} does not say so. Add the "
                            "extended VTE prophylaxis (what, how long, who gives it) to the "
                            "discharge information for the GP and the patient.", d)
