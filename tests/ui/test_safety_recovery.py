"""Crash recovery that cannot be broken by damaged files, and never overwrites blindly."""

from __future__ import annotations

import json

import pytest

from designer.graph.io import save_pathway
from designer.ui.editing import recovery
from designer.ui.window.app import offer_recovery
from designer.ui.commands import UpdateHeaderCommand
from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)

DEAD_PID = 2 ** 22 + 12345  # no such process


def crash(window, qtbot):
    """The window vanishes without closing its document, as in a crash."""
    recovery_id = window.document.recovery_id
    window.hide()
    window.deleteLater()
    qtbot.waitUntil(lambda: recovery_id not in recovery.LIVE_IDS)


def _orphan(recovery_id: str, yaml_bytes: bytes, meta: object) -> None:
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{recovery_id}.yaml").write_bytes(yaml_bytes)
    (folder / f"{recovery_id}.json").write_text(json.dumps(meta), encoding="utf-8")


def test_a_damaged_recovery_file_is_explained_and_kept_aside_not_a_crash(qtbot):
    _orphan("binary", b"\xff\xfe\x00\x01 not text", {"pid": DEAD_PID, "title": "Hip pathway",
                                                       "saved_at": 1.0})
    seen = []
    click_modal_button("Restore", seen=seen)
    # the second dialog explains the damaged file
    from PySide6.QtCore import QTimer
    QTimer.singleShot(300, lambda: click_modal_button("OK", seen=seen))
    assert offer_recovery() == []
    assert seen == ["Restore unsaved work?", "Cannot restore"]
    folder = recovery.recovery_dir()
    assert (folder / "binary.damaged.yaml").read_bytes().startswith(b"\xff\xfe")
    assert recovery.find_orphans() == []  # never offered again, yet not deleted


def test_a_damaged_sidecar_still_offers_the_work(qtbot):
    text = b"format: periop-pathway/1\nid: x\ntitle: X\n"
    _orphan("listmeta", text, [1, 2])
    _orphan("badpid", text, {"pid": "abc", "saved_at": "yesterday", "title": 5,
                             "path": 7, "disk_signature": "nonsense"})
    _orphan("hugetime", text, {"pid": DEAD_PID, "saved_at": 1e300})
    found = {e.recovery_id: e for e in recovery.find_orphans()}
    assert set(found) == {"listmeta", "badpid", "hugetime"}
    assert found["badpid"].original_path is None and found["badpid"].title == "5"
    assert all(e.describe() for e in found.values())


def test_restoring_after_the_file_changed_on_disk_asks_before_overwriting(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "My unsaved title"})
    window.document.autosave_now()
    crash(window, qtbot)
    # after the crash a colleague edits the file in another program
    other = sample_file.read_text(encoding="utf-8").replace("title:", "title: Colleague's", 1)
    sample_file.write_text(other, encoding="utf-8")

    click_modal_button("Restore")
    documents = offer_recovery()
    restored = make_window(documents[0])
    assert restored.document.pathway.title == "My unsaved title"
    seen = []
    click_modal_button("Cancel", seen=seen)
    assert not restored.files.save()
    assert seen == ["File changed on disk"]
    assert sample_file.read_text(encoding="utf-8") == other
    assert restored.document.dirty


def test_two_windows_keep_separate_recovery_files_and_both_come_back(make_window, qtbot,
                                                                     tmp_path):
    first, second = make_window(), make_window()
    first.push(UpdateHeaderCommand, {"title": "First pathway"})
    second.push(UpdateHeaderCommand, {"title": "Second pathway"})
    first.document.autosave_now()
    second.document.autosave_now()
    crash(first, qtbot)
    crash(second, qtbot)
    click_modal_button("Restore")
    titles = sorted(d.pathway.title for d in offer_recovery())
    assert titles == ["First pathway", "Second pathway"]


def test_a_file_with_positions_that_are_not_numbers_is_refused_clearly(make_window, tmp_path):
    """``.nan`` / ``.inf`` positions would break every repaint: the file is refused with
    the field named (the model forbids non-finite numbers), never opened half-drawn."""
    from canvas_support import sample_pathway

    from designer.graph.io import PathwayLoadError
    from designer.ui.editing.document import Document

    path = tmp_path / "nan.yaml"
    save_pathway(sample_pathway(), path)
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("position: [")
    path.write_text(head + sep + ".nan, .inf" + rest[rest.index("]"):], encoding="utf-8")
    with pytest.raises(PathwayLoadError, match=r"position"):
        Document.open(path)


def test_a_failing_autosave_is_reported_in_the_status_bar(make_window, qtbot, monkeypatch):
    window = make_window()
    window.push(UpdateHeaderCommand, {"title": "Unsaved"})

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(recovery, "write_recovery", full_disk)
    assert window.document.autosave_now() is None
    message = window.statusBar().currentMessage()
    assert "No space left on device" in message and "Save your work" in message


def test_restored_work_keeps_its_old_recovery_file_until_the_new_one_is_written(
        make_window, sample_file, qtbot, monkeypatch):
    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "Precious"})
    window.document.autosave_now()
    crash(window, qtbot)
    [entry] = recovery.find_orphans()
    real_write = recovery.write_recovery
    monkeypatch.setattr(recovery, "write_recovery",
                        lambda *_a, **_k: (_ for _ in ()).throw(OSError(28, "disk full")))
    click_modal_button("Restore")
    [document] = offer_recovery()
    assert entry.yaml_path.exists()  # the only copy on disk is kept
    monkeypatch.setattr(recovery, "write_recovery", real_write)
    restored = make_window(document)
    assert restored.files.save()
    assert not entry.yaml_path.exists()  # a clean save tidies it away


def test_the_recovery_offer_shows_titles_with_angle_brackets_as_typed(qtbot):
    _orphan("ages", b"format: periop-pathway/1\n",
            {"pid": DEAD_PID, "title": "Hip fracture <65 & frail", "saved_at": 1.0})
    texts = []

    def answer():
        from PySide6.QtWidgets import QApplication
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, answer)
            return
        texts.append(box.text())
        for button in box.buttons():
            if button.text() == "Discard":
                button.click()

    from PySide6.QtCore import QTimer
    QTimer.singleShot(0, answer)
    assert offer_recovery() == []
    assert "Hip fracture &lt;65 &amp; frail" in texts[0]


def test_a_deleted_file_is_reported_and_save_writes_it_again(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "Keep"})
    with qtbot.waitSignal(window.document.changed_on_disk, timeout=3000):
        sample_file.unlink()
    assert "deleted or moved" in window.statusBar().currentMessage()
    assert window.files.save()
    from designer.graph.io import load_pathway
    assert load_pathway(sample_file).title == "Keep"
    # the file written again is watched again: a later change is reported too
    with qtbot.waitSignal(window.document.changed_on_disk, timeout=3000):
        sample_file.write_text(sample_file.read_text(encoding="utf-8") + "\n# edited\n",
                               encoding="utf-8")


CRASHING_DESIGNER = r"""
import os, signal, sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from designer.ui.editing.document import Document
from designer.ui.commands import UpdateStepCommand
doc = Document.open(sys.argv[1])
doc.undo_stack.push(UpdateStepCommand(doc.pathway, "surgery", {"name": "Robotic surgery"}))
doc.autosave_now()
print(doc.pathway.model_dump_json(), flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_real_crash_of_another_process_is_offered_and_restores_identically(
        sample_file, qtbot, tmp_path):
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-c", CRASHING_DESIGNER, str(sample_file)],
                         capture_output=True, text=True, env=env, timeout=60,
                         cwd=os.getcwd())
    assert run.returncode == -9, run.stderr
    edited = json.loads(run.stdout.strip().splitlines()[-1])
    [entry] = recovery.find_orphans()
    assert entry.original_path == str(sample_file.resolve())

    from designer.ui.editing.document import Document
    document = Document.from_recovery(entry)
    try:
        assert json.loads(document.pathway.model_dump_json()) == edited
        assert document.dirty and document.path == sample_file.resolve()
        assert recovery.find_orphans() == []  # now held by this live document
        from designer.graph.io import load_pathway
        assert load_pathway(sample_file).step("surgery").name == "Surgery"  # untouched
    finally:
        document.close()
    assert list(recovery.recovery_dir().glob("*.yaml")) == []


def test_escape_on_the_recovery_offer_keeps_the_work_for_later(qtbot):
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    _orphan("later", b"format: periop-pathway/1\n",
            {"pid": DEAD_PID, "title": "Knee pathway", "saved_at": 1.0})
    pressed = []

    def press_escape():
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, press_escape)
            return
        pressed.append(box.windowTitle())
        QTest.keyClick(box, Qt.Key.Key_Escape)
        if box.isVisible():  # Escape did nothing: close it as the title-bar button would
            box.close()

    QTimer.singleShot(0, press_escape)
    assert offer_recovery() == []
    assert pressed == ["Restore unsaved work?"]
    assert [e.recovery_id for e in recovery.find_orphans()] == ["later"]
