"""Abbreviations used in perioperative pathways, and which of them a text uses.

The board specification ends with a glossary of only the abbreviations that
actually appear in the pathway, so a reader outside the specialty can follow it.
"""

from __future__ import annotations

import re
from typing import Iterable

#: Abbreviation -> meaning, in plain words.
GLOSSARY: dict[str, str] = {
    "A&E": "Accident and emergency department",
    "AIS": "Accessible Information Standard: recording and meeting people's communication needs",
    "BADS": "British Association of Day Surgery",
    "BGS": "British Geriatrics Society",
    "BMI": "Body mass index",
    "BP": "Blood pressure",
    "BRAN": ("Benefits, Risks, Alternatives and doing Nothing: questions that support "
             "shared decisions"),
    "CFS": "Clinical Frailty Scale",
    "CGA": "Comprehensive geriatric assessment",
    "CNS": "Clinical nurse specialist",
    "CPET": "Cardiopulmonary exercise testing",
    "CPOC": "Centre for Perioperative Care",
    "DSN": "Diabetes specialist nurse",
    "ERAS": "Enhanced recovery after surgery",
    "FHIR": "Fast Healthcare Interoperability Resources, a standard for exchanging health records",
    "GM": "Greater Manchester",
    "GIRFT": "Getting It Right First Time, an NHS improvement programme",
    "GP": "General practitioner",
    "Hb": "Haemoglobin",
    "HbA1c": "Glycated haemoglobin: average blood glucose over about 3 months",
    "ICS": "Integrated care system",
    "I COUGH": ("A bundle to prevent chest problems after surgery: Incentive spirometry, "
                "Coughing and deep breathing, Oral care, Understanding, Getting out of bed "
                "and Head of the bed raised"),
    "IV": "Intravenous (into a vein)",
    "JBDS": "Joint British Diabetes Societies for inpatient care",
    "MDT": "Multidisciplinary team",
    "NHS": "National Health Service",
    "NICE": "National Institute for Health and Care Excellence",
    "NSW": "New South Wales, Australia",
    "OPCS": "OPCS-4, the NHS classification of interventions and procedures",
    "OT": "Occupational therapist",
    "PIFU": "Patient-initiated follow-up",
    "POPS": "Proactive care of Older People undergoing Surgery",
    "PPC": "Postoperative pulmonary complication",
    "PROMs": "Patient-reported outcome measures",
    "RCGP": "Royal College of General Practitioners",
    "RCoA": "Royal College of Anaesthetists",
    "RCS": "Royal College of Surgeons",
    "SDM": "Shared decision making",
    "SNOMED CT": ("Systematised Nomenclature of Medicine Clinical Terms, the NHS clinical "
                  "terminology"),
    "VRIII": "Variable-rate intravenous insulin infusion",
}


def _pattern(term: str) -> re.Pattern[str]:
    # Whole-word match; "GP" must not match inside "GPAS", nor "IV" inside "IVF".
    return re.compile(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])")


_PATTERNS = {term: _pattern(term) for term in GLOSSARY}


def terms_used(texts: Iterable[str | None]) -> list[tuple[str, str]]:
    """The glossary entries whose abbreviation appears in ``texts``, sorted A-Z.

    Matching is case-sensitive and whole-word, so ordinary words ("iv" in
    "give") do not count.
    """
    joined = "\n".join(t for t in texts if t)
    found = [(term, meaning) for term, meaning in GLOSSARY.items()
             if _PATTERNS[term].search(joined)]
    return sorted(found, key=lambda item: item[0].lower())
