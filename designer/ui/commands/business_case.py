"""The undoable edit of the pathway's ``business_case:`` block (the board pack's inputs)."""

from __future__ import annotations

from typing import Any, Mapping

from PySide6.QtGui import QUndoCommand

from designer.graph.model import Pathway
from designer.ui.commands.base import ModelCommand

MERGE_BUSINESS_CASE = 1101
_NAMES = {"decision": "decision sought", "sponsor": "sponsor",
          "recommendation": "recommendation", "cash_releasing_share": "cash-releasing share",
          "options": "options", "benefits": "benefits", "risks": "risks"}


class UpdateBusinessCaseCommand(ModelCommand):
    """Change fields of the business case: ``{"sponsor": "..."}``, ``{"implications.legal":
    "..."}``, ``{"risks": [{...}, ...]}``. Refused (EditRefused, naming the field) before
    anything changes; consecutive edits of the same fields merge (typing is one step)."""

    def __init__(self, pathway: Pathway, changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = dict(changes or {}, **kw)
        self.fields = tuple(sorted(changes))
        # typing in a field merges into one step; a table edit (a whole list) never does
        self.mergeable = not any(isinstance(v, list) for v in changes.values())
        self.old = pathway.business_case
        self.new = pathway.check_business_case(
            pathway.business_case_with(pathway.business_case, changes))
        what = ", ".join(_NAMES.get(f, f.replace("implications.", "") + " implication")
                         for f in self.fields)
        super().__init__(pathway, f"Change the business case ({what})")

    def _do(self) -> None:
        self.pathway.set_business_case(self.new)

    def _undo(self) -> None:
        self.pathway.set_business_case(self.old)

    def id(self) -> int:
        return MERGE_BUSINESS_CASE if self.mergeable else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or other.fields != self.fields or not (
                self.mergeable and other.mergeable):
            return False
        self.new = other.new
        self.setObsolete(self.new == self.old)
        return True
