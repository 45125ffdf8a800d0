"""Loading pauses the cycle collector and always gives it back as it was."""

from __future__ import annotations

import gc

import pytest

from designer.graph.gcpause import gc_paused
from designer.graph.io import PathwayLoadError, loads_pathway

GOOD = """format: periop-pathway/1
id: tiny
title: Tiny
steps:
  - {id: a, name: Referral, kind: entry}
  - {id: b, name: Home, kind: exit}
transitions:
  - {source: a, target: b}
"""


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_is_off_during_the_block_and_back_on_after(collector_on):
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_turns_it_back_on(collector_on):
    with pytest.raises(ValueError):
        with gc_paused():
            raise ValueError("boom")
    assert gc.isenabled()


def test_nested_pauses_leave_it_off_until_the_outer_one_ends(collector_on):
    with gc_paused():
        with gc_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_caller_that_turned_it_off_keeps_it_off():
    was = gc.isenabled()
    gc.disable()
    try:
        loads_pathway(GOOD)
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()


def test_loading_good_and_bad_text_leaves_the_collector_on(collector_on):
    assert loads_pathway(GOOD).id == "tiny"
    assert gc.isenabled()
    for bad in ("steps: [", "- just a list", "id: x\nsteps: 3\n"):
        with pytest.raises(PathwayLoadError):
            loads_pathway(bad)
        assert gc.isenabled()


def test_an_export_gives_the_collector_back_even_when_it_fails(collector_on, tmp_path):
    from designer.export import ExportRefused, export_one

    pathway = loads_pathway(GOOD)
    export_one(pathway, "graphml", tmp_path / "p.graphml")
    assert gc.isenabled() and (tmp_path / "p.graphml").stat().st_size > 0
    with pytest.raises(ExportRefused):
        export_one(pathway, "no-such-format", tmp_path / "p.x")
    assert gc.isenabled()
    with pytest.raises(Exception):          # whatever the writer raises for no folder
        export_one(pathway, "bpmn", tmp_path / "missing-folder" / "p.bpmn")
    assert gc.isenabled()
