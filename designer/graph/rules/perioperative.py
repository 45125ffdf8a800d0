"""The ``perioperative`` pack: phases, shared decisions, optimisation, discharge.

Opt in with ``rule_packs: [perioperative]``. "Before" and "after" mean along
the pathway's transitions; reachability is computed once per validation from
the shared :class:`~designer.graph.network.PathwayIndex`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..model import Activity, Channel, Pathway, Phase, StepKind
from ..network import index_for
from . import Finding, fewest, found, rule, surgery_facts
from .wording import CHOSE_DIGITAL, NAMED_CONTACT, any_says, step_says

if TYPE_CHECKING:
    import networkx as nx

_PACK = "perioperative"

#: Activities that prepare the patient for surgery and can loop back to
#: preassessment ("optimisation-type" steps).
OPTIMISATION_ACTIVITIES: tuple[Activity, ...] = (
    Activity.optimisation, Activity.prehabilitation, Activity.glycaemic_optimisation,
    Activity.anaemia_management, Activity.smoking_cessation, Activity.nutrition,
    Activity.cga, Activity.psychological_support,
)

_PHASE_EXAMPLES = {
    Phase.contemplation: "referral and shared decision making",
    Phase.preoperative: "preassessment, optimisation and Surgery School",
    Phase.intraoperative: "the operation itself",
    Phase.postoperative: "ward or day-unit recovery and discharge",
    Phase.recovery: "follow-up and recovery at home or in the community",
}

# kept for other packs: words that mention medicines at all (the diabetes referral)
MEDICINES_WORDS = ("medicine", "medication", "meds|", "drug", "prescription", "tto|", "tta|")

LONG_WAIT_DAYS = 42
# up to this many starts, a rule searches from each one (stopping early) rather
# than sweeping the whole pathway once
PREHAB_MIN_DAYS = 14
_NON_DIGITAL = {Channel.in_person, Channel.phone, Channel.letter}


@rule("missing-phase", _PACK, "A phase with no step",
      ("rcoa-periop-programme", "nhse-periop-playbook"), severity="warning")
def missing_phase(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Each of the five phases (contemplation to recovery) holds at least one step.

    Steps without a phase do not count. One finding per empty phase, for the
    whole pathway (no targets).

    Source: rcoa-periop-programme, nhse-periop-playbook (perioperative care runs
    from contemplation of surgery until full recovery; the NHS England 9-step
    playbook).
    """
    present = index_for(pathway, graph).phases
    for phase in Phase:
        if phase not in present:
            yield found("missing-phase",
                        f"No step is in the {phase.value} phase, so that part of the "
                        "patient's journey is not designed. Add its steps (e.g. "
                        f"{_PHASE_EXAMPLES[phase]}) or set the phase on the steps that "
                        "belong to it.")


@rule("sdm-before-listing", _PACK,
      "Listing or surgery reachable without shared decision making before it",
      ("cpoc-rcs-preop-2021", "nice-ng180#1.3.1", "aomrc-choosing-wisely"))
def sdm_before_listing(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every route from the entry to listing or surgery passes shared decision making.

    A listing or surgery step is reported when a patient can reach it on a
    journey that meets no ``shared-decision-making`` step first (see
    :meth:`~designer.graph.pathway_index.PathwayIndex.unguarded`: a decision
    step takes one branch, other steps send patients along every branch).

    Source: cpoc-rcs-preop-2021, nice-ng180 1.3.1, aomrc-choosing-wisely (shared
    decision making with BRAN and a validated risk tool before listing or consent).
    """
    index = index_for(pathway, graph)
    sdm = index.with_activity(Activity.shared_decision_making)
    for sid in index.unguarded(index.with_activity(Activity.listing, Activity.surgery), sdm):
        yield found("sdm-before-listing",
                    f"A patient can reach {index.name(sid)} without a shared decision "
                    "before it. Put a shared decision making step (benefits, risks, "
                    "alternatives and doing nothing, with a validated risk tool) on "
                    "every route before listing and surgery.", sid)


@rule("no-optimisation-route", _PACK,
      "A preassessment with no route to optimisation that returns before surgery",
      ("cpoc-rcs-preop-2021", "nhse-earlier-screening", "jbds-ip-surgery"))
def no_optimisation_route(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Preassessment can send the patient to optimisation and take them back.

    An optimisation-type step (:data:`OPTIMISATION_ACTIVITIES`) counts when a
    route leads from it back to a preassessment step or on to surgery. A
    preassessment step is fine when it reaches such a step without passing
    through surgery. When preassessment does reach optimisation but the
    optimisation never comes back, the message names the step that does not.

    Source: cpoc-rcs-preop-2021, nhse-earlier-screening (assessment and
    optimisation as early as possible); jbds-ip-surgery (a loop that returns to
    preassessment before surgery is scheduled).
    """
    index = index_for(pathway, graph)
    assessments = index.with_activity(Activity.preassessment)
    if not assessments:
        return
    surgeries = set(index.with_activity(Activity.surgery))
    optimising = index.with_activity(*OPTIMISATION_ACTIVITIES)
    good = index.starts_reaching(optimising, {*assessments, *surgeries}, avoid=surgeries)
    can_optimise = index.starts_reaching(assessments, good, avoid=surgeries)
    stuck: list[str] | None = None
    for sid in assessments:
        if sid in can_optimise:
            continue
        if stuck is None:
            stuck = [o for o in optimising if o not in good]
        reached = index.reach([sid], avoid=surgeries, include_starts=False) if stuck else set()
        blocked = [o for o in stuck if o in reached]
        if blocked:
            yield found("no-optimisation-route",
                        f"From {index.name(sid)} patients can go to "
                        f"{fewest([index.name(o) for o in blocked])}, but no route leads from "
                        "there back to preassessment or on to surgery, so an optimised "
                        "patient never comes back. Connect the optimisation step back to "
                        "preassessment (or on to the next step before surgery).",
                        sid, *blocked)
        else:
            yield found("no-optimisation-route",
                        f"From {index.name(sid)} there is no route to optimisation (e.g. GP "
                        "or diabetes review, anaemia treatment, stop smoking support, "
                        "prehabilitation) that comes back before surgery. Add a decision "
                        "after preassessment with a 'needs optimisation' branch to an "
                        "optimisation step that returns to preassessment.", sid)


@rule("prehab-window", _PACK, "Prehabilitation shorter than 14 days",
      ("prehab-duration-review", "imperial-prepare"), severity="warning")
def prehab_window(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Prehabilitation itself lasts at least 14 days.

    The length is the programme's own: the ``duration_days`` of a
    prehabilitation step plus the longest run of prehabilitation steps directly
    before and after it (e.g. assessment, then supervised training). Time spent
    elsewhere before surgery does not count. Each programme that leads to
    surgery is reported once, at its first step; a missing duration is reported
    as unknown.

    Source: prehab-duration-review, imperial-prepare (at least 2 weeks to help;
    4-6 weeks is the usual target).
    """
    index = index_for(pathway, graph)
    prehabs = index.with_activity(Activity.prehabilitation)
    surgeries = index.with_activity(Activity.surgery)
    if not prehabs or not surgeries:
        return
    is_prehab = set(prehabs)
    steps, succ, pred = index.steps, index.succ, index.pred
    before_surgery = index.before_surgery
    onward: dict[str, float] = {}    # longest run of programme steps starting here

    def run_from(sid: str, visiting: set[str]) -> float:
        if sid not in onward:
            visiting.add(sid)
            onward[sid] = (steps[sid].duration_days or 0) + max(
                (run_from(c, visiting) for c in succ[sid]
                 if c in is_prehab and c not in visiting), default=0)
            visiting.discard(sid)
        return onward[sid]

    order = [sid for sid in prehabs if sid in before_surgery]
    for sid in order:
        if any(p in is_prehab and p in before_surgery for p in pred[sid]):
            continue  # report each programme once, at its first step
        length = run_from(sid, set())
        unknown = steps[sid].duration_days is None
        if unknown:
            yield found("prehab-window",
                        f"{index.name(sid)} does not say how long it lasts, so nobody can "
                        f"tell whether it gives the {PREHAB_MIN_DAYS} days or more that "
                        "prehabilitation needs. Record its duration (programmes usually "
                        "run 4 to 6 weeks).", sid)
        elif length < PREHAB_MIN_DAYS:
            yield found("prehab-window",
                        f"{index.name(sid)} lasts about {length:.0f} days; prehabilitation "
                        f"needs at least {PREHAB_MIN_DAYS} days to help (programmes usually "
                        "run 4 to 6 weeks). Lengthen the programme, start it earlier (for "
                        "cancer surgery, from diagnosis alongside the other steps) or plan "
                        "surgery to leave time.", sid)


def _minor_or_day_case(step) -> bool:
    facts = surgery_facts(step)
    return facts.day_case is True or facts.major is False


@rule("education-before-surgery", _PACK, "Major surgery with no education step before it",
      ("erasplus-professionals", "poqi-surgery-school-2025"), severity="warning")
def education_before_surgery(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Surgery School or other education comes before major surgery, on every route.

    Each surgery step is checked unless it says it is a day case or minor
    (``surgery: {day_case: true}`` or ``{major: false}``); unknown counts as
    major. A surgery step is fine when every journey to it passes an
    ``education`` step first.

    Source: erasplus-professionals, poqi-surgery-school-2025 (Surgery School for
    all major planned surgery).
    """
    index = index_for(pathway, graph)
    surgeries = [sid for sid in index.with_activity(Activity.surgery)
                 if not _minor_or_day_case(index.steps[sid])]
    if not surgeries:
        return
    for sid in index.unguarded(surgeries, index.with_activity(Activity.education)):
        yield found("education-before-surgery",
                    f"A patient can reach {index.name(sid)} without any education step "
                    "before it. For major surgery, put Surgery School (or other "
                    "preparation classes) on every route before admission, so that "
                    "patients and families know what to expect and how to get ready. If "
                    "this is a day case or minor surgery, say so on the surgery step "
                    "(surgery: day_case: true).", sid)


@rule("long-wait-without-support", _PACK,
      "A wait over 42 days with no waiting-well support",
      ("pulse-my-planned-care", "nhse-earlier-screening"), severity="warning")
def long_wait_without_support(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Long waits come with support for waiting well.

    A long wait is a transition with ``wait_days`` over 42 or a wait step with
    ``duration_days`` over 42, starting before the operation: a wait that
    starts in the postoperative or recovery phase is a planned review interval,
    not time on a waiting list, and is left alone. Support is a ``waiting-well``
    or ``prehabilitation`` step at either end of the wait, or on another branch
    leaving the step the wait starts from.

    Source: pulse-my-planned-care, nhse-earlier-screening (My Planned Care and
    waiting-well checks), ; him-erasplus (ERAS+ covers the 6 weeks before surgery).
    """
    index = index_for(pathway, graph)
    support = set(index.with_activity(Activity.waiting_well, Activity.prehabilitation))
    succ, pred = index.succ, index.pred

    def supported(around: list[str]) -> bool:
        return any(n in support for n in around)

    def after_surgery(sid: str) -> bool:
        return index.steps[sid].phase in (Phase.postoperative, Phase.recovery)

    for t in pathway.transitions:
        if (t.wait_days or 0) > LONG_WAIT_DAYS and t.source in index.steps \
                and not after_surgery(t.source):
            if not supported([t.source, t.target, *succ[t.source]]):
                yield found("long-wait-without-support",
                            f"Patients wait about {t.wait_days:.0f} days between "
                            f"{index.name(t.source)} and {index.name(t.target)} with no "
                            "support. Add a waiting-well step (e.g. regular check-ins, "
                            "advice on activity, diet and pain, a contact if things get "
                            "worse) alongside the wait.", t.key)
    for sid in index.by_kind[StepKind.wait]:
        step = index.steps[sid]
        if (step.duration_days or 0) > LONG_WAIT_DAYS and not after_surgery(sid):
            around = [sid, *succ[sid], *pred[sid]]
            around += [s for p in pred[sid] for s in succ[p]]
            if not supported(around):
                yield found("long-wait-without-support",
                            f"'{step.name}' lasts about {step.duration_days:.0f} days with "
                            "no support. Add a waiting-well step (e.g. regular check-ins, "
                            "advice on activity, diet and pain, a contact if things get "
                            "worse) alongside the wait.", sid)


@rule("digital-only", _PACK, "A digital-only step with no alternative route",
      ("nhse-earlier-screening", "nhs-health-literacy", "accessible-information-standard"),
      severity="warning")
def digital_only(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A digital step has an equivalent for people who cannot use digital services.

    A step with channel ``digital`` is fine when a step before it also leads to
    an alternative: a step with the same activity offered in person, by phone,
    by letter or by video. A clinically different branch is not an alternative.
    Nor is a warning due when the patient chose the digital route at the
    decision just before (a branch such as "prefers the app").

    Source: nhse-earlier-screening (digital pathways with support for people who
    cannot use them); nhs-health-literacy, accessible-information-standard.
    """
    index = index_for(pathway, graph)
    steps, succ, pred = index.steps, index.succ, index.pred
    for sid in index.by_channel.get(Channel.digital, ()):
        step = steps[sid]
        chosen = any(index.transition(p, sid).condition
                     and CHOSE_DIGITAL.search(index.transition(p, sid).condition)
                     for p in pred[sid])
        if chosen:
            continue
        alternatives = [s for p in pred[sid] for s in succ[p]
                        if s != sid and steps[s].channel in _NON_DIGITAL
                        and steps[s].activity == step.activity]
        if not alternatives:
            yield found("digital-only",
                        f"'{step.name}' is offered only online, with no equivalent for "
                        "people who cannot use digital services (another branch that does "
                        "something else is not an alternative). Add a branch to the same "
                        "care by phone, letter or in person, or let the patient choose the "
                        "route at a decision just before.", sid)


@rule("sdm-do-nothing-branch", _PACK,
      "Shared decision making with no route for choosing not to have surgery",
      ("aci-nsw-periop-toolkit", "aomrc-choosing-wisely"), severity="warning")
def sdm_do_nothing_branch(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """After shared decision making, "not having surgery" is a real option.

    A ``shared-decision-making`` step is fine when a route leads from it to an
    exit without passing any listing or surgery step (e.g. a decision branch
    "chooses not to have surgery" back to the GP).

    Source: aci-nsw-periop-toolkit, aomrc-choosing-wisely (BRAN includes doing
    nothing; a decision not to operate is a valid outcome returning the patient to
    primary care).
    """
    index = index_for(pathway, graph)
    sdm = index.with_activity(Activity.shared_decision_making)
    if not sdm or not index.exits:
        return
    operative = set(index.with_activity(Activity.listing, Activity.surgery))
    no_surgery = index.starts_reaching(sdm, set(index.exits), avoid=operative)
    for sid in sdm:
        if sid not in no_surgery:
            yield found("sdm-do-nothing-branch",
                        f"After {index.name(sid)} every route leads to listing or surgery. "
                        "Add a decision with a branch such as 'chooses not to have "
                        "surgery' that returns the patient to their GP, so that doing "
                        "nothing is a real choice.", sid)


@rule("named-contact", _PACK, "No named point of contact given when surgery is booked",
      "nice-ng180#1.1.1", severity="warning")
def named_contact(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """The patient gets a named point of contact when surgery is booked.

    Surgery is booked at each ``listing`` step; a pathway without one books it
    at its decision-to-treat milestone, else at its shared decision making
    steps, else at the surgery step itself. The booking step and the steps up to
    two transitions before it are read (names, descriptions, patient
    information, handoff information): one must give a named contact (e.g. "named
    point of contact", "key worker", "perioperative care coordinator", "who to
    call", "contact number"). The word "contact" alone does not count.

    Source: nice-ng180 1.1.1 (a named point of contact when surgery is booked).
    """
    index = index_for(pathway, graph)
    bookings = (index.with_activity(Activity.listing)
                or [sid for sid, s in index.steps.items() if s.milestone == "decision-to-treat"]
                or index.with_activity(Activity.shared_decision_making)
                or index.with_activity(Activity.surgery))
    for sid in bookings:
        near = {sid, *index.pred[sid]}
        near.update(p for n in list(near) for p in index.pred[n])
        ok = any(step_says(index.steps[n], NAMED_CONTACT) for n in near) or any(
            t.handoff is not None and any_says(NAMED_CONTACT, t.handoff.information)
            for n in near for t in index.outgoing(n))
        if not ok:
            yield found("named-contact",
                        f"Nothing at {index.name(sid)} says who the patient can contact "
                        "while waiting for surgery. Give a named point of contact when "
                        "surgery is booked (e.g. a perioperative care coordinator or key "
                        "worker, with their phone number) and say so in the step's "
                        "description or patient information.", sid)


# the rest of the pack lives in its own modules (imported for their rules)
from . import perioperative_discharge, perioperative_care, perioperative_timeline  # noqa: E402,F401
