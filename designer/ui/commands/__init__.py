"""Undoable edits of a pathway: one :class:`QUndoCommand` per model action.

``base`` holds the shared machinery, ``steps`` the step, transition and header
commands, ``lanes`` the settings (lanes), roles and waivers, ``flow`` the
simulation inputs (flow settings, resources, cohorts, costs, scenarios).

Every command takes the :class:`~designer.graph.model.Pathway` first and calls its
edit methods only; the canvas and the panels repaint from the model's events.

Refused edits never reach the undo stack. Each command checks its edit in the
constructor (asking the model: ``Pathway.check_*`` hold the rules and messages)
and raises :class:`~designer.graph.model.EditRefused` (a message for people)
before anything changes. The editor pushes every command through one API, which
reports a refusal in one place::

    context.editor.push(UpdateStepCommand, "referral", {"duration_days": -1})

If the model still refuses at ``redo()`` time (it should not), the command marks
itself obsolete so that the stack drops it, and keeps the message in ``refused``.

Group several commands into one undo step with ``QUndoStack.beginMacro`` /
``endMacro``. The commands take no Qt ``parent`` on purpose: a Python command
owned by a Qt parent is deleted twice on clean-up (a crash in PySide6).
"""

from designer.graph.model import EditRefused
from designer.ui.commands.business_case import UpdateBusinessCaseCommand
from designer.ui.commands.flow import (
    AddCohortCommand, AddCostCommand, AddResourceCommand, AddScenarioChangeCommand,
    AddScenarioCommand, RemoveCohortCommand, RemoveCostCommand, RemoveResourceCommand,
    RemoveScenarioChangeCommand, RemoveScenarioCommand, UpdateCohortCommand, UpdateCostCommand,
    UpdateFlowCommand, UpdateResourceCommand, UpdateScenarioChangeCommand,
    UpdateScenarioCommand,
)
from designer.ui.commands.lanes import (
    AddRoleCommand, AddSettingCommand, AddWaiverCommand, MoveSettingCommand, RemoveRoleCommand,
    RemoveSettingCommand, RemoveWaiverCommand, UpdateRoleCommand, UpdateSettingCommand,
)
from designer.ui.commands.steps import (
    AddStepCommand, AddTransitionCommand, ApplyLayoutCommand, MoveStepsCommand, PasteCommand,
    IdFollowsNameCommand, NameStepCommand, RemoveItemsCommand, RenameStepCommand,
    UpdateHeaderCommand, UpdateRuleSettingsCommand, UpdateStepCommand, UpdateSurgeryFactsCommand, UpdateTransitionCommand,
)

__all__ = [
    "AddStepCommand", "RemoveItemsCommand", "MoveStepsCommand", "AddTransitionCommand",
    "UpdateStepCommand", "RenameStepCommand", "NameStepCommand", "IdFollowsNameCommand",
    "UpdateTransitionCommand",
    "UpdateHeaderCommand", "AddSettingCommand", "RemoveSettingCommand",
    "UpdateSettingCommand", "MoveSettingCommand", "AddRoleCommand", "RemoveRoleCommand",
    "UpdateRoleCommand", "AddWaiverCommand", "RemoveWaiverCommand", "ApplyLayoutCommand",
    "PasteCommand", "EditRefused", "UpdateBusinessCaseCommand", "UpdateRuleSettingsCommand",
    "UpdateSurgeryFactsCommand",
    # simulation inputs (flow.py)
    "UpdateFlowCommand", "AddResourceCommand", "RemoveResourceCommand", "UpdateResourceCommand",
    "AddCohortCommand", "RemoveCohortCommand", "UpdateCohortCommand", "AddCostCommand",
    "RemoveCostCommand", "UpdateCostCommand", "AddScenarioCommand", "RemoveScenarioCommand",
    "UpdateScenarioCommand", "AddScenarioChangeCommand", "UpdateScenarioChangeCommand",
    "RemoveScenarioChangeCommand",
]
