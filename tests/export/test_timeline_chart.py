"""The hand-drawn Gantt chart: layout, SVG, reportlab drawing and PNG."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

from designer.render.style import CRITICAL_PATH
from designer.export.spec.timeline_chart import (
    OTHER_BAR,
    Bar,
    Rect,
    Text,
    layout_chart,
    split_chart,
    to_drawing,
    to_png,
    to_svg,
)

BARS = [Bar("Referral", 0, 1, True, "T-42"), Bar("Prehab <b>&", 1, 29, False, "T-41"),
        Bar("Surgery", 42, 42, True, "T0"), Bar("Ward", 42, 45, True, "T0")]


def _bars(chart):
    return [s for s in chart.shapes if isinstance(s, Rect) and s.fill in (CRITICAL_PATH, OTHER_BAR)
            and s.h < 10]


def test_one_bar_per_step_coloured_by_critical_path():
    chart = layout_chart(BARS, surgery_day=42, width=480)
    bars = [b for b in _bars(chart) if b.y > 20]          # skip the legend swatches
    assert len(bars) == 4
    assert [b.fill for b in bars] == [CRITICAL_PATH, OTHER_BAR, CRITICAL_PATH, CRITICAL_PATH]
    assert all(b.x >= 0 and b.x + b.w <= 480 + 1e-6 for b in bars)
    # a same-day step still shows a visible mark
    assert bars[2].w >= 3
    # later steps start further right
    assert bars[0].x < bars[1].x < bars[2].x


def test_axis_is_labelled_relative_to_surgery():
    chart = layout_chart(BARS, surgery_day=42)
    labels = {s.text for s in chart.shapes if isinstance(s, Text)}
    assert "T0" in labels and any(t.startswith("T-") for t in labels)
    assert "Start of surgery (T0)" in labels
    no_surgery = layout_chart(BARS, surgery_day=None)
    texts = {s.text for s in no_surgery.shapes if isinstance(s, Text)}
    assert any(t.startswith("Day ") for t in texts) and "T0" not in texts


def test_long_labels_are_shortened_to_fit():
    chart = layout_chart([Bar("A very long step name " * 6, 0, 3)], label_width=120)
    label = next(s for s in chart.shapes if isinstance(s, Text) and s.text.startswith("A very"))
    assert label.text.endswith("\u2026") and len(label.text) < 60


def test_svg_is_well_formed_and_escapes_labels():
    svg = to_svg(layout_chart(BARS, surgery_day=42), "desc <x>")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert "Prehab <b>&" in "".join(root.itertext())
    assert "<b>" not in svg


def test_split_chart_shares_one_axis():
    bars = [Bar(f"Step {i}", i, i + 1) for i in range(100)]
    parts = split_chart(bars, None, rows_per_part=42)
    assert len(parts) == 3
    assert [p.title for p in parts] == ["Timeline (part 1 of 3)", "Timeline (part 2 of 3)",
                                        "Timeline (part 3 of 3)"]
    assert split_chart(bars[:5])[0].title == "Timeline"
    ticks = [[s.text for s in p.shapes if isinstance(s, Text) and s.text.startswith("Day")]
             for p in parts]
    assert ticks[0] == ticks[1] == ticks[2]


def test_reportlab_drawing_and_png():
    chart = layout_chart(BARS, surgery_day=42, width=400)
    drawing = to_drawing(chart)
    assert (drawing.width, drawing.height) == (400, chart.height)
    png = to_png(chart, dpi=144)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        assert image.size == (800, round(chart.height * 2))


def test_empty_timeline_still_draws():
    chart = layout_chart([], surgery_day=None)
    assert chart.height > 0
    ET.fromstring(to_svg(chart))
