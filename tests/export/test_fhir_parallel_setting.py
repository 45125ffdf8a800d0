"""FHIR: branches taken together are a ``selectionBehavior`` ``all`` group, and each
step's setting of care is a participant naming an R5 actor (HL7's cross-version
extensions), so a reader without our extensions still rebuilds both."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from designer.export.interop.fhir import (
    ACTOR, ACTOR_ID, PARTICIPANT_TYPE, export_fhir, plan_definition,
)
from designer.export.interop.fhir_extensions import BASE
from designer.export.interop.fhir_import import fhir_to_pathway
from designer.graph.io import load_pathway

PlanDefinition = pytest.importorskip("fhir.resources.R4B.plandefinition").PlanDefinition
LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
ALL = sorted(LIBRARY.glob("*.yaml"))
WITH_PARALLEL = [p for p in ALL if "parallel: true" in p.read_text(encoding="utf-8")]


def all_actions(actions):
    for action in actions or []:
        yield action
        yield from all_actions(action.get("action"))


def without_our_extensions(value):
    """The resource as another system would keep it: our own extensions dropped."""
    if isinstance(value, dict):
        out = {k: without_our_extensions(v) for k, v in value.items()}
        if "extension" in out:
            out["extension"] = [e for e in out["extension"]
                                if not str(e.get("url", "")).startswith(BASE)]
        return out
    if isinstance(value, list):
        return [without_our_extensions(v) for v in value]
    return value


def clean(value):
    """Drop lists left empty (FHIR forbids them)."""
    if isinstance(value, dict):
        out = {k: clean(v) for k, v in value.items()}
        return {k: v for k, v in out.items() if v not in ([], {})}
    if isinstance(value, list):
        return [clean(v) for v in value]
    return value


@pytest.mark.parametrize("path", WITH_PARALLEL, ids=lambda p: p.stem)
def test_parallel_branches_are_an_all_group(path):
    pathway = load_pathway(path)
    resource = plan_definition(pathway)
    actions = {a["id"]: a for a in all_actions(resource["action"])}
    forks = {t.source for t in pathway.transitions if t.parallel}
    for fork in forks:
        group = actions[fork]
        assert group["selectionBehavior"] == "all"
        assert group["groupingBehavior"] == "logical-group"
        children = {c["id"] for c in group["action"]}
        for t in pathway.transitions:
            if t.source == fork and t.parallel:
                related = {r["actionId"] for r in actions[t.target].get("relatedAction", [])}
                assert related & children, (fork, t.target)
        assert all("condition" not in c for c in group["action"])
    PlanDefinition.model_validate(json.loads(export_fhir(pathway)))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_every_step_names_its_setting_as_an_r5_actor(path):
    pathway = load_pathway(path)
    resource = plan_definition(pathway)
    actors = {e["id"]: e for e in resource["extension"] if e["url"] == ACTOR}
    titles = {i: next(s["valueString"] for s in e["extension"] if s["url"] == "title")
              for i, e in actors.items()}
    assert sorted(titles.values()) == sorted(s.name for s in pathway.settings)
    actions = {a["id"]: a for a in all_actions(resource["action"])}
    for step in pathway.steps:
        named = [e["valueString"] for p in actions[step.id].get("participant", [])
                 for e in p.get("extension", []) if e["url"] == ACTOR_ID]
        assert [titles[a] for a in named] == [pathway.setting(step.setting).name]
        kinds = [e["valueCode"] for p in actions[step.id]["participant"]
                 for e in p.get("extension", []) if e["url"] == PARTICIPANT_TYPE]
        assert kinds == ["location"]


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.stem)
def test_a_reader_without_our_extensions_rebuilds_settings_and_parallel(path):
    original = load_pathway(path)
    foreign = clean(without_our_extensions(json.loads(export_fhir(original))))
    assert BASE not in json.dumps(foreign)
    imported = fhir_to_pathway(json.dumps(foreign).encode(), path.name).pathway
    by_name = {s.name: s for s in imported.steps}
    for step in original.steps:
        got = by_name[step.name]
        assert imported.setting(got.setting).name == original.setting(step.setting).name
    names = {s.id: s.name for s in original.steps}
    got_names = {s.id: s.name for s in imported.steps}
    wanted = {(names[t.source], names[t.target]) for t in original.transitions if t.parallel}
    got = {(got_names[t.source], got_names[t.target]) for t in imported.transitions
           if t.parallel}
    assert got == wanted
