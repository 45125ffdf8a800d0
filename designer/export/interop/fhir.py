"""The pathway as a FHIR R4 PlanDefinition (JSON), for systems that read care plans.

Mapping (DESIGN.md section 5), with the choices made where FHIR R4 leaves room:

* pathway -> ``PlanDefinition`` of type ``clinical-protocol``; status ``active``
  for approved pathways, ``draft`` otherwise; ``experimental`` is true for an
  exemplar (a teaching example, not for use as it stands); ``url`` is a stable
  ``urn:uuid`` made from the pathway id unless a base URL is given.
* step -> ``action`` whose element ``id`` is the step id (made a valid FHIR
  ``id`` where it is not one: ``_`` becomes ``-``, long ids are shortened with a
  hash so they stay unique); ``title`` the step
  name; ``description`` the professional description; ``documentation`` a
  ``RelatedArtifact`` (type documentation) holding ``patient_info``; ``code``
  the SNOMED CT and OPCS-4 codes when the step has them, and the activity as
  text; the typical duration in days is ``timingTiming.repeat.duration`` (how
  long the step lasts when it happens; ``timingDuration`` would say *when* it
  happens).
* owner -> ``participant`` (type ``practitioner``, or ``patient`` when the
  role is the patient) with the role name as ``role.text``.
* setting of care -> an actor on the plan and a participant on each step in it,
  with HL7's cross-version extensions for R5 elements in R4 (R4's participant
  can name no place): each setting is an R5 ``PlanDefinition.actor``
  (``extension-PlanDefinition.actor`` with the setting's id as the extension's
  ``id``; ``title`` its name, ``description`` its kind in words, ``option`` of
  R5 type ``location`` with the name as ``typeReference.display``); a step's
  participant names it by R5's ``participant.actorId`` with R5's
  ``participant.type`` ``location``, and R4's required ``type`` is absent for the
  reason ``unsupported`` (``data-absent-reason`` on ``_type``).
* a branch marked ``parallel`` (taken alongside the other ways on) -> its step's
  action gets ``groupingBehavior`` ``logical-group`` and ``selectionBehavior``
  ``all`` with a child action per parallel branch (no condition), and one for a
  single unmarked way beside them (it leaves the same fork in BPMN); the step the
  branch leads to points at that child (``after-end``).
* every choice point is a group, as the BPMN export has a gateway for it
  (:func:`choices`): a decision's action, and a task's with two or more ways on
  not marked ``parallel`` (unmarked ways are alternatives), get ``exactly-one``;
  beside parallel branches those alternatives are a group of their own
  ("After STEP: which way?") inside the ``all`` group; a task whose one way on is
  unmarked and has a condition gets ``at-most-one`` (patients may take none).
* transition A->B -> ``relatedAction`` on B pointing at A with relationship
  ``after-end`` and ``offsetDuration`` = ``wait_days`` (UCUM ``d``). The
  relations form no cycle (a scheduler would wait for ever): a transition that
  goes back to an earlier step (a loop, found by a depth-first walk from the
  entry) is written instead as our ``loop-back`` extension on the step it
  returns to (``actionId``, ``relationship``, ``offsetDuration`` and our
  transition data), which the importer reads back.
* a decision that carries a code for what it measures (``codes.loinc``, else
  ``codes.snomed``) and whose branches state thresholds in one laboratory unit
  ("HbA1c < 69 mmol/mol", read as the rule decision-threshold-gap reads them)
  gets an ``input`` DataRequirement for that Observation (its ``id``, e.g.
  ``hba1c-check-result``, is the variable an engine supplies with the latest
  result) and each such branch tests the value itself in FHIRPath:
  ``%`hba1c-check-result`.value.code = 'mmol/mol' and ...value.value < 69``,
  combined with the recorded answer only where branches share a threshold
  ("≥ 69, can wait" / "≥ 69, urgent"). No code is invented: without one the
  branches test the recorded answer as below.
* a choice's branches: each child action of the group has an ``applicability``
  condition in FHIRPath (``text/fhirpath``): ``%`GROUP` = 'BRANCH'`` names the
  way the care team records there (an engine applying the plan supplies it as
  the variable named after the group's action id, e.g. the decision's, written
  ``%`DECISION-ID```), and the clinicians' words are the Expression's
  ``description``. The step a branch leads to points at the branch
  (``after-end``), so the route taken is explicit.
* a step that only some routes reach carries conditions that hold exactly when
  a route reaches it (:func:`route_terms`: per choice the answers every route
  needs, branches of one choice joined with ``or``, and where the routes differ
  otherwise one more condition ORing them), so applying the plan never proposes
  two alternative routes at once nor leaves out one the answers take. A step
  with several relations is reached by any of them that applies: an action
  whose conditions are false is not in the applied plan, and neither are
  relations to it.
* handoff information -> one ``DataRequirement`` per item, ``output`` on the
  sending step and ``input`` on the receiving step. Handoffs pass documents and
  results, so the type is ``DocumentReference`` and the item is named by a
  ``codeFilter`` on ``type`` whose Coding has only a ``display`` (no code is
  claimed). Sender, receiver, channel and service level go into the receiving
  action's ``textEquivalent``, with the setting, in plain words.
* what the PlanDefinition cannot say goes into three structured complex
  extensions of ours (:mod:`.interop.fhir_extensions`, documented in
  docs/interop.md): the pathway's header, settings and roles on the resource,
  each step's own fields on its action, and each transition (its wait, share
  and handoff: sender, receiver, information, channel, within_days) on the
  ``relatedAction`` that stands for it; our importer reads them back, so
  export -> import loses nothing.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import uuid
from collections import deque
from itertools import filterfalse

from designer.graph.model import ACTIVITY_LABELS, Pathway, Status, Step, StepKind, Transition
from designer.graph.rules.core_decisions import branch_interval
from designer.export.interop import fhir_extensions as fx
from designer.export.interop.json_text import dumps_indented, write_indented

# what the PlanDefinition itself carries, left out of our extensions
PATHWAY_IN_FHIR = ("format", "title", "version", "steps", "transitions")
STEP_IN_FHIR = ("name", "description")
TRANSITION_IN_FHIR = ("source", "target", "condition")

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
# units of a laboratory result a branch threshold may be stated in, as UCUM codes
_LAB_UNIT = re.compile(r"mmol\s*/\s*mol|mmol\s*/\s*l|g\s*/\s*l|%", re.IGNORECASE)
_UCUM_UNITS = {"mmol/mol": "mmol/mol", "mmol/l": "mmol/L", "g/l": "g/L", "%": "%"}
OPCS = "https://fhir.nhs.uk/Id/opcs-4"
FHIRPATH = "text/fhirpath"
UCUM = "http://unitsofmeasure.org"
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
# HL7's cross-version extensions for FHIR R5 elements used in R4 (package
# hl7.fhir.uv.xver-r5.r4): R5's PlanDefinition.actor and participant.actorId/type
XVER = "http://hl7.org/fhir/5.0/StructureDefinition/extension-"
ACTOR = XVER + "PlanDefinition.actor"
ACTOR_ID = XVER + "PlanDefinition.action.participant.actorId"
PARTICIPANT_TYPE = XVER + "PlanDefinition.action.participant.type"
DATA_ABSENT = "http://hl7.org/fhir/StructureDefinition/data-absent-reason"
SETTING_KINDS = {"home": "the patient's home", "primary": "primary care",
                 "community": "community services", "secondary": "hospital care",
                 "social": "social care", "voluntary": "a voluntary service"}
_FHIR_ID = re.compile(r"[^A-Za-z0-9.-]+")
_VALID_ID = re.compile(r"^[A-Za-z0-9.-]{1,64}$")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fhir_id(text: str) -> str:
    """A valid FHIR resource id (letters, digits, '-', '.'; at most 64)."""
    return (_FHIR_ID.sub("-", text).strip("-.") or "pathway")[:64]


class _ActionIds:
    """FHIR ``id`` values for actions (``[A-Za-z0-9-.]{1,64}``), unique, from our ids.

    ``relatedAction.actionId`` is of type ``id``, stricter than our step ids
    (which allow ``_`` and any length), so each is mapped once and reused.
    """

    def __init__(self, keys=()) -> None:
        self.by_key: dict[str, str] = {}
        self.used: set[str] = set()
        # ids that are already valid keep themselves, whatever order they come in
        for key in keys:
            if _VALID_ID.match(key):
                self.by_key[key] = key
                self.used.add(key)

    def __call__(self, key: str) -> str:
        if key in self.by_key:
            return self.by_key[key]
        base = _FHIR_ID.sub("-", key).strip("-.") or "action"
        digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:8]
        candidate = base if len(base) <= 64 else f"{base[:55]}-{digest}"
        if candidate in self.used:       # two of our ids that read the same in FHIR
            candidate = f"{base[:55]}-{digest}"
        self.by_key[key] = candidate
        self.used.add(candidate)
        return candidate


def _computable_name(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    name = "".join(w[:1].upper() + w[1:] for w in words)
    if not name or not name[0].isalpha():
        name = "Pathway" + name
    return name[:255]


def _duration(value: float) -> dict:
    return {"value": float(value), "unit": "days" if value != 1 else "day",
            "system": UCUM, "code": "d"}


def _by_id(items) -> dict:
    """Roles or settings by id, the first of any that share one (as ``Pathway.role``)."""
    out: dict = {}
    for item in items:
        out.setdefault(item.id, item)
    return out


def _role_name(pathway: Pathway, role_id: str | None, roles: dict | None = None) -> str | None:
    if not role_id:
        return None
    role = roles.get(role_id) if roles is not None else pathway.role(role_id)
    return role.name if role else role_id


def _setting_name(pathway: Pathway, setting_id: str | None,
                  settings: dict | None = None) -> str | None:
    setting = None
    if setting_id:
        setting = (settings.get(setting_id) if settings is not None
                   else pathway.setting(setting_id))
    return setting.name if setting else setting_id


def _is_patient(pathway: Pathway, role_id: str, roles: dict | None = None) -> bool:
    name = (_role_name(pathway, role_id, roles) or "").strip().lower()
    return role_id.lower() == "patient" or name in ("patient", "the patient")


def _information(item: str) -> dict:
    return {
        "type": "DocumentReference",
        "codeFilter": [{"path": "type", "code": [{"display": item}]}],
    }


def _handoff_sentence(pathway: Pathway, t: Transition,
                      steps: dict[str, Step] | None = None, roles: dict | None = None) -> str:
    h = t.handoff
    source = steps.get(t.source) if steps is not None else pathway.step(t.source)
    parts = [f"Handoff from {source.name if source else t.source}"]
    who = []
    if h.sender:
        who.append(f"sent by {_role_name(pathway, h.sender, roles)}")
    if h.receiver:
        who.append(f"received by {_role_name(pathway, h.receiver, roles)}")
    if who:
        parts.append(" and ".join(who))
    if h.channel:
        parts.append(f"by {h.channel}")
    if h.within_days is not None:
        parts.append(f"within {h.within_days:g} days")
    sentence = ", ".join(parts)
    if h.information:
        sentence += ": " + "; ".join(h.information)
    return sentence + "."


def _setting_participant(actor_id: str) -> dict:
    """The step's setting of care as a participant: R5's ``actorId`` naming the actor
    (a location) declared on the plan. R4's ``type`` has no code for a place, so it
    is absent for the reason 'unsupported' and R5's type says ``location``."""
    return {"extension": [{"url": ACTOR_ID, "valueString": actor_id},
                          {"url": PARTICIPANT_TYPE, "valueCode": "location"}],
            "_type": {"extension": [{"url": DATA_ABSENT, "valueCode": "unsupported"}]}}


def _actor(actor_id: str, setting) -> dict:
    """A setting of care as an R5 ``PlanDefinition.actor`` (cross-version extension)."""
    kind = getattr(setting.kind, "value", setting.kind)
    return {"id": actor_id, "url": ACTOR, "extension": [
        {"url": "title", "valueString": setting.name},
        {"url": "description",
         "valueMarkdown": f"Setting of care: {SETTING_KINDS.get(kind, kind)}."},
        {"url": "option", "extension": [
            {"url": "type", "valueCode": "location"},
            {"url": "typeReference", "valueReference": {"display": setting.name}}]}]}


def actor_ids(pathway: Pathway) -> dict[str, str]:
    """The actor id (a FHIR ``id``) of each setting of care, unique, by setting id."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for setting in pathway.settings:
        base = _fhir_id(f"setting-{setting.id}")[:60]
        candidate, n = base, 2
        while candidate in used:
            candidate, n = f"{base[:56]}-{n}", n + 1
        used.add(candidate)
        out[setting.id] = candidate
    return out


def _step_action(pathway: Pathway, step: Step, action_id: str,
                 actors: dict[str, str] | None = None, roles: dict | None = None) -> dict:
    action: dict = {"id": action_id, "title": step.name,
                    "extension": [fx.to_extension(fx.STEP, step, STEP_IN_FHIR)]}
    if step.description:
        action["description"] = step.description
    codes = []
    coding = [{"system": SNOMED, "code": step.codes["snomed"].strip()}] \
        if (step.codes.get("snomed") or "").strip() else []
    coding += [{"system": OPCS, "code": code}
               for code in re.split(r"[\s,;]+", step.codes.get("opcs") or "") if code]
    if coding:
        codes.append({"coding": coding, "text": step.name})
    if step.activity is not None:
        codes.append({"text": ACTIVITY_LABELS.get(step.activity, step.activity.value)})
    if codes:
        action["code"] = codes
    if step.patient_info:
        action["documentation"] = [{"type": "documentation",
                                    "label": "Information for patients",
                                    "display": step.patient_info}]
    if step.owner:
        role_text = _role_name(pathway, step.owner, roles)
        action["participant"] = [{
            "type": "patient" if _is_patient(pathway, step.owner, roles) else "practitioner",
            "role": {"text": role_text},
        }]
    if actors and step.setting in actors:
        action.setdefault("participant", []).append(_setting_participant(actors[step.setting]))
    if step.duration_days is not None:
        action["timingTiming"] = {"repeat": {"duration": float(step.duration_days),
                                             "durationUnit": "d"}}
    return action


def _entries(pathway: Pathway) -> list[str]:
    """Where a walk through the pathway starts: the entries, else steps nothing leads to."""
    entries = [s.id for s in pathway.steps if s.kind is StepKind.entry]
    if not entries:
        targets = {t.target for t in pathway.transitions}
        entries = [s.id for s in pathway.steps if s.id not in targets][:1]
    return entries or [s.id for s in pathway.steps[:1]]


def back_edges(pathway: Pathway) -> set[int]:
    """Indexes of the transitions that go back to a step on the way to them (loops).

    A depth-first walk from the entry (then from every step not yet met), taking
    transitions in file order; a transition to a step still being walked closes
    a loop. Without these the relations between steps form no cycle.
    """
    steps = pathway.steps_by_id()
    out: dict[str, list[tuple[int, str]]] = {}
    for index, t in enumerate(pathway.transitions):
        if t.source in steps and t.target in steps:
            out.setdefault(t.source, []).append((index, t.target))
    state: dict[str, int] = {}          # 1 on the walk, 2 done
    found: set[int] = set()
    for root in _entries(pathway) + [s.id for s in pathway.steps]:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(out.get(root, ())))]
        while stack:
            node, edges = stack[-1]
            for index, target in edges:
                if state.get(target) == 1:
                    found.add(index)
                elif target not in state:
                    state[target] = 1
                    stack.append((target, iter(out.get(target, ()))))
                    break
            else:
                state[node] = 2
                stack.pop()
    return found


class Choice:
    """A point where patients take one of several ways on (or, optionally, none).

    ``step`` is the step the ways leave; ``ways`` the transition indexes that are
    alternatives there (a decision's every way; a task's ways not marked
    ``parallel``); ``optional`` when the pathway lets patients take none of them
    (a task whose one way on has a condition: FHIR ``at-most-one``).
    """

    def __init__(self, step: str, ways: list[int], optional: bool = False) -> None:
        self.step, self.ways, self.optional = step, ways, optional

    @property
    def behavior(self) -> str:
        return "at-most-one" if self.optional else "exactly-one"


def choices(pathway: Pathway) -> dict[str, Choice]:
    """Every choice point of the pathway, by a key (the step id, or ``STEP:choice``).

    The same reading as the BPMN export's gateways (docs/interop.md): a decision
    chooses one of all its ways on (its exclusive gateway); a task with two or
    more ways on not marked ``parallel`` chooses one of them (an exclusive "which
    way?" gateway, after the parallel fork when it also has parallel branches); a
    task whose only way on is unmarked and has a condition takes it only when the
    condition holds (a conditional flow: none may be taken). A task's one
    unmarked way beside parallel branches is taken alongside them (it leaves the
    parallel fork), so it is no choice.
    """
    steps = pathway.steps_by_id()
    ways: dict[str, list[int]] = {}
    for index, t in enumerate(pathway.transitions):
        if t.source in steps and t.target in steps:
            ways.setdefault(t.source, []).append(index)
    out: dict[str, Choice] = {}
    for step_id, indexes in ways.items():
        if steps[step_id].kind is StepKind.decision:
            out[step_id] = Choice(step_id, indexes)
            continue
        forked = any(pathway.transitions[i].parallel for i in indexes)
        rest = [i for i in indexes if not pathway.transitions[i].parallel]
        key = f"{step_id}:choice" if forked else step_id
        if len(rest) >= 2:
            out[key] = Choice(step_id, rest)
        elif len(rest) == 1 and not forked and pathway.transitions[rest[0]].condition:
            out[key] = Choice(step_id, rest, optional=True)
    return out


def route_conditions(pathway: Pathway, points: dict[str, Choice] | None = None
                     ) -> dict[str, dict[str, list[int]]]:
    """For each step, per choice point (key of :func:`choices`), the ways it needs.

    A step needs a choice's way B when it can only be reached with that choice
    made B (or one of several ways): walking from the entry with the choice
    always taking way B reaches the step, with any other way (or, where the
    choice is optional, with none) it does not. Steps every answer reaches need
    nothing of it. Other ways on from the same step (parallel branches beside a
    choice) are always walked.
    """
    points = choices(pathway) if points is None else points
    steps = pathway.steps_by_id()
    out: dict[str, list[tuple[int, str]]] = {}
    for index, t in enumerate(pathway.transitions):
        if t.source in steps and t.target in steps:
            out.setdefault(t.source, []).append((index, t.target))
    entries = _entries(pathway)

    def reach(choice: Choice | None, way: int | None) -> set[str]:
        seen = set(entries)
        todo = list(entries)
        while todo:
            node = todo.pop()
            for index, target in out.get(node, ()):
                if choice is not None and node == choice.step and index in choice.ways \
                        and index != way:
                    continue
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    everywhere = reach(None, None)
    needs: dict[str, dict[str, list[int]]] = {}
    for key, choice in points.items():
        if choice.step not in everywhere or len(choice.ways) + choice.optional < 2:
            continue
        reached = {b: reach(choice, b) for b in choice.ways}
        without = reach(choice, None) if choice.optional else set()
        for step_id in everywhere:
            which = [b for b in choice.ways if step_id in reached[b]]
            if which and (len(which) < len(choice.ways)
                          or (choice.optional and step_id not in without)):
                needs.setdefault(step_id, {})[key] = which
    return needs


Term = frozenset      # of (choice key, transition index): one route's answers, all needed


def _single_ways(points: dict[str, Choice]) -> frozenset:
    """The answers (choice key, transition index) of the choices with one way on that
    patients cannot leave untaken: every route through such a choice gives it."""
    return frozenset((key, c.ways[0]) for key, c in points.items()
                     if len(c.ways) == 1 and not c.optional)


def _simplified(terms: set, points: dict[str, Choice], alone: frozenset | None = None) -> set:
    """The same condition (an OR of ANDed answers) in fewer, shorter terms.

    A term that holds whenever a shorter one does goes; terms that differ only in
    the answer to one choice, and name every answer it can have, are one term
    without it (a choice that may take none is never dropped: "none" is no term).
    ``alone``: :func:`_single_ways` of ``points``, when the caller has it.
    """
    terms = set(terms)
    if len(terms) == 1 and alone is None:
        alone = _single_ways(points)
    while len(terms) == 1:
        # one route (the usual case, quick on a long pathway): only a choice with one
        # way on (:func:`_single_ways`) can go from it, the least such answer first
        (term,) = terms
        found = min(term & alone) if not term.isdisjoint(alone) else None
        if found is None:
            return terms
        terms = {term - {found}}
    while True:
        terms = {t for t in terms if not any(o < t for o in terms)}
        # every answer some term gives: a term can only be merged over a choice whose
        # every way some term names (checked first, it costs no new terms)
        given = set().union(*terms)
        for term in sorted(terms, key=sorted):          # the same result every run
            found = next((
                (key, index) for key, index in sorted(term) if not points[key].optional
                and all((key, other) in given for other in points[key].ways)
                and all(term - {(key, index)} | {(key, other)} in terms
                        for other in points[key].ways)), None)
            if found is not None:
                rest = term - {found}
                terms -= {rest | {(found[0], other)} for other in points[found[0]].ways}
                terms.add(rest)
                break
        else:
            return terms


def route_terms(pathway: Pathway, points: dict[str, Choice] | None = None,
                limit: int = 64) -> dict[str, set] | None:
    """For each step, the answers that bring a patient to it: a set of terms, each
    the answers (choice key, transition index) of one route, the step reached when
    any term holds in full. Exact, loops included: the walk passes a choice again
    with the answer it gave before. A step every answer reaches has the one empty
    term; steps no route from the entry reaches are left out. ``None`` when some
    step would need more than ``limit`` terms (use :func:`route_conditions`).
    """
    points = choices(pathway) if points is None else points
    steps = pathway.steps_by_id()
    choice_of = {index: key for key, choice in points.items() for index in choice.ways}
    out: dict[str, list[tuple[int, str]]] = {}
    for index, t in enumerate(pathway.transitions):
        if t.source in steps and t.target in steps:
            out.setdefault(t.source, []).append((index, t.target))
    alone = _single_ways(points)
    # each way of a choice: the choice's other answers (a route gives a choice one)
    elsewhere = {index: frozenset((key, other) for other in points[key].ways if other != index)
                 for index, key in choice_of.items()}
    terms: dict[str, set] = {e: {Term()} for e in _entries(pathway)}
    todo = deque(terms)                  # first in, first out; each step at most once
    queued = set(terms)
    rounds = 0
    while todo:
        rounds += 1
        if rounds > 50 * (len(steps) + 1):
            return None
        node = todo.popleft()
        queued.discard(node)
        for index, target in out.get(node, ()):
            key = choice_of.get(index)
            if key is None:
                coming = set(terms[node])
            else:
                # routes that gave this choice no other answer go on, with this one
                answer, other = {(key, index)}, elsewhere[index]
                coming = {term | answer for term in terms[node] if term.isdisjoint(other)}
            have = terms.get(target, set())
            if all(any(o <= t for o in have) for t in coming):
                continue
            merged = _simplified(have | coming, points, alone)
            if len(merged) > limit:
                return None
            terms[target] = merged
            if target not in queued:
                todo.append(target)
                queued.add(target)
    return terms


def _product(terms: set) -> dict[str, list[int]] | None:
    """The terms as an AND over choices of an OR of answers, when they are one."""
    if len(terms) == 1:                  # one route: each of its answers alone
        return {key: [index] for term in terms for key, index in term}
    keys = {key for term in terms for key, _i in term}
    per_key: dict[str, set[int]] = {key: set() for key in keys}
    for term in terms:
        if {key for key, _i in term} != keys:
            return None
        for key, index in term:
            per_key[key].add(index)
    size = 1
    for indexes in per_key.values():
        size *= len(indexes)
    return {key: sorted(v) for key, v in per_key.items()} if size == len(terms) else None


def _variable(decision_action_id: str) -> str:
    return f"%`{decision_action_id}`"


def _branch_condition(decision_action_id: str, branch_ids: list[str],
                      description: str) -> dict:
    expression = " or ".join(f"{_variable(decision_action_id)} = '{b}'" for b in branch_ids)
    return {"kind": "applicability", "expression": {
        "description": description, "language": FHIRPATH, "expression": expression}}


def _answer(decision_action_id: str, branch_id: str) -> str:
    return f"{_variable(decision_action_id)} = '{branch_id}'"


def measured_branches(decision: Step, branches: list[tuple[int, Transition]],
                      decision_action_id: str, branch_ids: dict[int, str]
                      ) -> tuple[dict | None, dict[int, str]]:
    """FHIRPath for the branches of a decision that test a coded laboratory value.

    Only when the decision carries a code for what it measures (``codes.loinc``,
    else ``codes.snomed``) and its branches state thresholds (as the rule
    decision-threshold-gap reads them: "HbA1c < 69 mmol/mol") in one laboratory
    unit. Returns the ``input`` DataRequirement for the Observation (its ``id``
    names the variable the expressions use) and, per branch with a threshold,
    the expression: the value test alone when no other branch's threshold
    overlaps it, else the value test and the answer recorded at the decision.
    """
    code_system = ((LOINC, decision.codes["loinc"].strip())
                   if (decision.codes.get("loinc") or "").strip() else
                   (SNOMED, decision.codes["snomed"].strip())
                   if (decision.codes.get("snomed") or "").strip() else None)
    if code_system is None:
        return None, {}
    units = {_UCUM_UNITS["".join(m.group(0).lower().split())]
             for _i, t in branches for m in _LAB_UNIT.finditer(t.condition or "")}
    if len(units) != 1:
        return None, {}
    unit = units.pop()
    intervals = {i: branch_interval(t.condition) for i, t in branches if t.condition}
    intervals = {i: v for i, v in intervals.items() if v is not None}
    if not intervals:
        return None, {}
    input_id = f"{decision_action_id}-result"[:64]
    value = f"%`{input_id}`.value"
    requirement = {"id": input_id, "type": "Observation", "codeFilter": [{
        "path": "code", "code": [{"system": code_system[0], "code": code_system[1]}]}]}

    def overlap(a, b) -> bool:
        low = max(a[0], b[0])
        high = min(a[2], b[2])
        if low < high:
            return True
        return low == high and (a[1] if a[0] == low else a[3]) and \
            (b[1] if b[0] == low else b[3])

    expressions: dict[int, str] = {}
    for index, (low, low_in, high, high_in) in intervals.items():
        # the result's UCUM code and number (plain paths: every engine reads them)
        tests = [f"{value}.code = '{unit}'"]
        if low != float("-inf"):
            tests.append(f"{value}.value {'>=' if low_in else '>'} {low:g}")
        if high != float("inf"):
            tests.append(f"{value}.value {'<=' if high_in else '<'} {high:g}")
        test = " and ".join(tests)
        shared = any(overlap(intervals[index], other) for j, other in intervals.items()
                     if j != index)
        expressions[index] = (f"({test}) and {_answer(decision_action_id, branch_ids[index])}"
                              if shared else test)
    return requirement, expressions


def plan_definition(pathway: Pathway, base_url: str | None = None,
                    date: _dt.date | None = None) -> dict:
    """The PlanDefinition as a JSON-ready dict.

    Parameters
    ----------
    pathway : Pathway
        The pathway to export (not changed).
    base_url : str, optional
        Canonical base (``https://fhir.example.nhs.uk``); the ``url`` becomes
        ``{base_url}/PlanDefinition/{id}``. Without it a stable ``urn:uuid``.
    date : datetime.date, optional
        The publication date; today when not given.

    A condition that many steps need is one object in each of their lists, and steps
    that one route reaches with the same answers share one list (a long pathway would
    otherwise hold a condition thousands of times): copy before changing either.
    """
    return _plan(pathway, base_url, date)[0]


def _plan(pathway: Pathway, base_url: str | None = None, date: _dt.date | None = None,
          quick: bool = True) -> tuple[dict, set[int]]:
    """:func:`plan_definition`, and the ``id`` of the conditions and lists of them it
    repeats on many steps (one object each, for :func:`_cleaned` and the JSON writer
    to handle once).

    ``quick=False`` gives a step reached by one route its conditions the general way
    (the same result, more slowly: tests compare the two)."""
    steps = pathway.steps_by_id()
    ids = _ActionIds(s.id for s in pathway.steps)
    actors = actor_ids(pathway)
    roles, settings = _by_id(pathway.roles), _by_id(pathway.settings)   # looked up per step
    actions: dict[str, dict] = {s.id: _step_action(pathway, s, ids(s.id), actors, roles)
                                for s in pathway.steps}
    where: dict[str, list[str]] = {}
    for step in pathway.steps:
        if step.setting:
            where.setdefault(step.id, []).append(
                f"Setting: {_setting_name(pathway, step.setting, settings)}.")

    loops = back_edges(pathway)
    points = choices(pathway)
    choice_of = {index: key for key, choice in points.items() for index in choice.ways}
    groups: dict[str, dict] = {}         # choice key -> its group action
    group_ids: dict[str, str] = {}       # choice key -> the group's action id (its variable)
    for key, choice in points.items():
        if key == choice.step:           # the step's own action is the group
            groups[key] = actions[choice.step]
        else:                            # a choice after a parallel fork: a group inside it
            source = steps[choice.step]
            groups[key] = {"id": ids(key), "title": f"After {source.name}: which way?",
                           "description": "One of these ways on is taken, alongside the "
                                          "branches taken together."}
            groups[key]["groupingBehavior"] = "logical-group"
            groups[key]["selectionBehavior"] = choice.behavior
        group_ids[key] = groups[key]["id"]
    # tasks with a way marked parallel: every way on that is no choice leaves the fork
    forks = {t.source for t in pathway.transitions if t.parallel and t.source in steps
             and t.target in steps and steps[t.source].kind is not StepKind.decision}
    branch_of: dict[int, str] = {}       # transition index -> its branch action id
    for index, t in enumerate(pathway.transitions):
        if t.source not in steps or t.target not in steps:
            continue   # an unknown reference is a validation finding, not an export
        after = ids(t.source)
        forked = t.source in forks
        if index in choice_of:
            # one of a choice's ways: a branch of its group, with its condition
            key = choice_of[index]
            group = groups[key]
            if key != t.source and not any(c is group for c in actions[t.source].get(
                    "action", ())):
                fork = actions[t.source]       # the choice is one branch of the fork
                fork["groupingBehavior"] = "logical-group"
                fork["selectionBehavior"] = "all"
                fork.setdefault("action", []).append(group)
            group["groupingBehavior"] = "logical-group"
            group["selectionBehavior"] = points[key].behavior
            branch_id = ids(f"{t.source}.{t.target}")
            branch_of[index] = branch_id
            words = t.condition or f"Go to {steps[t.target].name}"
            branch: dict = {"id": branch_id, "title": words,
                            "description": f"Go on to {steps[t.target].name}."}
            branch["condition"] = [_branch_condition(group_ids[key], [branch_id], words)]
            group.setdefault("action", []).append(branch)
            after = branch_id
        elif forked:
            # taken alongside the other ways on: a group whose branches are all chosen
            # (a parallel branch, or the one unmarked way that leaves the same fork)
            fork = actions[t.source]
            fork["groupingBehavior"] = "logical-group"
            fork["selectionBehavior"] = "all"
            branch_id = ids(f"{t.source}.{t.target}")
            words = f" Only when: {t.condition}." if t.condition else ""
            fork.setdefault("action", []).append({
                "id": branch_id, "title": f"Also: {steps[t.target].name}",
                "description": f"Go on to {steps[t.target].name} as well, alongside "
                               f"the other ways on.{words}"})
            after = branch_id
        # a branch of a choice carries the condition; any other way keeps it in our data
        carried = TRANSITION_IN_FHIR if index in branch_of else TRANSITION_IN_FHIR[:2]
        # a branch without a condition is titled "Go to ..."; that is not a condition
        marks = {"index": index} if t.condition or index not in branch_of else {
            "index": index, "no_condition": True}
        related: dict = {"actionId": after, "relationship": "after-end", "extension": [
            fx.to_extension(fx.TRANSITION, t, carried, marks)]}
        if t.wait_days is not None:
            related["offsetDuration"] = _duration(t.wait_days)
        if index in loops:
            actions[t.target].setdefault("extension", []).append(fx.loop_back(related))
        else:
            actions[t.target].setdefault("relatedAction", []).append(related)
        if t.handoff is not None:
            for item in t.handoff.information:
                actions[t.source].setdefault("output", []).append(_information(item))
                actions[t.target].setdefault("input", []).append(_information(item))
            where.setdefault(t.target, []).append(_handoff_sentence(pathway, t, steps, roles))
    # a decision on a coded laboratory value: its branches test the value itself
    measured: dict[int, str] = {}
    branches_from: dict[str, list[int]] = {}     # step id -> its branches, in file order
    for index in branch_of:
        branches_from.setdefault(pathway.transitions[index].source, []).append(index)
    for step in pathway.steps:
        if step.kind is not StepKind.decision:
            continue
        ways = [(i, pathway.transitions[i]) for i in branches_from.get(step.id, ())]
        requirement, expressions = measured_branches(
            step, ways, ids(step.id), {i: branch_of[i] for i, _t in ways})
        if requirement is None:
            continue
        actions[step.id].setdefault("input", []).append(requirement)
        for branch in actions[step.id]["action"]:
            for index, expression in expressions.items():
                if branch["id"] == branch_of[index]:
                    branch["condition"][0]["expression"]["expression"] = expression
        measured.update(expressions)
    def way_words(b: int) -> str:
        t = pathway.transitions[b]
        return t.condition or f"go to {steps[t.target].name}"

    def asked(key: str) -> str:
        source = steps[points[key].step]
        return (f"'{source.name}' is answered" if source.kind is StepKind.decision
                else f"the way on after '{source.name}' is")

    def test(key: str, b: int) -> str:
        return f"({measured[b]})" if b in measured else _answer(group_ids[key], branch_of[b])

    place = {s.id: n for n, s in enumerate(pathway.steps)}
    by_place = {key: (place[points[key].step], key) for key in points}
    order = {index: n for n, index in enumerate(branch_of)}

    made: dict[tuple, dict] = {}         # (choice, its answers) -> the condition

    def choice_condition(key: str, branches: list[int]) -> dict:
        """The condition that ``key`` is answered with one of ``branches``: one object
        for every step that needs it (a long pathway repeats it on many steps)."""
        condition = made.get((key, *branches))
        if condition is None:
            condition = _branch_condition(
                group_ids[key], [branch_of[b] for b in branches],
                f"Only when {asked(key)}: " + " or ".join(way_words(b) for b in branches))
            if any(b in measured for b in branches):
                condition["expression"]["expression"] = " or ".join(
                    test(key, b) for b in branches)
            made[(key, *branches)] = condition
        return condition

    def per_choice(needed: dict[str, list[int]]) -> list[dict]:
        """One condition per choice (FHIR ANDs them), its answers joined with or."""
        conditions = []
        for key in sorted(needed, key=by_place.get):
            branches = needed[key]
            condition = made.get((key, *branches))
            conditions.append(condition if condition is not None
                              else choice_condition(key, branches))
        return conditions

    routes = route_terms(pathway, points)
    if routes is None:           # too many routes to name: what each choice needs
        needs: dict = route_conditions(pathway, points)
    else:
        needs = {step_id: terms for step_id, terms in routes.items() if terms != {Term()}}
    # a choice's answers sort as the choices do (by their step's place in the list)
    rank = {(key, b): n for n, key in enumerate(sorted(points, key=by_place.get))
            for b in points[key].ways}
    # one route's conditions, by the route (its term is one object for every step
    # from one choice to the next): one list for all those steps
    by_term: dict[int, list[dict]] = {}
    lists_used: dict[int, int] = {}
    for step_id, needed in needs.items():
        if quick and not isinstance(needed, dict) and len(needed) == 1:
            # one route (most steps of a long pathway): its answers, each its condition,
            # in a few calls however many the answers (per_choice gives the same)
            (term,) = needed
            conditions = by_term.get(id(term))
            if conditions is None:
                for key, b in filterfalse(made.__contains__, term):
                    choice_condition(key, [b])
                conditions = list(map(made.__getitem__, sorted(term, key=rank.__getitem__)))
                by_term[id(term)] = conditions
            lists_used[id(conditions)] = lists_used.get(id(conditions), 0) + 1
            actions[step_id]["condition"] = conditions
            continue
        product = needed if isinstance(needed, dict) else _product(needed)
        if product is not None:
            conditions = per_choice(product)
        else:
            # what every route needs, one condition per choice; then the routes' other
            # answers as one condition: route or route
            common = frozenset.intersection(*needed)
            conditions = per_choice({key: [b] for key, b in common})
            routes_in_order = sorted((sorted(term - common, key=lambda kb: order[kb[1]])
                                      for term in needed),
                                     key=lambda r: [order[b] for _k, b in r])
            expression = " or ".join("(" + " and ".join(test(k, b) for k, b in route) + ")"
                                     for route in routes_in_order)
            words = "; or ".join(" and ".join(f"{asked(k)}: {way_words(b)}" for k, b in route)
                                 for route in routes_in_order)
            conditions.append({"kind": "applicability", "expression": {
                "description": f"Only when {words}", "language": FHIRPATH,
                "expression": expression}})
        actions[step_id]["condition"] = conditions
    for step_id, sentences in where.items():
        actions[step_id]["textEquivalent"] = " ".join(sentences)

    pid = _fhir_id(pathway.id)
    resource: dict = {
        "resourceType": "PlanDefinition",
        "id": pid,
        "url": (f"{base_url.rstrip('/')}/PlanDefinition/{pid}" if base_url else
                "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                             f"periop-pathway:{pathway.id}"))),
        "version": pathway.version,
        "name": _computable_name(pathway.title),
        "title": pathway.title,
        "type": {"coding": [{"system": PLAN_TYPE, "code": "clinical-protocol",
                             "display": "Clinical Protocol"}]},
        "status": "active" if pathway.status is Status.approved else "draft",
        "experimental": pathway.status is Status.exemplar,
        "date": (date or _dt.date.today()).isoformat(),
        "extension": [fx.to_extension(fx.PATHWAY, pathway, PATHWAY_IN_FHIR)]
        + [_actor(actors[setting.id], setting) for setting in pathway.settings],
    }
    if pathway.organisation:
        resource["publisher"] = pathway.organisation
    description = "\n\n".join(x for x in (
        pathway.summary, f"Population: {pathway.population}" if pathway.population else None)
        if x)
    if description:
        resource["description"] = description
    if pathway.specialties or pathway.tags:
        resource["topic"] = [{"text": t} for t in [*pathway.specialties, *pathway.tags]]
    artifacts = [_evidence(e) for e in pathway.evidence]
    if pathway.derived_from is not None:
        artifacts.append({"type": "derived-from",
                          "display": f"{pathway.derived_from.id} version "
                                     f"{pathway.derived_from.version}"})
    if artifacts:
        resource["relatedArtifact"] = artifacts
    if actions:
        resource["action"] = list(actions.values())
    return resource, ({id(condition) for condition in made.values()}
                      | {i for i, used in lists_used.items() if used > 1})


def _evidence(evidence) -> dict:
    artifact = {"type": "citation", "display": evidence.claim}
    if re.match(r"^https?://\S+$", evidence.source):
        artifact["url"] = evidence.source
    else:
        artifact["citation"] = evidence.source
    return artifact


def _clean(value):
    """Strings without control characters (FHIR allows only tab, CR and LF) or edge spaces.

    FHIR forbids empty strings, objects and lists, so what is left empty is dropped.
    """
    return _cleaned(value)[0]


def _cleaned(value, parts: set[int] | frozenset[int] = frozenset()
             ) -> tuple[object, set[int]]:
    """:func:`_clean`'s result, and the ``id`` of each list and dict in it that stands
    for one of ``parts``.

    ``parts``: the ``id`` of lists and dicts that occur many times in ``value`` (the
    conditions :func:`plan_definition` repeats on every step that needs them): each is
    cleaned once and stays one object, so the JSON writer writes it once.
    """
    done: dict[int, object] = {}       # id of one of parts -> it cleaned
    shared: set[int] = set()
    control = _CONTROL.sub

    def clean(v):
        if isinstance(v, str):
            return control("", v).strip()
        if not (isinstance(v, dict) or isinstance(v, list)):
            return v
        if id(v) in parts:
            out = done.get(id(v))
            if out is not None:
                return out
        if isinstance(v, dict):
            out = {}
            for k, item in v.items():
                item = clean(item)
                if item not in ("", {}, [], None):
                    out[k] = item
        elif v and id(v[0]) in done and None not in (
                again := list(map(done.get, map(id, v)))):
            # parts only, all cleaned before (``done`` knows only parts, and each id in
            # it is a part alive, so the very object): no calls, and as a rule nothing
            # left empty to drop
            out = again if all(again) else [item for item in again if item]
        else:
            out = []
            for item in v:
                item = clean(item)
                if item not in ("", {}, [], None):
                    out.append(item)
        if id(v) in parts:
            done[id(v)] = out
            shared.add(id(out))
        return out

    # ``done`` keeps every cleaned part alive, so the ids in ``shared`` stay theirs
    return clean(value), shared


def export_fhir(pathway: Pathway, out_path=None, base_url: str | None = None,
                date: _dt.date | None = None) -> str:
    """The PlanDefinition as JSON text; also written (UTF-8) to ``out_path`` when given."""
    plan, parts = _plan(pathway, base_url, date)
    clean, shared = _cleaned(plan, parts)
    # the text json.dumps(clean, indent=2, ensure_ascii=False) gives, in linear time
    text = dumps_indented(clean, shared, end="\n")
    if out_path is not None:
        from pathlib import Path

        from designer.graph.io import write_text_atomic

        write_text_atomic(Path(out_path), text)
    return text


def write_fhir(pathway: Pathway, out_path, base_url: str | None = None,
               date: _dt.date | None = None) -> None:
    """Write :func:`export_fhir`'s file (the same bytes) without making its text.

    A long pathway's plan is tens of megabytes (each step carries the conditions
    of the routes to it); written a part at a time, the whole text and its bytes
    are never in memory.
    """
    from pathlib import Path

    from designer.graph.io import write_file_atomic

    plan, parts = _plan(pathway, base_url, date)
    clean, shared = _cleaned(plan, parts)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as out:
            write_indented(clean, out.write, shared, end="\n")

    write_file_atomic(Path(out_path), write)
