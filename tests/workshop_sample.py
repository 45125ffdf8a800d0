"""A small diabetes pre-surgery pathway shared by the workshop and diff tests."""

from __future__ import annotations

from designer.graph.model import Handoff, Pathway, Role, Setting, Step, Transition


def make_pathway(**header) -> Pathway:
    """A small diabetes pre-surgery pathway used as 'before' in these tests."""
    p = Pathway(id=header.pop("id", "demo"), title=header.pop("title", "Demo pathway"),
                version=header.pop("version", "1.0.0"), rule_packs=["diabetes"], **header)
    p.settings = [Setting(id="gp", name="GP practice", kind="primary"),
                  Setting(id="hospital", name="Hospital", kind="secondary")]
    p.roles = [Role(id="gp", name="General practitioner"),
               Role(id="pac-nurse", name="Preassessment nurse"),
               Role(id="surgeon", name="Surgeon")]
    p.steps = [
        Step(id="referral", name="Referral", kind="entry", setting="gp", owner="gp",
             activity="referral", duration_days=1),
        Step(id="pac", name="Preoperative assessment", setting="hospital",
             owner="pac-nurse", activity="preassessment", duration_days=1),
        Step(id="check", name="HbA1c check", kind="decision", setting="hospital",
             owner="pac-nurse"),
        Step(id="optimise", name="GP optimisation", setting="gp", owner="gp",
             duration_days=90),
        Step(id="surgery", name="Surgery", setting="hospital", owner="surgeon",
             activity="surgery", description="Operation."),
        Step(id="home", name="Home", kind="exit", setting="hospital", owner="surgeon"),
    ]
    p.transitions = [
        Transition(source="referral", target="pac", wait_days=14,
                   handoff=Handoff(sender="gp", receiver="pac-nurse", channel="e-referral",
                                   information=["referral letter", "HbA1c", "medicines list"])),
        Transition(source="pac", target="check"),
        Transition(source="check", target="optimise", condition="HbA1c >= 69 mmol/mol",
                   handoff=Handoff(sender="pac-nurse", receiver="gp", channel="letter",
                                   information=["HbA1c result"])),
        Transition(source="check", target="surgery", condition="HbA1c < 69 mmol/mol"),
        Transition(source="optimise", target="pac"),
        Transition(source="surgery", target="home"),
    ]
    return p


def open_window(qtbot, tmp_path, pathway: Pathway | None = None):
    """A main window on ``pathway`` (saved to tmp first), shown and ready for events.

    The caller should close it with :func:`close_window` so no "unsaved changes"
    prompt blocks the test run.
    """
    from PySide6.QtCore import QSettings

    from designer.graph.io import save_pathway
    from designer.ui.editing.document import Document
    from designer.ui.window.main_window import MainWindow

    path = tmp_path / "workshop.yaml"
    save_pathway(pathway or make_pathway(), path)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Document.open(path), settings=settings)
    # not qtbot.addWidget: pytest-qt would close it before close_window marks it clean,
    # and the unsaved-changes prompt would block the run
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    activate(qtbot, window)
    return window


def activate(qtbot, window) -> None:
    """Make ``window`` the active window so its keyboard shortcuts reach it."""
    window.windowHandle().requestActivate()
    qtbot.waitUntil(window.isActiveWindow)


def close_window(window) -> None:
    """Close without the unsaved-changes prompt (tests check saving themselves)."""
    from PySide6.QtWidgets import QApplication

    for _ in range(5):       # a dialog a failed test left open would block closing
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            break
        dialog.reject()
    window.document.undo_stack.setClean()
    window.close()
    window.deleteLater()


def settle(qtbot, ms: int = 20) -> None:
    """Let posted events (debounced refreshes, deferred edits) run."""
    qtbot.wait(ms)


def when_dialog_opens(dialog_type, action, tries: int = 200) -> None:
    """Run ``action(dialog)`` on the modal ``dialog_type`` as soon as it is showing.

    Polls from the event loop, so it works with dialogs that ``exec()`` (and block)
    after the triggering event returns. Gives up after about two seconds.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def poll(left: int) -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, dialog_type) and dialog.isVisible():
            action(dialog)
        elif left > 0:
            QTimer.singleShot(10, lambda: poll(left - 1))
    QTimer.singleShot(0, lambda: poll(tries))
