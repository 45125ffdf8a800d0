"""Autosave and crash recovery: nothing typed is lost when the designer dies."""

from __future__ import annotations

import json
import os

from PySide6.QtCore import Qt

from designer.ui.editing import recovery
from designer.ui.window.app import offer_recovery
from designer.ui.editing.document import Document
from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)


def _type_into_step_name(window, qtbot, step_id, text):
    window.scene.select_ids([step_id])
    page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page)
    page.name.widget.setFocus()
    page.name.widget.end(False)
    qtbot.keyClicks(page.name.widget, text)


def crash(window, qtbot):
    recovery_id = window.document.recovery_id
    window.hide()
    window.deleteLater()
    qtbot.waitUntil(lambda: recovery_id not in recovery.LIVE_IDS)


def _recovery_files():
    folder = recovery.recovery_dir()
    return sorted(p.name for p in folder.glob("*")) if folder.is_dir() else []


def test_recovery_lives_in_the_data_dir_and_the_timer_runs_every_30_seconds(make_window):
    window = make_window()
    assert str(recovery.recovery_dir()).startswith(os.environ["PERIOP_DATA_DIR"])
    timer = window.document._autosave_timer
    assert timer.isActive() and timer.interval() == 30_000


def test_the_timer_writes_a_recovery_copy_only_while_unsaved(make_window, sample_file, qtbot,
                                                             monkeypatch):
    monkeypatch.setattr(Document, "AUTOSAVE_INTERVAL_MS", 50)
    window = make_window(path=sample_file)
    qtbot.wait(150)
    assert _recovery_files() == []  # nothing unsaved, nothing written
    _type_into_step_name(window, qtbot, "surgery", " (laparoscopic)")
    with qtbot.waitSignal(window.document.autosaved, timeout=2000):
        pass
    window.document._autosave_timer.stop()     # no further copy begins while we look
    window.document.flush_recovery()
    names = _recovery_files()
    assert len(names) == 2 and any(n.endswith(".pathway.json") for n in names)

    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert _recovery_files() == []  # a clean save removes it


def test_restore_after_a_simulated_crash_gives_back_the_same_model(make_window, sample_file,
                                                                   qtbot):
    window = make_window(path=sample_file)
    _type_into_step_name(window, qtbot, "surgery", " (laparoscopic)")
    window.scene.select_ids(["optimise"])
    window.delete_selection()
    edited = window.document.pathway.model_dump()
    assert window.document.autosave_now() is not None

    crash(window, qtbot)  # the window goes away without closing its document
    assert len(_recovery_files()) == 2

    seen = []
    click_modal_button("Restore", seen=seen)
    documents = offer_recovery()
    assert seen == ["Restore unsaved work?"]
    assert len(documents) == 1
    restored = make_window(documents[0])
    assert restored.document.pathway.model_dump() == edited
    assert restored.document.path == sample_file.resolve()
    assert restored.document.dirty and restored.isWindowModified()
    assert offer_recovery() == []  # not offered twice while it is open

    assert restored.files.save()
    assert _recovery_files() == []
    from designer.graph.io import load_pathway
    assert load_pathway(sample_file).model_dump() == edited


def test_discarding_the_offer_removes_the_recovery_files(make_window, qtbot):
    window = make_window()
    from designer.ui.commands import UpdateHeaderCommand

    window.push(UpdateHeaderCommand, {"title": "Cataract pathway"})
    window.document.autosave_now()
    crash(window, qtbot)
    click_modal_button("Discard")
    assert offer_recovery() == []
    assert _recovery_files() == []


def test_an_old_sidecar_without_a_session_falls_back_to_the_process_id(qtbot):
    # (sessions with their OS lock are tested in test_recovery_lock.py)
    recovery.write_recovery("elsewhere", "format: periop-pathway/1\n", None, "Other")
    meta = recovery.recovery_dir() / "elsewhere.json"
    data = json.loads(meta.read_text())
    del data["session"]
    data["pid"] = os.getppid()  # alive: our parent process
    meta.write_text(json.dumps(data))
    assert recovery.find_orphans() == []
    data["pid"] = 2 ** 22 + 12345  # no such process
    meta.write_text(json.dumps(data))
    assert [e.recovery_id for e in recovery.find_orphans()] == ["elsewhere"]


def test_undoing_back_to_the_saved_state_removes_the_recovery_copy(make_window, sample_file,
                                                                   qtbot):
    window = make_window(path=sample_file)
    _type_into_step_name(window, qtbot, "surgery", "!")
    window.document.autosave_now()
    assert _recovery_files()
    window.document.undo_stack.undo()
    assert not window.document.dirty
    assert _recovery_files() == []
