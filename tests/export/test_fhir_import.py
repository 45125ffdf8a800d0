"""FHIR PlanDefinition import: a hand-written plan, nested plans, our own round trip, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from designer.export.interop.fhir import export_fhir
from designer.export.interop import fhir_extensions as fx
from designer.export.interop.fhir_import import fhir_to_pathway, read_fhir
from designer.export.interop.import_common import MAX_STEPS, ImportRefused
from designer.graph.diff import diff_pathways
from designer.graph.io import dump_pathway, load_pathway, loads_pathway
from test_bpmn import interop_pathway

DATA = Path(__file__).resolve().parents[1] / "data" / "import"
LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))
PlanDefinition = pytest.importorskip("fhir.resources.R4B.plandefinition").PlanDefinition


def named(pathway):
    names = {s.id: s.name for s in pathway.steps}
    return ({s.name: s for s in pathway.steps},
            {(names[t.source], names[t.target]): t for t in pathway.transitions})


# --------------------------------------------------------------- our own round trip


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_exemplar_round_trip_is_lossless(path):
    original = load_pathway(path)
    text = export_fhir(original)
    PlanDefinition.model_validate_json(text)              # still valid FHIR R4
    result = fhir_to_pathway(text.encode("utf-8"), path.name)
    assert diff_pathways(original, result.pathway).is_empty()
    assert result.pathway.model_dump() == original.model_dump()     # field for field
    assert result.report.dropped == {}


def test_round_trip_with_positions_odd_text_and_orphans():
    original = interop_pathway(evil=True)
    imported = fhir_to_pathway(export_fhir(original).encode(), "demo.json").pathway
    changes = diff_pathways(original, imported).changes
    assert [(c.change, c.a_key) for c in changes] == [("removed", "surgery->ghost")]
    assert [s.position for s in imported.steps] == [s.position for s in original.steps]
    assert imported.step("stray").setting == "nowhere"


def test_handoffs_are_structured_data_on_the_related_action():
    plan = json.loads(export_fhir(interop_pathway()))
    sdm = next(a for a in plan["action"] if a["id"] == "sdm")
    extension = fx.find(sdm["relatedAction"][0], fx.TRANSITION)
    handoff = next(s for s in extension["extension"] if s["url"] == "handoff")
    fields = {(s["url"], s.get("valueString", s.get("valueDecimal")))
              for s in handoff["extension"]}
    assert fields == {("sender", "gp"), ("receiver", "surgeon"),
                      ("information", "referral letter"), ("information", "medicines list"),
                      ("channel", "e-referral"), ("within_days", 14.0)}
    step = fx.from_extension(fx.find(sdm, fx.STEP), __import__(
        "designer.graph.model", fromlist=["Step"]).Step)
    assert step["setting"] == "hospital" and step["owner"] == "surgeon"


# ------------------------------------------------------------- a hand-written plan


@pytest.fixture(scope="module")
def bundle():
    return read_fhir(DATA / "plan-bundle.json")


def test_actions_become_steps_with_their_fields(bundle):
    steps, _ = named(bundle.pathway)
    assert {n: s.kind.value for n, s in steps.items()} == {
        "GP referral": "entry", "Preassessment": "task", "Fit for surgery?": "decision",
        "Prehabilitation": "task", "Hip replacement": "task", "Recovery at home": "exit",
        "Exercise classes": "task", "Fitness review": "task"}
    assess = steps["Preassessment"]
    assert assess.codes == {"snomed": "386373004"}
    assert assess.patient_info == "A nurse checks you are ready."
    assert assess.duration_days == pytest.approx(2 / 24, abs=1e-3)
    roles = {r.id: r.name for r in bundle.pathway.roles}
    assert roles[steps["GP referral"].owner] == "GP"
    p = bundle.pathway
    assert (p.title, p.version, p.organisation, p.status.value) == (
        "Hip replacement (written by hand for the import tests)", "2", "Example ICS", "draft")
    assert p.evidence[0].source == "https://www.nice.org.uk/guidance/ng157"


def test_relations_branches_and_the_nested_plan(bundle):
    _, edges = named(bundle.pathway)
    assert edges[("GP referral", "Preassessment")].wait_days == 14       # 2 weeks
    assert edges[("Fit for surgery?", "Hip replacement")].condition == "fit for surgery"
    assert edges[("Fit for surgery?", "Prehabilitation")].condition == "Not yet"
    # the nested plan runs after its action and before what followed it
    assert ("Prehabilitation", "Exercise classes") in edges
    assert ("Exercise classes", "Fitness review") in edges
    assert ("Fitness review", "Hip replacement") in edges
    assert ("Prehabilitation", "Hip replacement") not in edges
    assert set(edges) >= {("Hip replacement", "Recovery at home")}
    assert loads_pathway(dump_pathway(bundle.pathway)).content_equal(bundle.pathway)


def test_what_has_no_equivalent_is_reported(bundle):
    assert bundle.report.dropped == {"PlanDefinition.goal": ["hip-main"],
                                     "action.trigger": ["home"]}
    text = bundle.report.to_markdown()
    assert "Setting not given" in text and "step-without-owner" in text


def test_nested_plan_found_in_the_same_folder(tmp_path):
    for name in ("hip-main.json", "prehab.json"):
        shutil.copy(DATA / "folder" / name, tmp_path / name)
    steps, _ = named(read_fhir(tmp_path / "hip-main.json").pathway)
    assert "Fitness review" in steps
    (tmp_path / "prehab.json").unlink()
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    alone = read_fhir(tmp_path / "hip-main.json")
    assert "Fitness review" not in named(alone.pathway)[0]
    assert alone.report.dropped["definitionCanonical (not in the bundle or folder)"] == [
        "prehab"]
    assert "could not be read" in " ".join(alone.report.notes)


# ----------------------------------------------------------------------- bad input


def plan_with(n: int) -> bytes:
    return json.dumps({"resourceType": "PlanDefinition", "status": "draft",
                       "action": [{"id": f"a{i}", "title": f"A {i}"} for i in range(n)]}
                      ).encode()


@pytest.mark.parametrize("data, reason, words", [
    (b'{"resourceType": "PlanDefinition", ', "malformed JSON", "not valid JSON"),
    (b'{"resourceType": "Patient", "id": "p"}', "wrong resource type", "FHIR Patient"),
    (b'{"resourceType": "Bundle", "type": "collection", "entry": [{"resource": '
     b'{"resourceType": "Patient"}}]}', "wrong resource type", "holds Patient"),
    (b'[1, 2]', "not FHIR", "no resourceType"),
    (b'{"resourceType": "PlanDefinition", "date": "yesterday"}', "invalid FHIR",
     "not a valid FHIR R4 PlanDefinition"),
    (b'{"resourceType": "PlanDefinition", "status": "draft"}', "no flow nodes", "no actions"),
    (plan_with(MAX_STEPS * 2), "too many nodes", f"{MAX_STEPS:,}"),
    ('{"resourceType": "PlanDefinition", "title": "caf\u00e9"}'.encode("latin-1"),
     "not UTF-8", "not UTF-8"),
    (b"[" * 100_000, "malformed JSON", "JSON"),
])
def test_bad_input_is_refused_with_one_clear_message(data, reason, words):
    with pytest.raises(ImportRefused) as caught:
        fhir_to_pathway(data, "bad.json")
    assert caught.value.reason == reason
    message = str(caught.value)
    assert message.startswith("Cannot import bad.json: ") and words in message
    assert "\n" not in message


# ------------------------------------------------------------ robustness (fuzzing)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


def _nodes(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield value, key
            yield from _nodes(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield value, index
            yield from _nodes(item)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), cuts=st.integers(1, 12),
       which=st.sampled_from(["ours", "bundle"]))
def test_damaged_plans_import_or_are_refused_never_crash(seed, cuts, which):
    import random

    rng = random.Random(seed)
    if which == "ours":
        data = json.loads(export_fhir(interop_pathway()))
    else:
        data = json.loads((DATA / "plan-bundle.json").read_text(encoding="utf-8"))
    for _ in range(cuts):
        places = list(_nodes(data))
        if not places:
            break
        holder, key = rng.choice(places)
        roll = rng.random()
        if roll < 0.5:
            del holder[key]
        else:
            holder[key] = rng.choice(["", "x", 0, -5, 1e9, None, [], {}, "after-end",
                                      "exactly-one", "fit"])
    try:
        result = fhir_to_pathway(json.dumps(data).encode(), "fuzz.json")
    except ImportRefused as exc:
        assert exc.reason != "mapping error", str(exc)
        return
    loads_pathway(dump_pathway(result.pathway))
