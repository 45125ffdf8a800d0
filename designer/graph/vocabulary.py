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
