"""The exported diagram (SVG and PNG): lanes, steps, text escaping, badges."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import designer
from designer.graph.model import Pathway

pytest.importorskip("PySide6.QtSvg")

from designer.export.diagram import diagram_size, render_png, render_svg  # noqa: E402
from designer.render.text import wrap_text  # noqa: E402

SVG = "{http://www.w3.org/2000/svg}"


def small_pathway(**changes) -> Pathway:
    data = {
        "id": "knee-demo", "title": "Knee replacement", "version": "1.0.0",
        "settings": [
            {"id": "gp", "name": "GP practice", "kind": "primary"},
            {"id": "hospital", "name": "Hospital", "kind": "secondary"},
        ],
        "roles": [{"id": "gp", "name": "General practitioner"},
                  {"id": "surgeon", "name": "Consultant surgeon"}],
        "steps": [
            {"id": "referral", "name": "Referral", "kind": "entry", "setting": "gp",
             "owner": "gp", "activity": "referral", "position": [260, 70]},
            {"id": "fit", "name": "Fit for surgery?", "kind": "decision",
             "setting": "hospital", "owner": "surgeon", "position": [470, 70]},
            {"id": "wait", "name": "Waiting well", "kind": "wait", "setting": "hospital",
             "owner": "surgeon", "position": [680, 70]},
            {"id": "surgery", "name": "Knee replacement operation", "setting": "hospital",
             "owner": "surgeon", "activity": "surgery", "position": [890, 70]},
            {"id": "done", "name": "Home", "kind": "exit", "setting": "gp",
             "owner": "gp", "position": [1100, 70]},
        ],
        "transitions": [
            {"from": "referral", "to": "fit", "wait_days": 14,
             "handoff": {"sender": "gp", "receiver": "surgeon",
                         "information": ["referral letter"], "channel": "e-referral"}},
            {"from": "fit", "to": "wait", "condition": "Fit for surgery"},
            {"from": "fit", "to": "referral", "condition": "Needs optimising"},
            {"from": "wait", "to": "surgery", "wait_days": 28},
            {"from": "surgery", "to": "done"},     # crosses lanes, no handoff
        ],
    }
    data.update(changes)
    return Pathway.model_validate(data)


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()).strip() for el in root.iter(f"{SVG}text")]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def svg_fills(svg: str) -> set[str]:
    root = ET.fromstring(svg)
    return {el.get("fill", "").lower() for el in root.iter() if el.get("fill")}


def test_svg_is_well_formed_and_shows_lanes_steps_owners_and_labels():
    svg = render_svg(small_pathway())
    texts = svg_texts(svg)
    joined = " ".join(texts)
    for expected in ("GP practice", "PRIMARY CARE", "Hospital", "Referral",
                     "Fit for surgery?", "Waiting well", "Consultant surgeon",
                     "General practitioner", "Fit for surgery", "wait 14 days",
                     "wait 28 days"):
        assert expected in joined, expected
    assert ET.fromstring(svg).find(f"{SVG}title").text == "Knee replacement"


def test_lane_and_step_colours_come_from_the_shared_style():
    from designer.render import style
    from designer.graph.model import Activity, SettingKind

    fills = svg_fills(render_svg(small_pathway()))
    assert style.lane_colours(SettingKind.primary)[0] in fills
    assert style.lane_colours(SettingKind.secondary)[1] in fills
    assert style.step_fill(Activity.surgery) in fills


def test_handoff_badges_are_green_when_complete_and_red_when_incomplete():
    from designer.render import style

    fills = svg_fills(render_svg(small_pathway()))
    assert style.HANDOFF_OK in fills              # referral -> fit is complete
    assert style.HANDOFF_INCOMPLETE in fills      # surgery -> done has no handoff

    one_lane = small_pathway(transitions=[{"from": "wait", "to": "surgery"}])
    fills = svg_fills(render_svg(one_lane))
    assert style.HANDOFF_OK not in fills and style.HANDOFF_INCOMPLETE not in fills


def test_finding_badges_only_with_a_report():
    from designer.render import style

    finding = SimpleNamespace(rule="dead-end", severity="warning", message="m",
                              targets=("wait",), pack="core", title="t", waived_reason=None)
    report = SimpleNamespace(findings=[finding], waived=[])
    assert style.SEVERITY_COLOURS["warning"] not in svg_fills(render_svg(small_pathway()))
    with_report = render_svg(small_pathway(), report=report)
    assert style.SEVERITY_COLOURS["warning"] in svg_fills(with_report)
    assert "1" in svg_texts(with_report)


@pytest.mark.parametrize("name", ["<script>alert(1)</script>", 'A & B "quoted"'])
def test_user_text_is_escaped_in_svg(name):
    pathway = small_pathway(title=name)
    pathway.steps[3] = pathway.steps[3].model_copy(update={"name": name})
    svg = render_svg(pathway)
    root = ET.fromstring(svg)            # well-formed despite the markup in the text
    assert "<script" not in svg
    assert not list(root.iter(f"{SVG}script"))
    assert root.find(f"{SVG}title").text == name
    assert any(name[:6] in text for text in svg_texts(svg))


def test_png_size_follows_the_scale():
    pathway = small_pathway()
    width, height = diagram_size(pathway)
    w1, h1 = png_size(render_png(pathway, scale=1.0))
    w2, h2 = png_size(render_png(pathway, scale=2.0))
    assert (w1, h1) == (pytest.approx(width, abs=1), pytest.approx(height, abs=1))
    assert (w2, h2) == (pytest.approx(2 * w1, abs=2), pytest.approx(2 * h1, abs=2))
    assert width > 1100 and height >= 2 * 140    # every step and both lanes are inside


def test_png_pixels_show_the_lane_colours():
    from PySide6.QtGui import QColor, QImage

    from designer.render import style
    from designer.graph.model import SettingKind

    image = QImage.fromData(render_png(small_pathway()))
    assert not image.isNull()
    # lane header of the first lane, bottom right corner (no text there)
    assert image.pixelColor(16 + 140, 16 + 130).name() == QColor(
        style.lane_colours(SettingKind.primary)[1]).name()


def test_steps_without_positions_are_laid_out(monkeypatch):
    from designer.graph import layout

    pathway = small_pathway()
    for index, step in enumerate(pathway.steps):
        pathway.steps[index] = step.model_copy(update={"position": None})
    calls = []
    real = layout.auto_layout
    monkeypatch.setattr(layout, "auto_layout", lambda p: calls.append(p) or real(p))
    svg = render_svg(pathway)
    assert calls, "auto_layout was not used"
    assert "Knee replacement operation" in " ".join(svg_texts(svg))
    assert all(s.position is None for s in pathway.steps)     # the input is not changed


def test_empty_pathway_renders():
    empty = Pathway(id="empty", title="Nothing yet")
    assert png_size(render_png(empty))[0] > 0
    ET.fromstring(render_svg(empty))


def test_wrap_text_fits_and_elides():
    from PySide6.QtGui import QFont, QFontMetricsF

    metrics = QFontMetricsF(QFont("DejaVu Sans", 10))
    lines = wrap_text("Optimise blood pressure and HbA1c in primary care before listing",
                      metrics, 120, 2)
    assert len(lines) == 2
    assert lines[-1].endswith("…")
    assert all(metrics.horizontalAdvance(line) <= 121 for line in lines)
    assert wrap_text("Short", metrics, 120, 2) == ["Short"]


def test_rendering_never_loads_qtwidgets():
    script = (
        "import sys\n"
        "from designer.graph.model import Pathway\n"
        "from designer.export.diagram import render_png, render_svg\n"
        "p = Pathway(id='x', title='X', settings=[{'id': 'gp', 'name': 'GP', 'kind': 'primary'}],"
        " steps=[{'id': 'a', 'name': 'A', 'setting': 'gp', 'position': [260, 70]}])\n"
        "render_png(p); render_svg(p)\n"
        "print('QtWidgets' in ' '.join(sys.modules))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, cwd=Path(designer.__file__).parents[1], timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_installed_qt_binding_keeps_none_alive_through_long_renders():
    """pyproject.toml excludes PySide6 6.12.0 on Python 3.11: it drops a reference to
    None on every void call and the process aborts mid-render. Guard the pin."""
    from PySide6.QtCore import QRectF

    probe, before = QRectF(), sys.getrefcount(None)
    for _ in range(64):
        probe.setWidth(1.0)
    assert before - sys.getrefcount(None) < 32, "this PySide6 build leaks None references"
    big = small_pathway(steps=[
        {"id": f"s{i}", "name": f"Step {i}", "setting": "hospital", "owner": "surgeon",
         "position": [260 + 210 * i, 70]} for i in range(120)], transitions=[
        {"from": f"s{i}", "to": f"s{i + 1}"} for i in range(119)])
    for _ in range(3):     # tens of thousands of painter calls
        render_svg(big)


def test_legend_is_optional_and_explains_shapes_and_badges():
    from designer.render import style

    plain = render_svg(small_pathway())
    with_legend = render_svg(small_pathway(), legend=True)
    assert "Handoff complete" not in " ".join(svg_texts(plain))
    texts = " ".join(svg_texts(with_legend))
    for label in ("Start or end", "Decision", "Wait", "Handoff complete",
                  "Handoff incomplete or missing", "Time runs left to right"):
        assert label in texts
    assert "Error" not in texts                   # no report: no severity key
    w0, h0 = diagram_size(small_pathway())
    w1, h1 = diagram_size(small_pathway(), legend=True)
    assert h1 > h0 and w1 >= w0
    report = SimpleNamespace(findings=[], waived=[])
    assert "Warning" in " ".join(svg_texts(render_svg(small_pathway(), report, legend=True)))
    assert style.HANDOFF_INCOMPLETE in svg_fills(with_legend)


def test_condition_labels_do_not_overlap_each_other():
    """Two branches leaving one decision towards near neighbours keep their labels apart."""
    import re

    pathway = small_pathway(steps=[
        {"id": "d", "name": "HbA1c below 69?", "kind": "decision", "setting": "hospital",
         "position": [260, 70]},
        {"id": "near", "name": "Diabetes nurse", "setting": "hospital", "position": [470, 70]},
        {"id": "up", "name": "Optimise", "setting": "gp", "position": [470, 70]},
    ], transitions=[
        {"from": "d", "to": "near", "condition": "HbA1c below 69 mmol/mol (8.5%) or less"},
        {"from": "d", "to": "up", "condition": "HbA1c 69 mmol/mol (8.5%) or above"},
    ])
    svg = render_svg(pathway)
    # label boxes: translucent white rounded paths with the label border colour
    boxes = []
    for group in re.finditer(r'<g fill="#ffffff" fill-opacity="0\.9\d*" stroke="#b0bec5"'
                             r'[^>]*>(.*?)</g>', svg, re.S):
        for path in re.finditer(r'<path [^>]*d="([^"]+)"', group.group(1)):
            numbers = [float(v) for v in re.findall(r"-?[\d.]+", path.group(1))]
            xs, ys = numbers[0::2], numbers[1::2]
            boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    assert len(boxes) == 2, boxes
    (x1, y1, w1, h1), (x2, y2, w2, h2) = boxes
    apart = x1 + w1 <= x2 or x2 + w2 <= x1 or y1 + h1 <= y2 or y2 + h2 <= y1
    assert apart


@settings(max_examples=15, deadline=None)
@given(name=st.text(min_size=1, max_size=60).filter(lambda s: s.strip()))
def test_any_step_name_gives_a_well_formed_svg(name):
    pathway = small_pathway(title=name)
    pathway.update_step("surgery", name=name)
    pathway.update_transition("fit->wait", condition=name)
    ET.fromstring(render_svg(pathway, legend=True).encode("utf-8"))


def test_render_image_matches_the_png():
    from PySide6.QtGui import QImage

    from designer.export.diagram import render_image

    image = render_image(small_pathway(), scale=1.5)
    from_png = QImage.fromData(render_png(small_pathway(), scale=1.5))
    assert (image.width(), image.height()) == (from_png.width(), from_png.height())
    assert image.pixelColor(200, 100).name() == from_png.pixelColor(200, 100).name()


def _svg_label_cards(svg: str) -> list[tuple[tuple[float, float, float, float], str]]:
    """Condition cards of a diagram SVG: (left, top, right, bottom) in layout units
    (the picture's margin taken off) and the text drawn inside the card."""
    import html
    import re

    from designer.export.diagram import MARGIN

    cards = []
    for group in re.finditer(r'<g fill="#ffffff" fill-opacity="0\.9\d*" stroke="#b0bec5"'
                             r'[^>]*>(.*?)</g>', svg, re.S):
        for path in re.finditer(r'<path [^>]*d="([^"]+)"', group.group(1)):
            numbers = [float(v) for v in re.findall(r"-?[\d.]+", path.group(1))]
            xs, ys = numbers[0::2], numbers[1::2]
            cards.append([min(xs), min(ys), max(xs), max(ys)])
    texts = [(float(x), float(y), t) for x, y, t in re.findall(
        r'<text [^>]*x="([-\d.]+)" y="([-\d.]+)"[^>]*>\s*([^<]*)</text>', svg)]
    out = []
    for left, top, right, bottom in cards:
        inside = [t for x, y, t in texts if left - 1 <= x <= right and top <= y <= bottom + 1]
        out.append(((left - MARGIN, top - MARGIN, right - MARGIN, bottom - MARGIN),
                    html.unescape(" ".join(inside))))
    return out


def test_diabetes_arrows_miss_other_steps_and_labels_sit_on_their_own_branch():
    """Issue 14: an arrow ran through "Urgent diabetes review" and "HbA1c >= 69,
    urgent" sat on another branch (the picture was read wrongly)."""
    import math

    from designer.render.diagram_layout import lay_out
    from designer.graph.io import load_pathway

    root = Path(__file__).resolve().parents[2]
    pathway = load_pathway(root / "pathway_library" / "diabetes-preop-clinic.yaml")
    lay = lay_out(pathway)
    samples = {key: [(path.pointAtPercent(i / 400).x(), path.pointAtPercent(i / 400).y())
                     for i in range(401)] for key, path in lay.paths.items()}
    for t in pathway.transitions:
        for sid, box in lay.boxes.items():
            if sid in (t.source, t.target):
                continue
            r = box.rect.adjusted(1, 1, -1, -1)
            assert not any(r.contains(x, y) for x, y in samples[t.key]), (t.key, sid)
    conditions = {t.key: t.condition for t in pathway.transitions if t.condition}
    cards = _svg_label_cards(render_svg(pathway))
    assert len(cards) == len(conditions)

    def distance(point, pts):
        return min(math.hypot(point[0] - x, point[1] - y) for x, y in pts)

    for (left, top, right, bottom), text in cards:
        owner = [k for k, c in conditions.items()
                 if " ".join(c.split()) == " ".join(text.split())]
        assert len(owner) == 1, text
        centre = ((left + right) / 2, (top + bottom) / 2)
        nearest = min(samples, key=lambda k: distance(centre, samples[k]))
        assert nearest == owner[0], (text, nearest)
