"""The simulation inputs in the file (DESIGN section 7): load, refuse, save exactly."""

from __future__ import annotations

import pytest

from designer.graph.io import PathwayLoadError, dump_pathway, load_pathway, loads_pathway

FLOW_FILE = """\
format: periop-pathway/1
id: flow-sample
title: Flow sample
version: 0.1.0
status: draft
settings:
- id: hospital
  name: Hospital
  kind: secondary
roles:
- id: surgeon
  name: Surgeon
steps:
- id: referral
  name: Referral
  kind: entry
  duration_days: 0
- id: surgery
  name: Surgery
  kind: task
  activity: surgery
  duration_days: 0.5
  duration:
    dist: lognormal
    mean: 0.5
    sd: 0.2
  capacity: 2
  uses:
  - theatre
  costs:
  - cost: theatre-episode
    per: visit
  - cost: bed-day
    per: day
- id: done
  name: Done
  kind: exit
transitions:
- from: referral
  to: surgery
  probability: 1
  probability_by_cohort:
    imd-1: 0.3
  wait:
    dist: exponential
    mean: 14
- from: surgery
  to: done
  wait:
    dist: triangular
    min: 1
    mode: 2
    max: 5
flow:
  arrivals:
    per_week: 10
  horizon_weeks: 156
  warmup_weeks: 26
  replications: 30
  seed: 20261202
  currency: GBP
  note: Planning assumption.
resources:
- id: theatre
  name: Theatre lists
  capacity: 3
cohorts:
- id: imd-1
  name: Most deprived fifth
  share: 0.2
- id: other
  name: Other fifths
  share: 0.8
costs:
- id: bed-day
  name: Excess bed day
  amount: 313
  year: 2016/17
  source: NHS reference costs 2016/17
- id: theatre-episode
  name: Elective inpatient episode
  amount: 3684
scenarios:
- id: before
  name: Before
  changes:
  - step: surgery
    duration_days: 9
  - transition: referral->surgery
    probability: 0.7
  - resource: theatre
    capacity: 20
  - flow: arrivals
    per_week: 12
- id: after
  name: After
"""


def test_flow_fields_round_trip_byte_identical(tmp_path):
    pathway = loads_pathway(FLOW_FILE)
    assert dump_pathway(pathway) == FLOW_FILE
    assert pathway.step("surgery").duration.expected() == 0.5
    assert pathway.transition("referral->surgery").probability_by_cohort == {"imd-1": 0.3}
    assert pathway.scenarios[0].changes[0].kind == "step"
    again = loads_pathway(dump_pathway(pathway))
    assert again.content_equal(pathway)


def test_files_without_flow_save_as_before():
    from pathlib import Path
    for path in sorted(Path("pathway_library").glob("*.yaml")):
        pathway = load_pathway(path)
        text = dump_pathway(pathway)
        for key in ("flow:", "resources:", "cohorts:", "scenarios:"):
            if key not in path.read_text():
                assert f"\n{key}" not in text


def _refusal(old: str, new: str) -> str:
    text = FLOW_FILE.replace(old, new, 1)
    assert text != FLOW_FILE
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway(text)
    return str(info.value)


@pytest.mark.parametrize("old,new,field,words", [
    ("  capacity: 3", "  capacity: -1", "resources[0].capacity", "greater than or equal to 1"),
    ("  capacity: 2", "  capacity: 0", "steps[1].capacity", "greater than or equal to 1"),
    ("    sd: 0.2", "    sd: -0.2", "steps[1].duration.sd", "greater than or equal to 0"),
    ("    mean: 14", "    mean: .nan", "transitions[0].wait.mean", "finite"),
    ("    mode: 2", "    mode: 7", "transitions[1].wait", "min <= mode <= max"),
    ("    sd: 0.2", "    value: 0.2", "steps[1].duration", "'sd' is missing"),
    ("    mean: 14", "    mean: 0", "transitions[0].wait", "mean above 0"),
    ("    imd-1: 0.3", "    imd-1: 1.3", "transitions[0].probability_by_cohort.imd-1",
     "less than or equal to 1"),
    ("  share: 0.2", "  share: .inf", "cohorts[0].share", "finite"),
    ("    per: visit", "    per: week", "steps[1].costs[0].per", "'visit' or 'day'"),
    ("  - resource: theatre\n    capacity: 20", "  - resource: theatre\n    probability: 0.2",
     "scenarios[0].changes[2]", "can set 'capacity', not 'probability'"),
    ("  amount: 3684", "  amount: -5", "costs[1].amount", "greater than or equal to 0"),
    ("- id: other\n", "- id: imd-1\n", "cohorts[1].id", "duplicate id 'imd-1'"),
])
def test_impossible_values_are_refused_naming_the_field(old, new, field, words):
    message = _refusal(old, new)
    assert field in message
    assert words in message


from hypothesis import given, settings, strategies as st  # noqa: E402

_days = st.floats(min_value=0, max_value=3650, allow_nan=False, allow_infinity=False)


@st.composite
def _distribution(draw):
    kind = draw(st.sampled_from(["fixed", "exponential", "lognormal", "triangular", "uniform"]))
    if kind == "fixed":
        return {"dist": kind, "value": draw(_days)}
    if kind == "exponential":
        return {"dist": kind, "mean": draw(_days.filter(lambda x: x > 0))}
    if kind == "lognormal":
        return {"dist": kind, "mean": draw(_days.filter(lambda x: x > 0)), "sd": draw(_days)}
    a, b, c = sorted(draw(_days) for _ in range(3))
    if kind == "triangular":
        return {"dist": kind, "min": a, "mode": b, "max": c}
    return {"dist": kind, "min": a, "max": c}


@settings(max_examples=60, deadline=None)
@given(duration=_distribution(), wait=_distribution(),
       capacity=st.none() | st.integers(min_value=1, max_value=1000),
       share=st.floats(min_value=0, max_value=1))
def test_any_valid_flow_input_saves_and_reloads_exactly(duration, wait, capacity, share):
    from designer.graph.model import Pathway

    data = loads_pathway(FLOW_FILE).model_dump(by_alias=True)
    data["steps"][1]["duration"] = duration
    data["steps"][1]["capacity"] = capacity
    data["transitions"][0]["wait"] = wait
    data["transitions"][0]["probability_by_cohort"] = {"imd-1": share}
    pathway = Pathway.model_validate(data)
    text = dump_pathway(pathway)
    again = loads_pathway(text)
    assert again.content_equal(pathway)
    assert dump_pathway(again) == text



@pytest.mark.parametrize("block, fields", [
    ("resources", "capacity: 2"), ("cohorts", "share: 0.2"), ("costs", "amount: 313"),
    ("scenarios", "description: After"),
])
def test_every_simulation_list_refuses_a_bad_id_and_an_empty_name(block, fields):
    head = "format: periop-pathway/1\nid: p\ntitle: P\n"
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway(head + f"{block}:\n  - {{id: bad id, name: X, {fields}}}\n")
    assert f"({block}[0].id)" in str(info.value)
    assert "'bad id' is not a valid id" in str(info.value)
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway(head + f"{block}:\n  - {{id: ok, name: '', {fields}}}\n")
    assert f"({block}[0].name)" in str(info.value)
