"""File > Save keeps the window live (issue 16, "speed where users feel it").

The GUI thread only copies the pathway; reading and hashing the file on disk,
serialising, writing and filling the parse cache happen in the writer thread.
The truths: the thread each of those calls ran on (recorded as it happens), the
event loop's heartbeat against the same save done synchronously, and the bytes
on disk (parsed again, without the cache).
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QElapsedTimer, QEvent, QTimer
from PySide6.QtWidgets import QApplication

from designer.graph import cache, io
from designer.graph.io import load_pathway, save_pathway
from designer.ui.commands import UpdateStepCommand
from designer.ui.editing import document as document_module
from designer.ui.editing.document import Document
from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402

#: the calls whose cost grows with the pathway: none may run on the GUI thread in a save
COSTLY = [(io, "iter_pathway_yaml"), (io, "saved_text"), (io, "write_text_atomic"),
          (cache, "iter_pathway_json"), (cache, "store_saved"),
          (document_module, "_file_signature"), (document_module, "_text_signature")]


def _on_disk(path: Path, step_id: str) -> str:
    return load_pathway(path, use_cache=False).step(step_id).name


def _rename(window, step_id: str, name: str) -> None:
    window.push(UpdateStepCommand, step_id, {"name": name})


@pytest.fixture
def calls(monkeypatch):
    """(name, ran on the GUI thread) for every costly call, in order."""
    seen: list[tuple[str, bool]] = []
    for module, name in COSTLY:
        real = getattr(module, name)

        def spy(*args, _real=real, _name=name, **kwargs):
            seen.append((_name, threading.current_thread() is threading.main_thread()))
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, spy)
    return seen


@pytest.fixture
def held_write(monkeypatch):
    """The writer waits at the start of the next save until ``gate`` is set."""
    started, gate = threading.Event(), threading.Event()
    real = document_module._write_pathway

    def held(snapshot, target):
        started.set()
        gate.wait(10)
        return real(snapshot, target)

    monkeypatch.setattr(document_module, "_write_pathway", held)
    return started, gate


def test_save_save_as_and_close_with_save_serialise_and_hash_off_the_gui_thread(
        make_window, sample_file, tmp_path, calls, qtbot):
    window = make_window(path=sample_file)
    _rename(window, "surgery", "Robotic surgery")
    calls.clear()
    assert window.files.save()
    names = {name for name, _ in calls}
    # the on-disk check (same size: hashed), the text, the write, the cache, the signature
    assert {"_file_signature", "saved_text", "iter_pathway_yaml", "write_text_atomic",
            "store_saved", "_text_signature"} <= names
    _rename(window, "surgery", "Open surgery")
    assert window.files.save_as(tmp_path / "copy.yaml")
    _rename(window, "surgery", "Keyhole surgery")
    seen = []
    click_modal_button("Save", seen=seen)
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert seen == ["Unsaved changes"]
    on_gui = [name for name, gui in calls if gui]
    assert on_gui == [], f"run on the GUI thread during a save: {on_gui}"
    assert _on_disk(sample_file, "surgery") == "Robotic surgery"
    assert _on_disk(tmp_path / "copy.yaml", "surgery") == "Keyhole surgery"


def test_a_big_save_does_not_stall_the_event_loop(tmp_path, qtbot):
    """3,000 steps: the longest pause of a 5 ms heartbeat during the save, and the GUI
    thread's CPU time, against the same save done on the GUI thread (one long pause).
    The bounds are lenient (timing on a shared machine); a synchronous save fails them.
    (The file is over yaml_style.MAX_RESTYLE_BYTES, so neither save restyles: the same
    work both ways.)"""
    from designer.graph.yaml_style import MAX_RESTYLE_BYTES

    pathway = make_pathway(3000)
    target = tmp_path / "big.yaml"
    synchronous, synchronous_cpu = [], []
    for _ in range(2):
        wall, cpu = time.perf_counter(), time.thread_time()
        save_pathway(pathway, target)
        synchronous.append(time.perf_counter() - wall)
        synchronous_cpu.append(time.thread_time() - cpu)
    assert target.stat().st_size > MAX_RESTYLE_BYTES
    document = Document(pathway, target)
    document.undo_stack.push(UpdateStepCommand(pathway, pathway.steps[5].id,
                                               {"name": "Edited"}))
    # what earlier tests handed to deleteLater goes now, not inside the save's wait
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    clock = QElapsedTimer()
    beats = {"last": 0, "worst": 0, "count": 0}

    def beat():
        now = clock.elapsed()
        beats["worst"] = max(beats["worst"], now - beats["last"])
        beats["last"] = now
        beats["count"] += 1

    heartbeat = QTimer()
    heartbeat.setInterval(5)
    heartbeat.timeout.connect(beat)
    clock.start()
    heartbeat.start()
    cpu = time.thread_time()
    document.save()
    gui_cpu = time.thread_time() - cpu
    beat()          # the save's last turn counts too
    heartbeat.stop()
    fastest, fastest_cpu = min(synchronous), min(synchronous_cpu)
    assert beats["count"] > 10      # the loop ran while the file was written
    assert beats["worst"] / 1000 < 0.4 * fastest, (beats, fastest)
    assert gui_cpu < 0.25 * fastest_cpu, (gui_cpu, fastest_cpu)
    assert not document.dirty
    assert _on_disk(target, pathway.steps[5].id) == "Edited"
    document.close()


def test_an_edit_while_file_save_writes_keeps_the_window_modified(
        make_window, sample_file, held_write, qtbot):
    started, gate = held_write
    window = make_window(path=sample_file)
    _rename(window, "surgery", "Robotic surgery")

    def edit_meanwhile():   # a timer-driven edit (keys and clicks wait for the save)
        if not started.is_set():
            QTimer.singleShot(10, edit_meanwhile)
            return
        _rename(window, "surgery", "Open surgery")
        gate.set()

    QTimer.singleShot(0, edit_meanwhile)
    assert window.files.save()
    assert gate.is_set()
    assert _on_disk(sample_file, "surgery") == "Robotic surgery"   # the state at Save
    assert window.document.dirty and window.isWindowModified()
    assert window.document.pathway.step("surgery").name == "Open surgery"
    assert window.files.save()                                     # (the gate is open)
    assert not window.document.dirty and not window.isWindowModified()
    assert _on_disk(sample_file, "surgery") == "Open surgery"


def _no_space(*_args, **_kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("failure", ["disk full", "read-only file", "folder gone"])
def test_a_failing_file_save_reports_and_loses_nothing(make_window, tmp_path, qtbot,
                                                       monkeypatch, failure):
    from canvas_support import sample_pathway

    folder = tmp_path / "work"
    folder.mkdir()
    path = folder / "sample.yaml"
    save_pathway(sample_pathway(), path)
    window = make_window(path=path)
    _rename(window, "surgery", "Robotic surgery")
    copy = window.document.autosave_now()          # the recovery copy of the edit
    assert copy is not None and Path(copy).is_file()
    before = path.read_bytes()
    seen = []
    # (a context, not monkeypatch.undo(), which would also drop the test folders)
    with monkeypatch.context() as patch:
        if failure == "folder gone":
            shutil.rmtree(folder)
        elif failure == "read-only file":
            path.chmod(0o444)
        else:
            patch.setattr(os, "replace", _no_space)
        click_modal_button("OK", seen=seen)
        assert window.files.save() is False
    if failure == "read-only file":
        path.chmod(0o644)
    assert seen == ["Could not save"]
    assert window.document.dirty and window.isWindowModified()
    assert window.document.pathway.step("surgery").name == "Robotic surgery"
    assert Path(copy).is_file()                    # kept until a good save
    if failure == "folder gone":
        assert not path.exists()
        folder.mkdir()
    else:
        assert path.read_bytes() == before         # the old file untouched
    assert window.files.save()
    assert not window.document.dirty
    assert _on_disk(path, "surgery") == "Robotic surgery"
    assert not Path(copy).exists()                 # gone after the good save


def test_closing_the_window_while_save_writes_closes_once_the_file_is_written(
        make_window, sample_file, held_write, qtbot):
    started, gate = held_write
    window = make_window(path=sample_file)
    _rename(window, "surgery", "Robotic surgery")
    prompts, still_open = [], []

    def close_meanwhile():  # the title bar's close is not held back like keys and clicks
        if not started.is_set():
            QTimer.singleShot(10, close_meanwhile)
            return
        click_modal_button("Cancel", attempts=20, seen=prompts)   # (none should come)
        window.close()
        still_open.append(window.isVisible())   # not while the file is being written
        QTimer.singleShot(50, gate.set)

    QTimer.singleShot(0, close_meanwhile)
    assert window.files.save()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert still_open == [True]
    assert prompts == []                # no "unsaved changes" question: it was saved
    assert _on_disk(sample_file, "surgery") == "Robotic surgery"


def test_closing_while_a_failing_save_writes_keeps_the_window_and_the_work(
        make_window, sample_file, held_write, qtbot, monkeypatch):
    started, gate = held_write
    window = make_window(path=sample_file)
    _rename(window, "surgery", "Robotic surgery")
    before = sample_file.read_bytes()

    def close_meanwhile():
        if not started.is_set():
            QTimer.singleShot(10, close_meanwhile)
            return
        window.close()
        gate.set()

    QTimer.singleShot(0, close_meanwhile)
    seen = []
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _no_space)
        click_modal_button("OK", seen=seen)
        assert window.files.save() is False
    for _ in range(5):
        QApplication.processEvents()
    assert seen == ["Could not save"]
    assert window.isVisible() and window.document.dirty
    assert window.document.pathway.step("surgery").name == "Robotic surgery"
    assert sample_file.read_bytes() == before


def test_a_recovery_copy_due_while_a_save_is_written_follows_a_failed_save(
        tmp_path, held_write, qtbot, monkeypatch):
    """The recovery timer firing during a save writes no copy then (the save makes it
    unnecessary), but a save that fails leaves the copy to follow shortly after."""
    from canvas_support import sample_pathway

    started, gate = held_write
    path = tmp_path / "sample.yaml"
    save_pathway(sample_pathway(), path)
    document = Document.open(path)
    monkeypatch.setattr(document, "RECOVERY_DELAY_MS", 50)
    document.undo_stack.push(UpdateStepCommand(document.pathway, "surgery",
                                               {"name": "Robotic surgery"}))
    written = []
    document.autosaved.connect(written.append)

    def due_meanwhile():
        if not started.is_set():
            QTimer.singleShot(10, due_meanwhile)
            return
        document.autosave_in_background()      # as the recovery timer would
        QTimer.singleShot(100, gate.set)

    QTimer.singleShot(0, due_meanwhile)
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", _no_space)
        with pytest.raises((OSError, io.PathwaySaveError)):
            document.save()
    assert written == [] and document.dirty
    qtbot.waitUntil(lambda: bool(written), timeout=5000)
    assert Document.read(written[0]).step("surgery").name == "Robotic surgery"
    document.undo_stack.setClean()
    document.close()


def test_save_to_my_library_serialises_off_the_gui_thread(make_window, qtbot, monkeypatch):
    from canvas_support import sample_pathway

    from designer.library import index, user_folder

    window = make_window(Document(sample_pathway()))
    on_gui = []
    real = index.save_pathway

    def spy(*args, **kwargs):
        on_gui.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(index, "save_pathway", spy)
    window.library_actions["save_to_library"].trigger()
    saved = user_folder() / f"{window.document.pathway.id}.yaml"
    assert saved.is_file() and on_gui == [False]
    assert load_pathway(saved, use_cache=False).content_equal(window.document.pathway)
    assert "Saved to your library" in window.statusBar().currentMessage()
