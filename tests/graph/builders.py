"""Small helpers to build pathways in tests.

>>> p = pathway([step("ref", "entry", setting="gp", owner="gp"),
...              step("done", "exit")],
...             [link("ref", "done")])

``pathway`` fills a complete handoff on every transition that crosses settings
and has none (pass ``full_handoffs=False`` to keep them missing), so a test
pathway is clean unless the test breaks it on purpose.
"""

from __future__ import annotations

from typing import Any

from designer.graph.model import Pathway

SETTINGS = [
    {"id": "home", "name": "Patient at home", "kind": "home"},
    {"id": "gp", "name": "GP practice", "kind": "primary"},
    {"id": "hub", "name": "Community hub", "kind": "community"},
    {"id": "hospital", "name": "Hospital", "kind": "secondary"},
]

ROLES = [
    {"id": "patient", "name": "Patient"},
    {"id": "gp", "name": "General practitioner"},
    {"id": "practice-nurse", "name": "Practice nurse"},
    {"id": "surgeon", "name": "Surgeon"},
    {"id": "pac-nurse", "name": "Preassessment nurse"},
    {"id": "anaesthetist", "name": "Anaesthetist"},
    {"id": "dsn", "name": "Diabetes specialist nurse"},
    {"id": "ward-nurse", "name": "Day-unit nurse"},
    {"id": "physio", "name": "Physiotherapist"},
    {"id": "discharge-coordinator", "name": "Discharge coordinator"},
]

FULL_HANDOFF = {
    "sender": "gp",
    "receiver": "surgeon",
    "information": ["letter", "medicines list", "diagnosis", "communication needs"],
    "channel": "e-referral",
    "within_days": 14,
}


def step(id: str, kind: str = "task", *, setting: str = "hospital", owner: str | None = "surgeon",
         name: str | None = None, **fields: Any) -> dict:
    """A step as a dict; ``name`` defaults to a readable form of the id."""
    data = {"id": id, "name": name or id.replace("-", " ").capitalize(), "kind": kind,
            "setting": setting, "owner": owner}
    data.update(fields)
    return data


def link(source: str, target: str, **fields: Any) -> dict:
    """A transition as a dict (``handoff`` may be a dict, or None to force none)."""
    return {"from": source, "to": target, **fields}


def pathway(steps: list[dict], transitions: list[dict], *, full_handoffs: bool = True,
            settings: list[dict] | None = None, roles: list[dict] | None = None,
            **header: Any) -> Pathway:
    """A validated :class:`Pathway` from step and transition dicts."""
    settings = SETTINGS if settings is None else settings
    by_id = {s["id"]: s for s in steps}
    out = []
    for t in transitions:
        t = dict(t)
        a, b = by_id.get(t["from"]), by_id.get(t["to"])
        if (full_handoffs and "handoff" not in t and a and b
                and a.get("setting") != b.get("setting")):
            t["handoff"] = dict(FULL_HANDOFF)
        out.append(t)
    data = {"id": header.pop("id", "test-pathway"), "title": header.pop("title", "Test pathway"),
            "settings": settings, "roles": ROLES if roles is None else roles,
            "steps": steps, "transitions": out, **header}
    return Pathway.model_validate(data)


def chain(*ids: str, **fields: Any) -> list[dict]:
    """Transitions joining ``ids`` in order."""
    return [link(a, b, **fields) for a, b in zip(ids, ids[1:])]


def minimal() -> Pathway:
    """Entry -> task -> exit in the hospital: clean under the core pack."""
    return pathway([step("start", "entry"), step("clinic"), step("end", "exit")],
                   chain("start", "clinic", "end"))


def surgical(**header: Any) -> Pathway:
    """A short, complete surgical pathway: clean under core and perioperative.

    Referral (GP) -> SDM -> decision (surgery | not having surgery: exit to GP)
    -> listing -> preassessment -> decision (fit / optimise)
    -> optimisation loop back to preassessment | education -> prehab -> surgery
    -> ward -> discharge -> GP review (exit).

    It also meets the second wave of rules: communication needs on every handoff,
    smoking asked and a stop-smoking route, a written medicines plan, discharge
    planned at preassessment, enhanced recovery before, during and after, a VTE
    assessment, a discharge coordinator and a safety net (named contact, GP review
    straight after discharge).
    """
    steps = [
        step("referral", "entry", setting="gp", owner="gp", activity="referral",
             phase="contemplation", name="Referral for surgery"),
        step("sdm", activity="shared-decision-making", phase="contemplation",
             name="Shared decision clinic"),
        step("decide", "decision", phase="contemplation", name="Decision about surgery"),
        step("no-surgery", "exit", setting="gp", owner="gp", activity="follow-up",
             phase="contemplation", name="Not having surgery"),
        step("listing", activity="listing", phase="preoperative", name="Listing",
             description="Listed; the patient is given a named point of contact."),
        step("pac", activity="preassessment", phase="preoperative", owner="pac-nurse",
             name="Preassessment",
             description="Asks about smoking; medicines reconciliation with a written "
                         "medicines plan for anticoagulants and antiplatelets; discharge "
                         "planning starts."),
        step("fit", "decision", phase="preoperative", owner="pac-nurse",
             name="Fit for surgery?"),
        step("optimise", setting="gp", owner="gp", activity="optimisation",
             phase="preoperative", name="GP optimisation", duration_days=28,
             description="Refers smokers to the stop smoking service."),
        step("school", activity="education", phase="preoperative", name="Surgery School"),
        step("prehab", setting="hub", owner="physio", activity="prehabilitation",
             phase="preoperative", name="Prehabilitation", duration_days=28),
        step("surgery", activity="surgery", phase="intraoperative", name="Operation",
             description="Enhanced recovery protocol; VTE risk assessed on admission.",
             surgery={"major": True, "day_case": False, "major_blood_loss": False}),
        step("ward", activity="inpatient-recovery", phase="postoperative",
             owner="ward-nurse", name="Ward recovery", duration_days=2,
             description="Early mobilisation and eating."),
        step("discharge", activity="discharge", phase="postoperative",
             owner="discharge-coordinator", name="Discharge",
             description="The patient is given a named surgical contact and phone number."),
        step("review", "exit", setting="gp", owner="practice-nurse", activity="follow-up",
             phase="recovery", name="GP review"),
    ]
    transitions = [
        link("referral", "sdm"), link("sdm", "decide"),
        link("decide", "listing", condition="chooses surgery"),
        link("decide", "no-surgery", condition="chooses not to have surgery"),
        link("listing", "pac"),
        link("pac", "fit"),
        link("fit", "school", condition="fit for surgery"),
        link("fit", "optimise", condition="needs optimisation"),
        link("optimise", "pac"),
        link("school", "prehab"), link("prehab", "surgery"),
        link("surgery", "ward"), link("ward", "discharge"), link("discharge", "review"),
    ]
    header.setdefault("rule_packs", ["perioperative"])
    header.setdefault("older_people", False)
    header.setdefault("cancer_pathway", False)
    return pathway(steps, transitions, **header)


def findings(p: Pathway, rule_id: str, packs: list[str] | None = None) -> list:
    """Active findings of one rule after validating ``p`` (waivers applied)."""
    from designer.graph.validate import validate

    return [f for f in validate(p, packs=packs).findings if f.rule == rule_id]


def targets(p: Pathway, rule_id: str, packs: list[str] | None = None) -> list[tuple[str, ...]]:
    """The targets of each active finding of one rule."""
    return [f.targets for f in findings(p, rule_id, packs)]
