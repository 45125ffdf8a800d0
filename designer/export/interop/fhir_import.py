"""Read a FHIR R4 PlanDefinition (or a Bundle holding one) into a pathway.

The JSON is checked with ``fhir.resources`` (R4B models, imported only when an
import runs) before anything is mapped, so a resource that is not a valid
PlanDefinition is refused with one message.

Mapping (the reverse of :mod:`designer.export.fhir`, DESIGN.md sections 5 and 9):

* each action is a step, except the branch actions of a decision (children of
  an action with a ``selectionBehavior``): a branch's applicability condition
  becomes the condition of the transition to the step that follows the
  branch;
* ``relatedAction`` ``after-end`` / ``after-start`` / ``after`` on B pointing
  at A is the transition A -> B (``before-*`` the other way round), its
  ``offsetDuration`` the wait in days; ``concurrent*`` has no equivalent and is
  reported;
* title -> name, description -> description, documentation for patients ->
  patient information, SNOMED CT code -> codes, participant role -> owner
  (a role made from its text), timingDuration -> duration;
* R5's ``PlanDefinition.actor`` (HL7's cross-version extension) -> a setting
  of care named by its title (its kind guessed from the name), and a step
  whose participant names the actor (R5 ``participant.actorId``) is in it;
* the child actions of an action whose ``selectionBehavior`` is ``all`` are
  branches taken together: the transitions through them are ``parallel``;
  a group inside a group that is no step (no relations of its own) holds more
  ways on from the same step: the choice beside a parallel fork gives unmarked
  ways; ``at-most-one`` over one child on a step is a task whose one way on has
  a condition, not a decision;
* an action whose ``definitionCanonical`` names another PlanDefinition in the
  same Bundle, or in a JSON file in the same folder, is followed by that
  plan's actions (a nested strategy, imported in place, recursively);
* our own extensions (:mod:`.fhir_extensions`), when present, give back
  everything the PlanDefinition cannot hold: ids, settings, roles, kinds,
  handoffs, so export -> import loses nothing.

Without our extensions, steps go into one setting the report names; the
first step nothing leads to becomes the entry and steps leading nowhere
become exits (the report says which). Every element with no equivalent is
listed in the report by kind.

Qt-free.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from designer.graph.model import Pathway, Step, Transition
from designer.export.interop import fhir_extensions as fx
from designer.export.interop.import_common import (
    MAX_BYTES, MAX_STEPS, IdMaker, ImportRefused, ImportReport, ImportResult,
    guess_setting_kind, read_bytes, slug, utf8_text, validated_pathway,
)

SNOMED = "http://snomed.info/sct"
SELECTIONS = {"any", "all", "all-or-none", "exactly-one", "at-most-one", "one-or-more"}
CHOICES = SELECTIONS - {"all"}       # "all": every branch is taken (parallel), no choice
XVER = "http://hl7.org/fhir/5.0/StructureDefinition/extension-"
ACTOR = XVER + "PlanDefinition.actor"
ACTOR_ID = XVER + "PlanDefinition.action.participant.actorId"
AFTER = {"after-end", "after-start", "after"}
BEFORE = {"before-end", "before-start", "before"}
_ACTION_KEYS = {"id", "title", "description", "textEquivalent", "code", "documentation",
                "participant", "timingDuration", "timingTiming", "relatedAction", "action",
                "selectionBehavior", "groupingBehavior", "condition", "extension",
                "definitionCanonical", "input", "output"}
_PLAN_KEYS = {"resourceType", "id", "url", "version", "name", "title", "type", "status",
              "date", "publisher", "description", "topic", "relatedArtifact", "action",
              "extension", "meta"}
_UNIT_DAYS = {"d": 1.0, "day": 1.0, "days": 1.0, "wk": 7.0, "week": 7.0, "weeks": 7.0,
              "mo": 30.0, "month": 30.0, "months": 30.0, "a": 365.0, "year": 365.0,
              "years": 365.0, "h": 1 / 24, "hour": 1 / 24, "hours": 1 / 24,
              "min": 1 / 1440, "s": 1 / 86400}
MAX_DEPTH = 40
MAX_FOLDER_FILES = 500


def read_fhir(path: str | Path) -> ImportResult:
    """Import the FHIR JSON file at ``path`` (a PlanDefinition or a Bundle)."""
    p = Path(path)
    return fhir_to_pathway(read_bytes(p), p.name, p.stem, folder=p.parent, self_path=p)


def fhir_to_pathway(data: bytes, name: str = "<fhir>", stem: str = "imported",
                    folder: Path | None = None, self_path: Path | None = None
                    ) -> ImportResult:
    """Import FHIR JSON given as bytes; ``folder`` is searched for nested plans."""
    resource = _json(data, name)
    plans = _plans(resource, name)
    for plan in plans:
        _check(plan, name)
    library = _Library(plans, folder, self_path)
    referenced = {c for plan in plans for c in _canonicals(plan.get("action"))}
    main = next((p for p in plans if not library.is_referenced(p, referenced)), plans[0])
    return _FhirImporter(main, name, stem, library).run()


def _json(data: bytes, name: str) -> Any:
    text = utf8_text(data, name)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportRefused(name, f"it is not valid JSON ({exc.msg}, line {exc.lineno}, "
                            f"column {exc.colno})", "malformed JSON") from None
    except RecursionError:
        raise ImportRefused(name, "its JSON is nested too deeply", "malformed JSON") from None


def _plans(resource: Any, name: str) -> list[dict[str, Any]]:
    if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
        raise ImportRefused(name, "it is JSON but not a FHIR resource (no resourceType)",
                            "not FHIR")
    kind = resource["resourceType"]
    if kind == "PlanDefinition":
        return [resource]
    if kind == "Bundle":
        if not isinstance(resource.get("entry") or [], list):
            raise ImportRefused(name, "it is not a valid FHIR Bundle (entry is not a list)",
                                "invalid FHIR")
        found = [e.get("resource") for e in resource.get("entry") or []
                 if isinstance(e, dict) and isinstance(e.get("resource"), dict)]
        plans = [r for r in found if r.get("resourceType") == "PlanDefinition"]
        if not plans:
            kinds = sorted({str(r.get("resourceType")) for r in found}) or ["nothing"]
            raise ImportRefused(name, "it is a FHIR Bundle without a PlanDefinition (it "
                                f"holds {', '.join(kinds)})", "wrong resource type")
        return plans
    raise ImportRefused(name, f"it is a FHIR {kind}, not a PlanDefinition (or a Bundle "
                        "holding one)", "wrong resource type")


def _check(plan: dict[str, Any], name: str) -> None:
    from fhir.resources.R4B.plandefinition import PlanDefinition

    count = sum(1 for _ in _all_actions(plan.get("action"), name))
    if count > MAX_STEPS:
        raise ImportRefused(name, f"it has more than {MAX_STEPS:,} actions; a care pathway "
                            "is far smaller", "too many nodes")
    try:
        try:
            PlanDefinition.model_validate(_distinct_conditions(plan))
        except Exception:  # noqa: BLE001 - the whole plan gives the error and where it is
            PlanDefinition.model_validate(plan)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        raise ImportRefused(name, "it is not a valid FHIR R4 PlanDefinition "
                            f"({where}: {first.get('msg')})", "invalid FHIR") from None
    except Exception as exc:  # noqa: BLE001 - the FHIR models raise more than one kind
        first = (str(exc).splitlines() or [type(exc).__name__])[0]
        raise ImportRefused(name, f"it is not a valid FHIR R4 PlanDefinition ({first})",
                            "invalid FHIR") from None


def _distinct_conditions(plan: dict[str, Any]) -> dict[str, Any]:
    """The plan with each applicability condition only where it first occurs.

    Our export repeats a condition on every step a route needs it for (on a long
    pathway, hundreds of times each); an element is valid or not wherever it is,
    so validating each condition once says whether the plan is valid, in time
    that grows with the plan's distinct content rather than its copies. Actions
    whose conditions are all left out lose the key; the rest is the plan as it is.
    """
    seen: set[str] = set()

    def actions(items: Any, depth: int = 0) -> Any:
        if not isinstance(items, list) or depth > MAX_DEPTH:
            return items
        out = []
        for action in items:
            if not isinstance(action, dict):
                out.append(action)
                continue
            copy = dict(action)
            conditions = action.get("condition")
            if isinstance(conditions, list):
                kept = []
                for condition in conditions:
                    key = repr(condition)
                    if key not in seen:
                        seen.add(key)
                        kept.append(condition)
                if len(kept) < len(conditions):
                    if kept:
                        copy["condition"] = kept
                    else:
                        del copy["condition"]
            if "action" in action:
                copy["action"] = actions(action["action"], depth + 1)
            out.append(copy)
        return out

    return {**plan, "action": actions(plan["action"])} if "action" in plan else plan


def _all_actions(actions: Any, name: str, depth: int = 0):
    if depth > MAX_DEPTH:
        raise ImportRefused(name, f"its actions are nested more than {MAX_DEPTH} deep",
                            "too deep")
    for action in actions if isinstance(actions, list) else []:
        if isinstance(action, dict):
            yield action
            yield from _all_actions(action.get("action"), name, depth + 1)


def _canonicals(actions: Any) -> set[str]:
    out: set[str] = set()
    for action in actions or []:
        if isinstance(action, dict):
            if isinstance(action.get("definitionCanonical"), str):
                out.add(action["definitionCanonical"])
            out |= _canonicals(action.get("action"))
    return out


class _Library:
    """PlanDefinitions that nested strategies may name: the bundle's, then the folder's."""

    def __init__(self, plans: list[dict[str, Any]], folder: Path | None,
                 self_path: Path | None) -> None:
        self.plans = list(plans)
        self.folder, self.self_path = folder, self_path
        self.scanned = folder is None
        self.unreadable = 0

    @staticmethod
    def _matches(plan: dict[str, Any], canonical: str) -> bool:
        url, _, version = canonical.partition("|")
        return plan.get("url") == url and (not version or plan.get("version") == version)

    def is_referenced(self, plan: dict[str, Any], canonicals: set[str]) -> bool:
        return any(self._matches(plan, c) for c in canonicals)

    def find(self, canonical: str) -> dict[str, Any] | None:
        found = next((p for p in self.plans if self._matches(p, canonical)), None)
        if found is None and not self.scanned:
            self._scan()
            found = next((p for p in self.plans if self._matches(p, canonical)), None)
        return found

    def _scan(self) -> None:
        self.scanned = True
        files = sorted(self.folder.glob("*.json"))[:MAX_FOLDER_FILES]
        for path in files:
            if self.self_path is not None and path.resolve() == self.self_path.resolve():
                continue
            try:
                if path.stat().st_size > MAX_BYTES:
                    continue
                for plan in _plans(_json(path.read_bytes(), path.name), path.name):
                    _check(plan, path.name)
                    self.plans.append(plan)
            except (ImportRefused, OSError):
                self.unreadable += 1


def _days(quantity: Any) -> float | None:
    if not isinstance(quantity, dict) or quantity.get("value") is None:
        return None
    unit = str(quantity.get("code") or quantity.get("unit") or "d").lower()
    factor = _UNIT_DAYS.get(unit)
    if factor is None:
        return None
    return round(min(float(quantity["value"]) * factor, 3650.0), 4)


def _condition_text(action: dict[str, Any], exact: bool = False) -> str | None:
    for condition in action.get("condition") or []:
        if condition.get("kind") not in (None, "applicability"):
            continue
        expression = condition.get("expression") or {}
        for key in ("description", "expression"):
            text = expression.get(key)
            if isinstance(text, str) and text.strip():
                return text.strip() if exact else " ".join(text.split())
    return None


class _FhirImporter:
    def __init__(self, plan: dict[str, Any], name: str, stem: str, library: _Library,
                 report: ImportReport | None = None, step_ids: IdMaker | None = None,
                 chain: tuple[str, ...] = (), roles: dict[str, dict] | None = None) -> None:
        self.plan, self.name, self.stem, self.library = plan, name, stem, library
        self.report = report or ImportReport(name, "FHIR R4 PlanDefinition")
        self.step_ids = step_ids or IdMaker()
        self.chain = chain + (str(plan.get("url") or plan.get("id") or ""),)
        self.roles: dict[str, dict] = roles if roles is not None else {}   # name -> role
        self.header = fx.from_extension(fx.find(plan, fx.PATHWAY), Pathway) \
            if fx.find(plan, fx.PATHWAY) else None
        self.steps: list[dict[str, Any]] = []
        self.step_of: dict[str, str] = {}           # FHIR action id -> our step id
        self.branch: dict[str, tuple[str, str | None]] = {}  # branch id -> (decision, cond)
        self.edges: list[tuple[float, dict[str, Any]]] = []
        self.nested: dict[str, tuple[list[str], list[str]]] = {}  # step -> (roots, leaves)
        self.default_setting: str | None = None
        self.parallel: set[str] = set()             # branch ids of "all" groups
        self.group_owner: dict[str, str] = {}       # choice group id -> its step's action id
        self.actors = self._actors(plan)            # R5 actor id -> setting
        self.used_actors: list[str] = []
        self.counter = 0
        self.ours: set[str] = set()                 # steps that carry our extension

    # ---------------------------------------------------------------- driver

    def run(self) -> ImportResult:
        self._collect(self.plan.get("action"), None, 0)
        self._relations()
        if not self.steps:
            raise ImportRefused(self.name, "the PlanDefinition has no actions (nothing to "
                                "import)", "no flow nodes")
        self._expand_nested()
        self._entry_and_exits()
        pathway = self._build()
        if self.library.unreadable:
            self.report.note(f"{self.library.unreadable} JSON file(s) in the folder could not "
                             "be read while looking for nested plans.")
        self.report.add_findings(pathway)
        return ImportResult(pathway, self.report)

    # -------------------------------------------------------------- actions

    def _actors(self, plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
        """Settings of care from R5 ``PlanDefinition.actor`` (cross-version extension)."""
        found: dict[str, dict[str, Any]] = {}
        taken: set[str] = set()
        for extension in plan.get("extension") or []:
            if not isinstance(extension, dict) or extension.get("url") != ACTOR \
                    or not extension.get("id"):
                continue
            title = next((str(e.get("valueString")).strip() for e in extension.get(
                "extension") or [] if e.get("url") == "title" and e.get("valueString")),
                "")
            if not title:
                continue
            base = slug(title, "setting")
            candidate, n = base, 2
            while candidate in taken:
                candidate, n = f"{base}-{n}", n + 1
            taken.add(candidate)
            found[str(extension["id"])] = {"id": candidate, "name": title,
                                           "kind": guess_setting_kind(title)}
        return found

    def _actor_setting(self, action: dict[str, Any]) -> str | None:
        for participant in action.get("participant") or []:
            for extension in participant.get("extension") or []:
                if extension.get("url") == ACTOR_ID \
                        and str(extension.get("valueString")) in self.actors:
                    actor = str(extension["valueString"])
                    if actor not in self.used_actors:
                        self.used_actors.append(actor)
                    return self.actors[actor]["id"]
        return None

    def _is_branch(self, action: dict[str, Any], parent: dict[str, Any] | None) -> bool:
        if parent is None or parent.get("selectionBehavior") not in SELECTIONS:
            return False
        if fx.find(action, fx.STEP) is not None:
            return False
        if self.header is not None:
            return True                                   # ours: steps carry our extension
        return not action.get("action") and not action.get("relatedAction") \
            and not action.get("definitionCanonical")

    @staticmethod
    def _is_choice_group(action: dict[str, Any], parent: dict[str, Any] | None) -> bool:
        """A group of ways on inside a step's group, not a step: e.g. the choice
        between alternatives that is one branch of a parallel fork."""
        return parent is not None and parent.get("selectionBehavior") in SELECTIONS \
            and action.get("selectionBehavior") in SELECTIONS \
            and isinstance(action.get("action"), list) and bool(action["action"]) \
            and fx.find(action, fx.STEP) is None and not action.get("relatedAction") \
            and not action.get("definitionCanonical")

    def _collect(self, actions: Any, parent: dict[str, Any] | None, depth: int,
                 owner: str | None = None) -> None:
        """Steps and branches from ``actions``; ``owner`` is the action id of the step
        whose ways on the branches are (the parent's, unless inside a choice group)."""
        for action in actions or []:
            if not isinstance(action, dict):
                continue
            self.counter += 1
            ident = str(action.get("id") or f"action-{self.counter}")
            action.setdefault("id", ident)
            step_of_branch = owner or str((parent or {}).get("id"))
            if self._is_choice_group(action, parent):
                self.group_owner[ident] = step_of_branch
                self.report.keep("group of ways inside a group -> ways on from its step")
                self._collect(action["action"], action, depth + 1, step_of_branch)
                continue
            if self._is_branch(action, parent) and parent.get("selectionBehavior") == "all":
                self.branch[ident] = (step_of_branch, None)
                self.parallel.add(ident)
                self.report.keep("branch of an 'all' group -> parallel transition")
                continue
            if self._is_branch(action, parent):
                self.branch[ident] = (step_of_branch,
                                      _condition_text(action, self.header is not None)
                                      or (None if self.header is not None else
                                          (action.get("title") or "").strip() or None))
                self.report.keep("branch action -> condition of a transition")
                continue
            self.steps.append(self._step(action, parent))
            self.step_of[ident] = self.steps[-1]["id"]
            if parent is not None and parent.get("selectionBehavior") not in SELECTIONS:
                self.report.note(f"Action '{self.steps[-1]['name']}' was inside the group "
                                 f"'{parent.get('title') or parent.get('id')}'; it is a "
                                 "step of its own.")
            self._collect(action.get("action"), action, depth + 1)

    def _step(self, action: dict[str, Any], parent: dict[str, Any] | None) -> dict[str, Any]:
        ident = action["id"]
        found = fx.find(action, fx.STEP)
        data = fx.from_extension(found, Step) if found is not None else {}
        title = str(action.get("title") or "").strip()
        if found is None:
            title = " ".join(title.split())
        name = title or " ".join(str(action.get("textEquivalent") or "").split())[:80] \
            or f"Action {self.counter}"
        step: dict[str, Any] = {**data, "name": name}
        if action.get("description"):
            step["description"] = str(action["description"]).strip()
        ours = found is not None
        if not ours:
            # a choice on the step is a decision; "at most one" of a single way is a
            # task whose way on has a condition (taken only when it holds)
            children = action.get("action") if isinstance(action.get("action"), list) else []
            optional = action.get("selectionBehavior") == "at-most-one" and len(children) == 1
            step["kind"] = "decision" if action.get("selectionBehavior") in CHOICES \
                and children and not optional else "task"
            repeat = (action.get("timingTiming") or {}).get("repeat") or {}
            days = _days({"value": repeat.get("duration"),
                          "code": repeat.get("durationUnit")}) if isinstance(
                repeat, dict) else None
            if days is None:
                days = _days(action.get("timingDuration"))
            if days is not None:
                step["duration_days"] = days
            for doc in action.get("documentation") or []:
                if "patient" in str(doc.get("label") or "").lower() and doc.get("display"):
                    step["patient_info"] = str(doc["display"]).strip()
            for code in action.get("code") or []:
                for coding in code.get("coding") or []:
                    if coding.get("system") == SNOMED and coding.get("code"):
                        step.setdefault("codes", {})["snomed"] = str(coding["code"])
            for participant in action.get("participant") or []:
                role_name = ((participant.get("role") or {}).get("text") or "").strip() or (
                    "Patient" if participant.get("type") == "patient" else "")
                if role_name:
                    step["owner"] = self._role(role_name)
                    break
            step["setting"] = self._actor_setting(action) or self._default_setting()
            self.report.keep("action -> step")
        else:
            self.report.keep(f"action -> {data.get('kind', 'task')} step")
        for key in action:
            if key not in _ACTION_KEYS:
                self.report.drop(f"action.{key}", ident)
        for extension in action.get("extension") or []:
            if extension.get("url") not in (fx.STEP, fx.LOOP_BACK):
                self.report.drop(f"extension {extension.get('url')}", ident)
        if not ours and (action.get("input") or action.get("output")):
            self.report.drop("action input/output data requirements", ident)
        our_id = data.get("id")
        if not our_id or not self.step_ids.claim(our_id):
            our_id = self.step_ids.make(title or str(ident), "step")
        step["id"] = our_id
        if ours:
            self.ours.add(our_id)
        if action.get("definitionCanonical"):
            self._nested_plan(action, step)
        return step

    def _role(self, name: str) -> str:
        if name not in self.roles:
            ids = {r["id"] for r in self.roles.values()}
            base = slug(name, "role")
            candidate, n = base, 2
            while candidate in ids:
                candidate, n = f"{base}-{n}", n + 1
            self.roles[name] = {"id": candidate, "name": name}
        return self.roles[name]["id"]

    def _default_setting(self) -> str:
        if self.default_setting is None:
            self.default_setting = "not-set"
            self.report.note("The PlanDefinition says nothing about settings of care: every "
                             "step is in one setting 'Setting not given'; move each step to "
                             "its lane.")
        return self.default_setting

    # ----------------------------------------------------------- transitions

    def _relations(self) -> None:
        order = 0
        for action in _all_actions(self.plan.get("action"), self.name):
            ident = str(action.get("id"))
            if ident not in self.step_of:
                continue
            loops = [fx.related_from_loop_back(e) for e in action.get("extension") or []
                     if isinstance(e, dict) and e.get("url") == fx.LOOP_BACK]
            for related in (action.get("relatedAction") or []) + loops:
                order += 1
                other = str(related.get("actionId"))
                relationship = related.get("relationship")
                condition = None
                parallel = other in self.parallel
                if other in self.branch:
                    decision, condition = self.branch[other]
                    other = decision
                if other not in self.step_of:
                    self.report.drop("relatedAction to an action that is not a step", ident)
                    continue
                if relationship in AFTER:
                    source, target = self.step_of[other], self.step_of[ident]
                elif relationship in BEFORE:
                    source, target = self.step_of[ident], self.step_of[other]
                else:
                    self.report.drop(f"relatedAction {relationship}", ident)
                    continue
                found = fx.find(related, fx.TRANSITION)
                data = fx.from_extension(found, Transition) if found is not None else {}
                index = fx.extra(found, "index") if found is not None else None
                if found is None:
                    days = _days(related.get("offsetDuration"))
                    if days is not None:
                        data["wait_days"] = days
                    if related.get("offsetRange"):
                        self.report.drop("relatedAction offsetRange", ident)
                data.update({"from": source, "to": target})
                if parallel and found is None:
                    data["parallel"] = True
                if condition and not (found is not None and fx.extra(found, "no_condition")):
                    data["condition"] = condition
                key = float(index) if isinstance(index, (int, float)) else 1e9 + order
                self.edges.append((key, data))
        # branches of foreign decisions that are steps themselves
        for action in _all_actions(self.plan.get("action"), self.name):
            if action.get("selectionBehavior") not in SELECTIONS:
                continue
            owner = self.group_owner.get(str(action.get("id")), str(action.get("id")))
            for child in action.get("action") or []:
                child_id = str(child.get("id"))
                if child_id in self.step_of and owner in self.step_of:
                    order += 1
                    data = {"from": self.step_of[owner], "to": self.step_of[child_id]}
                    condition = _condition_text(child)
                    if condition:
                        data["condition"] = condition
                    if action.get("selectionBehavior") == "all":
                        data["parallel"] = True
                    self.edges.append((1e9 + order, data))

    def _nested_plan(self, action: dict[str, Any], step: dict[str, Any]) -> None:
        canonical = action["definitionCanonical"]
        plan = self.library.find(canonical)
        if plan is None or canonical in self.chain or len(self.chain) > 8:
            why = "it names itself" if plan is not None else "not in the bundle or folder"
            self.report.drop(f"definitionCanonical ({why})", str(action["id"]))
            step["description"] = ((step.get("description") or "") + "\n\nFollows the plan "
                                   f"{canonical}.").strip()
            return
        sub = _FhirImporter(plan, self.name, self.stem, self.library, self.report,
                            self.step_ids, self.chain, self.roles)
        sub.ours = self.ours
        sub.default_setting = self.default_setting
        sub._collect(plan.get("action"), None, 0)
        sub._relations()
        sub._expand_nested()
        if not sub.steps:
            return
        self.default_setting = self.default_setting or sub.default_setting
        for s in sub.steps:
            if s.get("kind") in ("entry", "exit"):
                s["kind"] = "task"
            if s.get("setting") is None and step.get("setting"):
                s["setting"] = step["setting"]
        targets = {d["to"] for _k, d in sub.edges}
        sources = {d["from"] for _k, d in sub.edges}
        roots = [s["id"] for s in sub.steps if s["id"] not in targets]
        leaves = [s["id"] for s in sub.steps if s["id"] not in sources]
        self.pending_steps = getattr(self, "pending_steps", []) + sub.steps
        self.edges += [(1e9 + 1e6 + k, d) for k, d in sub.edges]
        self.nested[step["id"]] = (roots, leaves)
        title = plan.get("title") or plan.get("name") or canonical
        self.report.note(f"'{step['name']}' follows the nested plan '{title}' "
                         f"(definitionCanonical): its {len(sub.steps)} step(s) were imported "
                         "after it.")
        self.report.keep("nested PlanDefinition (definitionCanonical) -> steps")

    def _expand_nested(self) -> None:
        self.steps += getattr(self, "pending_steps", [])
        self.pending_steps = []
        for step_id, (roots, leaves) in self.nested.items():
            onward = [(k, d) for k, d in self.edges if d["from"] == step_id]
            self.edges = [(k, d) for k, d in self.edges if d["from"] != step_id]
            self.edges += [(1e9 + 2e6, {"from": step_id, "to": r}) for r in roots]
            for k, d in onward:
                for leaf in leaves:
                    self.edges.append((k, {**d, "from": leaf}))
        self.nested = {}

    def _entry_and_exits(self) -> None:
        targets = {d["to"] for _k, d in self.edges}
        sources = {d["from"] for _k, d in self.edges}
        guessed = [s for s in self.steps if s.get("kind") == "task" and s["id"] not in self.ours]
        if not guessed:
            return
        if not any(s.get("kind") == "entry" for s in self.steps):
            roots = [s for s in guessed if s["id"] not in targets]
            if roots:
                roots[0]["kind"] = "entry"
                self.report.note(f"'{roots[0]['name']}' is the entry: nothing leads to it"
                                 + (f" ({len(roots) - 1} other step(s) with nothing leading "
                                    "to them stay steps)." if len(roots) > 1 else "."))
        ends = [s for s in guessed if s["id"] not in sources and s.get("kind") == "task"]
        for s in ends:
            s["kind"] = "exit"
        if ends:
            self.report.note("Steps that lead nowhere became exits: "
                             + ", ".join(repr(s["name"]) for s in ends) + ".")

    # ------------------------------------------------------------------ build

    def _build(self) -> Pathway:
        plan = self.plan
        header = dict(self.header or {})
        title = str(plan.get("title") or plan.get("name") or "").strip()
        if self.header is None:
            title = " ".join(title.split())
        title = title or self.stem or "Imported pathway"
        data: dict[str, Any] = {**header, "title": title}
        if plan.get("version"):
            data["version"] = str(plan["version"])
        if self.header is None:
            if plan.get("description"):
                data["summary"] = str(plan["description"]).strip()
            if plan.get("publisher"):
                data["organisation"] = str(plan["publisher"]).strip()
            topics = [t.get("text") for t in plan.get("topic") or [] if t.get("text")]
            if topics:
                data["tags"] = topics
            evidence = []
            for artifact in plan.get("relatedArtifact") or []:
                claim = artifact.get("display") or artifact.get("label")
                source = artifact.get("url") or artifact.get("citation")
                if artifact.get("type") == "citation" and claim and source:
                    evidence.append({"claim": claim, "source": source})
                else:
                    self.report.drop(f"relatedArtifact {artifact.get('type')}",
                                     str(claim or source or "?"))
            if evidence:
                data["evidence"] = evidence
            if plan.get("status") != "draft":
                self.report.note(f"The plan's status was '{plan.get('status')}'; the import "
                                 "is a draft until your network approves it.")
            for key in plan:
                if key not in _PLAN_KEYS:
                    self.report.drop(f"PlanDefinition.{key}", str(plan.get("id")))
        data.setdefault("id", slug(title, slug(self.stem, "imported-pathway")))
        roles = list(header.get("roles") or [])
        taken = {r.get("id") for r in roles}
        roles += [r for r in self.roles.values() if r["id"] not in taken]
        data["roles"] = roles
        settings = list(header.get("settings") or [])
        if self.header is None:
            settings += [self.actors[a] for a in self.used_actors]
        if self.default_setting and not any(s.get("id") == self.default_setting
                                            for s in settings):
            settings.append({"id": self.default_setting, "name": "Setting not given",
                             "kind": "secondary"})
        data["settings"] = settings
        data["steps"] = self.steps
        transitions: dict[tuple[str, str], dict[str, Any]] = {}
        loops = 0
        for _key, edge in sorted(self.edges, key=lambda kv: kv[0]):
            pair = (edge["from"], edge["to"])
            if pair[0] == pair[1]:
                loops += 1
            elif pair not in transitions:
                transitions[pair] = edge
        if loops:
            self.report.note(f"{loops} relation(s) of an action to itself were left out.")
        data["transitions"] = list(transitions.values())
        return validated_pathway(data, self.report, self.name)
