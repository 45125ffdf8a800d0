"""Trying to lose work through the File menu, drops and the clipboard: none of it may."""

from __future__ import annotations

import shutil
import sys
import warnings

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QPushButton

from designer.graph.io import load_pathway, save_pathway
from designer.ui.commands import UpdateHeaderCommand
from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)


def test_save_as_a_name_without_yaml_asks_before_replacing_that_yaml(
        make_window, sample_file, tmp_path, monkeypatch):
    window = make_window(path=sample_file)
    precious = tmp_path / "plan.yaml"
    precious.write_text("someone else's plan", encoding="utf-8")
    # the user types "plan": the dialog had nothing to confirm, "plan.yaml" exists
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(tmp_path / "plan"), "")))
    seen = []
    click_modal_button("Cancel", seen=seen)
    assert not window.files.save_as()
    assert seen == ["Replace file?"]
    assert precious.read_text(encoding="utf-8") == "someone else's plan"
    assert window.document.path == sample_file.resolve()

    click_modal_button("Replace")
    assert window.files.save_as()
    assert load_pathway(precious).id == "sample-elective"


def test_save_as_over_a_file_open_in_another_window_is_refused(make_window, sample_file,
                                                               tmp_path):
    holder = make_window(path=sample_file)
    holder.push(UpdateHeaderCommand, {"title": "Work in the first window"})
    other = make_window()
    before = sample_file.read_bytes()
    seen = []
    click_modal_button("OK", seen=seen)
    assert not other.files.save_as(sample_file)
    assert seen == ["Cannot save over an open pathway"]
    assert sample_file.read_bytes() == before
    assert other.document.path is None and other.document.dirty is False


def test_opening_a_file_open_in_another_window_brings_that_window_forward(
        make_window, sample_file, qtbot):
    holder = make_window(path=sample_file)
    holder.push(UpdateHeaderCommand, {"title": "Unsaved in the first window"})
    other = make_window()
    other.push(UpdateHeaderCommand, {"title": "Unsaved in the second window"})
    assert not other.files.open_path(sample_file)  # no prompt: nothing to decide
    assert other.document.pathway.title == "Unsaved in the second window"
    assert holder.document.pathway.title == "Unsaved in the first window"
    assert "already open" in holder.statusBar().currentMessage()


def test_a_broken_file_is_reported_before_asking_about_unsaved_changes(make_window, tmp_path):
    window = make_window()
    window.push(UpdateHeaderCommand, {"title": "Keep me"})
    broken = tmp_path / "broken.yaml"
    broken.write_text("steps: [\n", encoding="utf-8")
    seen = []
    click_modal_button("OK", seen=seen)
    assert not window.files.open_path(broken)
    assert seen == ["Cannot open pathway"]  # no Save/Discard question first
    assert window.document.pathway.title == "Keep me" and window.document.dirty


def test_reopening_the_own_file_after_saving_keeps_the_changes_on_show(make_window,
                                                                       sample_file):
    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "Saved on the way"})
    click_modal_button("Save")
    assert window.files.open_path(sample_file)
    assert window.document.pathway.title == "Saved on the way"
    assert not window.document.dirty
    assert load_pathway(sample_file).title == "Saved on the way"


def test_save_into_a_folder_that_vanished_keeps_the_changes(make_window, tmp_path):
    from canvas_support import sample_pathway

    folder = tmp_path / "shared-drive"
    folder.mkdir()
    path = folder / "pathway.yaml"
    save_pathway(sample_pathway(), path)
    window = make_window(path=path)
    window.push(UpdateHeaderCommand, {"title": "Edited offline"})
    shutil.rmtree(folder)
    seen = []
    click_modal_button("OK", seen=seen)
    assert not window.files.save()
    assert seen == ["Could not save"]
    assert window.document.dirty and window.document.pathway.title == "Edited offline"


def test_quit_with_two_unsaved_windows_and_cancel_keeps_both(make_window, sample_file):
    first, second = make_window(path=sample_file), make_window()
    first.push(UpdateHeaderCommand, {"title": "First"})
    second.push(UpdateHeaderCommand, {"title": "Second"})
    seen = []
    click_modal_button("Cancel", seen=seen)
    first.quit_application()
    assert seen == ["Unsaved changes"]
    assert first.isVisible() and second.isVisible()
    assert first.document.dirty and second.document.dirty


def _drop(window, path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    return enter.isAccepted()


def test_dropping_a_file_that_is_not_a_pathway_is_explained(make_window, tmp_path, qtbot):
    window = make_window()
    before = window.document.pathway.model_dump()
    notes = tmp_path / "minutes.docx"
    notes.write_bytes(b"PK\x03\x04")
    assert _drop(window, notes)
    assert "not a pathway file" in window.statusBar().currentMessage()
    assert window.document.pathway.model_dump() == before

    broken = tmp_path / "broken.yaml"
    broken.write_text("id: [unclosed\n", encoding="utf-8")
    seen = []
    click_modal_button("OK", seen=seen)
    assert _drop(window, broken)
    qtbot.waitUntil(lambda: seen == ["Cannot open pathway"])
    assert window.document.pathway.model_dump() == before


def test_clipboard_garbage_is_refused_with_a_message_and_nothing_pasted(make_window,
                                                                        sample_file, qtbot):
    window = make_window(path=sample_file)
    before = window.document.pathway.model_dump()
    stack = window.document.undo_stack
    for text in ("steps:\n- {id: a, name: A}\ntransitions: 7\n",
                 "steps:\n- {id: a, name: A, position: [.nan, 10]}\n",
                 "steps:\n- {id: a, name: A, position: [1e400, 10]}\n",
                 "steps: [{1: 2}]", "steps: [null]", "\x00\x01", "- a\n- b"):
        QApplication.clipboard().setText(text)
        qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        assert window.statusBar().currentMessage(), text
        assert stack.count() == 0, text
        assert window.document.pathway.model_dump() == before, text


def test_paste_is_one_undo_step(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    before = window.document.pathway.model_dump()
    window.scene.select_ids(["prehab", "surgery"])
    assert window.clipboard.copy()
    qtbot.keyClick(window.view, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.document.undo_stack.count() == 1
    assert window.statusBar().currentMessage().startswith("Pasted 2 steps")
    window.document.undo_stack.undo()
    assert window.document.pathway.model_dump() == before


def test_an_error_repeating_on_every_repaint_shows_one_message_at_a_time(
        make_window, qtbot, monkeypatch):
    from designer.ui.window import app

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(app, "_shown_errors", {})
    app.install_excepthook()
    window = make_window()
    button = QPushButton("Check", window)
    button.show()
    shown = []

    def broken_slot():
        raise RuntimeError("the drawing failed")

    button.clicked.connect(broken_slot)

    def answer():
        box = QApplication.activeModalWidget()
        if box is None:
            return
        shown.append(box.windowTitle())
        # the same error again while the message is on screen: no second dialog
        try:
            raise RuntimeError("the drawing failed")
        except RuntimeError:
            sys.excepthook(*sys.exc_info())
        box.accept()

    from PySide6.QtCore import QTimer
    for delay in (50, 400, 800):
        QTimer.singleShot(delay, answer)
    for _ in range(3):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.wait(900)
    # the repeat under the open message counts as the second showing: one dialog in all,
    # every occurrence in the log
    assert shown == ["Something went wrong"]
    import os
    from pathlib import Path
    log_text = (Path(os.environ["PERIOP_DATA_DIR"]) / "designer.log").read_text("utf-8")
    assert log_text.count("RuntimeError: the drawing failed") == 4
    import logging
    for handler in list(logging.getLogger("designer").handlers):
        logging.getLogger("designer").removeHandler(handler)
        handler.close()


def test_refused_property_values_are_explained_in_plain_words(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["surgery"])
    page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page
                    and page.key == "surgery")
    before = window.document.pathway.model_dump()
    for editor, typed, message in (
            (page.name, None, "Name cannot be blank."),
            (page.duration, "nan", "Enter a number (days), or leave it blank."),
            (page.duration, "inf", "Enter a number (days), or leave it blank.")):
        field = editor.widget
        field.setFocus()
        field.selectAll()
        if typed is None:
            qtbot.keyClick(field, Qt.Key.Key_Delete)
        else:
            qtbot.keyClicks(field, typed)
        assert editor.error.text() == message
        qtbot.keyClick(field, Qt.Key.Key_Tab)
        assert editor.error.text() == "Not changed: " + message
    assert window.document.pathway.model_dump() == before
    assert window.document.undo_stack.count() == 0


def test_an_information_item_typed_then_leaving_goes_to_its_own_transition(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["sdm->preassess"])
    page = window.properties_dock.transition_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page
                    and page.key == "sdm->preassess")
    page.handoff_box.setChecked(True)
    entry = page.information.entry
    entry.setFocus()
    qtbot.keyClicks(entry, "blood results")
    # the user clicks another transition's step on the canvas without pressing Enter
    item = window.scene.item_for("surgery")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.view.mapFromScene(item.sceneBoundingRect().center()))
    qtbot.waitUntil(lambda: window.properties_dock.current_page is not page)
    pathway = window.document.pathway
    assert pathway.transition("sdm->preassess").handoff.information == ["blood results"]
    # and the text is not waiting in the box to be added to the next transition
    window.scene.select_ids(["fit->surgery"])
    qtbot.waitUntil(lambda: page.key == "fit->surgery")
    assert entry.text() == ""
    assert pathway.transition("fit->surgery").handoff is None


def test_revert_when_the_file_was_deleted_says_so(make_window, sample_file, monkeypatch):
    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "Still here"})
    sample_file.unlink()
    seen = []
    monkeypatch.setattr(window.files, "_error", lambda title, text: seen.append((title, text)))
    window.files.revert()
    assert len(seen) == 1 and seen[0][0] == "Cannot revert"
    assert "sample.yaml” is no longer in" in seen[0][1] and "Save As" in seen[0][1]
    assert window.document.pathway.title == "Still here" and window.document.dirty


def _type_step_id(window, qtbot, step_id, new_id):
    window.scene.select_ids([step_id])
    page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page and page.key == step_id)
    field = page.step_id.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, new_id)
    return field


def test_ctrl_s_while_still_typing_an_id_saves_that_id(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    field = _type_step_id(window, qtbot, "surgery", "operation")
    qtbot.keyClick(field, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_pathway(sample_file).step("operation") is not None
    assert not window.document.dirty


def test_closing_while_still_typing_an_id_asks_to_save_it(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    _type_step_id(window, qtbot, "surgery", "operation")
    seen = []
    click_modal_button("Cancel", seen=seen)
    window.close()
    assert seen == ["Unsaved changes"]
    assert window.isVisible() and window.document.pathway.step("operation") is not None


def test_a_damaged_recent_files_setting_gives_an_empty_menu(make_window, settings):
    settings.setValue("files/recent", 5)
    window = make_window()
    window.files.fill_recent_menu()
    assert [a.text() for a in window.menu_recent.actions()] == ["No recent files"]
    settings.setValue("files/recent", ["/nowhere/a.yaml", 7, None])
    assert window.files.recent_files() == ["/nowhere/a.yaml"]


def test_a_read_only_file_is_not_replaced(make_window, sample_file, monkeypatch):
    import os

    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "Draft changes"})
    before = sample_file.read_bytes()
    real_access = os.access
    # as if marked read-only (the test may run as root, who may write anything)
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False
                        if str(path) == str(sample_file.resolve()) and mode == os.W_OK
                        else real_access(path, mode, *a, **k))
    seen = []
    monkeypatch.setattr(window.files, "_error", lambda title, text: seen.append(text))
    assert not window.files.save()
    assert len(seen) == 1 and "read-only" in seen[0]
    assert sample_file.read_bytes() == before
    assert window.document.dirty


def test_messages_show_file_names_with_angle_brackets_as_they_are(make_window, tmp_path,
                                                                  qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    window = make_window()
    broken = tmp_path / "<b>ward 3.yaml"
    broken.write_text("steps: [\n", encoding="utf-8")
    shown = []

    def answer():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        shown.append((box.textFormat(), box.text()))
        box.accept()

    QTimer.singleShot(0, answer)
    assert not window.files.open_path(broken)
    [(text_format, text)] = shown
    assert text_format == Qt.TextFormat.PlainText and "<b>ward 3.yaml" in text


def test_closing_an_unsaved_new_pathway_and_cancelling_the_file_name_keeps_it(
        make_window, qtbot, monkeypatch):
    window = make_window()
    window.push(UpdateHeaderCommand, {"title": "Never saved"})
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *_a, **_k: ("", "")))
    seen = []
    click_modal_button("Save", seen=seen)
    qtbot.keyClick(window.view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert seen == ["Unsaved changes"]
    assert window.isVisible() and window.document.dirty
    assert window.document.pathway.title == "Never saved"
    # Ctrl+N then Cancel keeps it too
    click_modal_button("Cancel")
    qtbot.keyClick(window.view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.document.pathway.title == "Never saved" and window.document.dirty


def test_ctrl_s_during_an_in_place_rename_saves_the_typed_name(make_window, sample_file,
                                                                qtbot):
    window = make_window(path=sample_file)
    assert window.scene.rename_in_place("surgery")
    editor = QApplication.focusWidget()
    qtbot.keyClicks(editor, "Hip replacement")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_pathway(sample_file).step("surgery").name == "Hip replacement"
    assert not window.document.dirty


def test_closing_during_an_in_place_rename_asks_to_save_the_typed_name(make_window,
                                                                        sample_file, qtbot):
    window = make_window(path=sample_file)
    assert window.scene.rename_in_place("surgery")
    qtbot.keyClicks(QApplication.focusWidget(), "Hip replacement")
    seen = []
    click_modal_button("Cancel", seen=seen)
    window.close()
    assert seen == ["Unsaved changes"] and window.isVisible()
    assert window.document.pathway.step("surgery").name == "Hip replacement"


def test_an_unexpected_error_while_saving_on_close_keeps_the_window_open(
        make_window, sample_file, qtbot, monkeypatch):
    from designer.ui.editing.document import Document

    window = make_window(path=sample_file)
    window.push(UpdateHeaderCommand, {"title": "Not yet saved"})

    def broken_save(self, path=None):
        raise RuntimeError("a bug in the writer")

    monkeypatch.setattr(Document, "save", broken_save)
    reported = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: reported.append(info[1]))
    click_modal_button("Save")
    qtbot.keyClick(window.view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert "a bug in the writer" in " ".join(str(e) for e in reported)
    assert window.isVisible()
    assert window.document.dirty and window.document.pathway.title == "Not yet saved"


def test_a_file_the_canvas_cannot_show_leaves_the_open_pathway_working(
        make_window, sample_file, qtbot, monkeypatch):
    from designer.ui.canvas import view as view_module

    window = make_window()
    window.push(UpdateHeaderCommand, {"title": "Work in progress"})
    document, scene = window.document, window.scene

    def broken_view(*_args, **_kwargs):
        raise RuntimeError("the canvas tripped")

    monkeypatch.setattr(view_module, "PathwayView", broken_view)
    seen = []
    monkeypatch.setattr(window.files, "_error", lambda title, text: seen.append((title, text)))
    click_modal_button("Discard")
    assert not window.files.open_path(sample_file)
    assert seen and seen[0][0] == "Cannot open pathway" and "the canvas tripped" in seen[0][1]
    assert window.document is document and window.scene is scene
    assert document.dirty and document._autosave_timer.isActive()
    from designer.ui.editing import recovery
    assert document.recovery_id in recovery.LIVE_IDS


def test_a_refused_value_typed_over_several_keys_leaves_nothing_half_applied(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    before = window.document.pathway.model_dump()
    # the pathway id: "eras" is valid on the way to the refused "eras colorectal"
    page = window.properties_dock.pathway_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page)
    field = page.id_field.widget
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "eras colorectal")
    assert page.id_field.has_error
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    assert window.document.pathway.model_dump() == before
    assert field.text() == "sample-elective"
    assert page.id_field.error.text().startswith("Not changed")
    assert window.document.undo_stack.count() == 0 and not window.document.dirty

    # a duration: "1" is valid on the way to the refused "1e400"
    window.scene.select_ids(["surgery"])
    step_page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is step_page
                    and step_page.key == "surgery")
    duration = step_page.duration.widget
    duration.setFocus()
    duration.selectAll()
    qtbot.keyClicks(duration, "1e400")
    qtbot.keyClick(duration, Qt.Key.Key_Tab)
    assert window.document.pathway.model_dump() == before
    assert window.document.undo_stack.count() == 0 and not window.document.dirty

    # a good value typed afterwards is one undo step as before
    duration.setFocus()
    duration.selectAll()
    qtbot.keyClicks(duration, "2")
    qtbot.keyClick(duration, Qt.Key.Key_Tab)
    assert window.document.pathway.step("surgery").duration_days == 2
    assert window.document.undo_stack.count() == 1


def test_a_refused_value_after_the_selection_changed_under_the_field_touches_nothing(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["prehab"])
    page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page and page.key == "prehab")
    duration = page.duration.widget
    duration.setFocus()
    before = window.document.pathway.model_dump()
    # the selection moves (say, Find's Enter) while the cursor stays in the field
    window.scene.select_ids(["surgery"])
    qtbot.waitUntil(lambda: page.key == "surgery")
    duration.selectAll()
    qtbot.keyClicks(duration, "1e400")
    qtbot.keyClick(duration, Qt.Key.Key_Tab)
    assert window.document.pathway.model_dump() == before


def test_a_refused_value_when_the_selection_moves_away_leaves_the_first_step_as_it_was(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["prehab"])
    page = window.properties_dock.step_page
    qtbot.waitUntil(lambda: window.properties_dock.current_page is page and page.key == "prehab")
    before = window.document.pathway.model_dump()
    duration = page.duration.widget
    duration.setFocus()
    duration.selectAll()
    qtbot.keyClicks(duration, "1e400")  # "1" applied on the way, then refused
    window.scene.select_ids(["surgery"])  # the selection moves; the cursor stays
    qtbot.waitUntil(lambda: page.key == "surgery")
    assert window.document.pathway.model_dump() == before
