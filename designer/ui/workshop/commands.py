"""Undoable workshop edits: sticky notes, priorities, dots and workshop settings.

Like :mod:`designer.ui.commands`, each command takes the pathway first, checks its
edit in the constructor (raising :class:`EditRefused` with a message for people
before anything changes) and calls model methods only; the canvas and the docks
repaint from the model's events.
"""

from __future__ import annotations

from typing import Any

from designer.graph.model import EditRefused, Note, Pathway, Priority, Workshop
from designer.ui.commands.base import ModelCommand, UpdateCommand, probe

MERGE_NOTE, MERGE_PRIORITY, MERGE_NOTE_MOVE = 1101, 1102, 1103


def _short(text: str, limit: int = 30) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# ----------------------------------------------------------------------- notes


class AddNoteCommand(ModelCommand):
    """Add a sticky note (on a step, a transition "A->B", or a free place)."""

    def __init__(self, pathway: Pathway, note: Note):
        pathway.check_add_note(note)
        super().__init__(pathway, f"Add note '{_short(note.text)}'")
        self.note = note

    def _do(self) -> None:
        self.pathway.add_note(self.note)

    def _undo(self) -> None:
        self.pathway.remove_note(self.note.id)


class RemoveNoteCommand(ModelCommand):
    """Delete a sticky note; undo puts it back in its place in the list."""

    def __init__(self, pathway: Pathway, note_id: str):
        note = pathway.existing("notes", note_id)
        super().__init__(pathway, f"Delete note '{_short(note.text)}'")
        self.note_id = note_id
        self.removed: tuple[Note, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_note(self.note_id)

    def _undo(self) -> None:
        note, index = self.removed
        self.pathway.add_note(note, index)


class UpdateNoteCommand(UpdateCommand):
    """Change a note's text, author, category, target or position."""

    merge_id = MERGE_NOTE

    def __init__(self, pathway: Pathway, note_id: str, **changes: Any):
        note = pathway.existing("notes", note_id)
        if not changes:
            raise EditRefused("nothing to change")
        probe(note, changes)
        super().__init__(pathway, note_id, changes, "note")
        if set(changes) == {"position"}:
            self.setText("Move note")
            self.merge_id = MERGE_NOTE_MOVE

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_note(self.key, **changes)


# ------------------------------------------------------------------ priorities


class AddPriorityCommand(ModelCommand):
    """Add a priority agreed at the workshop."""

    def __init__(self, pathway: Pathway, priority: Priority):
        pathway.check_add_priority(priority)
        super().__init__(pathway, f"Add priority '{_short(priority.title)}'")
        self.priority = priority

    def _do(self) -> None:
        self.pathway.add_priority(self.priority)

    def _undo(self) -> None:
        self.pathway.remove_priority(self.priority.id)


class RemovePriorityCommand(ModelCommand):
    """Delete a priority and the dots placed on it, as one undo step."""

    def __init__(self, pathway: Pathway, priority_id: str):
        priority = pathway.existing("priorities", priority_id)
        super().__init__(pathway, f"Delete priority '{_short(priority.title)}'")
        self.priority_id = priority_id
        self.votes: list[tuple[int, str, int]] = []
        self.removed: tuple[Priority, int] | None = None

    def _do(self) -> None:
        # (index, participant, count), taken from the end so earlier indices hold
        self.votes = [(i, v.participant, v.count) for i, v in enumerate(self.pathway.votes)
                      if v.target == self.priority_id][::-1]
        for _index, participant, _count in self.votes:
            self.pathway.set_votes(participant, self.priority_id, 0)
        self.removed = self.pathway.remove_priority(self.priority_id)

    def _undo(self) -> None:
        priority, index = self.removed
        self.pathway.add_priority(priority, index)
        for vote_index, participant, count in reversed(self.votes):
            self.pathway.set_votes(participant, self.priority_id, count, index=vote_index)


class UpdatePriorityCommand(UpdateCommand):
    """Change a priority's fields (title, kind, owner, due, status, steps, description)."""

    merge_id = MERGE_PRIORITY

    def __init__(self, pathway: Pathway, priority_id: str, **changes: Any):
        priority = pathway.existing("priorities", priority_id)
        if not changes:
            raise EditRefused("nothing to change")
        probe(priority, changes)
        super().__init__(pathway, priority_id, changes, f"priority '{_short(priority.title)}'")

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_priority(self.key, **changes)


# ----------------------------------------------------------------------- votes


def votes_left(pathway: Pathway, participant: str) -> int:
    """How many dots ``participant`` may still place."""
    limit = (pathway.workshop or Workshop()).votes_per_participant
    return limit - sum(v.count for v in pathway.votes if v.participant == participant)


def votes_of(pathway: Pathway, participant: str, target: str) -> int:
    return next((v.count for v in pathway.votes
                 if v.participant == participant and v.target == target), 0)


class SetVotesCommand(ModelCommand):
    """Set how many dots one participant has on one step or priority (0 removes them)."""

    def __init__(self, pathway: Pathway, participant: str, target: str, count: int):
        participant = participant.strip()
        if not participant:
            raise EditRefused("choose who is voting first")
        if count < 0:
            raise EditRefused("there are no dots to take back")
        old = votes_of(pathway, participant, target)
        limit = (pathway.workshop or Workshop()).votes_per_participant
        if count > old and votes_left(pathway, participant) < count - old:
            raise EditRefused(
                f"{participant} has used all {limit} dots. Take a dot back from another "
                "step or priority first, or raise the number of dots per participant.")
        verb = "Place a dot" if count > old else "Take back a dot"
        super().__init__(pathway, f"{verb} ({participant})")
        self.participant, self.target = participant, target
        self.old, self.new = old, count
        self.index: int | None = None

    def _do(self) -> None:
        self.index = self.pathway.vote_index(self.participant, self.target)
        self.pathway.set_votes(self.participant, self.target, self.new)

    def _undo(self) -> None:
        # dots taken back return to their place in the list, not to its end
        self.pathway.set_votes(self.participant, self.target, self.old, index=self.index)


class UpdateWorkshopCommand(ModelCommand):
    """Change the workshop settings (dots per participant, the participants' names)."""

    def __init__(self, pathway: Pathway, votes_per_participant: int | None = None,
                 participants: list[str] | None = None):
        current = pathway.workshop or Workshop()
        changes: dict[str, Any] = {}
        if votes_per_participant is not None:
            changes["votes_per_participant"] = votes_per_participant
            used: dict[str, int] = {}
            for v in pathway.votes:
                used[v.participant] = used.get(v.participant, 0) + v.count
            over = sorted(p for p, n in used.items() if n > votes_per_participant)
            if over:
                raise EditRefused(
                    f"{over[0]} has already placed {used[over[0]]} dots; take some back "
                    f"before lowering the limit to {votes_per_participant}.")
        if participants is not None:
            changes["participants"] = participants
        probe(current, changes)
        super().__init__(pathway, "Change workshop settings")
        self.old = pathway.workshop
        self.new = current.model_copy(update=changes)
        self.new = Workshop.model_validate(self.new.model_dump())

    def _do(self) -> None:
        self.pathway.update_header(workshop=self.new)

    def _undo(self) -> None:
        self.pathway.update_header(workshop=self.old)
