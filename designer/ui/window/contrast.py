"""View > High Contrast: the window and the canvas in light-on-black, or as the system has it.

The choice is kept in the settings. With no choice made yet, a dark system palette
(a high-contrast or dark desktop theme) starts the canvas in high contrast, so the
pathway follows the colours the person has chosen for their desktop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QApplication

SETTING = "view/high_contrast"


def high_contrast_palette() -> QPalette:
    """White text on black, yellow selection, cyan links (the usual high-contrast set)."""
    black, white, yellow = QColor("#000000"), QColor("#ffffff"), QColor("#ffff00")
    p = QPalette()
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base,
                 QPalette.ColorRole.AlternateBase, QPalette.ColorRole.Button,
                 QPalette.ColorRole.ToolTipBase):
        p.setColor(role, black)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText, QPalette.ColorRole.ToolTipText,
                 QPalette.ColorRole.BrightText, QPalette.ColorRole.PlaceholderText):
        p.setColor(role, white)
    p.setColor(QPalette.ColorRole.Highlight, yellow)
    p.setColor(QPalette.ColorRole.HighlightedText, black)
    p.setColor(QPalette.ColorRole.Link, QColor("#00ffff"))
    for group in (QPalette.ColorGroup.Disabled,):
        for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                     QPalette.ColorRole.ButtonText):
            p.setColor(group, role, QColor("#c0c0c0"))
    return p


#: the window's style sheet in high contrast (the start-up frame uses it too)
STYLE_SHEET = (
    "QWidget { color: #ffffff; background-color: #000000; }"
    " QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QSpinBox,"
    " QDateEdit { border: 1px solid #ffffff; }"
    " QAbstractItemView { border: 1px solid #ffffff;"
    " alternate-background-color: #202020; }"
    " QLineEdit:focus, QComboBox:focus, QPlainTextEdit:focus, QTextEdit:focus,"
    " QAbstractItemView:focus, QPushButton:focus, QToolButton:focus,"
    " QGraphicsView:focus { border: 3px solid #ffff00; }"
    # a disabled control is dimmed (6:1 on black) and dashed, not white like the rest
    " QWidget:disabled { color: #8c8c8c; }"
    " QPushButton:disabled { border: 1px dashed #8c8c8c; padding: 3px 8px; }"
    " QMenuBar::item:selected, QMenu::item:selected,"
    " QAbstractItemView::item:selected { background: #ffff00; color: #000000; }")


def wanted(settings) -> bool:
    """Whether high contrast is on: as the settings keep it, else as dark as the system."""
    stored = settings.value(SETTING)
    return system_is_dark() if stored is None else str(stored).lower() in ("true", "1")


def system_is_dark() -> bool:
    palette = QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 100


class HighContrast:
    """The View > High Contrast toggle of one main window."""

    def __init__(self, window) -> None:
        self.window = window
        self._normal: QPalette | None = None
        on = wanted(window.settings)
        self.action = QAction("&High Contrast", window)
        self.action.setObjectName("action-high-contrast")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+Alt+H"))
        self.action.setStatusTip("Light lines and text on black, selection in yellow")
        self.action.setChecked(on)
        self.action.toggled.connect(self._toggled)
        window.menu_view.addSeparator()
        window.menu_view.addAction(self.action)
        window.addAction(self.action)
        window.document_changed.connect(self.apply)
        self.apply()

    @property
    def on(self) -> bool:
        return self.action.isChecked()

    def _toggled(self, on: bool) -> None:
        self.window.settings.setValue(SETTING, on)
        self.apply()

    def apply(self) -> None:
        """Canvas and window colours as the toggle says."""
        app = QApplication.instance()
        if self.on:
            if self._normal is None:
                self._normal = QPalette(app.palette())
            self.window.setPalette(high_contrast_palette())
            self.window.setStyleSheet(STYLE_SHEET)
        elif self._normal is not None:
            # the style sheet first: clearing it puts back the palette from before it
            # was set (the high-contrast one), so the usual palette must come after
            self.window.setStyleSheet("")
            self.window.setPalette(self._normal)
        view = self.window.view
        if view is not None:
            view.set_high_contrast(self.on)
        # the toolbar's line icons take the text colour now in force (the style sheet
        # above changes it without a palette event once it is cleared)
        icons = getattr(getattr(self.window, "act", None), "icons", None)
        if icons is not None:
            icons.apply()


def install(window) -> HighContrast:
    return HighContrast(window)
