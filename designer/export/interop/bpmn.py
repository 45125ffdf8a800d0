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


@dataclass
class _Junction:
    """A gateway BPMN needs and the pathway does not draw (bpmnlint ``recommended``).

    ``split``: after a step that is not a decision but has several ways on. A
    step with branches marked ``parallel`` forks at a ``parallelGateway`` (every
    parallel branch is taken, and the other way on beside them; several other
    ways with conditions pass an exclusive gateway after the fork). A step with
    no parallel branches splits at an exclusive gateway: its unmarked ways are
    alternatives (docs/design-extensions.md), whether or not they have
    conditions (the first way without one is the default).
    ``join``: in front of a step that several flows lead into (a task or event
    would otherwise be a "fake join"; a decision would join and fork at once).
    Where branches of one fork meet, the join is a ``parallelGateway`` (the step
    waits for all of them); flows that are alternatives of one branch merge at
    an exclusive gateway first. Marked ``<periop:junction role=...>`` so our
    importer removes it again.

    ``feeds``: the element a join passes on to (the step, or an outer join);
    ``fed_by``: the element a split takes its flow from (the step, or the fork).
    """

    role: str
    step: str
    tag: str = "exclusiveGateway"
    default: str | None = None
    feeds: str = ""
    fed_by: str = ""


@dataclass
class _Plan:
    """The junctions, and where the flow of each transition leaves and enters."""

    junctions: dict[str, _Junction]
    leaves: dict[int, str]        # transition index -> step id or junction key
    enters: dict[int, str]


def _reach(start: list[str], outgoing: dict[str, list[Transition]], avoid: str) -> set[str]:
    seen: set[str] = set()
    todo = [s for s in start if s != avoid]
    while todo:
        step = todo.pop()
        if step in seen:
            continue
        seen.add(step)
        todo.extend(t.target for t in outgoing.get(step, ()) if t.target != avoid)
    return seen


def _junctions(flows: list[tuple[str, Transition]], kinds: dict) -> _Plan:
    outgoing: dict[str, list[Transition]] = {}
    out_index: dict[str, list[int]] = {}
    in_index: dict[str, list[int]] = {}
    for k, (_flow_id, t) in enumerate(flows):
        outgoing.setdefault(t.source, []).append(t)
        out_index.setdefault(t.source, []).append(k)
        in_index.setdefault(t.target, []).append(k)
    plan: dict[str, _Junction] = {}
    leaves = {k: t.source for k, (_f, t) in enumerate(flows)}
    enters = {k: t.target for k, (_f, t) in enumerate(flows)}
    # forks: step -> its branches, each a list of transition indexes taken together
    forks: dict[str, list[list[int]]] = {}
    for step_id, ways in out_index.items():
        if len(ways) < 2 or kinds[step_id] is StepKind.decision:
            continue
        key = f"split:{step_id}"
        parallel = [k for k in ways if flows[k][1].parallel]
        rest = [k for k in ways if not flows[k][1].parallel]
        if parallel and len(rest) >= 2:
            # the fork, then a choice between the ways that are not parallel
            plan[key] = _Junction("split", step_id, "parallelGateway", fed_by=step_id)
            plan[f"{key}:choice"] = _Junction("split", step_id, fed_by=key)
            for k in parallel:
                leaves[k] = key
            for k in rest:
                leaves[k] = f"{key}:choice"
            forks[step_id] = [[k] for k in parallel] + [rest]
        elif parallel:
            plan[key] = _Junction("split", step_id, "parallelGateway", fed_by=step_id)
            for k in ways:
                leaves[k] = key
            forks[step_id] = [[k] for k in ways]
        else:
            plan[key] = _Junction("split", step_id, fed_by=step_id)
            for k in ways:
                leaves[k] = key
    reach = {fork: [_reach([flows[k][1].target for k in branch], outgoing, fork)
                    for branch in branches] for fork, branches in forks.items()}

    def branch_of(fork: str, k: int) -> int | None:
        """The one branch of ``fork`` that transition ``k`` comes along, if only one."""
        t = flows[k][1]
        found = {b for b, branch in enumerate(forks[fork]) if k in branch}
        found |= {b for b, seen in enumerate(reach[fork]) if t.source in seen}
        return found.pop() if len(found) == 1 else None

    def merge(step_id: str, members: list[int], feeds: str, depth: str) -> None:
        """Junctions so that ``members`` (transition indexes) meet before ``feeds``."""
        key = f"join:{step_id}{depth}"
        for fork in forks:
            groups: dict[int, list[int]] = {}
            for k in members:
                b = branch_of(fork, k)
                if b is None:
                    break
                groups.setdefault(b, []).append(k)
            else:
                if len(groups) >= 2:
                    plan[key] = _Junction("join", step_id, "parallelGateway", feeds=feeds)
                    for n, group in enumerate(groups.values(), 1):
                        if len(group) == 1:
                            enters[group[0]] = key
                        else:
                            merge(step_id, group, key, f"{depth}:{n}")
                    return
        plan[key] = _Junction("join", step_id, feeds=feeds)
        for k in members:
            enters[k] = key

    for step_id, ways in in_index.items():
        if len(ways) >= 2:
            merge(step_id, ways, step_id, "")
            if (kinds[step_id] is StepKind.decision and len(out_index.get(step_id, ())) < 2
                    and plan[f"join:{step_id}"].tag == "exclusiveGateway"):
                # a decision with one way on may merge its incoming flows itself
                del plan[f"join:{step_id}"]
                for k in ways:
                    enters[k] = step_id
    return _Plan(plan, leaves, enters)


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
    kinds = {s.id: s.kind for s in placed.steps}
    routes_plan = _junctions(flows, kinds)
    plan = routes_plan.junctions
    steps_by_id = placed.steps_by_id()
    junction_ids: dict[str, str] = {}
    for key, junction in plan.items():
        junction_ids[key] = ids.make("Junction", f"{junction.role}_{junction.step}")
        attrs = {"id": junction_ids[key]}
        if junction.tag == "exclusiveGateway" and junction.role == "split":
            attrs["name"] = f"After {steps_by_id[junction.step].name}: which way?"
        gateway = ET.SubElement(process, _m(junction.tag), attrs)
        ET.SubElement(ET.SubElement(gateway, _m("extensionElements")), ext.q("junction"),
                      {"role": junction.role})
        nodes[key] = gateway

    def element(key: str) -> str:
        return junction_ids[key] if key in plan else node_ids[key]

    # every sequence flow: (id, source element id, target element id, transition or None)
    segments: list[tuple[str, str, str, Transition | None]] = []
    for key, junction in plan.items():
        if junction.role == "split":
            segments.append((ids.make("Flow", f"split_{junction.step}"),
                             element(junction.fed_by), junction_ids[key], None))
    for k, (flow_id, t) in enumerate(flows):
        segments.append((flow_id, element(routes_plan.leaves[k]),
                         element(routes_plan.enters[k]), t))
    for key, junction in plan.items():
        if junction.role == "join":
            segments.append((ids.make("Flow", f"join_{junction.step}"), junction_ids[key],
                             element(junction.feeds), None))
    element_of = {**{node_ids[k]: v for k, v in nodes.items() if k in node_ids},
                  **{junction_ids[k]: nodes[k] for k in plan}}
    incoming: dict[str, list[str]] = {}
    outgoing: dict[str, list[str]] = {}
    for flow_id, a, b, _t in segments:     # one pass, keeping the flows' order per element
        incoming.setdefault(b, []).append(flow_id)
        outgoing.setdefault(a, []).append(flow_id)
    for element_id, node in element_of.items():   # every incoming before any outgoing
        for flow_id in incoming.get(element_id, ()):
            ET.SubElement(node, _m("incoming")).text = flow_id
        for flow_id in outgoing.get(element_id, ()):
            ET.SubElement(node, _m("outgoing")).text = flow_id
    for step in placed.steps:
        if step.kind is StepKind.wait:
            timer = ET.SubElement(nodes[step.id], _m("timerEventDefinition"),
                                  {"id": ids.make("Timer", step.id)})
            days = step.duration_days if step.duration_days is not None else \
                incoming_wait.get(step.id)
            if days is not None:
                ET.SubElement(timer, _m("timeDuration"),
                              {f"{{{XSI}}}type": "bpmn:tFormalExpression"}).text = iso_days(days)
    leaves_by_flow = {flow_id: routes_plan.leaves[k] for k, (flow_id, _t) in enumerate(flows)}
    flow_names: dict[str, str] = {}
    for flow_id, source_ref, target_ref, t in segments:
        attrs = {"id": flow_id, "sourceRef": source_ref, "targetRef": target_ref}
        if t is None:
            ET.SubElement(process, _m("sequenceFlow"), attrs)
            continue
        split = plan.get(leaves_by_flow[flow_id])
        if split is not None and split.tag == "parallelGateway":
            # every branch is taken: a condition here (rare: a parallel branch with
            # one) is no BPMN condition, so it is said in words and kept in our data
            flow = ET.SubElement(process, _m("sequenceFlow"), attrs)
            notes = _flow_notes(placed, t)
            if t.condition:
                notes = f"Only when: {t.condition}. {notes}".strip()
            _documentation(flow, notes)
            _extension(flow, "transition", t, TRANSITION_IN_BPMN[:2])
            continue
        conditional = bool(t.condition) or kinds[t.source] is StepKind.decision \
            or split is not None
        default = split is not None and not t.condition and split.default is None
        if conditional and not default:
            attrs["name"] = t.condition or NO_CONDITION   # a condition is labelled
            flow_names[flow_id] = attrs["name"]
        flow = ET.SubElement(process, _m("sequenceFlow"), attrs)
        _documentation(flow, _flow_notes(placed, t))
        _extension(flow, "transition", t, TRANSITION_IN_BPMN)
        if default:
            split.default = flow_id                    # the way when no condition holds
            element_of[source_ref].set("default", flow_id)
            continue
        if conditional:
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
                for key, junction in plan.items():
                    if junction.step == step.id:
                        ET.SubElement(lane, _m("flowNodeRef")).text = junction_ids[key]

    _diagram(definitions, placed, bands, participant.get("id"), collaboration.get("id"),
             lane_ids, node_ids, shapes, segments, ids, plan, junction_ids, flow_names)
    return ET.ElementTree(definitions)


def _bounds(parent: ET.Element, x: float, y: float, w: float, h: float) -> None:
    ET.SubElement(parent, f"{{{DC}}}Bounds", {
        "x": f"{x:g}", "y": f"{y:g}", "width": f"{w:g}", "height": f"{h:g}"})


JUNCTION_SIZE = 22.0     # the small diamonds of the gateways the pathway does not draw


def _place_junctions(plan: dict[str, _Junction], shapes: dict[str, _Shape]
                     ) -> dict[str, _Shape]:
    """A free spot for each junction: right of the step it splits after, left of the
    step it joins before (else above or below it)."""
    size, gap = JUNCTION_SIZE, 6.0
    taken = list(shapes.values())
    placed: dict[str, _Shape] = {}

    def free(c: _Shape) -> bool:
        return all(c.x + c.w + 2 <= o.x or o.x + o.w + 2 <= c.x or c.y + c.h + 2 <= o.y
                   or o.y + o.h + 2 <= c.y for o in taken)

    for key, junction in sorted(plan.items(), key=lambda kv: kv[0]):
        s = shapes[junction.step]
        step = size + 3 * gap
        # beside the step (further out for a second junction), else above or below it
        beside = [(s.x + s.w + gap + n * step, s.cy - size / 2) if junction.role == "split"
                  else (s.x - gap - size - n * step, s.cy - size / 2) for n in range(3)]
        candidates = beside + [(s.cx - size / 2, s.y - gap - size),
                               (s.cx - size / 2, s.y + s.h + gap)]
        shape = next((c for c in (_Shape(x, y, size, size) for x, y in candidates)
                      if free(c)), _Shape(*candidates[0], size, size))
        placed[key] = shape
        taken.append(shape)
    return placed


LABEL_WIDTH = 90.0       # bpmn-js wraps an external label at 90 px
LABEL_CHAR = 6.0         # a character of its 11 px sans-serif, on average
LABEL_ROOM = 6.5         # and the room given to each (bpmn-js wraps at the box's width)
LABEL_LINE = 14.0


def _label_size(text: str) -> tuple[float, float]:
    """About the box bpmn-js needs for ``text`` as an external label: lines broken at
    90 px, the box a little wider than the widest line so it is not broken again."""
    lines, line, widest = 0, "", 0
    for word in text.split():
        trial = f"{line} {word}".strip()
        if line and len(trial) * LABEL_CHAR > LABEL_WIDTH:
            lines, widest = lines + 1, max(widest, len(line))
            line = word
        else:
            line = trial
    if line:
        lines, widest = lines + 1, max(widest, len(line))
    return min(LABEL_WIDTH + 10, widest * LABEL_ROOM + 8), max(1, lines) * LABEL_LINE + 2


def _hits(p, q, rect, pad: float = 1.0) -> bool:
    """Does the axis-parallel segment ``pq`` pass through ``rect`` (grown by ``pad``)?"""
    left, top, right, low = rect[0] - pad, rect[1] - pad, rect[2] + pad, rect[3] + pad
    if abs(p[1] - q[1]) < 1e-9:
        return top < p[1] < low and min(p[0], q[0]) < right and max(p[0], q[0]) > left
    return left < p[0] < right and min(p[1], q[1]) < low and max(p[1], q[1]) > top


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _point_distance(point, p, q) -> float:
    (x, y), (ax, ay), (bx, by) = point, p, q
    length = (bx - ax) ** 2 + (by - ay) ** 2 or 1.0
    f = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length))
    return ((ax + f * (bx - ax) - x) ** 2 + (ay + f * (by - ay) - y) ** 2) ** 0.5


class _Grid:
    """Rectangles (with a payload) in 120-unit buckets: what is near a place, fast."""

    SIZE = 120.0

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list] = {}

    def _span(self, left, top, right, low):
        for bx in range(int(left // self.SIZE), int(right // self.SIZE) + 1):
            for by in range(int(top // self.SIZE), int(low // self.SIZE) + 1):
                yield bx, by

    def add(self, rect, item) -> None:
        for cell in self._span(*rect):
            self.cells.setdefault(cell, []).append(item)

    def near(self, rect, reach: float = 0.0) -> list:
        seen: dict[int, object] = {}
        left, top, right, low = rect
        for cell in self._span(left - reach, top - reach, right + reach, low + reach):
            for item in self.cells.get(cell, ()):
                seen.setdefault(id(item), item)
        return list(seen.values())


def _segment_grid(lines: dict) -> _Grid:
    grid = _Grid()
    for key, route in lines.items():
        for p, q in route.segments():
            grid.add((min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1])),
                     (key, p, q))
    return grid


MAX_ALONG = 1600.0     # the search along a flow stops here (a label far out helps nobody)


def _place_beside(lines: dict, nodes: list, wanted: list, taken: list) -> dict[str, tuple]:
    """Each label beside its own line (bpmn-js draws labels without a background, so
    no line may cross one, its own included), as near the line's start as it can,
    over no shape and no label in ``taken``, nearer its own line than any other."""
    segments = _segment_grid(lines)
    boxes = _Grid()
    for n in nodes:
        rect = (n.cx - n.w / 2 - 2, n.cy - n.h / 2 - 2, n.cx + n.w / 2 + 2, n.cy + n.h / 2 + 2)
        boxes.add(rect, rect)
    labels = _Grid()
    for rect in taken:
        labels.add(rect, rect)
    placed: dict[str, tuple] = {}
    for key, (w, h) in sorted(wanted, key=lambda kv: lines[kv[0]].length()):
        route = lines[key]
        own_segments = list(route.segments())
        length = route.length()
        best, best_cost = None, float("inf")
        along = min(10.0, length / 2)
        while along <= min(MAX_ALONG, max(10.0, length - 16.0)) and along < best_cost:
            (x, y), horizontal = route.point_at(along)
            for gap in (3.0, 12.0, 24.0, 40.0):
                if horizontal:
                    rects = [(left, y - h - gap, left + w, y - gap)
                             for left in (x - w / 2, x - 6, x - w + 6)]
                    rects += [(left, y + gap, left + w, y + h + gap)
                              for left in (x - w / 2, x - 6, x - w + 6)]
                else:
                    rects = [(x + gap, top, x + gap + w, top + h)
                             for top in (y - h / 2, y - 4, y - h + 4)]
                    rects += [(x - gap - w, top, x - gap, top + h)
                              for top in (y - h / 2, y - 4, y - h + 4)]
                for rect in rects:
                    cost = along + 2 * gap
                    if cost >= best_cost:
                        continue
                    cost += 1000.0 * sum(_overlap(rect, b) for b in boxes.near(rect))
                    cost += 100_000.0 * sum(_overlap(rect, r) for r in labels.near(rect))
                    if cost >= best_cost:
                        continue
                    if any(_hits(p, q, rect) for _k, p, q in segments.near(rect, 2.0)):
                        cost += 50_000.0
                    centre = ((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)
                    own = min(_point_distance(centre, p, q) for p, q in own_segments)
                    if any(k != key and _point_distance(centre, p, q) < own + 4.0
                           for k, p, q in segments.near((*centre, *centre), own + 4.0)):
                        cost += 20_000.0      # read as another flow's (or unclear)
                    if cost < best_cost:
                        best, best_cost = rect, cost
            along += 8.0
        if best is not None:
            placed[key] = best
            labels.add(best, best)
    return placed


def _flow_labels(routes, shapes, kinds, name_rects, flow_names) -> dict[str, tuple]:
    """Where each named flow's label goes: beside its own flow, near where it leaves
    the gateway, over no shape, no other label and no line."""
    named = [(flow_id, flow_names[flow_id]) for flow_id, _t, _points in routes
             if flow_id in flow_names]
    if not named:
        return {}
    nodes = [routing.Node(sid, s.cx, s.cy, s.w, s.h,
                          routing.shape_of(kinds[sid]) if sid in kinds else "diamond")
             for sid, s in shapes.items()]
    lines = {flow_id: routing.Route(flow_id, [tuple(p) for p in points])
             for flow_id, _t, points in routes if len(points) >= 2}
    wanted = [(flow_id, _label_size(text)) for flow_id, text in named if flow_id in lines]
    return _place_beside(lines, nodes, wanted, list(name_rects.values()))


def _name_rects(shapes, small: list[tuple[str, str]], routes) -> dict[str, tuple]:
    """Where the name of each event and gateway goes: below the symbol, as bpmn.io
    puts it, unless a flow leaves or enters there; then above, or to one side
    below or above (where fewest lines cross it, if none is clear)."""
    segments = _Grid()
    for _f, _t, points in routes:
        for p, q in zip(points, points[1:]):
            segments.add((min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]),
                          max(p[1], q[1])), (p, q))
    boxes = _Grid()
    for ident, o in shapes.items():
        boxes.add((o.x, o.y, o.x + o.w, o.y + o.h), (ident, (o.x, o.y, o.x + o.w, o.y + o.h)))
    done = _Grid()
    out: dict[str, tuple] = {}
    for ident, name in small:
        s = shapes[ident]
        w, h = _label_size(name or "")
        candidates = [(s.cx - w / 2, s.y + s.h + 4), (s.cx - w / 2, s.y - 4 - h),
                      (s.cx + 4, s.y + s.h + 2), (s.cx - 4 - w, s.y + s.h + 2),
                      (s.cx + 4, s.y - 2 - h), (s.cx - 4 - w, s.y - 2 - h)]
        for extra in (16.0, 32.0):          # further off, where lines crowd the symbol
            candidates += [(s.cx - w / 2, s.y + s.h + 4 + extra),
                           (s.cx - w / 2, s.y - 4 - h - extra),
                           (s.cx + 4 + extra, s.y + s.h + 2), (s.cx - 4 - w - extra,
                                                               s.y + s.h + 2)]

        def badness(rect):
            return (sum(1 for p, q in segments.near(rect, 2.0) if _hits(p, q, rect))
                    + 10 * sum(1 for other, box in boxes.near(rect)
                               if other != ident and _overlap(rect, box))
                    + 10 * sum(1 for other in done.near(rect) if _overlap(rect, other)))

        best, best_bad = None, None
        for x, y in candidates:
            rect = (x, y, x + w, y + h)
            bad = badness(rect)
            if best_bad is None or bad < best_bad:
                best, best_bad = rect, bad
            if bad == 0:
                break                       # the first clear place
        out[ident] = best
        done.add(best, best)
    return out


def _diagram(definitions, placed, bands, participant_id, collaboration_id, lane_ids,
             node_ids, step_shapes, segments, ids, plan, junction_ids,
             flow_names: dict[str, str]) -> None:
    kinds = {node_ids[s.id]: s.kind for s in placed.steps}
    junction_shapes = _place_junctions(plan, step_shapes)
    shapes = {node_ids[k]: v for k, v in step_shapes.items()}
    shapes.update({junction_ids[k]: v for k, v in junction_shapes.items()})
    gateways = {i for i, k in kinds.items() if k is StepKind.decision} | set(
        junction_ids.values())
    # the shared router: round every shape that is not the flow's own end
    routed = routing.route_edges(
        [routing.Node(sid, s.cx, s.cy, s.w, s.h,
                      routing.shape_of(kinds[sid]) if sid in kinds else "diamond")
         for sid, s in shapes.items()],
        [routing.Edge(flow_id, a, b) for flow_id, a, b, _t in segments])
    routes = [(flow_id, t, routed[flow_id].points if flow_id in routed else
               _waypoints(shapes[a], shapes[b], a in gateways))
              for flow_id, a, b, t in segments]
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
    # events and gateways (our named ones too) carry their name outside the symbol
    steps_by_id = placed.steps_by_id()
    name_rects = _name_rects(
        shapes, [(junction_ids[k], f"After {steps_by_id[j.step].name}: which way?")
                 for k, j in plan.items()
                 if j.tag == "exclusiveGateway" and j.role == "split"]
        + [(node_ids[s.id], s.name) for s in placed.steps
           if shapes[node_ids[s.id]].w < 60], routes)

    def name_label(shape: ET.Element, ident: str) -> None:
        if ident in name_rects:
            left, top, right, low = name_rects[ident]
            _bounds(ET.SubElement(shape, f"{{{BPMNDI}}}BPMNLabel"), left, top,
                    right - left, low - top)

    for key in plan:
        s = shapes[junction_ids[key]]
        shape = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", {
            "id": f"{junction_ids[key]}_di", "bpmnElement": junction_ids[key]})
        _bounds(shape, s.x, s.y, s.w, s.h)
        name_label(shape, junction_ids[key])
    for step in placed.steps:
        s = shapes[node_ids[step.id]]
        shape = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNShape", {
            "id": f"{node_ids[step.id]}_di", "bpmnElement": node_ids[step.id]})
        if step.kind is StepKind.decision:
            shape.set("isMarkerVisible", "true")
        _bounds(shape, s.x, s.y, s.w, s.h)
        name_label(shape, node_ids[step.id])
    label_rects = _flow_labels(routes, shapes, kinds, name_rects, flow_names)
    for flow_id, _t, points in routes:
        edge = ET.SubElement(plane, f"{{{BPMNDI}}}BPMNEdge", {
            "id": f"{flow_id}_di", "bpmnElement": flow_id})
        for x, y in points:
            ET.SubElement(edge, f"{{{DI}}}waypoint", {"x": f"{x:g}", "y": f"{y:g}"})
        if flow_id in label_rects:
            left, top, right, low = label_rects[flow_id]
            label = ET.SubElement(edge, f"{{{BPMNDI}}}BPMNLabel")
            _bounds(label, round(left, 1), round(top, 1), round(right - left, 1),
                    round(low - top, 1))


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
