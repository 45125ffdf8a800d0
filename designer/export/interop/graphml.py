"""The pathway as GraphML, for network tools such as yEd and Gephi.

Nodes are steps (GraphML id = step id), edges are transitions. Every attribute
is declared with a ``<key>``: the node ``label`` (Gephi shows it), kind, lane
(the setting's id and name), activity, phase, owner (role id and name) and
expected duration; on edges the condition, wait, share of patients and the
handoff (sender, receiver, information, channel, service level and whether it
is complete). yEd also reads the ``nodegraphics``/``edgegraphics`` data: shapes
in the designer's colours at the designer's positions, so the graph opens laid
out with readable labels. Tools that do not know the yEd extension ignore it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from designer.graph import geometry
from designer.graph.layout import with_positions
from designer.graph.model import ACTIVITY_LABELS, Pathway, StepKind
from designer.render import style
from designer.export.kit.xmltext import strip_non_xml

GRAPHML = "http://graphml.graphdrawing.org/xmlns"
YED = "http://www.yworks.com/xml/graphml"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = ("http://graphml.graphdrawing.org/xmlns "
          "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd")

ET.register_namespace("", GRAPHML)
ET.register_namespace("y", YED)
ET.register_namespace("xsi", XSI)

# (key id, applies to, attribute name, type)
NODE_KEYS = (
    ("label", "node", "label", "string"),
    ("kind", "node", "kind", "string"),
    ("lane", "node", "lane", "string"),
    ("lane_name", "node", "lane name", "string"),
    ("activity", "node", "activity", "string"),
    ("phase", "node", "phase", "string"),
    ("owner", "node", "owner", "string"),
    ("owner_name", "node", "owner name", "string"),
    ("duration_days", "node", "duration days", "double"),
    ("description", "node", "description", "string"),
)
EDGE_KEYS = (
    ("condition", "edge", "condition", "string"),
    ("wait_days", "edge", "wait days", "double"),
    ("probability", "edge", "probability", "double"),
    ("crosses_lanes", "edge", "crosses lanes", "boolean"),
    ("handoff", "edge", "handoff", "boolean"),
    ("handoff_complete", "edge", "handoff complete", "boolean"),
    ("sender", "edge", "sender", "string"),
    ("receiver", "edge", "receiver", "string"),
    ("information", "edge", "information", "string"),
    ("channel", "edge", "channel", "string"),
    ("within_days", "edge", "within days", "double"),
)
_SHAPES = {StepKind.entry: "roundrectangle", StepKind.exit: "roundrectangle",
           StepKind.decision: "diamond", StepKind.wait: "hexagon",
           StepKind.task: "rectangle"}


def _g(tag: str) -> str:
    return f"{{{GRAPHML}}}{tag}"


def _y(tag: str) -> str:
    return f"{{{YED}}}{tag}"


def _data(parent: ET.Element, key: str, value) -> None:
    if value is None or value == "":
        return
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        text = f"{value:g}"
    else:
        text = str(value)
    ET.SubElement(parent, _g("data"), {"key": key}).text = text


def graphml_tree(pathway: Pathway) -> ET.ElementTree:
    """The GraphML document as an ElementTree."""
    placed = with_positions(pathway)
    bands = geometry.lane_bands(placed)
    root = ET.Element(_g("graphml"), {f"{{{XSI}}}schemaLocation": SCHEMA})
    for key_id, domain, name, kind in (
            ("pathway_title", "graph", "title", "string"),
            ("pathway_version", "graph", "version", "string"), *NODE_KEYS, *EDGE_KEYS):
        ET.SubElement(root, _g("key"), {"id": key_id, "for": domain,
                                        "attr.name": name, "attr.type": kind})
    ET.SubElement(root, _g("key"), {"id": "node_graphics", "for": "node",
                                    "yfiles.type": "nodegraphics"})
    ET.SubElement(root, _g("key"), {"id": "edge_graphics", "for": "edge",
                                    "yfiles.type": "edgegraphics"})
    graph = ET.SubElement(root, _g("graph"), {"id": pathway.id, "edgedefault": "directed"})
    _data(graph, "pathway_title", pathway.title)
    _data(graph, "pathway_version", pathway.version)

    for step in placed.steps:
        node = ET.SubElement(graph, _g("node"), {"id": step.id})
        setting = placed.setting(step.setting) if step.setting else None
        role = placed.role(step.owner) if step.owner else None
        _data(node, "label", step.name)
        _data(node, "kind", step.kind.value)
        _data(node, "lane", step.setting)
        _data(node, "lane_name", setting.name if setting else None)
        _data(node, "activity", ACTIVITY_LABELS.get(step.activity) if step.activity else None)
        _data(node, "phase", step.phase.value if step.phase else None)
        _data(node, "owner", step.owner)
        _data(node, "owner_name", role.name if role else None)
        _data(node, "duration_days", step.duration_days)
        _data(node, "description", step.description)
        cx, cy = geometry.scene_centre(bands, step)
        w, h = geometry.step_size(step.kind)
        graphics = ET.SubElement(ET.SubElement(node, _g("data"), {"key": "node_graphics"}),
                                 _y("ShapeNode"))
        ET.SubElement(graphics, _y("Geometry"), {"x": f"{cx - w / 2:g}", "y": f"{cy - h / 2:g}",
                                                 "width": f"{w:g}", "height": f"{h:g}"})
        ET.SubElement(graphics, _y("Fill"), {"color": style.step_fill(step.activity).upper(),
                                             "transparent": "false"})
        ET.SubElement(graphics, _y("BorderStyle"), {"color": style.STEP_BORDER.upper(),
                                                    "type": "line", "width": "1.0"})
        label = step.name + (f"\n{role.name}" if role else "")
        ET.SubElement(graphics, _y("NodeLabel"), {
            "fontFamily": style.FONT_FAMILY, "fontSize": "12", "autoSizePolicy": "content",
            "modelName": "internal", "modelPosition": "c"}).text = label
        ET.SubElement(graphics, _y("Shape"), {"type": _SHAPES[step.kind]})

    steps = placed.steps_by_id()
    for index, t in enumerate(placed.transitions):
        edge = ET.SubElement(graph, _g("edge"), {
            "id": f"e{index + 1}", "source": t.source, "target": t.target})
        a, b = steps.get(t.source), steps.get(t.target)
        crosses = bool(a and b and a.setting != b.setting)
        _data(edge, "condition", t.condition)
        _data(edge, "wait_days", t.wait_days)
        _data(edge, "probability", t.probability)
        _data(edge, "crosses_lanes", crosses)
        _data(edge, "handoff", t.handoff is not None)
        if t.handoff is not None:
            h = t.handoff
            _data(edge, "handoff_complete", h.is_complete())
            _data(edge, "sender", h.sender)
            _data(edge, "receiver", h.receiver)
            _data(edge, "information", "; ".join(h.information))
            _data(edge, "channel", h.channel)
            _data(edge, "within_days", h.within_days)
        elif crosses:
            _data(edge, "handoff_complete", False)
        line = ET.SubElement(ET.SubElement(edge, _g("data"), {"key": "edge_graphics"}),
                             _y("PolyLineEdge"))
        colour = style.EDGE_COLOUR
        if crosses:
            complete = t.handoff is not None and t.handoff.is_complete()
            colour = style.HANDOFF_OK if complete else style.HANDOFF_INCOMPLETE
        ET.SubElement(line, _y("LineStyle"), {"color": colour.upper(), "type": "line",
                                              "width": "1.5" if crosses else "1.0"})
        ET.SubElement(line, _y("Arrows"), {"source": "none", "target": "standard"})
        if t.condition:
            ET.SubElement(line, _y("EdgeLabel"), {"fontSize": "11"}).text = t.condition
    return ET.ElementTree(root)


def graphml_xml(pathway: Pathway) -> str:
    """The GraphML document as UTF-8 XML text with a declaration."""
    tree = graphml_tree(pathway)
    ET.indent(tree, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            + strip_non_xml(ET.tostring(tree.getroot(), encoding="unicode")) + "\n")


def export_graphml(pathway: Pathway, out_path=None) -> str:
    """Return the GraphML text; also write it (UTF-8) to ``out_path`` when given."""
    text = graphml_xml(pathway)
    if out_path is not None:
        from designer.graph.io import write_text_atomic

        write_text_atomic(Path(out_path), text)
    return text
