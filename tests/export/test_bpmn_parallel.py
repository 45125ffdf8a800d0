"""Branches marked ``parallel`` are a BPMN parallel fork and a parallel join where they
meet; a parallel gateway read from another modeller marks its branches ``parallel``.

The truth is BPMN's own token rules: a parallel gateway sends a token down every
outgoing flow and, joining, waits for one on every incoming flow; an exclusive
gateway passes on one token. So a step that waits for several branches of a fork
must be entered through a parallel gateway (an exclusive merge would start it
once per branch), and a branch taken alongside others must leave a parallel one.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from designer.export.interop.bpmn import bpmn_xml
from designer.export.interop.bpmn_import import bpmn_to_pathway
from designer.graph.diff import diff_pathways
from designer.graph.io import load_pathway
from designer.graph.model import Pathway

M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
WITH_PARALLEL = [p for p in sorted(LIBRARY.glob("*.yaml"))
                 if "parallel: true" in p.read_text(encoding="utf-8")]


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class Process:
    def __init__(self, xml: str) -> None:
        self.root = ET.fromstring(xml)
        self.process = self.root.find(f"{M}process")
        self.kind = {el.get("id"): local(el.tag) for el in self.process}
        self.flows = self.process.findall(f"{M}sequenceFlow")

    def after(self, ident: str) -> list[str]:
        return [f.get("targetRef") for f in self.flows if f.get("sourceRef") == ident]

    def before(self, ident: str) -> list[str]:
        return [f.get("sourceRef") for f in self.flows if f.get("targetRef") == ident]

    def steps_behind(self, ident: str) -> set[str]:
        """The steps whose flows reach ``ident`` through gateways we added only."""
        found = set()
        for source in self.before(ident):
            if source.startswith("Junction_"):
                found |= self.steps_behind(source)
            else:
                found.add(source)
        return found

    def steps_ahead(self, ident: str) -> set[str]:
        found = set()
        for target in self.after(ident):
            if target.startswith("Junction_"):
                found |= self.steps_ahead(target)
            else:
                found.add(target)
        return found


@pytest.mark.parametrize("path", WITH_PARALLEL, ids=lambda p: p.stem)
def test_every_parallel_branch_leaves_a_parallel_fork(path):
    pathway = load_pathway(path)
    bpmn = Process(bpmn_xml(pathway))
    forks = {t.source for t in pathway.transitions if t.parallel}
    assert forks
    for source in forks:
        (fork,) = bpmn.after(f"Step_{source}")
        assert bpmn.kind[fork] == "parallelGateway", source
        targets = {f"Step_{t.target}" for t in pathway.transitions
                   if t.source == source and t.parallel}
        assert targets <= bpmn.steps_ahead(fork)
        for flow in bpmn.flows:                # a fork's branches carry no conditions
            if flow.get("sourceRef") == fork:
                assert flow.find(f"{M}conditionExpression") is None


def test_eras_admission_waits_for_prehabilitation_and_surgery_school():
    bpmn = Process(bpmn_xml(load_pathway(LIBRARY / "eras-plus-colorectal.yaml")))
    (join,) = bpmn.before("Step_admission")
    assert bpmn.kind[join] == "parallelGateway"
    # prehabilitation (forked at diagnosis) and the listing fork's own join
    (inner,) = [b for b in bpmn.before(join) if b.startswith("Junction_")]
    assert set(bpmn.before(join)) == {inner, "Step_prehab"}
    assert bpmn.kind[inner] == "parallelGateway"
    # the listing fork: Surgery School beside preassessment, both waited for
    (split,) = bpmn.after("Step_listing")
    assert bpmn.kind[split] == "parallelGateway"
    assert {"Step_surgery-school", "Step_preassessment"} <= bpmn.steps_ahead(split)
    (merge,) = [b for b in bpmn.before(inner) if b.startswith("Junction_")]
    assert set(bpmn.before(inner)) == {merge, "Step_surgery-school"}
    # alternatives on one branch still merge exclusively (optimise or not)
    assert bpmn.kind[merge] == "exclusiveGateway"
    assert set(bpmn.before(merge)) == {"Step_optimise-needed", "Step_optimisation"}
    # after discharge: the follow-up waits for both the GP check route and the MDT
    (join,) = bpmn.before("Step_follow-up")
    assert bpmn.kind[join] == "parallelGateway"


def test_frailty_surgery_school_waits_for_both_checks_but_once_for_the_iron_route():
    bpmn = Process(bpmn_xml(load_pathway(LIBRARY / "frailty-hip-pops.yaml")))
    (join,) = bpmn.before("Step_surgery-school")
    assert bpmn.kind[join] == "parallelGateway"
    branches = bpmn.before(join)
    assert len(branches) == 2
    frailty = [b for b in branches if not b.startswith("Junction_")]
    (anaemia,) = [b for b in branches if b.startswith("Junction_")]
    assert frailty == ["Step_sdm-revisit"]
    assert bpmn.kind[anaemia] == "exclusiveGateway"
    assert set(bpmn.before(anaemia)) == {"Step_anaemia-check", "Step_oral-iron",
                                         "Step_iv-iron"}
    # someone who declines surgery after the frailty review goes back to the GP whichever
    # way they came: that merge is exclusive
    (merge,) = bpmn.before("Step_back-to-gp")
    assert bpmn.kind[merge] == "exclusiveGateway"


def mixed_pathway() -> Pathway:
    """A task with one parallel branch and two alternatives chosen by a condition."""
    steps = [("start", "entry"), ("clinic", "task"), ("prehab", "task"),
             ("fast", "task"), ("slow", "task"), ("op", "task"), ("home", "exit")]
    return Pathway.model_validate({
        "id": "mixed", "title": "Mixed",
        "settings": [{"id": "h", "name": "Hospital", "kind": "secondary"}],
        "steps": [{"id": i, "name": i.title(), "kind": k, "setting": "h"} for i, k in steps],
        "transitions": [
            {"from": "start", "to": "clinic"},
            {"from": "clinic", "to": "prehab", "parallel": True},
            {"from": "clinic", "to": "fast", "condition": "Fit now"},
            {"from": "clinic", "to": "slow", "condition": "Needs work-up"},
            {"from": "prehab", "to": "op"}, {"from": "fast", "to": "op"},
            {"from": "slow", "to": "op"}, {"from": "op", "to": "home"}]})


def test_a_parallel_branch_beside_a_choice_forks_before_the_choice():
    bpmn = Process(bpmn_xml(mixed_pathway()))
    (fork,) = bpmn.after("Step_clinic")
    assert bpmn.kind[fork] == "parallelGateway"
    ways = bpmn.after(fork)
    assert "Step_prehab" in ways
    (choice,) = [w for w in ways if w != "Step_prehab"]
    assert bpmn.kind[choice] == "exclusiveGateway"
    assert set(bpmn.after(choice)) == {"Step_fast", "Step_slow"}
    (join,) = bpmn.before("Step_op")
    assert bpmn.kind[join] == "parallelGateway"
    (merge,) = [b for b in bpmn.before(join) if b != "Step_prehab"]
    assert bpmn.kind[merge] == "exclusiveGateway"
    assert set(bpmn.before(merge)) == {"Step_fast", "Step_slow"}
    imported = bpmn_to_pathway(bpmn_xml(mixed_pathway()).encode(), "mixed.bpmn").pathway
    assert diff_pathways(mixed_pathway(), imported).is_empty()


FOREIGN = f"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="{M[1:-1]}" id="d" targetNamespace="x"><process id="p">
  <startEvent id="s" name="Referral"/>
  <task id="a" name="Diagnosis"/>
  <parallelGateway id="fork"/>
  <task id="b" name="Decision to treat"/>
  <task id="c" name="Prehabilitation"/>
  <parallelGateway id="join"/>
  <task id="d" name="Operation"/>
  <endEvent id="e" name="Home"/>
  <sequenceFlow id="f1" sourceRef="s" targetRef="a"/>
  <sequenceFlow id="f2" sourceRef="a" targetRef="fork"/>
  <sequenceFlow id="f3" sourceRef="fork" targetRef="b"/>
  <sequenceFlow id="f4" sourceRef="fork" targetRef="c"/>
  <sequenceFlow id="f5" sourceRef="b" targetRef="join"/>
  <sequenceFlow id="f6" sourceRef="c" targetRef="join"/>
  <sequenceFlow id="f7" sourceRef="join" targetRef="d"/>
  <sequenceFlow id="f8" sourceRef="d" targetRef="e"/>
</process></definitions>"""


def named_edges(pathway: Pathway) -> dict[tuple[str, str], bool]:
    names = {s.id: s.name for s in pathway.steps}
    return {(names[t.source], names[t.target]): bool(t.parallel)
            for t in pathway.transitions}


def test_a_parallel_fork_from_another_modeller_marks_its_branches_parallel():
    imported = bpmn_to_pathway(FOREIGN.encode(), "foreign.bpmn").pathway
    assert named_edges(imported) == {
        ("Referral", "Diagnosis"): False,
        ("Diagnosis", "Decision to treat"): True, ("Diagnosis", "Prehabilitation"): True,
        ("Decision to treat", "Operation"): False, ("Prehabilitation", "Operation"): False,
        ("Operation", "Home"): False}


@pytest.mark.parametrize("path", WITH_PARALLEL, ids=lambda p: p.stem)
def test_parallel_survives_a_modeller_that_drops_our_extensions(path):
    """Read back with only what BPMN itself says, the parallel branches are still there."""
    original = load_pathway(path)
    root = ET.fromstring(bpmn_xml(original))
    for parent in list(root.iter()):
        for child in list(parent):
            if local(child.tag) == "extensionElements":
                parent.remove(child)
    imported = bpmn_to_pathway(ET.tostring(root), path.name).pathway
    expected = named_edges(original)
    got = named_edges(imported)
    marked = {k for k, v in expected.items() if v}
    assert marked and all(got.get(k) for k in marked)
    # and no route chosen by a condition became one taken alongside the others
    names = {s.id: s.name for s in original.steps}
    conditional = {(names[t.source], names[t.target]) for t in original.transitions
                   if t.condition}
    assert not [k for k in conditional if got.get(k)]


# ------------------------------------------------- labels as bpmn-js will draw them

DC = "{http://www.omg.org/spec/DD/20100524/DC}"
BPMNDI = "{http://www.omg.org/spec/BPMN/20100524/DI}"
DDI = "{http://www.omg.org/spec/DD/20100524/DI}"
ALL = sorted(LIBRARY.glob("*.yaml"))


def _rect(bounds) -> tuple[float, float, float, float]:
    x, y = float(bounds.get("x")), float(bounds.get("y"))
    return x, y, x + float(bounds.get("width")), y + float(bounds.get("height"))


def _crosses(p, q, r) -> bool:
    """Sampled: does segment pq pass through the inside of r?"""
    n = max(1, int(max(abs(q[0] - p[0]), abs(q[1] - p[1])) // 2))
    for i in range(n + 1):
        x, y = p[0] + (q[0] - p[0]) * i / n, p[1] + (q[1] - p[1]) * i / n
        if r[0] + 1 < x < r[2] - 1 and r[1] + 1 < y < r[3] - 1:
            return True
    return False


def _overlaps(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_label_is_clear_of_lines_shapes_and_other_labels(path):
    """bpmn-js draws a label where its DI bounds say, with no background: so no line
    may cross a label, no label may cover a shape or another label, and a flow's
    label is beside its own flow (without bounds bpmn-js puts it mid-flow, where the
    issue found them on boxes and on the wrong branch)."""
    root = ET.fromstring(bpmn_xml(load_pathway(path)))
    process = root.find(f"{M}process")
    named = {f.get("id") for f in process.findall(f"{M}sequenceFlow") if f.get("name")}
    shapes, labels, lines = {}, {}, {}
    for shape in root.iter(f"{BPMNDI}BPMNShape"):
        element = shape.get("bpmnElement")
        if element.startswith(("Lane_", "Participant_")):
            continue
        shapes[element] = _rect(shape.find(f"{DC}Bounds"))
        label = shape.find(f"{BPMNDI}BPMNLabel")
        if label is not None:
            labels[element] = _rect(label.find(f"{DC}Bounds"))
    for edge in root.iter(f"{BPMNDI}BPMNEdge"):
        element = edge.get("bpmnElement")
        lines[element] = [(float(w.get("x")), float(w.get("y")))
                          for w in edge.findall(f"{DDI}waypoint")]
        label = edge.find(f"{BPMNDI}BPMNLabel")
        if label is not None:
            labels[element] = _rect(label.find(f"{DC}Bounds"))
    assert named <= set(labels), "a named flow without label bounds"
    problems = []
    for owner, rect in labels.items():
        for flow, points in lines.items():
            if any(_crosses(p, q, rect) for p, q in zip(points, points[1:])):
                problems.append(f"{flow} crosses the label of {owner}")
        for element, box in shapes.items():
            if element != owner and _overlaps(rect, box):
                problems.append(f"label of {owner} covers {element}")
        for other, other_rect in labels.items():
            if other < owner and _overlaps(rect, other_rect):
                problems.append(f"labels of {owner} and {other} overlap")
    assert problems == []


def test_a_parallel_branch_with_a_condition_says_it_in_words_and_round_trips():
    """BPMN has no condition on a flow out of a parallel gateway (bpmnlint calls its
    label superfluous): the words go into the flow's documentation, the condition
    into our data, and it comes back on import."""
    from test_bpmn_lint import lint

    data = mixed_pathway().model_dump(by_alias=True, exclude_none=True)
    data["transitions"][1]["condition"] = "Fit enough to exercise"
    pathway = Pathway.model_validate(data)
    xml = bpmn_xml(pathway)
    assert lint(xml) == []
    bpmn = Process(xml)
    (fork,) = bpmn.after("Step_clinic")
    (flow,) = [f for f in bpmn.flows
               if f.get("sourceRef") == fork and f.get("targetRef") == "Step_prehab"]
    assert flow.get("name") is None and flow.find(f"{M}conditionExpression") is None
    assert "Only when: Fit enough to exercise." in flow.findtext(f"{M}documentation")
    imported = bpmn_to_pathway(xml.encode(), "mixed.bpmn").pathway
    assert diff_pathways(pathway, imported).is_empty()
    assert imported.transitions[1].condition == "Fit enough to exercise"


def test_a_decision_branch_without_a_condition_is_labelled_as_such():
    """bpmnlint's label-required: a conditional flow needs a name."""
    data = mixed_pathway().model_dump(by_alias=True, exclude_none=True)
    data["steps"][1]["kind"] = "decision"
    for t in data["transitions"]:
        t.pop("parallel", None)
        t.pop("condition", None) if t["to"] == "slow" else None
    xml = bpmn_xml(Pathway.model_validate(data))
    bpmn = Process(xml)
    (flow,) = [f for f in bpmn.flows if f.get("targetRef") == "Step_slow"]
    assert flow.get("name") == "no condition recorded"
    imported = bpmn_to_pathway(xml.encode(), "d.bpmn").pathway
    assert [t.condition for t in imported.transitions if t.target == "slow"] == [None]


def alternatives_pathway(first_parallel: bool) -> Pathway:
    """A task whose unmarked ways on have no condition (alternatives by the model)."""
    steps = [("start", "entry"), ("clinic", "task"), ("prehab", "task"),
             ("fast", "task"), ("slow", "task"), ("op", "task"), ("home", "exit")]
    out = [{"from": "clinic", "to": "fast"}, {"from": "clinic", "to": "slow"}]
    if first_parallel:
        out = [{"from": "clinic", "to": "prehab", "parallel": True}, *out,
               {"from": "prehab", "to": "op"}]
    else:
        steps.remove(("prehab", "task"))
    return Pathway.model_validate({
        "id": "alt", "title": "Alternatives",
        "settings": [{"id": "h", "name": "Hospital", "kind": "secondary"}],
        "steps": [{"id": i, "name": i.title(), "kind": k, "setting": "h"} for i, k in steps],
        "transitions": [{"from": "start", "to": "clinic"}, *out,
                        {"from": "fast", "to": "op"}, {"from": "slow", "to": "op"},
                        {"from": "op", "to": "home"}]})


def test_unmarked_ways_without_conditions_are_a_choice_not_a_fork():
    bpmn = Process(bpmn_xml(alternatives_pathway(first_parallel=False)))
    (split,) = bpmn.after("Step_clinic")
    assert bpmn.kind[split] == "exclusiveGateway"      # one token: one way is taken
    assert set(bpmn.after(split)) == {"Step_fast", "Step_slow"}
    (merge,) = bpmn.before("Step_op")
    assert bpmn.kind[merge] == "exclusiveGateway"      # and so no wait for the other


def test_unmarked_ways_beside_a_parallel_branch_are_a_choice_after_the_fork():
    bpmn = Process(bpmn_xml(alternatives_pathway(first_parallel=True)))
    (fork,) = bpmn.after("Step_clinic")
    assert bpmn.kind[fork] == "parallelGateway"
    (choice,) = [w for w in bpmn.after(fork) if w != "Step_prehab"]
    assert bpmn.kind[choice] == "exclusiveGateway"
    assert set(bpmn.after(choice)) == {"Step_fast", "Step_slow"}
