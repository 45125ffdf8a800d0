"""Start the designer: the Qt application, the first window, crash recovery, screenshots.

``run_app(path)`` is what ``python -m designer open [FILE]`` calls. Problems
reach the user as plain messages, never as a traceback: a file that cannot be
opened is explained in a message box, and any unexpected error is shown in a
dialog and written to the log file in the data folder.
"""

from __future__ import annotations

import html
import logging
import os
import sys
import traceback
from pathlib import Path

# pydantic looks up third-party plugins through package metadata on first use, which
# costs about 0.1 s at start-up; the designer uses none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QMessageBox, QStyleFactory

from designer import paths

# Only Qt and designer.paths at import: ``run_app`` shows the window's frame before
# the model, the panels and the extensions are imported (see _FirstPaint).

ORGANISATION = paths.ORGANISATION
APP_NAME = paths.APP_NAME
SCREENSHOT_SIZE = (1600, 1000)

log = logging.getLogger("designer")
MAX_SAME_ERROR_DIALOGS = 2
_shown_errors: dict[str, int] = {}
_error_dialog_open = False
_windows: list = []  # keeps every open main window alive


def _app_icon() -> QIcon:
    """A small drawn icon (three lanes and an arrow), so no image file is needed."""
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    for i, colour in enumerate(("#d8ecd0", "#cfe2f3", "#f5dfbd")):
        painter.setBrush(QColor(colour))
        painter.drawRoundedRect(4, 6 + i * 18, 56, 16, 4, 4)
    painter.setBrush(QColor("#005eb8"))
    painter.drawEllipse(10, 10, 9, 9)
    painter.drawEllipse(45, 46, 9, 9)
    painter.setPen(QColor("#005eb8"))
    painter.drawLine(15, 15, 49, 50)
    painter.end()
    return QIcon(pixmap)


def _apply_look(app: QApplication) -> None:
    """Fusion with a calm light palette: the same on every platform and offscreen."""
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: "#f3f5f7", QPalette.ColorRole.WindowText: "#212b32",
        QPalette.ColorRole.Base: "#ffffff", QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.Text: "#212b32", QPalette.ColorRole.Button: "#eef1f4",
        QPalette.ColorRole.ButtonText: "#212b32", QPalette.ColorRole.Highlight: "#005eb8",
        QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.ToolTipBase: "#ffffff",
        QPalette.ColorRole.ToolTipText: "#212b32", QPalette.ColorRole.PlaceholderText: "#768692",
        QPalette.ColorRole.Link: "#005eb8",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#9aa5ad"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText,
                     QColor("#9aa5ad"))
    app.setPalette(palette)
    font = QFont(app.font())
    if font.pointSizeF() < 9.5:
        font.setPointSizeF(9.5)
    app.setFont(font)
    app.setStyleSheet(
        "QDockWidget::title { padding: 5px 8px; background: #e4e9ee; font-weight: 600; }"
        "QToolBar { spacing: 4px; padding: 3px; border-bottom: 1px solid #d5dde3; }"
        "QStatusBar { border-top: 1px solid #d5dde3; }"
        "QGroupBox { font-weight: 600; margin-top: 10px; }"
        "QGroupBox::title { subcontrol-origin: margin; left: 6px; padding: 0 3px; }"
        "#find-bar { background: #fff9e0; border-bottom: 1px solid #e6d990; }"
    )


def install_excepthook() -> None:
    """Unexpected errors: log the traceback, show a plain message, keep running."""
    if not log.handlers:
        try:
            paths.log_file().parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(paths.log_file(), encoding="utf-8",
                                          delay=True)
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            log.addHandler(handler)
        except OSError:
            pass  # no log file is better than no designer

    def hook(exc_type, exc, tb) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log_file = paths.log_file()
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            with open(log_file, "a", encoding="utf-8") as fh:
                fh.write(text + "\n")
        except OSError:
            log_file = None
        if QApplication.instance() is None or os.environ.get("PERIOP_NO_ERROR_DIALOG"):
            return
        # An error raised while painting comes back on every repaint, including the
        # repaints under this very dialog: show each problem at most twice and never
        # stack one message on another, so the user can still reach File > Save.
        key = f"{exc_type.__name__}: {exc}"
        _shown_errors[key] = _shown_errors.get(key, 0) + 1
        if _error_dialog_open or _shown_errors[key] > MAX_SAME_ERROR_DIALOGS:
            return
        _show_error_dialog(exc, text, log_file)

    sys.excepthook = hook


def _show_error_dialog(exc: BaseException, text: str, log_file) -> None:
    global _error_dialog_open
    _error_dialog_open = True
    try:
        box = QMessageBox(QMessageBox.Icon.Critical, "Something went wrong",
                          "The designer hit an unexpected problem: "
                          f"{exc or type(exc).__name__}")
        box.setInformativeText(
            "Your pathway is still open. Save it under a new name to be safe."
            + (f"\n\nDetails were written to {log_file}." if log_file else ""))
        box.setDetailedText(text)
        box.setTextFormat(Qt.TextFormat.PlainText)  # an error text may hold '<' and '&'
        box.setObjectName("unexpected-error")
        box.exec()
    finally:
        _error_dialog_open = False


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication with the designer's names, look and icon (reused when it exists)."""
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance()
    if app is None:
        # crisp at 125% and 150% display scaling (must be set before the application)
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationDisplayName(paths.APP_NAME)
    app.setWindowIcon(_app_icon())
    _apply_look(app)
    return app


def offer_recovery(parent=None) -> list:
    """Ask whether to restore pathways left unsaved by a crash; returns restored documents."""
    from designer.ui.editing.document import Document
    from designer.ui.editing.recovery import find_orphans

    entries = find_orphans()
    if not entries:
        return []
    listing = "".join(f"<li>{html.escape(e.describe())}</li>" for e in entries)
    box = QMessageBox(QMessageBox.Icon.Question, "Restore unsaved work?",
                      "The designer closed without saving last time. Restore the unsaved "
                      f"work?<ul>{listing}</ul>", parent=parent)
    box.setObjectName("recovery-prompt")
    box.setInformativeText("Not Now keeps the work to be offered again next time.")
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    later = box.addButton("Not Now", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.setEscapeButton(later)  # Escape or closing the box never deletes the work
    box.exec()
    if box.clickedButton() is discard:
        for entry in entries:
            entry.discard()
        return []
    if box.clickedButton() is not restore:
        return []
    restored = []
    from designer.graph.io import PathwayLoadError

    for entry in entries:
        try:
            restored.append(Document.from_recovery(entry))
        except Exception as exc:  # a damaged recovery file must never stop the designer
            if not isinstance(exc, (PathwayLoadError, OSError)):
                log.exception("Restoring %s failed", entry.yaml_path)
            kept = entry.set_aside()
            where = (f"\n\nIts text was kept in {kept} so nothing is deleted."
                     if kept else "")
            box = QMessageBox(QMessageBox.Icon.Warning, "Cannot restore",
                              f"“{entry.title}” could not be restored: {exc}{where}",
                              QMessageBox.StandardButton.Ok, parent)
            box.setTextFormat(Qt.TextFormat.PlainText)
            box.setObjectName("recovery-error")
            box.exec()
    return restored


def open_window(document=None, settings=None):
    """Create, show and keep a main window."""
    from designer.ui.window.main_window import MainWindow

    window = MainWindow(document, settings=settings)
    _keep(window)
    return window


def run_app(path: str | None, screenshot: str | None = None) -> int:
    """Run the designer on ``path`` (a new pathway when None); returns the exit code.

    The window's frame (menu bar, toolbar row, panel frames, "Opening …") is shown
    first, with nothing but Qt imported; once it has been painted, the model and the
    editor are loaded, any unsaved work is offered back, the pathway is opened and
    the frame becomes the editor (see :meth:`MainWindow.finish_opening`).
    """
    if screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = create_application()
    install_excepthook()
    if screenshot:
        return _run_for_screenshot(app, path, screenshot)
    from designer.ui.window.main_window import MainWindow

    frame = MainWindow(opening=Path(path).name if path else "")
    _keep(frame)
    frame.show()
    _FirstPaint.then(frame, lambda: _finish_start(frame, path))
    return app.exec()


class _FirstPaint(QObject):
    """Calls back once ``window`` has painted its first frame (or after a second, for
    a platform that never exposes it), from the event loop, after that paint."""

    def __init__(self, window, callback) -> None:
        super().__init__(window)
        self._window, self._callback, self._done = window, callback, False
        QApplication.instance().installEventFilter(self)
        QTimer.singleShot(1000, self._fire)

    @classmethod
    def then(cls, window, callback) -> "_FirstPaint":
        return cls(window, callback)

    def eventFilter(self, obj, event) -> bool:
        if (event.type() == QEvent.Type.Paint and not self._done
                and obj.isWidgetType() and obj.window() is self._window):
            QApplication.instance().removeEventFilter(self)
            # after this paint pass is on screen, and after whatever else was
            # waiting for it (the second turn: the loading then blocks the loop)
            QTimer.singleShot(0, lambda: QTimer.singleShot(0, self._fire))
        return False

    def _fire(self) -> None:
        if self._done:
            return
        self._done = True
        QApplication.instance().removeEventFilter(self)
        self._callback()


def _finish_start(frame, path: str | None) -> None:
    """Load the editor into the start-up frame: recovery, the file, the panels."""
    try:
        if not frame.isVisible():
            return      # closed while starting: the application is quitting
    except RuntimeError:
        return          # and already deleted
    from designer.graph.gcpause import gc_paused

    failure = None
    later = None
    # the model's classes and the editor: many lasting objects and no garbage
    with gc_paused():
        from designer.ui.editing.document import Document

        try:
            documents, later = _start_documents(frame, path)
        except Exception:  # noqa: BLE001 - never leave the frame standing: say it, go on
            documents, failure = [], sys.exc_info()
        if later is not None:
            # a big file: read and drawn while the frame stays live, then shown in it;
            # restored work meanwhile in windows of its own
            windows = [open_window(doc) for doc in documents]
            _open_in_frame(frame, later)
        else:
            if not documents:
                documents.append(Document.new_untitled())
            frame.finish_opening(documents[0])
            windows = [frame] + [open_window(doc) for doc in documents[1:]]
    for window in windows:
        if window.document.path:
            window.files.remember(window.document.path)
    for window in windows:
        if window is not frame:
            window.show()
    if failure is not None:
        sys.excepthook(*failure)


def _start_documents(frame, path: str | None) -> tuple[list, str | None]:
    """The documents start-up opens: restored unsaved work, then ``path``; and ``path``
    again when it is big enough to open in the background (it is not read here)."""
    from designer.graph.io import PathwayLoadError
    from designer.ui.editing.document import Document
    from designer.ui.window.opening import opens_in_background

    documents = offer_recovery(frame)
    restored_paths = {doc.path for doc in documents if doc.path}
    if path and Path(path).resolve() in restored_paths:
        path = None  # the restored copy of this file is newer than the file itself
    if path and opens_in_background(path):
        return documents, path
    if path:
        try:
            documents.insert(0, Document.open(path))
        except PathwayLoadError as exc:
            QMessageBox.critical(frame, "Cannot open pathway", str(exc))
    return documents, None


def _open_in_frame(frame, path: str) -> None:
    """Open a big file for the start-up frame: read in a worker, its canvas drawn in
    slices, the frame live meanwhile ("Opening NAME… Drawing 40%"); then the editor."""
    from designer.ui.editing.document import Document
    from designer.ui.window.opening import Opening

    job = Opening(path, frame)
    frame.start_opening = job           # closing the frame cancels it
    name = job.name

    def progressed(text: str, share: float) -> None:
        more = f" {share:.0%}" if share >= 0 else ""
        frame.statusBar().showMessage(f"Opening {name}… {text}{more}")

    def ready() -> None:
        frame.start_opening = None
        document, scene = job.document, job.scene
        job.document = job.scene = None
        job.deleteLater()
        frame.finish_opening(document, scene=scene)
        frame.files.remember(document.path)

    def failed(exc: BaseException) -> None:
        from designer.graph.io import PathwayLoadError

        frame.start_opening = None
        job.deleteLater()
        if isinstance(exc, PathwayLoadError):
            text = str(exc)
        else:
            log.error("Showing %s failed", path, exc_info=exc)
            text = (f"The designer could not show “{name}”: {exc or type(exc).__name__}.")
        QMessageBox.critical(frame, "Cannot open pathway", text)
        frame.finish_opening(Document.new_untitled())

    job.progressed.connect(progressed)
    job.ready.connect(ready)
    job.failed.connect(failed)
    job.start()
    _import_in_turns(frame, list(EDITOR_MODULES))


#: what building the editor imports (MainWindow._build and its extensions)
EDITOR_MODULES = (
    "designer.ui.editing.context", "designer.ui.panels.findings",
    "designer.ui.panels.properties.panel", "designer.ui.panels.timeline",
    "designer.ui.panels.palette", "designer.ui.window.actions",
    "designer.ui.window.clipboard", "designer.ui.window.find_bar",
    "designer.ui.window.layout", "designer.ui.window.focus",
    "designer.ui.window.canvas_commands", "designer.ui.window.contrast",
    "designer.ui.window.export_dialog", "designer.ui.library.browser",
    # (a package's own modules come with it: these are what the two big ones use)
    "statistics", "designer.sim.plan", "designer.sim.stats", "designer.sim.results",
    "designer.sim.runner", "designer.sim.record", "html.entities", "designer.ui.colours",
    "designer.ui.panels.properties.fields", "designer.ui.sim",
    "designer.graph.walk", "designer.export.kit.files", "designer.export.action_log",
    "designer.ui.workshop", "designer.ui.window.import_file",
    "designer.ui.window.library_update_dialog", "designer.ui.canvas.view",
)


def _import_in_turns(frame, modules: list) -> None:
    """Import the editor's modules one per event-loop turn while a big file is read
    and drawn, so that building the editor afterwards is not also one long import."""
    import importlib

    def next_one() -> None:
        try:
            if not modules or frame.ready:
                return
        except RuntimeError:
            return      # the frame was closed and deleted
        name = modules.pop(0)
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - building the editor imports it again and says
            pass
        QTimer.singleShot(0, next_one)

    QTimer.singleShot(0, next_one)


def _keep(window) -> None:
    window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    _windows.append(window)
    window.destroyed.connect(lambda *_a, w=window: _windows.remove(w) if w in _windows else None)


def _run_for_screenshot(app: QApplication, path: str | None, screenshot: str) -> int:
    """``open --screenshot``: the finished window at once, no recovery, no settings."""
    import tempfile

    from PySide6.QtCore import QSettings

    from designer.graph.io import PathwayLoadError
    from designer.ui.editing.document import Document

    try:
        document = Document.open(path) if path else Document.new_untitled()
    except PathwayLoadError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    # a fresh layout and no change to the user's settings or recent files
    with tempfile.TemporaryDirectory() as folder:
        scratch = QSettings(str(Path(folder) / "settings.ini"), QSettings.Format.IniFormat)
        return _screenshot(app, open_window(document, settings=scratch), screenshot)


def _screenshot(app: QApplication, window, out: str) -> int:
    """Render the window at 1600x1000 once the event loop has settled, save, exit 0."""
    from designer.graph.io import PathwaySaveError, write_file_atomic

    window.resize(*SCREENSHOT_SIZE)
    window.show()
    result = {"code": 0}

    def shoot() -> None:
        window.fit_readable()
        app.processEvents()
        target = Path(out)
        picture = window.grab()
        fmt = (target.suffix.lstrip(".") or "png").upper()

        def write(tmp: Path) -> None:
            if not picture.save(str(tmp), fmt):
                raise OSError(f"could not write a {fmt} picture")

        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_file_atomic(target, write)
        except (OSError, PathwaySaveError) as exc:
            print(f"Cannot save the screenshot: {exc}", file=sys.stderr)
            result["code"] = 1
        window.document.close()
        app.quit()

    # two turns of the loop: layout, then the deferred fit and validation
    QTimer.singleShot(300, shoot)
    app.exec()
    return result["code"]
