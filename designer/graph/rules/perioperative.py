"""The ``perioperative`` pack: phases, shared decisions, optimisation, discharge.

Opt in with ``rule_packs: [perioperative]``. "Before" and "after" mean along
the pathway's transitions; reachability is computed once per validation from
the shared :class:`~designer.graph.network.PathwayIndex`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..model import Activity, Channel, Pathway, Phase, SettingKind, StepKind
from ..network import index_for
from . import Finding, found, mentions, rule

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

# information items recognised in a discharge handoff (lower case)
MEDICINES_WORDS = ("medicine", "medication", "meds|", "drug", "prescription", "tto|", "tta|")
DIAGNOSIS_WORDS = ("diagnos", "discharge summary", "operation note", "procedure")

LONG_WAIT_DAYS = 42
# up to this many starts, a rule searches from each one (stopping early) rather
# than sweeping the whole pathway once
_FEW = 16
PREHAB_MIN_DAYS = 14
_NON_DIGITAL = {Channel.in_person, Channel.phone, Channel.letter}


@rule("missing-phase", _PACK, "A phase with no step", ("rcoa-periop-programme", "nhse-periop-playbook"))
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

    A listing or surgery step is reported when the entry reaches it on a route
    that avoids every ``shared-decision-making`` step.

    Source: cpoc-rcs-preop-2021, nice-ng180, aomrc-choosing-wisely (SDM with BRAN
    and a validated risk tool before listing or consent).
    """
    index = index_for(pathway, graph)
    if not index.entries:
        return
    sdm = set(index.with_activity(Activity.shared_decision_making))
    without_sdm = index.reach(index.entries, avoid=sdm)
    for sid in index.with_activity(Activity.listing, Activity.surgery):
        if sid in without_sdm and sid not in sdm:
            yield found("sdm-before-listing",
                        f"A patient can reach {index.name(sid)} without a shared decision "
                        "before it. Put a shared decision making step (benefits, risks, "
                        "alternatives and doing nothing, with a validated risk tool) on "
                        "every route before listing and surgery.", sid)


@rule("discharge-without-follow-up", _PACK,
      "A discharge with no later step in a primary, community or home setting",
      ("nhse-periop-playbook", "nasgp-nice-discharge"))
def discharge_without_follow_up(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """After discharge the pathway continues outside hospital.

    A ``discharge`` step is fine when some later step (one or more transitions
    on) is in a primary-care, community or home setting.

    Source: nhse-periop-playbook, nasgp-nice-discharge and nhse-periop-playbook,
    aci-nsw-periop-toolkit (discharge to primary care, surgical follow-up or
    patient-initiated follow-up; contact 24-72 hours after discharge for people at
    risk).
    """
    index = index_for(pathway, graph)
    discharges = index.with_activity(Activity.discharge)
    if not discharges:
        return
    outside = {SettingKind.primary, SettingKind.community, SettingKind.home}
    if len(discharges) <= _FEW:
        # the follow-up is usually a step or two on: search from each discharge
        settings, setting_of = index.settings, index.setting_of

        def is_outside(n: str) -> bool:
            setting = settings.get(setting_of[n])
            return setting is not None and setting.kind in outside

        missing = [sid for sid in discharges if not index.finds(sid, is_outside)]
    else:
        after = [sid for sid, kind in index.setting_kinds.items() if kind in outside]
        followed = index.reach(after, reverse=True, include_starts=False)
        missing = [sid for sid in discharges if sid not in followed]
    for sid in missing:
        yield found("discharge-without-follow-up",
                    f"After {index.name(sid)} the pathway has no step at home, in "
                    "primary care or in the community, so nobody picks the patient up "
                    "after they leave. Add a follow-up step (e.g. GP or practice nurse "
                    "review, community rehabilitation, patient-initiated follow-up).",
                    sid)


@rule("discharge-information", _PACK, "Discharge handoff lacks medicines list or diagnosis",
      ("nice-ng27", "nursing-times-discharge-coordinator"))
def discharge_information(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every handoff leaving a discharge step passes on the medicines list and diagnosis.

    Each handoff is checked on its own: NICE NG27 asks for the diagnosis and a
    complete medicines list at each transfer, so one complete letter to the GP
    does not make up for a care-package handoff to social care that lacks them.
    Synonyms are accepted: "medication", "TTO", "drugs"; "diagnoses",
    "discharge summary", "operation note".

    Source: nice-ng27, nursing-times-discharge-coordinator (NICE NG27: diagnosis,
    treatment and a complete medicines list at each transfer).
    """
    index = index_for(pathway, graph)
    for sid in index.with_activity(Activity.discharge):
        handed = [t for t in index.outgoing(sid) if t.handoff is not None]
        if not handed:
            yield found("discharge-information",
                        f"Nothing is handed over when the patient leaves at "
                        f"{index.name(sid)}. Add a handoff to the GP (and the patient) that "
                        "carries the medicines list and the diagnosis.", sid)
            continue
        for t in handed:
            missing = [label for label, words in (("the medicines list", MEDICINES_WORDS),
                                                  ("the diagnosis", DIAGNOSIS_WORDS))
                       if not mentions(t.handoff.information, *words)]
            if missing:
                yield found("discharge-information",
                            f"The discharge handoff from {index.name(sid)} to "
                            f"{index.name(t.target)} does not pass on "
                            f"{' or '.join(missing)}. Add {' and '.join(missing)} to the "
                            "information sent at this transfer.", t.key)


@rule("no-optimisation-route", _PACK,
      "A preassessment with no route to optimisation that returns before surgery",
      ("cpoc-rcs-preop-2021", "nhse-earlier-screening", "jbds-ip-surgery"))
def no_optimisation_route(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Preassessment can send the patient to optimisation and take them back.

    An optimisation-type step (:data:`OPTIMISATION_ACTIVITIES`) counts when a
    route leads from it back to a preassessment step or on to surgery. A
    preassessment step is fine when it reaches such a step without passing
    through surgery.

    Source: cpoc-rcs-preop-2021, nhse-earlier-screening (preoperative assessment and
    optimisation as early as possible) and jbds-ip-surgery, nhs-borders-periop-
    diabetes, qic-waiting-well-diabetes (a loop that returns to preassessment before
    surgery is scheduled).
    """
    index = index_for(pathway, graph)
    assessments = index.with_activity(Activity.preassessment)
    if not assessments:
        return
    surgeries = set(index.with_activity(Activity.surgery))
    good = index.starts_reaching(index.with_activity(*OPTIMISATION_ACTIVITIES),
                                 {*assessments, *surgeries}, avoid=surgeries)
    can_optimise = index.starts_reaching(assessments, good, avoid=surgeries)
    for sid in assessments:
        if sid not in can_optimise:
            yield found("no-optimisation-route",
                        f"From {index.name(sid)} there is no route to optimisation (e.g. GP "
                        "or diabetes review, anaemia treatment, stop smoking support, "
                        "prehabilitation) that comes back before surgery. Add a decision "
                        "after preassessment with a 'needs optimisation' branch to an "
                        "optimisation step that returns to preassessment.", sid)


@rule("prehab-window", _PACK, "Prehabilitation shorter than 14 days before surgery",
      ("prehab-duration-review", "imperial-prepare"), severity="warning")
def prehab_window(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Prehabilitation starts at least 14 days before surgery.

    Uses the timeline (longest route over ``duration_days`` and ``wait_days``,
    loop-backs ignored): the window is the surgery step's start day minus the
    prehabilitation step's start day. Only prehabilitation steps that lead to
    surgery are checked; missing durations count as 0 days.

    Source: imperial-prepare, prehab-duration-review (at least 2 weeks, target 4-6
    weeks).
    """
    index = index_for(pathway, graph)
    prehabs = index.with_activity(Activity.prehabilitation)
    surgeries = index.with_activity(Activity.surgery)
    if not prehabs or not surgeries:
        return
    if len(surgeries) == 1:
        # one operation (the usual case): only the steps leading to it need days
        surgery = surgeries[0]
        before, start = index.days_before(surgery)
    else:
        schedule = index.schedule
        surgery, start = schedule.surgery_step, schedule.start
        if surgery is None:
            return
        before = index.reach([surgery], reverse=True, forward_only=True)
    surgery_day = start[surgery]
    for sid in prehabs:
        if sid not in before or sid == surgery:
            continue
        window = surgery_day - start[sid]
        if window < PREHAB_MIN_DAYS:
            yield found("prehab-window",
                        f"{index.name(sid)} leaves about {window:.0f} days before "
                        f"{index.name(surgery)}; prehabilitation needs at "
                        f"least {PREHAB_MIN_DAYS} days to help (programmes usually run 4 to "
                        "6 weeks). Start it earlier or plan surgery to leave time, and "
                        "record the time (duration or wait) on the pathway.", sid)


def _day_case(pathway: Pathway) -> bool:
    text = [pathway.title, pathway.population or "", pathway.summary or "",
            *pathway.tags, *pathway.specialties]
    return mentions(text, "day case", "day-case", "daycase", "day surgery", "minor surgery")


@rule("education-before-surgery", _PACK, "Major surgery with no education step before it",
      ("erasplus-professionals", "poqi-surgery-school-2025"), severity="warning")
def education_before_surgery(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Surgery School or other education comes before major surgery.

    Surgery counts as major unless the pathway says it is day-case or minor
    surgery (title, population, summary, tags or specialties mention "day case",
    "day surgery" or "minor surgery"). A surgery step is fine when an
    ``education`` step lies on some route before it.

    Source: erasplus-professionals, poqi-surgery-school-2025 (Surgery School for all
    major elective surgery).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries or _day_case(pathway):
        return
    educations = set(index.with_activity(Activity.education))
    if len(surgeries) <= _FEW:
        # search back from each surgery: it stops at the first education step
        missing = [sid for sid in surgeries
                   if not index.finds(sid, educations.__contains__, reverse=True)]
    else:
        taught = index.reach(educations, include_starts=False)
        missing = [sid for sid in surgeries if sid not in taught]
    for sid in missing:
        yield found("education-before-surgery",
                    f"No education step comes before {index.name(sid)}. For major "
                    "surgery, add Surgery School (or other preparation classes) before "
                    "admission, so that patients and families know what to expect and "
                    "how to get ready.", sid)


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
      ("nhse-earlier-screening", "nhs-health-literacy", "accessible-information-standard"), severity="warning")
def digital_only(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A digital step has an alternative for people who cannot use digital services.

    A step with channel ``digital`` is fine when a step before it also leads to a
    step offered in person, by phone or by letter.

    Source: nhse-earlier-screening (digital pathways with support for people who
    cannot use them); nhs-health-literacy, accessible-information-standard (health
    literacy, Accessible Information Standard).
    """
    index = index_for(pathway, graph)
    steps, succ, pred = index.steps, index.succ, index.pred
    for sid in index.by_channel.get(Channel.digital, ()):
        step = steps[sid]
        alternatives = [s for p in pred[sid] for s in succ[p]
                        if s != sid and steps[s].channel in _NON_DIGITAL]
        if not alternatives:
            yield found("digital-only",
                        f"'{step.name}' is offered only online, with no other route for "
                        "people who cannot use digital services. Add a branch to a phone, "
                        "letter or in-person alternative (or support to use it).", sid)


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


CONTACT_WORDS = ("point of contact", "named contact", "contact", "coordinator",
                 "key worker", "who to call", "who to ring")


@rule("named-contact", _PACK, "No named point of contact given when surgery is booked",
      "nice-ng180#1.1.1", severity="warning")
def named_contact(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """The patient gets a named point of contact when surgery is booked.

    Looks at each ``listing`` step and the steps up to two transitions before
    it (where the decision to operate is often made): a name, description,
    patient information or handoff information there must mention a contact
    (e.g. "named point of contact", "perioperative care coordinator", "who to
    call").

    Source: nice-ng180 (NICE NG180 1.1.1: a named point of contact when surgery is
    booked).
    """
    index = index_for(pathway, graph)
    for sid in index.with_activity(Activity.listing):
        # the booking often happens at the decision just before listing
        near = {sid, *index.pred[sid]}
        near.update(p for n in list(near) for p in index.pred[n])
        text: list[str] = []
        for n in near:
            step = index.steps[n]
            text += [step.name, step.description or "", step.patient_info or ""]
            for t in index.outgoing(n):
                if t.handoff is not None:
                    text.extend(t.handoff.information)
        if not mentions(text, *CONTACT_WORDS):
            yield found("named-contact",
                        f"Nothing at {index.name(sid)} says who the patient can contact "
                        "while waiting for surgery. Give a named point of contact when "
                        "surgery is booked (e.g. a perioperative care coordinator) and say "
                        "so in the step's description or patient information.", sid)
