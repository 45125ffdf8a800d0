"""Each BPMN node lists exactly its own flows, incoming before outgoing, in flow order.

The truth is the document's own ``sequenceFlow`` elements (their ``sourceRef`` and
``targetRef``), read back independently of how the exporter indexed them.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from designer.export.interop.bpmn import bpmn_xml
from designer.graph.io import load_pathway
from designer.library import builtin_folder

M = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))


def _cases():
    from generate import make_pathway

    yield pytest.param(make_pathway(120, seed=3), id="synthetic-120")
    for path in sorted(builtin_folder().glob("*.yaml")):
        yield pytest.param(load_pathway(path), id=path.stem)


@pytest.mark.parametrize("pathway", list(_cases()))
def test_every_node_lists_its_flows_in_document_order(pathway):
    process = ET.fromstring(bpmn_xml(pathway)).find(f"{M}process")
    flows = process.findall(f"{M}sequenceFlow")
    assert len(flows) == len(pathway.transitions)
    for node in process:
        if node.get("id") is None or node.tag in (f"{M}sequenceFlow", f"{M}laneSet"):
            continue
        refs = [(r.tag, r.text) for r in node if r.tag in (f"{M}incoming", f"{M}outgoing")]
        want = ([(f"{M}incoming", f.get("id")) for f in flows
                 if f.get("targetRef") == node.get("id")]
                + [(f"{M}outgoing", f.get("id")) for f in flows
                   if f.get("sourceRef") == node.get("id")])
        assert refs == want, node.get("name")
