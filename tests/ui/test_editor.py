"""The one edit API: push, report a refusal once (with the model's message), macros."""

from __future__ import annotations

from types import SimpleNamespace

from PySide6.QtGui import QUndoStack

from canvas_support import sample_pathway
from designer.graph.model import Transition
from designer.ui.commands import AddTransitionCommand, UpdateStepCommand
from designer.ui.commands.base import ModelCommand
from designer.ui.editing.edit import Editor


def _editor():
    doc = SimpleNamespace(pathway=sample_pathway(), undo_stack=QUndoStack())
    editor = Editor(lambda: doc)
    said = []
    editor.refused.connect(said.append)
    return editor, doc, said


def test_a_refused_command_is_reported_once_with_the_models_message(qtbot):
    editor, doc, said = _editor()
    existing = doc.pathway.transitions[0]
    assert editor.push(AddTransitionCommand, Transition(source=existing.source,
                                                        target=existing.target)) is None
    assert said == [f"there is already a transition {existing.key}"]
    assert editor.last_refusal == said[0] and doc.undo_stack.count() == 0


def test_a_command_the_model_refuses_while_applying_is_reported_too(qtbot):
    editor, doc, said = _editor()

    class LateRefusal(ModelCommand):
        def __init__(self, pathway):
            super().__init__(pathway, "late")

        def _do(self):
            self.pathway.remove_step("surgery")   # still has transitions: refused

        def _undo(self):
            pass

    assert editor.push(LateRefusal) is None
    assert len(said) == 1 and "still has transitions" in said[0]
    assert doc.undo_stack.count() == 0 and doc.pathway.step("surgery") is not None


def test_pushes_inside_a_macro_are_one_undo_step(qtbot):
    editor, doc, said = _editor()
    with editor.macro("Two changes"):
        assert editor.push(UpdateStepCommand, "prehab", {"duration_days": 3})
        assert editor.push(UpdateStepCommand, "surgery", {"name": "Operation"})
    assert doc.undo_stack.count() == 1 and said == []
    doc.undo_stack.undo()
    assert doc.pathway.step("surgery").name == "Surgery"
    assert doc.pathway.step("prehab").duration_days == 28
