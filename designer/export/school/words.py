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
    "CPET": ("cardiopulmonary exercise test", "a fitness test on an exercise bike"),
    "CPOC": ("Centre for Perioperative Care", "a national group that writes guidance on "
             "care around an operation"),
    "DSN": ("diabetes specialist nurse", "a nurse who is an expert in diabetes"),
    "ERAS": ("enhanced recovery after surgery", "ways of working that help you recover"),
    "ERAS+": ("enhanced recovery after surgery", "ways of working that help you recover"),
    "GI": ("gastrointestinal", "your stomach and bowel"),
    "GP": ("general practitioner", "your family doctor"),
    "Hb": ("haemoglobin", "a blood test that shows if you have anaemia"),
    "HbA1c": ("", "a blood test that shows your average blood sugar over recent months"),
    "IV": ("intravenous", "into a vein, through a drip"),
    "JBDS": ("Joint British Diabetes Societies", "national diabetes groups that write "
             "guidance on diabetes care in hospital"),
    "MDT": ("multidisciplinary team", "a team of specialists who meet to plan your care"),
    "NHS": ("", "the National Health Service"),
    "OG": ("oesophago-gastric", "your food pipe (oesophagus) and stomach"),
    "PIFU": ("patient-initiated follow-up", "you contact the team yourself when you need "
             "to, instead of having set appointments"),
    "POPS": ("", "the team that looks after older people having surgery"),
    "PREPARE": ("", "the name of the hospital's programme to get you ready for your "
                "operation"),
}

#: How a short form is explained in the text the first time: a few plain words.
FIRST_USE: dict[str, str] = {
    "CGA": "a full check of your health by the older people's team",
    "CNS": "a nurse who is an expert in your condition",
    "CPET": "a fitness test on an exercise bike",
    "DSN": "diabetes nurse",
    "ERAS": "enhanced recovery, which helps you get better sooner",
    "ERAS+": "enhanced recovery, which helps you get better sooner",
    "GI": "stomach and bowel",
    "GP": "your family doctor",
    "Hb": "a blood test for anaemia",
    "HbA1c": "a blood test of your blood sugar",
    "IV": "through a drip",
    "MDT": "a team of experts who plan your care",
    "NHS": "National Health Service",
    "OG": "food pipe and stomach",
    "PIFU": "you call the team when you need to",
    "POPS": "the older people's team",
    "PREPARE": "a programme to get you ready",
}

_PATTERNS = {term: re.compile(r"(?<![A-Za-z0-9])" + re.escape(term) + r"(?![A-Za-z0-9+])")
             for term in PATIENT_WORDS}
#: A bracket holding only short forms, as in a title: "(CPOC/JBDS)", "(POPS / CGA)".
_SHORT_FORMS_IN_BRACKETS = re.compile(r"\s*\((?:\s*[A-Z][A-Z0-9+]+\s*[/,&]?)+\)")


def patient_title(title: str) -> str:
    """A pathway title for a patient's cover: brackets of guideline short forms dropped
    ("Diabetes preoperative clinic (CPOC/JBDS)" -> "Diabetes preoperative clinic")."""
    return _SHORT_FORMS_IN_BRACKETS.sub("", title).strip() or title


def _explained(text: str, start: int, end: int) -> bool:
    """The short form at ``text[start:end]`` is explained where it stands: in brackets
    after its meaning ("blood test (HbA1c)") or followed by one ("IV (through a drip)")."""
    return text[:start].rstrip().endswith("(") or text[end:].lstrip().startswith("(")


def explain_short_forms(booklet) -> None:
    """Explain each short form the first time a patient reads it, in reading order.

    The cover's subtitle comes first, then every section in turn (headings, times,
    text, lists); the list of sources is left as cited. The first use gets its
    plain meaning in brackets, unless it already has one.
    """
    done: set[str] = set()

    def explain(text: str) -> str:
        if not text:
            return text
        for term in sorted(FIRST_USE, key=len, reverse=True):
            if term in done or term not in text:     # the pattern needs the term itself
                continue
            match = _PATTERNS[term].search(text)
            if match is None:
                continue
            done.update({term, term.rstrip("+"), term + "+"})
            if _explained(text, match.start(), match.end()):
                continue
            text = f"{text[:match.end()]} ({FIRST_USE[term]}){text[match.end():]}"
        return text

    booklet.subtitle = explain(booklet.subtitle)
    for section in booklet.sections:
        if section.key in ("sources", "words"):
            continue
        section.title = explain(section.title)
        for block in section.blocks:
            block.heading = explain(block.heading)
            block.when = explain(block.when)
            block.paragraphs = [explain(p) for p in block.paragraphs]
            block.bullets = [explain(b) for b in block.bullets]
            block.labels = [explain(b) for b in block.labels]


def words_used(texts: Iterable[str]) -> list[str]:
    """'TERM (stands for): meaning' for each abbreviation found in ``texts``, A to Z."""
    joined = "\n".join(t for t in texts if t)
    return [f"{term} ({expansion}): {meaning}" if expansion else f"{term}: {meaning}"
            for term, (expansion, meaning) in
            sorted(PATIENT_WORDS.items(), key=lambda item: item[0].lower())
            if term in joined and _PATTERNS[term].search(joined)]   # a quick look first
