"""Files: save and reopen identical, failed saves, recent files, bad files, changed on disk."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt

from designer.graph.io import load_pathway
from designer.ui.editing.document import Document
from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)


def _rename_step_via_properties(window, qtbot, step_id, extra):
    window.scene.select_ids([step_id])
    qtbot.waitUntil(lambda: window.properties_dock.current_page is
                    window.properties_dock.step_page)
    field = window.properties_dock.step_page.name.widget
    field.setFocus()
    field.end(False)
    qtbot.keyClicks(field, extra)


def test_save_with_ctrl_s_and_reopen_gives_the_identical_pathway(make_window, sample_file,
                                                                  qtbot, tmp_path):
    window = make_window(path=sample_file)
    _rename_step_via_properties(window, qtbot, "prehab", " (six weeks)")
    window.document.pathway.steps  # positions are part of the model and must survive
    edited = window.document.pathway.model_dump()
    assert window.isWindowModified()

    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.document.dirty
    assert not window.isWindowModified()
    reopened = load_pathway(sample_file)
    assert reopened.model_dump() == edited
    assert all(s.position is not None for s in reopened.steps)

    # Save As a copy, then open it in a second window: the same model again
    copy = tmp_path / "copy"
    assert window.files.save_as(copy)
    assert window.document.path == (tmp_path / "copy.yaml").resolve()
    assert window.windowTitle().startswith("copy.yaml")
    other = make_window(path=tmp_path / "copy.yaml")
    assert other.document.pathway.model_dump() == edited
    # saving an unchanged file writes the same bytes
    before = (tmp_path / "copy.yaml").read_bytes()
    other.files.save()
    assert (tmp_path / "copy.yaml").read_bytes() == before


def test_failed_save_shows_a_message_and_keeps_the_changes(make_window, sample_file, qtbot,
                                                           tmp_path):
    window = make_window(path=sample_file)
    _rename_step_via_properties(window, qtbot, "surgery", "!")
    # a plain file where a folder should be: the save fails even for root,
    # who may write into read-only folders
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    seen = []
    click_modal_button("OK", seen=seen)
    assert window.files.save_as(blocker / "out.yaml") is False
    assert seen == ["Could not save"]
    assert window.document.dirty
    assert window.document.path == sample_file.resolve()
    assert window.document.pathway.step("surgery").name == "Surgery!"


def test_failed_save_when_the_target_is_a_folder(make_window, sample_file, qtbot, tmp_path):
    window = make_window(path=sample_file)
    _rename_step_via_properties(window, qtbot, "surgery", "!")
    folder = tmp_path / "taken.yaml"
    folder.mkdir()
    seen = []
    click_modal_button("OK", seen=seen)
    assert window.files.save_as(folder) is False
    assert seen == ["Could not save"]
    assert window.document.dirty
    assert window.isWindowModified()


def test_opening_a_broken_file_shows_the_message_and_keeps_the_document(make_window,
                                                                        tmp_path, qtbot):
    window = make_window()
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: periop-pathway/1\nid: x\ntitle: [unclosed\n", encoding="utf-8")
    seen = []
    click_modal_button("OK", seen=seen)
    assert window.files.open_path(broken) is False
    assert seen == ["Cannot open pathway"]
    assert window.document.path is None


def test_recent_files_are_kept_in_the_given_settings_and_reopen(make_window, sample_file,
                                                               settings, qtbot, tmp_path):
    window = make_window()
    assert window.files.open_path(sample_file)
    assert window.files.recent_files() == [str(sample_file.resolve())]
    assert settings.fileName().startswith(str(tmp_path))

    window.files.new_document()
    assert window.document.path is None
    window.files.fill_recent_menu()
    first = window.menu_recent.actions()[0]
    assert first.text() == "&1 sample.yaml"
    first.trigger()
    assert window.document.path == sample_file.resolve()


def test_file_changed_on_disk_is_not_overwritten_without_asking(make_window, sample_file,
                                                               qtbot):
    window = make_window(path=sample_file)
    _rename_step_via_properties(window, qtbot, "surgery", " (ours)")
    theirs = sample_file.read_text(encoding="utf-8").replace("Surgery", "Surgery (theirs)", 1)
    sample_file.write_text(theirs, encoding="utf-8")
    assert window.document.changed_on_disk_since_load()

    seen = []
    click_modal_button("Cancel", seen=seen)
    assert window.files.save() is False
    assert seen == ["File changed on disk"]
    assert sample_file.read_text(encoding="utf-8") == theirs
    assert window.document.dirty

    click_modal_button("Overwrite")
    assert window.files.save() is True
    assert load_pathway(sample_file).step("surgery").name == "Surgery (ours)"


def test_revert_reloads_the_file_after_asking(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    _rename_step_via_properties(window, qtbot, "surgery", " changed")
    click_modal_button("Revert")
    window.files.revert()
    assert window.document.pathway.step("surgery").name == "Surgery"
    assert not window.document.dirty


def test_steps_without_positions_get_layout_positions_without_becoming_unsaved(tmp_path):
    from canvas_support import sample_pathway
    from designer.graph.io import save_pathway

    pathway = sample_pathway()
    for i, step in enumerate(pathway.steps):
        pathway.steps[i] = step.model_copy(update={"position": None})
    path = tmp_path / "unplaced.yaml"
    save_pathway(pathway, path)
    doc = Document.open(path)
    try:
        assert all(s.position is not None for s in doc.pathway.steps)
        assert not doc.dirty
        assert doc.undo_stack.count() == 0
    finally:
        doc.close()


def test_a_change_on_disk_is_reported_in_the_status_bar(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    with qtbot.waitSignal(window.document.changed_on_disk, timeout=5000):
        sample_file.write_text(sample_file.read_text(encoding="utf-8").replace(
            "Surgery", "Surgery (edited elsewhere)", 1), encoding="utf-8")
    assert "changed by another program" in window.statusBar().currentMessage()
    # our own save is not mistaken for someone else's
    window.document.accept_disk_version()
    with qtbot.assertNotEmitted(window.document.changed_on_disk, wait=300):
        window.files.save()


def test_a_disk_error_during_save_keeps_the_old_file_and_the_changes(
        make_window, sample_file, qtbot, monkeypatch):
    window = make_window(path=sample_file)
    before = sample_file.read_bytes()
    _rename_step_via_properties(window, qtbot, "surgery", " (robotic)")

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    seen = []
    click_modal_button("OK", seen=seen)
    qtbot.keyClick(window.view, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Could not save"]
    monkeypatch.undo()
    assert sample_file.read_bytes() == before
    assert window.document.dirty and window.isWindowModified()
    assert window.document.pathway.step("surgery").name == "Surgery (robotic)"
    assert window.files.save()  # once the disk has room again, saving works
    assert load_pathway(sample_file).step("surgery").name == "Surgery (robotic)"
