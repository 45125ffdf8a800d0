"""BPMN 2.0 import: the mapping on hand-written files, the MIWG files, our own round trip."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from defusedxml import ElementTree as DET

from designer.export.interop.bpmn import bpmn_xml
from designer.export.interop.bpmn_import import (
    bpmn_to_pathway, iso_duration_days, read_bpmn,
)
from designer.export.interop.import_common import MAX_STEPS, ImportRefused
from designer.graph.diff import diff_pathways
from designer.graph.io import load_pathway, loads_pathway, dump_pathway
from designer.graph.layout import with_positions

DATA = Path(__file__).resolve().parents[1] / "data"
MIWG = DATA / "bpmn-miwg"
LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


def by_name(pathway):
    return {s.name: s for s in pathway.steps}


def edges(pathway):
    names = {s.id: s.name for s in pathway.steps}
    return {(names[t.source], names[t.target]): t for t in pathway.transitions}


# ------------------------------------------------------------- a hand-written file


@pytest.fixture(scope="module")
def clinic():
    return read_bpmn(DATA / "import" / "clinic.bpmn")


def test_steps_kinds_and_descriptions(clinic):
    steps = by_name(clinic.pathway)
    kinds = {name: s.kind.value for name, s in steps.items()}
    assert kinds == {
        "Patient sees GP": "entry", "Refer to surgeon": "task", "Referred": "exit",
        "Referral received": "task", "Assess fitness": "task", "Fit?": "decision",
        "Wait two weeks": "wait", "Pre-op education": "task", "Operation": "task",
        "Home": "exit", "Phone follow-up": "task"}
    assert steps["Wait two weeks"].duration_days == 14
    assert steps["Assess fitness"].description == "History, examination and tests."
    assert "Watch video" in steps["Pre-op education"].description


def test_pools_lanes_and_the_default_setting(clinic):
    p = clinic.pathway
    names = {s.id: s.name for s in p.settings}
    lane_of = {s.name: names[s.setting] for s in p.steps}
    assert lane_of["Refer to surgeon"] == "GP practice"              # a pool without lanes
    assert lane_of["Assess fitness"] == "Hospital: Surgical team / Surgeon"   # nested
    assert lane_of["Pre-op education"] == "Hospital: Surgical team / Lane 1"  # unnamed
    assert lane_of["Wait two weeks"] == "Hospital: Ward"
    assert lane_of["Phone follow-up"] == "Hospital: not in a lane"
    notes = " ".join(clinic.report.notes)
    assert "'Hospital: not in a lane'" in notes and "flattened" in notes
    assert "Lane 1" in notes and "'Patient sees GP' is the entry" in notes
    assert p.title == "GP practice and Hospital"


def test_gateways_conditions_and_bridges(clinic):
    e = edges(clinic.pathway)
    assert e[("Fit?", "Wait two weeks")].condition == "fit for surgery"
    assert e[("Fit?", "Pre-op education")].condition == "fit for surgery"
    assert e[("Fit?", "Phone follow-up")].condition == "${fit == false}"
    # the parallel join is bridged: both branches lead on to the operation
    assert ("Wait two weeks", "Operation") in e and ("Pre-op education", "Operation") in e
    # the boundary timer becomes a branch named after the event
    assert e[("Assess fitness", "Phone follow-up")].condition == "No response in 5 days"
    assert len(e) == len(clinic.pathway.transitions) == 13


def test_message_flow_is_a_handoff_between_organisations(clinic):
    t = edges(clinic.pathway)[("Refer to surgeon", "Referral received")]
    roles = {r.id: r.name for r in clinic.pathway.roles}
    assert roles[t.handoff.sender] == "GP practice"
    assert roles[t.handoff.receiver] == "Hospital"
    assert t.handoff.information == ["Referral letter"]


def test_nothing_is_dropped_silently(clinic):
    dropped = {kind: sorted(ids) for kind, ids in clinic.report.dropped.items()}
    assert dropped == {
        "boundaryEvent (bypassed)": ["be1"],
        "parallelGateway (bypassed)": ["pg_join", "pg_split"],
        "dataObject": ["do1"], "dataObjectReference": ["dor1"], "textAnnotation": ["ta1"],
        "messageEventDefinition (what triggers the event)": ["h_start"],
        "startEvent (inside a sub-process)": ["s_start"],
        "task (inside a sub-process)": ["s_video"],
        "endEvent (inside a sub-process)": ["s_end"],
        "sequenceFlow (inside a sub-process)": ["s1", "s2"],
    }
    text = clinic.report.to_markdown()
    assert "| parallelGateway (bypassed) | 2 | pg_split, pg_join |" in text
    assert "step-without-owner" in text          # what the user has to complete


def test_result_loads_and_saves(clinic):
    again = loads_pathway(dump_pathway(clinic.pathway))
    assert again.content_equal(clinic.pathway)


def test_di_bounds_become_lane_relative_centres():
    result = read_bpmn(DATA / "import" / "placed.bpmn")
    pos = {s.name: s.position for s in result.pathway.steps}
    # lane at y=100; centres: (260, 182), (475, 182), (718, 232)
    assert pos == {"Letter arrives": (260.0, 82.0), "Read the leaflet": (475.0, 82.0),
                   "Ready": (718.0, 132.0)}
    assert result.pathway.summary == "A short day-case pathway."
    assert result.pathway.settings[0].kind.value == "home"     # guessed from the name


def test_nested_lane_parent_refs_go_to_first_child():
    text = (DATA / "import" / "clinic.bpmn").read_text(encoding="utf-8").replace(
        '<lane id="L_team" name="Surgical team">',
        '<lane id="L_team" name="Surgical team"><flowNodeRef>h_phone</flowNodeRef>')
    result = bpmn_to_pathway(text.encode(), "x.bpmn")
    names = {s.id: s.name for s in result.pathway.settings}
    phone = by_name(result.pathway)["Phone follow-up"]
    assert names[phone.setting] == "Hospital: Surgical team / Surgeon"


@pytest.mark.parametrize("text, days", [("P14D", 14), ("PT36H", 1.5), ("P2W", 14),
                                         ("P1M", 30), ("P1Y", 365), ("P1DT12H", 1.5),
                                         ("p3d", 3), ("${wait}", None), ("", None),
                                         ("P", None), ("14", None)])
def test_iso_durations(text, days):
    assert iso_duration_days(text) == days


# -------------------------------------------------------------------- the MIWG files


MIWG_FILES = sorted(MIWG.rglob("*.bpmn"))


def test_the_miwg_subset_is_there():
    assert len(MIWG_FILES) >= 30 and (MIWG / "README.md").exists()


@pytest.mark.parametrize("path", MIWG_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_miwg_file_imports_and_accounts_for_every_flow_node(path):
    result = read_bpmn(path)
    pathway = loads_pathway(dump_pathway(result.pathway))      # it loads
    assert pathway.steps and result.report.finding_counts is not None
    # independent count: every flow node directly in a process is a step or reported
    root = DET.fromstring(path.read_bytes())
    flow_tags = ("task", "userTask", "manualTask", "serviceTask", "scriptTask",
                 "businessRuleTask", "sendTask", "receiveTask", "callActivity",
                 "subProcess", "adHocSubProcess", "transaction", "exclusiveGateway",
                 "inclusiveGateway", "eventBasedGateway", "parallelGateway",
                 "complexGateway", "startEvent", "endEvent", "intermediateCatchEvent",
                 "intermediateThrowEvent", "boundaryEvent")
    top = [el for proc in root.iter(f"{M}process") for el in proc
           if el.tag in {M + t for t in flow_tags}]
    bypassed = sum(len(ids) for kind, ids in result.report.dropped.items()
                   if "(bypassed)" in kind or "(merging, bypassed)" in kind)
    assert len(pathway.steps) + bypassed == len(top)


def test_miwg_reference_a41_has_pools_and_handoffs():
    result = read_bpmn(MIWG / "Reference" / "A.4.1.bpmn")
    handoffs = [t for t in result.pathway.transitions if t.handoff]
    assert handoffs and all(t.handoff.sender and t.handoff.receiver for t in handoffs)
    kinds = Counter(s.kind.value for s in result.pathway.steps)
    assert kinds["entry"] == 1 and kinds["exit"] >= 1


# -------------------------------------------------------------- our own round trip


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_exemplar_round_trip_is_lossless(path):
    original = load_pathway(path)
    result = bpmn_to_pathway(bpmn_xml(original).encode("utf-8"), path.name)
    imported = result.pathway
    assert diff_pathways(original, imported).is_empty()
    # stronger than the clinical diff: the same model, field for field
    def plain(p):
        data = p.model_dump()
        for step in data["steps"]:
            step.pop("position")
        return data
    assert plain(imported) == plain(original)
    # and the steps are where the designer drew them
    placed = {s.id: s.position for s in with_positions(original).steps}
    for step in imported.steps:
        assert step.position == pytest.approx(placed[step.id], abs=0.11)
    assert result.report.dropped == {}


def test_round_trip_keeps_steps_outside_any_lane_and_odd_text():
    from test_bpmn import interop_pathway

    original = interop_pathway(evil=True)
    imported = bpmn_to_pathway(bpmn_xml(original).encode(), "demo.bpmn").pathway
    diff = diff_pathways(original, imported)
    # the writer leaves out only the transition to a step that does not exist
    assert [(c.change, c.a_key) for c in diff.changes] == [("removed", "surgery->ghost")]
    assert imported.step("stray").setting == "nowhere"


def test_other_tools_see_our_data_only_inside_extension_elements():
    xml = bpmn_xml(load_pathway(EXEMPLARS[0]))
    root = DET.fromstring(xml.encode())
    ours = "{https://periop-pathway-designer.github.io/ns/bpmn/1}"
    parents = {child: parent for parent in root.iter() for child in parent}
    for element in root.iter():
        if element.tag.startswith(ours) and not parents[element].tag.startswith(ours):
            assert parents[element].tag == f"{M}extensionElements"


# ----------------------------------------------------------------------- bad input


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</definitions>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">&x;</definitions>"""
EMPTY = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
<collaboration id="c"/></definitions>"""


def big_bpmn(n: int) -> bytes:
    tasks = "".join(f'<task id="t{i}" name="Task {i}"/>' for i in range(n))
    return (f'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
            f'<process id="p">{tasks}</process></definitions>').encode()


@pytest.mark.parametrize("data, reason, words", [
    (b"<definitions><process>", "malformed XML", "not well-formed"),
    (BILLION_LAUGHS, "XML entities", "XML bomb"),
    (EXTERNAL, "XML entities", "entities"),
    (EMPTY, "no process", "no process"),
    (big_bpmn(10_000), "too many nodes", f"{MAX_STEPS:,}"),
    ("<definitions>caf\u00e9</definitions>".encode("latin-1"), "not UTF-8", "UTF-8"),
    (b'<root xmlns="urn:x"/>', "not BPMN", "not BPMN 2.0"),
    (b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL">'
     b'<process id="p"/></definitions>', "no flow nodes", "no activities"),
])
def test_bad_input_is_refused_with_one_clear_message(data, reason, words):
    with pytest.raises(ImportRefused) as caught:
        bpmn_to_pathway(data, "bad.bpmn")
    assert caught.value.reason == reason
    message = str(caught.value)
    assert message.startswith("Cannot import bad.bpmn: ") and words in message
    assert "\n" not in message and "Traceback" not in message


def test_a_declared_latin1_file_is_read():
    text = ('<?xml version="1.0" encoding="ISO-8859-1"?>'
            '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
            '<process id="p"><task id="t" name="Caf\u00e9 visit"/></process></definitions>')
    result = bpmn_to_pathway(text.encode("latin-1"), "latin.bpmn")
    assert result.pathway.steps[0].name == "Caf\u00e9 visit"


def test_the_same_id_in_two_pools_keeps_both():
    text = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
    <process id="p1"><startEvent id="s" name="A start"/><task id="t" name="A task"/>
      <sequenceFlow id="f" sourceRef="s" targetRef="t"/></process>
    <process id="p2"><startEvent id="s" name="B start"/><task id="t" name="B task"/>
      <sequenceFlow id="f" sourceRef="s" targetRef="t"/></process></definitions>"""
    result = bpmn_to_pathway(text, "dup.bpmn")
    _steps, e = by_name(result.pathway), edges(result.pathway)
    assert set(e) == {("A start", "A task"), ("B start", "B task")}
    assert any("used more than once" in n for n in result.report.notes)


# ------------------------------------------------------------ robustness (fuzzing)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FUZZ_SOURCES = [MIWG / "Reference" / "B.2.0.bpmn", MIWG / "Reference" / "C.4.0.bpmn",
                DATA / "import" / "clinic.bpmn"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(source=st.sampled_from(FUZZ_SOURCES), seed=st.integers(0, 2**32 - 1),
       cuts=st.integers(1, 25))
def test_damaged_files_import_or_are_refused_never_crash(source, seed, cuts):
    """Remove random elements and attributes (ids, refs, names, bounds): no crash."""
    import random
    import xml.etree.ElementTree as ET

    rng = random.Random(seed)
    root = ET.fromstring(source.read_bytes())        # our own test file: plain ET is fine
    for _ in range(cuts):
        elements = list(root.iter())
        victim = rng.choice(elements)
        if victim.attrib and rng.random() < 0.6:
            key = rng.choice(sorted(victim.attrib))
            if rng.random() < 0.5:
                del victim.attrib[key]
            else:
                victim.attrib[key] = rng.choice(["", "x", "NaN", "-1e12", victim.get(key) * 2])
        else:
            parent = next((p for p in elements if victim in list(p)), None)
            if parent is not None:
                parent.remove(victim)
    data = ET.tostring(root)
    try:
        result = bpmn_to_pathway(data, "fuzz.bpmn", sub_pathways=bool(seed % 2))
    except ImportRefused:
        return
    loads_pathway(dump_pathway(result.pathway))
    for sub in result.sub_pathways.values():
        loads_pathway(dump_pathway(sub.pathway))


@pytest.mark.parametrize("name, days", [("7 days", 7), ("Wait 2 weeks", 14), ("48 h", 2),
                                         ("1 month", 30), ("after 30 minutes", 1 / 48),
                                         ("Invoice received", None), ("Day 3", None),
                                         ("v2.0", None)])
def test_wait_read_from_a_timer_name(name, days):
    from designer.export.interop.bpmn_import import name_days

    assert name_days(name) == (pytest.approx(days, abs=1e-3) if days else None)


def test_a_timer_without_duration_takes_its_wait_from_its_name():
    text = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
    <process id="p"><startEvent id="s"/><intermediateCatchEvent id="w" name="7 days">
      <timerEventDefinition/></intermediateCatchEvent><endEvent id="e"/>
      <sequenceFlow id="f1" sourceRef="s" targetRef="w"/>
      <sequenceFlow id="f2" sourceRef="w" targetRef="e"/></process></definitions>"""
    result = bpmn_to_pathway(text, "t.bpmn")
    wait = by_name(result.pathway)["7 days"]
    assert wait.kind.value == "wait" and wait.duration_days == 7
    assert any("read from its name" in n for n in result.report.notes)
    assert not any("timer" in k for k in result.report.dropped)


def test_lanes_nested_absurdly_deep_are_refused():
    depth = 3000
    lanes = ("".join(f'<lane id="l{i}" name="L{i}"><childLaneSet id="c{i}">' for i in range(depth))
             + '<lane id="leaf"><flowNodeRef>s</flowNodeRef></lane>'
             + "</childLaneSet></lane>" * depth)
    data = ('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
            f'<process id="p"><laneSet id="ls">{lanes}</laneSet><startEvent id="s"/>'
            '</process></definitions>').encode()
    with pytest.raises(ImportRefused, match="nested more than"):
        bpmn_to_pathway(data, "deep.bpmn")


def test_bpmn_beta_namespace_is_read_and_other_roots_are_named():
    beta = b"""<definitions xmlns="http://schema.omg.org/spec/BPMN/2.0" id="d">
      <process id="p"><startEvent id="s" name="Go"/><endEvent id="e" name="Done"/>
      <sequenceFlow id="f" sourceRef="s" targetRef="e"/></process></definitions>"""
    assert [s.name for s in bpmn_to_pathway(beta, "beta.bpmn").pathway.steps] == ["Go", "Done"]
    with pytest.raises(ImportRefused, match="namespace urn:other"):
        bpmn_to_pathway(b'<definitions xmlns="urn:other"/>', "x.bpmn")


def test_references_written_as_qnames_are_followed():
    text = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
      xmlns:tns="urn:t" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"
      xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="d" targetNamespace="urn:t">
      <collaboration id="c"><participant id="pa" name="Clinic" processRef="tns:p"/></collaboration>
      <process id="p"><laneSet id="ls"><lane id="l" name="Ward"><flowNodeRef>tns:s</flowNodeRef>
      </lane></laneSet><startEvent id="s" name="Go"/><endEvent id="e" name="Done"/>
      <sequenceFlow id="f" sourceRef="s" targetRef="e"/></process>
      <bpmndi:BPMNDiagram id="dg"><bpmndi:BPMNPlane id="pl" bpmnElement="tns:c">
      <bpmndi:BPMNShape id="x" bpmnElement="tns:s"><dc:Bounds x="300" y="40" width="36" height="36"/>
      </bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram></definitions>"""
    result = bpmn_to_pathway(text, "qnames.bpmn")
    p = result.pathway
    assert p.title == "Clinic"
    names = {s.id: s.name for s in p.settings}
    assert names[by_name(p)["Go"].setting] == "Ward"


def test_an_element_missing_from_the_lane_lists_goes_where_the_diagram_draws_it():
    text = (DATA / "import" / "placed.bpmn").read_text(encoding="utf-8").replace(
        "<bpmn:flowNodeRef>c</bpmn:flowNodeRef>", "")
    result = bpmn_to_pathway(text.encode(), "p.bpmn")
    names = {s.id: s.name for s in result.pathway.settings}
    assert names[by_name(result.pathway)["Ready"].setting] == "Patient at home"
    assert any("the diagram draws them in: c" in n for n in result.report.notes)


def test_a_process_of_gateways_only_is_refused():
    text = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
    <process id="p"><parallelGateway id="a"/><parallelGateway id="b"/>
    <sequenceFlow id="f" sourceRef="a" targetRef="b"/></process></definitions>"""
    with pytest.raises(ImportRefused, match="only gateways"):
        bpmn_to_pathway(text, "g.bpmn")
