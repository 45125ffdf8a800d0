"""The booklet's dates say no more than the sources do.

An audit found booklets dating Surgery School "1 day before your operation" (the
sources: weeks before surgery, as early as possible), an Hb check "on the day you
go home" whose own text says "after a few weeks", and day counts built from
placeholder lengths ("At least 6 days before"). The truth each test holds the
booklet to is the source's own statement, read from the sources registry where it
carries the figure, or the step's own words.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from designer.export.school.content import build_booklet, patient_name
from designer.graph.io import load_pathway
from designer.graph.model import Activity, Milestone
from designer.graph.sources import get as get_source
from designer.graph.timeline import compute_timeline

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
DAY_COUNT = re.compile(r"\d|\b(one|two|three|four|five|six|seven|a few) (day|week|month)",
                       re.IGNORECASE)


def _load(stem: str):
    return load_pathway(LIBRARY / f"{stem}.yaml")


def _when_lines(booklet) -> dict[str, list[str]]:
    """Heading -> every "when" line the booklet gives a step of that name."""
    found: dict[str, list[str]] = {}
    for section in booklet.sections:
        if section.key in ("before", "day", "after", "home"):
            for block in section.blocks:
                found.setdefault(block.heading, []).append(block.when)
    return found


def _overview(booklet) -> list[str]:
    return next(s for s in booklet.sections if s.key == "when").blocks[0].bullets


def _overview_line(booklet, name: str) -> str:
    return next(b for b in _overview(booklet) if b.split(": ", 1)[-1].startswith(name))


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_no_step_with_an_assumed_timing_gets_a_day_count(path):
    pathway = load_pathway(path)
    booklet = build_booklet(pathway)
    whens = _when_lines(booklet)
    assumed = [s for s in pathway.steps if s.timing_assumed and (s.patient_info or "").strip()]
    for step in assumed:
        for when in whens.get(patient_name(step), []):
            assert not DAY_COUNT.search(when), (step.id, when)
        if step.kind.value != "decision":
            line = _overview_line(booklet, patient_name(step))
            assert not DAY_COUNT.search(line.split(": ", 1)[0]), (step.id, line)


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_no_education_session_is_dated_on_the_eve_of_the_operation(path):
    """Surgery School comes weeks before surgery (ERAS+, DOMAIN 8A [13]); attend as
    early as possible (University Hospital Southampton [62]). No booklet dates a
    session days before the operation."""
    assert any("as early as possible" in f for f in get_source("uhs-surgery-school").facts)
    pathway = load_pathway(path)
    booklet = build_booklet(pathway)
    whens = _when_lines(booklet)
    for step in pathway.steps:
        if step.activity is not Activity.education:
            continue
        for when in whens.get(patient_name(step), []):
            assert not re.search(r"\b\d+ days? before", when, re.IGNORECASE), (step.id, when)


def _six_weeks_before_from_the_registry() -> int:
    fact = next(f for f in get_source("him-erasplus").facts if "weeks before" in f)
    return int(re.search(r"(\d+) weeks before", fact).group(1))


@pytest.mark.parametrize("stem", ["eras-plus-colorectal", "prehab4cancer",
                                  "waiting-well-my-planned-care"])
def test_surgery_school_comes_weeks_before_not_the_day_before(stem):
    """On the timeline Surgery School is at least 2 weeks before the operation
    ("weeks before surgery"), and for ERAS+ inside the programme's 6 weeks before
    surgery (Health Innovation Manchester, read from the registry). The booklet gives
    no day count (no source gives the day) and lists it before coming into hospital."""
    pathway = _load(stem)
    school = next(s for s in pathway.steps if s.name == "Surgery School")
    timeline = compute_timeline(pathway)
    day = timeline.by_step[school.id].relative_day
    assert day <= -14, day
    if stem == "eras-plus-colorectal":
        assert day >= -7 * _six_weeks_before_from_the_registry(), day
    assert school.timing_assumed
    if stem == "eras-plus-colorectal":       # the source's own words, no figure
        assert "weeks before your operation" in school.patient_info
    booklet = build_booklet(pathway)
    assert _when_lines(booklet)["Surgery School"] == ["Before your operation"]
    overview = _overview(booklet)
    line = _overview_line(booklet, "Surgery School")
    assert line == "Before: Surgery School"
    # in order: after listing, before the operation
    names = [b.split(": ", 1)[-1] for b in overview]
    assert names.index("Surgery School") < next(
        i for i, b in enumerate(overview) if b.startswith("On the day"))


def test_the_anaemia_gp_blood_test_is_after_going_home_as_its_text_says():
    pathway = _load("anaemia-optimisation")
    step = next(s for s in pathway.steps if patient_name(s) == "Blood test with your GP")
    assert "after a few weeks" in step.patient_info       # the step's own words
    booklet = build_booklet(pathway)
    assert _when_lines(booklet)["Blood test with your GP"] == ["After you go home"]
    assert _overview_line(booklet, "Blood test with your GP").startswith("After you go home")


@pytest.mark.parametrize("stem,referral,nurse", [
    ("day-case-lap-chole", "Seeing your GP", "Check-up with the practice nurse"),
    ("diabetes-preop-clinic", "Seeing your GP", "Diabetes check with the practice nurse"),
])
def test_day_case_and_diabetes_dates_are_not_built_from_placeholder_lengths(
        stem, referral, nurse):
    """No source gives these steps' days (the HbA1c must be within 3 months of
    surgery, NHS Borders [29], which is a limit, not a date), so the booklet says
    only 'before your operation' / 'after you go home'."""
    booklet = build_booklet(_load(stem))
    whens = _when_lines(booklet)
    assert whens[referral] == ["Before your operation"]
    assert whens[nurse] == ["After you go home"]
    assert not DAY_COUNT.search(_overview_line(booklet, referral).split(": ")[0])
    assert not any(b.startswith(("At least", "The day you go home")) for b in _overview(booklet))


@pytest.mark.parametrize("stem", ["eras-plus-colorectal", "prehab4cancer"])
def test_cancer_standards_still_met_on_the_timeline(stem):
    """31 days from decision to treat and 62 days from referral to first treatment
    (NHS England cancer waiting times, from October 2023), read from the registry."""
    facts = " ".join(get_source("cancer-waiting-times-2023").facts)
    assert "31 days" in facts and "62 days" in facts
    pathway = _load(stem)
    timeline = compute_timeline(pathway)
    surgery = timeline.by_step[timeline.surgery_step].start_day
    marks = {s.milestone: s.id for s in pathway.steps if s.milestone}
    referral = marks.get(Milestone.referral) or next(
        s.id for s in pathway.steps if s.kind.value == "entry")
    assert surgery - timeline.by_step[referral].start_day <= 62
    if Milestone.decision_to_treat in marks:
        decided = timeline.by_step[marks[Milestone.decision_to_treat]]
        assert surgery - decided.start_day <= 31


def test_a_parallel_branch_is_not_if_you_need_it():
    """Surgery School on a parallel branch beside preassessment is for everyone: the
    booklet does not add '(if you need it)', while the optimisation a decision sends
    some patients to keeps it."""
    booklet = build_booklet(_load("eras-plus-colorectal"))
    lines = _overview(booklet)
    assert "Before: Surgery School" in lines
    assert any(b.endswith("Getting your health ready (if you need it)") for b in lines)
    assert not any("Getting fitter (if you need it)" in b for b in lines)


def test_the_timeline_marks_an_assumed_day():
    pathway = _load("day-case-lap-chole")
    timeline = compute_timeline(pathway)
    assert timeline.by_step["referral"].timing_assumed
    assert timeline.to_json()["entries"][0]["timing_assumed"] is True
    assert "(day assumed)" in timeline.to_text(pathway)
    from designer.graph.timeline import timeline_rows

    rows = timeline_rows(timeline, pathway)
    assert rows[0][1] == "T-5 (assumed)" or rows[0][1].endswith(" (assumed)")
    surgery = next(r for r in rows if r[1] == "T0")     # a sourced day keeps its T-day
    assert "assumed" not in surgery[1]
