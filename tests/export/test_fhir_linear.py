"""The FHIR export's quick paths give what the plain computations give (issue 16).

The export of a long pathway was super-linear: routes were worked out with a
list used as a queue and a test of every answer of every route, the cleaned plan
and its JSON were made for each of the thousands of copies of a condition, and
Python's JSON writer writes indented text with a generator per object. The
quick versions are checked here against independent truths:

* the JSON text against ``json.dumps(..., indent=2, ensure_ascii=False)`` itself,
  on random JSON values with parts that occur many times;
* :func:`route_terms` against the plain computation it replaced (kept here: a
  worklist in file order, every candidate term built and looked up), on every
  exemplar, the long synthetic pathway and random pathways with loops, parallel
  branches and conditions;
* a step's conditions, where one route reaches it, against the general way of
  making them (an AND over choices of the answers each allows, ordered by the
  choices' places in the pathway), which the exporter keeps for other steps;
* the exported text against ``json.dumps`` of the plan cleaned the plain way.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.export.interop import fhir
from designer.export.interop.json_text import dumps_indented
from designer.graph.io import load_pathway
from designer.graph.model import Pathway

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


# ---- the plain computations the quick ones replaced -------------------------------

def plain_simplified(terms: set, points: dict) -> set:
    terms = set(terms)
    while True:
        terms = {t for t in terms if not any(o < t for o in terms)}
        for term in sorted(terms, key=sorted):
            found = next((
                (key, index) for key, index in sorted(term) if not points[key].optional
                and all(term - {(key, index)} | {(key, other)} in terms
                        for other in points[key].ways)), None)
            if found is not None:
                rest = term - {found}
                terms -= {rest | {(found[0], other)} for other in points[found[0]].ways}
                terms.add(rest)
                break
        else:
            return terms


def plain_route_terms(pathway: Pathway, limit: int = 64) -> dict | None:
    points = fhir.choices(pathway)
    steps = pathway.steps_by_id()
    choice_of = {index: key for key, choice in points.items() for index in choice.ways}
    out: dict = {}
    for index, t in enumerate(pathway.transitions):
        if t.source in steps and t.target in steps:
            out.setdefault(t.source, []).append((index, t.target))
    terms: dict = {e: {frozenset()} for e in fhir._entries(pathway)}
    todo = list(terms)
    rounds = 0
    while todo:
        rounds += 1
        if rounds > 50 * (len(steps) + 1):
            return None
        node = todo.pop(0)
        for index, target in out.get(node, ()):
            key = choice_of.get(index)
            coming = set()
            for term in terms[node]:
                if key is None:
                    coming.add(term)
                elif not any(k == key and i != index for k, i in term):
                    coming.add(term | {(key, index)})
            have = terms.get(target, set())
            if all(any(o <= t for o in have) for t in coming):
                continue
            merged = plain_simplified(have | coming, points)
            if len(merged) > limit:
                return None
            terms[target] = merged
            if target not in todo:
                todo.append(target)
    return terms


def plain_clean(value):
    if isinstance(value, str):
        return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", value).strip()
    if isinstance(value, dict):
        cleaned = {k: plain_clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in ("", {}, [], None)}
    if isinstance(value, list):
        cleaned = [plain_clean(v) for v in value]
        return [v for v in cleaned if v not in ("", {}, [], None)]
    return value


# ---- random pathways ---------------------------------------------------------------

@st.composite
def pathways(draw) -> Pathway:
    """Up to 12 steps (an entry, tasks and decisions, perhaps exits) joined at random:
    loops, steps nothing reaches, parallel ways, ways with and without conditions."""
    n = draw(st.integers(2, 12))
    kinds = ["entry"] + draw(st.lists(st.sampled_from(["task", "task", "decision", "exit"]),
                                      min_size=n - 1, max_size=n - 1))
    pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                          max_size=3 * n, unique=True))
    ways = []
    for a, b in pairs:
        if a == b:
            continue
        way = {"from": f"s{a}", "to": f"s{b}"}
        if draw(st.booleans()):
            way["condition"] = draw(st.sampled_from(["Fit", "Not fit", "HbA1c < 69 mmol/mol"]))
        if kinds[a] == "task" and draw(st.integers(0, 3)) == 0:
            way["parallel"] = True
        ways.append(way)
    return Pathway.model_validate({
        "id": "random", "title": "Random",
        "settings": [{"id": "h", "name": "Hospital", "kind": "secondary"}],
        "steps": [{"id": f"s{i}", "name": f"Step {i}", "kind": kind, "setting": "h"}
                  for i, kind in enumerate(kinds)],
        "transitions": ways})


def json_values():
    """JSON values (keys of every kind json.dumps takes) in which some lists and dicts
    are one object met many times, as the plan's conditions are."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**20, 10**20),
                        st.floats(allow_nan=True, allow_infinity=True),
                        st.text(max_size=8))
    keys = st.one_of(st.text(max_size=5), st.integers(-5, 5), st.booleans(), st.none(),
                     st.floats(allow_nan=False, allow_infinity=True))

    def grow(inner):
        return st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4),
                         st.lists(inner, max_size=3).map(tuple),
                         # the same object several times, at one depth and at two
                         inner.map(lambda v: [v, v, v]),
                         inner.map(lambda v: [v, [v, v], {"k": v}]))

    return st.recursive(scalars, grow, max_leaves=30)


def containers(value, found=None) -> dict[int, int]:
    """How often each list, tuple and dict occurs in ``value``, by id."""
    found = {} if found is None else found
    if isinstance(value, (list, tuple, dict)):
        found[id(value)] = found.get(id(value), 0) + 1
        for item in value.values() if isinstance(value, dict) else value:
            containers(item, found)
    return found


# ---- the checks --------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(json_values())
def test_json_text_is_what_json_dumps_writes(value):
    expected = json.dumps(value, indent=2, ensure_ascii=False)
    assert dumps_indented(value) == expected
    counts = containers(value)
    assert dumps_indented(value, set(counts)) == expected          # every part "shared"
    assert dumps_indented(value, {i for i, n in counts.items() if n > 1},
                          end="\n") == expected + "\n"


def test_json_text_refuses_what_json_dumps_refuses():
    for value in ({"a": object()}, {(1, 2): "tuple key"}):
        with pytest.raises(TypeError):
            json.dumps(value)
        with pytest.raises(TypeError):
            dumps_indented(value)


def fixed_pathways() -> list[tuple[str, Pathway]]:
    return ([(p.stem, load_pathway(p, use_cache=False)) for p in EXEMPLARS]
            + [(f"synthetic-{n}", make_pathway(n, lanes=lanes, seed=seed))
               for n, lanes, seed in ((120, 6, 0), (60, 3, 1), (45, 2, 2))])


DAY = dt.date(2026, 1, 1)


def same_plan_both_ways(pathway: Pathway) -> None:
    quick = fhir.plan_definition(pathway, date=DAY)
    assert quick == fhir._plan(pathway, date=DAY, quick=False)[0]


@pytest.mark.parametrize("name_pathway", fixed_pathways(), ids=lambda np: np[0])
def test_route_terms_and_text_as_the_plain_computations_give_them(name_pathway, tmp_path):
    _name, pathway = name_pathway
    assert fhir.route_terms(pathway) == plain_route_terms(pathway)
    same_plan_both_ways(pathway)
    text = fhir.export_fhir(pathway, date=DAY)
    assert text == json.dumps(plain_clean(fhir.plan_definition(pathway, date=DAY)), indent=2,
                              ensure_ascii=False) + "\n"
    # the file the export writes a part at a time holds the same text
    fhir.write_fhir(pathway, tmp_path / "plan.json", date=DAY)
    assert (tmp_path / "plan.json").read_bytes() == text.encode("utf-8")


def test_the_file_written_in_parts_is_the_text_with_any_characters(tmp_path):
    pathway = make_pathway(40, seed=4)
    steps = [s.model_copy(update={"name": f"Ставка «{n}» 🩺 ≥ 69 mmol/mol"})
             for n, s in enumerate(pathway.steps)]
    pathway = pathway.model_copy(update={"steps": steps})
    fhir.write_fhir(pathway, tmp_path / "plan.json", date=DAY)
    assert (tmp_path / "plan.json").read_bytes() == fhir.export_fhir(pathway, date=DAY).encode()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways(), st.sampled_from([1, 2, 64]))
def test_route_terms_on_random_pathways_as_the_plain_computation_gives_them(pathway, limit):
    assert fhir.route_terms(pathway, limit=limit) == plain_route_terms(pathway, limit)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways())
def test_export_text_on_random_pathways_is_json_dumps_of_the_plain_clean(pathway):
    same_plan_both_ways(pathway)
    text = fhir.export_fhir(pathway)
    assert text == json.dumps(plain_clean(fhir.plan_definition(pathway)), indent=2,
                              ensure_ascii=False) + "\n"


# ---- the importer checks each repeated condition once -----------------------------

def full_check_message(plan: dict) -> str | None:
    """What validating the whole plan with the R4B model says (None: valid)."""
    from pydantic import ValidationError

    PlanDefinition = pytest.importorskip("fhir.resources.R4B.plandefinition").PlanDefinition
    try:
        PlanDefinition.model_validate(plan)
    except ValidationError as exc:
        first = exc.errors()[0]
        return ".".join(str(x) for x in first.get("loc", ())) + ": " + str(first.get("msg"))
    return None


def test_import_of_a_long_export_reads_it_back_and_refuses_a_bad_repeated_condition():
    from designer.export.interop.fhir_import import _distinct_conditions, fhir_to_pathway
    from designer.export.interop.import_common import ImportRefused
    from designer.graph.diff import diff_pathways

    pathway = make_pathway(60, lanes=3, seed=1)
    text = fhir.export_fhir(pathway)
    plan = json.loads(text)
    repeated = [a for a in plan["action"] if len(a.get("condition", [])) > 2]
    assert len(repeated) > 10
    # fewer conditions to validate, and the same plan otherwise
    fewer = _distinct_conditions(plan)
    assert sum(len(a.get("condition", [])) for a in fewer["action"]) < \
        sum(len(a.get("condition", [])) for a in plan["action"]) / 3
    assert [{k: v for k, v in a.items() if k != "condition"} for a in fewer["action"]] == \
        [{k: v for k, v in a.items() if k != "condition"} for a in plan["action"]]
    assert full_check_message(plan) is None
    assert diff_pathways(pathway, fhir_to_pathway(text.encode(), "long.json").pathway).is_empty()
    # one condition made invalid on every step that repeats it: refused, with the place
    # and words validating the whole plan gives
    for action in repeated:
        action["condition"][1]["kind"] = {"not": "a code"}
    expected = full_check_message(plan)
    assert expected is not None
    with pytest.raises(ImportRefused) as refused:
        fhir_to_pathway(json.dumps(plan).encode(), "bad.json")
    assert expected in str(refused.value)
