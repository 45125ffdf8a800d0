"""FHIR: every point where patients take one way of several is a selection group.

The truths checked here are not our exporter's:

* FHIR R4's meaning of ``PlanDefinition.action.selectionBehavior``: ``exactly-one``
  ("the end user must choose one and only one of the selectable actions in the
  group"), ``at-most-one`` ("zero or at most one"), ``all`` ("all the actions in
  the group must be selected as a single unit"); an action whose applicability
  condition is false is not in the applied plan.
* The FHIRPath conditions are evaluated by fhirpathpy (R4 model), an engine of
  its own, with the answer recorded at each choice as the variable the plan names.
* The pathway's meaning, from the model's documentation (DESIGN.md section 2,
  docs/design-extensions.md ``parallel``): a decision takes one of its ways on;
  a task's ways on not marked ``parallel`` are alternatives, one of which is
  taken; its ways marked ``parallel`` are all taken, and so is a single unmarked
  way beside them; a task's one way on with a condition is taken only when it
  holds. That reading is walked here, on the model, for every combination of
  answers, and the steps it reaches are the steps the applied plan holds.
* The BPMN export of the same pathway, read as BPMN (an exclusive gateway passes
  one token on, a parallel gateway one down every flow, a conditional flow out of
  a task only when its condition holds): the FHIR groups say the same for every
  step.
* HL7's R4 JSON schema and fhir.resources' R4B models for every export.
"""

from __future__ import annotations

import itertools
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from designer.export.interop.bpmn import bpmn_xml
from designer.export.interop.bpmn_import import bpmn_to_pathway
from designer.export.interop.fhir import export_fhir
from designer.export.interop.fhir_extensions import BASE
from designer.export.interop.fhir_import import fhir_to_pathway
from designer.graph.diff import diff_pathways
from designer.graph.io import load_pathway
from designer.graph.model import Pathway, StepKind
from designer.graph.network import loop_back_edges

fhirpath = pytest.importorskip("fhirpathpy")
PlanDefinition = pytest.importorskip("fhir.resources.R4B.plandefinition").PlanDefinition

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
PERIOP = "{https://periop-pathway-designer.github.io/ns/bpmn/1}"
CHOOSING = ("exactly-one", "at-most-one")


def all_actions(actions):
    for action in actions or []:
        yield action
        yield from all_actions(action.get("action"))


def synthetic(kind: str) -> Pathway:
    """Small pathways for the forms no exemplar has.

    ``alternatives``: a task with two unmarked ways, one with a condition and one
    without; ``beside-fork``: the same beside a parallel branch; ``one-beside-fork``:
    one unmarked way beside a parallel branch; ``optional``: a task whose one way
    on has a condition.
    """
    steps = [("start", "entry"), ("clinic", "task"), ("prehab", "task"), ("fast", "task"),
             ("slow", "task"), ("op", "task"), ("home", "exit")]
    ways = [{"from": "start", "to": "clinic"}]
    if kind in ("alternatives", "beside-fork"):
        ways += [{"from": "clinic", "to": "fast", "condition": "Fit and well"},
                 {"from": "clinic", "to": "slow"},
                 {"from": "fast", "to": "op"}, {"from": "slow", "to": "op"}]
    if kind in ("beside-fork", "one-beside-fork"):
        ways += [{"from": "clinic", "to": "prehab", "parallel": True},
                 {"from": "prehab", "to": "op"}]
    if kind == "one-beside-fork":
        ways += [{"from": "clinic", "to": "fast"}, {"from": "fast", "to": "op"}]
    if kind == "optional":
        ways += [{"from": "clinic", "to": "prehab", "condition": "Frail"},
                 {"from": "prehab", "to": "op"}]
    ways.append({"from": "op", "to": "home"})
    used = {w["from"] for w in ways} | {w["to"] for w in ways}
    return Pathway.model_validate({
        "id": f"choice-{kind}", "title": f"Choices: {kind}",
        "settings": [{"id": "h", "name": "Hospital", "kind": "secondary"}],
        "steps": [{"id": i, "name": i.title(), "kind": k, "setting": "h"}
                  for i, k in steps if i in used],
        "transitions": ways})


SYNTHETIC = ["alternatives", "beside-fork", "one-beside-fork", "optional"]
CASES = [pytest.param(lambda p=p: load_pathway(p), id=p.stem) for p in EXEMPLARS] + [
    pytest.param(lambda k=k: synthetic(k), id=k) for k in SYNTHETIC]


# ------------------------------------------------------------ the model's meaning


def model_ways(pathway: Pathway, step_id: str) -> dict[str, set[str]]:
    """The ways on from a step, by what the model says patients do there."""
    steps = pathway.steps_by_id()
    out = [t for t in pathway.transitions if t.source == step_id and t.target in steps]
    found = {"exclusive": set(), "all": set(), "optional": set(), "plain": set()}
    if steps[step_id].kind is StepKind.decision:
        found["exclusive"] = {t.target for t in out}
        return found
    marked = [t for t in out if t.parallel]
    rest = [t for t in out if not t.parallel]
    found["all"] = {t.target for t in marked}
    if len(rest) >= 2:
        found["exclusive"] = {t.target for t in rest}
    elif rest and marked:
        found["all"].add(rest[0].target)          # leaves the same fork
    elif rest and rest[0].condition:
        found["optional"] = {rest[0].target}      # taken only when its condition holds
    elif rest:
        found["plain"] = {rest[0].target}
    return found


def reached(pathway: Pathway, answer: dict[str, str | None]) -> set[str]:
    """The steps a patient passes, given the way taken at each choice (by step id)."""
    steps = pathway.steps_by_id()
    seen = {s.id for s in pathway.steps if s.kind is StepKind.entry}
    todo = list(seen)
    while todo:
        step_id = todo.pop()
        ways = model_ways(pathway, step_id)
        going = ways["all"] | ways["plain"]
        if ways["exclusive"] or ways["optional"]:
            if answer.get(step_id) is not None:
                going.add(answer[step_id])
        for target in going:
            if target in steps and target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


# ------------------------------------------------------------- reading the FHIR


class Plan:
    def __init__(self, resource: dict) -> None:
        self.resource = resource
        self.steps = {a["id"]: a for a in resource["action"]}      # steps are top level
        self.actions = {a["id"]: a for a in all_actions(resource["action"])}
        self.owner: dict[str, str] = {}           # group or branch id -> its step's id
        for step_id, action in self.steps.items():
            for inner in all_actions(action.get("action")):
                self.owner[inner["id"]] = step_id
        self.after: dict[str, set[str]] = {}      # action id -> steps that follow it
        for step_id, action in self.steps.items():
            for related in action.get("relatedAction", []):
                assert related["relationship"] == "after-end"
                self.after.setdefault(related["actionId"], set()).add(step_id)
            for extension in action.get("extension", []):    # our loop-backs
                if extension["url"].endswith("/loop-back"):
                    (back,) = [e["valueId"] for e in extension["extension"]
                               if e["url"] == "actionId"]
                    self.after.setdefault(back, set()).add(step_id)

    def follows(self, action_id: str) -> set[str]:
        return self.after.get(action_id, set())

    def ways(self, step_id: str) -> dict[str, set[str]]:
        """The ways on from a step, by what FHIR's selection groups say."""
        action = self.steps[step_id]
        found = {"exclusive": set(), "all": set(), "optional": set(), "plain": set()}
        kinds = {"exactly-one": "exclusive", "at-most-one": "optional"}
        behavior = action.get("selectionBehavior")
        for child in action.get("action", []):
            if behavior in kinds:
                found[kinds[behavior]] |= self.follows(child["id"])
            elif behavior == "all" and child.get("selectionBehavior") in kinds:
                for inner in child["action"]:
                    found[kinds[child["selectionBehavior"]]] |= self.follows(inner["id"])
            else:
                assert behavior == "all", (step_id, behavior)
                found["all"] |= self.follows(child["id"])
        found["plain"] = self.follows(step_id)
        return found

    def groups(self) -> dict[str, dict]:
        return {i: a for i, a in self.actions.items() if a.get("selectionBehavior") in CHOOSING}


_cache: dict = {}


def holds(expression: str, variables: dict) -> bool:
    names = tuple(sorted(set(re.findall(r"%`([^`]+)`", expression))))
    key = (expression, tuple(variables.get(n) for n in names))
    if key not in _cache:
        result = fhirpath.evaluate({}, expression, {n: variables.get(n) or [] for n in names})
        assert result in ([True], [False], []), (expression, result)
        _cache[key] = result == [True]
    return _cache[key]


def applies(action: dict, variables: dict) -> bool:
    return all(holds(c["expression"]["expression"], variables)
               for c in action.get("condition", []) if c["kind"] == "applicability")


def exported(pathway: Pathway) -> dict:
    resource = json.loads(export_fhir(pathway))
    PlanDefinition.model_validate(resource)
    return resource


# --------------------------------------------------------------------- the tests


@pytest.mark.parametrize("make", CASES)
def test_each_steps_ways_are_grouped_as_the_model_means_them(make):
    pathway = make()
    plan = Plan(exported(pathway))
    for step in pathway.steps:
        assert plan.ways(step.id) == model_ways(pathway, step.id), step.id


@pytest.mark.parametrize("make", CASES)
def test_applying_the_plan_gives_the_route_the_answers_choose(make):
    """For every combination of answers at the choice groups: each exactly-one group
    has exactly one branch that applies (at-most-one: at most one), and the steps
    whose applicability conditions hold are the steps the model's route reaches."""
    pathway = make()
    plan = Plan(exported(pathway))
    groups = plan.groups()
    options = {g: [c["id"] for c in a["action"]]
               + ([None] if a["selectionBehavior"] == "at-most-one" else [])
               for g, a in groups.items()}
    assert all(len(o) >= 2 for o in options.values())
    for combination in itertools.product(*options.values()):
        variables = {g: answer for g, answer in zip(options, combination) if answer}
        for group_id, group in groups.items():
            applying = [c["id"] for c in group["action"] if applies(c, variables)]
            assert applying == ([variables[group_id]] if group_id in variables else []), \
                (group_id, applying)
        answer = {}
        for group_id, branch in variables.items():
            (target,) = plan.follows(branch)
            answer[plan.owner.get(group_id, group_id)] = target
        applied = {i for i, a in plan.steps.items() if applies(a, variables)}
        assert applied == reached(pathway, answer), variables


def bpmn_ways(xml: str, step_id: str) -> dict[str, set[str]]:
    """The ways on from a step, by BPMN's token rules (our elements are Step_ID)."""
    process = ET.fromstring(xml).find(f"{M}process")
    kind = {el.get("id"): el.tag.rsplit("}", 1)[-1] for el in process}
    role = {el.get("id"): j.get("role") for el in process for j in el.iter(f"{PERIOP}junction")}
    flows = process.findall(f"{M}sequenceFlow")

    def out(ident):
        return [f for f in flows if f.get("sourceRef") == ident]

    def step_at(ident):              # through merging gateways to the step they feed
        while role.get(ident) == "join":
            (flow,) = out(ident)
            ident = flow.get("targetRef")
        return ident.removeprefix("Step_")

    found = {"exclusive": set(), "all": set(), "optional": set(), "plain": set()}
    me = f"Step_{step_id}"
    if kind[me] == "exclusiveGateway":              # a decision is its own gateway
        found["exclusive"] = {step_at(f.get("targetRef")) for f in out(me)}
        return found
    for flow in out(me):
        target = flow.get("targetRef")
        if role.get(target) == "split" and kind[target] == "parallelGateway":
            for branch in out(target):
                after = branch.get("targetRef")
                if role.get(after) == "split":
                    assert kind[after] == "exclusiveGateway"
                    found["exclusive"] |= {step_at(f.get("targetRef")) for f in out(after)}
                else:
                    found["all"].add(step_at(after))
        elif role.get(target) == "split":
            assert kind[target] == "exclusiveGateway"
            found["exclusive"] |= {step_at(f.get("targetRef")) for f in out(target)}
        elif flow.find(f"{M}conditionExpression") is not None:
            found["optional"].add(step_at(target))
        else:
            found["plain"].add(step_at(target))
    return found


@pytest.mark.parametrize("make", CASES)
def test_fhir_groups_say_what_the_bpmn_gateways_say(make):
    pathway = make()
    plan = Plan(exported(pathway))
    xml = bpmn_xml(pathway)
    for step in pathway.steps:
        assert plan.ways(step.id) == bpmn_ways(xml, step.id), step.id


@pytest.mark.parametrize("kind", SYNTHETIC)
def test_new_forms_are_valid_r4_and_round_trip_through_fhir_and_bpmn(kind):
    from test_fhir_schema import schema_errors

    pathway = synthetic(kind)
    text = export_fhir(pathway)
    assert schema_errors(json.loads(text)) == []
    assert diff_pathways(pathway, fhir_to_pathway(text.encode(), "p.json").pathway).is_empty()
    assert diff_pathways(pathway, bpmn_to_pathway(bpmn_xml(pathway).encode(),
                                                  "p.bpmn").pathway).is_empty()


def without_our_extensions(value):
    if isinstance(value, dict):
        out = {k: without_our_extensions(v) for k, v in value.items()}
        if "extension" in out:
            out["extension"] = [e for e in out["extension"]
                                if not str(e.get("url", "")).startswith(BASE)]
        return {k: v for k, v in out.items() if v not in ([], {})}
    if isinstance(value, list):
        return [without_our_extensions(v) for v in value]
    return value


@pytest.mark.parametrize("make", CASES)
def test_a_reader_without_our_extensions_gets_the_same_choices(make):
    """Export, drop our extensions (as another system would), import: each step keeps
    its ways on, the alternatives stay alternatives (a decision, or unmarked ways),
    the ways taken together stay parallel, and a condition stays with its way. Loops
    back are left out: FHIR's relations have no cycle, so they are ours alone."""
    pathway = make()
    foreign = without_our_extensions(json.loads(export_fhir(pathway)))
    assert BASE not in json.dumps(foreign)
    imported = fhir_to_pathway(json.dumps(foreign).encode(), "f.json").pathway
    name = {s.id: s.name for s in pathway.steps}
    got_name = {s.id: s.name for s in imported.steps}
    got_kind = {s.name: s.kind for s in imported.steps}
    # a loop back is our extension only (relations have no cycle): not for them
    loops = loop_back_edges(pathway)
    for step in pathway.steps:
        wanted = {k: {t for t in v if (step.id, t) not in loops}
                  for k, v in model_ways(pathway, step.id).items()}
        mine = [t for t in imported.transitions if got_name[t.source] == step.name]
        choosing = got_kind[step.name] is StepKind.decision
        # a group on the step itself reads as a decision; one inside a fork does not
        assert choosing == bool(wanted["exclusive"] and not wanted["all"]), step.id
        ways = {"exclusive": set(), "all": set(), "optional": set(), "plain": set()}
        rest = [t for t in mine if not t.parallel]
        for t in mine:
            target = got_name[t.target]
            if t.parallel:
                ways["all"].add(target)
            elif choosing or len(rest) >= 2:
                ways["exclusive"].add(target)
            elif t.condition:
                ways["optional"].add(target)
            else:
                ways["plain"].add(target)
        assert ways == {k: {name[i] for i in v} for k, v in wanted.items()}, step.id
        conditions = {(name[t.source], name[t.target]): t.condition
                      for t in pathway.transitions if t.condition}
        for t in mine:
            key = (step.name, got_name[t.target])
            if key in conditions and not t.parallel:
                assert t.condition == conditions[key], key


def many_routes(k: int = 7) -> Pathway:
    """``k`` decisions in a row, each with two ways that meet again and one that
    leaves: 2**k routes into the last step, more than the exporter names."""
    steps = [("start", "entry")]
    ways = []
    last = "start"
    for n in range(k):
        steps += [(f"d{n}", "decision"), (f"a{n}", "task"), (f"b{n}", "task"),
                  (f"j{n}", "task"), (f"out{n}", "exit")]
        ways += [{"from": last, "to": f"d{n}"},
                 {"from": f"d{n}", "to": f"a{n}", "condition": "A"},
                 {"from": f"d{n}", "to": f"b{n}", "condition": "B"},
                 {"from": f"d{n}", "to": f"out{n}", "condition": "C"},
                 {"from": f"a{n}", "to": f"j{n}"}, {"from": f"b{n}", "to": f"j{n}"}]
        last = f"j{n}"
    steps.append(("home", "exit"))
    ways.append({"from": last, "to": "home"})
    return Pathway.model_validate({
        "id": "many-routes", "title": "Many routes",
        "settings": [{"id": "h", "name": "Hospital", "kind": "secondary"}],
        "steps": [{"id": i, "name": i, "kind": kind, "setting": "h"} for i, kind in steps],
        "transitions": ways})


def test_too_many_routes_fall_back_to_conditions_that_never_leave_out_a_step():
    """Past the limit each step gets what each choice alone needs: the applied plan
    holds every step the answers lead to (perhaps more), and stays valid R4."""
    from test_fhir_schema import schema_errors

    from designer.export.interop.fhir import route_terms

    pathway = many_routes()
    assert route_terms(pathway) is None          # the fallback is what is tested here
    resource = exported(pathway)
    assert schema_errors(resource) == []
    plan = Plan(resource)
    groups = plan.groups()
    options = {g: [c["id"] for c in a["action"]] for g, a in groups.items()}
    for combination in itertools.product(*options.values()):
        variables = dict(zip(options, combination))
        answer = {plan.owner.get(g, g): next(iter(plan.follows(b)))
                  for g, b in variables.items()}
        applied = {i for i, a in plan.steps.items() if applies(a, variables)}
        assert reached(pathway, answer) <= applied
    # and the last decision's third way never applies with another of its answers
    assert not applies(plan.steps["out6"], {**{g: options[g][0] for g in options}})
