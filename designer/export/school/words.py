"""Short words a patient meets in a Surgery School booklet, explained in plain English.

Step names come from the care team ("Diagnosis and cancer MDT", "CGA one-stop
clinic"). NHS content style puts the plain term first; where a booklet still
uses an abbreviation, a "Words you may hear" list explains it. Only the
abbreviations the booklet actually uses are listed. The meanings say what a
word names, never a clinical claim.
"""

from __future__ import annotations

import re
from typing import Iterable

#: Abbreviation -> (what it stands for, or "" when that does not help; what it means).
PATIENT_WORDS: dict[str, tuple[str, str]] = {
    "CGA": ("comprehensive geriatric assessment",
            "a full check of your health and needs by a team that looks after older people"),
    "CNS": ("clinical nurse specialist", "a nurse who is an expert in your condition"),
    "DSN": ("diabetes specialist nurse", "a nurse who is an expert in diabetes"),
    "ERAS": ("enhanced recovery after surgery", "ways of working that help you recover"),
    "GP": ("general practitioner", "your family doctor"),
    "Hb": ("haemoglobin", "a blood test that shows if you have anaemia"),
    "HbA1c": ("", "a blood test that shows your average blood sugar over about 3 months"),
    "IV": ("intravenous", "into a vein, through a drip"),
    "MDT": ("multidisciplinary team", "a team of specialists who meet to plan your care"),
    "NHS": ("", "the National Health Service"),
    "OG": ("oesophago-gastric", "your food pipe (oesophagus) and stomach"),
    "PIFU": ("patient-initiated follow-up", "you contact the team yourself when you need "
             "to, instead of having set appointments"),
    "POPS": ("", "the team that looks after older people having surgery"),
}

_PATTERNS = {term: re.compile(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9])")
             for term in PATIENT_WORDS}


def words_used(texts: Iterable[str]) -> list[str]:
    """'TERM (stands for): meaning' for each abbreviation found in ``texts``, A to Z."""
    joined = "\n".join(t for t in texts if t)
    return [f"{term} ({expansion}): {meaning}" if expansion else f"{term}: {meaning}"
            for term, (expansion, meaning) in
            sorted(PATIENT_WORDS.items(), key=lambda item: item[0].lower())
            if _PATTERNS[term].search(joined)]
