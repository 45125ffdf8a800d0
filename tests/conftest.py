"""Test isolation: no test touches the user's real settings, data or library folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _real_user_places() -> list[Path]:
    """The folders and files the designer would use for this user outside the tests
    (read before any test points HOME and the XDG variables elsewhere)."""
    home = Path(os.path.expanduser("~"))
    places = []
    for var, default in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                         ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        base = Path(os.environ.get(var) or home / default)
        places.append(base / "periop-designer")
        places.append(base / "Perioperative Pathway Designer.conf")
        places.append(base / "Perioperative Pathway Designer")
    for var in ("PERIOP_USER_LIBRARY", "PERIOP_DATA_DIR", "PERIOP_CONFIG_DIR", "PERIOP_CACHE_DIR"):
        if os.environ.get(var):
            places.append(Path(os.environ[var]))
    return places


def _snapshot(places: list[Path]) -> dict[str, tuple[int, int]]:
    """Every file under ``places``: its size and modification time."""
    seen = {}
    for place in places:
        files = [place] if place.is_file() else (place.rglob("*") if place.is_dir() else [])
        for file in files:
            try:
                info = file.stat()
            except OSError:
                continue
            if file.is_file():
                seen[str(file)] = (info.st_size, info.st_mtime_ns)
    return seen


_REAL_PLACES = _real_user_places()
_BEFORE = _snapshot(_REAL_PLACES)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run if any test wrote into the user's real settings, data, library or
    cache (every test is meant to be isolated by ``_isolate_user_dirs``). Runs only in
    the main process; nothing else of this user's may use the designer meanwhile."""
    after = _snapshot(_REAL_PLACES)
    touched = sorted(path for path, state in after.items() if _BEFORE.get(path) != state)
    if touched:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line("Tests wrote into the user's real folders: " + ", ".join(touched),
                                red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _isolate_user_dirs(tmp_path_factory, monkeypatch):
    """Point HOME, XDG dirs and the designer's own folders at a temporary tree."""
    home = tmp_path_factory.mktemp("home")
    for var, sub in (("HOME", ""), ("XDG_CONFIG_HOME", ".config"),
                     ("XDG_DATA_HOME", ".local/share"), ("XDG_CACHE_HOME", ".cache"),
                     ("XDG_STATE_HOME", ".local/state")):
        path = home / sub
        path.mkdir(parents=True, exist_ok=True)
        monkeypatch.setenv(var, str(path))
    monkeypatch.setenv("PERIOP_USER_LIBRARY", str(home / "library"))
    monkeypatch.setenv("PERIOP_DATA_DIR", str(home / "data"))
    monkeypatch.setenv("PERIOP_CONFIG_DIR", str(home / "config"))
    monkeypatch.setenv("PERIOP_CACHE_DIR", str(home / "cache"))
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QStandardPaths
        QStandardPaths.setTestModeEnabled(True)
    yield home


def pytest_configure(config):
    # Qt reads these at start; set before pytest-qt creates the QApplication.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


MODAL_GRACE_SECONDS = 10.0


@pytest.fixture(autouse=True)
def _fail_instead_of_hanging_on_a_modal_dialog(request):
    """A modal dialog nobody answers would hang the run (and CI) until the timeout.

    For GUI tests a watchdog rejects any modal dialog left open for 10 s and fails
    the test, naming the dialog. Tests that answer dialogs do so within milliseconds.
    """
    if "qtbot" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("qapp")
    import time

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    seen: dict[int, float] = {}
    stuck: list[str] = []

    def check() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            seen.clear()
            return
        first = seen.setdefault(id(modal), time.monotonic())
        if time.monotonic() - first >= MODAL_GRACE_SECONDS:
            text = modal.text() if isinstance(modal, QMessageBox) else ""
            stuck.append(f"{modal.windowTitle()!r} {text!r}".strip())
            seen.pop(id(modal), None)
            modal.reject()

    timer = QTimer()
    timer.setInterval(500)
    timer.timeout.connect(check)
    timer.start()
    yield
    timer.stop()
    if stuck:
        pytest.fail("a modal dialog was left open with nobody to answer it: " + "; ".join(stuck))
