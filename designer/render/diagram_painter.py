"""Drawing a laid-out pathway with a QPainter: lanes, steps, arrows, badges, legend.

Used by :mod:`designer.export.diagram`, which sets up the device (a QImage for
PNG, a QSvgGenerator for SVG). Colours come from :mod:`designer.render.style`,
positions and curves from :mod:`designer.render.diagram_layout`, which the
canvas shares, so text breaks the same way on screen and on paper.
QtGui only, never QtWidgets.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPen, QPolygonF

from designer.graph import geometry, routing
from designer.graph.model import Step, StepKind, Transition
from designer.render import style
from designer.render.diagram_layout import Box, Layout, caption_side
from designer.render.shapes import arrow_head, text_area
from designer.render.text import StepText, font, step_text, whole_lines, wrap_text
from designer.graph.vocabulary import SETTING_KIND_LABELS, SEVERITY_LABELS, days

_SEVERITY_ORDER = ("error", "warning", "info")
LEGEND_GAP = 10.0         # between the lowest lane and the legend row
LEGEND_HEIGHT = 30.0
_LEGEND_SYMBOL = 34.0


@dataclass(frozen=True)
class _Severity:
    """Stands in for a finding when the legend draws a badge of one severity."""

    severity: str


# ------------------------------------------------------------------ painting


def _findings_by_target(report) -> dict[str, list]:
    found: dict[str, list] = {}
    for finding in getattr(report, "findings", None) or ():
        for target in finding.targets:
            found.setdefault(target, []).append(finding)
    return found


def _worst(findings: list) -> str:
    return min((f.severity for f in findings),
               key=lambda s: _SEVERITY_ORDER.index(s) if s in _SEVERITY_ORDER else 9)


class DiagramPainter:
    """Draws one laid-out pathway with a QPainter already set up on a device."""

    def __init__(self, painter: QPainter, layout: Layout, report=None):
        self.p = painter
        self.lay = layout
        self.report = report
        self.findings = _findings_by_target(report)
        self.name_font, self.small_font = font(style.FONT_SIZE), font(style.SMALL_FONT_SIZE)
        self.lane_font = font(style.LANE_FONT_SIZE, bold=True)
        #: Rectangles holding text or badges, each with whether it is a step, so a
        #: page cut can pass between them.
        self.occupied: list[tuple[QRectF, bool]] = []
        #: Where each transition's condition/wait card went (by transition key).
        self.label_rects: dict[str, QRectF] = {}
        self._words: dict[str, StepText] = {}
        self._by_step: dict[str, list[Transition]] | None = None

    def paint(self, legend: bool = False) -> None:
        """Draw the lanes, transitions, steps and badges; the legend below when asked."""
        self.p.fillRect(QRectF(0, 0, self.lay.width, self.lay.height), QColor("#ffffff"))
        self._lanes()
        for t in self.lay.pathway.transitions:
            self._transition(t)
        for box in self.lay.boxes.values():
            self._step(box)
        self._transition_decorations()
        if legend:
            self._legend(self.lay.height + LEGEND_GAP)

    # legend ----------------------------------------------------------------
    def paint_legend(self, top: float = 0.0) -> None:
        """Only the legend row (the key to shapes and badges), its top at ``top``."""
        self._legend(top)

    def _legend_entries(self) -> list[tuple[str, str]]:
        entries = [("entry", "Start or end"), ("task", "Step"), ("decision", "Decision"),
                   ("wait", "Wait"), ("handoff-ok", "Handoff complete"),
                   ("handoff-bad", "Handoff incomplete or missing")]
        if self.report is not None:
            entries += list(SEVERITY_LABELS.items())
        return entries + [("time", "Time runs left to right")]

    def legend_width(self) -> float:
        """Width the legend row needs (the picture is widened to hold it)."""
        metrics = QFontMetricsF(self.small_font)
        return sum(_LEGEND_SYMBOL + 6 + metrics.horizontalAdvance(label) + 22
                   for _kind, label in self._legend_entries())

    def _legend(self, top: float) -> None:
        p, metrics = self.p, QFontMetricsF(self.small_font)
        mid, x = top + LEGEND_HEIGHT / 2, 0.0
        for kind, label in self._legend_entries():
            box = QRectF(x, mid - 10, _LEGEND_SYMBOL, 20)
            p.setPen(QPen(QColor(style.STEP_BORDER), 2.0 if kind == "entry" else 1.2))
            p.setBrush(QColor("#ffffff"))
            if kind == "entry":
                p.drawRoundedRect(box, 10, 10)
            elif kind == "task":
                p.drawRoundedRect(box, 3, 3)
            elif kind == "decision":
                c = box.center()
                p.drawPolygon(QPolygonF([QPointF(c.x(), box.top()), QPointF(box.right(), c.y()),
                                         QPointF(c.x(), box.bottom()), QPointF(box.left(), c.y())]))
            elif kind == "wait":
                p.drawRoundedRect(box, 6, 6)
                p.save()
                p.translate(box.center())
                p.scale(0.7, 0.7)
                self._hourglass(QPointF(0, 0))
                p.restore()
            elif kind.startswith("handoff"):
                self._handoff_badge(box.center(), kind == "handoff-ok")
            elif kind == "time":
                p.setPen(QPen(QColor(style.EDGE_COLOUR), 1.4))
                p.drawLine(QPointF(box.left(), mid), QPointF(box.right() - 6, mid))
                p.setPen(Qt.NoPen)
                p.setBrush(QColor(style.EDGE_COLOUR))
                p.drawPolygon(QPolygonF([QPointF(box.right(), mid),
                                         QPointF(box.right() - 8, mid - 4),
                                         QPointF(box.right() - 8, mid + 4)]))
            else:                                   # a finding severity
                self._count_badge(box.center(), [_Severity(kind)])
            p.setPen(QColor(style.MUTED_TEXT))
            p.setFont(self.small_font)
            width = metrics.horizontalAdvance(label) + 2
            p.drawText(QRectF(box.right() + 6, mid - 10, width, 20),
                       Qt.AlignLeft | Qt.AlignVCenter, label)
            x = box.right() + 6 + width + 20

    # lanes -----------------------------------------------------------------
    def _lanes(self) -> None:
        p, width = self.p, self.lay.width
        header_w = geometry.LANE_HEADER_WIDTH
        for band in self.lay.bands:
            setting = self.lay.pathway.setting(band.setting_id)
            if setting is not None:
                fill, head, ink = style.lane_colours(setting.kind)
                name, kind = setting.name, SETTING_KIND_LABELS.get(setting.kind, "")
                kind = kind.upper()
            else:
                fill, head, ink = "#f7f7f7", "#e0e0e0", style.MUTED_TEXT
                name, kind = "No lane set", "Steps with a missing or unknown setting"
            p.fillRect(QRectF(0, band.top, width, band.height), QColor(fill))
            p.fillRect(QRectF(0, band.top, header_w, band.height), QColor(head))
            p.setPen(QPen(QColor("#b0bec5"), 1))
            p.drawLine(QPointF(0, band.bottom), QPointF(width, band.bottom))
            p.drawLine(QPointF(header_w, band.top), QPointF(header_w, band.bottom))
            inner = header_w - 24
            p.setPen(QColor(ink))
            p.setFont(self.lane_font)
            small = QFontMetricsF(self.small_font)
            line_h = QFontMetricsF(self.lane_font).height()
            # as on the canvas: fewer name lines in short lanes, clear of the band's foot
            room = max(1, int((band.height - 28 - small.height() * 2) // line_h))
            lines = wrap_text(name, QFontMetricsF(self.lane_font), inner, min(3, room))
            y = band.top + 14
            for line in lines:
                p.drawText(QRectF(12, y, inner, line_h), Qt.AlignLeft | Qt.AlignVCenter, line)
                y += line_h
            p.setFont(self.small_font)
            p.setOpacity(0.8)
            y += 4
            for line in wrap_text(kind, small, inner, 2):
                p.drawText(QRectF(12, y, inner, small.height()),
                           Qt.AlignLeft | Qt.AlignVCenter, line)
                y += small.height()
            p.setOpacity(1.0)
        p.setPen(QPen(QColor("#90a4ae"), 1))
        p.setBrush(Qt.NoBrush)
        p.drawRect(QRectF(0, 0, width, self.lay.height))

    # steps -----------------------------------------------------------------
    def _step(self, box: Box) -> None:
        p, step, r = self.p, box.step, box.rect
        p.setBrush(QColor(style.step_fill(step.activity)))
        p.setPen(QPen(QColor(style.STEP_BORDER), 2.0 if step.kind in (
            StepKind.entry, StepKind.exit) else 1.2))
        if step.kind in (StepKind.entry, StepKind.exit):
            p.drawRoundedRect(r, r.height() / 2, r.height() / 2)
        elif step.kind is StepKind.decision:
            p.drawPolygon(QPolygonF([QPointF(box.cx, r.top()), QPointF(r.right(), box.cy),
                                     QPointF(box.cx, r.bottom()), QPointF(r.left(), box.cy)]))
        elif step.kind is StepKind.wait:
            p.drawRoundedRect(r, 10, 10)
            self._hourglass(QPointF(r.left() + 16, box.cy))
        else:
            p.drawRoundedRect(r, 5, 5)
        self._step_text(box)
        self.occupied.append((r, True))
        found = self.findings.get(step.id)
        if found:
            self._count_badge(QPointF(r.right() - 4, r.top() + 4), found)

    def _hourglass(self, c: QPointF) -> None:
        p = self.p
        p.save()
        p.setPen(QPen(QColor(style.STEP_BORDER), 1.4))
        p.setBrush(QColor("#fff8e1"))
        top, bottom, half = c.y() - 11, c.y() + 11, 6.5
        p.drawPolygon(QPolygonF([QPointF(c.x() - half, top), QPointF(c.x() + half, top),
                                 QPointF(c.x(), c.y()), QPointF(c.x() + half, bottom),
                                 QPointF(c.x() - half, bottom), QPointF(c.x(), c.y())]))
        p.setBrush(QColor(style.STEP_BORDER))
        p.drawPolygon(QPolygonF([QPointF(c.x() - 3.5, bottom - 1), QPointF(c.x() + 3.5, bottom - 1),
                                 QPointF(c.x(), bottom - 5)]))
        p.restore()

    def step_words(self, step: Step) -> StepText:
        """The step's lines as the canvas shows them (designer.render.text.step_text)."""
        words = self._words.get(step.id)
        if words is None:
            role = self.lay.pathway.role(step.owner) if step.owner else None
            owner = role.name if role else (step.owner or "")
            words = step_text(step.kind, step.name, owner, QFontMetricsF(self.name_font),
                              QFontMetricsF(self.small_font))
            self._words[step.id] = words
        return words

    def _step_text(self, box: Box) -> None:
        p, words = self.p, self.step_words(box.step)
        area = text_area(box.step.kind).translated(box.cx, box.cy)
        y = box.cy + words.top
        p.setPen(QColor(style.TEXT))
        p.setFont(self.name_font)
        for line in words.name:
            p.drawText(QRectF(area.left(), y, area.width(), words.line_height),
                       Qt.AlignHCenter | Qt.AlignVCenter, line)
            y += words.line_height
        p.setPen(QColor(style.MUTED_TEXT))
        p.setFont(self.small_font)
        for line in words.owner:
            p.drawText(QRectF(area.left(), y, area.width(), words.small_height),
                       Qt.AlignHCenter | Qt.AlignVCenter, line)
            y += words.small_height
        caption = self.caption_rect(box, words)
        if caption is not None:
            self.occupied.append((caption, True))
            y = caption.top()
            for line in words.caption:
                p.drawText(QRectF(caption.left(), y, caption.width(), words.small_height),
                           Qt.AlignHCenter | Qt.AlignVCenter, line)
                y += words.small_height

    def caption_rect(self, box: Box, words: StepText | None = None) -> QRectF | None:
        """Where a decision's owner caption goes under its diamond: centred, or aside
        of the bottom corner when an arrow leaves or enters there (as on the canvas)."""
        if box.step.kind is not StepKind.decision:
            return None
        words = words if words is not None else self.step_words(box.step)
        if not words.caption:
            return None
        if self._by_step is None:
            self._by_step = {}
            for t in self.lay.pathway.transitions:
                self._by_step.setdefault(t.source, []).append(t)
                if t.target != t.source:
                    self._by_step.setdefault(t.target, []).append(t)
        metrics = QFontMetricsF(self.small_font)
        width = max(metrics.horizontalAdvance(line) for line in words.caption) + 2
        height = words.small_height * len(words.caption)
        side = caption_side(box.step.id, self.lay.routes, self._by_step.get(box.step.id, ()))
        left = {"left": box.cx - 8.0 - width, "right": box.cx + 8.0}.get(
            side, box.cx - width / 2)
        return QRectF(left, box.cy + box.h / 2 + 2, width, height)

    # transitions -------------------------------------------------------------
    def _ends(self, t: Transition) -> tuple[Box, Box] | None:
        a, b = self.lay.boxes.get(t.source), self.lay.boxes.get(t.target)
        return (a, b) if a is not None and b is not None else None

    def _transition(self, t: Transition) -> None:
        ends = self._ends(t)
        if ends is None:
            return
        path = self.lay.paths[t.key]
        p = self.p
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(QColor(style.EDGE_COLOUR), 1.4))
        p.drawPath(path)
        p.setPen(Qt.NoPen)
        p.setBrush(QColor(style.EDGE_COLOUR))
        p.drawPolygon(arrow_head(path))

    def _transition_decorations(self) -> None:
        """Condition labels, handoff and finding badges, each on its own arrow
        (placed by :func:`designer.graph.routing.place_labels`: clear of steps,
        of each other and of other arrows)."""
        wanted: list[routing.Label] = []
        texts: dict[str, list] = {}
        complete: dict[str, bool] = {}
        found_by: dict[str, list] = {}
        for t in self.lay.pathway.transitions:
            ends = self._ends(t)
            if ends is None or t.key not in self.lay.routes:
                continue
            a, b = ends
            label = [t.condition] if t.condition else []
            if t.wait_days:
                label.append(f"wait {days(t.wait_days)}")
            if label:
                # as wide as fits, or wrapped narrower where the arrow is short
                wraps = whole_lines([self._wrap_label(label, bool(t.condition), width)
                                     for width in (128.0, 84.0, 64.0)])
                texts[t.key] = wraps
                wanted.append(routing.Label(t.key, wraps[0][0], wraps[0][1],
                                            0.0 if t.condition else 0.5,
                                            others=tuple((w, h) for w, h, _ in wraps[1:])))
            if a.step.setting != b.step.setting or t.handoff is not None:
                complete[t.key] = t.handoff is not None and t.handoff.is_complete()
                wanted.append(routing.Label(t.key, 24, 16, 0.66 if label else 0.5, True,
                                            "handoff"))
            found = self.findings.get(t.key)
            if found:
                found_by[t.key] = found
                wanted.append(routing.Label(t.key, 18, 18, 0.84, True, "findings"))
        picture = (geometry.LANE_HEADER_WIDTH, 0.0, self.lay.width, self.lay.height)
        captions = [(r.left(), r.top(), r.right(), r.bottom()) for r in (
            self.caption_rect(box) for box in self.lay.boxes.values()) if r is not None]
        places = routing.place_labels(self.lay.routes, self.lay.nodes.values(), wanted,
                                      keep_clear=captions, bounds=picture)
        for (key, name), (left, top, right, bottom) in places.items():
            rect = QRectF(left, top, right - left, bottom - top)
            if name == "label":
                # the wrapping whose size was taken
                _w, _h, lines = min(texts[key], key=lambda wrap: abs(wrap[0] - rect.width())
                                    + abs(wrap[1] - rect.height()))
                self._draw_label(rect, lines)
                self.label_rects[key] = rect
            elif name == "handoff":
                self._handoff_badge(rect.center(), complete[key])
            else:
                self._count_badge(rect.center(), found_by[key])

    def _wrap_label(self, lines: list[str], first_is_condition: bool, width: float
                    ) -> tuple[float, float, list[tuple[str, bool]]]:
        """A label's wrapped lines (condition first, muted wait after) and its size."""
        m = QFontMetricsF(self.small_font)
        texts: list[tuple[str, bool]] = []
        for index, line in enumerate(lines):
            muted = not (first_is_condition and index == 0)
            for part in wrap_text(line, m, width - 10, 2 if muted else 4):
                texts.append((part, muted))
        w = max(m.horizontalAdvance(t) for t, _ in texts) + 10
        return w, m.height() * len(texts) + 4, texts

    def _draw_label(self, rect: QRectF, texts: list[tuple[str, bool]]) -> None:
        p, m = self.p, QFontMetricsF(self.small_font)
        self.occupied.append((rect, False))
        p.setPen(QPen(QColor("#b0bec5"), 0.8))
        p.setBrush(QColor(255, 255, 255, 235))
        p.drawRoundedRect(rect, 3, 3)
        p.setFont(self.small_font)
        y = rect.top() + 2
        for text, muted in texts:
            p.setPen(QColor(style.MUTED_TEXT if muted else style.TEXT))
            p.drawText(QRectF(rect.left(), y, rect.width(), m.height()), Qt.AlignCenter, text)
            y += m.height()

    def _handoff_badge(self, at: QPointF, complete: bool) -> None:
        p = self.p
        colour = QColor(style.HANDOFF_OK if complete else style.HANDOFF_INCOMPLETE)
        rect = QRectF(at.x() - 12, at.y() - 8, 24, 16)
        self.occupied.append((rect, False))
        p.setPen(QPen(QColor("#ffffff"), 1.2))
        p.setBrush(colour)
        p.drawRoundedRect(rect, 8, 8)
        # two opposed arrows: information passing between settings
        p.setPen(QPen(QColor("#ffffff"), 1.3))
        p.setBrush(QColor("#ffffff"))
        y1, y2, x0, x1 = at.y() - 2.5, at.y() + 2.5, at.x() - 6, at.x() + 6
        p.drawLine(QPointF(x0, y1), QPointF(x1 - 1, y1))
        p.drawPolygon(QPolygonF([QPointF(x1 + 1, y1), QPointF(x1 - 2.5, y1 - 2.5),
                                 QPointF(x1 - 2.5, y1 + 2.5)]))
        p.drawLine(QPointF(x0 + 1, y2), QPointF(x1, y2))
        p.drawPolygon(QPolygonF([QPointF(x0 - 1, y2), QPointF(x0 + 2.5, y2 - 2.5),
                                 QPointF(x0 + 2.5, y2 + 2.5)]))

    def _count_badge(self, at: QPointF, findings: list) -> None:
        p = self.p
        self.occupied.append((QRectF(at.x() - 9, at.y() - 9, 18, 18), False))
        p.setPen(QPen(QColor("#ffffff"), 1.5))
        p.setBrush(QColor(style.SEVERITY_COLOURS.get(_worst(findings), style.MUTED_TEXT)))
        p.drawEllipse(at, 9, 9)
        p.setFont(font(style.SMALL_FONT_SIZE, bold=True))
        p.setPen(QColor("#ffffff"))
        p.drawText(QRectF(at.x() - 9, at.y() - 9, 18, 18), Qt.AlignCenter,
                   str(len(findings)) if len(findings) < 10 else "9+")
