"""The Simulation panel: inputs, Run with progress and Cancel, results, overlay, animation.

Run checks the inputs first (``sim.check``): a refusal is shown as a plain
message naming the field, never a traceback. The run itself is a
:class:`~designer.ui.sim.job.SimulationJob` (a QThread; replications in worker
processes), so the window stays responsive; Cancel stops it between
replications. A finished run is kept on the document
(``document.last_simulation``, with the pathway's fingerprint) and shown as a
summary, charts, an optional canvas overlay and an animation of one
replication.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QProgressBar,
    QPushButton, QScrollArea, QTabWidget, QVBoxLayout, QWidget,
)

from designer import sim
from designer.sim.record import SimulationRecord
from designer.ui.sim.animation import QUEUEING, SEEN, MOVING, SPEEDS, PatientAnimation
from designer.ui.sim.charts import ResultsView
from designer.ui.sim.inputs import InputsPage
from designer.ui.sim.job import SimulationJob
from designer.ui.sim.overlay import MODES, SimulationOverlay

if TYPE_CHECKING:  # pragma: no cover
    from designer.ui.editing.context import EditorContext

ERROR_STYLE = "color: #b71c1c; background: #fdecea; border: 1px solid #e57373; padding: 6px;"
WARNING_STYLE = "color: #5d4037; background: #fff8e1; border: 1px solid #ffb300; padding: 6px;"
# events that leave the panel's inputs to be read again
_INPUT_EVENTS = ("flow-", "resource-", "cohort-", "cost-", "scenario-", "step-", "transition-",
                 "reset")


class SimulationDock(QDockWidget):
    """The Simulation panel of one window (see the module notes)."""

    run_finished = Signal(object)           # the Results, after a successful run

    def __init__(self, context: "EditorContext", parent: QWidget | None = None) -> None:
        super().__init__("Simulation", parent)
        self.setObjectName("simulation-dock")
        self.setAccessibleName("Simulation")
        self.context = context
        self.workers = 2
        self.job: SimulationJob | None = None
        self._run_document = None
        self.results = None
        self.overlay: SimulationOverlay | None = None
        self.animation: PatientAnimation | None = None
        self._pathway = None
        self._scene = None
        self._inputs_stale = False     # edits came while the panel was out of sight
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self.refresh_inputs)
        self._stale_timer = QTimer(self)
        self._stale_timer.setSingleShot(True)
        self._stale_timer.setInterval(300)
        self._stale_timer.timeout.connect(self._check_stale)

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(6, 6, 6, 6)
        row = QHBoxLayout()
        self.run_button = QPushButton("Run simulation")
        self.run_button.setToolTip("Simulate the pathway's scenarios (replications run in "
                                   "the background; you can go on working)")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Simulation progress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.progress.setFormat("Ready")
        row.addWidget(self.run_button)
        row.addWidget(self.cancel_button)
        row.addWidget(self.progress, 1)
        column.addLayout(row)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Simulation message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()
        column.addWidget(self.message)
        self.warning = QLabel("")
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Simulation warning")
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()
        column.addWidget(self.warning)
        self.stale = QLabel("The pathway has changed since these results were run; "
                            "run the simulation again to bring them up to date.")
        self.stale.setWordWrap(True)
        self.stale.setAccessibleName("Results out of date")
        self.stale.setStyleSheet(WARNING_STYLE)
        self.stale.hide()
        column.addWidget(self.stale)

        self.tabs = QTabWidget()
        self.inputs = InputsPage(context)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.inputs)
        self.tabs.addTab(scroll, "Inputs")
        self.results_view = ResultsView()
        self.tabs.addTab(self.results_view, "Results")
        self.tabs.addTab(self._canvas_page(), "On the canvas")
        column.addWidget(self.tabs, 1)
        self.setWidget(body)
        self.setMinimumWidth(420)
        context.document_changed.connect(self._rebind)
        if context.document is not None:
            self._rebind()

    # ------------------------------------------------------------- canvas page

    def _canvas_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        box = QGroupBox("Colour the steps")
        form = QFormLayout(box)
        self.overlay_mode = QComboBox()
        self.overlay_mode.setAccessibleName("Colour the steps by")
        for mode, label in MODES.items():
            self.overlay_mode.addItem(label, mode)
        self.overlay_mode.currentIndexChanged.connect(self.apply_overlay)
        form.addRow("Colour steps by:", self.overlay_mode)
        self.overlay_scenario = QComboBox()
        self.overlay_scenario.setAccessibleName("Scenario shown on the canvas")
        self.overlay_scenario.currentIndexChanged.connect(self.apply_overlay)
        form.addRow("Scenario:", self.overlay_scenario)
        note = QLabel("Each coloured step also shows its value as text; the legend is "
                      "in the top right corner of the canvas.")
        note.setWordWrap(True)
        form.addRow(note)
        column.addWidget(box)

        box = QGroupBox("Watch patients move (one replication)")
        inner = QVBoxLayout(box)
        row = QHBoxLayout()
        self.play_button = QPushButton("Play")
        self.play_button.setAccessibleName("Play or pause the animation")
        self.play_button.clicked.connect(self.toggle_play)
        self.restart_button = QPushButton("Restart")
        self.restart_button.clicked.connect(self.restart_animation)
        self.stop_button = QPushButton("Stop and hide")
        self.stop_button.clicked.connect(self.stop_animation)
        self.speed = QComboBox()
        self.speed.setAccessibleName("Animation speed")
        for weeks in SPEEDS:
            self.speed.addItem(f"{weeks:g} week{'s' if weeks != 1 else ''} a second", weeks)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.speed.currentIndexChanged.connect(self._speed_changed)
        for widget in (self.play_button, self.restart_button, self.stop_button, self.speed):
            row.addWidget(widget)
        row.addStretch(1)
        inner.addLayout(row)
        self.clock = QLabel("Run the simulation first.")
        self.clock.setAccessibleName("Animation clock")
        self.clock.setWordWrap(True)
        inner.addWidget(self.clock)
        key = QLabel(f"<span style='color:{QUEUEING}'>●</span> queueing for a step &nbsp; "
                     f"<span style='color:{SEEN}'>●</span> being seen &nbsp; "
                     f"<span style='color:{MOVING}'>●</span> between steps")
        inner.addWidget(key)
        column.addWidget(box)
        column.addStretch(1)
        self._set_canvas_controls(False)
        return page

    def _set_canvas_controls(self, on: bool) -> None:
        for widget in (self.overlay_mode, self.overlay_scenario, self.play_button,
                       self.restart_button, self.stop_button, self.speed):
            widget.setEnabled(on)

    # ------------------------------------------------------------------ binding

    def _rebind(self) -> None:
        if self._pathway is not None:
            self._pathway.unsubscribe(self._on_model_event)
        self.stop_animation()
        if self.overlay is not None:
            self.overlay.clear()
        self.overlay = None
        self._pathway = self.context.pathway
        self._pathway.subscribe(self._on_model_event)
        scene = self.context.scene
        if scene is not self._scene and scene is not None:
            # the overlay and the animation follow the canvas into and out of high contrast
            scene.contrast_changed.connect(self._canvas_contrast_changed)
        self._scene = scene
        record = self.context.document.last_simulation
        self.show_results(record.results if record is not None else None)
        self.refresh_inputs()

    def _on_model_event(self, event) -> None:
        if event.kind.startswith(_INPUT_EVENTS):
            if self.isVisible():
                # at once, while the field being typed in is known (it is left as typed)
                self.refresh_inputs()
            else:
                # out of sight (closed, or behind another tab): when it is shown. Every
                # edit of a step is an input event, and the lists follow the steps
                self._inputs_stale = True
        if self.results is not None:
            self._stale_timer.start()
        if event.kind == "reset" and self.overlay is not None:
            self.overlay.clear()

    def _canvas_contrast_changed(self, _on: bool) -> None:
        if self.overlay is not None and self.overlay.scene is self._scene:
            self.overlay.restyle()
        if self.animation is not None and self.animation.scene is self._scene:
            self.animation.restyle()

    def refresh_inputs(self) -> None:
        self._refresh_timer.stop()
        self._inputs_stale = False
        self.inputs.refresh()

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._inputs_stale:
            self.refresh_inputs()

    # ---------------------------------------------------------------------- run

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.isRunning()

    def run(self) -> bool:
        """Check the inputs and start a run; False (with a message) when it cannot start."""
        if self.running:
            return False
        pathway = self.context.pathway
        try:
            warnings = sim.check(pathway)
        except sim.FlowInputError as exc:
            self._say(f"The simulation cannot run yet. {_field_words(exc)}", error=True)
            return False
        self._say("")
        self._show_warnings(warnings)
        flow = pathway.flow
        reps = flow.replications if flow and flow.replications else 30
        scenarios = max(1, len(pathway.scenarios))
        self.progress.setRange(0, reps * scenarios)
        self.progress.setValue(0)
        self.progress.setFormat("%v of %m replications")
        # no Qt parent: a run outlives a closed panel or window until it stops
        self.job = SimulationJob(pathway, workers=self.workers, trace=True)
        keep_running(self.job)
        self._run_document = self.context.document
        self.job.progressed.connect(self._progressed)
        self.job.succeeded.connect(self._succeeded)
        self.job.failed.connect(self._failed)
        self.job.was_cancelled.connect(self._cancelled)
        self.job.finished.connect(self._job_done)
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.context.status("Simulation running…", 3000)
        self.job.start()
        return True

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.progress.setFormat("Cancelling…")

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _succeeded(self, results) -> None:
        job = self.sender() if isinstance(self.sender(), SimulationJob) else self.job
        document = self._run_document
        if document is not None and job is not None:
            document.last_simulation = SimulationRecord.of(job.pathway, results)
        if document is not self.context.document:
            return       # another file was opened meanwhile: the results stay with theirs
        self._show_warnings(results.warnings)
        self.show_results(results)
        self.tabs.setCurrentWidget(self.results_view)
        self.context.status("Simulation finished", 5000)
        self.run_finished.emit(results)

    def _failed(self, message: str) -> None:
        self._say(message, error=True)

    def _cancelled(self) -> None:
        self._say("The simulation was cancelled; nothing changed.", error=False)
        self.progress.setValue(0)
        self.progress.setFormat("Cancelled")

    def _job_done(self) -> None:
        job, self.job = self.job, None
        self._run_document = None
        if job is not None:
            job.deleteLater()
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if self.progress.format() == "Cancelling…":
            self.progress.setFormat("Cancelled")

    def wait_for_run(self, ms: int = 60_000) -> bool:
        """Block until the current run ends (tests and scripts only)."""
        job = self.job
        return job is None or job.wait(ms)

    def _say(self, message: str, error: bool = False) -> None:
        self.message.setText(message)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setVisible(bool(message))

    def _show_warnings(self, warnings: list[str]) -> None:
        if not warnings:
            self.warning.hide()
            return
        lines = []
        for w in warnings:
            if w.startswith("unstable"):
                lines.append("<b>Unstable:</b> " + w.split(":", 1)[1].strip()
                             + ". The waiting list and waits depend on how long the run is; "
                               "the figures describe this run only.")
            else:
                lines.append(w[0].upper() + w[1:])
        self.warning.setText("<br>".join(lines))
        self.warning.show()

    # ------------------------------------------------------------------ results

    def _check_stale(self) -> None:
        document = self.context.document
        record = document.last_simulation if document is not None else None
        stale = (self.results is not None and record is not None
                 and record.results is self.results and not record.matches(document.pathway))
        self.stale.setVisible(stale)

    def show_results(self, results) -> None:
        self.stop_animation()
        self.results = results
        self.overlay_scenario.blockSignals(True)
        self.overlay_scenario.clear()
        if results is not None:
            for s in results.scenarios:
                self.overlay_scenario.addItem(s.name, s.id)
            self.overlay_scenario.setCurrentIndex(len(results.scenarios) - 1)
        self.overlay_scenario.blockSignals(False)
        self._set_canvas_controls(results is not None)
        self.stale.hide()
        if results is None:
            self.clock.setText("Run the simulation first.")
            return
        pathway = self.context.pathway
        labels = {
            "settings": {s.id: (pathway.setting(s.setting).name if pathway.setting(s.setting)
                                else "No lane") for s in pathway.steps},
            "cohorts": {c.id: c.name for c in pathway.cohorts},
            "resources": {r.id: r.name for r in pathway.resources},
        }
        self.results_view.show_results(results, labels)
        self.clock.setText("Press Play to watch patients move through the pathway.")
        self.apply_overlay()

    def apply_overlay(self, *_args) -> None:
        scene = self.context.scene
        if scene is None:
            return
        if self.overlay is None or self.overlay.scene is not scene:
            if self.overlay is not None:
                self.overlay.clear()
            self.overlay = SimulationOverlay(scene)
        self.overlay.show(self.results, self.context.pathway,
                          self.overlay_mode.currentData() or "off",
                          self.overlay_scenario.currentData())

    # ---------------------------------------------------------------- animation

    def _ensure_animation(self) -> PatientAnimation | None:
        scene = self.context.scene
        if self.results is None or not self.results.trace or scene is None:
            return None
        if self.animation is None or self.animation.scene is not scene:
            self.stop_animation()
            self.animation = PatientAnimation(
                scene, self.results.trace, warmup_weeks=self.results.warmup_weeks,
                horizon_weeks=self.results.horizon_weeks, parent=self)
            self.animation.speed = self.speed.currentData()
            self.animation.ticked.connect(self._tick)
        return self.animation

    def toggle_play(self) -> None:
        animation = self._ensure_animation()
        if animation is None:
            return
        if animation.playing:
            animation.pause()
            self.play_button.setText("Play")
        else:
            animation.play()
            self.play_button.setText("Pause")

    def restart_animation(self) -> None:
        animation = self._ensure_animation()
        if animation is not None:
            animation.seek(animation.start_days)

    def stop_animation(self) -> None:
        if self.animation is not None:
            self.animation.stop()
            self.animation.deleteLater()
            self.animation = None
        if hasattr(self, "play_button"):
            self.play_button.setText("Play")

    def _speed_changed(self, _index: int) -> None:
        if self.animation is not None:
            self.animation.speed = self.speed.currentData()

    def _tick(self, _days: float) -> None:
        if self.animation is None:
            return
        self.clock.setText(self.animation.clock_text())
        if not self.animation.playing:
            self.play_button.setText("Play")


_RUNNING: set[SimulationJob] = set()
_QUIT_HOOKED = False


def keep_running(job: SimulationJob) -> None:
    """Hold a reference to ``job`` until it ends; at quit, cancel it and wait for it."""
    _RUNNING.add(job)
    job.finished.connect(lambda: _RUNNING.discard(job))
    global _QUIT_HOOKED
    app = QCoreApplication.instance()
    if app is not None and not _QUIT_HOOKED:
        app.aboutToQuit.connect(stop_all_runs)
        _QUIT_HOOKED = True


def stop_all_runs(wait_ms: int = 30_000) -> None:
    """Cancel every simulation still running and wait for each to stop."""
    for job in list(_RUNNING):
        job.cancel()
    for job in list(_RUNNING):
        job.wait(wait_ms)


def _field_words(exc: Exception) -> str:
    """A pre-flight refusal for people: 'Where: problem.'"""
    field = getattr(exc, "field", "")
    problem = getattr(exc, "problem", str(exc))
    sentence = problem[0].upper() + problem[1:] if problem else problem
    if not sentence.endswith("."):
        sentence += "."
    return f"{sentence} (in {field})" if field else sentence
