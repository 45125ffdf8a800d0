"""Shared machinery of the undo commands (see :mod:`designer.ui.commands`)."""

from __future__ import annotations

import re
from typing import Any, Mapping

from pydantic import BaseModel
from PySide6.QtGui import QUndoCommand

from designer.graph.model import ID_PATTERN, EditRefused, Pathway
from designer.graph.vocabulary import plural  # noqa: F401 (the commands' messages use it)

ID_RE = re.compile(ID_PATTERN)

# Stable merge ids (QUndoCommand.id); commands with id -1 never merge.
MERGE_STEP, MERGE_TRANSITION, MERGE_HEADER = 1001, 1002, 1003
MERGE_SETTING, MERGE_ROLE, MERGE_NUDGE = 1004, 1005, 1006


def probe(item: BaseModel, changes: Mapping[str, Any]) -> None:
    """Raise EditRefused when ``changes`` would not make a valid ``item``."""
    Pathway.revalidated(item, dict(changes))


def changes_of(changes: Mapping[str, Any] | None, kw: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(changes or {})
    merged.update(kw)
    if not merged:
        raise EditRefused("nothing to change")
    return merged


class ModelCommand(QUndoCommand):
    """Base: holds the pathway; turns a late refusal into an obsolete command."""

    def __init__(self, pathway: Pathway, text: str):
        super().__init__(text)
        self.pathway = pathway
        self.refused: str | None = None

    def redo(self) -> None:  # noqa: D401 - Qt override
        try:
            self._do()
        except EditRefused as exc:
            self.refused = str(exc)
            self.setObsolete(True)

    def undo(self) -> None:
        self._undo()

    def _do(self) -> None:
        raise NotImplementedError

    def _undo(self) -> None:
        raise NotImplementedError



class UpdateCommand(ModelCommand):
    """Shared logic of the field edits: remembers old values; merges same-field edits."""

    merge_id = -1
    noun = "item"

    def __init__(self, pathway: Pathway, key: str, changes: dict[str, Any], label: str):
        fields = ", ".join(f.replace("_", " ") for f in changes)
        super().__init__(pathway, f"Change {fields} of {label}")
        self.key = key
        self.new = changes
        self.old: dict[str, Any] = {}

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _do(self) -> None:
        self.old = self._apply(dict(self.new))

    def _undo(self) -> None:
        self._apply(dict(self.old))

    def id(self) -> int:
        return self.merge_id

    def mergeWith(self, other: QUndoCommand) -> bool:
        if type(other) is not type(self) or other.key != self.key:
            return False
        if set(other.new) != set(self.new):
            return False
        self.new = dict(other.new)
        # Typing back to the original value leaves nothing to undo.
        self.setObsolete(self.new == self.old)
        return True


