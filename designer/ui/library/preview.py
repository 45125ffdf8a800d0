"""The library browser's preview parts: list rows, the loaded preview, its HTML.

Kept apart from the dialog so each module has one job. Every text shown comes
from a pathway file, so the HTML escapes it.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPalette, QPixmap
from PySide6.QtWidgets import QStyle, QStyledItemDelegate

from designer.library import Library, LibraryEntry, LibraryError

SUBTITLE_ROLE = Qt.ItemDataRole.UserRole + 1
PAD = 6


@dataclass(frozen=True)
class Preview:
    """What the preview shows beyond the header: picture, size, or why it cannot open."""

    picture: QPixmap | None
    size: str | None
    error: str | None = None


def load_preview(library: Library, entry: LibraryEntry) -> Preview:
    """Load the whole pathway once: its size, a small picture, or the load error."""
    try:
        pathway = library.load(entry)
    except LibraryError as exc:
        return Preview(None, None, str(exc))
    handoffs = sum(1 for t in pathway.transitions if t.handoff is not None)
    size = (f"{len(pathway.steps)} steps · {len(pathway.settings)} lanes · "
            f"{handoffs} handoffs")
    try:
        from designer.export.diagram import render_png

        data = render_png(pathway, scale=0.5)
    except Exception:  # the picture is optional: never let it break browsing
        return Preview(None, size)
    pixmap = QPixmap()
    return Preview(pixmap if pixmap.loadFromData(data) else None, size)


class EntryDelegate(QStyledItemDelegate):
    """A list row: the title in bold (wrapped), then where it comes from, in grey."""

    def _fonts(self, option) -> tuple[QFont, QFont]:
        bold = QFont(option.font)
        bold.setBold(True)
        small = QFont(option.font)
        small.setPointSizeF(max(7.0, option.font.pointSizeF() - 1))
        return bold, small

    def _width(self, option) -> int:
        view = self.parent()
        width = view.viewport().width() if view is not None else option.rect.width()
        return max(120, width - 2 * PAD)

    def sizeHint(self, option, index) -> QSize:  # noqa: N802 - Qt override
        bold, small = self._fonts(option)
        width = self._width(option)
        flags = Qt.TextFlag.TextWordWrap
        title = QFontMetrics(bold).boundingRect(QRect(0, 0, width, 10_000), flags,
                                                index.data() or "")
        sub = QFontMetrics(small).boundingRect(QRect(0, 0, width, 10_000), flags,
                                               index.data(SUBTITLE_ROLE) or "")
        return QSize(width, title.height() + sub.height() + 3 * PAD)

    def paint(self, painter, option, index) -> None:
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter,
                              option.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        text_role = (QPalette.ColorRole.HighlightedText if selected
                     else QPalette.ColorRole.Text)
        bold, small = self._fonts(option)
        rect = option.rect.adjusted(PAD, PAD, -PAD, -PAD)
        flags = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft
        painter.save()
        painter.setFont(bold)
        painter.setPen(palette.color(text_role))
        used = painter.boundingRect(rect, flags, index.data() or "")
        painter.drawText(rect, flags, index.data() or "")
        painter.setFont(small)
        if not selected:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(rect.adjusted(0, used.height() + PAD // 2, 0, 0), flags,
                         index.data(SUBTITLE_ROLE) or "")
        painter.restore()


def preview_html(entry: LibraryEntry, size: str | None = None,
                 error: str | None = None) -> str:
    """The text preview of an entry (escaped: every field is user text)."""
    e = html.escape
    facts = [("Population", entry.population), ("Organisation", entry.organisation),
             ("Specialties", ", ".join(entry.specialties)), ("Tags", ", ".join(entry.tags)),
             ("Rule packs", ", ".join(entry.rule_packs)), ("Size", size or ""),
             ("Version", " · ".join(x for x in (entry.version, entry.status,
                                                entry.origin) if x))]
    if entry.derived_from:
        facts.append(("Derived from", f"{entry.derived_from.get('id', '')} "
                                      f"{entry.derived_from.get('version', '')}"))
    rows = "".join(f"<tr><td style='color:#555;padding-right:10px'>{e(k)}</td>"
                   f"<td>{e(v)}</td></tr>" for k, v in facts if v)
    parts = [f"<h2 style='margin:0'>{e(entry.title)}</h2>"]
    if error:
        parts.append(f"<p style='color:#a4262c'><b>This pathway cannot be opened.</b> "
                     f"{e(error)}</p>")
    parts.append(f"<table style='margin-top:6px'>{rows}</table>")
    if entry.summary:
        parts.append(f"<p>{e(entry.summary)}</p>")
    if entry.evidence:
        items = []
        for ev in entry.evidence:
            source = e(ev.source)
            link = (f"<a href='{source}'>{source}</a>"
                    if ev.source.startswith(("http://", "https://")) else source)
            weak = (" <b style='color:#8a4b00'>(weak evidence)</b>" if ev.weak else "")
            note = f"<br/><i>{e(ev.note)}</i>" if ev.note else ""
            items.append(f"<li>{e(ev.claim)}{weak}<br/><small>{link}</small>{note}</li>")
        parts.append(f"<h3>Evidence ({len(entry.evidence)})</h3><ul>{''.join(items)}</ul>")
    else:
        parts.append("<p><i>No evidence is listed for this pathway.</i></p>")
    return "".join(parts)
