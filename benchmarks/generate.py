"""Synthetic pathways for benchmarks: realistic shape, any size.

``make_pathway(n)`` builds an entry, blocks of ten steps spread over several lanes
(each block with a decision whose "not ready" branch goes to an optimisation step
that loops back to an earlier assessment), full handoffs on every transition that
crosses lanes, owners, phases in order, one surgery step, a discharge with
follow-up in primary care, and an exit.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from designer.graph.model import (  # noqa: E402
    Activity, Handoff, Pathway, Phase, Role, Setting, SettingKind, Step, StepKind, Transition,
)

_LANES = [("home", "Patient at home", SettingKind.home),
          ("gp", "GP practice", SettingKind.primary),
          ("hub", "Community hub", SettingKind.community),
          ("hospital", "Hospital", SettingKind.secondary),
          ("social", "Social care", SettingKind.social),
          ("voluntary", "Voluntary sector", SettingKind.voluntary)]
_ROLES = [("patient", "Patient"), ("gp", "General practitioner"),
          ("coordinator", "Perioperative care coordinator"),
          ("pac-nurse", "Preassessment nurse"), ("surgeon", "Consultant surgeon"),
          ("anaesthetist", "Consultant anaesthetist"), ("social-worker", "Social worker"),
          ("volunteer", "Volunteer")]
_LANE_OWNER = {"home": "patient", "gp": "gp", "hub": "coordinator", "hospital": "pac-nurse",
               "social": "social-worker", "voluntary": "volunteer"}
_FILLER = [Activity.education, Activity.prehabilitation, Activity.nutrition,
           Activity.waiting_well, Activity.risk_assessment, Activity.smoking_cessation,
           Activity.anaemia_management, Activity.frailty_assessment]


def _phase(fraction: float) -> Phase:
    if fraction < 0.2:
        return Phase.contemplation
    if fraction < 0.55:
        return Phase.preoperative
    if fraction < 0.62:
        return Phase.intraoperative
    if fraction < 0.85:
        return Phase.postoperative
    return Phase.recovery


def make_pathway(n_steps: int, lanes: int = 6, seed: int = 0) -> Pathway:
    """A valid, realistic-looking pathway with ``n_steps`` steps (at least 12)."""
    rng = random.Random(seed)
    n_steps = max(12, n_steps)
    lane_ids = [lane[0] for lane in _LANES[:max(2, min(lanes, len(_LANES)))]]
    settings = [Setting(id=i, name=n, kind=k) for i, n, k in _LANES if i in lane_ids]
    roles = [Role(id=i, name=n) for i, n in _ROLES]
    surgery_at = int(n_steps * 0.58)
    steps: list[Step] = []
    for i in range(n_steps):
        fraction = i / n_steps
        lane = lane_ids[(i // 3) % len(lane_ids)]
        kind, activity, name = StepKind.task, _FILLER[i % len(_FILLER)], None
        block_pos = i % 10
        if i == 0:
            kind, activity, name, lane = StepKind.entry, Activity.referral, "Referral", "gp"
        elif i == n_steps - 1:
            kind, activity, name, lane = StepKind.exit, Activity.follow_up, "Follow-up", "gp"
        elif i == 1:
            activity, name = Activity.shared_decision_making, "Shared decision making"
        elif i == 2:
            activity, name = Activity.listing, "Listing"
        elif i == surgery_at:
            activity, name, lane = Activity.surgery, "Surgery", "hospital"
        elif i == int(n_steps * 0.8):
            activity, name, lane = Activity.discharge, "Discharge", "hospital"
        elif block_pos == 3:
            activity, name = Activity.preassessment, f"Preassessment {i}"
        elif block_pos == 5 and i + 3 < n_steps - 1:
            kind, activity, name = StepKind.decision, None, f"Ready for surgery? {i}"
        elif block_pos == 7:
            activity, name, lane = Activity.optimisation, f"Optimisation {i}", "gp"
        elif block_pos == 9 and rng.random() < 0.3:
            kind, activity, name = StepKind.wait, Activity.waiting_well, f"Wait {i}"
        if lane not in lane_ids:
            lane = lane_ids[0]
        steps.append(Step(
            id=f"s{i}", name=name or f"{activity.value.replace('-', ' ').capitalize()} {i}",
            kind=kind, activity=activity, phase=_phase(fraction), setting=lane,
            owner=_LANE_OWNER[lane], duration_days=float(rng.choice([0, 1, 1, 2, 7, 14])),
            description=f"Synthetic step {i} for benchmarks.",
            patient_info="You will be told what happens next.",
            position=(260.0 + i * 210.0, 70.0 + (i % 2) * 96.0)))
    by_id = {s.id: s for s in steps}

    def link(a: int, b: int, condition: str | None = None) -> Transition:
        sa, sb = by_id[f"s{a}"], by_id[f"s{b}"]
        handoff = None
        if sa.setting != sb.setting:
            handoff = Handoff(sender=sa.owner, receiver=sb.owner,
                              information=["referral letter", "medicines list", "diagnosis",
                                           "HbA1c", "blood pressure", "weight",
                                           "complications", "communication needs"],
                              channel="e-referral", within_days=14)
        return Transition(source=sa.id, target=sb.id, condition=condition,
                          wait_days=float(rng.choice([0, 1, 7])), handoff=handoff)

    transitions: list[Transition] = []
    i = 0
    while i < n_steps - 1:
        step = steps[i]
        if step.kind is StepKind.decision:
            transitions.append(link(i, i + 1, "HbA1c below 69 mmol/mol"))
            transitions.append(link(i, i + 2, "HbA1c 69 mmol/mol or above"))
            # the optimisation step (i+2) loops back to the assessment before the decision
            transitions.append(link(i + 2, max(0, i - 2)))
            transitions.append(link(i + 1, i + 3))
            i += 3
            continue
        transitions.append(link(i, i + 1))
        i += 1
    return Pathway(id=f"synthetic-{n_steps}", title=f"Synthetic pathway ({n_steps} steps)",
                   summary="Generated for benchmarks.", rule_packs=["perioperative", "diabetes"],
                   settings=settings, roles=roles, steps=steps, transitions=transitions)


if __name__ == "__main__":
    from designer.graph.io import dump_pathway

    print(dump_pathway(make_pathway(int(sys.argv[1]) if len(sys.argv) > 1 else 100)))
