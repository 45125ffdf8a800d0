"""Shared diagram geometry: lanes and the arrows both the canvas and the exports draw."""

from __future__ import annotations

import pytest

from designer.graph.geometry import LOOP_DEPTH, StepBox, edge_controls


def point_at(ctrl, t: float) -> tuple[float, float]:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = ctrl
    u = 1 - t
    return (u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
            u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3)


def crosses(ctrl, box: StepBox) -> bool:
    for i in range(101):
        x, y = point_at(ctrl, i / 100)
        if abs(x - box.cx) < box.w / 2 and abs(y - box.cy) < box.h / 2:
            return True
    return False


A, B = StepBox(100, 70, 150, 64), StepBox(520, 70, 150, 64)


def test_forward_arrow_runs_side_to_side():
    ctrl = edge_controls(A, B)
    assert ctrl[0] == (175, 70) and ctrl[3] == (445, 70)
    assert ctrl[1][1] == ctrl[2][1] == 70


# one layout column apart (210 units), as auto-layout places them: a task, a wait and a
# decision in the way, level with the arrow or a little off it
@pytest.mark.parametrize("middle", [StepBox(310, 70, 150, 64), StepBox(310, 80, 130, 56),
                                    StepBox(310, 60, 120, 84)])
def test_forward_arrow_arches_over_a_step_in_the_way(middle):
    assert crosses(edge_controls(A, B), middle)
    ctrl = edge_controls(A, B, [A, middle, B])
    assert not crosses(ctrl, middle)
    assert ctrl[0] == (175, 70) and ctrl[3] == (445, 70)   # still leaves and enters sideways


def test_arches_over_two_steps_in_the_way():
    far = StepBox(730, 70, 150, 64)
    middles = [StepBox(310, 70, 150, 64), StepBox(520, 70, 150, 64)]
    ctrl = edge_controls(A, far, middles)
    assert not any(crosses(ctrl, m) for m in middles)


def test_steps_off_the_way_change_nothing():
    above = StepBox(310, -200, 150, 64)
    behind = StepBox(900, 70, 150, 64)
    assert edge_controls(A, B, [above, behind]) == edge_controls(A, B)


def test_loop_back_curves_below_both_steps():
    ctrl = edge_controls(B, A)
    assert ctrl[1][1] == ctrl[2][1] == 70 + 32 + LOOP_DEPTH


def test_same_column_runs_down():
    below = StepBox(100, 300, 150, 64)
    ctrl = edge_controls(A, below)
    assert ctrl[0] == (100, 102) and ctrl[3] == (100, 268)
