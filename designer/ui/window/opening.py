"""Opening a big pathway file without freezing the window (issue 16, "fast open").

A file of ``BACKGROUND_BYTES`` or more (about 130 steps; every exemplar in the
library is smaller) is opened in two stages, the window live all the while:

1. **Reading** in a worker thread: :meth:`Document.read` (the YAML or the
   parsed-pathway cache, then positions for unplaced steps): model code only, no
   Qt object.
2. **Drawing**: a new canvas for it is built off screen by a
   :class:`~designer.ui.canvas.building.SceneBuilder`, in slices of a few
   milliseconds on the GUI thread, the routes and label places in the worker.

Meanwhile the pathway that was open stays on screen and in use, and a bar above
the canvas says "Opening NAME…" with a Cancel button. When both stages are done
the new document and its finished canvas are swapped in at once (after the
unsaved-changes prompt), so a half-built canvas is never shown and never edited.
A failed read gives the message the synchronous open gives.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from designer.ui.canvas.building import POLL_MS, SceneBuilder, in_background, retire

#: files at least this big open in the background (smaller ones at once, as before)
BACKGROUND_BYTES = 64_000


def opens_in_background(path: str | Path) -> bool:
    """True for a file big enough to read and draw in the background."""
    try:
        return os.path.getsize(path) >= BACKGROUND_BYTES
    except OSError:
        return False   # the synchronous open explains a missing or unreadable file


def _read(path: Path):
    from designer.ui.editing.document import Document

    return Document.read(path)


class Opening(QObject):
    """One file being opened: read in the worker, then its canvas built in slices.

    Signals
    -------
    progressed(str, float)
        What is happening now, for the bar ("Reading…", "Drawing…"), and the share
        of the drawing done (-1 while reading).
    ready()
        :attr:`document` and :attr:`scene` are complete: show them.
    failed(object)
        Reading failed (a ``PathwayLoadError``, its text is for people) or the
        canvas could not be built (any other exception).
    """

    progressed = Signal(str, float)
    ready = Signal()
    failed = Signal(object)

    def __init__(self, path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.document = None
        self.scene = None
        self.builder: SceneBuilder | None = None
        self.started = 0.0
        self.error_title = "Cannot open pathway"    # the title of a failure's message
        self.finished = False
        self.cancelled = False
        self._read_task = None
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._check_read)

    @property
    def name(self) -> str:
        return self.path.name

    def start(self) -> None:
        self.started = time.perf_counter()
        self.progressed.emit("Reading…", -1.0)
        self._read_task = in_background(lambda path=self.path: _read(path))
        self._poll.start()

    def cancel(self) -> None:
        """Stop and drop what was made (the file on disk is untouched)."""
        if self.finished or self.cancelled:
            return
        self.cancelled = True
        self._poll.stop()
        self._read_task = None     # the worker finishes the read; the result is dropped
        if self.builder is not None:
            self.builder.cancel()
        self.discard()

    def discard(self) -> None:
        """Drop the document and canvas made (cancelled, declined or failed)."""
        scene, self.scene = self.scene, None
        document, self.document = self.document, None
        if scene is not None:
            retire(scene)
        if document is not None:
            document.close()
            document.deleteLater()

    def _check_read(self) -> None:
        task = self._read_task
        if task is None or not task.done():
            return
        self._poll.stop()
        self._read_task = None
        try:
            pathway = task.result()
        except Exception as exc:  # noqa: BLE001 - a PathwayLoadError says what is wrong
            self.finished = True
            self.failed.emit(exc)
            return
        from designer.ui.canvas.scene import PathwayScene
        from designer.ui.editing.document import Document

        try:
            self.document = Document(pathway, self.path)
            self.scene = PathwayScene(pathway, self.document.undo_stack, build=False)
        except Exception as exc:  # noqa: BLE001 - reported like a canvas failure
            self.finished = True
            self.discard()
            self.failed.emit(exc)
            return
        self.progressed.emit("Drawing…", 0.0)
        self.builder = SceneBuilder(self.scene, parent=self)
        self.builder.progressed.connect(lambda share: self.progressed.emit("Drawing…", share))
        # shown from a turn of its own: the last slice and the swap are two blocks
        self.builder.finished.connect(lambda: QTimer.singleShot(0, self._built))
        self.builder.failed.connect(self._build_failed)
        self.builder.start()

    def _built(self) -> None:
        if self.cancelled or self.scene is None:
            return
        self.finished = True
        self.ready.emit()

    def _build_failed(self, exc: BaseException) -> None:
        self.finished = True
        self.discard()
        self.failed.emit(exc)


class OpeningBar(QWidget):
    """The bar above the canvas while a file opens: what, how far, and Cancel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("opening-bar")
        self.setAccessibleName("Opening a pathway")
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        self.label = QLabel(self)
        self.label.setObjectName("opening-label")
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)         # busy until the drawing reports a share
        self.progress.setMaximumWidth(180)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("opening-cancel")
        self.cancel_button.setToolTip("Stop opening this file; the pathway open now stays")
        layout.addWidget(self.label, 1)
        layout.addWidget(self.progress)
        layout.addWidget(self.cancel_button)
        self.hide()

    def show_opening(self, name: str) -> None:
        self.label.setText(f"Opening {name}… the pathway open now stays until it is ready.")
        self.progress.setRange(0, 0)
        self.show()

    def show_progress(self, text: str, share: float = -1.0) -> None:
        if share >= 0:
            self.progress.setRange(0, 100)
            self.progress.setValue(int(share * 100))
        self.progress.setToolTip(text)
        self.progress.setAccessibleDescription(text)


def bar_for(window) -> OpeningBar:
    """The window's opening bar (made on first use, above the canvas)."""
    bar = getattr(window, "_opening_bar", None)
    if bar is None:
        bar = OpeningBar(window._centre)
        window._centre_layout.insertWidget(0, bar)
        window._opening_bar = bar
    return bar


def connect_bar(opening: Opening, bar: OpeningBar) -> None:
    """Show ``opening``'s progress on ``bar`` until it ends."""
    bar.show_opening(opening.name)
    opening.progressed.connect(bar.show_progress)
