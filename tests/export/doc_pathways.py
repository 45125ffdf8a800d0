"""Pathways for the document export tests (specification and Surgery School).

``hostile_pathway()`` carries text that would break HTML, XML, reportlab markup or
Markdown if any writer forgot to escape it.
"""

from __future__ import annotations

from designer.graph.geometry import FIRST_COLUMN_X, FIRST_ROW_Y, LAYER_SPACING
from designer.graph.model import (
    Activity, DerivedFrom, Evidence, Handoff, Pathway, Phase, Role, Setting, SettingKind,
    Step, StepKind, Transition, Waiver,
)

SCRIPT = "<script>alert(1)</script>"
QUOTED = 'A & B "quoted"'
IMG = "<img src=x onerror=alert(2)>"


def hostile_pathway() -> Pathway:
    """A small but complete pathway (entry to exit via surgery) with hostile text."""
    settings = [Setting(id="home", name="Patient at home", kind=SettingKind.home),
                Setting(id="gp", name="GP practice", kind=SettingKind.primary),
                Setting(id="hospital", name="Hospital | main site", kind=SettingKind.secondary)]
    roles = [Role(id="patient", name="Patient"), Role(id="gp", name="General practitioner"),
             Role(id="nurse", name=f"Nurse {QUOTED}"), Role(id="surgeon", name="Surgeon")]

    def step(id_, name, kind=StepKind.task, **kw):
        return Step(id=id_, name=name, kind=kind, **kw)

    steps = [
        step("referral", "GP referral", StepKind.entry, activity=Activity.referral,
             phase=Phase.contemplation, setting="gp", owner="gp", duration_days=1,
             description="The GP refers with HbA1c and a medicines list.",
             patient_info="Your GP sends a letter to the hospital."),
        step("sdm", "Shared decision", activity=Activity.shared_decision_making,
             phase=Phase.contemplation, setting="hospital", owner="surgeon", duration_days=1,
             description="SDM using BRAN.", patient_info="You talk about your choices."),
        step("preop", SCRIPT, activity=Activity.preassessment, phase=Phase.preoperative,
             setting="hospital", owner="nurse", duration_days=1,
             description=f"Checks {IMG} and {QUOTED}.",
             patient_info=f"A nurse checks your health. {SCRIPT} {QUOTED}."),
        step("school", QUOTED, activity=Activity.education, phase=Phase.preoperative,
             setting="hospital", owner="nurse", duration_days=1,
             description="Surgery School.",
             patient_info="You go to a class about getting ready for your operation."),
        step("prehab", "Get fitter", activity=Activity.prehabilitation,
             phase=Phase.preoperative, setting="home", owner="patient", duration_days=28,
             patient_info="You get fitter at home for about 4 weeks."),
        step("surgery", "Operation", activity=Activity.surgery, phase=Phase.intraoperative,
             setting="hospital", owner="surgeon", duration_days=1,
             description="ERAS care.", patient_info="You have your operation.",
             codes={"snomed": "45595009"}),
        step("ward", "Ward recovery", activity=Activity.inpatient_recovery,
             phase=Phase.postoperative, setting="hospital", owner="nurse", duration_days=2,
             patient_info="You get out of bed soon after your operation."),
        step("discharge", "Discharge", activity=Activity.discharge, phase=Phase.recovery,
             setting="hospital", owner="nurse", duration_days=0,
             patient_info="You go home with a letter."),
        step("follow", "GP review", StepKind.exit, activity=Activity.follow_up,
             phase=Phase.recovery, setting="gp", owner="gp", duration_days=1,
             patient_info="Your GP checks how you are."),
    ]
    full = dict(information=["medicines list", "diagnosis"], channel="e-referral",
                within_days=14)
    transitions = [
        Transition(source="referral", target="sdm", wait_days=14,
                   handoff=Handoff(sender="gp", receiver="surgeon", **full)),
        Transition(source="sdm", target="preop", wait_days=7),
        Transition(source="preop", target="school", wait_days=7),
        Transition(source="school", target="prehab",
                   handoff=Handoff(sender="nurse", receiver="patient",
                                   information=[f"goals {SCRIPT}"])),   # no channel
        Transition(source="prehab", target="surgery",
                   handoff=Handoff(sender="patient", receiver="surgeon",
                                   information=["fitness"], channel="letter")),
        Transition(source="surgery", target="ward"),
        Transition(source="ward", target="discharge"),
        Transition(source="discharge", target="follow",
                   handoff=Handoff(sender="nurse", receiver="gp", **full)),
    ]
    # Positions given, so the diagram needs no auto-layout.
    steps = [s.model_copy(update={"position": (FIRST_COLUMN_X + i * LAYER_SPACING, FIRST_ROW_Y)})
             for i, s in enumerate(steps)]
    return Pathway(
        id="hostile", title=f"Test pathway {QUOTED} {SCRIPT}", version="2.0.0",
        summary=f"Summary with {IMG} and ]]> and &amp; literally.",
        population="Adults | having surgery", organisation="Example ICS",
        rule_packs=["perioperative"], derived_from=DerivedFrom(id="eras-plus", version="1.0.0"),
        evidence=[Evidence(claim="Stay 3 days shorter", source="https://example.org/a"),
                  Evidence(claim=f"Weak claim {IMG}", source="secondary source", weak=True,
                           note="Non-UK source")],
        settings=settings, roles=roles, steps=steps, transitions=transitions,
        waivers=[Waiver(rule="handoff-without-channel", target="school->prehab",
                        reason=f"Agreed at workshop {QUOTED}")],
    )


def chain_pathway(n: int) -> Pathway:
    """A long straight pathway of ``n`` steps across two lanes (for page-count tests)."""
    settings = [Setting(id="gp", name="GP practice", kind=SettingKind.primary),
                Setting(id="hospital", name="Hospital", kind=SettingKind.secondary)]
    roles = [Role(id="gp", name="General practitioner"), Role(id="team", name="Surgical team")]
    steps, transitions = [], []
    for i in range(n):
        kind = StepKind.entry if i == 0 else StepKind.exit if i == n - 1 else StepKind.task
        activity = Activity.surgery if i == n // 2 else Activity.optimisation
        phase = (Phase.preoperative if i < n // 2 else Phase.intraoperative if i == n // 2
                 else Phase.postoperative)
        lane = "gp" if i % 3 == 0 else "hospital"
        steps.append(Step(id=f"s{i}", name=f"Step number {i}", kind=kind, activity=activity,
                          phase=phase, setting=lane, owner="gp" if lane == "gp" else "team",
                          duration_days=2, description=f"What happens at step {i}. " * 3,
                          patient_info=f"You come to appointment {i}.",
                          position=(FIRST_COLUMN_X + i * LAYER_SPACING, FIRST_ROW_Y)))
        if i:
            prev = steps[i - 1]
            handoff = (Handoff(sender=prev.owner, receiver=steps[i].owner,
                               information=["letter"], channel="email")
                       if prev.setting != lane else None)
            transitions.append(Transition(source=f"s{i-1}", target=f"s{i}", wait_days=3,
                                          handoff=handoff))
    return Pathway(id=f"chain-{n}", title=f"Chain of {n}", settings=settings, roles=roles,
                   steps=steps, transitions=transitions)
