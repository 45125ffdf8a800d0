"""Edit methods for the simulation inputs: flow, resources, cohorts, costs, scenarios.

A mixin of :class:`designer.graph.model.Pathway` (kept apart so model.py stays
about the drawn pathway). Like every edit method of the pathway, each of these
validates first and changes nothing when it refuses (raising
:class:`~designer.graph.elements.EditRefused` with a message naming the field,
e.g. ``resources[1].capacity: Input should be greater than or equal to 1``),
then emits one :class:`~designer.graph.model.ModelEvent`:

==========================  ===========================================
event kind                  key
==========================  ===========================================
``flow-changed``            None (``old``/``new`` are the Flow or None)
``resource-added/-removed/-changed``    the resource id
``cohort-added/-removed/-changed``      the cohort id
``cost-added/-removed/-changed``        the unit cost id
``scenario-added/-removed/-changed``    the scenario id
``scenario-change-added/-removed/-changed``  the scenario id (``index`` in extra)
==========================  ===========================================

Removing something that is still referred to (a resource a step uses, a unit
cost a step charges, a cohort a branch or scenario names) is refused, so that an
edit never leaves a reference dangling; the message says where it is used.
No Qt here.
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any, Callable

from pydantic import BaseModel, ValidationError

from .elements import EditRefused, friendly_validation_message
from .flow import Arrivals, Change, Cohort, Flow, Resource, Scenario, UnitCost
from .vocabulary import ITEM_NOUNS

if TYPE_CHECKING:  # pragma: no cover
    from .model import Pathway

#: the Flow fields the editor may set
FLOW_FIELDS = ("arrivals", "horizon_weeks", "warmup_weeks", "replications", "seed",
               "currency", "note")


def _prefixed(exc: ValidationError, prefix: str) -> str:
    """The pydantic errors as one message whose field paths start with ``prefix``."""
    message = friendly_validation_message(exc)
    parts = []
    for part in message.split("; "):
        head, sep, tail = part.partition(": ")
        if sep and " " not in head:
            parts.append(f"{prefix}.{head}: {tail}")
        else:
            parts.append(f"{prefix}: {part}")
    return "; ".join(parts)


def validated_item(kind: type[BaseModel], data: dict[str, Any], where: str) -> Any:
    try:
        return kind.model_validate(data)
    except ValidationError as exc:
        raise EditRefused(_prefixed(exc, where)) from None


def _used_by(names: list[str]) -> str:
    more = f" and {len(names) - 1} more" if len(names) > 1 else ""
    return f"{names[0]}{more}"


class FlowEditing:
    """The simulation-input edit methods of :class:`~designer.graph.model.Pathway`."""

    # ------------------------------------------------------------------ look-ups

    def resource(self: "Pathway", resource_id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

    def cohort(self: "Pathway", cohort_id: str) -> Cohort | None:
        return next((c for c in self.cohorts if c.id == cohort_id), None)

    def unit_cost(self: "Pathway", cost_id: str) -> UnitCost | None:
        return next((c for c in self.costs if c.id == cost_id), None)

    def scenario(self: "Pathway", scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    # ---------------------------------------------------------------------- flow

    def checked_flow(self: "Pathway", changes: dict[str, Any]) -> Flow:
        """The flow block with ``changes`` applied and validated (EditRefused if not)."""
        bad = sorted(set(changes) - set(FLOW_FIELDS))
        if bad:
            raise EditRefused(f"flow has no field '{bad[0]}'")
        data = self.flow.model_dump(exclude_none=True) if self.flow is not None else {}
        changes = dict(changes)
        arrivals = changes.get("arrivals")
        if isinstance(arrivals, Arrivals):
            changes["arrivals"] = arrivals.model_dump(exclude_none=True)
        if isinstance(changes.get("arrivals"), dict):
            # validate the arrivals alone first, so the message names flow.arrivals
            validated_item(Arrivals, changes["arrivals"], "flow.arrivals")
        data.update(changes)
        return validated_item(Flow, data, "flow")

    def update_flow(self: "Pathway", **changes: Any) -> Flow | None:
        """Set flow fields (arrivals, horizon, warm-up, replications, seed, currency, note).

        A value of None clears the field. Returns the whole previous flow block
        (None when the pathway had none), which :meth:`set_flow` puts back.
        """
        new = self.checked_flow(changes)
        old = self.flow
        self.flow = new
        self._emit("flow-changed", None, old=old, new=new, fields=tuple(changes))
        return old

    def set_flow(self: "Pathway", flow: Flow | None) -> Flow | None:
        """Replace the whole flow block (None removes it); returns the previous one."""
        if flow is not None and not isinstance(flow, Flow):
            flow = validated_item(Flow, dict(flow), "flow")
        old = self.flow
        self.flow = flow
        self._emit("flow-changed", None, old=old, new=flow,
                   fields=FLOW_FIELDS)
        return old

    # ---------------------------------------------------- the four id'd lists
    # resources, cohorts, costs and scenarios share one set of checks and edits;
    # the undo commands (designer.ui.commands.flow) ask the same checks first.

    def checked_new_item(self: "Pathway", name: str, item: Any, index: int | None = None
                         ) -> BaseModel:
        """``item`` (a model or a dict) validated as a new item of list ``name``.

        EditRefused names the field (``resources[2].capacity: ...``) or the clash of ids.
        """
        if isinstance(item, dict):
            position = len(getattr(self, name)) if index is None else index
            item = validated_item(_KINDS[name], item, f"{name}[{position}]")
        if any(x.id == item.id for x in getattr(self, name)):
            raise EditRefused(f"{name}: a {ITEM_NOUNS[name]} with id '{item.id}' "
                              "already exists")
        return item

    def add_item(self: "Pathway", name: str, item: Any, index: int | None = None) -> None:
        """Add ``item`` to list ``name`` (at ``index``, or at the end)."""
        item = self.checked_new_item(name, item, index)
        self._insert(name, item, index, item.id, f"{_singular(name)}-added")

    def update_item(self: "Pathway", list_name: str, item_id: str, /, **changes: Any
                    ) -> dict[str, Any]:
        """Change fields of item ``item_id`` of list ``list_name``; returns the old values.

        (Positional-only names: ``name`` and ``id`` are fields the changes may set.)
        """
        self.checked_item(list_name, item_id, changes)
        return self._update(list_name, item_id, _item_id, f"{_singular(list_name)}-changed",
                            changes)

    def checked_item(self: "Pathway", name: str, item_id: str, changes: dict[str, Any]
                     ) -> BaseModel:
        """The item of list ``name`` with ``changes`` applied, or EditRefused naming the field."""
        noun = ITEM_NOUNS[name]
        index = self._index_of(name, item_id)
        if "id" in changes and changes["id"] != item_id:
            raise EditRefused(f"{name}[{index}].id: a {noun}'s id cannot be changed")
        if name == "scenarios" and "changes" in changes:
            raise EditRefused("use add_scenario_change / update_scenario_change / "
                              "remove_scenario_change for a scenario's changes")
        old = getattr(self, name)[index]
        unknown = sorted(set(changes) - set(type(old).model_fields))
        if unknown:
            raise EditRefused(f"{name}[{index}]: a {noun} has no field '{unknown[0]}'")
        data = old.model_dump()
        data.update(changes)
        return validated_item(type(old), data, f"{name}[{index}]")

    def _index_of(self: "Pathway", name: str, item_id: str) -> int:
        return self._index_by(name, item_id, _item_id)

    def remove_item(self: "Pathway", name: str, item_id: str) -> tuple[Any, int]:
        """Remove item ``item_id`` of list ``name`` (refused while something uses it)."""
        self.check_remove_item(name, item_id)
        return self._remove(name, item_id, _item_id, f"{_singular(name)}-removed")

    def check_remove_item(self: "Pathway", name: str, item_id: str) -> None:
        """EditRefused when item ``item_id`` of list ``name`` is missing or still used."""
        self._index_of(name, item_id)
        found = self._users(name, item_id)
        if found:
            raise EditRefused(f"the {ITEM_NOUNS[name]} '{item_id}' is still used by "
                              f"{_used_by(found)}; change that first")

    def _users(self: "Pathway", name: str, item_id: str) -> list[str]:
        """What refers to item ``item_id`` of list ``name``, in words."""
        def scenarios(hit: Callable[[Change], bool]) -> list[str]:
            return [f"scenario '{s.name}'" for s in self.scenarios if any(map(hit, s.changes))]

        if name == "resources":
            return ([f"step '{s.name}'" for s in self.steps if item_id in s.uses]
                    + scenarios(lambda c: (c.kind == "resource" and c.target == item_id)
                                or bool(c.uses and item_id in c.uses)))
        if name == "cohorts":
            return ([f"branch '{self.target_name(t.key)}'" for t in self.transitions
                     if item_id in t.probability_by_cohort]
                    + scenarios(lambda c: (c.kind == "cohort" and c.target == item_id)
                                or bool(c.probability_by_cohort
                                        and item_id in c.probability_by_cohort)))
        if name == "costs":
            return ([f"step '{s.name}'" for s in self.steps
                     if any(c.cost == item_id for c in s.costs)]
                    + scenarios(lambda c: (c.kind == "cost" and c.target == item_id)
                                or bool(c.costs and any(x.cost == item_id for x in c.costs))))
        return []

    # ---------------------------------------------------------------- resources

    def add_resource(self: "Pathway", resource: Resource | dict, index: int | None = None
                     ) -> None:
        self.add_item("resources", resource, index)

    def update_resource(self: "Pathway", resource_id: str, **changes: Any) -> dict[str, Any]:
        """Change a resource's name, capacity, bed flag or note; returns the old values."""
        return self.update_item("resources", resource_id, **changes)

    def remove_resource(self: "Pathway", resource_id: str) -> tuple[Resource, int]:
        """Remove a resource no step uses and no scenario changes."""
        return self.remove_item("resources", resource_id)

    # ------------------------------------------------------------------ cohorts

    def add_cohort(self: "Pathway", cohort: Cohort | dict, index: int | None = None) -> None:
        self.add_item("cohorts", cohort, index)

    def update_cohort(self: "Pathway", cohort_id: str, **changes: Any) -> dict[str, Any]:
        """Change a cohort's name, share or note; returns the old values."""
        return self.update_item("cohorts", cohort_id, **changes)

    def remove_cohort(self: "Pathway", cohort_id: str) -> tuple[Cohort, int]:
        """Remove a cohort no branch probability and no scenario names."""
        return self.remove_item("cohorts", cohort_id)

    # -------------------------------------------------------------------- costs

    def add_cost(self: "Pathway", cost: UnitCost | dict, index: int | None = None) -> None:
        self.add_item("costs", cost, index)

    def update_cost(self: "Pathway", cost_id: str, **changes: Any) -> dict[str, Any]:
        """Change a unit cost's name, amount, year, source, url or note."""
        return self.update_item("costs", cost_id, **changes)

    def remove_cost(self: "Pathway", cost_id: str) -> tuple[UnitCost, int]:
        """Remove a unit cost no step charges and no scenario changes."""
        return self.remove_item("costs", cost_id)

    # ---------------------------------------------------------------- scenarios

    def add_scenario(self: "Pathway", scenario: Scenario | dict, index: int | None = None
                     ) -> None:
        self.add_item("scenarios", scenario, index)

    def update_scenario(self: "Pathway", scenario_id: str, **changes: Any) -> dict[str, Any]:
        """Change a scenario's name or description (its changes have their own methods)."""
        return self.update_item("scenarios", scenario_id, **changes)

    def remove_scenario(self: "Pathway", scenario_id: str) -> tuple[Scenario, int]:
        return self.remove_item("scenarios", scenario_id)

    def checked_change(self: "Pathway", scenario_id: str, change: Change | dict,
                       index: int | None = None) -> Change:
        """``change`` validated as change ``index`` of the scenario (EditRefused if not)."""
        s_index = self._index_of("scenarios", scenario_id)
        scenario = self.scenarios[s_index]
        position = len(scenario.changes) if index is None else index
        where = f"scenarios[{s_index}].changes[{position}]"
        if isinstance(change, Change):
            change = change.model_dump(exclude_none=True)
        return validated_item(Change, dict(change), where)

    def _set_changes(self: "Pathway", scenario_id: str, changes: list[Change], kind: str,
                     index: int, old: Any, new: Any) -> None:
        s_index = self._index_of("scenarios", scenario_id)
        scenario = self.scenarios[s_index]
        self.scenarios[s_index] = scenario.model_copy(update={"changes": changes})
        self._emit(kind, scenario_id, old=old, new=new, index=index)

    def add_scenario_change(self: "Pathway", scenario_id: str, change: Change | dict,
                            index: int | None = None) -> int:
        """Add a change to a scenario (at ``index``, or at the end); returns its index."""
        change = self.checked_change(scenario_id, change, index)
        changes = list(self.scenario(scenario_id).changes)
        if index is None or index > len(changes):
            index = len(changes)
        changes.insert(index, change)
        self._set_changes(scenario_id, changes, "scenario-change-added", index, None, change)
        return index

    def update_scenario_change(self: "Pathway", scenario_id: str, index: int,
                               change: Change | dict) -> Change:
        """Replace change ``index`` of a scenario; returns the previous change."""
        scenario = self.checked_change_index(scenario_id, index)
        new = self.checked_change(scenario_id, change, index)
        changes = list(scenario.changes)
        old = changes[index]
        changes[index] = new
        self._set_changes(scenario_id, changes, "scenario-change-changed", index, old, new)
        return old

    def remove_scenario_change(self: "Pathway", scenario_id: str, index: int
                               ) -> tuple[Change, int]:
        scenario = self.checked_change_index(scenario_id, index)
        changes = list(scenario.changes)
        old = changes.pop(index)
        self._set_changes(scenario_id, changes, "scenario-change-removed", index, old, None)
        return old, index

    def checked_change_index(self: "Pathway", scenario_id: str, index: int) -> Scenario:
        """The scenario, when it has a change ``index`` (EditRefused if not)."""
        scenario = self.scenarios[self._index_of("scenarios", scenario_id)]
        if not 0 <= index < len(scenario.changes):
            raise EditRefused(f"scenario '{scenario_id}' has no change {index + 1}")
        return scenario


#: the model class of each id'd list's items
_KINDS: dict[str, type[BaseModel]] = {
    "resources": Resource, "cohorts": Cohort, "costs": UnitCost, "scenarios": Scenario}


def _singular(name: str) -> str:
    """The event prefix of a list: ``"resources"`` -> ``"resource"``."""
    return name[:-1]


def _item_id(item: Any) -> str:
    return item.id


def simulation_hash(pathway: "Pathway") -> str:
    """A fingerprint of everything a simulation run reads from ``pathway``.

    The sha256 of the pathway's content as canonical JSON, without what cannot
    change a result: step positions, workshop notes, priorities and votes. Two
    pathways with the same hash give the same simulation results (for the same
    run options), so results kept with a hash can be reused while it matches.
    """
    data = pathway.model_dump(mode="json", by_alias=True)
    for name in ("notes", "priorities", "votes", "workshop"):
        data.pop(name, None)
    for step in data.get("steps", ()):
        step.pop("position", None)
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
