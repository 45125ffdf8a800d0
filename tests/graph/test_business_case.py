"""The business_case block: exact round trip, refusals that name the field, the edit method."""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.graph.io import PathwayLoadError, dump_pathway, load_pathway, loads_pathway
from designer.graph.model import EditRefused

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"


def _eras():
    return load_pathway(LIBRARY / "eras-plus-colorectal.yaml")


def test_round_trip_is_exact():
    pathway = _eras()
    text = dump_pathway(pathway)
    again = loads_pathway(text)
    assert dump_pathway(again) == text
    assert again.business_case == pathway.business_case
    assert "business_case:" in text and "cash_releasing_share: 0" in text


def test_a_pathway_without_the_block_saves_without_it():
    pathway = load_pathway(LIBRARY / "day-case-lap-chole.yaml")
    assert pathway.business_case is None
    assert "business_case" not in dump_pathway(pathway)


@pytest.mark.parametrize("change, field", [
    ({"risks": [{"risk": "Beds absorbed", "mitigation": "Ring-fence"}]},
     "business_case.risks[0].owner"),
    ({"recommendation": "one\ntwo\nthree\nfour"}, "business_case.recommendation"),
    ({"options": [{"name": "A", "preferred": True}, {"name": "B", "preferred": True}]},
     "business_case.options[1].preferred"),
    ({"options": [{"name": "A"}, {"name": "a"}]}, "business_case.options[1].name"),
    ({"cash_releasing_share": 1.5}, "business_case.cash_releasing_share"),
    ({"sponsr": "x"}, "business_case.sponsr"),
    ({"implications": {"quality": "  "}}, "business_case.implications.quality"),
])
def test_refusals_name_the_field_and_change_nothing(change, field):
    pathway = _eras()
    before = pathway.business_case
    data = before.model_dump(exclude_none=True)
    data.update(change)
    with pytest.raises(EditRefused) as refused:
        pathway.set_business_case(data)
    assert field in str(refused.value)
    assert pathway.business_case == before


def test_a_bad_block_in_a_file_is_refused_naming_the_field():
    text = dump_pathway(_eras()).replace("cash_releasing_share: 0", "cash_releasing_share: 2")
    with pytest.raises(PathwayLoadError) as refused:
        loads_pathway(text)
    assert "business_case.cash_releasing_share" in str(refused.value)


def test_set_business_case_tells_listeners_and_returns_the_old():
    pathway = _eras()
    events = []
    pathway.subscribe(events.append)
    old = pathway.set_business_case({"decision": "Approve it", "sponsor": "Medical director"})
    assert old is not None and old.sponsor == "Clinical director for surgery"
    assert pathway.business_case.decision == "Approve it"
    assert events[-1].kind == "business-case-changed"
    assert pathway.set_business_case({}) is not None      # an empty case removes the block
    assert pathway.business_case is None
