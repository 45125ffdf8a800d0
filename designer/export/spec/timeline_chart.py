"""A Gantt-like chart of the pathway's timeline, drawn by hand for three outputs.

The chart is laid out once as simple shapes in points (:class:`ChartLayout`),
then written as SVG (HTML), as a reportlab ``Drawing`` (PDF) or as a PNG
(DOCX, through Pillow). One row per step in the order the patient meets them;
the bar runs from the step's expected start to its end; steps on the critical
path are red, the others blue; a step only some patients take (a decision's
branch others go round) is a pale bar edged in the same colour, and a step on an
optimisation loop an amber one; a dashed line marks the start of surgery and the
axis is labelled in days relative to it (``T-42``) when there is a surgery step.
The key explains every style the chart uses.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence
from xml.sax.saxutils import escape as _xml_escape

from reportlab.pdfbase.pdfmetrics import stringWidth

from designer.render.style import CRITICAL_PATH, MUTED_TEXT, TEXT

OTHER_BAR = "#005eb8"        # NHS blue
DETOUR_FILL = "#fff4d6"      # a step only some patients take (an optimisation loop)
DETOUR_EDGE = "#b36b00"
#: a step only some patients take (a decision sends the others round it): pale,
#: edged in the colour of its kind (red on the critical path, else blue)
IF_NEEDED_FILL = {True: "#fbe3e1", False: "#dce9f6"}
GRID = "#d8dde0"
ROW_HEIGHT = 14.0
BAR_HEIGHT = 9.0
FONT_SIZE = 7.5
AXIS_HEIGHT = 30.0
LEGEND_HEIGHT = 18.0
#: Rows per chart part; a long timeline is split so each part fits an A4 page.
ROWS_PER_PART = 42


@dataclass(frozen=True)
class Bar:
    """One row of the chart."""

    label: str
    start: float
    end: float
    critical: bool = False
    relative: str = ""
    detour: bool = False      # only patients sent round an optimisation loop
    if_needed: bool = False   # only some patients: a decision sends the others round it
    note: str = ""            # written beside the bar (what a trip round a loop costs)


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str | None = None


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float = 0.5
    dashed: bool = False


@dataclass(frozen=True)
class Text:
    x: float
    y: float          # baseline, from the top
    text: str
    size: float = FONT_SIZE
    colour: str = TEXT
    anchor: str = "start"   # start | middle | end
    bold: bool = False


@dataclass
class ChartLayout:
    """Shapes of one chart, in points with y growing downwards."""

    width: float
    height: float
    shapes: list[Rect | Line | Text] = field(default_factory=list)
    title: str = "Timeline"


#: Tick intervals in days: short spans in days, then weeks and multiples of 4 weeks,
#: which read better than tens of days on perioperative timescales.
_TICK_STEPS = (1, 2, 7, 14, 28, 56, 84, 112, 168, 224, 364, 728, 1456)
#: Room each axis label needs (points): "T+112" at 6.5 pt is about 20 pt wide.
_TICK_ROOM = 28.0


def _nice_step(span: float, target_ticks: int = 8) -> float:
    """The smallest tick interval giving at most ``target_ticks`` ticks over ``span`` days."""
    raw = max(span, 1.0) / max(target_ticks, 1)
    for step in _TICK_STEPS:
        if step >= raw:
            return float(step)
    return float(math.ceil(raw / 364) * 364)


def _fit(text: str, width: float, size: float, font: str = "Helvetica") -> str:
    """``text`` shortened with an ellipsis to fit ``width`` points in ``font``."""
    if stringWidth(text, font, size) <= width:
        return text
    while text and stringWidth(text + "\u2026", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "\u2026"


#: A row label may be set this much smaller, rather than cut short.
_SMALLEST_LABEL = 6.0


def _fit_label(text: str, width: float, font: str) -> tuple[str, float]:
    """A row label and its size: smaller type (down to 6 pt) before an ellipsis."""
    size = FONT_SIZE
    while size > _SMALLEST_LABEL and stringWidth(text, font, size) > width:
        size = round(size - 0.25, 2)
    return _fit(text, width, size, font), size


def _key(bars: Sequence[Bar], surgery: bool, width: float, font: str
         ) -> tuple[list[Rect | Line | Text], float]:
    """The key to every bar style the chart uses, in rows no wider than ``width``;
    with the height it takes."""
    entries: list[tuple[Rect | Line, str]] = [
        (Rect(0, 0, 10, 8, CRITICAL_PATH), "Critical path"),
        (Rect(0, 0, 10, 8, OTHER_BAR), "Other steps")]
    if any(b.if_needed and not b.detour and b.critical for b in bars):
        entries.append((Rect(0, 0, 10, 8, IF_NEEDED_FILL[True], CRITICAL_PATH),
                        "Only if needed, on the critical path when taken"))
    if any(b.if_needed and not b.detour and not b.critical for b in bars):
        entries.append((Rect(0, 0, 10, 8, IF_NEEDED_FILL[False], OTHER_BAR), "Only if needed"))
    if any(b.detour for b in bars):
        entries.append((Rect(0, 0, 10, 8, DETOUR_FILL, DETOUR_EDGE),
                        "Only if needed, loops back (surgery moves later)"))
    if surgery:
        entries.append((Line(0, 4, 16, 4, CRITICAL_PATH, 1.0, dashed=True),
                        "Start of surgery (T0)"))
    shapes: list[Rect | Line | Text] = []
    x, y = 0.0, 0.0
    for mark, label in entries:
        mark_w = 10.0 if isinstance(mark, Rect) else 16.0
        need = mark_w + 4 + stringWidth(label, font, FONT_SIZE)
        if x > 0 and x + need > width:
            x, y = 0.0, y + LEGEND_HEIGHT - 4
        if isinstance(mark, Rect):
            shapes.append(Rect(x, y + 4, 10, 8, mark.fill, mark.stroke))
        else:
            shapes.append(Line(x, y + 8, x + 16, y + 8, mark.colour, mark.width, dashed=True))
        shapes.append(Text(x + mark_w + 4, y + 11, label, colour=TEXT))
        x += need + 14
    return shapes, y + LEGEND_HEIGHT


def _axis_label(day: float, surgery_day: float | None) -> str:
    if surgery_day is None:
        return f"Day {day:g}"
    rel = round(day - surgery_day)
    return "T0" if rel == 0 else f"T{rel:+d}"


def layout_chart(bars: Sequence[Bar], surgery_day: float | None = None,
                 width: float = 480.0, label_width: float = 170.0,
                 day_range: tuple[float, float] | None = None,
                 measure_font: str = "Helvetica-Bold") -> ChartLayout:
    """Lay out one chart of ``bars`` in a box ``width`` points wide.

    ``day_range`` fixes the axis (so that the parts of a split chart line up);
    labels are shortened to fit, measured in ``measure_font`` (a registered
    reportlab font: the bold face of the font the chart will be drawn in).
    """
    if day_range is None:
        day_range = day_range_of(bars, surgery_day)
    lo, hi = day_range
    span = max(hi - lo, 1.0)
    plot_x = label_width + 6
    plot_w = max(width - plot_x - 6, 40.0)

    def x_of(day: float) -> float:
        return plot_x + (day - lo) / span * plot_w

    # measured in the bold face: a little wide for the key's plain text, never short
    key, key_height = _key(bars, surgery_day is not None, width, measure_font)
    top = key_height + AXIS_HEIGHT
    height = top + ROW_HEIGHT * len(bars) + 6
    chart = ChartLayout(width=width, height=height)
    shapes = chart.shapes
    shapes += key

    # axis with ticks; labels relative to surgery where there is one
    # As many ticks as the axis has room for labels: never overlapping on a long pathway.
    step = _nice_step(span, max(2, int(plot_w // _TICK_ROOM)))
    origin = surgery_day if surgery_day is not None else 0.0
    first = math.ceil((lo - origin) / step) * step + origin
    tick = first
    axis_y = top - 4
    shapes.append(Line(plot_x, axis_y, plot_x + plot_w, axis_y, MUTED_TEXT, 0.6))
    while tick <= hi + 1e-9:
        x = x_of(tick)
        shapes.append(Line(x, axis_y, x, height - 6, GRID, 0.4))
        shapes.append(Line(x, axis_y - 3, x, axis_y, MUTED_TEXT, 0.6))
        shapes.append(Text(x, axis_y - 6, _axis_label(tick, surgery_day), size=6.5,
                           colour=MUTED_TEXT, anchor="middle"))
        tick += step
    shapes.append(Text(plot_x, key_height + 6,
                       "Days relative to surgery" if surgery_day is not None
                       else "Days from the start of the pathway",
                       size=6.5, colour=MUTED_TEXT))

    for index, bar in enumerate(bars):
        y = top + index * ROW_HEIGHT
        if index % 2 == 0:
            shapes.append(Rect(0, y, width, ROW_HEIGHT, "#f4f6f7"))
        label = bar.label if not bar.relative else f"{bar.relative}  {bar.label}"
        text, size = _fit_label(label, label_width - 4, measure_font)
        shapes.append(Text(2, y + ROW_HEIGHT - 4, text, size=size, colour=TEXT,
                           bold=bar.critical))
        colour = CRITICAL_PATH if bar.critical else OTHER_BAR
        x1, x2 = x_of(bar.start), x_of(max(_drawn_end(bar, surgery_day), bar.start))
        if x2 - x1 < 3:                      # same-day steps still show a mark
            x1, x2 = x1 - 1.5, x1 + 1.5
        bar_y = y + (ROW_HEIGHT - BAR_HEIGHT) / 2
        if bar.detour:
            shapes.append(Rect(x1, bar_y, x2 - x1, BAR_HEIGHT, DETOUR_FILL, DETOUR_EDGE))
        elif bar.if_needed:
            shapes.append(Rect(x1, bar_y, x2 - x1, BAR_HEIGHT, IF_NEEDED_FILL[bar.critical],
                               colour))
        else:
            shapes.append(Rect(x1, bar_y, x2 - x1, BAR_HEIGHT, colour))
        if bar.note:
            # beside the bar, where the row has room: before it, else after it
            room = stringWidth(bar.note, measure_font, 6.5) + 3
            if x1 - room >= plot_x:
                shapes.append(Text(x1 - 3, y + ROW_HEIGHT - 4, bar.note, size=6.5,
                                   colour=DETOUR_EDGE, anchor="end"))
            else:
                shapes.append(Text(x2 + 3, y + ROW_HEIGHT - 4,
                                   _fit(bar.note, plot_x + plot_w - x2 - 3, 6.5, measure_font),
                                   size=6.5, colour=DETOUR_EDGE))

    if surgery_day is not None:
        x = x_of(surgery_day)
        shapes.append(Line(x, axis_y, x, height - 6, CRITICAL_PATH, 1.0, dashed=True))
    return chart


def _drawn_end(bar: Bar, surgery_day: float | None) -> float:
    """Where a bar stops on the chart.

    A loop taken only if needed (GP treatment to bring blood sugar down, say)
    starts before the operation and moves the operation later: it never runs
    past the surgery line, whatever its length (its label says it loops back).
    """
    if bar.detour and surgery_day is not None and bar.start <= surgery_day:
        return min(bar.end, surgery_day)
    return bar.end


def day_range_of(bars: Sequence[Bar], surgery_day: float | None = None) -> tuple[float, float]:
    """The axis range that shows every bar (and the surgery line)."""
    days = [b.start for b in bars] + [_drawn_end(b, surgery_day) for b in bars]
    if surgery_day is not None:
        days.append(surgery_day)
    if not days:
        return 0.0, 1.0
    lo, hi = min(days), max(days)
    return lo, hi if hi > lo else lo + 1.0


def split_chart(bars: Sequence[Bar], surgery_day: float | None = None,
                width: float = 480.0, rows_per_part: int = ROWS_PER_PART,
                label_width: float = 170.0,
                measure_font: str = "Helvetica-Bold") -> list[ChartLayout]:
    """The chart in parts of at most ``rows_per_part`` rows, sharing one axis."""
    day_range = day_range_of(bars, surgery_day)
    parts = [bars[i:i + rows_per_part] for i in range(0, len(bars), rows_per_part)] or [[]]
    charts = [layout_chart(part, surgery_day, width, label_width, day_range, measure_font)
              for part in parts]
    for number, chart in enumerate(charts, 1):
        chart.title = ("Timeline" if len(charts) == 1
                       else f"Timeline (part {number} of {len(charts)})")
    return charts


# ------------------------------------------------------------------------ writers


def to_svg(chart: ChartLayout, description: str = "") -> str:
    """The chart as a standalone ``<svg>`` element (text escaped)."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
           f'viewBox="0 0 {chart.width:.1f} {chart.height:.1f}" '
           f'width="{chart.width:.1f}pt" height="{chart.height:.1f}pt" '
           f'font-family="DejaVu Sans, Arial, Helvetica, sans-serif">',
           f"<title>{_xml_escape(chart.title)}</title>"]
    if description:
        out.append(f"<desc>{_xml_escape(description)}</desc>")
    for s in chart.shapes:
        if isinstance(s, Rect):
            stroke = f' stroke="{s.stroke}"' if s.stroke else ""
            out.append(f'<rect x="{s.x:.1f}" y="{s.y:.1f}" width="{s.w:.1f}" '
                       f'height="{s.h:.1f}" fill="{s.fill}"{stroke}/>')
        elif isinstance(s, Line):
            dash = ' stroke-dasharray="3,2"' if s.dashed else ""
            out.append(f'<line x1="{s.x1:.1f}" y1="{s.y1:.1f}" x2="{s.x2:.1f}" '
                       f'y2="{s.y2:.1f}" stroke="{s.colour}" stroke-width="{s.width}"{dash}/>')
        else:
            weight = ' font-weight="bold"' if s.bold else ""
            out.append(f'<text x="{s.x:.1f}" y="{s.y:.1f}" font-size="{s.size}" '
                       f'fill="{s.colour}" text-anchor="{s.anchor}"{weight} '
                       'xml:space="preserve">'
                       f"{_xml_escape(s.text)}</text>")
    out.append("</svg>")
    return "\n".join(out)


def to_drawing(chart: ChartLayout, font: str = "Helvetica", bold_font: str = "Helvetica-Bold",
               text_filter=None):
    """The chart as a reportlab ``Drawing`` (vector, for PDF).

    ``text_filter`` maps each label before drawing (e.g. to characters the font has).
    """
    from reportlab.graphics.shapes import Drawing, Line as RLine, Rect as RRect, String
    from reportlab.lib.colors import HexColor

    h = chart.height
    drawing = Drawing(chart.width, chart.height)
    for s in chart.shapes:
        if isinstance(s, Rect):
            drawing.add(RRect(s.x, h - s.y - s.h, s.w, s.h, fillColor=HexColor(s.fill),
                              strokeColor=HexColor(s.stroke) if s.stroke else None,
                              strokeWidth=0.5 if s.stroke else 0))
        elif isinstance(s, Line):
            drawing.add(RLine(s.x1, h - s.y1, s.x2, h - s.y2, strokeColor=HexColor(s.colour),
                              strokeWidth=s.width, strokeDashArray=[3, 2] if s.dashed else None))
        else:
            text = text_filter(s.text) if text_filter else s.text
            drawing.add(String(s.x, h - s.y, text, fontName=bold_font if s.bold else font,
                               fontSize=s.size, fillColor=HexColor(s.colour),
                               textAnchor=s.anchor))
    return drawing


_FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu",
              "/usr/share/fonts/TTF")


def _pil_font(size: float, bold: bool):
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    for folder in _FONT_DIRS:
        path = Path(folder) / name
        if path.exists():
            return ImageFont.truetype(str(path), max(1, round(size)))
    return ImageFont.load_default(size=max(1, round(size)))


def to_png(chart: ChartLayout, dpi: float = 150.0) -> bytes:
    """The chart as PNG bytes at ``dpi`` (for Word documents)."""
    from PIL import Image, ImageDraw

    k = dpi / 72.0
    image = Image.new("RGB", (max(1, round(chart.width * k)), max(1, round(chart.height * k))),
                      "white")
    draw = ImageDraw.Draw(image)
    fonts: dict[tuple[float, bool], object] = {}
    for s in chart.shapes:
        if isinstance(s, Rect):
            draw.rectangle([s.x * k, s.y * k, (s.x + s.w) * k, (s.y + s.h) * k],
                           fill=s.fill, outline=s.stroke)
        elif isinstance(s, Line):
            if s.dashed:
                length = math.hypot(s.x2 - s.x1, s.y2 - s.y1)
                n = max(1, int(length / 5))
                for i in range(n):
                    t0, t1 = i / n, min(1.0, (i + 0.6) / n)
                    draw.line([(s.x1 + (s.x2 - s.x1) * t0) * k, (s.y1 + (s.y2 - s.y1) * t0) * k,
                               (s.x1 + (s.x2 - s.x1) * t1) * k, (s.y1 + (s.y2 - s.y1) * t1) * k],
                              fill=s.colour, width=max(1, round(s.width * k)))
            else:
                draw.line([s.x1 * k, s.y1 * k, s.x2 * k, s.y2 * k], fill=s.colour,
                          width=max(1, round(s.width * k)))
        else:
            key = (s.size, s.bold)
            if key not in fonts:
                fonts[key] = _pil_font(s.size * k, s.bold)
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[s.anchor]
            draw.text((s.x * k, s.y * k), s.text, fill=s.colour, font=fonts[key], anchor=anchor)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
