"""The barycentre sweep, indexed by layer, orders cells exactly as the full scan did.

The oracle is the former ``_sweep`` (every cell scanned for every layer), kept here.
"""

from __future__ import annotations

import copy
import random

from designer.graph import geometry
from designer.graph.layout import _sweep


def old_sweep(cells, scene_y, neighbours, layers) -> None:
    for layer in layers:
        for (_lane, lay), members in cells.items():
            if lay != layer or len(members) < 2:
                continue
            current = {sid: i for i, sid in enumerate(members)}

            def weight(sid):
                ys = [scene_y[n] for n in neighbours[sid] if n in scene_y]
                return (sum(ys) / len(ys) if ys else scene_y[sid], current[sid])

            members.sort(key=weight)
            base = min(scene_y[m] for m in members)
            for row, sid in enumerate(members):
                scene_y[sid] = base + row * geometry.ROW_SPACING


def test_the_indexed_sweep_matches_the_full_scan_on_random_cells():
    rng = random.Random(4)
    moved = 0
    for _ in range(300):
        lanes, layers, n = rng.randint(1, 4), rng.randint(1, 8), rng.randint(2, 40)
        cells: dict = {}
        for i in range(n):
            cells.setdefault((rng.randrange(lanes), rng.randrange(layers)), []).append(f"s{i}")
        scene_y = {f"s{i}": rng.uniform(0, 900) for i in range(n)}
        neighbours = {f"s{i}": [f"s{rng.randrange(n)}" for _ in range(rng.randint(0, 3))]
                      for i in range(n)}
        order = list(range(layers))
        rng.shuffle(order)
        a_cells, a_y = copy.deepcopy(cells), dict(scene_y)
        b_cells, b_y = copy.deepcopy(cells), dict(scene_y)
        old_sweep(a_cells, a_y, neighbours, order)
        _sweep(b_cells, b_y, neighbours, order)
        assert b_cells == a_cells and b_y == a_y
        moved += a_cells != cells
    assert moved > 100          # the sweeps did reorder cells: the comparison has teeth
