"""Patients moving through the drawn pathway, played from one replication's trace.

The trace (``Results.trace``, from ``sim.run(..., trace=True)``) lists every
move of every patient of replication 0: ``(day, patient, step, event)`` with
event ``arrive`` (joins the step, queueing if it is busy), ``start``, ``end``
and ``leave``. At a given clock time each patient who has arrived and not left
is one dot: in a queue to the left of a step (waiting for it), inside the
step (being seen), or travelling along the drawn arrow to the next step
(between ``end`` and the next ``arrive``: the transition's wait).

A move with no wait on its arrow takes no simulated time; so that it can be
seen, it is drawn as a short glide along the arrow (``GLIDE_SECONDS`` of real
time at the playing speed, but at most half the patient's time at the next
step), and the patient shows at the next step once the glide ends. A wait on the arrow is drawn as the time spent on it.

A QTimer drives the frames (25 a second); nothing blocks the window. Nothing
here changes the model or the undo stack.
"""

from __future__ import annotations

import bisect

import shiboken6
from PySide6.QtCore import QObject, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPen
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem, QGraphicsSimpleTextItem

FRAME_MS = 40
#: playing speeds offered: simulated weeks per real second
SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)
QUEUEING, SEEN, MOVING = "#d55e00", "#0072B2", "#cc79a7"   # Okabe-Ito
#: the "+N" of patients beyond the dots drawn, on a canvas in high contrast: text
#: must stand 4.5:1 on black, which the blue (4.0:1) does not; its lighter Okabe-Ito
#: sibling does (9:1). The dots keep their colours (3:1 or more on black, and ringed).
COUNT_ON_BLACK = {"queueing": QUEUEING, "seen": "#56B4E9"}
DOT = 9.0
MOST_DOTS = 600
#: dots drawn in a queue (rows of QUEUE_ROW to the left of a step) and inside a step
#: (one row along its bottom edge); more than that are counted in a "+N" label
QUEUE_ROW, QUEUE_ROWS = 6, 3
GLIDE_SECONDS = 0.4
Z_DOTS = 3.0           # above arrows and their labels, below the pinned lane headers (4)


class _Journey:
    """One patient's events, in time order."""

    __slots__ = ("times", "steps", "events")

    def __init__(self) -> None:
        self.times: list[float] = []
        self.steps: list[str] = []
        self.events: list[str] = []


def journeys(trace) -> dict[int, _Journey]:
    out: dict[int, _Journey] = {}
    for day, patient, step, event in trace:
        j = out.get(patient)
        if j is None:
            j = out[patient] = _Journey()
        j.times.append(day)
        j.steps.append(step)
        j.events.append(event)
    return out


class PatientAnimation(QObject):
    """Plays a trace on ``scene``: ``play()``, ``pause()``, ``speed``, ``clock_days``."""

    ticked = Signal(float)          # the clock, in days from the start of the run

    def __init__(self, scene, trace, *, warmup_weeks: float = 0.0,
                 horizon_weeks: float | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.scene = scene
        self.journeys = journeys(trace or ())
        # patients sorted by arrival, to skip those not yet arrived quickly
        self._order = sorted(self.journeys, key=lambda p: self.journeys[p].times[0])
        self._arrivals = [self.journeys[p].times[0] for p in self._order]
        self.end_days = max((j.times[-1] for j in self.journeys.values()), default=0.0)
        if horizon_weeks is not None:
            self.end_days = min(self.end_days, (warmup_weeks + horizon_weeks) * 7.0)
        self.start_days = warmup_weeks * 7.0
        self.clock_days = self.start_days
        self.speed = 1.0                 # simulated weeks per second
        self.frames = 0
        self._dots: list[QGraphicsEllipseItem] = []
        self._more: list[QGraphicsSimpleTextItem] = []
        self.overflow: dict[tuple[str, str], tuple[int, QPointF]] = {}
        self.timer = QTimer(self)
        self.timer.setInterval(FRAME_MS)
        self.timer.timeout.connect(self.step_frame)
        self.counts = {"queueing": 0, "seen": 0, "moving": 0}

    # ------------------------------------------------------------------- control

    @property
    def playing(self) -> bool:
        return self.timer.isActive()

    def play(self) -> None:
        if self.clock_days >= self.end_days:
            self.clock_days = self.start_days
        self.timer.start()

    def pause(self) -> None:
        self.timer.stop()

    def stop(self) -> None:
        """Stop and remove every dot."""
        self.timer.stop()
        for dot in self._dots + self._more:
            if shiboken6.isValid(dot) and dot.scene() is not None:
                dot.scene().removeItem(dot)
        self._dots, self._more = [], []

    def seek(self, days: float) -> None:
        self.clock_days = max(0.0, min(days, self.end_days))
        self.render()

    def step_frame(self) -> None:
        """Advance the clock by one frame at the current speed and redraw."""
        self.frames += 1
        self.clock_days += self.speed * 7.0 * FRAME_MS / 1000.0
        if self.clock_days >= self.end_days:
            self.clock_days = self.end_days
            self.timer.stop()
        self.render()

    # ------------------------------------------------------------------ drawing

    def positions(self, day: float) -> list[tuple[QPointF, str]]:
        """Where each patient in the pathway is at ``day``, and what they are doing."""
        steps = self.scene.step_items()
        edges = self.scene.transition_items()
        queue_len: dict[str, int] = {}
        self.overflow: dict[tuple[str, str], tuple[int, QPointF]] = {}
        inside: dict[str, int] = {}
        out: list[tuple[QPointF, str]] = []
        glide = self.speed * 7.0 * GLIDE_SECONDS
        last = bisect.bisect_right(self._arrivals, day)
        for patient in self._order[:last]:
            j = self.journeys[patient]
            k = bisect.bisect_right(j.times, day) - 1
            if k < 0:
                continue
            event, step = j.events[k], j.steps[k]
            if event == "leave" or (k == len(j.times) - 1 and event == "end"):
                continue
            move = self._moving(j, k, day, glide)
            if move is not None:
                source, target, share = move
                out.append((self._on_arrow(source, target, share, steps, edges), "moving"))
                continue
            item = steps.get(step)
            if item is None:
                continue
            rect = item.sceneBoundingRect()
            if event == "arrive":
                n = queue_len.get(step, 0)
                queue_len[step] = n + 1
                row, col = divmod(n, QUEUE_ROW)
                if row >= QUEUE_ROWS:
                    self._count(step, "queueing", QPointF(
                        rect.left() - 14 - QUEUE_ROW * (DOT + 2), rect.center().y() - 14))
                    continue
                # above the arrow that comes in at the middle of the step's side
                out.append((QPointF(rect.left() - 8 - col * (DOT + 2),
                                    rect.center().y() - 8 - row * (DOT + 2)), "queueing"))
            else:
                n = inside.get(step, 0)
                inside[step] = n + 1
                point = _inside(rect, n)
                if point is None:
                    self._count(step, "seen", QPointF(rect.right() + 2, rect.bottom() - 14))
                    continue
                out.append((point, "seen"))
        return out

    def _count(self, step: str, state: str, where: QPointF) -> None:
        n, _ = self.overflow.get((step, state), (0, where))
        self.overflow[(step, state)] = (n + 1, where)

    @staticmethod
    def _moving(j: _Journey, k: int, day: float, glide: float):
        """(from step, to step, share of the way) when the patient is on an arrow at ``day``.

        A wait on the arrow is the time between leaving one step and arriving at the
        next. A move without a wait is drawn as a glide of ``glide`` days, but never
        longer than half the patient's time at the next step, so the dot is where
        the simulation has the patient for most of the time."""
        for e in (k, k - 1, k - 2):
            if e < 0 or e + 1 >= len(j.times) or j.events[e] != "end":
                continue
            if j.steps[e + 1] == j.steps[e]:
                return None
            t0, arrive = j.times[e], j.times[e + 1]
            if arrive > t0:
                t1 = arrive
            else:
                later = next((t for t in j.times[e + 2:] if t > arrive), arrive)
                t1 = t0 + min(glide, 0.5 * (later - arrive))
            if day < t1:
                share = (day - t0) / (t1 - t0)
                return j.steps[e], j.steps[e + 1], min(1.0, max(0.0, share))
            return None
        return None

    @staticmethod
    def _on_arrow(source: str, target: str, share: float, steps, edges) -> QPointF:
        edge = edges.get(f"{source}->{target}")
        if edge is not None and not edge.path().isEmpty():
            return edge.mapToScene(edge.path().pointAtPercent(share))
        if source in steps and target in steps:
            a = steps[source].sceneBoundingRect().center()
            b = steps[target].sceneBoundingRect().center()
            return a + (b - a) * share
        item = steps.get(source) or steps.get(target)
        return item.sceneBoundingRect().center() if item is not None else QPointF()

    def render(self) -> None:
        placed = self.positions(self.clock_days)[:MOST_DOTS]
        while len(self._dots) < len(placed):
            dot = QGraphicsEllipseItem(-DOT / 2, -DOT / 2, DOT, DOT)
            dot.setZValue(Z_DOTS)
            dot.setPen(QPen(QColor("#ffffff"), 1.0))
            dot.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
            dot.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresParentOpacity)
            self.scene.addItem(dot)
            self._dots.append(dot)
        colours = {"queueing": QUEUEING, "seen": SEEN, "moving": MOVING}
        counts = {"queueing": 0, "seen": 0, "moving": 0}
        for dot, (point, state) in zip(self._dots, placed):
            dot.setPos(point)
            dot.setBrush(QBrush(QColor(colours[state])))
            dot.setVisible(True)
            counts[state] += 1
        for dot in self._dots[len(placed):]:
            dot.setVisible(False)
        for (_step, state), (n, _where) in self.overflow.items():
            counts[state] += n
        self._show_overflow()
        self.counts = counts
        self.ticked.emit(self.clock_days)

    def restyle(self) -> None:
        """Draw what is shown again in the canvas's colours (after View > High Contrast)."""
        if self._dots or self._more:
            self.render()

    def _show_overflow(self) -> None:
        dark = bool(getattr(self.scene, "high_contrast", False))
        labels = list(self.overflow.items())
        while len(self._more) < len(labels):
            text = QGraphicsSimpleTextItem()
            text.setZValue(Z_DOTS)
            font = QFont()
            font.setPointSizeF(8)
            font.setBold(True)
            text.setFont(font)
            self.scene.addItem(text)
            self._more.append(text)
        for text, ((_step, state), (n, where)) in zip(self._more, labels):
            text.setText(f"+{n}")
            if dark:
                colour = COUNT_ON_BLACK["queueing" if state == "queueing" else "seen"]
            else:
                colour = QUEUEING if state == "queueing" else SEEN
            text.setBrush(QBrush(QColor(colour)))
            text.setPos(where)
            text.setVisible(True)
        for text in self._more[len(labels):]:
            text.setVisible(False)

    def clock_text(self) -> str:
        week = self.clock_days / 7.0
        after = week - self.start_days / 7.0
        return (f"Week {after:.1f} after warm-up (week {week:.1f} of the run) · "
                f"{self.counts['queueing']} queueing, {self.counts['seen']} being seen, "
                f"{self.counts['moving']} between steps")


def _inside(rect, n: int) -> QPointF | None:
    """The n-th place in the row along the bottom of a step; None when the row is full."""
    per_row = max(1, int((rect.width() - 16) // (DOT + 2)))
    if n >= per_row:
        return None
    return QPointF(rect.left() + 8 + n * (DOT + 2) + DOT / 2, rect.bottom() - 2 - DOT / 2)
