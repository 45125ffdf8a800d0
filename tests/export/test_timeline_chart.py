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


# ---------------------------------------------------------------- issue 14, defect 3

def _exemplar_chart(stem: str):
    from pathlib import Path

    from designer.export.spec.content import build_spec
    from designer.export.spec.text import chart_bars, surgery_day
    from designer.graph.io import load_pathway
    from designer.graph.timeline import compute_timeline

    pathway = load_pathway(Path(__file__).resolve().parents[2] / "pathway_library"
                           / f"{stem}.yaml")
    content = build_spec(pathway)
    bars = chart_bars(content)
    chart = layout_chart(bars, surgery_day(content), width=480)
    return pathway, compute_timeline(pathway), bars, chart


def _row_bar(chart, bars, name):
    """The bar drawn in the row whose label names ``name``."""
    from designer.export.spec.timeline_chart import ROW_HEIGHT

    label = next(s for s in chart.shapes if isinstance(s, Text) and s.text.endswith(name))
    row_top = label.y - ROW_HEIGHT + 4
    return next(s for s in chart.shapes if isinstance(s, Rect) and s.h < ROW_HEIGHT
                and row_top <= s.y <= row_top + ROW_HEIGHT and s.x > 100)


def test_anaemia_oral_iron_reads_as_if_needed_not_as_everyones_critical_path():
    """Anaemia: 'Oral iron' is reached only on the iron branch of 'Hb 130 g/L or more?'
    and 'Oral or IV iron?' (patients with Hb of 130 or more go straight to surgery).
    The timeline puts it on the longest route, so it is a pale bar edged red, not a
    solid red bar; the key explains both. (ERAS+ made this point with 'Optimise
    health' until Surgery School moved to a parallel branch after listing: its
    critical path now runs through the 6 weeks of prehabilitation.)"""
    from designer.export.spec.timeline_chart import IF_NEEDED_FILL

    pathway, timeline, bars, chart = _exemplar_chart("anaemia-optimisation")
    iron = next(s.id for s in pathway.steps if s.name == "Oral iron")
    assert iron in timeline.critical_path                 # the timeline's own fact
    assert not timeline.by_step[iron].detour               # a branch, not a loop back
    bar = _row_bar(chart, bars, "Oral iron")
    assert bar.fill == IF_NEEDED_FILL[True] and bar.stroke == CRITICAL_PATH
    # every step everyone takes on the critical path stays solid red
    listed = _row_bar(chart, bars, "Listed for surgery")
    assert listed.fill == CRITICAL_PATH
    key = {s.text for s in chart.shapes if isinstance(s, Text)}
    assert "Only if needed, on the critical path when taken" in key
    assert "Critical path" in key


def test_diabetes_loop_bar_stops_at_surgery_and_the_key_explains_it():
    """Diabetes: 'GP diabetes optimisation' loops back to the pre-op clinic (a loop in
    the timeline model, about 91 days a trip): its amber bar never runs past the
    surgery line; 'Urgent diabetes review' (one branch of the HbA1c decision) is
    pale; the others on the critical path solid red."""
    from designer.export.spec.timeline_chart import DETOUR_FILL, IF_NEEDED_FILL, Line

    pathway, timeline, bars, chart = _exemplar_chart("diabetes-preop-clinic")
    loop = next(s.id for s in pathway.steps if s.name == "GP diabetes optimisation")
    assert timeline.by_step[loop].detour and timeline.by_step[loop].loop_days > 80
    surgery_x = max(s.x1 for s in chart.shapes if isinstance(s, Line) and s.dashed
                    and s.y2 - s.y1 > 20)
    bar = _row_bar(chart, bars, "GP diabetes optimisation")
    assert bar.fill == DETOUR_FILL and bar.x + bar.w <= surgery_x + 0.01
    texts = [s.text for s in chart.shapes if isinstance(s, Text)]
    from designer.graph.vocabulary import days

    # beside the bar, whole: what one trip round the loop adds, from the timeline model
    assert f"loops back; adds about {days(timeline.by_step[loop].loop_days)}" in texts
    assert not [t for t in texts if t.endswith("\u2026")], texts
    assert _row_bar(chart, bars, "Urgent diabetes review").fill == IF_NEEDED_FILL[True]
    assert _row_bar(chart, bars, "Day-of-surgery plan").fill == CRITICAL_PATH
    key = {s.text for s in chart.shapes if isinstance(s, Text)}
    assert "Only if needed, loops back (surgery moves later)" in key
    assert "Start of surgery (T0)" in key
    # the key's entries sit inside the chart's width
    assert all(s.x < chart.width for s in chart.shapes if isinstance(s, Text))


def test_a_long_row_label_is_set_smaller_before_it_is_cut():
    chart = layout_chart([Bar("Histology and postoperative MDT", 0, 3, relative="T+19")],
                         label_width=120, measure_font="Helvetica-Bold")
    label = next(s for s in chart.shapes if isinstance(s, Text) and "Histology" in s.text)
    assert label.text == "T+19  Histology and postoperative MDT" and label.size < 7.5
