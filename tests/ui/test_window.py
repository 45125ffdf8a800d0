"""The main window: title, menus and shortcuts, undo/redo, delete, close prompt, drop to open."""

from __future__ import annotations

import warnings

from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPlainTextEdit

from window_support import (  # noqa: F401 (fixtures)
    click_modal_button, make_window, sample_file, settings,
)


def _view_point(window, step_id):
    item = window.scene.item_for(step_id)
    return window.view.mapFromScene(item.sceneBoundingRect().center())


def test_new_window_is_a_blank_pathway_with_the_six_standard_lanes(make_window):
    window = make_window()
    pathway = window.document.pathway
    assert [s.name for s in pathway.settings] == [
        "Patient at home", "GP practice", "Community hub", "Hospital", "Social care",
        "Voluntary sector"]
    assert sorted(s.kind.value for s in pathway.steps) == ["entry", "exit"]
    assert window.windowTitle().startswith("Untitled.yaml")
    assert not window.isWindowModified()


def test_title_marks_unsaved_changes_and_menus_are_exposed(make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    assert window.windowTitle() == "sample.yaml[*] — Perioperative Pathway Designer"
    for name in ("menu_file", "menu_edit", "menu_view", "menu_tools", "menu_workshop",
                 "menu_help"):
        assert getattr(window, name).actions() or name == "menu_workshop"
    assert window.act.save.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    assert window.act.find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)

    window.scene.select_ids(["surgery"])
    qtbot.waitUntil(lambda: window.properties_dock.current_page is
                    window.properties_dock.step_page)
    name = window.properties_dock.step_page.name.widget
    name.setFocus()
    qtbot.keyClick(name, Qt.Key.Key_End)
    qtbot.keyClicks(name, " (day case)")
    assert window.document.pathway.step("surgery").name == "Surgery (day case)"
    assert window.isWindowModified()

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.pathway.step("surgery").name == "Surgery"
    assert not window.isWindowModified()


def test_click_selects_step_and_delete_key_removes_it_as_one_undo_step(
        make_window, sample_file, qtbot):
    window = make_window(path=sample_file)
    before = window.document.pathway.model_dump()
    window.view.zoom_reset()
    window.view.centre_on_id("preassess")
    qtbot.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=_view_point(window, "preassess"))
    assert window.scene.selected_ids() == ["preassess"]
    window.view.setFocus()
    qtbot.keyClick(window.view, Qt.Key.Key_Delete)
    pathway = window.document.pathway
    assert pathway.step("preassess") is None
    assert all("preassess" not in t.key for t in pathway.transitions)
    assert window.document.undo_stack.count() == 1

    qtbot.keyClick(window.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.pathway.model_dump() == before
    qtbot.keyClick(window.view, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert window.document.pathway.step("preassess") is None


def test_close_prompt_cancel_keeps_the_window_and_discard_closes(make_window, sample_file,
                                                                 qtbot):
    window = make_window(path=sample_file)
    window.scene.select_ids(["surgery"])
    window.delete_selection()
    assert window.document.dirty

    seen = []
    click_modal_button("Cancel", seen=seen)
    assert window.close() is False
    assert seen == ["Unsaved changes"]
    assert window.isVisible()

    click_modal_button("Discard")
    assert window.close() is True
    assert not window.isVisible()
    # discarding leaves the file as it was
    from designer.graph.io import load_pathway
    assert load_pathway(sample_file).step("surgery") is not None


def test_dropping_a_yaml_file_on_the_window_opens_it(make_window, sample_file, qtbot):
    window = make_window()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_file))])
    with warnings.catch_warnings():
        # PySide marks this (the only working) constructor deprecated; QTest cannot drag
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(QPoint(50, 50), Qt.DropAction.CopyAction, mime,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, drop)
    qtbot.waitUntil(lambda: window.document.path == sample_file.resolve())
    assert window.document.pathway.id == "sample-elective"


def test_every_input_in_the_docks_has_an_accessible_name(make_window, sample_file):
    window = make_window(path=sample_file)
    docks = (window.properties_dock, window.findings_dock, window.timeline_dock)
    missing = []
    for dock in docks:
        inputs = [w for cls in (QLineEdit, QComboBox, QPlainTextEdit)
                  for w in dock.findChildren(cls)]
        for widget in inputs:
            if widget.parent() is not None and type(widget.parent()).__name__ in (
                    "QComboBox", "QSpinBox"):
                continue  # a combo's own line edit
            if not widget.accessibleName():
                missing.append((dock.objectName(), type(widget).__name__))
    assert missing == []


def test_an_unexpected_error_is_logged_and_shown_as_a_message_not_a_traceback(
        make_window, qtbot, monkeypatch):
    import os
    import sys
    from pathlib import Path

    from designer.ui.window.app import install_excepthook

    make_window()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook()
    seen = []
    click_modal_button("OK", seen=seen)
    try:
        raise ValueError("the printer caught fire")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    assert seen == ["Something went wrong"]
    log = Path(os.environ["PERIOP_DATA_DIR"]) / "designer.log"
    assert "ValueError: the printer caught fire" in log.read_text(encoding="utf-8")
    import logging
    for handler in list(logging.getLogger("designer").handlers):
        logging.getLogger("designer").removeHandler(handler)
        handler.close()


def test_window_layout_is_kept_in_settings_but_panels_never_all_vanish(make_window, settings,
                                                                       qtbot):
    window = make_window()
    window.timeline_dock.hide()
    window.close()
    assert settings.value("window/state") is not None
    again = make_window()
    assert again.timeline_dock.isHidden()  # the user's choice is kept
    assert not again.properties_dock.isHidden()

    for dock in (again.properties_dock, again.findings_dock, again.palette_dock):
        if dock is not None:
            dock.hide()
    again.close()
    third = make_window()
    assert not third.properties_dock.isHidden()
    assert not third.findings_dock.isHidden()


def test_no_two_actions_share_a_shortcut(make_window):
    from collections import defaultdict

    from PySide6.QtGui import QAction

    window = make_window()
    owners = defaultdict(set)
    for action in window.findChildren(QAction):
        for keys in action.shortcuts():
            if not keys.isEmpty():
                owners[keys.toString()].add(action.text().replace("&", ""))
    clashes = {keys: names for keys, names in owners.items() if len(names) > 1}
    assert clashes == {}  # Qt silently ignores an ambiguous shortcut
    assert window.act.quit.shortcuts()


def test_enter_on_a_palette_entry_adds_that_step(make_window, qtbot):
    from PySide6.QtTest import QTest

    window = make_window()
    palette = window.palette_dock.widget()
    before = len(window.document.pathway.steps)
    entry = palette.entry("Surgery")
    palette.setCurrentItem(entry)
    palette.setFocus()
    QTest.keyClick(palette, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(window.document.pathway.steps) == before + 1)
    added = window.document.pathway.steps[-1]
    assert added.activity.value == "surgery"
    window.document.undo_stack.undo()
    assert len(window.document.pathway.steps) == before


def test_clicking_a_lane_header_shows_that_lane_in_properties(make_window, qtbot):
    from PySide6.QtTest import QTest

    window = make_window()
    band = next(b for b in window.scene.bands() if b.setting_id == "gp")
    point = window.view.mapFromScene(QPointF(40, band.top + band.height / 2))
    QTest.mouseClick(window.view.viewport(), Qt.MouseButton.LeftButton, pos=point)
    dock = window.properties_dock
    qtbot.waitUntil(lambda: dock.stack.currentWidget() is dock.lane_page)


def test_overview_map_can_be_turned_off_from_the_view_menu(make_window):
    window = make_window()
    action = window.act.overview
    assert action in window.menu_view.actions() and action.isChecked()
    action.trigger()
    assert not window.view.minimap.enabled_by_user
    action.trigger()
    assert window.view.minimap.enabled_by_user
