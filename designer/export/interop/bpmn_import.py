"""Read a BPMN 2.0 file from any modeller into a pathway, with a report of what did not fit.

The XML is parsed with ``defusedxml`` (entity declarations and external
references are refused: no "billion laughs", no reading of local files).

Mapping (DESIGN.md section 9):

* each pool (a participant's process) gives its lanes as settings, named
  "Pool: Lane" when there are several pools; a lane without a name is
  "Lane n"; nested lanes are flattened to their innermost lanes
  ("Parent / Child"); flow nodes outside every lane go to a default setting
  that the report names. A pool that sends or receives a message becomes a
  role (the organisation), used as sender and receiver of handoffs;
* tasks of every type, sub-processes and call activities -> task steps (what
  is inside a sub-process is listed in the report, and its names in the
  step's description);
* exclusive, inclusive and event-based gateways with several outgoing flows
  -> decisions, each branch's condition from the flow's name or its condition
  expression ("otherwise" for a default flow without a name);
* start events -> the entry (when there are several, one is chosen and the
  report says which; the others become steps); end events -> exits;
* intermediate timer events -> waits (an ISO 8601 ``timeDuration`` becomes
  the wait's days; without one, a wait named like "7 days" is read from the
  name, and the report says so); other intermediate events -> steps;
* message flows between steps of different pools -> transitions with a
  handoff from the sending pool to the receiving pool (the message's name as
  the information passed on);
* documentation -> descriptions; DI bounds -> positions in our lane-relative
  geometry (laid out afresh when the picture does not fit our step sizes);
* what has no equivalent is bridged so the route survives and is listed in
  the report by kind with element ids: parallel and complex gateways and
  merging gateways are bypassed (their incoming steps lead to their outgoing
  steps; the branches out of a parallel gateway that forks are marked
  ``parallel``, taken alongside each other), a boundary event becomes a branch from the activity it is attached
  to, with its name as the condition; data objects, data stores, annotations,
  groups, associations, loop markers, compensation, event triggers, messages
  and item definitions are listed as not carried over.

Our own exports carry, in ``extensionElements`` of our namespace, what BPMN
cannot (see :mod:`.extensions` and :mod:`designer.export.bpmn`); when present
it is read back, so a pathway survives export -> import unchanged.

Qt-free.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.graph import geometry
from designer.graph.model import Pathway, Role, Setting, Step, StepKind, Transition
from designer.export.interop import extensions as ext
from designer.export.interop.import_common import (
    MAX_STEPS, IdMaker, ImportRefused, ImportReport, ImportResult, guess_setting_kind,
    read_bytes, validated_pathway,
)

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BETA_MODEL = "http://schema.omg.org/spec/BPMN/2.0"    # the 2.0 beta namespace, read as 2.0
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
NO_CONDITION = "no condition recorded"      # what our writer puts on a branch with none
MAX_LANE_DEPTH = 30

SUB_PROCESSES = {"subProcess", "adHocSubProcess", "transaction"}
ACTIVITIES = {"task", "userTask", "manualTask", "serviceTask", "scriptTask",
              "businessRuleTask", "sendTask", "receiveTask", "callActivity"} | SUB_PROCESSES
DECISION_GATEWAYS = {"exclusiveGateway", "inclusiveGateway", "eventBasedGateway"}
OTHER_GATEWAYS = {"parallelGateway", "complexGateway"}
EVENTS = {"startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent",
          "boundaryEvent", "implicitThrowEvent"}
FLOW_NODES = ACTIVITIES | DECISION_GATEWAYS | OTHER_GATEWAYS | EVENTS
_DURATION = re.compile(
    r"^P(?:(?P<y>\d+(?:[.,]\d+)?)Y)?(?:(?P<mo>\d+(?:[.,]\d+)?)M)?(?:(?P<w>\d+(?:[.,]\d+)?)W)?"
    r"(?:(?P<d>\d+(?:[.,]\d+)?)D)?(?:T(?:(?P<h>\d+(?:[.,]\d+)?)H)?"
    r"(?:(?P<mi>\d+(?:[.,]\d+)?)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$")
_DAYS = {"y": 365.0, "mo": 30.0, "w": 7.0, "d": 1.0, "h": 1 / 24, "mi": 1 / 1440,
         "s": 1 / 86400}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _is_model(element: ET.Element, *names: str) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(f"{{{MODEL}}}") and (
        not names or _local(element.tag) in names)


def _m(tag: str) -> str:
    return f"{{{MODEL}}}{tag}"


def iso_duration_days(text: str | None) -> float | None:
    """Days in an ISO 8601 duration (``P14D``, ``PT36H``, ``P1M``); None when not one.

    Months count 30 days and years 365: a pathway's waits are planning figures.
    """
    m = _DURATION.match((text or "").strip().upper())
    if not m or not any(m.groupdict().values()):
        return None
    return sum(float(v.replace(",", ".")) * _DAYS[k]
               for k, v in m.groupdict().items() if v)


_NAMED_WAIT = re.compile(r"(?<![\w.])(\d+(?:[.,]\d+)?)\s*(years?|months?|weeks?|wks?|days?|"
                         r"d|hours?|hrs?|h|minutes?|mins?)\b", re.IGNORECASE)
_NAMED_UNIT = {"y": 365.0, "mo": 30.0, "w": 7.0, "d": 1.0, "h": 1 / 24, "mi": 1 / 1440}


def name_days(name: str | None) -> float | None:
    """Days in a timer's name ("7 days", "2 weeks", "48 h"); None when it names none.

    Modellers often write the wait in the name and leave the duration empty.
    """
    m = _NAMED_WAIT.search(name or "")
    if not m:
        return None
    unit = m.group(2).lower()
    key = ("mo" if unit.startswith("mo") else "mi" if unit.startswith("mi")
           else unit[0])
    return round(min(float(m.group(1).replace(",", ".")) * _NAMED_UNIT[key], 3650.0), 4)


def _text_of(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _documentation(element: ET.Element) -> str | None:
    parts = [(d.text or "").strip() for d in element if _is_model(d, "documentation")]
    text = "\n\n".join(p for p in parts if p)
    return text or None


# ----------------------------------------------------------------------- parsing


def parse_xml(data: bytes, name: str) -> ET.Element:
    """The root element, parsed safely; :class:`ImportRefused` for anything unsafe or broken."""
    import defusedxml
    from defusedxml import ElementTree as DET

    head = data[:200].lstrip(b"\xef\xbb\xbf")
    declared = re.match(rb"\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", head)
    utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    if not utf16 and (declared is None or declared.group(1).lower() in (b"utf-8", b"utf8")):
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportRefused(name, f"the text is not UTF-8 (byte 0x{data[exc.start]:02x} "
                                f"at offset {exc.start}) and declares no other encoding; "
                                "save it as UTF-8 and try again", "not UTF-8") from None
    try:
        return DET.fromstring(data, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    except defusedxml.EntitiesForbidden:
        raise ImportRefused(name, "it declares XML entities, which are refused (a file "
                            "that expands entities can be an 'XML bomb')",
                            "XML entities") from None
    except (defusedxml.ExternalReferenceForbidden, defusedxml.DTDForbidden):
        raise ImportRefused(name, "it refers to an external file or DTD, which is refused",
                            "external reference") from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":")[0]
        raise ImportRefused(name, f"it is not well-formed XML ({reason}, line {line}, "
                            f"column {column})", "malformed XML") from None
    except (ValueError, LookupError) as exc:      # an unknown declared encoding
        raise ImportRefused(name, f"it cannot be read as XML ({exc})",
                            "malformed XML") from None


def read_bpmn(path: str | Path, sub_pathways: bool = False) -> ImportResult:
    """Import the BPMN file at ``path``; :class:`ImportRefused` when it cannot be."""
    name = Path(path).name
    return bpmn_to_pathway(read_bytes(path), name, Path(path).stem, sub_pathways)


def bpmn_to_pathway(data: bytes, name: str = "<bpmn>", stem: str = "imported",
                    sub_pathways: bool = False) -> ImportResult:
    """Import BPMN XML given as bytes (``name`` is used in messages).

    With ``sub_pathways``, each sub-process that holds activities or events is also
    imported as a pathway of its own (``ImportResult.sub_pathways``, by step id).
    """
    root = parse_xml(data, name)
    if root.tag == f"{{{BETA_MODEL}}}definitions":     # BPMN 2.0 beta: same elements
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.startswith(f"{{{BETA_MODEL}}}"):
                element.tag = _m(_local(element.tag))
    _unprefix_references(root)
    if root.tag != _m("definitions"):
        namespace = root.tag[1:].split("}")[0] if str(root.tag).startswith("{") else "none"
        raise ImportRefused(
            name, f"it is XML but not BPMN 2.0 (the root element is <{_local(root.tag)}> "
            f"in the namespace {namespace}, not a BPMN 2.0 <definitions> in {MODEL})",
            "not BPMN")
    return _Importer(root, name, stem, sub_pathways).run()


_REF_ATTRIBUTES = ("processRef", "sourceRef", "targetRef", "messageRef", "attachedToRef",
                   "bpmnElement", "default", "dataObjectRef")
_REF_TEXTS = ("flowNodeRef", "incoming", "outgoing")


def _unprefix_references(root: ET.Element) -> None:
    """References written as QNames (``tns:Task_1``) made plain ids where that is meant.

    The schema types several references as QNames, and some tools prefix them;
    a reference is changed only when it names no element as written and does
    without its prefix.
    """
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    for element in root.iter():
        for attribute in _REF_ATTRIBUTES:
            value = element.get(attribute)
            if value and ":" in value and value not in ids:
                plain = value.split(":", 1)[1]
                if plain in ids:
                    element.set(attribute, plain)
        if _local(element.tag) in _REF_TEXTS and element.text and ":" in element.text:
            value = element.text.strip()
            if value not in ids and value.split(":", 1)[1] in ids:
                element.text = value.split(":", 1)[1]


# --------------------------------------------------------------------- the import


@dataclass
class _Node:
    element: ET.Element
    kind: str                    # "start", "task", "decision", "wait", "exit", "bypass"
    pool: int
    lane: str | None = None      # our setting id
    step_id: str | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Edge:
    source: str                  # BPMN ids
    target: str
    condition: str | None = None
    extension: dict[str, Any] | None = None
    ids: list[str] = field(default_factory=list)
    parallel: bool = False       # leaves a parallel gateway that forks: taken alongside


@dataclass
class _Pool:
    name: str
    participant: str | None
    process: ET.Element
    role: str | None = None


class _Importer:
    def __init__(self, root: ET.Element, name: str, stem: str, sub_pathways: bool = False,
                 depth: int = 0) -> None:
        self.root, self.name, self.stem = root, name, stem
        self.want_subs, self.depth = sub_pathways, depth
        self.subs: dict[str, ImportResult] = {}        # step id -> sub-process import
        self.report = ImportReport(name, "BPMN 2.0")
        self.carried: set[str] = set()         # BPMN ids that found an equivalent
        self.nodes: dict[str, _Node] = {}
        self.edges: list[_Edge] = []
        self.pools: list[_Pool] = []
        self.settings: dict[str, dict[str, Any]] = {}   # our id -> setting data
        self.setting_shape: dict[str, str] = {}         # our id -> BPMN lane/pool id
        self.setting_ids = IdMaker()
        self.step_ids = IdMaker()
        self.role_ids = IdMaker()
        self.roles: list[dict[str, Any]] = []
        self.header: dict[str, Any] | None = None
        self.unnamed_lanes = 0
        self.parents: dict[ET.Element, ET.Element] = {}
        self.by_id: dict[str, ET.Element] = {}
        self.shapes: dict[str, ET.Element] = {}
        self.vertical = False
        self.bypassed: set[str] = set()
        self.flows: list[tuple[ET.Element, dict[str, str]]] = []

    # ------------------------------------------------------------------ driver

    def run(self) -> ImportResult:
        self._index()
        processes = [p for p in self.root if _is_model(p, "process")]
        if not processes:
            raise ImportRefused(self.name, "it contains no process (nothing to import)",
                                "no process")
        self._collect_pools(processes)
        for index, pool in enumerate(self.pools):
            self._read_pool(index, pool)
        for flow, local in self.flows:      # after every pool: a flow may cross pools
            self._sequence_flow(flow, local)
        if not self.nodes:
            raise ImportRefused(self.name, "its processes contain no activities or events "
                                "(nothing to import)", "no flow nodes")
        self._bypass()
        if not self.nodes:
            raise ImportRefused(self.name, "its processes hold only gateways and boundary "
                                "events, nothing that becomes a step", "no flow nodes")
        self._message_flows()
        self._choose_entry()
        pathway = self._build()
        if self.want_subs:
            self._sub_pathways()
        self._report_leftovers()
        self.report.add_findings(pathway)
        return ImportResult(pathway, self.report, self.subs)

    def _sub_pathways(self) -> None:
        """Each sub-process with content, imported as a pathway of its own."""
        diagrams = [d for d in self.root if d.tag == f"{{{BPMNDI}}}BPMNDiagram"]
        for ident, node in self.nodes.items():
            element = node.element
            if _local(element.tag) not in SUB_PROCESSES or self.depth >= 5 \
                    or node.step_id is None:
                continue
            if not any(_is_model(c) and _local(c.tag) in FLOW_NODES for c in element):
                continue
            definitions = ET.Element(_m("definitions"), {"id": f"{ident}-definitions"})
            process = ET.SubElement(definitions, _m("process"), {
                "id": f"{ident}-as-process", "name": element.get("name") or ident})
            process.extend(c for c in element if _is_model(c)
                           and _local(c.tag) not in ("incoming", "outgoing",
                                                     "documentation", "extensionElements"))
            definitions.extend(diagrams)            # shared, read only
            try:
                sub = _Importer(definitions, f"{self.name} ({element.get('name') or ident})",
                                f"{self.stem}-{node.step_id}", True, self.depth + 1).run()
            except ImportRefused:
                continue
            self.subs[node.step_id] = sub
            self.carried.update(e.get("id") or "" for e in element.iter() if e is not element)
            self.report.note(f"The sub-process '{element.get('name') or ident}' is also a "
                             f"pathway of its own ({len(sub.pathway.steps)} steps), linked "
                             f"from the step '{node.step_id}'.")

    def _index(self) -> None:
        count = 0
        for parent in self.root.iter():
            for child in parent:
                self.parents[child] = parent
            ident = parent.get("id")
            if ident and _is_model(parent):
                self.by_id.setdefault(ident, parent)
                if _local(parent.tag) in FLOW_NODES:
                    count += 1
                    if count > MAX_STEPS:
                        raise ImportRefused(
                            self.name, f"it has more than {MAX_STEPS:,} activities, events "
                            "and gateways; a care pathway is far smaller (split the "
                            "process and import the parts)", "too many nodes")
            if parent.tag == f"{{{BPMNDI}}}BPMNShape":
                ref = parent.get("bpmnElement")
                if ref and ref not in self.shapes:
                    self.shapes[ref] = parent

    def _collect_pools(self, processes: list[ET.Element]) -> None:
        by_id = {p.get("id"): p for p in processes}
        seen: set[str] = set()
        for collaboration in self.root:
            if not _is_model(collaboration, "collaboration"):
                continue
            for participant in collaboration:
                if not _is_model(participant, "participant"):
                    continue
                ref = participant.get("processRef")
                if ref in by_id and ref not in seen:
                    seen.add(ref)
                    name = (participant.get("name") or by_id[ref].get("name") or "").strip()
                    self.pools.append(_Pool(name, participant.get("id"), by_id[ref]))
                    self.carried.add(participant.get("id") or "")
        for process in processes:
            if process.get("id") not in seen:
                self.pools.append(_Pool((process.get("name") or "").strip(), None, process))
        for n, pool in enumerate(self.pools, 1):
            self.carried.add(pool.process.get("id") or "")
            if not pool.name:
                pool.name = f"Pool {n}" if len(self.pools) > 1 else ""

    # ------------------------------------------------------------------ a pool

    def _read_pool(self, index: int, pool: _Pool) -> None:
        process = pool.process
        nodes = [e for e in process if _is_model(e) and _local(e.tag) in FLOW_NODES]
        if not nodes:
            if len(self.pools) > 1:
                self.report.note(f"Pool '{pool.name}' has no activities or events; "
                                 "it gave no steps.")
            return
        extension = ext.find(process, "pathway")
        if extension is not None and self.header is None:
            self.header = ext.decode(extension, Pathway)
        several = sum(1 for p in self.pools
                      if any(_is_model(e) and _local(e.tag) in FLOW_NODES
                             for e in p.process)) > 1
        prefix = f"{pool.name}: " if several and pool.name else ""
        leaves = self._lanes(process, prefix)
        in_lane: dict[str, str] = {}
        for setting_id, refs in leaves:
            for ref in refs:
                in_lane.setdefault(ref, setting_id)
        default_setting: str | None = None
        local: dict[str, str] = {}          # BPMN id -> our key for this pool's nodes
        placed_by_picture: list[str] = []
        for element in nodes:
            raw = element.get("id") or f"node-{len(self.nodes) + 1}"
            ident, n = raw, 2
            while ident in self.nodes:      # the same id twice in one file
                ident, n = f"{raw}~{n}", n + 1
            if ident != raw:
                self.report.note(f"The id {raw} is used more than once; each element "
                                 "was kept.")
            local.setdefault(raw, ident)
            kind = self._kind(element)
            node = _Node(element, kind, index)
            step_ext = ext.find(element, "step")
            if step_ext is not None:
                node.data = ext.decode(step_ext, Step)
            if kind not in ("bypass", "junction"):
                lane = in_lane.get(raw)
                if lane is None and leaves and "setting" not in node.data:
                    lane = self._lane_by_picture(raw, [sid for sid, _refs in leaves])
                    if lane is not None:
                        placed_by_picture.append(raw)
                if lane is None and "setting" not in node.data:
                    if default_setting is None:
                        default_setting = self._default_setting(pool, bool(leaves), prefix)
                    lane = default_setting
                node.lane = lane
            self.nodes[ident] = node
        if placed_by_picture:
            self.report.note(f"{len(placed_by_picture)} element(s) not listed in any lane "
                             "were put in the lane the diagram draws them in: "
                             + ", ".join(placed_by_picture[:20])
                             + (" ..." if len(placed_by_picture) > 20 else "") + ".")
        self.flows += [(element, local) for element in process
                       if _is_model(element, "sequenceFlow")]
        for raw, ident in local.items():
            node = self.nodes[ident]
            if _local(node.element.tag) == "boundaryEvent":
                attached = local.get(node.element.get("attachedToRef") or "")
                if attached is not None:
                    self.edges.append(_Edge(attached, ident, self._boundary_label(node.element)))

    def _lanes(self, process: ET.Element, prefix: str) -> list[tuple[str, list[str]]]:
        """Innermost lanes as (our setting id, flow node ids), nested lanes flattened."""
        out: list[tuple[str, list[str]]] = []
        nested: list[str] = []

        def walk(lane_set: ET.Element, path: list[str]) -> None:
            if len(path) > MAX_LANE_DEPTH:
                raise ImportRefused(self.name, f"its lanes are nested more than "
                                    f"{MAX_LANE_DEPTH} deep", "too deep")
            for lane in lane_set:
                if not _is_model(lane, "lane"):
                    continue
                self.carried.add(lane.get("id") or "")
                name = (lane.get("name") or "").strip()
                if not name:
                    self.unnamed_lanes += 1
                    name = f"Lane {self.unnamed_lanes}"
                    self.report.note(f"Lane {lane.get('id')} has no name; it is called "
                                     f"'{name}'.")
                refs = [" ".join((r.text or "").split()) for r in lane
                        if _is_model(r, "flowNodeRef")]
                children = [c for c in lane if _is_model(c, "childLaneSet")]
                self.carried.update(c.get("id") or "" for c in children)
                child_lanes = [c for cs in children for c in cs if _is_model(c, "lane")]
                if child_lanes:
                    nested.append(name)
                    before = len(out)
                    for child_set in children:
                        self.carried.add(child_set.get("id") or "")
                        walk(child_set, path + [name])
                    if refs and len(out) > before:     # refs of the parent go to its first child
                        first_id, first_refs = out[before]
                        out[before] = (first_id, first_refs + [r for r in refs
                                                               if r not in first_refs])
                    continue
                full = " / ".join(path + [name])
                setting_id = self._lane_setting(lane, prefix + full)
                out.append((setting_id, refs))

        for lane_set in process:
            if _is_model(lane_set, "laneSet"):
                self.carried.add(lane_set.get("id") or "")
                walk(lane_set, [])
        if nested:
            self.report.note("Nested lanes were flattened to their innermost lanes "
                             f"(named 'Parent / Child'): {', '.join(nested)}.")
        return out

    def _lane_setting(self, lane: ET.Element, name: str) -> str:
        data: dict[str, Any] = {}
        found = ext.find(lane, "setting")
        if found is not None:
            data = ext.decode(found, Setting)
        setting_id = data.get("id")
        if not setting_id or not self.setting_ids.claim(setting_id):
            setting_id = self.setting_ids.make(name, "lane")
            data.pop("id", None)
        data.setdefault("kind", guess_setting_kind(name))
        self.settings[setting_id] = {**data, "id": setting_id, "name": name,
                                     "_ours": found is not None, "_lane": True}
        self.setting_shape[setting_id] = lane.get("id") or ""
        if self.shapes.get(lane.get("id") or "") is not None and \
                self.shapes[lane.get("id")].get("isHorizontal") == "false":
            self.vertical = True
        return setting_id

    def _lane_by_picture(self, ident: str, settings: list[str]) -> str | None:
        """The lane whose diagram bounds hold the centre of element ``ident``'s shape."""
        box = self._bounds(ident)
        if box is None:
            return None
        cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
        for setting_id in settings:
            lane = self._bounds(self.setting_shape.get(setting_id, ""))
            if lane is not None and lane[0] <= cx <= lane[0] + lane[2] \
                    and lane[1] <= cy <= lane[1] + lane[3]:
                return setting_id
        return None

    def _default_setting(self, pool: _Pool, has_lanes: bool, prefix: str) -> str:
        name = (f"{prefix}not in a lane" if has_lanes else pool.name) or self.stem or "Process"
        if has_lanes and not prefix:
            name = "Not in a lane"
        setting_id = self.setting_ids.make(name, "setting")
        self.settings[setting_id] = {"id": setting_id, "name": name,
                                     "kind": guess_setting_kind(name), "_ours": False,
                                     "_lane": False}
        self.setting_shape[setting_id] = pool.participant or ""
        if has_lanes:
            self.report.note(f"Steps outside every lane of "
                             f"{('pool ' + repr(pool.name)) if pool.name else 'the process'}"
                             f" were put in a new setting '{name}'.")
        else:
            self.report.note(f"{('Pool ' + repr(pool.name)) if pool.name else 'The process'}"
                             f" has no lanes: its steps are in one setting '{name}'.")
        return setting_id

    def _kind(self, element: ET.Element) -> str:
        tag = _local(element.tag)
        if tag.endswith("Gateway") and ext.find(element, "junction") is not None:
            return "junction"      # ours: a gateway BPMN needs and the pathway does not draw
        if tag == "startEvent":
            return "start"
        if tag == "endEvent":
            return "exit"
        if tag in ACTIVITIES:
            return "task"
        if tag in DECISION_GATEWAYS:
            outgoing = [f for f in element.iterfind(_m("outgoing"))]
            if len(outgoing) >= 2 or self._count_outgoing(element) >= 2:
                return "decision"
            return "bypass"
        if tag in OTHER_GATEWAYS or tag == "boundaryEvent":
            return "bypass"
        if tag == "intermediateCatchEvent" and element.find(_m("timerEventDefinition")) is not None:
            return "wait"
        return "task"           # other intermediate events

    def _count_outgoing(self, element: ET.Element) -> int:
        ident = element.get("id")
        parent = self.parents.get(element)
        if parent is None or not ident:
            return 0
        return sum(1 for f in parent if _is_model(f, "sequenceFlow")
                   and f.get("sourceRef") == ident)

    def _sequence_flow(self, flow: ET.Element, local: dict[str, str]) -> None:
        def node(ref: str | None) -> str | None:
            ref = " ".join((ref or "").split())
            return local.get(ref) or (ref if ref in self.nodes else None)

        source, target = node(flow.get("sourceRef")), node(flow.get("targetRef"))
        if source is None or target is None:
            return                          # reported as not carried over
        condition = (flow.get("name") or "").strip() or None
        expression = flow.find(_m("conditionExpression"))
        if condition is None and expression is not None:
            condition = _text_of(expression) or None
        if condition == NO_CONDITION:
            condition = None
        source_element = self.nodes[source].element
        if condition is None and source_element.get("default") == flow.get("id") \
                and self.nodes[source].kind != "junction":
            condition = "otherwise"
        if condition is None and _local(source_element.tag) == "eventBasedGateway":
            target_name = (self.nodes[target].element.get("name") or "").strip()
            condition = f"when: {target_name}" if target_name else None
        found = ext.find(flow, "transition")
        extension = ext.decode(found, Transition) if found is not None else None
        self.edges.append(_Edge(source, target, condition, extension, [flow.get("id") or ""]))
        self.carried.add(flow.get("id") or "")

    @staticmethod
    def _boundary_label(event: ET.Element) -> str:
        name = (event.get("name") or "").strip()
        if name:
            return name
        for definition in event:
            kind = _local(definition.tag)
            if kind.endswith("EventDefinition"):
                word = kind[:-len("EventDefinition")]
                if kind == "timerEventDefinition":
                    duration = definition.find(_m("timeDuration"))
                    if duration is not None and _text_of(duration):
                        return f"timer {_text_of(duration)}"
                return f"on {word}"
        return "on an event"

    # ------------------------------------------------------- bridging the gaps

    def _bypass(self) -> None:
        """Remove nodes with no equivalent, joining what came in to what went out."""
        bypassed = [i for i, n in self.nodes.items() if n.kind == "bypass"]
        junctions = [i for i, n in self.nodes.items() if n.kind == "junction"]
        for ident in junctions + bypassed:
            node = self.nodes[ident]
            tag = _local(node.element.tag)
            if node.kind == "junction":
                pass                 # ours, taken away again: nothing to report
            elif tag in DECISION_GATEWAYS:
                self.report.drop(f"{tag} (merging, bypassed)", ident)
            else:
                self.report.drop(f"{tag} (bypassed)", ident)
            self.carried.add(ident)
            self.bypassed.add(ident)
            incoming = [e for e in self.edges if e.target == ident and e.source != ident]
            outgoing = [e for e in self.edges if e.source == ident and e.target != ident]
            self.edges = [e for e in self.edges if ident not in (e.source, e.target)]
            forks = node.kind == "bypass" and tag == "parallelGateway" and len(outgoing) >= 2
            for a in incoming:
                for b in outgoing:
                    condition = "; ".join(c for c in (a.condition, b.condition) if c) or None
                    self.edges.append(_Edge(a.source, b.target, condition,
                                            b.extension or a.extension, a.ids + b.ids,
                                            forks or a.parallel or b.parallel))
            if len(self.edges) > 20 * MAX_STEPS:
                raise ImportRefused(self.name, "its gateways join too many routes to bridge",
                                    "too complex")
            del self.nodes[ident]
        if junctions:
            # a route through our junctions keeps the place of the flow that stands for
            # its transition (the one with our transition data), so the order survives
            order = {flow.get("id"): n for n, flow in enumerate(
                self.root.iter(_m("sequenceFlow")))}
            marked = {f.get("id") for f in self.root.iter(_m("sequenceFlow"))
                      if ext.find(f, "transition") is not None}
            self.edges.sort(key=lambda e: min(
                [order.get(i, 1 << 30) for i in e.ids if i in marked]
                or [order.get(i, 1 << 30) for i in e.ids] or [1 << 30]))
        kept: dict[tuple[str, str], _Edge] = {}
        loops = merged = 0
        for edge in self.edges:
            if edge.source == edge.target:
                loops += 1
                continue
            key = (edge.source, edge.target)
            if key in kept:
                merged += 1
                first = kept[key]
                if first.condition and edge.condition and edge.condition != first.condition:
                    first.condition = f"{first.condition} or {edge.condition}"
                elif not edge.condition:
                    first.condition = None
                continue
            kept[key] = edge
        self.edges = list(kept.values())
        if bypassed:
            self.report.note(f"{len(bypassed)} gateway(s) or boundary event(s) with no "
                             "equivalent were bypassed: the steps before them now lead "
                             "to the steps after them (boundary events become a branch "
                             "named after the event).")
        if loops:
            self.report.note(f"{loops} route(s) that led a step back to itself through a "
                             "bypassed gateway were left out (a step cannot lead to itself).")
        if merged:
            self.report.note(f"{merged} route(s) duplicating another between the same two "
                             "steps were merged.")

    def _owning_step(self, ident: str | None) -> str | None:
        """The imported node standing for BPMN element ``ident`` (itself, or its container)."""
        element = self.by_id.get(ident or "")
        while element is not None:
            eid = element.get("id")
            if eid in self.nodes:
                return eid
            if _local(element.tag) == "boundaryEvent":
                attached = element.get("attachedToRef")
                return attached if attached in self.nodes else None
            element = self.parents.get(element)
            if element is not None and _local(element.tag) in ("process", "definitions"):
                return None
        return None

    def _pool_role(self, pool_index: int) -> str:
        pool = self.pools[pool_index]
        if pool.role is None:
            name = pool.name or "Organisation"
            pool.role = self.role_ids.make(name, "organisation")
            self.roles.append({"id": pool.role, "name": name,
                               "description": "An organisation (a pool in the BPMN file)."})
        return pool.role

    def _message_flows(self) -> None:
        existing = {(e.source, e.target): e for e in self.edges}
        messages = {m.get("id"): (m.get("name") or "").strip()
                    for m in self.root.iter(_m("message"))}
        count = 0
        for flow in self.root.iter(_m("messageFlow")):
            ident = flow.get("id") or ""
            source = self._owning_step(flow.get("sourceRef"))
            target = self._owning_step(flow.get("targetRef"))
            if source is None or target is None or source == target:
                self.report.drop("messageFlow (to or from a whole pool, or within one step)",
                                 ident)
                self.carried.add(ident)
                continue
            info = (flow.get("name") or "").strip() or messages.get(flow.get("messageRef"), "")
            if flow.get("messageRef") and info:
                self.carried.add(flow.get("messageRef"))
            handoff = {"sender": self._pool_role(self.nodes[source].pool),
                       "receiver": self._pool_role(self.nodes[target].pool),
                       "information": [info] if info else []}
            edge = existing.get((source, target))
            if edge is None:
                edge = _Edge(source, target, None, None, [ident])
                self.edges.append(edge)
                existing[(source, target)] = edge
            if edge.extension is None:
                edge.extension = {}
            if "handoff" not in edge.extension:
                edge.extension["handoff"] = handoff
            self.carried.add(ident)
            count += 1
        if count:
            self.report.keep("messageFlow -> transition with a handoff", count)
            self.report.note("Pools that exchange messages became roles (the organisation) "
                             "named as sender and receiver of each handoff; say how each "
                             "handoff is sent (its channel) and what it passes on.")

    def _choose_entry(self) -> None:
        starts = [i for i, n in self.nodes.items() if n.kind == "start"]
        if not starts:
            self.report.note("The file has no start event: mark the first step as the entry.")
            return
        targets = {e.target for e in self.edges}
        message_targets = {self._owning_step(f.get("targetRef"))
                           for f in self.root.iter(_m("messageFlow"))}
        order = list(self.nodes)
        chosen = min(starts, key=lambda i: (i in message_targets, i in targets,
                                            self.nodes[i].pool, order.index(i)))
        for ident in starts:
            self.nodes[ident].kind = "entry" if ident == chosen else "task"
        if len(starts) > 1:
            name = " ".join((self.nodes[chosen].element.get("name") or chosen).split())
            self.report.note(f"The file has {len(starts)} start events; '{name}' is the entry "
                             "(the first not started by a message from another pool); the "
                             "others became steps: "
                             + ", ".join(repr(" ".join((self.nodes[s].element.get("name")
                                                        or s).split()))
                                         for s in starts if s != chosen) + ".")

    # ------------------------------------------------------------------- build

    def _step(self, ident: str, node: _Node) -> dict[str, Any]:
        element = node.element
        tag = _local(element.tag)
        data = dict(node.data)
        kind = {"entry": "entry", "exit": "exit", "decision": "decision", "wait": "wait"
                }.get(node.kind, "task")
        raw_name = (element.get("name") or "").strip()
        # our own export keeps a name exactly; other tools' line breaks are layout
        name = raw_name if node.data else " ".join(raw_name.split())
        if not name:
            name = {"startEvent": "Start", "endEvent": "End"}.get(
                tag, re.sub(r"(?<!^)(?=[A-Z])", " ", tag).capitalize())
            self.report.keep(f"unnamed {tag} named '{name}'")
        description = _documentation(element)
        if tag in SUB_PROCESSES:
            inner = [" ".join((c.get("name") or "").split()) for c in element.iter()
                     if c is not element and _is_model(c) and _local(c.tag) in ACTIVITIES]
            inner = [n for n in inner if n]
            if inner:
                description = ((description + "\n\n") if description else "") + \
                    "Contains: " + "; ".join(inner) + "."
        if tag in SUB_PROCESSES and element.get("triggeredByEvent") == "true":
            self.report.note(f"'{name}' is an event sub-process (started by an event, not "
                             "by a flow): it is a step nothing leads to; connect it or "
                             "delete it.")
        if tag == "callActivity" and element.get("calledElement"):
            called = element.get("calledElement")
            description = ((description + "\n\n") if description else "") + \
                f"Calls: {called}."
        timer = element.find(_m("timerEventDefinition")) if node.kind == "wait" else None
        if timer is not None:
            self.carried.add(timer.get("id") or "")
        if node.kind == "wait" and not node.data:
            duration = timer.find(_m("timeDuration")) if timer is not None else None
            days = iso_duration_days(_text_of(duration)) if duration is not None else None
            if days is not None:
                if days > 3650:
                    self.report.note(f"Timer {ident} waits {days:g} days; kept as 3650.")
                data["duration_days"] = round(min(days, 3650.0), 4)
            elif timer is not None and name_days(name) is not None:
                data["duration_days"] = name_days(name)
                self.report.note(f"Timer '{name}' has no ISO 8601 duration; its wait, "
                                 f"{data['duration_days']:g} days, was read from its name.")
            elif timer is not None:
                self.report.drop("timer without an ISO 8601 duration (date, cycle or "
                                 "expression)", ident)
        our_kind = f"{tag} -> {kind}" if tag not in ACTIVITIES else f"{tag} -> task step"
        if tag == "startEvent" and kind == "task":
            our_kind = "startEvent -> task step (not the entry)"
        self.report.keep(our_kind)
        step_id = data.pop("id", None)
        if not step_id or not self.step_ids.claim(step_id):
            step_id = self.step_ids.make(name, "step")
        node.step_id = step_id
        self.carried.add(ident)
        step: dict[str, Any] = {**data, "id": step_id, "name": name, "kind": kind}
        if description:
            step["description"] = description
        if "setting" not in data and node.lane is not None:
            step["setting"] = node.lane
        return step

    def _build(self) -> Pathway:
        steps = [self._step(i, n) for i, n in self.nodes.items()]
        used_settings = {s.get("setting") for s in steps}
        settings = []
        for sid, data in self.settings.items():
            if sid in used_settings or data["_ours"] or (data["_lane"] and self.header is None):
                settings.append({k: v for k, v in data.items() if not k.startswith("_")})
        if any(not d["_ours"] for d in self.settings.values()
               if d["id"] in {s["id"] for s in settings}):
            self.report.note("Setting kinds were guessed from the lane names (hospital "
                             "unless the name says home, GP, community, social care or "
                             "voluntary): check them.")
        transitions = []
        for edge in self.edges:
            data = dict(edge.extension or {})
            data.update({"from": self.nodes[edge.source].step_id,
                         "to": self.nodes[edge.target].step_id})
            data.pop("source", None)
            data.pop("target", None)
            if edge.condition:
                data["condition"] = edge.condition
            if edge.parallel and edge.extension is None:
                data["parallel"] = True      # another modeller's parallel fork
            transitions.append(data)
        positions = self._positions(steps)
        for step in steps:
            if step["id"] in positions:
                step["position"] = positions[step["id"]]
        header = dict(self.header or {})
        title = self._title()
        summary = next((_documentation(p.process) for p in self.pools
                        if _documentation(p.process)), None)
        roles = list(header.pop("roles", []) or [])
        taken = {r.get("id") for r in roles}
        roles += [r for r in self.roles if r["id"] not in taken]
        data = {**header, "title": title, "settings": settings, "roles": roles,
                "steps": steps, "transitions": transitions}
        data.setdefault("id", _slug_id(title, self.stem))
        if summary:
            data["summary"] = summary
        return validated_pathway(data, self.report, self.name)

    def _title(self) -> str:
        if len(self.pools) == 1 and self.pools[0].name:
            return self.pools[0].name
        for candidate in (self.root.get("name"),
                          *(c.get("name") for c in self.root if _is_model(c, "collaboration"))):
            if candidate and candidate.strip():
                return " ".join(candidate.split())
        used = {n.pool for n in self.nodes.values()}
        named = [p.name for i, p in enumerate(self.pools) if i in used and p.name]
        if len(named) == 1:
            return named[0]
        if 2 <= len(named) <= 3:
            return ", ".join(named[:-1]) + " and " + named[-1]
        return self.stem.replace("_", " ").strip() or "Imported pathway"

    # --------------------------------------------------------------- geometry

    def _bounds(self, ident: str) -> tuple[float, float, float, float] | None:
        shape = self.shapes.get(ident)
        bounds = shape.find(f"{{{DC}}}Bounds") if shape is not None else None
        if bounds is None:
            return None
        try:
            values = tuple(float(bounds.get(k, "")) for k in ("x", "y", "width", "height"))
        except ValueError:
            return None
        if any(v != v or abs(v) > 1e7 for v in values):
            return None
        return values  # type: ignore[return-value]

    def _positions(self, steps: list[dict[str, Any]]) -> dict[str, tuple[float, float]]:
        """Centres in our geometry (x in scene units, y from the top of the lane)."""
        boxes = {}
        for ident, node in self.nodes.items():
            b = self._bounds(ident)
            if b is None:
                if self.shapes:
                    self.report.note("Some elements have no diagram position: the pathway "
                                     "was laid out afresh.")
                return {}
            boxes[node.step_id] = b
        if self.vertical:
            self.report.note("The pools are drawn vertically: the pathway was laid out "
                             "afresh with time running left to right.")
            return {}
        lefts = [b[0] for s, lane_id in self.setting_shape.items()
                 if (b := self._bounds(lane_id)) is not None]
        origin = min(lefts) if lefts else min(b[0] for b in boxes.values()) - 110
        widths = sorted(b[2] for i, n in self.nodes.items() if n.kind == "task"
                        and (b := boxes.get(n.step_id)) is not None and b[2] > 0)
        scale = 1.0
        if widths:
            scale = min(2.5, max(1.0, geometry.STEP_WIDTH[StepKind.task]
                                 / widths[len(widths) // 2]))
        by_setting: dict[str, list[dict[str, Any]]] = {}
        for step in steps:
            by_setting.setdefault(step.get("setting") or "", []).append(step)
        tops: dict[str, float] = {}
        for setting_id, members in by_setting.items():
            top_box = self._bounds(self.setting_shape.get(setting_id, ""))
            tops[setting_id] = top_box[1] if top_box is not None else \
                min(boxes[s["id"]][1] for s in members) - geometry.FIRST_ROW_Y + 30
        # our shapes are larger than BPMN's events and gateways: spread the picture
        # out until nothing overlaps, within reason
        for spread in (1.0, 1.25, 1.5, 2.0, 2.5):
            out: dict[str, tuple[float, float]] = {}
            for setting_id, members in by_setting.items():
                for s in members:
                    x, y, w, h = boxes[s["id"]]
                    half = geometry.STEP_HEIGHT[StepKind(s["kind"])] / 2 + 8
                    out[s["id"]] = ((x + w / 2 - origin) * scale * spread,
                                    max(half, (y + h / 2 - tops[setting_id]) * spread))
            shift = max(0.0, geometry.LANE_HEADER_WIDTH + 20 - min(
                out[s["id"]][0] - geometry.STEP_WIDTH[StepKind(s["kind"])] / 2
                for s in steps))
            out = {k: (round(x + shift, 1), round(y, 1)) for k, (x, y) in out.items()}
            if not _overlaps(steps, out):
                if spread * scale > 1:
                    self.report.note(f"The diagram was spread out {spread * scale:.2g} times "
                                     "to make room for the designer's larger step shapes.")
                return out
        self.report.note("The diagram's shapes would overlap at the designer's step "
                         "sizes: the pathway was laid out afresh.")
        return {}

    # ----------------------------------------------------------------- report

    def _report_leftovers(self) -> None:
        """Every element with an id that found no equivalent, by kind."""
        inside: set[ET.Element] = set()
        for ident, node in self.nodes.items():
            if _local(node.element.tag) in SUB_PROCESSES:
                inside.update(e for e in node.element.iter() if e is not node.element)
        for element in self.root.iter():
            if not _is_model(element):
                continue
            tag = _local(element.tag)
            ident = element.get("id")
            if tag in _PARTS:
                continue
            parent = self.parents.get(element)
            parent_id = parent.get("id", "?") if parent is not None else "?"
            if tag.endswith("LoopCharacteristics"):
                self.report.drop(f"{tag} (repetition)", parent_id)
                continue
            if tag.endswith("EventDefinition") and ident not in self.carried:
                node = self.nodes.get(parent_id)
                if node is not None and node.kind == "wait" and tag == "timerEventDefinition":
                    continue                  # the wait itself
                if node is not None:
                    self.report.drop(f"{tag} (what triggers the event)", parent_id)
                    continue
            if parent_id in self.bypassed:
                continue                      # part of a bypassed element, reported with it
            if not ident or ident in self.carried:
                continue
            if tag == "sequenceFlow" and element not in inside:
                tag = "sequenceFlow (an end is missing or was not imported)"
            elif tag == "participant":
                tag = "participant (a pool without a process)"
            if element.get("isForCompensation") == "true":
                self.report.drop("compensation activity", ident)
            if element in inside:
                self.report.drop(f"{tag} (inside a sub-process)", ident)
            else:
                self.report.drop(tag, ident)


# parts of an element that are read with it, never reported on their own
_PARTS = {"definitions", "documentation", "extensionElements", "incoming", "outgoing",
          "flowNodeRef", "conditionExpression", "timeDuration", "timeDate", "timeCycle",
          "condition", "text", "collaboration"}


def _slug_id(title: str, stem: str) -> str:
    from designer.export.interop.import_common import slug

    return slug(title, slug(stem, "imported-pathway"))


def _overlaps(steps: list[dict[str, Any]], out: dict[str, tuple[float, float]]) -> bool:
    by_lane: dict[str, list[tuple[float, float, float, float]]] = {}
    for s in steps:
        w, h = geometry.step_size(StepKind(s["kind"]))
        x, y = out[s["id"]]
        by_lane.setdefault(s.get("setting") or "", []).append((x - w / 2, y - h / 2, w, h))
    widest = max(geometry.STEP_WIDTH.values())
    for boxes in by_lane.values():
        boxes.sort()
        for i, (x, y, w, h) in enumerate(boxes):
            for x2, y2, w2, h2 in boxes[i + 1:]:
                if x2 > x + widest:
                    break
                if x2 < x + w - 2 and y2 < y + h - 2 and y < y2 + h2 - 2:
                    return True
    return False
