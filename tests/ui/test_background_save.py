"""Saving and autosaving in the background writer: reported failures, kept changes, order."""

from __future__ import annotations

import os
import threading

import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from canvas_support import sample_pathway
from designer.graph.io import PathwaySaveError, load_pathway
from designer.ui.commands import UpdateStepCommand
from designer.ui.editing import recovery, writer
from designer.ui.editing.document import Document


def _edited_document(tmp_path) -> Document:
    from designer.graph.io import save_pathway

    path = tmp_path / "sample.yaml"
    save_pathway(sample_pathway(), path)
    doc = Document.open(path)
    doc.undo_stack.push(UpdateStepCommand(doc.pathway, "surgery", {"name": "Robotic surgery"}))
    assert doc.dirty
    return doc


def test_a_failed_background_autosave_is_reported_and_the_document_stays_modified(
        tmp_path, qtbot, monkeypatch):
    doc = _edited_document(tmp_path)

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    failures, written = [], []
    doc.autosave_failed.connect(failures.append)
    doc.autosaved.connect(written.append)
    with monkeypatch.context() as patch:    # (undo() would also drop the test folders)
        patch.setattr(os, "replace", full_disk)   # the writer thread's swap fails
        doc.autosave_in_background()
        qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    assert len(failures) == 1 and "No space left on device" in failures[0] and written == []
    assert doc.dirty
    assert doc.pathway.step("surgery").name == "Robotic surgery"   # nothing lost
    folder = recovery.recovery_dir()
    assert not folder.is_dir() or not [p for p in folder.iterdir()       # no half-written copy
                                       if p.suffix in (".yaml", ".json")]
    # once the disk has room, the next autosave writes the copy
    doc.autosave_in_background()
    qtbot.waitUntil(lambda: bool(written), timeout=10_000)
    assert load_pathway(written[0]).step("surgery").name == "Robotic surgery"
    doc.undo_stack.setClean()
    doc.close()


def test_a_failed_save_raises_keeps_the_file_and_the_modified_flag(tmp_path, qtbot,
                                                                   monkeypatch):
    doc = _edited_document(tmp_path)
    before = doc.path.read_bytes()

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises((OSError, PathwaySaveError)):
        doc.save()
    monkeypatch.undo()
    assert doc.dirty and doc.path.read_bytes() == before
    doc.save()
    assert not doc.dirty
    assert load_pathway(doc.path).step("surgery").name == "Robotic surgery"
    doc.close()


def test_the_window_keeps_painting_while_a_save_is_written(tmp_path, qtbot, monkeypatch):
    doc = _edited_document(tmp_path)
    gate = threading.Event()
    real = writer.submit

    def slow_submit(work, parent=None):
        def held():
            gate.wait(10)
            return work()
        return real(held, parent)

    monkeypatch.setattr(writer, "submit", slow_submit)
    clock = QElapsedTimer()
    ticks = []
    probe = QTimer()
    probe.setInterval(5)
    probe.timeout.connect(lambda: ticks.append(clock.elapsed()))
    QTimer.singleShot(300, gate.set)   # the file takes 0.3 s to write
    clock.start()
    probe.start()
    doc.save()
    probe.stop()
    # (a single-shot timer may fire up to 5% early)
    assert clock.elapsed() >= 250 and len(ticks) > 10   # timers ran during the save
    assert not doc.dirty
    doc.close()


def test_two_writes_of_one_file_land_in_the_order_they_were_given(tmp_path, qtbot):
    target = tmp_path / "twice.txt"
    first_started = threading.Event()
    gate = threading.Event()
    order = []

    def first():
        first_started.set()
        gate.wait(10)
        target.write_text("first")
        order.append("first")

    def second():
        target.write_text("second")
        order.append("second")

    job1 = writer.submit(first)
    job2 = writer.submit(second)
    qtbot.waitUntil(first_started.is_set)
    QTimer.singleShot(100, gate.set)
    writer.wait(job2)
    assert job1.done and order == ["first", "second"]
    assert target.read_text() == "second"


def test_an_edit_made_while_the_file_is_written_keeps_the_document_modified(
        tmp_path, qtbot, monkeypatch):
    doc = _edited_document(tmp_path)
    real = writer.submit

    def edit_meanwhile(work, parent=None):
        job = real(work, parent)
        # a timer-driven edit arriving while the writer works (user input waits)
        doc.undo_stack.push(UpdateStepCommand(doc.pathway, "surgery", {"name": "Open surgery"}))
        return job

    monkeypatch.setattr(writer, "submit", edit_meanwhile)
    doc.save()
    monkeypatch.undo()
    assert load_pathway(doc.path).step("surgery").name == "Robotic surgery"  # the snapshot
    assert doc.dirty   # the later edit is not in the file
    doc.save()
    assert not doc.dirty and load_pathway(doc.path).step("surgery").name == "Open surgery"
    doc.close()
