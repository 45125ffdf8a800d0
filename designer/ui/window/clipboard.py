"""Cut, copy, paste, duplicate and select all.

Copied steps travel as a small YAML fragment in the pathway format (the steps
and the transitions between them), as plain text on the system clipboard, so
they can be pasted into another designer window or read in a text editor.
Pasting gives fresh ids where the ids are already taken and shifts the copies
so they do not sit on top of the originals.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from designer.graph.fragment import fragment_text, parse_fragment
from designer.graph.vocabulary import plural

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.window.main_window import MainWindow

PASTE_OFFSET = (40.0, 30.0)


class ClipboardCommands:
    """Edit menu behaviour for ``window``."""

    def __init__(self, window: "MainWindow") -> None:
        self.window = window

    def _selected_steps(self) -> list[str]:
        return self.window.selected_split()[0]

    def copy(self) -> bool:
        steps = self._selected_steps()
        if not steps:
            self.window.statusBar().showMessage("Select one or more steps to copy.", 4000)
            return False
        text = fragment_text(self.window.document.pathway, steps)
        QApplication.clipboard().setText(text)
        count = len(steps)
        self.window.statusBar().showMessage(
            f"Copied {plural(count, 'step')}.", 3000)
        return True

    def cut(self) -> bool:
        from designer.ui.commands import RemoveItemsCommand

        steps, transitions = self.window.selected_split()
        if not steps or not self.copy():
            return False
        editor = self.window.editor
        command = editor.build(RemoveItemsCommand, steps, transitions)
        if command is None:   # refused (the editor said why): never half-cut
            return False
        command.setText("Cut " + command.text().removeprefix("Delete "))
        editor.push_command(command)
        return True

    def paste(self) -> bool:
        return self.paste_text(QApplication.clipboard().text())

    def paste_text(self, text: str, offset: tuple[float, float] | None = None) -> bool:
        from designer.ui.commands import PasteCommand

        window = self.window
        pathway = window.document.pathway
        try:
            steps, transitions = parse_fragment(text or "")
        except ValueError as exc:
            window.statusBar().showMessage(str(exc), 6000)
            return False
        if offset is None:
            clash = any(pathway.step(s.id) is not None for s in steps)
            offset = PASTE_OFFSET if clash else (0.0, 0.0)
        fallback = pathway.settings[0].id if pathway.settings else None
        command = window.editor.push(PasteCommand, steps, transitions, offset=offset,
                                     fallback_setting=fallback)
        if command is None:   # refused: the editor said why
            return False
        window.scene.select_ids(command.pasted_ids)
        count = len(command.pasted_ids)
        window.statusBar().showMessage(
            f"Pasted {plural(count, 'step')}.", 3000)
        return True

    def duplicate(self) -> bool:
        steps = self._selected_steps()
        if not steps:
            self.window.statusBar().showMessage("Select one or more steps to duplicate.", 4000)
            return False
        text = fragment_text(self.window.document.pathway, steps)
        return self.paste_text(text, offset=PASTE_OFFSET)

    def select_all(self) -> None:
        pathway = self.window.document.pathway
        ids = [s.id for s in pathway.steps] + [t.key for t in pathway.transitions]
        self.window.scene.select_ids(ids)
