"""The pathway model: the single source of truth for the ``periop-pathway/1`` format.

The value objects (:class:`Step`, :class:`Transition`, :class:`Handoff`, ...) are
pydantic models. :class:`Pathway` is the document: it owns the lists and offers the
edit methods the editor calls. Each edit method validates first and changes
nothing when it refuses (raising :class:`EditRefused` with a message for people),
then tells its listeners what changed through a small :class:`ModelEvent`.

Direct mutation of the lists bypasses the events; the editor must use the methods.
This module never imports Qt.
"""

# no "from __future__ import annotations": pydantic reads real annotations (no
# forward references to compile when the model classes are built at start-up)

import re
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable

from pydantic import BaseModel, Field, PrivateAttr, ValidationError, field_validator, model_validator

# The vocabularies and value objects live in their own modules; they are re-exported
# here so ``from designer.graph.model import Step, Phase`` keeps working everywhere.
from .defaults import empty_dict, empty_list
from .elements import (  # noqa: F401
    FORMAT, ID_PATTERN, DerivedFrom, EditRefused, Evidence, Handoff, Note, Priority, Role,
    RuleOverride, Setting, Step, SurgeryFacts, Transition, Vote, Waiver, Workshop, _Base,
    _check_id,
    friendly_validation_message, format_loc, shorten,
)
from .flow import Cohort, Flow, Resource, Scenario, UnitCost  # noqa: F401
from .ids import DEFAULT_PATHWAY_ID, NEW_STEP_PREFIX, follows_name, slugify  # noqa: F401
from .business_case import BusinessCase, checked_business_case
from .flow_edit import FlowEditing
from .vocabulary import (  # noqa: F401
    ACTIVITY_LABELS, CHANNEL_LABELS, PHASE_ORDER, Activity, Channel, Milestone, NoteCategory,
    Phase, PriorityKind, PriorityStatus, RuleLevel, SettingKind, Status, StepKind, no_such,
    plural,
)

#: a ``rule_config`` value: a level, or a level with its reason
RuleSetting = RuleLevel | RuleOverride


# --------------------------------------------------------------------------- events


@dataclass(frozen=True)
class ModelEvent:
    """What changed. ``kind`` is e.g. ``"step-added"``; ``key`` the id or "A->B"."""

    kind: str
    key: str | None = None
    old: Any = None
    new: Any = None
    extra: dict[str, Any] = field(default_factory=dict)


Listener = Callable[[ModelEvent], None]


class _Listeners(list):
    """The listener list; a deep copy of a pathway starts with no listeners.

    (Listeners are usually views; copying them would try to copy a whole Qt scene.)
    """

    def __deepcopy__(self, memo: dict) -> "_Listeners":
        return _Listeners()


def _no_listeners() -> _Listeners:
    """A pathway's new listener list (a function: see designer/graph/defaults.py)."""
    return _Listeners()


# -------------------------------------------------------------------------- pathway


class Pathway(FlowEditing, _Base):
    """A perioperative care pathway: the document the editor edits and the rules check."""

    format: str = FORMAT
    id: str
    title: str = Field(min_length=1)
    version: str = "0.1.0"
    status: Status = Status.draft
    summary: str | None = None
    population: str | None = None
    organisation: str | None = None
    specialties: list[str] = Field(default_factory=empty_list)
    tags: list[str] = Field(default_factory=empty_list)
    rule_packs: list[str] = Field(default_factory=empty_list)
    rule_config: dict[str, RuleSetting] = Field(default_factory=empty_dict, description=(
        "Per-pathway rule severities: {rule-id: error|warning|info|off}, or "
        "{rule-id: {level: ..., reason: ...}} to record why. The specification lists "
        "every override."))
    cancer_pathway: bool | None = Field(default=None, description=(
        "True for a cancer pathway: the 31-day (decision to treat) and 62-day (referral) "
        "cancer waiting-time standards apply."))
    older_people: bool | None = Field(default=None, description=(
        "True when the population is older people: a frailty screen with a route to "
        "comprehensive geriatric assessment is expected."))
    derived_from: DerivedFrom | None = None
    evidence: list[Evidence] = Field(default_factory=empty_list)
    settings: list[Setting] = Field(default_factory=empty_list)
    roles: list[Role] = Field(default_factory=empty_list)
    steps: list[Step] = Field(default_factory=empty_list)
    transitions: list[Transition] = Field(default_factory=empty_list)
    waivers: list[Waiver] = Field(default_factory=empty_list)
    notes: list[Note] = Field(default_factory=empty_list)
    priorities: list[Priority] = Field(default_factory=empty_list)
    votes: list[Vote] = Field(default_factory=empty_list)
    workshop: Workshop | None = None
    flow: Flow | None = None                 # simulation inputs (flow.py, DESIGN section 7)
    resources: list[Resource] = Field(default_factory=empty_list)
    cohorts: list[Cohort] = Field(default_factory=empty_list)
    costs: list[UnitCost] = Field(default_factory=empty_list)
    scenarios: list[Scenario] = Field(default_factory=empty_list)
    business_case: BusinessCase | None = None   # board pack inputs (business_case.py)

    _listeners: list[Listener] = PrivateAttr(default_factory=_no_listeners)

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))

    @field_validator("rule_config", mode="before")
    @classmethod
    def _off_is_off(cls, v: Any) -> Any:
        # YAML 1.1 reads a bare `off` as false: `vte-plan: off` means the rule is off
        if isinstance(v, dict):
            return {k: ("off" if val is False else val) for k, val in v.items()}
        return v

    @field_validator("format")
    @classmethod
    def _known_format(cls, v: str) -> str:
        if v != FORMAT:
            raise ValueError(
                f"unsupported format '{shorten(v)}': this version of the designer reads '{FORMAT}'"
            )
        return v

    @model_validator(mode="after")
    def _unique_ids(self) -> "Pathway":
        for name in ("settings", "roles", "steps", "notes", "priorities",
                     "resources", "cohorts", "costs", "scenarios"):
            seen: set[str] = set()
            for index, item in enumerate(getattr(self, name)):
                if item.id in seen:
                    raise ValueError(f"duplicate id '{shorten(item.id)}' at {name}[{index}].id")
                seen.add(item.id)
        seen = set()
        for index, t in enumerate(self.transitions):
            if t.key in seen:
                raise ValueError(f"duplicate transition '{shorten(t.key)}' at transitions[{index}]")
            seen.add(t.key)
        return self

    # ------------------------------------------------------------------ listening

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(event)`` after every edit."""
        self._listeners.append(listener)

    def unsubscribe(self, listener: Listener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def _emit(self, kind: str, key: str | None = None, old: Any = None, new: Any = None,
              **extra: Any) -> None:
        event = ModelEvent(kind, key, old, new, extra)
        for listener in list(self._listeners):
            listener(event)

    # ------------------------------------------------------------------- look-ups

    def step(self, step_id: str) -> Step | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def setting(self, setting_id: str) -> Setting | None:
        return next((s for s in self.settings if s.id == setting_id), None)

    def role(self, role_id: str) -> Role | None:
        return next((r for r in self.roles if r.id == role_id), None)

    def transition(self, key: str) -> Transition | None:
        return next((t for t in self.transitions if t.key == key), None)

    def steps_by_id(self) -> dict[str, Step]:
        return {s.id: s for s in self.steps}

    def target_name(self, target: str, names: dict[str, str] | None = None) -> str:
        """A step id or ``"FROM->TO"`` in words: the step's name, or "From → To".

        An id that names no step is shown as it is. ``names`` (step id -> name) can
        be passed by callers naming many targets, to avoid a look-up each time.
        """
        name = names.get if names is not None else self._step_name
        if "->" in target:
            source, _, dest = target.partition("->")
            return f"{name(source, source)} \u2192 {name(dest, dest)}"
        return name(target, target)

    def _step_name(self, step_id: str, default: str) -> str:
        # one look-up, no id->name map built per call (callers naming many
        # targets pass their own map)
        step = self.step(step_id)
        return step.name if step is not None else default

    def snapshot(self) -> "Pathway":
        """A copy that later edits of this pathway do not change, made in O(steps).

        The lists are copied; the items in them are shared. That is safe because an
        edit never changes an item in place: the edit methods put a new, validated
        item in its slot. The copy has no listeners and is for reading (a
        background check or save reads it while the editor goes on editing).
        """
        copy = self.model_copy()
        for name, value in list(copy.__dict__.items()):
            if isinstance(value, list):
                copy.__dict__[name] = list(value)
        copy._listeners = _Listeners()
        return copy

    def transitions_of(self, step_id: str) -> list[Transition]:
        """Transitions that start or end at ``step_id``, in file order."""
        return [t for t in self.transitions if step_id in (t.source, t.target)]

    def new_id(self, base: str, taken: Iterable[str] | None = None) -> str:
        """A fresh id made from ``base`` (slugified) that no step, note or priority uses."""
        slug = slugify(base, "step")
        used = set(taken or ())
        used.update(s.id for s in self.steps)
        used.update(n.id for n in self.notes)
        used.update(p.id for p in self.priorities)
        if slug not in used:
            return slug
        n = 2
        while f"{slug}-{n}" in used:
            n += 1
        return f"{slug}-{n}"

    def step_id_for_name(self, step_id: str, name: str,
                         named_from: str | None = None) -> str | None:
        """The id step ``step_id`` should get when it is named ``name``, or None to keep it.

        Only a placeholder id follows the name: one the editor made from its own
        name for a new step ("new-step-2" for "New step", "new-decision"), so the
        first real name gives the step its id. Ids made from a real name, or typed
        by hand, stay (others may point at them). The new id is unique among steps,
        notes and priorities. ``named_from`` is the name the id was made from when the
        step has been renamed already (the Properties panel applies names as typed).
        """
        step = self.step(step_id)
        source = step.name if step is not None and named_from is None else named_from
        if step is None or not step.id.startswith(NEW_STEP_PREFIX) \
                or not follows_name(step.id, source):
            return None
        if follows_name(step.id, name):
            return None         # already made from this name (or a number of it)
        fresh = self.new_id(name, taken=())
        return None if fresh == step.id else fresh

    def pathway_id_for_title(self, title: str) -> str | None:
        """The id the pathway takes with the title ``title``; None when the id stays.

        The id follows the title while it is untouched: still the new pathway's
        ``new-pathway``, or (in a draft) the one made from the current title. An id
        typed by hand, or of a pathway in review or approved (others may point at
        it), stays; :meth:`suggested_id` then offers the title's id instead.
        """
        untouched = self.id == DEFAULT_PATHWAY_ID or (
            self.status is Status.draft and self.id == slugify(self.title, "pathway"))
        if not untouched:
            return None
        return slugify(title, "pathway")   # even when unchanged: typing merges by field

    def suggested_id(self) -> str | None:
        """An id made from the title, offered when the id looks left over: still
        ``new-pathway``, or the "-local" id a copy of a library pathway was given."""
        local = f"{self.derived_from.id}-local" if self.derived_from else None
        if self.id not in (DEFAULT_PATHWAY_ID, local):
            return None
        new = slugify(self.title, "pathway")
        return None if new == self.id else new

    # ---------------------------------------------------------------- edit checks
    # Each edit's rules and messages, in one place: the edit methods below call
    # them, and the undo commands call them before anything is pushed, so a refusal
    # says the same thing wherever it comes from.

    def check_new_step_id(self, step_id: str) -> None:
        if self.step(step_id) is not None:
            raise EditRefused(f"a step with id '{step_id}' already exists")

    def check_step_changes(self, step_id: str, changes: dict[str, Any]) -> None:
        if "id" in changes and changes["id"] != step_id:
            raise EditRefused("a step's id is changed by renaming the step, not as a field")

    def check_add_transition(self, transition: Transition) -> None:
        if transition.source == transition.target:
            raise EditRefused("a step cannot lead to itself")
        if self.transition(transition.key) is not None:
            raise EditRefused(f"there is already a transition {transition.key}")

    def check_add_setting(self, setting: Setting) -> None:
        if self.setting(setting.id) is not None:
            raise EditRefused(f"a lane with id '{setting.id}' already exists")

    def check_remove_setting(self, setting_id: str) -> None:
        setting = self.setting(setting_id)
        in_lane = [s.name for s in self.steps if s.setting == setting_id]
        if in_lane:
            name = setting.name if setting is not None else setting_id
            raise EditRefused(
                f"the lane '{name}' still holds {plural(len(in_lane), 'step')} "
                f"(e.g. '{in_lane[0]}'); move or delete them first")

    def check_setting_changes(self, setting_id: str, changes: dict[str, Any]) -> None:
        if "id" in changes and changes["id"] != setting_id:
            raise EditRefused("a lane's id cannot be changed; rename it instead")

    def check_add_role(self, role: Role) -> None:
        if self.role(role.id) is not None:
            raise EditRefused(f"a role with id '{role.id}' already exists")

    def check_remove_role(self, role_id: str) -> None:
        role = self.role(role_id)
        users = [s.name for s in self.steps if s.owner == role_id]
        if users:
            name = role.name if role is not None else role_id
            raise EditRefused(
                f"the role '{name}' still owns {plural(len(users), 'step')} "
                f"(e.g. '{users[0]}'); give them another owner first")

    def check_role_changes(self, role_id: str, changes: dict[str, Any]) -> None:
        if "id" in changes and changes["id"] != role_id:
            raise EditRefused("a role's id cannot be changed; rename it instead")

    def check_add_note(self, note: Note) -> None:
        if any(n.id == note.id for n in self.notes):
            raise EditRefused(f"a note with id '{note.id}' already exists")

    def check_add_priority(self, priority: Priority) -> None:
        if any(p.id == priority.id for p in self.priorities):
            raise EditRefused(f"a priority with id '{priority.id}' already exists")

    # ------------------------------------------------------------ generic editing

    def _collection(self, name: str) -> list:
        return getattr(self, name)

    @staticmethod
    def revalidated(item: BaseModel, changes: dict[str, Any]) -> BaseModel:
        """``item`` with ``changes`` applied and validated; :class:`EditRefused` if invalid.

        The undo commands call this before they are pushed, so a refused edit never
        reaches the stack; the edit methods call it again as they apply the change.
        """
        data = item.model_dump(by_alias=False)
        unknown = set(changes) - set(type(item).model_fields)
        if unknown:
            raise EditRefused(f"{type(item).__name__} has no field {sorted(unknown)[0]!r}")
        data.update(changes)
        try:
            return type(item).model_validate(data)
        except ValidationError as exc:
            raise EditRefused(friendly_validation_message(exc)) from None

    def _index_by(self, name: str, key: str, keyfunc: Callable[[Any], str]) -> int:
        for index, item in enumerate(self._collection(name)):
            if keyfunc(item) == key:
                return index
        raise EditRefused(no_such(name, key))

    def existing(self, name: str, key: str) -> Any:
        """Item ``key`` of list ``name`` (its id; "A->B" for a transition).

        Raises :class:`EditRefused` in the editor's words when there is none ("there
        is no lane 'x'"): the one look-up the edit methods and the commands share.
        """
        keyfunc = _KEY_OF.get(name)
        items = self._collection(name)
        found = (next((x for x in items if x.id == key), None) if keyfunc is None else
                 next((x for x in items if keyfunc(x) == key), None))
        if found is None:
            raise EditRefused(no_such(name, key))
        return found

    def _insert(self, name: str, item: Any, index: int | None, key: str, event: str) -> None:
        items = self._collection(name)
        if index is None or index > len(items):
            index = len(items)
        items.insert(index, item)
        self._emit(event, key, new=item, index=index)

    def _remove(self, name: str, key: str, keyfunc: Callable[[Any], str], event: str
                ) -> tuple[Any, int]:
        index = self._index_by(name, key, keyfunc)
        item = self._collection(name).pop(index)
        self._emit(event, key, old=item, index=index)
        return item, index

    def _update(self, name: str, key: str, keyfunc: Callable[[Any], str], event: str,
                changes: dict[str, Any]) -> dict[str, Any]:
        index = self._index_by(name, key, keyfunc)
        old = self._collection(name)[index]
        new = self.revalidated(old, changes)
        previous = {k: getattr(old, k) for k in changes}
        self._collection(name)[index] = new
        self._emit(event, key, old=old, new=new, fields=tuple(changes))
        return previous

    # --------------------------------------------------------------------- header

    HEADER_FIELDS: ClassVar[tuple[str, ...]] = ("id", "title", "version", "status", "summary", "population",
                     "organisation", "specialties", "tags", "rule_packs", "derived_from",
                     "evidence", "workshop", "rule_config", "cancer_pathway", "older_people")

    def checked_header(self, changes: dict[str, Any]) -> "_HeaderProbe":
        """The header with ``changes`` applied and validated; :class:`EditRefused` if invalid."""
        bad = set(changes) - set(self.HEADER_FIELDS)
        if bad:
            raise EditRefused(f"'{sorted(bad)[0]}' is not a pathway header field")
        data = {k: getattr(self, k) for k in self.HEADER_FIELDS}
        data.update(changes)
        try:
            return _HeaderProbe.model_validate(data)
        except ValidationError as exc:
            raise EditRefused(friendly_validation_message(exc)) from None

    def update_header(self, **changes: Any) -> dict[str, Any]:
        """Change pathway-level fields; returns the previous values (for undo)."""
        probe = self.checked_header(changes)
        fields_ = {k: getattr(self, k) for k in changes}
        for k in changes:
            setattr(self, k, getattr(probe, k))
        self._emit("pathway-changed", self.id, old=fields_, new=dict(changes),
                   fields=tuple(changes))
        return fields_

    # ---------------------------------------------------------------------- steps

    def add_step(self, step: Step, index: int | None = None) -> None:
        self.check_new_step_id(step.id)
        self._insert("steps", step, index, step.id, "step-added")

    def remove_step(self, step_id: str) -> tuple[Step, int]:
        """Remove a step; its transitions must be removed first (the editor does it)."""
        if self.transitions_of(step_id):
            raise EditRefused(
                f"step '{step_id}' still has transitions; remove them first"
            )
        return self._remove("steps", step_id, lambda s: s.id, "step-removed")

    def update_step(self, step_id: str, **changes: Any) -> dict[str, Any]:
        """Change fields of a step (not its id: see :meth:`rename_step`)."""
        self.check_step_changes(step_id, changes)
        return self._update("steps", step_id, lambda s: s.id, "step-changed", changes)

    def rename_step(self, old_id: str, new_id: str) -> dict[str, list[tuple[int, Any]]]:
        """Change a step's id and every reference to it (transitions, waivers, notes,
        scenario changes...).

        Returns what was re-pointed, ``{"notes": [(index, previous item)], ...}``, for
        :meth:`undo_rename`: undo must put back exactly these items, not re-point every
        reference to ``new_id`` (some may have named it before, such as a note left on
        a step of that id that was deleted).
        """
        changed: dict[str, list[tuple[int, Any]]] = {name: [] for name in _REFERRING}
        if old_id == new_id:
            return changed
        try:
            _check_id(new_id)
        except ValueError as exc:
            raise EditRefused(str(exc)) from None
        self.check_new_step_id(new_id)
        index = self._index_by("steps", old_id, lambda s: s.id)
        old = self.steps[index]
        self.steps[index] = old.model_copy(update={"id": new_id})

        def renamed(target: str | None) -> str | None:
            if not target:
                return target
            parts = target.split("->")
            return "->".join(new_id if p == old_id else p for p in parts) \
                if old_id in parts else target

        def replace(name: str, i: int, item: Any, update: dict[str, Any]) -> None:
            getattr(self, name)[i] = item.model_copy(update=update)
            changed[name].append((i, item))

        for i, t in enumerate(self.transitions):
            if old_id in (t.source, t.target):
                replace("transitions", i, t, {
                    "source": new_id if t.source == old_id else t.source,
                    "target": new_id if t.target == old_id else t.target})
        for name in ("waivers", "notes"):
            for i, item in enumerate(getattr(self, name)):
                if renamed(item.target) != item.target:
                    replace(name, i, item, {"target": renamed(item.target)})
        for i, p in enumerate(self.priorities):
            if old_id in p.steps:
                replace("priorities", i, p,
                        {"steps": [new_id if s == old_id else s for s in p.steps]})
        for i, v in enumerate(self.votes):
            if v.target == old_id:
                replace("votes", i, v, {"target": new_id})
        for i, scenario in enumerate(self.scenarios):
            # a change names a step, or a transition by its two steps ("A->B")
            moved = [c.model_copy(update={c.kind: renamed(c.target)})
                     if c.kind in ("step", "transition") and renamed(c.target) != c.target
                     else c for c in scenario.changes]
            if moved != scenario.changes:
                replace("scenarios", i, scenario, {"changes": moved})
        self._emit("step-renamed", new_id, old=old_id, new=new_id)
        return changed

    def undo_rename(self, new_id: str, old_id: str,
                    changed: dict[str, list[tuple[int, Any]]]) -> None:
        """Take back :meth:`rename_step` (``old_id`` -> ``new_id``) given what it returned.

        Call it with the pathway as the rename left it (undo order guarantees this).
        """
        index = self._index_by("steps", new_id, lambda s: s.id)
        if self.step(old_id) is not None:
            raise EditRefused(f"a step with id '{old_id}' already exists")
        self.steps[index] = self.steps[index].model_copy(update={"id": old_id})
        for name, items in changed.items():
            collection = getattr(self, name)
            for i, previous in items:
                collection[i] = previous
        self._emit("step-renamed", old_id, old=new_id, new=old_id)

    # ---------------------------------------------------------------- transitions

    def add_transition(self, transition: Transition, index: int | None = None) -> None:
        self.check_add_transition(transition)
        self._insert("transitions", transition, index, transition.key, "transition-added")

    def remove_transition(self, key: str) -> tuple[Transition, int]:
        return self._remove("transitions", key, lambda t: t.key, "transition-removed")

    @staticmethod
    def transition_changes(changes: dict[str, Any]) -> dict[str, Any]:
        """Changes for :meth:`update_transition`, a handoff given as a dict made a Handoff.

        Raises :class:`EditRefused` for a reconnection or an invalid handoff.
        """
        if {"source", "target", "from", "to"} & set(changes):
            raise EditRefused("reconnect by removing and adding the transition")
        changes = dict(changes)
        if isinstance(changes.get("handoff"), dict):
            try:
                changes["handoff"] = Handoff.model_validate(changes["handoff"])
            except ValidationError as exc:
                raise EditRefused(friendly_validation_message(exc)) from None
        return changes

    def update_transition(self, key: str, **changes: Any) -> dict[str, Any]:
        """Change wait, condition, probability or handoff of a transition."""
        return self._update("transitions", key, lambda t: t.key, "transition-changed",
                            self.transition_changes(changes))

    # ------------------------------------------------------------------- settings

    def add_setting(self, setting: Setting, index: int | None = None) -> None:
        self.check_add_setting(setting)
        self._insert("settings", setting, index, setting.id, "setting-added")

    def remove_setting(self, setting_id: str) -> tuple[Setting, int]:
        self.check_remove_setting(setting_id)
        return self._remove("settings", setting_id, lambda s: s.id, "setting-removed")

    def update_setting(self, setting_id: str, **changes: Any) -> dict[str, Any]:
        self.check_setting_changes(setting_id, changes)
        return self._update("settings", setting_id, lambda s: s.id, "setting-changed",
                            changes)

    def move_setting(self, setting_id: str, new_index: int) -> int:
        """Move a lane to ``new_index``; returns its old index."""
        old_index = self._index_by("settings", setting_id, lambda s: s.id)
        new_index = max(0, min(new_index, len(self.settings) - 1))
        item = self.settings.pop(old_index)
        self.settings.insert(new_index, item)
        self._emit("settings-reordered", setting_id, old=old_index, new=new_index)
        return old_index

    # ---------------------------------------------------------------------- roles

    def add_role(self, role: Role, index: int | None = None) -> None:
        self.check_add_role(role)
        self._insert("roles", role, index, role.id, "role-added")

    def remove_role(self, role_id: str) -> tuple[Role, int]:
        self.check_remove_role(role_id)
        return self._remove("roles", role_id, lambda r: r.id, "role-removed")

    def update_role(self, role_id: str, **changes: Any) -> dict[str, Any]:
        self.check_role_changes(role_id, changes)
        return self._update("roles", role_id, lambda r: r.id, "role-changed", changes)

    # -------------------------------------------------------------------- waivers

    def add_waiver(self, waiver: Waiver, index: int | None = None) -> None:
        self._insert("waivers", waiver, index, waiver_key(waiver), "waiver-added")

    def remove_waiver(self, rule: str, target: str | None) -> tuple[Waiver, int]:
        return self._remove("waivers", waiver_key_of(rule, target), waiver_key, "waiver-removed")

    # ---------------------------------------------------------- workshop: notes

    def add_note(self, note: Note, index: int | None = None) -> None:
        self.check_add_note(note)
        self._insert("notes", note, index, note.id, "note-added")

    def remove_note(self, note_id: str) -> tuple[Note, int]:
        return self._remove("notes", note_id, lambda n: n.id, "note-removed")

    def update_note(self, note_id: str, **changes: Any) -> dict[str, Any]:
        return self._update("notes", note_id, lambda n: n.id, "note-changed", changes)

    # ----------------------------------------------------- workshop: priorities

    def add_priority(self, priority: Priority, index: int | None = None) -> None:
        self.check_add_priority(priority)
        self._insert("priorities", priority, index, priority.id, "priority-added")

    def remove_priority(self, priority_id: str) -> tuple[Priority, int]:
        return self._remove("priorities", priority_id, lambda p: p.id, "priority-removed")

    def update_priority(self, priority_id: str, **changes: Any) -> dict[str, Any]:
        return self._update("priorities", priority_id, lambda p: p.id, "priority-changed",
                            changes)

    # ---------------------------------------------------------- workshop: votes

    def vote_index(self, participant: str, target: str) -> int | None:
        """Where ``participant``'s dots on ``target`` sit in :attr:`votes` (None if none)."""
        return next((i for i, v in enumerate(self.votes)
                     if v.participant == participant and v.target == target), None)

    def set_votes(self, participant: str, target: str, count: int,
                  index: int | None = None) -> int:
        """Set how many dots ``participant`` has on ``target`` (0 removes); returns the old count.

        New dots go at the end of :attr:`votes`, or at ``index`` when given (undo puts
        dots that were taken back where they were).
        """
        if count < 0:
            raise EditRefused("a vote count cannot be negative")
        limit = (self.workshop or Workshop()).votes_per_participant
        others = sum(v.count for v in self.votes
                     if v.participant == participant and v.target != target)
        if others + count > limit:
            raise EditRefused(
                f"{participant} has {limit - others} vote(s) left "
                f"(each participant has {limit})"
            )
        old = 0
        for i, v in enumerate(self.votes):
            if v.participant == participant and v.target == target:
                old = v.count
                if count:
                    self.votes[i] = v.model_copy(update={"count": count})
                else:
                    self.votes.pop(i)
                break
        else:
            if count:
                vote = Vote(participant=participant, target=target, count=count)
                if index is None or not 0 <= index <= len(self.votes):
                    index = len(self.votes)
                self.votes.insert(index, vote)
        self._emit("votes-changed", target, old=old, new=count, participant=participant)
        return old

    def tally(self) -> dict[str, int]:
        """Total dots per target, highest first."""
        totals: dict[str, int] = {}
        for v in self.votes:
            totals[v.target] = totals.get(v.target, 0) + v.count
        return dict(sorted(totals.items(), key=lambda kv: (-kv[1], kv[0])))

    # -------------------------------------------------------------- business case

    def check_business_case(self, value: Any) -> BusinessCase | None:
        """``value`` as the business case this pathway would hold (None: no block).

        Raises :class:`EditRefused` naming the field (``business_case.risks[0].owner: ...``).
        """
        from .business_case import BusinessCaseRefused

        try:
            return checked_business_case(value)
        except BusinessCaseRefused as exc:
            raise EditRefused(str(exc)) from None

    @staticmethod
    def business_case_with(case: BusinessCase | None, changes: dict[str, Any]) -> dict[str, Any]:
        """The data of ``case`` with ``changes`` applied; ``implications.quality`` style keys
        set one implication; a blank text or an empty list removes the field."""
        data = case.model_dump(exclude_none=True) if case is not None else {}
        for key, value in changes.items():
            if isinstance(value, str):
                value = value.strip() or None
            if value is None or value == []:
                value = None
            head, _, sub = key.partition(".")
            if sub:
                inner = dict(data.get(head) or {})
                if value is None:
                    inner.pop(sub, None)
                else:
                    inner[sub] = value
                if inner:
                    data[head] = inner
                else:
                    data.pop(head, None)
            elif value is None:
                data.pop(head, None)
            else:
                data[head] = value
        return data

    def set_business_case(self, value: Any) -> BusinessCase | None:
        """Replace the ``business_case`` block (a dict, a BusinessCase or None); returns the old.

        Refuses (:class:`EditRefused`, naming the field) anything invalid, changing nothing.
        """
        new = self.check_business_case(value)
        old = self.business_case
        self.business_case = new
        self._emit("business-case-changed", None, old=old, new=new)
        return old

    # ------------------------------------------------------------------ whole-model

    def replace_with(self, other: "Pathway") -> None:
        """Replace every field with ``other``'s (used by revert and bulk edits)."""
        old = self.model_copy(deep=True)
        fresh = other.model_copy(deep=True)
        for name in type(self).model_fields:
            setattr(self, name, getattr(fresh, name))
        self._emit("reset", self.id, old=old, new=self)

    def content_equal(self, other: "Pathway") -> bool:
        """True when both pathways hold the same data (listeners ignored)."""
        return self.model_dump() == other.model_dump()


# How the items of a list are named where it is not by ``id`` (see Pathway.existing).
_KEY_OF: dict[str, Callable[[Any], str]] = {
    "transitions": lambda t: t.key, "waivers": lambda w: waiver_key(w),
}

# The collections whose items refer to steps by id (see Pathway.rename_step).
_REFERRING = ("transitions", "waivers", "notes", "priorities", "votes", "scenarios")


class _HeaderProbe(_Base):
    """Validates header changes without building a whole Pathway."""

    id: str
    title: str = Field(min_length=1)
    version: str
    status: Status
    summary: str | None = None
    population: str | None = None
    organisation: str | None = None
    specialties: list[str]
    tags: list[str]
    rule_packs: list[str]
    derived_from: DerivedFrom | None = None
    evidence: list[Evidence]
    workshop: Workshop | None = None
    rule_config: dict[str, RuleSetting] = Field(default_factory=empty_dict)
    cancer_pathway: bool | None = None
    older_people: bool | None = None

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


def rule_level(setting: "RuleSetting") -> RuleLevel:
    """The level of a ``rule_config`` value (a plain level or a level with a reason)."""
    return setting.level if isinstance(setting, RuleOverride) else RuleLevel(setting)


def rule_reason(setting: "RuleSetting") -> str | None:
    """The reason recorded with a ``rule_config`` value, if any."""
    return setting.reason if isinstance(setting, RuleOverride) else None


def waiver_key_of(rule: str, target: str | None) -> str:
    return f"{rule}@{target or ''}"


def waiver_key(waiver: Waiver) -> str:
    return waiver_key_of(waiver.rule, waiver.target)
