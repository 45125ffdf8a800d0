"""Undoable edits of steps, transitions and the header (see :mod:`designer.ui.commands`).

Every command takes the :class:`~designer.graph.model.Pathway` first and calls its
edit methods only; the canvas and the panels repaint from the model's events.

Refused edits never reach the undo stack. Each command checks its edit in the
constructor and raises :class:`~designer.graph.model.EditRefused` (a message for
people) before anything changes, so a caller can write::

    try:
        stack.push(UpdateStepCommand(pathway, "referral", duration_days=-1))
    except EditRefused as exc:
        show_message(str(exc))

If the model still refuses at ``redo()`` time (it should not), the command marks
itself obsolete so that the stack drops it, and keeps the message in ``refused``.

Group several commands into one undo step with ``QUndoStack.beginMacro`` /
``endMacro``. The commands take no Qt ``parent`` on purpose: a Python command
owned by a Qt parent is deleted twice on clean-up (a crash in PySide6).
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from PySide6.QtGui import QUndoCommand

from designer.graph.ids import copy_id_base, copy_name
from designer.graph.model import EditRefused, Pathway, Step, Transition
from designer.ui.commands.base import (
    ID_RE,
    MERGE_HEADER,
    MERGE_NUDGE,
    MERGE_STEP,
    MERGE_TRANSITION,
    ModelCommand,
    UpdateCommand,
    changes_of,
    plural,
    probe,
)


# ----------------------------------------------------------------------------- steps


class AddStepCommand(ModelCommand):
    """Add a step (at ``index``, or at the end)."""

    def __init__(self, pathway: Pathway, step: Step, index: int | None = None):
        pathway.check_new_step_id(step.id)
        super().__init__(pathway, f"Add step '{step.name}'")
        self.step = step
        self.index = index

    def _do(self) -> None:
        self.pathway.add_step(self.step, self.index)

    def _undo(self) -> None:
        self.pathway.remove_step(self.step.id)


class _RemoveStep(ModelCommand):
    def __init__(self, pathway: Pathway, step_id: str):
        super().__init__(pathway, f"Remove step {step_id}")
        self.step_id = step_id
        self.removed: tuple[Step, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_step(self.step_id)

    def _undo(self) -> None:
        step, index = self.removed
        self.pathway.add_step(step, index)


class _RemoveTransition(ModelCommand):
    def __init__(self, pathway: Pathway, key: str):
        super().__init__(pathway, f"Remove transition {key}")
        self.key = key
        self.removed: tuple[Transition, int] | None = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_transition(self.key)

    def _undo(self) -> None:
        transition, index = self.removed
        self.pathway.add_transition(transition, index)


class _RemoveNote(ModelCommand):
    def __init__(self, pathway: Pathway, note_id: str):
        super().__init__(pathway, f"Remove note {note_id}")
        self.note_id = note_id
        self.removed = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_note(self.note_id)

    def _undo(self) -> None:
        note, index = self.removed
        self.pathway.add_note(note, index)


class _RemoveWaiver(ModelCommand):
    def __init__(self, pathway: Pathway, rule: str, target: str | None):
        super().__init__(pathway, f"Remove waiver {rule}")
        self.rule, self.target = rule, target
        self.removed = None

    def _do(self) -> None:
        self.removed = self.pathway.remove_waiver(self.rule, self.target)

    def _undo(self) -> None:
        waiver, index = self.removed
        self.pathway.add_waiver(waiver, index)


class _RemoveVotes(ModelCommand):
    def __init__(self, pathway: Pathway, participant: str, target: str):
        super().__init__(pathway, f"Remove dots of {participant}")
        self.participant, self.target = participant, target
        self.index: int | None = None
        self.count = 0

    def _do(self) -> None:
        self.index = self.pathway.vote_index(self.participant, self.target)
        self.count = self.pathway.set_votes(self.participant, self.target, 0)

    def _undo(self) -> None:
        self.pathway.set_votes(self.participant, self.target, self.count, index=self.index)


class _UnlinkPriority(ModelCommand):
    def __init__(self, pathway: Pathway, priority_id: str, step_ids: set[str]):
        super().__init__(pathway, f"Unlink priority {priority_id}")
        self.priority_id, self.step_ids = priority_id, step_ids
        self.previous: dict[str, Any] = {}

    def _do(self) -> None:
        priority = next(p for p in self.pathway.priorities if p.id == self.priority_id)
        self.previous = self.pathway.update_priority(
            self.priority_id, steps=[s for s in priority.steps if s not in self.step_ids])

    def _undo(self) -> None:
        self.pathway.update_priority(self.priority_id, **self.previous)


def _dependants(pathway: Pathway, step_ids: set[str], keys: set[str]) -> list[ModelCommand]:
    """Sub-commands removing what refers to steps and transitions being deleted.

    Notes, waivers and dots on a deleted step (or on one of its transitions) go with
    it, and priorities stop naming it; otherwise a later step given the same id would
    silently inherit them. Undo puts each back at its place.
    """
    def doomed(target: str | None) -> bool:
        if not target:
            return False
        return target in keys or any(part in step_ids for part in target.split("->"))

    parts: list[ModelCommand] = []
    for note in reversed(pathway.notes):
        if doomed(note.target):
            parts.append(_RemoveNote(pathway, note.id))
    for waiver in reversed(pathway.waivers):
        if doomed(waiver.target):
            parts.append(_RemoveWaiver(pathway, waiver.rule, waiver.target))
    for vote in reversed(pathway.votes):
        if vote.target in step_ids:
            parts.append(_RemoveVotes(pathway, vote.participant, vote.target))
    for priority in pathway.priorities:
        if step_ids & set(priority.steps):
            parts.append(_UnlinkPriority(pathway, priority.id, step_ids))
    return parts


class RemoveItemsCommand(ModelCommand):
    """Delete steps and transitions as one undo step.

    It builds one sub-command per item: what refers to them (notes, waivers, dots,
    priority links; see :func:`_dependants`), the transitions (those named and
    those touching a removed step), then the steps, each in descending file order;
    undo replays them backwards, so every item returns to its original index.
    The sub-commands are plain Python children (``parts``): giving them a Qt
    parent makes Qt and Python both own them, which crashes on clean-up.
    """

    def __init__(self, pathway: Pathway, step_ids: Iterable[str] = (),
                 transition_keys: Iterable[str] = ()):
        step_ids = list(dict.fromkeys(step_ids))
        for sid in step_ids:
            pathway.existing("steps", sid)
        doomed_steps = set(step_ids)
        keys = set(transition_keys)
        for key in keys:
            pathway.existing("transitions", key)
        t_order = [(i, t.key) for i, t in enumerate(pathway.transitions)
                   if t.key in keys or t.source in doomed_steps or t.target in doomed_steps]
        s_order = [(i, s.id) for i, s in enumerate(pathway.steps) if s.id in doomed_steps]
        if not t_order and not s_order:
            raise EditRefused("nothing is selected to delete")
        words = []
        if s_order:
            words.append(plural(len(s_order), "step"))
        explicit = len([k for _, k in t_order if k in keys])
        if explicit:
            words.append(plural(explicit, "transition"))
        super().__init__(pathway, "Delete " + " and ".join(words))
        self.parts: list[ModelCommand] = _dependants(
            pathway, doomed_steps, {k for _, k in t_order})
        for _, key in sorted(t_order, reverse=True):
            self.parts.append(_RemoveTransition(pathway, key))
        for _, sid in sorted(s_order, reverse=True):
            self.parts.append(_RemoveStep(pathway, sid))
        self.step_ids = [sid for _, sid in s_order]
        self.transition_keys = [k for _, k in t_order]

    def _do(self) -> None:
        for part in self.parts:
            part._do()

    def _undo(self) -> None:
        for part in reversed(self.parts):
            part._undo()


class MoveStepsCommand(ModelCommand):
    """Move steps (one drag, one nudge, or a multi-selection move) as one undo step.

    Parameters
    ----------
    moves:
        step id -> ``(x, y)`` (lane-relative, see designer.graph.geometry) or
        ``((x, y), setting_id)`` when the step changes lane.
    nudge:
        True for an arrow-key nudge; consecutive nudges of the same steps merge.
    """

    def __init__(self, pathway: Pathway, moves: Mapping[str, Any], nudge: bool = False):
        self.new: dict[str, dict[str, Any]] = {}
        self.old: dict[str, dict[str, Any]] = {}
        for sid, move in moves.items():
            step = pathway.existing("steps", sid)
            if len(move) == 2 and isinstance(move[0], (tuple, list)):
                position, setting = move
            else:
                position, setting = move, step.setting
            position = (round(float(position[0]), 1), round(float(position[1]), 1))
            change: dict[str, Any] = {"position": position}
            if setting != step.setting:
                pathway.existing("settings", setting)
                change["setting"] = setting
            self.new[sid] = change
            self.old[sid] = {k: getattr(step, k) for k in change}
        if not self.new:
            raise EditRefused("no step to move")
        lane_change = any("setting" in c for c in self.new.values())
        what = plural(len(self.new), "step")
        text = (f"Nudge {what}" if nudge else
                f"Move {what} to another lane" if lane_change else f"Move {what}")
        super().__init__(pathway, text)
        self.nudge = nudge

    def _do(self) -> None:
        for sid, change in self.new.items():
            self.pathway.update_step(sid, **change)

    def _undo(self) -> None:
        for sid, change in self.old.items():
            self.pathway.update_step(sid, **change)

    def id(self) -> int:
        return MERGE_NUDGE if self.nudge else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, MoveStepsCommand) or not other.nudge:
            return False
        if set(other.new) != set(self.new) or any(
                set(other.new[s]) != set(self.new[s]) for s in self.new):
            return False
        self.new = {sid: dict(change) for sid, change in other.new.items()}
        self.setObsolete(self.new == self.old)
        return True


class UpdateStepCommand(UpdateCommand):
    """Change fields of a step; consecutive edits of the same field merge."""

    merge_id = MERGE_STEP

    def __init__(self, pathway: Pathway, step_id: str, changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        step = pathway.existing("steps", step_id)
        pathway.check_step_changes(step_id, changes)
        probe(step, changes)
        super().__init__(pathway, step_id, changes, f"'{step.name}'")

        # (old id, new id, what the rename re-pointed) when the id followed the name
        self.follow: list | None = None

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_step(self.key, **changes)

    def _do(self) -> None:
        super()._do()
        if self.follow is not None:
            self.follow[2] = self.pathway.rename_step(self.follow[0], self.follow[1])

    def _undo(self) -> None:
        if self.follow is not None:
            self.pathway.undo_rename(self.follow[1], self.follow[0], self.follow[2])
        super()._undo()

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        # the id following the name just typed joins the typing's undo step (Qt
        # deletes ``other`` after a merge: keep plain values, not the command)
        if isinstance(other, IdFollowsNameCommand):
            if self.follow is None and other.old_id == self.key and "name" in self.new:
                self.follow = [other.old_id, other.new_id, other.changed]
                return True
            return False
        return super().mergeWith(other)


class IdFollowsNameCommand(ModelCommand):
    """A new step's placeholder id ("new-step-2") takes the name typed for it.

    Pushed when the Properties panel's Name field is left; it merges into the
    name's own undo step (see :meth:`UpdateStepCommand.mergeWith`). ``named_from``
    is the name the placeholder was made from (before the typing).
    """

    def __init__(self, pathway: Pathway, step_id: str, named_from: str):
        step = pathway.existing("steps", step_id)
        new_id = pathway.step_id_for_name(step_id, step.name, named_from)
        if new_id is None:
            raise EditRefused("the id stays as it is")
        pathway.check_new_step_id(new_id)
        super().__init__(pathway, f"Change id of step '{step_id}' to '{new_id}'")
        self.old_id, self.new_id = step_id, new_id
        self.changed: dict = {}

    def id(self) -> int:  # noqa: A003 - Qt override
        return MERGE_STEP

    def _do(self) -> None:
        self.changed = self.pathway.rename_step(self.old_id, self.new_id)

    def _undo(self) -> None:
        self.pathway.undo_rename(self.new_id, self.old_id, self.changed)


class RenameStepCommand(ModelCommand):
    """Change a step's id and every reference to it."""

    def __init__(self, pathway: Pathway, old_id: str, new_id: str):
        new_id = new_id.strip()
        pathway.existing("steps", old_id)
        if new_id == old_id:
            raise EditRefused("the id is unchanged")
        if not ID_RE.match(new_id):
            raise EditRefused(
                f"'{new_id}' is not a valid id: use letters, digits, '-', '_' or '.', "
                "starting with a letter or digit")
        pathway.check_new_step_id(new_id)
        super().__init__(pathway, f"Change id of step '{old_id}' to '{new_id}'")
        self.old_id, self.new_id = old_id, new_id
        self.changed: dict = {}

    def _do(self) -> None:
        self.changed = self.pathway.rename_step(self.old_id, self.new_id)

    def _undo(self) -> None:
        # exactly the references the rename moved go back (not every one naming new_id)
        self.pathway.undo_rename(self.new_id, self.old_id, self.changed)


class NameStepCommand(ModelCommand):
    """Give a step a new name (the canvas's in-place editor); one undo step.

    An untouched id (one made from the old name, such as ``new-step-2``) follows the
    name, with every reference to it (see ``Pathway.step_id_for_name``); ``new_id``
    is the id it gets, or None when the id stays.
    """

    def __init__(self, pathway: Pathway, step_id: str, name: str):
        step = pathway.existing("steps", step_id)
        changes = {"name": name}
        pathway.check_step_changes(step_id, changes)
        probe(step, changes)
        self.new_id = pathway.step_id_for_name(step_id, name)
        if self.new_id is not None:
            pathway.check_new_step_id(self.new_id)
        super().__init__(pathway, f"Name step '{name}'")
        self.key, self.name = step_id, name
        self.old: dict[str, Any] = {}
        self.changed: dict = {}

    def _do(self) -> None:
        # the id first: a refused rename then leaves nothing half done
        if self.new_id is not None:
            self.changed = self.pathway.rename_step(self.key, self.new_id)
        self.old = self.pathway.update_step(self.new_id or self.key, name=self.name)

    def _undo(self) -> None:
        self.pathway.update_step(self.new_id or self.key, **self.old)
        if self.new_id is not None:
            self.pathway.undo_rename(self.new_id, self.key, self.changed)


# ----------------------------------------------------------------------- transitions


class AddTransitionCommand(ModelCommand):
    """Connect two steps."""

    def __init__(self, pathway: Pathway, transition: Transition, index: int | None = None):
        pathway.check_add_transition(transition)
        names = []
        for sid in (transition.source, transition.target):
            step = pathway.step(sid)
            names.append(step.name if step else sid)
        super().__init__(pathway, f"Connect '{names[0]}' to '{names[1]}'")
        self.transition = transition
        self.index = index

    def _do(self) -> None:
        self.pathway.add_transition(self.transition, self.index)

    def _undo(self) -> None:
        self.pathway.remove_transition(self.transition.key)


class UpdateTransitionCommand(UpdateCommand):
    """Change wait, condition, probability or handoff; same-field edits merge."""

    merge_id = MERGE_TRANSITION

    def __init__(self, pathway: Pathway, key: str, changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        transition = pathway.existing("transitions", key)
        changes = Pathway.transition_changes(changes)
        probe(transition, changes)
        super().__init__(pathway, key, changes, f"transition {key}")

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_transition(self.key, **changes)


class UpdateHeaderCommand(UpdateCommand):
    """Change pathway-level fields (title, status, summary...); same-field edits merge."""

    merge_id = MERGE_HEADER

    def __init__(self, pathway: Pathway, changes: Mapping[str, Any] | None = None, **kw: Any):
        changes = changes_of(changes, kw)
        pathway.checked_header(changes)
        super().__init__(pathway, "", changes, "the pathway")

    def _apply(self, changes: dict[str, Any]) -> dict[str, Any]:
        return self.pathway.update_header(**changes)


class _AspectMerge:
    """Merge only with the next command editing the same ``aspect`` (e.g. one rule's
    level while arrow keys run through the levels); other edits are undo steps of
    their own."""

    aspect: Any = None

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if self.aspect is None or getattr(other, "aspect", None) != self.aspect:
            return False
        return super().mergeWith(other)


MERGE_RULE_SETTINGS, MERGE_SURGERY = 1101, 1102


class UpdateRuleSettingsCommand(_AspectMerge, UpdateHeaderCommand):
    """Set the pathway's ``rule_config`` (the Pathway page's rule settings table).

    ``aspect`` (e.g. ``("vte-plan", "level")``): consecutive edits of the same aspect
    merge; adding, removing and other aspects are undo steps of their own.
    """

    merge_id = MERGE_RULE_SETTINGS

    def __init__(self, pathway: Pathway, changes: Mapping[str, Any], aspect: Any = None):
        super().__init__(pathway, changes)
        self.aspect = aspect


class UpdateSurgeryFactsCommand(_AspectMerge, UpdateStepCommand):
    """Set a step's ``surgery`` facts; ``aspect`` is the fact changed (each fact its
    own undo step; choosing the same fact again merges)."""

    merge_id = MERGE_SURGERY

    def __init__(self, pathway: Pathway, step_id: str, changes: Mapping[str, Any],
                 aspect: Any = None):
        super().__init__(pathway, step_id, changes)
        self.aspect = (step_id, aspect) if aspect else None


# ------------------------------------------------------------------ layout and paste


class ApplyLayoutCommand(ModelCommand):
    """Move steps to automatic-layout positions as one undo step.

    ``positions`` defaults to :func:`designer.graph.layout.auto_layout` of the pathway.
    """

    def __init__(self, pathway: Pathway,
                 positions: Mapping[str, tuple[float, float]] | None = None):
        if positions is None:
            from designer.graph.layout import auto_layout
            positions = auto_layout(pathway)
        self.new: dict[str, tuple[float, float]] = {}
        self.old: dict[str, tuple[float, float] | None] = {}
        for sid, (x, y) in positions.items():
            step = pathway.existing("steps", sid)
            new = (round(float(x), 1), round(float(y), 1))
            if step.position != new:
                self.new[sid] = new
                self.old[sid] = step.position
        if not self.new:
            raise EditRefused("the steps are already laid out")
        super().__init__(pathway, "Auto-layout")

    def _do(self) -> None:
        for sid, position in self.new.items():
            self.pathway.update_step(sid, position=position)

    def _undo(self) -> None:
        for sid, position in self.old.items():
            self.pathway.update_step(sid, position=position)


class PasteCommand(ModelCommand):
    """Add copied steps and the transitions between them as one undo step.

    Ids that clash with the pathway get fresh ones (``pathway.new_id``) and the
    transitions follow; names already in use get " (copy)" (``copy_name``);
    positions move by ``offset``; steps whose lane does not
    exist here go to ``fallback_setting`` when given. Transitions whose ends are
    not both present after pasting are dropped. ``pasted_ids`` lists the new step ids.
    """

    def __init__(self, pathway: Pathway, steps: Iterable[Step],
                 transitions: Iterable[Transition] = (),
                 offset: tuple[float, float] = (0.0, 0.0),
                 fallback_setting: str | None = None):
        steps = list(steps)
        if not steps:
            raise EditRefused("there is nothing to paste")
        mapping: dict[str, str] = {}
        taken: set[str] = set()
        names = {s.name for s in pathway.steps}
        existing = {s.id for s in pathway.steps}
        self.steps: list[Step] = []
        for step in steps:
            new_id = step.id
            if pathway.step(new_id) is not None or new_id in taken:
                new_id = pathway.new_id(copy_id_base(step.id, existing), taken)
            taken.add(new_id)
            mapping[step.id] = new_id
            # a copy beside its original is told apart by name too: "X (copy)"
            name = copy_name(step.name, names)
            names.add(name)
            update: dict[str, Any] = {"id": new_id, "name": name}
            if step.position is not None:
                update["position"] = (round(step.position[0] + offset[0], 1),
                                      round(step.position[1] + offset[1], 1))
            if fallback_setting and pathway.setting(step.setting or "") is None:
                update["setting"] = fallback_setting
            self.steps.append(step.model_copy(update=update))
        self.transitions: list[Transition] = []
        seen: set[str] = set()
        for t in transitions:
            if t.source not in mapping or t.target not in mapping:
                continue
            moved = t.model_copy(update={"source": mapping[t.source],
                                         "target": mapping[t.target]})
            if moved.key in seen or moved.source == moved.target:
                continue
            seen.add(moved.key)
            self.transitions.append(moved)
        super().__init__(pathway, f"Paste {plural(len(self.steps), 'step')}")
        self.pasted_ids = [s.id for s in self.steps]
        self.id_map = mapping

    def _do(self) -> None:
        for step in self.steps:
            self.pathway.add_step(step)
        for t in self.transitions:
            self.pathway.add_transition(t)

    def _undo(self) -> None:
        for t in reversed(self.transitions):
            self.pathway.remove_transition(t.key)
        for step in reversed(self.steps):
            self.pathway.remove_step(step.id)
