"""Surgery School booklets read as correct English and cite only what they show.

Two defects a patient saw (issue 14): a sentence built from a step's name
("If you need treating health problems, your operation may be later") and a
frailty booklet listing stop-smoking sources without any smoking advice. The
truths here come from the pathway files themselves (read as plain YAML) and from
a hand-kept list of which registry sources are about smoking.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from designer.export.school.advice import ALCOHOL, DECIDING, DIABETES, EATING, IRON, \
    MEDICINES, SMOKING, ACTIVITY, BREATHING
from designer.export.school.content import build_booklet
from designer.graph.io import load_pathway
from designer.graph.sources import SOURCES, cite_short

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))

#: Nouns ending in -ing that may follow "need" ("if you need anything").
_ING_NOUNS = {"anything", "something", "nothing", "everything", "clothing", "bedding",
              "dressing", "dressings", "stockings", "hearing", "nursing", "morning",
              "evening", "feeling", "swelling", "training", "planning", "counselling"}
_NEED_ING = re.compile(r"\bneeds?\s+(?:some\s+|more\s+|any\s+)?([a-z]+ing)\b", re.IGNORECASE)

#: Registry sources that are about smoking (kept by hand: the independent truth).
SMOKING_SOURCES = {"rcsed-smoking-2023", "quitnow-teachable-moment",
                   "nice-smoking-elective-surgery"}
#: Sources that only belong to a booklet whose pathway has one of these activities.
NEEDS_ACTIVITY = {
    "jbds-ip-surgery": {"glycaemic-optimisation", "diabetes-plan"},
    "nhs-borders-periop-diabetes": {"glycaemic-optimisation", "diabetes-plan"},
    "nhs-diabetes-periop-2011": {"glycaemic-optimisation", "diabetes-plan"},
    "nice-ng24-qs138": {"anaemia-management"},
    "scot-preop-anaemia": {"anaemia-management"},
}
ALL_TOPICS = (DECIDING, ACTIVITY, BREATHING, EATING, SMOKING, ALCOHOL, MEDICINES,
              DIABETES, IRON)


def bad_need(text: str) -> list[str]:
    """'need <gerund>' phrases ("need treating health problems"): not English as a
    booklet sentence, since a step name slotted after "need" must be a noun."""
    return [m.group(0) for m in _NEED_ING.finditer(text)
            if m.group(1).lower() not in _ING_NOUNS]


def _texts(booklet) -> list[str]:
    out = [booklet.title, booklet.subtitle]
    for section in booklet.sections:
        out.append(section.title)
        for block in section.blocks:
            out += [block.heading, block.when] + block.paragraphs + block.bullets
            out += block.labels
    return [t for t in out if t]


def test_the_checker_catches_the_sentence_a_patient_saw():
    assert bad_need("If you need treating health problems, your operation may be later.") \
        == ["need treating"]
    assert bad_need("Your operation may be later if you need: treating health problems.") \
        == []
    assert bad_need("If you need help from your GP, tell us. Ask if you need anything.") == []


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_no_step_name_makes_bad_english(path):
    """Every exemplar as shipped, then with every step's patient name a gerund phrase
    (the form that broke the old template): no "need <gerund>" anywhere."""
    pathway = load_pathway(path, use_cache=False)
    assert bad_need("\n".join(_texts(build_booklet(pathway)))) == []
    for step in pathway.steps:
        pathway.update_step(step.id, patient_name="Treating health problems")
    texts = _texts(build_booklet(pathway))
    assert bad_need("\n".join(texts)) == []
    # Loop sentences (the template that took a name after "need") still name the step.
    intro = next((s for s in build_booklet(pathway).sections if s.key == "when"), None)
    if intro is not None:
        for sentence in intro.blocks[0].paragraphs[1:]:
            assert re.fullmatch(r"Not everyone needs this step: treating health problems\. "
                                r"If you do, you may wait longer than the times shown "
                                r"here\.", sentence), sentence


def test_prehab4cancer_no_longer_says_need_treating():
    booklet = build_booklet(load_pathway(LIBRARY / "prehab4cancer.yaml", use_cache=False))
    joined = "\n".join(_texts(booklet))
    assert "need treating" not in joined
    # Treatment found at preassessment runs alongside prehabilitation (the step's own
    # description), so it is a step some patients take, not a loop that delays surgery
    # by a planning figure ("This can add 2 days" had no source).
    assert "Treating health problems (if you need it)" in joined
    assert "can add" not in joined and "2 days" not in joined


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _has_smoking_care(raw: dict) -> bool:
    return any(s.get("activity") == "smoking-cessation"
               or re.search(r"smok", s.get("patient_info") or "", re.IGNORECASE)
               for s in raw.get("steps", []))


def _listed_sources(booklet) -> list[str]:
    section = next((s for s in booklet.sections if s.key == "sources"), None)
    if section is None:
        return []
    by_label = {cite_short(sid): sid for sid in SOURCES}
    labels = [label for block in section.blocks for label in block.labels]
    assert all(label in by_label for label in labels), labels
    return [by_label[label] for label in labels]


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_source_listed_belongs_to_advice_shown(path):
    raw = _raw(path)
    activities = {s.get("activity") for s in raw.get("steps", [])}
    booklet = build_booklet(load_pathway(path, use_cache=False))
    ready = next((s for s in booklet.sections if s.key == "ready"), None)
    shown = {b.heading for b in ready.blocks} if ready is not None else set()
    listed = _listed_sources(booklet)
    assert listed, "every exemplar booklet cites its advice"
    for sid in listed:
        assert any(t.heading in shown and sid in t.sources for t in ALL_TOPICS), \
            f"{sid} is listed but no section shown cites it"
        if sid in NEEDS_ACTIVITY:
            assert activities & NEEDS_ACTIVITY[sid], f"{sid} without its activity"
    smoking = _has_smoking_care(raw)
    assert ("Smoking" in shown) == smoking
    assert bool(SMOKING_SOURCES & set(listed)) == smoking
    words = "\n".join(_texts(booklet))
    if not smoking:
        assert not re.search(r"smok", words, re.IGNORECASE), "smoking text without smoking care"


def test_frailty_booklet_lists_no_smoking_source():
    path = LIBRARY / "frailty-hip-pops.yaml"
    assert not _has_smoking_care(_raw(path))        # the truth the fix rests on
    booklet = build_booklet(load_pathway(path, use_cache=False))
    listed = _listed_sources(booklet)
    assert not SMOKING_SOURCES & set(listed)
    labels = [cite_short(sid) for sid in listed]
    assert not any(re.search(r"smok|quit", label, re.IGNORECASE) for label in labels)
    # ... while the stop-smoking exemplar still lists them.
    smoking = build_booklet(load_pathway(LIBRARY / "smoking-cessation-teachable-moment.yaml",
                                         use_cache=False))
    assert SMOKING_SOURCES <= set(_listed_sources(smoking))
