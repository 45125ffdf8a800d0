"""Undo commands for the simulation inputs: flow, resources, cohorts, costs, scenarios.

One command per model action of :mod:`designer.graph.flow_edit`. As everywhere
(see :mod:`designer.ui.commands`), each command checks its edit when built and
raises :class:`~designer.graph.model.EditRefused` before anything changes, and
undo puts back exactly what was there, at the same index.
"""

from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtGui import QUndoCommand

from designer.graph.flow import Change
from designer.graph.model import Pathway
from designer.graph.vocabulary import ITEM_NOUNS
from designer.ui.commands.base import ModelCommand, UpdateCommand, changes_of

MERGE_FLOW, MERGE_RESOURCE, MERGE_COHORT, MERGE_COST, MERGE_SCENARIO, MERGE_CHANGE = (
    1010, 1011, 1012, 1013, 1014, 1015)


# ------------------------------------------------------------------------------ flow


class UpdateFlowCommand(ModelCommand):
    """Set simulation settings (arrivals, horizon, warm-up, replications, seed, currency).

    Undo restores the whole previous flow block (or its absence). Typing in one
    field merges into one undo step.
    """

    def __init__(self, pathway: Pathway, changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        pathway.checked_flow(changes)
        fields = ", ".join(f.replace("_", " ") for f in changes)
        super().__init__(pathway, f"Change simulation {fields}")
        self.new = dict(changes)
        self.old = pathway.flow
        self._first = True

    def _do(self) -> None:
        before = self.pathway.update_flow(**self.new)
        if self._first:
            self.old, self._first = before, False

    def _undo(self) -> None:
        self.pathway.set_flow(self.old)

    def id(self) -> int:
        return MERGE_FLOW

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or set(other.new) != set(self.new):
            return False
        self.new = dict(other.new)
        self.setObsolete(self.pathway.flow == self.old)
        return True


# ------------------------------------------------------- resources, cohorts, costs


class _AddItem(ModelCommand):
    list_name = ""

    def __init__(self, pathway: Pathway, item: Any, index: int | None = None):
        item = pathway.checked_new_item(self.list_name, item, index)
        super().__init__(pathway, f"Add {ITEM_NOUNS[self.list_name]} '{item.name}'")
        self.item, self.index = item, index

    def _do(self) -> None:
        self.pathway.add_item(self.list_name, self.item, self.index)

    def _undo(self) -> None:
        self.pathway.remove_item(self.list_name, self.item.id)


class _RemoveItem(ModelCommand):
    list_name = ""

    def __init__(self, pathway: Pathway, item_id: str):
        pathway.check_remove_item(self.list_name, item_id)   # missing, or still in use
        item = pathway.existing(self.list_name, item_id)
        super().__init__(pathway, f"Remove {ITEM_NOUNS[self.list_name]} '{item.name}'")
        self.item_id = item_id
        self.removed: tuple[Any, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_item(self.list_name, self.item_id)

    def _undo(self) -> None:
        item, index = self.removed
        self.pathway.add_item(self.list_name, item, index)


class _UpdateItem(UpdateCommand):
    list_name = ""

    def __init__(self, pathway: Pathway, item_id: str,
                 changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        pathway.checked_item(self.list_name, item_id, changes)
        item = pathway.existing(self.list_name, item_id)
        super().__init__(pathway, item_id, changes,
                         f"{ITEM_NOUNS[self.list_name]} '{item.name}'")

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_item(self.list_name, self.key, **changes)


class AddResourceCommand(_AddItem):
    """Add a shared resource (theatre lists, ward beds, clinic slots)."""
    list_name = "resources"


class RemoveResourceCommand(_RemoveItem):
    """Remove a resource that no step uses."""
    list_name = "resources"


class UpdateResourceCommand(_UpdateItem):
    """Change a resource's name, capacity, bed flag or note; same-field edits merge."""
    list_name, merge_id = "resources", MERGE_RESOURCE


class AddCohortCommand(_AddItem):
    """Add a patient cohort."""
    list_name = "cohorts"


class RemoveCohortCommand(_RemoveItem):
    """Remove a cohort no branch or scenario names."""
    list_name = "cohorts"


class UpdateCohortCommand(_UpdateItem):
    """Change a cohort's name, share or note; same-field edits merge."""
    list_name, merge_id = "cohorts", MERGE_COHORT


class AddCostCommand(_AddItem):
    """Add a unit cost."""
    list_name = "costs"


class RemoveCostCommand(_RemoveItem):
    """Remove a unit cost no step charges."""
    list_name = "costs"


class UpdateCostCommand(_UpdateItem):
    """Change a unit cost's name, amount, year, source or note; same-field edits merge."""
    list_name, merge_id = "costs", MERGE_COST


class AddScenarioCommand(_AddItem):
    """Add a scenario."""
    list_name = "scenarios"


class RemoveScenarioCommand(_RemoveItem):
    """Remove a scenario (with its changes)."""
    list_name = "scenarios"


class UpdateScenarioCommand(_UpdateItem):
    """Rename a scenario or change its description; same-field edits merge."""
    list_name, merge_id = "scenarios", MERGE_SCENARIO


# ------------------------------------------------------------------ scenario changes


class AddScenarioChangeCommand(ModelCommand):
    """Add one change to a scenario."""

    def __init__(self, pathway: Pathway, scenario_id: str, change: Change | dict,
                 index: int | None = None):
        self.change = pathway.checked_change(scenario_id, change, index)
        scenario = pathway.scenario(scenario_id)
        super().__init__(pathway, f"Add a change to scenario '{scenario.name}'")
        self.scenario_id, self.index = scenario_id, index
        self.added_at: int | None = None

    def _do(self) -> None:
        self.added_at = self.pathway.add_scenario_change(self.scenario_id, self.change,
                                                         self.index)

    def _undo(self) -> None:
        self.pathway.remove_scenario_change(self.scenario_id, self.added_at)


class UpdateScenarioChangeCommand(ModelCommand):
    """Replace one change of a scenario; edits of the same change merge."""

    def __init__(self, pathway: Pathway, scenario_id: str, index: int, change: Change | dict):
        scenario = pathway.checked_change_index(scenario_id, index)
        self.change = pathway.checked_change(scenario_id, change, index)
        super().__init__(pathway, f"Change scenario '{scenario.name}'")
        self.scenario_id, self.index = scenario_id, index
        self.old: Change = scenario.changes[index]

    def _do(self) -> None:
        self.pathway.update_scenario_change(self.scenario_id, self.index, self.change)

    def _undo(self) -> None:
        self.pathway.update_scenario_change(self.scenario_id, self.index, self.old)

    def id(self) -> int:
        return MERGE_CHANGE

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or (other.scenario_id, other.index) != (
                self.scenario_id, self.index):
            return False
        self.change = other.change
        self.setObsolete(self.change == self.old)
        return True


class RemoveScenarioChangeCommand(ModelCommand):
    """Remove one change of a scenario."""

    def __init__(self, pathway: Pathway, scenario_id: str, index: int):
        scenario = pathway.checked_change_index(scenario_id, index)
        super().__init__(pathway, f"Remove a change from scenario '{scenario.name}'")
        self.scenario_id, self.index = scenario_id, index
        self.removed: tuple[Change, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_scenario_change(self.scenario_id, self.index)

    def _undo(self) -> None:
        change, index = self.removed
        self.pathway.add_scenario_change(self.scenario_id, change, index)
