"""The clinical phrases the rules recognise in free text, in one place.

Handoff information and step descriptions are written by clinicians, so some
checks read words. Each pattern asks for a phrase that means the thing, not a
word that merely appears near it: "medicines list" but not "drug allergies",
"diagnosis" but not "procedure code", "point of contact" but not "contact
lenses". Where a fact cannot be read reliably from words, the format has an
explicit field instead (see ``SurgeryFacts``, ``milestone``, ``cancer_pathway``).

Clinical plans (VTE, medicines, smoking, HbA1c, SGLT2, discharge planning) are read
from a step's name and description (:func:`steps_saying`, for professionals); what
the patient is told (a named contact, a helpline) is read from the patient
information too (:func:`step_says`).
"""

from __future__ import annotations

import re
from typing import Iterable


class _Phrases:
    """A case-blind pattern compiled the first time a rule uses it: a check of one
    pathway uses about a third of them, and start-up need compile none."""

    __slots__ = ("pattern", "_compiled")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self._compiled: re.Pattern[str] | None = None

    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, re.IGNORECASE)
        return self._compiled

    def search(self, text: str, *args) -> re.Match[str] | None:
        return self.compiled().search(text, *args)

    def __getattr__(self, name: str):  # match, finditer, findall, sub ... as on a pattern
        return getattr(self.compiled(), name)


def _rx(*alternatives: str) -> _Phrases:
    return _Phrases("|".join(f"(?:{a})" for a in alternatives))


#: a complete list of medicines (NICE NG27), not any mention of a drug
MEDICINES_LIST = _rx(
    r"\b(medicines?|medications?|drugs?)\s+(list|reconciliation|record|chart)s?\b",
    r"\blist\s+of\s+(all\s+)?(current\s+)?(medicines|medications|drugs)\b",
    r"\b(complete|current|full|all)\s+(current\s+)?(medicines|medications)\b",
    r"\breconciled\s+(medicines|medications)\b",
    r"\b(TTOs?|TTAs?)\b", r"\bdischarge\s+(medicines|medications|prescription)\b",
    r"\bmedicines\s+to\s+take\s+(out|home|away)\b")

#: the diagnosis named as such
DIAGNOSIS = _rx(r"\bdiagnos(is|es)\b")

#: a discharge summary or letter to the GP
SUMMARY = _rx(r"\bdischarge\s+(summary|letter)\b", r"\bsummary\b", r"\bclinic\s+letter\b")

#: a named point of contact (NICE NG180 1.1.1), not the word "contact" alone
NAMED_CONTACT = _rx(
    r"\b(named|single)\s+(point\s+of\s+)?contact\b", r"\bpoint\s+of\s+contact\b",
    r"\bkey\s*worker\b", r"\b(perioperative\s+)?care\s+co-?ordinator\b",
    r"\bperioperative\s+co-?ordinator\b", r"\bnamed\s+(nurse|surgical\s+contact)\b",
    r"\bwho\s+to\s+(call|ring|contact)\b", r"\bhow\s+to\s+contact\b",
    r"\b(contact|phone|telephone)\s+(number|details)\b")

#: a way for the patient to get help after discharge
HELPLINE = _rx(r"\bhelp\s*line\b", r"\badvice\s+line\b", r"\bwho\s+to\s+(call|ring|contact)\b",
               r"\bhow\s+to\s+contact\b", r"\b(contact|phone|telephone)\s+(number|details)\b",
               r"\bnamed\s+(surgical\s+)?contact\b", r"\bpoint\s+of\s+contact\b",
               r"\b24[- ]hour\s+(number|line|contact)\b")

#: patient-initiated follow-up
PIFU = _rx(r"\bpatient[- ]initiated\s+follow[- ]?up\b", r"\bPIFU\b")

#: communication needs under the Accessible Information Standard
COMMUNICATION_NEEDS = _rx(r"\bcommunication\s+(and\s+information\s+)?needs?\b",
                          r"\baccessible\s+information\b", r"\binformation\s+needs\b")

#: a channel that reaches people without a smartphone or the internet
NON_DIGITAL_CHANNEL = _rx(r"\bletters?\b", r"\bpost(al)?\b", r"\bphone\b", r"\btelephone\b",
                          r"\bin[- ]person\b", r"\bface[- ]to[- ]face\b", r"\bcall\b",
                          r"\bprinted\b", r"\bpaper\b", r"\bleaflet\b")

#: a channel that needs a smartphone, an app or the internet
DIGITAL_CHANNEL = _rx(r"\bapp\b", r"\bonline\b", r"\bdigital\b", r"\bportal\b", r"\be-?mail\b",
                      r"\bweb(site)?\b", r"\bnotification\b", r"\btext\s+message\b", r"\bSMS\b",
                      r"\bpatient\s+knows\s+best\b")

#: a patient choosing the digital route at a decision ("prefers the app")
CHOSE_DIGITAL = _rx(r"\b(choos(es|e)|chose|prefers?|opts?\s+for|wants?|selects?)\b.*"
                    r"\b(app|online|digital|video|portal|web)\b")

#: venous thromboembolism assessment or prophylaxis (NICE NG89)
VTE = _rx(r"\bVTE\b", r"\bvenous\s+thrombo", r"\bthromboprophylaxis\b", r"\bblood\s+clots?\b",
          r"\bDVT\b", r"\blow[- ]molecular[- ]weight\s+heparin\b", r"\bLMWH\b")

#: enhanced recovery named as such
ENHANCED_RECOVERY = _rx(r"\benhanced\s+recovery\b", r"\bERAS\+?", r"\bstepped\s+recovery\b")

#: haemoglobin and iron checks
HB_CHECK = _rx(r"\bhaemoglobin\b", r"\bhemoglobin\b", r"\bHb\b", r"\banaemi", r"\bferritin\b",
               r"\biron\s+studies\b")

#: smoking status asked
SMOKING_ASKED = _rx(r"\bsmok(ing|er|es|e)\b", r"\btobacco\b", r"\bvap(e|ing)\b")

#: referral to stop-smoking support
STOP_SMOKING_REFERRAL = _rx(r"\bstop\s+smoking\s+(service|support|referral|clinic|advisers?)\b",
                            r"\bsmoking\s+cessation\b", r"\bvery\s+brief\s+advice\b")

#: a written medicines plan around surgery for the high-risk groups
MEDICINES_PLAN = _rx(r"\bmedicines?\s+(plan|reconciliation)\b", r"\bmedications?\s+plan\b",
                     r"\bwritten\s+plan\b.*\bmedicines\b")
HIGH_RISK_MEDICINES = _rx(r"\banticoagula", r"\bantiplatelet", r"\bblood\s+thinn",
                          r"\bwarfarin\b", r"\bDOACs?\b", r"\bclopidogrel\b")

#: a discharge plan made before admission
DISCHARGE_PLAN = _rx(r"\bdischarge\s+(planning|plan|needs)\b", r"\bplan(s|ning)?\s+(for\s+)?"
                     r"(going\s+)?home\b", r"\bhome\s+(needs|planning)\b")

#: an HbA1c measurement
HBA1C = _rx(r"\bHb\s*A1c\b", r"\bA1c\b", r"\bglycated\b")

#: SGLT2 inhibitors, and their plan
SGLT2 = _rx(r"\bSGLT-?2\b", r"gliflozin\b")
SGLT2_RESTART = _rx(r"\brestart", r"\bsick[- ]day\s+rules?\b", r"\bstart\s+again\b",
                    r"\bresume")

#: roles that receive for the GP practice
GP_ROLE = _rx(r"^gp$", r"\bGP\b", r"\bgeneral\s+practi", r"\bpractice\s+(nurse|team)\b",
              r"\bprimary\s+care\b")

#: a role that coordinates discharge (NICE NG27)
DISCHARGE_COORDINATOR = _rx(r"\bdischarge\s+co-?ordinator\b", r"\bdischarge\s+lead\b",
                            r"\btransfer\s+of\s+care\s+co-?ordinator\b")


#: a branch for people without diabetes (mixed pathways): the diabetes checks
#: before surgery do not follow it
NO_DIABETES = _rx(r"\b(no|not|without|non)[- ](known\s+)?diabet")


def without_diabetes(index) -> set[tuple[str, str]]:
    """Branches whose condition says the patient does not have diabetes (kept per index)."""
    found = index.__dict__.get("_without_diabetes")
    if found is None:
        found = index.__dict__["_without_diabetes"] = {
            (t.source, t.target) for t in index.pathway.transitions
            if t.condition and "iabet" in t.condition and NO_DIABETES.search(t.condition)}
    return found


def says(pattern: re.Pattern[str], *texts: str | None) -> bool:
    """True when any of ``texts`` matches ``pattern``."""
    return any(text and pattern.search(text) for text in texts)


def any_says(pattern: re.Pattern[str], items: Iterable[str | None]) -> bool:
    return any(item and pattern.search(item) for item in items)



def step_says(step, pattern: re.Pattern[str]) -> bool:
    """The step's name, description or patient information matches ``pattern``."""
    return says(pattern, step.name, step.description, step.patient_info)


def steps_saying(index, pattern: re.Pattern[str]) -> list[str]:
    """Step ids whose name, description or patient information matches ``pattern``."""
    return index.saying(pattern, HINTS.get(pattern))


def steps_saying_both(index, pattern: re.Pattern[str], also: re.Pattern[str]) -> list[str]:
    """Step ids whose texts match ``pattern`` and ``also`` (e.g. a plan for a medicine)."""
    texts = index.texts
    return [sid for sid in steps_saying(index, pattern) if also.search(texts[sid])]


#: lower-case fragments one of which any match of the pattern contains: a cheap
#: screen before the regular expression (the rules read every step of large pathways)
HINTS: dict[re.Pattern[str], tuple[str, ...]] = {
    VTE: ("vte", "thrombo", "clot", "dvt", "heparin", "lmwh"),
    MEDICINES_PLAN: ("medicine", "medication"),
    HIGH_RISK_MEDICINES: ("anticoag", "antiplatelet", "thinn", "warfarin", "doac", "clopidogrel"),
    DISCHARGE_PLAN: ("discharge", "home"),
    HB_CHECK: ("haemoglobin", "hemoglobin", "hb", "anaemi", "ferritin", "iron"),
    SMOKING_ASKED: ("smok", "tobacco", "vap"),   # "smok" covers "smoking"
    STOP_SMOKING_REFERRAL: ("smok", "brief advice"),
    HBA1C: ("a1c", "glycated"),
    SGLT2: ("sglt", "gliflozin"),
    SGLT2_RESTART: ("restart", "sick", "start again", "resum"),
    ENHANCED_RECOVERY: ("enhanced", "eras", "stepped"),
    PIFU: ("initiated", "pifu"),
    NAMED_CONTACT: ("contact", "worker", "ordinator", "named", "call", "ring", "number",
                    "details"),
    DISCHARGE_COORDINATOR: ("discharge", "transfer"),
}
