"""A long pathway is validated an item at a time (the reading worker then never holds
the interpreter lock for long); the result and any error are those of the one call."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from designer.graph import io
from designer.graph.model import Pathway

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402


def _data(pathway: Pathway) -> dict:
    return pathway.model_dump(mode="json", by_alias=True, exclude_unset=True)


def test_item_by_item_gives_the_pathway_the_one_call_gives():
    data = _data(make_pathway(io.PIECEWISE_ITEMS + 150))
    whole = Pathway.model_validate(data)
    pieces = io.validate_pathway(data)
    assert pieces == whole
    assert pieces.model_dump() == whole.model_dump()
    assert [s.model_fields_set for s in pieces.steps] == [s.model_fields_set for s in whole.steps]
    assert ([t.model_fields_set for t in pieces.transitions]
            == [t.model_fields_set for t in whole.transitions])


@pytest.mark.parametrize("spoil", ["bad step", "duplicate id"])
def test_a_problem_in_a_long_pathway_gets_the_one_call_message(monkeypatch, spoil):
    pathway = make_pathway(io.PIECEWISE_ITEMS + 100)
    data = _data(pathway)
    if spoil == "bad step":
        data["steps"][250]["kind"] = "teleport"
    else:
        data["steps"][260]["id"] = data["steps"][3]["id"]
    import yaml
    text = yaml.safe_dump(data, sort_keys=False)
    with pytest.raises(io.PathwayLoadError) as pieces:
        io.loads_pathway(text, "long.yaml")
    monkeypatch.setattr(io, "PIECEWISE_ITEMS", 10 ** 9)       # one call, as before
    with pytest.raises(io.PathwayLoadError) as whole:
        io.loads_pathway(text, "long.yaml")
    assert str(pieces.value) == str(whole.value)
