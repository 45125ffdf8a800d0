"""The ``core`` pack: structure, ownership and handoffs. Always runs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..model import Pathway, StepKind
from ..network import index_for
from ..suggest import did_you_mean
from . import FORMAT, PACKS, RULES, Finding, found, rule

if TYPE_CHECKING:
    import networkx as nx

_CORE = "core"


def _known_target(index, target: str) -> bool:
    if target in index.steps:
        return True
    source, sep, dest = target.partition("->")
    return bool(sep) and index.has_transition(source, dest)


@rule("unknown-reference", _CORE, "A step, setting or role id that does not exist",
      ("jbds-seven-stages", "nursing-times-discharge-coordinator"))
def unknown_reference(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Report every id that names nothing.

    Covers a step's ``setting`` and ``owner``, a transition's ``from`` and ``to``,
    a handoff's ``sender`` and ``receiver``, a waiver's ``rule`` and ``target``, the
    pathway's ``rule_packs`` and the rule ids of ``rule_config``. Each message
    offers the nearest existing id ("did you mean 'hospital'?") when one is close. Empty fields are left to the rules that ask for
    them (``step-without-owner``, ``handoff-without-receiver``).

    Source: jbds-seven-stages, nursing-times-discharge-coordinator (every step has an
    owner and a setting that exist); the file format (unknown references load and are reported).
    """
    index = index_for(pathway, graph)
    settings, roles, steps = index.settings, index.roles, index.steps
    # fast path: look at each distinct id once, scan the steps only on a miss
    used = set(index.setting_of.values()) | set(index.owner_of.values())
    clean = used <= (settings.keys() | roles.keys() | {None})
    for step in () if clean else pathway.steps:
        if step.setting is not None and step.setting not in settings:
            yield found(
                "unknown-reference",
                f"Step '{step.name}' is placed in a setting '{step.setting}' that this "
                f"pathway does not define{did_you_mean(step.setting, settings)}. Choose one "
                "of the pathway's settings (lanes) or add the missing setting.", step.id)
        if step.owner is not None and step.owner not in roles:
            yield found(
                "unknown-reference",
                f"Step '{step.name}' is owned by a role '{step.owner}' that this pathway "
                f"does not define{did_you_mean(step.owner, roles)}. Choose one of the "
                "pathway's roles or add the role.", step.id)
    if index.dangling or index.edge_count != len(pathway.transitions):
        for t in pathway.transitions:
            for end, label in ((t.source, "starts at"), (t.target, "leads to")):
                if end not in steps:
                    yield found(
                        "unknown-reference",
                        f"The transition {t.key} {label} a step '{end}' that does not "
                        f"exist{did_you_mean(end, steps)}. Reconnect it to an existing step "
                        "or delete it.", t.key)
    for t, handoff in index.handoffs:
        for who, label in ((handoff.sender, "sender"), (handoff.receiver, "receiver")):
            if who is not None and who not in roles:
                yield found(
                    "unknown-reference",
                    f"The handoff from {index.name(t.source)} to {index.name(t.target)} "
                    f"names a {label} role '{who}' that this pathway does not define"
                    f"{did_you_mean(who, roles)}. Choose one of the pathway's roles or add "
                    "the role.", t.key)
    for w in pathway.waivers:
        if w.rule not in RULES:
            yield found(
                "unknown-reference",
                f"A waiver names a rule '{w.rule}' that does not exist"
                f"{did_you_mean(w.rule, RULES)}, so it waives nothing. Correct the rule id "
                "or remove the waiver.",
                *((w.target,) if w.target else ()))
        if w.target and not _known_target(index, w.target):
            yield found(
                "unknown-reference",
                f"A waiver of '{w.rule}' points at '{w.target}', which is neither a step "
                "nor a transition of this pathway. Point it at an existing step or "
                "transition, or remove it.", w.target)
    for pack in pathway.rule_packs:
        if pack not in PACKS:
            yield found(
                "unknown-reference",
                f"The pathway asks for a rule pack '{pack}' that does not exist"
                f"{did_you_mean(pack, PACKS)}, so its checks cannot run. Known packs: "
                f"{', '.join(PACKS)}.")
    for rule_id in pathway.rule_config:
        if rule_id not in RULES:
            yield found(
                "unknown-reference",
                f"rule_config sets a rule '{rule_id}' that does not exist"
                f"{did_you_mean(rule_id, RULES)}, so the setting does nothing. Correct the "
                "rule id or remove it.")


@rule("single-entry", _CORE, "Not exactly one entry step", ("nhse-periop-playbook", "jbds-seven-stages"))
def single_entry(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A pathway starts in exactly one place.

    Source: nhse-periop-playbook, jbds-seven-stages (the journey starts with primary
    care referral).
    """
    index = index_for(pathway, graph)
    entries = index.entries
    if not entries:
        yield found("single-entry",
                    "The pathway has no entry step, so nobody can tell where the patient's "
                    "journey starts. Mark the first step (usually the referral) as the "
                    "entry.")
    elif len(entries) > 1:
        names = ", ".join(index.name(e) for e in entries)
        yield found("single-entry",
                    f"The pathway has {len(entries)} entry steps ({names}). Keep one entry "
                    "(usually the referral) and connect the others to it as ordinary "
                    "steps.", *entries)


@rule("has-exit", _CORE, "No exit step", ("nhse-periop-playbook", "aci-nsw-periop-toolkit"))
def has_exit(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A pathway must end somewhere: discharge to primary care, follow-up or back to GP.

    Source: nhse-periop-playbook, aci-nsw-periop-toolkit.
    """
    if not index_for(pathway, graph).exits:
        yield found("has-exit",
                    "The pathway has no exit step, so it never says where the patient's "
                    "care ends. Add an exit, such as discharge to the GP, patient-initiated "
                    "follow-up, or 'not having surgery: back to the GP'.")


@rule("unreachable-step", _CORE, "A step not reachable from the entry",
      ("rcoa-periop-programme", "nhse-periop-playbook"))
def unreachable_step(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every step must lie on some route from the entry.

    Not reported when the pathway has no entry (``single-entry`` says so).

    Source: rcoa-periop-programme, nhse-periop-playbook (one joined-up journey from
    contemplation to recovery).
    """
    index = index_for(pathway, graph)
    if not index.entries:
        return
    reached = index.reachable_from_entry
    for sid, step in index.steps.items():
        if sid not in reached:
            yield found("unreachable-step",
                        f"No route from the entry leads to '{step.name}', so no patient "
                        "would ever get there. Connect it from an earlier step or delete "
                        "it.", sid)


@rule("dead-end", _CORE, "A non-exit step with no outgoing transition",
      ("nhse-periop-playbook", "aci-nsw-periop-toolkit"))
def dead_end(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Only exit steps may end a route; any other step needs a way on.

    Source: nhse-periop-playbook, aci-nsw-periop-toolkit.
    """
    index = index_for(pathway, graph)
    dangling, steps = index.dangling, index.steps
    for sid, children in index.succ.items():
        if children or sid in dangling:
            continue
        step = steps[sid]
        if step.kind is not StepKind.exit:
            yield found("dead-end",
                        f"'{step.name}' leads nowhere: a patient there has no next step. "
                        "Connect it to the next step, or make it an exit if the pathway "
                        "really ends there (e.g. discharge to the GP).", sid)


@rule("no-route-to-exit", _CORE, "A step from which no exit can be reached (a closed loop)",
      ("nhse-periop-playbook", "aci-nsw-periop-toolkit"))
def no_route_to_exit(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Steps that lead on, but only round a closed loop that never reaches an exit.

    Steps with no way on are ``dead-end`` findings instead; nothing is reported
    when the pathway has no exit at all (``has-exit``).

    Source: nhse-periop-playbook, aci-nsw-periop-toolkit (an optimisation loop must
    return to the main route).
    """
    index = index_for(pathway, graph)
    if not index.exits:
        return
    ok = index.can_reach_exit
    for sid, step in index.steps.items():
        if sid not in ok and index.succ[sid]:
            yield found("no-route-to-exit",
                        f"From '{step.name}' the patient can only go round in a loop and "
                        "never reaches an exit. Add a way out of the loop, e.g. a "
                        "decision branch back to the main pathway.", sid)


@rule("decision-branches", _CORE,
      "A decision with fewer than two branches, or a branch without a condition",
      FORMAT)
def decision_branches(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A decision needs two or more branches, each saying when it is taken.

    Source: the pathway file format (a structural check: a condition on each branch
    leaving a decision, so that a reader can tell which patients take it). The
    clinical "do nothing" option is ``sdm-do-nothing-branch``'s business.
    """
    index = index_for(pathway, graph)
    for sid in index.by_kind[StepKind.decision]:
        step = index.steps[sid]
        branches = index.outgoing(sid)
        if len(branches) < 2:
            yield found("decision-branches",
                        f"Decision '{step.name}' has {len(branches)} branch"
                        f"{'' if len(branches) == 1 else 'es'}; a decision needs at least "
                        "two (for example 'fit for surgery' and 'needs optimisation'). Add "
                        "the missing branch or make the step a task.", sid)
        for t in branches:
            if not (t.condition or "").strip():
                yield found("decision-branches",
                            f"The branch from decision '{step.name}' to "
                            f"{index.name(t.target)} does not say when it is taken. Write "
                            "its condition, e.g. 'HbA1c 69 mmol/mol or more'.", t.key)


@rule("step-without-owner", _CORE, "A step with no owner role", ("jbds-seven-stages", "nursing-times-discharge-coordinator"))
def step_without_owner(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every step has a named role responsible for it.

    Source: jbds-seven-stages, nursing-times-discharge-coordinator (JBDS stages with
    named responsibilities; a single coordinator agrees the plan).
    """
    index = index_for(pathway, graph)
    for sid, owner in index.owner_of.items():
        if not owner:
            yield found("step-without-owner",
                        f"Nobody owns '{index.steps[sid].name}'. Choose the role "
                        "responsible for it (e.g. GP, preassessment nurse, surgeon) so that "
                        "it is clear who makes it happen.", sid)


@rule("handoff-missing", _CORE, "A transition between different settings without a handoff",
      "nice-ng27")
def handoff_missing(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A move between settings must say who hands over what.

    Only where both steps exist, both settings are known and they differ;
    unknown settings are ``unknown-reference`` findings instead.

    Source: nice-ng27 (NICE NG27: at each transfer pass diagnosis,
    treatment and medicines).
    """
    index = index_for(pathway, graph)
    steps, settings, setting_of = index.steps, index.settings, index.setting_of
    for t in index.without_handoff:
        from_setting = setting_of.get(t.source)
        to_setting = setting_of.get(t.target)
        if from_setting == to_setting:
            continue
        if from_setting in settings and to_setting in settings:
            a, b = steps[t.source], steps[t.target]
            yield found("handoff-missing",
                        f"The patient moves from {settings[a.setting].name} ('{a.name}') "
                        f"to {settings[b.setting].name} ('{b.name}') with no handoff. Say "
                        "who sends and who receives, what information goes with the "
                        "patient and how it is sent.", t.key)
    # a step with no setting hides the move across it: look through it
    for sid, setting in setting_of.items():
        if setting is not None:
            continue
        bare_in = [p for p in index.pred[sid]
                   if setting_of[p] in settings and index.transition(p, sid).handoff is None]
        bare_out = [c for c in index.succ[sid]
                    if setting_of[c] in settings and index.transition(sid, c).handoff is None]
        for p in bare_in:
            for c in bare_out:
                if setting_of[p] != setting_of[c]:
                    yield found("handoff-missing",
                                f"The patient moves from {settings[setting_of[p]].name} "
                                f"('{steps[p].name}') through '{steps[sid].name}', which has "
                                f"no setting, to {settings[setting_of[c]].name} "
                                f"('{steps[c].name}') with no handoff. Give "
                                f"'{steps[sid].name}' its setting and add the handoff.",
                                f"{sid}->{c}")


@rule("handoff-without-receiver", _CORE, "A handoff with no sender or no receiver",
      "nice-ng27")
def handoff_without_receiver(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A handoff names both the sending and the receiving role.

    Source: nice-ng27 (every handoff names a receiving owner).
    """
    index = index_for(pathway, graph)
    for t, h in index.handoffs:
        if h.sender and h.receiver:
            continue
        missing = " and ".join(x for x, v in (("sender", h.sender), ("receiver", h.receiver))
                               if not v)
        yield found("handoff-without-receiver",
                    f"The handoff from {index.name(t.source)} to {index.name(t.target)} "
                    f"has no {missing}. Name the role that sends and the role that "
                    "receives, so that the patient is never between owners.", t.key)


@rule("handoff-without-information", _CORE, "A handoff that names no information passed on",
      "nice-ng27")
def handoff_without_information(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A handoff lists the information that travels with the patient.

    Source: nice-ng27 (diagnosis, treatment and a complete medicines
    list at each transfer).
    """
    index = index_for(pathway, graph)
    for t, h in index.handoffs:
        if not h.information:
            yield found("handoff-without-information",
                        f"The handoff from {index.name(t.source)} to "
                        f"{index.name(t.target)} lists no information. Add what is passed "
                        "on, e.g. 'referral letter', 'medicines list', 'HbA1c'.", t.key)


@rule("handoff-without-channel", _CORE, "A handoff with no channel",
      "nice-ng27", severity="warning")
def handoff_without_channel(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A handoff says how the information travels (e-referral, letter, shared record).

    Source: nice-ng27 (keep patients and practitioners in contact across
    moves), §7 V02.
    """
    index = index_for(pathway, graph)
    for t, h in index.handoffs:
        if not h.channel:
            yield found("handoff-without-channel",
                        f"The handoff from {index.name(t.source)} to "
                        f"{index.name(t.target)} does not say how it is sent. Add the "
                        "channel, e.g. 'e-referral', 'shared care record', 'letter'.",
                        t.key)



@rule("step-without-setting", _CORE, "A step with no setting (lane)",
      ("jbds-seven-stages", "nice-ng27"))
def step_without_setting(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every step says where it happens (its setting, shown as a lane).

    Without a setting the handoff checks cannot tell whether the patient moves
    between organisations on either side of the step.

    Source: jbds-seven-stages (each stage has a place and named responsibilities);
    nice-ng27 (information passed at every transfer between settings).
    """
    index = index_for(pathway, graph)
    for sid, setting in index.setting_of.items():
        if setting is None:
            yield found("step-without-setting",
                        f"'{index.steps[sid].name}' has no setting, so nobody can tell where "
                        "it happens or whether the patient changes organisation before or "
                        "after it (the handoff checks cannot see through it). Place it in "
                        "one of the pathway's settings (lanes).", sid)


@rule("handoff-without-service-level", _CORE, "A handoff with no service level (within_days)",
      "nice-ng27", severity="info")
def handoff_without_service_level(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A handoff says how soon it happens (``within_days``).

    Source: nice-ng27 (keep the patient and practitioners in contact across
    moves: the receiving team needs to know when to expect the information).
    """
    index = index_for(pathway, graph)
    for t, h in index.handoffs:
        if h.within_days is None:
            yield found("handoff-without-service-level",
                        f"The handoff from {index.name(t.source)} to {index.name(t.target)} "
                        "does not say how soon it happens. Set its service level (within_days, "
                        "e.g. 2 for a discharge summary), so that a delay can be noticed.",
                        t.key)


# the structural check of decision thresholds lives in its own module
from . import core_decisions  # noqa: E402,F401
