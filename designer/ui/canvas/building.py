"""Building a big canvas without freezing the window (issue 16, "fast open").

A synchronous :class:`~designer.ui.canvas.scene.PathwayScene` build of a 2,000-step
pathway holds the GUI thread for 1-2 s: ten thousand items, every arrow's route and
every label's place. Built with ``PathwayScene(..., build=False)`` and a
:class:`SceneBuilder`, the same work runs in slices of at most ``SLICE_MS`` on the
GUI thread, with the event loop turning in between (the window repaints, moves,
takes clicks), while the two long computations that need no Qt, the routes
(:func:`designer.graph.routing.route_edges`) and the label places
(:func:`designer.graph.routing.place_labels`), run in a worker thread on copies of
what they read.

The finished scene is the one a synchronous build gives after its label tidying:
the same items in the same places, the same routes, the same label sizes and
places (``tests/ui/test_canvas_progressive.py`` compares them item by item). The
scene is not shown or edited while it is built: the window swaps it in whole when
:attr:`SceneBuilder.finished` comes, so a half-built canvas is never on screen and
never takes an edit.
"""

from __future__ import annotations

import gc
import math
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QRectF, QTimer, Signal
from shiboken6 import isValid

from designer.graph import routing

#: the longest the builder holds the GUI thread at a time (the issue's rule is 50 ms)
SLICE_MS = 20.0
#: how often the builder looks whether the worker has finished
POLL_MS = 4

_pool: ThreadPoolExecutor | None = None


def _worker_pool() -> ThreadPoolExecutor:
    global _pool
    from designer.ui.editing.writer import gui_friendly_switching

    gui_friendly_switching()
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="canvas-build")
    return _pool


def in_background(work: Callable[[], object]) -> Future:
    """Run ``work()`` (pure model or routing code: no Qt object) in the worker thread."""

    def run():
        # reading or routing makes many objects and no cycles: a collection started
        # in the worker would hold the GUI thread too. What it made lasts (the model,
        # the routes): frozen out of the collector's sight before it runs again, or
        # the next collection, in whichever thread, walks all of it at once (0.3-0.45 s
        # with the interpreter lock held, after reading 2,000 steps)
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return work()
        finally:
            gc.freeze()
            if was_enabled:
                gc.enable()

    return _worker_pool().submit(run)


def bsp_depth(items: int) -> int:
    """The depth Qt's BSP index chooses for ``items`` items (``intmaxlog``)."""
    return max(math.ceil(math.log2(max(items, 1))), 5)


class Wait:
    """Yielded by a build: resume once ``future`` is done (the GUI thread is free meanwhile)."""

    __slots__ = ("future",)

    def __init__(self, future: Future) -> None:
        self.future = future


class ProgressiveBuild:
    """The scene's build as a generator of small pieces (a mixin of PathwayScene).

    Each ``yield`` is a point where the builder may give the event loop a turn; a
    yielded :class:`Wait` waits for the worker. The steps follow
    ``PathwayScene._rebuild`` and the label tidying that follows it
    (``EdgeRouting._route`` untidy, then ``_place_decorations``), in the same order
    where order matters.
    """

    _building = False
    _build_stale = False
    build_fraction = 0.0

    def _build_in_steps(self):
        self._building = True
        self._build_stale = False
        self._boxes_moved = None          # every box is looked at after a build
        try:
            yield from self._build_parts()
        finally:
            self._building = False

    def _build_parts(self):
        steps, transitions = self.pathway.steps, self.pathway.transitions
        total = max(1, 2 * len(steps) + 3 * len(transitions))
        done = 0
        self._dirty.clear()
        self._drag_routes = None
        self._routes = {}
        self._untidy = set()
        self._selected = set()
        self._steps, self._edges, self._lanes, self._by_step = {}, {}, {}, {}
        self._bands = []
        roles = {r.id: r for r in self.pathway.roles}
        # The item index (a BSP tree) is laid out again, every item re-inserted, each
        # time the item count passes a power of two (50 ms a time near 10,000 items):
        # fix its depth at what it would settle on for the finished scene.
        self.setBspTreeDepth(bsp_depth(2 * len(steps) + 3 * len(transitions)))
        # the lanes and the scene's extent first (from the model): every step is then
        # placed as it is made, and the item index is laid out once for the extent
        self._sync_lanes(force=True)
        yield
        for step in steps:
            self._add_step_item(step, roles)
            self._place(step)
            done += 1
            self.build_fraction = done / total
            yield
        by_id = self.pathway.steps_by_id()
        for transition in transitions:
            self._add_edge_item(transition, by_id)
            done += 1
            self.build_fraction = done / total
            yield
        # routes: the boxes as drawn, then the router in the worker
        self._dirty = set()
        nodes = []
        for sid, item in self._steps.items():
            pos = item.pos()
            nodes.append(routing.Node(sid, pos.x(), pos.y(), *item.size(),
                                      routing.shape_of(item.kind)))
            done += 1
            if done % 8 == 0:
                self.build_fraction = done / total
                yield
        edges = self._route_edges_now()
        cache = self._route_cache
        task = in_background(lambda: routing.route_edges(nodes, edges, cache=cache))
        yield Wait(task)
        routes = task.result()
        self._routes, self._route_nodes = routes, nodes
        for key, edge in self._edges.items():
            route = routes.get(key)
            if route is None:
                edge.setVisible(False)
            else:
                edge.setVisible(True)
                edge.set_route(route)
                # its extent (Qt asks the Python shape() for it) now, in this slice,
                # not for every arrow at once when the item index is next read
                edge.boundingRect()
            done += 1
            self.build_fraction = done / total
            yield
        ids = list(self._steps)
        for i in range(0, len(ids), 40):
            self._set_captions(ids[i:i + 40])
            yield
        # labels and badges: where the tidying puts them, worked out in the worker
        requests = []
        for edge in self._edges.values():
            if edge.key in routes:
                requests.extend(edge.label_requests())
            done += 1
            if done % 8 == 0:
                self.build_fraction = done / total
                yield
        keep_clear = self._captions_below()
        yield
        labels = [label for label, _item in requests]
        label_cache = self._label_cache
        task = in_background(lambda: routing.place_labels(
            routes, nodes, labels, keep_clear=keep_clear, cache=label_cache))
        yield Wait(task)
        places = task.result()
        for n, (label, item) in enumerate(requests):
            rect = places.get((label.key, label.name))
            if rect is None:
                # not placed by the tidying: where the first routing put it
                route = routes[label.key]
                (x, y), _ = route.point_at(max(30.0, label.prefer * route.length()))
                item.setPos(x, y)
            else:
                if label.name == "label":
                    item.use_size(rect[2] - rect[0], rect[3] - rect[1])
                item.setPos((rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2)
            if n % 4 == 0:
                yield
        self._untidy = set()
        self.build_fraction = 1.0
        self.build_slice_ended()

    def build_slice_ended(self) -> None:
        """Bring the item index up to date with what this slice moved or reshaped.

        Qt re-indexes a changed item lazily (two seconds later, or at the next
        look-up, which the first paint is): the items each slice touched are
        indexed at its end, so the first paint finds the index complete.
        """
        # a look-up of a tiny spot in the empty bottom-right margin (the index is
        # updated first; few items there to test, none of the arrows still at 0, 0)
        rect = self.sceneRect()
        self.items(QRectF(rect.right() - 2.0, rect.bottom() - 2.0, 1.0, 1.0))


def pre_activate(scene) -> None:
    """Count the scene active while it is still empty (see :func:`settle_activation`).

    When the first view of a scene is shown in the active window, Qt activates the
    scene, sorting all its items and telling every top-level one (~35 ms at 2,000
    steps, in the turn the finished canvas appears). Activated while empty, that
    costs nothing; the view's own activation then only counts up, and
    :func:`settle_activation` takes this extra count back.
    """
    QCoreApplication.sendEvent(scene, QEvent(QEvent.Type.WindowActivate))
    scene._pre_activated = True


def settle_activation(scene) -> None:
    """Take back :func:`pre_activate`'s count once the scene's view has been shown
    (from the event loop: the view is shown by a queued call): the scene is then
    active exactly while its window is (a window not active at that moment gets
    its items told now, as it would have)."""
    if not getattr(scene, "_pre_activated", False):
        return

    def settle() -> None:
        if isValid(scene) and scene._pre_activated:
            scene._pre_activated = False
            QCoreApplication.sendEvent(scene, QEvent(QEvent.Type.WindowDeactivate))

    QTimer.singleShot(0, settle)


#: a scene with fewer items than this is deleted at once
RETIRE_AT_ONCE = 1500


def retire(scene, slice_ms: float = SLICE_MS) -> None:
    """Delete a scene no longer shown (a replaced document's, a cancelled build's)
    without one long block: its items are taken out a slice at a time, then the
    empty scene goes. Deleting a 2,000-step canvas at once held the GUI thread
    ~50 ms. Safe if the scene's owner deletes it first."""
    scene.detach()
    items = []
    for edge in scene._edges.values():
        items.append(edge)
        items.extend(edge.decorations())
    items.extend(scene._steps.values())
    for lane in scene._lanes.values():
        items.extend((lane.header, lane))
    if len(items) < RETIRE_AT_ONCE:
        scene.deleteLater()
        return
    scene._steps, scene._edges, scene._lanes, scene._by_step = {}, {}, {}, {}
    scene._routes, scene._route_nodes = {}, []
    scene._selected, scene._highlighted, scene._critical = set(), set(), set()
    scene._findings, scene._badges_shown, scene._badge_queue = {}, {}, []
    scene._badge_signs = {}

    def take_some() -> None:
        if not isValid(scene):
            items.clear()          # deleted with its owner: nothing left to do
            return
        deadline = time.perf_counter() + slice_ms / 1000.0
        while items and time.perf_counter() < deadline:
            for _ in range(50):
                if not items:
                    break
                item = items.pop()
                if isValid(item) and item.scene() is scene:
                    scene.removeItem(item)
        if items:
            QTimer.singleShot(0, take_some)
        else:
            scene.deleteLater()

    QTimer.singleShot(0, take_some)


class SceneBuilder(QObject):
    """Drives a scene's :meth:`ProgressiveBuild._build_in_steps` in time slices.

    Signals
    -------
    progressed(float)
        The share of the work done (0-1), after each slice.
    finished()
        The scene is complete (and tidy): show it.
    failed(object)
        The build raised this exception; the scene is unusable.
    """

    progressed = Signal(float)
    finished = Signal()
    failed = Signal(object)

    def __init__(self, scene, slice_ms: float = SLICE_MS, parent: QObject | None = None):
        super().__init__(parent)
        self.scene = scene
        self.slice_ms = slice_ms
        self._gen = None
        self._waiting: Future | None = None
        self.done = False
        self.cancelled = False
        self.slices = 0
        self.longest_slice_ms = 0.0        # wall clock (includes waits for a core)
        self.longest_slice_cpu_ms = 0.0    # this thread's CPU time
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_worker)
        self._next = QTimer(self)
        self._next.setSingleShot(True)
        self._next.setInterval(0)
        self._next.timeout.connect(self._run_slice)

    @property
    def running(self) -> bool:
        return self._gen is not None

    def start(self) -> None:
        """Begin; the first slice runs from the event loop."""
        pre_activate(self.scene)
        self._gen = self._steps()
        self._next.start()

    def _steps(self):
        """The scene's build, each piece run with the cycle collector paused.

        A build makes tens of thousands of lasting objects and no garbage: a full
        collection between slices would walk them all on the GUI thread (0.1-0.4 s).
        Each piece runs paused and what it made is frozen out of the collector's sight
        before it runs again (as ``MainWindow.set_document`` does with a document); no
        paused state outlives a piece, whatever happens to the builder.
        """
        gen = self.scene._build_in_steps()
        try:
            while True:
                was_enabled = gc.isenabled()
                gc.disable()
                try:
                    step = next(gen)
                except StopIteration:
                    return
                finally:
                    gc.freeze()
                    if was_enabled:
                        gc.enable()
                yield step
        finally:
            gen.close()

    def cancel(self) -> None:
        """Stop where it is (the scene is left half-built: drop it)."""
        if self._gen is None:
            return
        self.cancelled = True
        self._stop()

    def run_to_end(self) -> None:
        """Finish now, blocking (tests, and the rare synchronous caller)."""
        if self._gen is None:
            self.start()
        self._next.stop()
        self._poll.stop()
        try:
            for step in self._gen:
                if isinstance(step, Wait):
                    step.future.result()
        except Exception as exc:  # noqa: BLE001 - reported as failed
            self._stop()
            self.failed.emit(exc)
            return
        self._finish()

    def _stop(self, built: bool = False) -> None:
        self._next.stop()
        self._poll.stop()
        gen, self._gen = self._gen, None
        self._waiting = None
        if gen is not None:
            gen.close()

    def _check_worker(self) -> None:
        if self._waiting is not None and self._waiting.done():
            self._poll.stop()
            self._waiting = None
            self._run_slice()

    def _run_slice(self) -> None:
        gen = self._gen
        if gen is None:
            return
        started = time.perf_counter()
        self._cpu_started = time.thread_time()
        deadline = started + self.slice_ms / 1000.0
        try:
            while True:
                step = next(gen)
                if isinstance(step, Wait):
                    if not step.future.done():
                        self._waiting = step.future
                        self._poll.start()
                        break
                    continue
                if time.perf_counter() >= deadline:
                    self._next.start()
                    break
            self.scene.build_slice_ended()
        except StopIteration:
            self._note(started)
            self._finish()
            return
        except Exception as exc:  # noqa: BLE001 - the caller reports it
            self._note(started)
            self._stop()
            self.failed.emit(exc)
            return
        self._note(started)
        self.progressed.emit(self.scene.build_fraction)

    def _note(self, started: float) -> None:
        self.slices += 1
        self.longest_slice_ms = max(self.longest_slice_ms,
                                    (time.perf_counter() - started) * 1000.0)
        self.longest_slice_cpu_ms = max(self.longest_slice_cpu_ms,
                                        (time.thread_time() - self._cpu_started) * 1000.0)

    def _finish(self) -> None:
        self._stop(built=True)
        scene = self.scene
        if scene._build_stale:
            # the model changed while it was built (nothing should edit a document
            # before it is shown): build again, at once, from the model as it is now
            scene._rebuild()
        self.done = True
        self.progressed.emit(1.0)
        self.finished.emit()
