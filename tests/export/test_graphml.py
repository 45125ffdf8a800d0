"""GraphML export: declared keys, labels, lanes and handoffs; readable by networkx."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from designer.export.interop.graphml import export_graphml
from test_bpmn import EVIL, interop_pathway

G = "{http://graphml.graphdrawing.org/xmlns}"
Y = "{http://www.yworks.com/xml/graphml}"


def parse(pathway) -> ET.Element:
    return ET.fromstring(export_graphml(pathway).encode("utf-8"))


def node_data(root: ET.Element) -> dict[str, dict[str, str]]:
    keys = {k.get("id"): k.get("attr.name") for k in root.findall(f"{G}key")}
    out = {}
    for node in root.iter(f"{G}node"):
        out[node.get("id")] = {keys[d.get("key")]: d.text for d in node.findall(f"{G}data")
                               if keys.get(d.get("key"))}
    return out


def test_every_data_key_is_declared_and_ids_are_consistent():
    root = parse(interop_pathway())
    declared = {k.get("id"): k.get("for") for k in root.findall(f"{G}key")}
    for parent in ("graph", "node", "edge"):
        for element in root.iter(f"{G}{parent}"):
            for data in element.findall(f"{G}data"):
                assert declared.get(data.get("key")) in (parent, "all"), data.get("key")
    nodes = {n.get("id") for n in root.iter(f"{G}node")}
    assert len(nodes) == len(list(root.iter(f"{G}node")))
    graph = root.find(f"{G}graph")
    assert graph.get("edgedefault") == "directed"


def test_nodes_carry_label_lane_activity_owner_and_phase():
    pathway = interop_pathway()
    pathway.update_step("sdm", activity="shared-decision-making", phase="contemplation")
    data = node_data(parse(pathway))
    sdm = data["sdm"]
    assert sdm["label"] == "Shared decision making"
    assert sdm["lane"] == "hospital" and sdm["lane name"] == "Hospital"
    assert sdm["activity"] == "Shared decision making"
    assert sdm["phase"] == "contemplation"
    assert sdm["owner"] == "surgeon" and sdm["owner name"] == "Consultant surgeon"
    assert data["fit"]["kind"] == "decision"


def test_edges_carry_conditions_and_handoffs():
    graph = nx.read_graphml(
        __import__("io").BytesIO(export_graphml(interop_pathway()).encode("utf-8")))
    referral = graph.edges["referral", "sdm"]
    assert referral["handoff"] is True and referral["handoff complete"] is True
    assert referral["information"] == "referral letter; medicines list"
    assert referral["wait days"] == 14 and referral["within days"] == 14
    branch = graph.edges["fit", "optimise"]
    assert branch["condition"] == "HbA1c 69 mmol/mol or more"
    assert branch["handoff complete"] is False            # no receiver, no channel
    assert graph.edges["surgery", "home"]["crosses lanes"] is True
    assert graph.edges["surgery", "home"]["handoff"] is False
    assert graph.edges["sdm", "pac"]["crosses lanes"] is False


def test_yed_graphics_place_nodes_where_the_designer_does():
    root = parse(interop_pathway())
    node = next(n for n in root.iter(f"{G}node") if n.get("id") == "sdm")
    geometry = node.find(f".//{Y}Geometry")
    assert float(geometry.get("x")) + float(geometry.get("width")) / 2 == pytest.approx(470)
    assert node.find(f".//{Y}Shape").get("type") == "rectangle"
    fit = next(n for n in root.iter(f"{G}node") if n.get("id") == "fit")
    assert fit.find(f".//{Y}Shape").get("type") == "diamond"


@pytest.mark.parametrize("text", EVIL)
def test_user_text_is_escaped(text):
    xml = export_graphml(interop_pathway(evil=True))
    root = ET.fromstring(xml.encode("utf-8"))
    labels = {d.get("label") for d in node_data(root).values()}
    assert text in labels
    assert "<script>" not in xml
