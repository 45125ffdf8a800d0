"""The pathway as BPMN 2.0 XML with diagram interchange (BPMN DI).

One collaboration with one participant (the pathway) whose process has a lane
per setting of care, so bpmn.io and Camunda Modeler open it laid out the way it
looks in the designer. Mapping (DESIGN.md section 5):

* entry -> ``startEvent``; exit -> ``endEvent``;
* task -> ``userTask`` when a role owns it, else ``task``;
* decision -> ``exclusiveGateway``; each outgoing flow carries a
  ``conditionExpression`` holding the branch condition as written (prose, so the
  process is marked not executable);
* wait -> ``intermediateCatchEvent`` with a ``timerEventDefinition`` whose
  ``timeDuration`` is the ISO 8601 duration of the wait (``P14D``);
* transition -> ``sequenceFlow``; its expected wait and handoff go into the
  flow's ``documentation``;
* steps with no known setting go into an extra lane "No lane set", so every
  node is in exactly one lane;
* what BPMN cannot carry (a step's activity, phase, owner, channel, codes and
  patient information; a transition's wait, share and handoff; a lane's kind;
  the pathway's header, roles, evidence and workshop) goes into
  ``extensionElements`` in our own namespace (:mod:`.interop.extensions`), which
  other modellers ignore and our importer reads back.

All text is written through ElementTree, which escapes it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from designer.graph import geometry, routing
from designer.graph.layout import with_positions
from designer.graph.model import Pathway, Step, StepKind, Transition
from designer.export.interop import extensions as ext
from designer.export.kit.xmltext import strip_non_xml

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
TARGET_NAMESPACE = "https://github.com/periop-pathway-designer/bpmn"
PARTICIPANT_LABEL_WIDTH = 30.0   # the vertical name strip bpmn.io draws for a pool

for _prefix, _uri in (("bpmn", MODEL), ("bpmndi", BPMNDI), ("dc", DC), ("di", DI),
                      ("xsi", XSI), (ext.PREFIX, ext.NAMESPACE)):
    ET.register_namespace(_prefix, _uri)


def _m(tag: str) -> str:
    return f"{{{MODEL}}}{tag}"


def _our_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("periop-pathway-designer")
    except PackageNotFoundError:      # running from a source tree
        return "development"


def iso_days(days: float) -> str:
    """ISO 8601 duration for a number of days (``P14D``, ``PT12H`` for half a day)."""
    if days <= 0:
        return "PT0S"
    if float(days).is_integer():
        return f"P{int(days)}D"
    whole, hours = int(days), round((days - int(days)) * 24, 3)
    return (f"P{whole}D" if whole else "P") + f"T{hours:g}H"


@dataclass(frozen=True)
class _Shape:
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2


def _bpmn_size(step: Step) -> tuple[float, float]:
    if step.kind in (StepKind.entry, StepKind.exit, StepKind.wait):
        return 36.0, 36.0
    if step.kind is StepKind.decision:
        return 50.0, 50.0
    return geometry.step_size(step.kind)


def _waypoints(a: _Shape, b: _Shape, from_gateway: bool = False
               ) -> list[tuple[float, float]]:
    """An orthogonal route from ``a`` to ``b`` (right-to-left ports when forwards).

    A branch leaving a gateway for another row leaves from the diamond's top or
    bottom corner, so branches do not share the first stretch of line.
    """
    if from_gateway and b.x >= a.x + a.w + 20 and abs(b.cy - a.cy) > a.h / 2:
        corner_y = a.y if b.cy < a.cy else a.y + a.h
        return [(a.cx, corner_y), (a.cx, b.cy), (b.x, b.cy)]
    if b.x >= a.x + a.w + 20:
        mid = (a.x + a.w + b.x) / 2
        points = [(a.x + a.w, a.cy), (mid, a.cy), (mid, b.cy), (b.x, b.cy)]
    elif abs(a.cx - b.cx) < (a.w + b.w) / 2:
        if b.cy >= a.cy:
            points = [(a.cx, a.y + a.h), (a.cx, (a.y + a.h + b.y) / 2),
                      (b.cx, (a.y + a.h + b.y) / 2), (b.cx, b.y)]
        else:
            points = [(a.cx, a.y), (a.cx, (a.y + b.y + b.h) / 2),
                      (b.cx, (a.y + b.y + b.h) / 2), (b.cx, b.y + b.h)]
    else:
        # back in time: out of the source's left side into the gap between columns,
        # down below both steps, along and up into the target from below
        channel = a.cx - geometry.LAYER_SPACING / 2
        depth = max(a.y + a.h, b.y + b.h) + 30
        low = a.y + a.h * 0.75       # below the middle, where forward arrows come in
        points = [(a.x, low), (channel, low), (channel, depth), (b.cx, depth),
                  (b.cx, b.y + b.h)]
    route = [points[0]]
    for point in points[1:]:
        if point == route[-1]:
            continue
        if len(route) >= 2 and (route[-2][0] == route[-1][0] == point[0]
                                or route[-2][1] == route[-1][1] == point[1]):
            route[-1] = point       # drop a bend that is not one (three points in line)
        else:
            route.append(point)
    return route


class _Ids:
    """Unique XML ids (NCName) made from our ids."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, prefix: str, base: str = "") -> str:
        candidate = f"{prefix}_{base}" if base else prefix
        unique, n = candidate, 2
        while unique in self.used:
            unique, n = f"{candidate}_{n}", n + 1
        self.used.add(unique)
        return unique


def _documentation(parent: ET.Element, text: str | None) -> None:
    if text:
        ET.SubElement(parent, _m("documentation")).text = text


def _extension(parent: ET.Element, tag: str, model, exclude=()) -> None:
    """Our round-trip data for ``parent`` (must come after its documentation)."""
    holder = ET.SubElement(parent, _m("extensionElements"))
    ext.encode(holder, tag, model, exclude)


# what BPMN itself carries, left out of our extension elements
PATHWAY_IN_BPMN = ("format", "title", "summary", "settings", "steps", "transitions")
STEP_IN_BPMN = ("name", "kind", "description", "position")
TRANSITION_IN_BPMN = ("source", "target", "condition")
NO_CONDITION = "no condition recorded"


def _flow_notes(pathway: Pathway, t: Transition) -> str:
    notes = []
    if t.wait_days is not None:
        notes.append(f"Expected wait: {t.wait_days:g} days.")
    if t.probability is not None:
        notes.append(f"Share of patients: {t.probability:.0%}.")
    h = t.handoff
    if h is not None:
        def who(role_id):
            role = pathway.role(role_id) if role_id else None
            return role.name if role else (role_id or "not recorded")
        notes.append(f"Handoff from {who(h.sender)} to {who(h.receiver)}"
                     + (f" by {h.channel}" if h.channel else "")
                     + (f" within {h.within_days:g} days" if h.within_days is not None else "")
                     + (": " + "; ".join(h.information) if h.information else "") + ".")
    return " ".join(notes)


def bpmn_tree(pathway: Pathway) -> ET.ElementTree:
    """The BPMN document as an ElementTree."""
    placed = with_positions(pathway)
    bands = geometry.lane_bands(placed)
    ids = _Ids()
    definitions = ET.Element(_m("definitions"), {
        "id": ids.make("Definitions", "1"), "targetNamespace": TARGET_NAMESPACE,
        "exporter": "Perioperative Pathway Designer", "exporterVersion": _our_version()})
    collaboration = ET.SubElement(definitions, _m("collaboration"),
                                  {"id": ids.make("Collaboration", "1")})
    process_id = ids.make("Process", "1")
    participant = ET.SubElement(collaboration, _m("participant"), {
        "id": ids.make("Participant", "1"), "name": pathway.title,
        "processRef": process_id})
    process = ET.SubElement(definitions, _m("process"), {
        "id": process_id, "name": pathway.title, "isExecutable": "false"})
    _documentation(process, pathway.summary)
    _extension(process, "pathway", pathway, PATHWAY_IN_BPMN)
    lane_set = ET.SubElement(process, _m("laneSet"), {"id": ids.make("LaneSet", "1")})

    # nodes
    node_ids: dict[str, str] = {s.id: ids.make("Step", s.id) for s in placed.steps}
    shapes: dict[str, _Shape] = {}
    nodes: dict[str, ET.Element] = {}
    incoming_wait: dict[str, float] = {}
    for t in placed.transitions:
        if t.wait_days:
            incoming_wait[t.target] = max(incoming_wait.get(t.target, 0.0), t.wait_days)
    for step in placed.steps:
        cx, cy = geometry.scene_centre(bands, step)
        w, h = _bpmn_size(step)
        shapes[step.id] = _Shape(cx - w / 2, cy - h / 2, w, h)
        tag = {StepKind.entry: "startEvent", StepKind.exit: "endEvent",
               StepKind.decision: "exclusiveGateway",
               StepKind.wait: "intermediateCatchEvent"}.get(
            step.kind, "userTask" if step.owner else "task")
        node = ET.SubElement(process, _m(tag), {"id": node_ids[step.id], "name": step.name})
        _documentation(node, step.description)
        known_lane = placed.setting(step.setting) is not None if step.setting else False
        _extension(node, "step", step, STEP_IN_BPMN + (("setting",) if known_lane else ()))
        nodes[step.id] = node

    # flows (incoming/outgoing refs must precede event definitions in the schema)
    flows: list[tuple[str, Transition]] = []
    for t in placed.transitions:
        if t.source in node_ids and t.target in node_ids:
            flows.append((ids.make("Flow", f"{len(flows) + 1}"), t))
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow_id, t in flows:        # one pass, keeping the flows' order per step
        incoming.setdefault(t.target, []).append(flow_id)
        outgoing.setdefault(t.source, []).append(flow_id)
    for step in placed.steps:   # the schema wants every incoming before any outgoing
        for flow_id in incoming.get(step.id, ()):
            ET.SubElement(nodes[step.id], _m("incoming")).text = flow_id
        for flow_id in outgoing.get(step.id, ()):
            ET.SubElement(nodes[step.id], _m("outgoing")).text = flow_id
    for step in placed.steps:
        if step.kind is StepKind.wait:
            timer = ET.SubElement(nodes[step.id], _m("timerEventDefinition"),
                                  {"id": ids.make("Timer", step.id)})
            days = step.duration_days if step.duration_days is not None else \
                incoming_wait.get(step.id)
            if days is not None:
                ET.SubElement(timer, _m("timeDuration"),
                              {f"{{{XSI}}}type": "bpmn:tFormalExpression"}).text = iso_days(days)
    kinds = {s.id: s.kind for s in placed.steps}
    for flow_id, t in flows:
        attrs = {"id": flow_id, "sourceRef": node_ids[t.source],
                 "targetRef": node_ids[t.target]}
        if t.condition:
            attrs["name"] = t.condition
        flow = ET.SubElement(process, _m("sequenceFlow"), attrs)
        _documentation(flow, _flow_notes(placed, t))
        _extension(flow, "transition", t, TRANSITION_IN_BPMN)
        if kinds[t.source] is StepKind.decision:
            ET.SubElement(flow, _m("conditionExpression"),
                          {f"{{{XSI}}}type": "bpmn:tFormalExpression"}).text = (
                t.condition or NO_CONDITION)

    # lanes: every node in exactly one
    lane_ids: dict[str, str] = {}
    for band in bands:
        setting = placed.setting(band.setting_id)
        lane_id = ids.make("Lane", band.setting_id or "unplaced")
        lane_ids[band.setting_id] = lane_id
        lane = ET.SubElement(lane_set, _m("lane"), {
            "id": lane_id, "name": setting.name if setting else "No lane set"})
        if setting is not None:
            _extension(lane, "setting", setting, ("name",))
        for step in placed.steps:
            if geometry.band_for_step(bands, step).setting_id == band.setting_id:
                ET.SubElement(lane, _m("flowNodeRef")).text = node_ids[step.id]

    _diagram(definitions, placed, bands, participant.get("id"), collaboration.get("id"),
             lane_ids, node_ids, shapes, flows, ids)
    return ET.ElementTree(definitions)


def _bounds(parent: ET.Element, x: float, y: float, w: float, h: float) -> None:
    ET.SubElement(parent, f"{{{DC}}}Bounds", {
        "x": f"{x:g}", "y": f"{y:g}", "width": f"{w:g}", "height": f"{h:g}"})


def _diagram(definitions, placed, bands, participant_id, collaboration_id, lane_ids,
             node_ids, shapes, flows, ids) -> None:
    gateways = {s.id for s in placed.steps if s.kind is StepKind.decision}
    # the shared router: round every shape that is not the flow's own end
    kinds = {s.id: s.kind for s in placed.steps}
    routed = routing.route_edges(
        [routing.Node(sid, s.cx, s.cy, s.w, s.h, routing.shape_of(kinds[sid]))
         for sid, s in shapes.items()],
        [routing.Edge(flow_id, t.source, t.target) for flow_id, t in flows])
    routes = [(flow_id, t, routed[flow_id].points if flow_id in routed else
               _waypoints(shapes[t.source], shapes[t.target], t.source in gateways))
              for flow_id, t in flows]
    right = max([geometry.LANE_HEADER_WIDTH + 300.0]
                + [s.x + s.w + 60 for s in shapes.values()]
                + [x + 20 for _, _, pts in routes for x, _ in pts])
    bottom = max([bands[-1].bottom if bands else geometry.LANE_MIN_HEIGHT]
                 + [y + 20 for _, _, pts in routes for _, y in pts])
    diagram = ET.SubElement(definitions, f"{{{BPMNDI}}}BPMNDiagram",
                            {"id": ids.make("BPMNDiagram", "1")})
    plane = ET.SubElement(diagram, f"{{{BPMNDI}}}BPMNPlane", {
        "id": ids.make("BPMNPlane", "1"), "bpmnElement": collaboration_id})
    pool = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", {
        "id": f"{participant_id}_di", "bpmnElement": participant_id, "isHorizontal": "true"})
    # the pool starts left of the lanes so its name strip does not cover them
    left = -PARTICIPANT_LABEL_WIDTH
    _bounds(pool, left, 0, right - left, bottom)
    for index, band in enumerate(bands):
        lane_id = lane_ids[band.setting_id]
        shape = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", {
            "id": f"{lane_id}_di", "bpmnElement": lane_id, "isHorizontal": "true"})
        height = band.height if index < len(bands) - 1 else bottom - band.top
        _bounds(shape, 0, band.top, right, height)
    for step in placed.steps:
        s = shapes[step.id]
        shape = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", {
            "id": f"{node_ids[step.id]}_di", "bpmnElement": node_ids[step.id]})
        if step.kind is StepKind.decision:
            shape.set("isMarkerVisible", "true")
        _bounds(shape, s.x, s.y, s.w, s.h)
        if s.w < 60:   # events and gateways carry their name below the symbol
            label = ET.SubElement(shape, f"{{{BPMNDI}}}BPMNLabel")
            _bounds(label, s.cx - 60, s.y + s.h + 4, 120, 28)
    for flow_id, _t, points in routes:
        edge = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", {
            "id": f"{flow_id}_di", "bpmnElement": flow_id})
        for x, y in points:
            ET.SubElement(edge, f"{{{DI}}}waypoint", {"x": f"{x:g}", "y": f"{y:g}"})


def bpmn_xml(pathway: Pathway) -> str:
    """The BPMN document as UTF-8 XML text with a declaration."""
    tree = bpmn_tree(pathway)
    ET.indent(tree, space="  ")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            # a carriage return in text would be read back as a line feed: write it as
            # a character reference (attributes are escaped already)
            + strip_non_xml(ET.tostring(tree.getroot(), encoding="unicode")
                            ).replace("\r", "&#13;") + "\n")


def export_bpmn(pathway: Pathway, out_path=None) -> str:
    """Return the BPMN XML; also write it (UTF-8) to ``out_path`` when given."""
    text = bpmn_xml(pathway)
    if out_path is not None:
        from designer.graph.io import write_text_atomic

        write_text_atomic(Path(out_path), text)
    return text
