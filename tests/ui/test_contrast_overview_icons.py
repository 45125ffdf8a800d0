"""High contrast reaches the overview map and the toolbar icons (issue 15).

Before: with View > High Contrast the canvas turned white on black but the
overview map kept its white ground and pastel lanes, and the toolbar kept the
style's stock pictures (a dark blue disk, grey arrows) on black.
Contrast is measured as WCAG 2 defines it, from the pixels drawn.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from window_support import make_window, settings  # noqa: F401 (fixtures)
from wcag import contrast  # WCAG written out for the tests, not the product's formula

ERAS = "pathway_library/eras-plus-colorectal.yaml"
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier


def icon_contrast(action, background: QColor) -> float:
    """Contrast of the icon's typical (median) opaque pixel against ``background``."""
    image = action.icon().pixmap(24, 24).toImage()
    ratios = []
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200:
                ratios.append(contrast(pixel, background))
    assert ratios, action.text()
    ratios.sort()
    return ratios[len(ratios) // 2]


def _window(make_window, qtbot):
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    window = make_window(path=root / ERAS)
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)  # 100%
    qtbot.waitUntil(window.view.minimap.isVisible)
    return window


def _toolbar_actions(window):
    a = window.act
    return [a.new, a.open, a.save, a.undo, a.redo, a.delete, a.find]


def test_high_contrast_toolbar_icons_stand_out_and_follow_back(make_window, qtbot):
    window = _window(make_window, qtbot)
    toggle = window.extension("contrast").action
    if toggle.isChecked():
        toggle.trigger()
    ground = window.toolbar.palette().color(QPalette.ColorRole.Button)
    for action in _toolbar_actions(window):
        assert icon_contrast(action, ground) >= 4.5, action.text()

    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)         # View > High Contrast
    assert toggle.isChecked()
    black = QColor("#000000")
    for action in _toolbar_actions(window):
        assert icon_contrast(action, black) >= 7.0, action.text()

    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)
    assert not toggle.isChecked()
    # the window is back in its usual colours too (it kept the black palette before)
    assert window.palette().color(QPalette.ColorRole.Window).lightness() > 150
    assert window.palette().color(QPalette.ColorRole.ButtonText).lightness() < 100
    for action in _toolbar_actions(window):
        assert icon_contrast(action, ground) >= 4.5, action.text()


def test_toolbar_icons_follow_a_dark_system_palette(make_window, qtbot):
    window = _window(make_window, qtbot)
    dark = QPalette(window.palette())
    for role, colour in ((QPalette.ColorRole.Button, "#202124"),
                         (QPalette.ColorRole.ButtonText, "#e8eaed"),
                         (QPalette.ColorRole.Window, "#202124"),
                         (QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QColor(colour))
    window.setPalette(dark)
    for action in _toolbar_actions(window):
        assert icon_contrast(action, QColor("#202124")) >= 7.0, action.text()


def _colours(widget):
    image = widget.grab().toImage()
    counts: dict[str, int] = {}
    for y in range(image.height()):
        for x in range(image.width()):
            name = image.pixelColor(x, y).name()
            counts[name] = counts.get(name, 0) + 1
    return counts, image.width() * image.height()


def test_the_overview_map_follows_high_contrast(make_window, qtbot):
    window = _window(make_window, qtbot)
    toggle = window.extension("contrast").action
    if toggle.isChecked():
        toggle.trigger()
    minimap = window.view.minimap
    qtbot.wait(500)
    counts, total = _colours(minimap)
    pastel = sum(n for c, n in counts.items()
                 if QColor(c).saturation() > 20 and QColor(c).lightness() > 180)
    assert pastel > total * 0.2            # the lanes' colours in the usual look

    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)
    counts, total = _colours(minimap)
    hc = {"#000000", "#ffffff", "#ffff00"}
    assert sum(n for c, n in counts.items() if c in hc) >= total * 0.95, counts
    assert counts.get("#000000", 0) > total * 0.5       # a black ground
    assert counts.get("#ffff00", 0) > 0                 # the visible area in yellow
