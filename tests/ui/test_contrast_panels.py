"""High contrast reaches the palette, findings and timeline panels (issue 15).

Before: with View > High Contrast the palette's step icons kept their pastel
fills and dark grey borders (about 2:1 on black), the findings' severities were
the same dot in three colours (told apart by colour alone), and the timeline's
critical-path "Yes" stayed red (about 4.1:1 on black, under 4.5:1 for text).
Contrast is measured as WCAG 2 defines it, from the pixels drawn; the sums are
written out again here rather than taken from the code under test.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette

from window_support import make_window, settings  # noqa: F401 (fixtures)
from wcag import contrast  # WCAG written out for the tests, not the product's formula

ERAS = Path(__file__).resolve().parents[2] / "pathway_library/eras-plus-colorectal.yaml"
CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
BLACK = QColor("#000000")


def _window(make_window, qtbot, high: bool):
    window = make_window(path=ERAS)
    toggle = window.extension("contrast").action
    if toggle.isChecked():
        toggle.trigger()
    if high:
        window.view.setFocus()
        qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)    # View > High Contrast
        assert toggle.isChecked()
    return window


def _palette_widget(window):
    from designer.ui.panels.palette import PaletteWidget
    return window.findChild(PaletteWidget)


def _entries(palette):
    return [palette.entry(label) for label in ("Task", "Decision", "Wait", "Start of pathway",
                                               "Surgery", "Prehabilitation")
            if palette.entry(label) is not None]


def _outline_contrast(image, ground: QColor) -> float:
    """Median contrast against ``ground`` of each row's outermost opaque pixel
    (the shape's edge, which must stand 3:1 against what is around it)."""
    ratios = []
    for y in range(image.height()):
        for x in range(image.width()):
            pixel = image.pixelColor(x, y)
            if pixel.alpha() > 200:
                ratios.append(contrast(pixel, ground))
                break
    assert ratios
    ratios.sort()
    return ratios[len(ratios) // 2]


def _pastel(image) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixelColor(x, y).alpha() > 200
               and image.pixelColor(x, y).saturation() > 20
               and image.pixelColor(x, y).lightness() > 150)


def test_palette_icons_follow_high_contrast_and_back(make_window, qtbot):
    window = _window(make_window, qtbot, high=False)
    palette = _palette_widget(window)
    entries = _entries(palette)
    assert len(entries) >= 5
    white = palette.palette().color(QPalette.ColorRole.Base)
    for item in entries:
        image = item.icon(0).pixmap(28, 20).toImage()
        assert _outline_contrast(image, white) >= 3.0, item.text(0)
    assert _pastel(palette.entry("Surgery").icon(0).pixmap(28, 20).toImage()) > 0

    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)         # on
    for item in entries:
        image = item.icon(0).pixmap(28, 20).toImage()
        assert _outline_contrast(image, BLACK) >= 3.0, item.text(0)
        assert _pastel(image) == 0, item.text(0)

    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)         # off again
    assert _pastel(palette.entry("Surgery").icon(0).pixmap(28, 20).toImage()) > 0


def _mask(icon) -> set[tuple[int, int]]:
    image = icon.pixmap(14, 14).toImage()
    return {(x, y) for y in range(image.height()) for x in range(image.width())
            if image.pixelColor(x, y).alpha() > 128}


def test_severities_differ_in_shape_not_only_colour():
    from designer.ui.panels.findings import severity_icon

    for dark in (False, True):
        masks = {s: _mask(severity_icon(s, True) if dark else severity_icon(s)) for s in ("error", "warning", "info",
                                                             "waived")}
        names = list(masks)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                # at least a tenth of the larger mark differs between two severities
                differ = len(masks[a] ^ masks[b])
                assert differ >= 0.1 * max(len(masks[a]), len(masks[b])), (a, b, dark)


def test_findings_icons_follow_high_contrast(make_window, qtbot):
    window = _window(make_window, qtbot, high=True)
    model = window.findings_dock.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    for row in range(model.rowCount()):
        icon = model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole)
        if icon is None:
            continue
        image = icon.pixmap(14, 14).toImage()
        opaque = [image.pixelColor(x, y) for y in range(14) for x in range(14)
                  if image.pixelColor(x, y).alpha() > 200]
        assert opaque
        assert min(contrast(c, BLACK) for c in opaque) >= 3.0


def _cell_contrast(table, row: int, column: int) -> float:
    """Highest contrast of any pixel in the cell against the cell's own ground
    (the text's core pixels; the ground is the cell's most common colour)."""
    rect = table.visualRect(table.model().index(row, column))
    image = table.viewport().grab(rect.adjusted(1, 1, -1, -1)).toImage()
    counts: dict[str, int] = {}
    pixels = [image.pixelColor(x, y) for y in range(image.height())
              for x in range(image.width())]
    for p in pixels:
        counts[p.name()] = counts.get(p.name(), 0) + 1
    ground = QColor(max(counts, key=counts.get))
    return max(contrast(p, ground) for p in pixels)


def test_timeline_critical_text_reads_in_high_contrast(make_window, qtbot):
    window = _window(make_window, qtbot, high=False)
    dock = window.timeline_dock
    dock.show()
    dock.raise_()
    model = dock.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10000)
    rows = [r for r in range(model.rowCount())
            if model.data(model.index(r, 4)) == "Yes"]
    assert rows
    table = dock.table
    table.scrollTo(model.index(rows[0], 4))
    qtbot.waitUntil(table.isVisible)
    normal = _cell_contrast(table, rows[0], 4)
    assert normal >= 4.5
    qtbot.keyClick(window.view, Qt.Key.Key_H, CTRL_ALT)
    qtbot.wait(50)
    assert _cell_contrast(table, rows[0], 4) >= 4.5
