"""What a reader of the exported diagram sees, measured: arrows through steps,
labels over labels or steps, labels nearer another arrow than their own, and
crossing arrows.

Works from the painted picture (the layout's arrow paths, flattened, and the
rectangles the painter draws labels in), so the same instrument measures the
curves drawn before the router and the routes drawn after it. Run as a script
to print the figures for every exemplar (as drawn, and after auto-layout).
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _segments_through(polylines, ends, boxes) -> int:
    """(arrow, step) pairs where the arrow passes through the inside of a step that
    is not one of its ends."""
    count = 0
    for key, pts in polylines.items():
        own = ends[key]
        for sid, (left, top, right, bottom, diamond) in boxes.items():
            if sid in own:
                continue
            inner = (left + 1, top + 1, right - 1, bottom - 1)
            if any(_clip(p, q, inner, diamond) for p, q in zip(pts, pts[1:])):
                count += 1
    return count


def _clip(p, q, r, diamond: bool) -> bool:
    # sample the piece: exact enough for pieces of a few pixels and long straight runs
    steps = max(2, int(math.hypot(q[0] - p[0], q[1] - p[1]) // 2))
    cx, cy = (r[0] + r[2]) / 2, (r[1] + r[3]) / 2
    hw, hh = (r[2] - r[0]) / 2, (r[3] - r[1]) / 2
    for k in range(1, steps):
        x = p[0] + (q[0] - p[0]) * k / steps
        y = p[1] + (q[1] - p[1]) * k / steps
        if r[0] < x < r[2] and r[1] < y < r[3]:
            if not diamond or abs(x - cx) / hw + abs(y - cy) / hh < 1:
                return True
    return False


def _overlap(a, b) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _covers_box(rect, box) -> bool:
    left, top, right, bottom, diamond = box
    if _overlap(rect, (left, top, right, bottom)) <= 1.0:
        return False
    if not diamond:
        return True
    cx, cy, hw, hh = (left + right) / 2, (top + bottom) / 2, (right - left) / 2, (bottom - top) / 2
    dx = max(0.0, rect[0] - cx, cx - rect[2])
    dy = max(0.0, rect[1] - cy, cy - rect[3])
    return dx / hw + dy / hh < 0.97


def _distance(point, p, q) -> float:
    dx, dy = q[0] - p[0], q[1] - p[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((point[0] - p[0]) * dx
                                                   + (point[1] - p[1]) * dy) / length))
    return math.hypot(point[0] - p[0] - t * dx, point[1] - p[1] - t * dy)


def _cross(p1, p2, q1, q2) -> bool:
    def orient(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
    return (orient(q1, q2, p1) * orient(q1, q2, p2) < 0
            and orient(p1, p2, q1) * orient(p1, p2, q2) < 0)


def _crossings(polylines, ends) -> int:
    keys = sorted(polylines)
    count = 0
    for i, a in enumerate(keys):
        for b in keys[i + 1:]:
            if set(ends[a]) & set(ends[b]):
                continue
            pa, pb = polylines[a], polylines[b]
            if any(_cross(p1, p2, q1, q2) for p1, p2 in zip(pa, pa[1:])
                   for q1, q2 in zip(pb, pb[1:])):
                count += 1
    return count


def drawn(pathway):
    """(polylines, ends, boxes, labels) of the diagram export as it paints ``pathway``;
    labels are ``(edge key, (left, top, right, bottom))`` of condition/wait cards."""
    from PySide6.QtGui import QImage, QPainter

    from designer.export.diagram import ensure_gui_application
    try:
        from designer.render import diagram_painter
        from designer.render.diagram_layout import lay_out
    except ImportError:          # the layout before the render package (to measure "before")
        from designer.export import diagram_painter
        from designer.export.diagram_layout import lay_out
    from designer.graph.model import StepKind

    ensure_gui_application()
    lay = lay_out(pathway)
    polylines = {}
    for key, path in lay.paths.items():
        pts = []
        for poly in path.toSubpathPolygons():
            pts += [(poly.at(i).x(), poly.at(i).y()) for i in range(poly.count())]
        polylines[key] = pts
    ends = {t.key: (t.source, t.target) for t in lay.pathway.transitions}
    boxes = {sid: (b.cx - b.w / 2, b.cy - b.h / 2, b.cx + b.w / 2, b.cy + b.h / 2,
                   b.step.kind is StepKind.decision) for sid, b in lay.boxes.items()}
    labels: list[tuple[str, tuple]] = []
    painter_cls = diagram_painter.DiagramPainter
    current = {}
    original_draw = painter_cls._draw_label
    original_candidates = getattr(painter_cls, "_label_candidates", None)

    def draw(self, rect, texts, *args, **kwargs):
        key = kwargs.get("key") or current.get("key")
        labels.append((key, (rect.left(), rect.top(), rect.right(), rect.bottom())))
        return original_draw(self, rect, texts, *args, **kwargs)

    def candidates(self, a, b, *args, **kwargs):      # today's painter: remember the edge
        current["key"] = f"{a.step.id}->{b.step.id}"
        return original_candidates(self, a, b, *args, **kwargs)

    painter_cls._draw_label = draw
    if original_candidates is not None:
        painter_cls._label_candidates = candidates
    try:
        image = QImage(int(lay.width) + 1, int(lay.height) + 1, QImage.Format_ARGB32)
        qp = QPainter(image)
        painter = painter_cls(qp, lay)
        painter.paint()
        qp.end()
        if getattr(painter, "label_rects", None) is not None:     # the router's painter
            labels = [(key, (r.left(), r.top(), r.right(), r.bottom()))
                      for key, r in painter.label_rects.items()]
    finally:
        painter_cls._draw_label = original_draw
        if original_candidates is not None:
            painter_cls._label_candidates = original_candidates
    return polylines, ends, boxes, labels


def measure(pathway) -> dict[str, int]:
    polylines, ends, boxes, labels = drawn(pathway)
    rects = [r for _, r in labels]
    overlaps = sum(1 for i in range(len(rects)) for j in range(i + 1, len(rects))
                   if _overlap(rects[i], rects[j]) > 1.0)
    overlaps += sum(1 for r in rects for box in boxes.values() if _covers_box(r, box))
    wrong = 0
    for key, r in labels:
        centre = ((r[0] + r[2]) / 2, (r[1] + r[3]) / 2)
        dist = {k: min((_distance(centre, p, q) for p, q in zip(pts, pts[1:])),
                       default=math.inf) for k, pts in polylines.items()}
        own = dist.get(key, math.inf)
        if any(d < own - 0.5 for k, d in dist.items() if k != key):
            wrong += 1
    return {"through": _segments_through(polylines, ends, boxes),
            "label_overlaps": overlaps, "label_not_nearest_own": wrong,
            "crossings": _crossings(polylines, ends), "labels": len(labels)}


def exemplars():
    from designer.graph.io import load_pathway
    return {path.stem: load_pathway(path)
            for path in sorted((ROOT / "pathway_library").glob("*.yaml"))}


def auto_laid_out(pathway):
    """The pathway with every step placed by the auto-layout (as a built pathway is)."""
    from designer.graph.layout import auto_layout
    placed = auto_layout(pathway)
    steps = [s.model_copy(update={"position": tuple(placed[s.id])}) for s in pathway.steps]
    return pathway.model_copy(update={"steps": steps})


def random_pathways(count: int = 6, steps: int = 40):
    """Seeded synthetic pathways (benchmarks/generate.py), laid out by the auto-layout."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import make_pathway
    return {f"random {steps} steps, seed {seed}": auto_laid_out(make_pathway(steps, seed=seed))
            for seed in range(count)}


def totals() -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, pathway in {**exemplars(), **random_pathways()}.items():
        out[name] = measure(pathway)
    return out


if __name__ == "__main__":
    sums: dict[str, dict[str, int]] = {"exemplars": {}, "random": {}}
    for name, figures in totals().items():
        print(f"{name:50s} " + " ".join(f"{k}={v}" for k, v in figures.items()))
        bucket = sums["random" if name.startswith("random") else "exemplars"]
        for k, v in figures.items():
            bucket[k] = bucket.get(k, 0) + v
    for name, figures in sums.items():
        print(f"TOTAL {name:44s} " + " ".join(f"{k}={v}" for k, v in figures.items()))
