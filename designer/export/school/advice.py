"""Short general advice for the "How to get ready" part of Surgery School materials.

Written in our own words from sources in the sources registry
(:mod:`designer.graph.sources`: the ERAS+ must-dos and I COUGH, the perioperative
diabetes guidance, anaemia and smoking guidance, BRAN questions for shared
decisions, the RCoA's pre-assessment clinic leaflet and the UKCPA handbook of
perioperative medicines); each topic names its registry sources in ``sources``. No clinical claim
goes beyond those facts: patients read this as their hospital's word, so advice the
project cannot source is left to the care team. Written to the NHS content style:
short sentences, plain words first, numbers as digits. Each topic is included only
when the pathway has an activity it relates to; smoking only when the pathway has
smoking care (a smoking-cessation step, or patient text about smoking); alcohol only
when a step of the pathway deals with alcohol (a screen or support that names it),
and then worded for people who drink, not for everyone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from designer.graph.model import Activity, Pathway, Phase


@dataclass(frozen=True)
class Advice:
    """One topic: a heading, a few short paragraphs and optional bullet points."""

    key: str
    heading: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...] = ()
    #: the sources-registry ids the topic is written from
    sources: tuple[str, ...] = ()


DECIDING = Advice(
    "deciding", "Deciding together",
    ("You and your surgeon decide together if an operation is right for you. These 4 "
     "questions can help:",),
    ("What are the benefits?", "What are the risks?", "What are the other choices?",
     "What if I do nothing?"),
    sources=("aomrc-choosing-wisely",),
)

ACTIVITY = Advice(
    "activity", "Get more active",
    ("Being fitter before your operation helps you get better faster.",
     "Try to be active for 30 minutes each day. Choose something that makes you a bit "
     "out of breath, like a brisk walk.",
     "Exercises that make your muscles stronger help too. Start slowly and build up."),
    sources=("erasplus-professionals",),
)

BREATHING = Advice(
    "breathing", "Breathing exercises",
    ("Breathing exercises help keep your chest clear. They lower the chance of a chest "
     "infection after your operation.",),
    ("Practise deep breaths and coughing each day.",
     "If you are given a breathing exerciser, use it as you were shown.",
     "Brush your teeth and use mouthwash twice a day.",
     "After your operation, get out of bed at least 3 times a day.",
     "Sit up in bed, with the head of the bed raised."),
    sources=("i-cough", "him-erasplus"),
)

EATING = Advice(
    "eating", "Eating well",
    ("Eating a balanced diet is part of getting ready.",
     "The team checks whether you are eating enough. If you need more help, you may see a "
     "dietitian (a food expert)."),
    sources=("erasplus-professionals", "prehab4cancer-professionals"),
)

SMOKING = Advice(
    "smoking", "Smoking",
    ("If you smoke, getting help to stop is part of getting ready.",
     "An operation is a good time to stop. People having a big operation are about twice "
     "as likely to stop smoking.",
     "Your GP or your local NHS Stop Smoking Service can help you. Support from experts "
     "works better than trying alone."),
    sources=("rcsed-smoking-2023", "quitnow-teachable-moment", "nice-smoking-elective-surgery"),
)

ALCOHOL = Advice(
    "alcohol", "Alcohol",
    ("If you drink alcohol, drinking less is one way to get ready.",
     "At your health check, you may be asked how much you drink.",
     "If you find it hard to drink less, tell the team or your GP."),
    sources=("erasplus-professionals", "rcoa-preassessment-clinic"),
)

MEDICINES = Advice(
    "medicines", "Your medicines",
    ("Bring your medicines, or a full list of them from your GP, each time you see the "
     "team.",
     "Include ones you buy yourself, and any vitamins or herbal remedies.",
     "The team will tell you if you need to stop or change any of them before your "
     "operation.",
     "Stopping some of them can be risky, so ask the team before you stop any."),
    sources=("rcoa-preassessment-clinic", "ukcpa-periop-medicines"),
)

DIABETES = Advice(
    "diabetes", "If you have diabetes",
    ("A blood test called HbA1c shows your average blood sugar over recent months. You "
     "need a result from the last 3 months.",
     "If your HbA1c is 69 mmol/mol or higher, your GP or diabetes team will help bring it "
     "down before your operation.",
     "You will get a plan for your diabetes medicines for the day of your operation. You "
     "may be first on the list.",
     "After your operation, you will look after your diabetes yourself again as soon as "
     "you can. Your GP will be told about any changes to your medicines."),
    sources=("jbds-ip-surgery", "nhs-borders-periop-diabetes", "nhs-diabetes-periop-2011"),
)

IRON = Advice(
    "iron", "Your blood and iron levels",
    ("A blood test checks if you have anaemia (a low level of red blood cells).",
     "If you need iron, tablets take 4 to 6 weeks to work. If there is not enough time, "
     "or tablets do not suit you, you may have iron through a drip instead."),
    sources=("nice-ng24-qs138", "scot-preop-anaemia"),
)

_FITNESS = {Activity.prehabilitation, Activity.rehabilitation}
_LIFESTYLE = {Activity.prehabilitation, Activity.education, Activity.smoking_cessation,
              Activity.preassessment}


def _has_surgery(pathway: Pathway) -> bool:
    return any(s.activity == Activity.surgery or s.phase == Phase.intraoperative
               for s in pathway.steps)


_SMOKING_WORDS = re.compile(r"\b(smok\w*|tobacco|cigarettes?|vap(e|ing))\b", re.IGNORECASE)


def _has_smoking_content(pathway: Pathway) -> bool:
    """The pathway has smoking care a patient meets: a smoking-cessation step, or a
    step whose patient text speaks of smoking. Otherwise the booklet leaves the
    topic, and its sources, out (a frailty pathway is not a stop-smoking one)."""
    return any(s.activity == Activity.smoking_cessation
               or _SMOKING_WORDS.search(s.patient_info or "") for s in pathway.steps)


_ALCOHOL_WORDS = re.compile(r"\balcohol\w*", re.IGNORECASE)


def _has_alcohol_content(pathway: Pathway) -> bool:
    """A step of the pathway deals with alcohol: its name, description or patient text
    names it (an alcohol screen at preassessment, support to cut down). Otherwise the
    booklet leaves the topic, and its sources, out: a pathway with no alcohol step
    gives its patients no alcohol advice."""
    return any(_ALCOHOL_WORDS.search(text or "") for s in pathway.steps
               for text in (s.name, s.patient_name, s.description, s.patient_info))


def advice_for(pathway: Pathway, overnight: bool = True) -> list[Advice]:
    """The advice topics relevant to ``pathway``'s activities, in reading order.

    ``overnight`` is False for day surgery: the chest bundle (I COUGH) and the
    fitness programme belong to major surgery with a hospital stay, unless the
    pathway has a prehabilitation or rehabilitation step of its own.
    """
    activities = {s.activity for s in pathway.steps if s.activity is not None}
    packs = set(pathway.rule_packs)
    major = overnight and _has_surgery(pathway)
    topics: list[Advice] = []
    if Activity.shared_decision_making in activities:
        topics.append(DECIDING)
    if activities & _FITNESS or (major and Activity.education in activities):
        topics.append(ACTIVITY)
    if major and activities & (_FITNESS | {Activity.education}):
        topics.append(BREATHING)
    if (activities & (_FITNESS | {Activity.nutrition})
            or (major and Activity.education in activities)):
        topics.append(EATING)
    if activities & _LIFESTYLE and _has_smoking_content(pathway):
        topics.append(SMOKING)
    if _has_alcohol_content(pathway):
        topics.append(ALCOHOL)
    if activities & {Activity.preassessment, Activity.diabetes_plan, Activity.optimisation,
                     Activity.anaemia_management}:
        topics.append(MEDICINES)
    if (activities & {Activity.glycaemic_optimisation, Activity.diabetes_plan}
            or "diabetes" in packs):
        topics.append(DIABETES)
    if Activity.anaemia_management in activities:
        topics.append(IRON)
    return topics
