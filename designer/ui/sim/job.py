"""A simulation run off the GUI thread: a QThread calls :func:`designer.sim.run`.

The replications themselves run in worker processes (``workers``) through the
sim API; this thread only waits for them, reports progress with a queued
signal and can be cancelled (the run stops between replications). The window
stays responsive throughout. The pathway is a snapshot taken when the run
starts, so editing on while it runs changes nothing in this run.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal

from designer import sim


class SimulationJob(QThread):
    """One run. Exactly one of ``succeeded``, ``failed`` or ``was_cancelled`` is emitted."""

    progressed = Signal(int, int)          # replications done, total
    succeeded = Signal(object)             # designer.sim.Results
    failed = Signal(str)                   # a message for people
    was_cancelled = Signal()

    def __init__(self, pathway, *, scenarios=None, replications: int | None = None,
                 workers: int = 2, trace: bool = True, parent=None) -> None:
        super().__init__(parent)
        self.pathway = pathway.snapshot()
        self.scenarios = scenarios
        self.replications = replications
        self.workers = workers
        self.trace = trace
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        """Ask the run to stop at the next replication (returns at once)."""
        self.cancel_event.set()

    def run(self) -> None:  # noqa: D401 - QThread override, runs in the thread
        try:
            results = sim.run(self.pathway, self.scenarios, replications=self.replications,
                              workers=self.workers, trace=self.trace,
                              cancel=self.cancel_event,
                              progress=lambda done, total: self.progressed.emit(done, total))
        except sim.SimulationCancelled:
            self.was_cancelled.emit()
        except sim.FlowInputError as exc:
            self.failed.emit(f"The simulation cannot run: {exc}")
        except sim.SimulationSetupError as exc:
            self.failed.emit(f"The simulation could not start: {exc}")
        except Exception as exc:  # noqa: BLE001 - never a traceback to the user
            self.failed.emit(f"The simulation stopped unexpectedly: {exc}")
        else:
            if self.cancel_event.is_set():
                self.was_cancelled.emit()
            else:
                self.succeeded.emit(results)
