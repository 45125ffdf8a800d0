"""Undo commands for lanes (settings of care), roles and waivers."""

from __future__ import annotations

from typing import Any, Mapping

from designer.graph.model import (
    EditRefused,
    Pathway,
    Role,
    Setting,
    Waiver,
    waiver_key,
    waiver_key_of,
)
from designer.ui.commands.base import (
    MERGE_ROLE,
    MERGE_SETTING,
    ModelCommand,
    UpdateCommand,
    changes_of,
    probe,
)

# ----------------------------------------------------------------- settings and roles


class AddSettingCommand(ModelCommand):
    """Add a lane."""

    def __init__(self, pathway: Pathway, setting: Setting, index: int | None = None):
        pathway.check_add_setting(setting)
        super().__init__(pathway, f"Add lane '{setting.name}'")
        self.setting, self.index = setting, index

    def _do(self) -> None:
        self.pathway.add_setting(self.setting, self.index)

    def _undo(self) -> None:
        self.pathway.remove_setting(self.setting.id)


class RemoveSettingCommand(ModelCommand):
    """Remove an empty lane (refused while it holds steps)."""

    def __init__(self, pathway: Pathway, setting_id: str):
        setting = pathway.existing("settings", setting_id)
        pathway.check_remove_setting(setting_id)
        super().__init__(pathway, f"Remove lane '{setting.name}'")
        self.setting_id = setting_id
        self.removed: tuple[Setting, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_setting(self.setting_id)

    def _undo(self) -> None:
        setting, index = self.removed
        self.pathway.add_setting(setting, index)


class UpdateSettingCommand(UpdateCommand):
    """Rename a lane, change its kind or description; same-field edits merge."""

    merge_id = MERGE_SETTING

    def __init__(self, pathway: Pathway, setting_id: str,
                 changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        setting = pathway.existing("settings", setting_id)
        pathway.check_setting_changes(setting_id, changes)
        probe(setting, changes)
        super().__init__(pathway, setting_id, changes, f"lane '{setting.name}'")

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_setting(self.key, **changes)


class MoveSettingCommand(ModelCommand):
    """Move a lane up or down."""

    def __init__(self, pathway: Pathway, setting_id: str, new_index: int):
        setting = pathway.existing("settings", setting_id)
        new_index = max(0, min(new_index, len(pathway.settings) - 1))
        if pathway.settings.index(setting) == new_index:
            raise EditRefused("the lane is already there")
        super().__init__(pathway, f"Move lane '{setting.name}'")
        self.setting_id, self.new_index = setting_id, new_index
        self.old_index = pathway.settings.index(setting)

    def _do(self) -> None:
        self.old_index = self.pathway.move_setting(self.setting_id, self.new_index)

    def _undo(self) -> None:
        self.pathway.move_setting(self.setting_id, self.old_index)


class AddRoleCommand(ModelCommand):
    """Add a role."""

    def __init__(self, pathway: Pathway, role: Role, index: int | None = None):
        pathway.check_add_role(role)
        super().__init__(pathway, f"Add role '{role.name}'")
        self.role, self.index = role, index

    def _do(self) -> None:
        self.pathway.add_role(self.role, self.index)

    def _undo(self) -> None:
        self.pathway.remove_role(self.role.id)


class RemoveRoleCommand(ModelCommand):
    """Remove a role that owns no step."""

    def __init__(self, pathway: Pathway, role_id: str):
        role = pathway.existing("roles", role_id)
        pathway.check_remove_role(role_id)
        super().__init__(pathway, f"Remove role '{role.name}'")
        self.role_id = role_id
        self.removed: tuple[Role, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_role(self.role_id)

    def _undo(self) -> None:
        role, index = self.removed
        self.pathway.add_role(role, index)


class UpdateRoleCommand(UpdateCommand):
    """Rename a role or change its description; same-field edits merge."""

    merge_id = MERGE_ROLE

    def __init__(self, pathway: Pathway, role_id: str, changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        role = pathway.existing("roles", role_id)
        pathway.check_role_changes(role_id, changes)
        probe(role, changes)
        super().__init__(pathway, role_id, changes, f"role '{role.name}'")

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_role(self.key, **changes)


# --------------------------------------------------------------------------- waivers


class AddWaiverCommand(ModelCommand):
    """Accept a finding on purpose, with a reason."""

    def __init__(self, pathway: Pathway, waiver: Waiver, index: int | None = None):
        if any(waiver_key(w) == waiver_key(waiver) for w in pathway.waivers):
            raise EditRefused("this finding is already waived")
        target = f" on {waiver.target}" if waiver.target else ""
        super().__init__(pathway, f"Waive '{waiver.rule}'{target}")
        self.waiver, self.index = waiver, index

    def _do(self) -> None:
        self.pathway.add_waiver(self.waiver, self.index)

    def _undo(self) -> None:
        self.pathway.remove_waiver(self.waiver.rule, self.waiver.target)


class RemoveWaiverCommand(ModelCommand):
    """Withdraw a waiver, so the finding shows again."""

    def __init__(self, pathway: Pathway, rule: str, target: str | None):
        key = waiver_key_of(rule, target)
        if not any(waiver_key(w) == key for w in pathway.waivers):
            raise EditRefused(f"there is no waiver of '{rule}' to withdraw")
        where = f" on {target}" if target else ""
        super().__init__(pathway, f"Withdraw waiver of '{rule}'{where}")
        self.rule, self.target = rule, target
        self.removed: tuple[Waiver, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_waiver(self.rule, self.target)

    def _undo(self) -> None:
        waiver, index = self.removed
        self.pathway.add_waiver(waiver, index)
