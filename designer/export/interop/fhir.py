"""The pathway as a FHIR R4 PlanDefinition (JSON), for systems that read care plans.

Mapping (DESIGN.md section 5), with the choices made where FHIR R4 leaves room:

* pathway -> ``PlanDefinition`` of type ``clinical-protocol``; status ``active``
  for approved pathways and exemplars, ``draft`` otherwise; ``url`` is a stable
  ``urn:uuid`` made from the pathway id unless a base URL is given.
* step -> ``action`` whose element ``id`` is the step id (made a valid FHIR
  ``id`` where it is not one: ``_`` becomes ``-``, long ids are shortened with a
  hash so they stay unique); ``title`` the step
  name; ``description`` the professional description; ``documentation`` a
  ``RelatedArtifact`` (type documentation) holding ``patient_info``; ``code``
  the SNOMED CT code when the step has one, and the activity as text;
  ``timingDuration`` the typical duration in days.
* owner -> ``participant`` (type ``practitioner``, or ``patient`` when the
  role is the patient) with the role name as ``role.text``.
* transition A->B -> ``relatedAction`` on B pointing at A with relationship
  ``after-end`` and ``offsetDuration`` = ``wait_days`` (UCUM ``d``).
* decision -> action with ``selectionBehavior`` ``exactly-one`` whose child
  actions are its branches. A branch's condition is prose written by
  clinicians, not a computable rule, so it is carried as an ``applicability``
  condition whose Expression has language ``text/plain`` (the R4 binding is
  extensible and no listed language means "human-readable text"), with the
  same text in ``description``. The step the branch leads to points at the
  branch (``after-end``), so the route taken is explicit.
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
import json
import re
import uuid

from designer.graph.model import ACTIVITY_LABELS, Pathway, Status, Step, StepKind, Transition
from designer.export.interop import fhir_extensions as fx

# what the PlanDefinition itself carries, left out of our extensions
PATHWAY_IN_FHIR = ("format", "title", "version", "steps", "transitions")
STEP_IN_FHIR = ("name", "description")
TRANSITION_IN_FHIR = ("source", "target", "condition")

SNOMED = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
PLAN_TYPE = "http://terminology.hl7.org/CodeSystem/plan-definition-type"
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


def _role_name(pathway: Pathway, role_id: str | None) -> str | None:
    if not role_id:
        return None
    role = pathway.role(role_id)
    return role.name if role else role_id


def _setting_name(pathway: Pathway, setting_id: str | None) -> str | None:
    setting = pathway.setting(setting_id) if setting_id else None
    return setting.name if setting else setting_id


def _is_patient(pathway: Pathway, role_id: str) -> bool:
    name = (_role_name(pathway, role_id) or "").strip().lower()
    return role_id.lower() == "patient" or name in ("patient", "the patient")


def _information(item: str) -> dict:
    return {
        "type": "DocumentReference",
        "codeFilter": [{"path": "type", "code": [{"display": item}]}],
    }


def _handoff_sentence(pathway: Pathway, t: Transition,
                      steps: dict[str, Step] | None = None) -> str:
    h = t.handoff
    source = steps.get(t.source) if steps is not None else pathway.step(t.source)
    parts = [f"Handoff from {source.name if source else t.source}"]
    who = []
    if h.sender:
        who.append(f"sent by {_role_name(pathway, h.sender)}")
    if h.receiver:
        who.append(f"received by {_role_name(pathway, h.receiver)}")
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


def _step_action(pathway: Pathway, step: Step, action_id: str) -> dict:
    action: dict = {"id": action_id, "title": step.name,
                    "extension": [fx.to_extension(fx.STEP, step, STEP_IN_FHIR)]}
    if step.description:
        action["description"] = step.description
    codes = []
    if step.codes.get("snomed"):
        codes.append({"coding": [{"system": SNOMED, "code": step.codes["snomed"]}],
                      "text": step.name})
    if step.activity is not None:
        codes.append({"text": ACTIVITY_LABELS.get(step.activity, step.activity.value)})
    if codes:
        action["code"] = codes
    if step.patient_info:
        action["documentation"] = [{"type": "documentation",
                                    "label": "Information for patients",
                                    "display": step.patient_info}]
    if step.owner:
        role_text = _role_name(pathway, step.owner)
        action["participant"] = [{
            "type": "patient" if _is_patient(pathway, step.owner) else "practitioner",
            "role": {"text": role_text},
        }]
    if step.duration_days is not None:
        action["timingDuration"] = _duration(step.duration_days)
    return action


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
    """
    steps = pathway.steps_by_id()
    ids = _ActionIds(s.id for s in pathway.steps)
    actions: dict[str, dict] = {s.id: _step_action(pathway, s, ids(s.id))
                                for s in pathway.steps}
    where: dict[str, list[str]] = {}
    for step in pathway.steps:
        if step.setting:
            where.setdefault(step.id, []).append(
                f"Setting: {_setting_name(pathway, step.setting)}.")

    for index, t in enumerate(pathway.transitions):
        if t.source not in steps or t.target not in steps:
            continue   # an unknown reference is a validation finding, not an export
        after = ids(t.source)
        if steps[t.source].kind is StepKind.decision:
            decision = actions[t.source]
            decision["groupingBehavior"] = "logical-group"
            decision["selectionBehavior"] = "exactly-one"
            branch_id = ids(f"{t.source}.{t.target}")
            branch: dict = {"id": branch_id,
                            "title": t.condition or f"Go to {steps[t.target].name}",
                            "description": f"Go on to {steps[t.target].name}."}
            if t.condition:
                branch["condition"] = [{"kind": "applicability", "expression": {
                    "description": t.condition, "language": "text/plain",
                    "expression": t.condition}}]
            decision.setdefault("action", []).append(branch)
            after = branch_id
        # a condition is carried by the branch only when the source is a decision
        carried = TRANSITION_IN_FHIR if steps[t.source].kind is StepKind.decision \
            else TRANSITION_IN_FHIR[:2]
        related: dict = {"actionId": after, "relationship": "after-end", "extension": [
            fx.to_extension(fx.TRANSITION, t, carried, {"index": index})]}
        if t.wait_days is not None:
            related["offsetDuration"] = _duration(t.wait_days)
        actions[t.target].setdefault("relatedAction", []).append(related)
        if t.handoff is not None:
            for item in t.handoff.information:
                actions[t.source].setdefault("output", []).append(_information(item))
                actions[t.target].setdefault("input", []).append(_information(item))
            where.setdefault(t.target, []).append(_handoff_sentence(pathway, t, steps))
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
        "status": "active" if pathway.status in (Status.approved, Status.exemplar)
        else "draft",
        "date": (date or _dt.date.today()).isoformat(),
        "extension": [fx.to_extension(fx.PATHWAY, pathway, PATHWAY_IN_FHIR)],
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
    return resource


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
    if isinstance(value, str):
        return _CONTROL.sub("", value).strip()
    if isinstance(value, dict):
        cleaned = {k: _clean(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in ("", {}, [], None)}
    if isinstance(value, list):
        cleaned = [_clean(v) for v in value]
        return [v for v in cleaned if v not in ("", {}, [], None)]
    return value


def export_fhir(pathway: Pathway, out_path=None, base_url: str | None = None,
                date: _dt.date | None = None) -> str:
    """The PlanDefinition as JSON text; also written (UTF-8) to ``out_path`` when given."""
    text = json.dumps(_clean(plan_definition(pathway, base_url, date)), indent=2,
                      ensure_ascii=False) + "\n"
    if out_path is not None:
        from pathlib import Path

        from designer.graph.io import write_text_atomic

        write_text_atomic(Path(out_path), text)
    return text
