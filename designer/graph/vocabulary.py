"""The pathway format's vocabularies: step kinds, phases, settings, channels, activities.

Plain enums (no pydantic, no Qt), shared by the model, the rules and the renderers.
"""

from __future__ import annotations

from enum import Enum


class StepKind(str, Enum):
    entry = "entry"
    task = "task"
    decision = "decision"
    wait = "wait"
    exit = "exit"


class Phase(str, Enum):
    contemplation = "contemplation"
    preoperative = "preoperative"
    intraoperative = "intraoperative"
    postoperative = "postoperative"
    recovery = "recovery"


PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)


class SettingKind(str, Enum):
    home = "home"
    primary = "primary"
    community = "community"
    secondary = "secondary"
    social = "social"
    voluntary = "voluntary"


class Channel(str, Enum):
    in_person = "in-person"
    phone = "phone"
    video = "video"
    digital = "digital"
    letter = "letter"


class Status(str, Enum):
    draft = "draft"
    in_review = "in-review"
    approved = "approved"
    exemplar = "exemplar"


class Activity(str, Enum):
    """The activity vocabulary (DESIGN.md section 2). Extend it; keep these."""

    referral = "referral"
    shared_decision_making = "shared-decision-making"
    risk_assessment = "risk-assessment"
    listing = "listing"
    preassessment = "preassessment"
    optimisation = "optimisation"
    prehabilitation = "prehabilitation"
    education = "education"
    admission = "admission"
    surgery = "surgery"
    inpatient_recovery = "inpatient-recovery"
    discharge = "discharge"
    follow_up = "follow-up"
    rehabilitation = "rehabilitation"
    waiting_well = "waiting-well"
    smoking_cessation = "smoking-cessation"
    glycaemic_optimisation = "glycaemic-optimisation"
    anaemia_management = "anaemia-management"
    nutrition = "nutrition"
    frailty_assessment = "frailty-assessment"
    # extensions
    diabetes_plan = "diabetes-plan"
    discharge_planning = "discharge-planning"
    cga = "comprehensive-geriatric-assessment"
    psychological_support = "psychological-support"
    medicines_reconciliation = "medicines-reconciliation"


ACTIVITY_LABELS: dict[Activity, str] = {
    Activity.referral: "Referral",
    Activity.shared_decision_making: "Shared decision making",
    Activity.risk_assessment: "Risk assessment",
    Activity.listing: "Listing for surgery",
    Activity.preassessment: "Preoperative assessment",
    Activity.optimisation: "Optimisation",
    Activity.prehabilitation: "Prehabilitation",
    Activity.education: "Surgery School / education",
    Activity.admission: "Admission",
    Activity.surgery: "Surgery",
    Activity.inpatient_recovery: "Inpatient recovery",
    Activity.discharge: "Discharge",
    Activity.follow_up: "Follow-up",
    Activity.rehabilitation: "Rehabilitation",
    Activity.waiting_well: "Waiting well",
    Activity.smoking_cessation: "Stop smoking support",
    Activity.glycaemic_optimisation: "Diabetes (glucose) optimisation",
    Activity.anaemia_management: "Anaemia management",
    Activity.nutrition: "Nutrition",
    Activity.frailty_assessment: "Frailty assessment",
    Activity.diabetes_plan: "Diabetes day-of-surgery plan",
    Activity.discharge_planning: "Discharge planning",
    Activity.cga: "Comprehensive geriatric assessment",
    Activity.psychological_support: "Psychological support",
    Activity.medicines_reconciliation: "Medicines reconciliation and plan",
}


class Milestone(str, Enum):
    """A step that starts or marks a national waiting-time clock."""

    referral = "referral"                     # starts the 18-week and 62-day clocks
    decision_to_treat = "decision-to-treat"   # starts the cancer 31-day clock


class RuleLevel(str, Enum):
    """A severity a pathway may give a rule in ``rule_config``, or ``off``."""

    error = "error"
    warning = "warning"
    info = "info"
    off = "off"


class NoteCategory(str, Enum):
    question = "question"
    risk = "risk"
    idea = "idea"
    decision = "decision"


class PriorityKind(str, Enum):
    quick_win = "quick-win"
    critical_milestone = "critical-milestone"
    project = "project"


class PriorityStatus(str, Enum):
    open = "open"
    in_progress = "in-progress"
    done = "done"
    dropped = "dropped"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.in_person: "In person",
    Channel.phone: "Phone",
    Channel.video: "Video",
    Channel.digital: "Digital (app or online)",
    Channel.letter: "Letter",
}


# ------------------------------------------------------------------- labels
# One label for each value, on screen and on paper alike.

STEP_KIND_LABELS: dict[StepKind, str] = {
    StepKind.entry: "Start of pathway",
    StepKind.task: "Task",
    StepKind.decision: "Decision",
    StepKind.wait: "Wait",
    StepKind.exit: "End of pathway",
}

PHASE_LABELS: dict[Phase, str] = {
    Phase.contemplation: "Contemplation of surgery",
    Phase.preoperative: "Before surgery (preoperative)",
    Phase.intraoperative: "Surgery (intraoperative)",
    Phase.postoperative: "After surgery (postoperative)",
    Phase.recovery: "Recovery",
}

SETTING_KIND_LABELS: dict[SettingKind, str] = {
    SettingKind.home: "Home",
    SettingKind.primary: "Primary care",
    SettingKind.community: "Community",
    SettingKind.secondary: "Hospital",
    SettingKind.social: "Social care",
    SettingKind.voluntary: "Voluntary sector",
}

STATUS_LABELS: dict[Status, str] = {
    Status.draft: "Draft",
    Status.in_review: "In review",
    Status.approved: "Approved",
    Status.exemplar: "Library exemplar",
}

# finding severities (validate's "error" / "warning" / "info")
SEVERITY_LABELS: dict[str, str] = {"error": "Error", "warning": "Warning", "info": "Information"}
SEVERITY_HEADINGS: dict[str, str] = {"error": "Errors", "warning": "Warnings",
                                     "info": "Information"}

PRIORITY_KIND_LABELS: dict[PriorityKind, str] = {
    PriorityKind.quick_win: "Quick win",
    PriorityKind.critical_milestone: "Critical milestone",
    PriorityKind.project: "Project",
}
PRIORITY_STATUS_LABELS: dict[PriorityStatus, str] = {
    PriorityStatus.open: "Open",
    PriorityStatus.in_progress: "In progress",
    PriorityStatus.done: "Done",
    PriorityStatus.dropped: "Dropped",
}
NOTE_CATEGORY_LABELS: dict[NoteCategory, str] = {
    NoteCategory.question: "Question",
    NoteCategory.risk: "Risk",
    NoteCategory.idea: "Idea",
    NoteCategory.decision: "Decision",
}
# a group of notes under one heading (the action log)
NOTE_CATEGORY_HEADINGS: dict[NoteCategory, str] = {
    NoteCategory.question: "Questions",
    NoteCategory.risk: "Risks",
    NoteCategory.idea: "Ideas",
    NoteCategory.decision: "Decisions",
}


#: one item of each pathway list in the editor's words, for refusals such as
#: "there is no lane 'x'" (the file's ``settings`` are lanes on screen)
ITEM_NOUNS: dict[str, str] = {
    "steps": "step", "transitions": "transition", "settings": "lane", "roles": "role",
    "waivers": "waiver", "notes": "note", "priorities": "priority", "votes": "vote",
    "resources": "resource", "cohorts": "cohort", "costs": "unit cost",
    "scenarios": "scenario",
}


def no_such(name: str, key: str) -> str:
    """The refusal for a missing item ``key`` of list ``name``: "there is no lane 'x'"."""
    return f"there is no {ITEM_NOUNS.get(name, name)} '{key}'"


# ------------------------------------------------------------------ wording
# One way to write numbers of things, days and money.

def number(value: float) -> str:
    """A count or measure for people: whole numbers plain, else at most two decimals.

    ``3 -> "3"``, ``2.25 -> "2.25"``, ``1.5 -> "1.5"``, ``0.999 -> "1"``.
    """
    value = float(value)
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    shown = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if shown == "-0" else shown


def plural(count: float, word: str, many: str | None = None) -> str:
    """``count`` and ``word``, plural unless it reads as exactly one ("1 step", "3 steps").

    ``many`` names an irregular plural (``plural(2, "match", "matches")``).
    """
    shown = number(count)
    return f"{shown} {word}" if shown == "1" else f"{shown} {many or word + 's'}"


def days(value: float) -> str:
    """A number of days: ``1 -> "1 day"``, ``2.25 -> "2.25 days"``, ``14 -> "14 days"``."""
    return plural(value, "day")


def money(value: float) -> str:
    """Pounds sterling: ``1234 -> "£1,234"``, ``12.5 -> "£12.50"``."""
    value = float(value)
    if abs(value - round(value)) < 1e-9:
        return f"£{round(value):,}"
    return f"£{value:,.2f}"
