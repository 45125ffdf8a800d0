"""Shared helpers for the main-window tests: isolated settings, windows, modal answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication

from designer.graph.io import save_pathway


@pytest.fixture
def settings(tmp_path):
    """QSettings on an ini file in tmp: never the user's real settings."""
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, settings):
    """Build main windows; at the end they are closed without any prompt."""
    from designer.ui.window.main_window import MainWindow

    made = []

    def make(document=None, path: Path | None = None):
        from designer.ui.editing.document import Document

        if path is not None:
            document = Document.open(path)
        window = MainWindow(document, settings=settings)
        window.resize(1400, 900)
        window.show()
        qtbot.waitExposed(window)
        activate(qtbot, window)
        made.append(window)
        return window

    yield make
    for window in made:
        try:
            doc = window.document
            doc._forced_dirty = False
            doc.undo_stack.setClean()
            window.close()
            window.deleteLater()
        except RuntimeError:
            pass  # already deleted by the test


def activate(qtbot, window) -> None:
    """Make ``window`` the active window, so its keyboard shortcuts work."""
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


@pytest.fixture
def sample_file(tmp_path):
    from canvas_support import sample_pathway

    path = tmp_path / "sample.yaml"
    save_pathway(sample_pathway(), path)
    return path


def click_modal_button(text: str, attempts: int = 100, seen: list | None = None) -> None:
    """Click the button labelled ``text`` in the next modal dialog (with a real click)."""

    def act(left: int = attempts) -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            for button in box.findChildren(QAbstractButton):
                if button.text().replace("&", "") == text and button.isVisible():
                    if seen is not None:
                        seen.append(box.windowTitle())
                    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
                    return
        if left > 0:
            QTimer.singleShot(20, lambda: act(left - 1))

    QTimer.singleShot(0, act)
