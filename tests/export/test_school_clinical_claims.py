"""Surgery School booklets say only what their sources say (clinical review, Dec 2026).

Three defects found in review, each guarded here against an independent truth:
the pathway files read as plain YAML, and the facts recorded for each source in
the sources registry (designer/graph/sources.py), not the booklet code's own lists.

- Alcohol advice was shown in every booklet, worded as if it applied to everyone,
  although most pathways have no step that deals with alcohol.
- "Your medicines" cited NICE NG27, which is about moving between hospital and
  community or care home settings, not about what to bring or stop before surgery.
- A loop step's planning duration was told to patients as a fact ("This can add 2
  days" in Prehab4Cancer; "about 3 months" for diabetes, a figure the files call a
  planning assumption with no source).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from designer.export.school import advice
from designer.export.school.content import build_booklet
from designer.graph.io import load_pathway
from designer.graph.sources import SOURCES, cite_short

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
TOPICS = [a for a in vars(advice).values() if isinstance(a, advice.Advice)]
_NUMBER = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")


def _raw(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def _step_mentions_alcohol(raw: dict) -> bool:
    """The truth: some step's own words (name, description, patient text) name alcohol."""
    return any(re.search(r"alcohol", " ".join(str(s.get(k) or "") for k in (
        "name", "patient_name", "description", "patient_info")), re.IGNORECASE)
        for s in raw.get("steps", []))


def _texts(booklet) -> list[str]:
    out: list[str] = []
    for section in booklet.sections:
        out.append(section.title)
        for block in section.blocks:
            out += [block.heading, block.when] + block.paragraphs + block.bullets
            out += block.labels
    return [t for t in out if t]


def _ready_headings(booklet) -> list[str]:
    ready = next((s for s in booklet.sections if s.key == "ready"), None)
    return [b.heading for b in ready.blocks if b.heading] if ready else []


def _listed(booklet) -> list[str]:
    section = next((s for s in booklet.sections if s.key == "sources"), None)
    return [label for b in section.blocks for label in b.labels] if section else []


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_alcohol_advice_only_where_a_step_deals_with_alcohol(path):
    booklet = build_booklet(load_pathway(path, use_cache=False))
    expected = _step_mentions_alcohol(_raw(path))
    assert ("Alcohol" in _ready_headings(booklet)) == expected
    if not expected:
        assert not re.search(r"alcohol|drink less", "\n".join(_texts(booklet)),
                             re.IGNORECASE)


def test_the_library_has_pathways_with_and_without_alcohol_care():
    """The parametrised test above means something only if both kinds exist."""
    kinds = {_step_mentions_alcohol(_raw(p)) for p in EXEMPLARS}
    assert kinds == {True, False}
    smoking = build_booklet(load_pathway(LIBRARY / "smoking-cessation-teachable-moment.yaml",
                                         use_cache=False))
    assert "Alcohol" not in _ready_headings(smoking)
    eras = build_booklet(load_pathway(LIBRARY / "eras-plus-colorectal.yaml", use_cache=False))
    assert "Alcohol" in _ready_headings(eras)


def test_alcohol_advice_speaks_to_people_who_drink_and_cites_its_sources():
    first = advice.ALCOHOL.paragraphs[0]
    assert first.startswith("If you drink alcohol")
    # ERAS+ lists cutting alcohol among the must-dos; the RCoA leaflet says the
    # pre-assessment asks how much people drink: each sentence has a source that says it.
    facts = " ".join(f for sid in advice.ALCOHOL.sources for f in SOURCES[sid].facts)
    assert "cut alcohol" in facts and "alcohol they drink" in facts


def test_medicines_advice_cites_preoperative_medicines_sources_not_ng27():
    assert "nice-ng27" not in advice.MEDICINES.sources
    assert set(advice.MEDICINES.sources) == {"rcoa-preassessment-clinic",
                                             "ukcpa-periop-medicines"}
    rcoa = SOURCES["rcoa-preassessment-clinic"]
    assert rcoa.url.startswith("https://rcoa.ac.uk/") and rcoa.year == 2019
    facts = " ".join(rcoa.facts + SOURCES["ukcpa-periop-medicines"].facts)
    assert "list from the GP" in facts and "continue or stop" in facts


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_booklets_with_medicines_advice_list_its_sources(path):
    booklet = build_booklet(load_pathway(path, use_cache=False))
    listed = _listed(booklet)
    assert not any("NG27" in label for label in listed)
    if "Your medicines" in _ready_headings(booklet):
        assert cite_short("rcoa-preassessment-clinic") in listed
        assert cite_short("ukcpa-periop-medicines") in listed


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.key)
def test_every_number_in_the_advice_is_one_its_sources_give(topic):
    """No invented figure: each number in a topic is in the facts of a source it cites
    (or counts the topic's own bullet points, as in "These 4 questions")."""
    given = {n.replace(",", "") for sid in topic.sources for f in SOURCES[sid].facts
             for n in _NUMBER.findall(f)}
    for line in topic.paragraphs + topic.bullets:
        for number in _NUMBER.findall(line):
            assert number in given or int(number) == len(topic.bullets), \
                f"{topic.key}: {number} in {line!r}"


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_no_booklet_tells_how_long_a_loop_adds(path):
    """A loop's length is a planning assumption of the file, so the booklet says the
    wait may be longer without a figure."""
    text = "\n".join(_texts(build_booklet(load_pathway(path, use_cache=False))))
    assert "can add" not in text


def test_prehab4cancer_treats_problems_alongside_prehab_not_in_a_loop():
    raw = _raw(LIBRARY / "prehab4cancer.yaml")
    after = {t["to"] for t in raw["transitions"] if t["from"] == "optimise"}
    assert "preassessment" not in after
    text = "\n".join(_texts(build_booklet(load_pathway(LIBRARY / "prehab4cancer.yaml",
                                                      use_cache=False))))
    assert "2 days" not in text
    # the patient sees a name, not the team's question
    assert "Eligible for prehab?" not in text


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_a_call_in_the_first_few_days_is_not_dated_the_day_of_leaving(path):
    """At-risk patients are called 24-72 hours after discharge (nasgp-nice-discharge):
    a block that says so is not headed "On the day you go home"."""
    booklet = build_booklet(load_pathway(path, use_cache=False))
    for section in booklet.sections:
        for block in section.blocks:
            says = " ".join(block.paragraphs)
            if re.search(r"first few days|1 to 3 days", says):
                assert block.when != "On the day you go home", (path.stem, block.heading)
