"""The library browser, driven with real clicks and typing in a real main window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QToolButton

from designer.library import builtin_folder, user_folder
from designer.ui.library.browser import LibraryBrowser
from designer.ui.window.main_window import MainWindow


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_browser_from_menu(qtbot, window) -> LibraryBrowser:
    action = window.library_actions["browse"]
    assert action in window.menu_tools.actions()
    action.trigger()
    browser = window.library_browser
    qtbot.waitExposed(browser)
    return browser


def listed_ids(browser: LibraryBrowser) -> list[str]:
    return [e.id for e in browser.visible_entries()]


def click_entry(qtbot, browser: LibraryBrowser, pathway_id: str, double: bool = False):
    row = listed_ids(browser).index(pathway_id)
    item = browser.list.item(row)
    browser.list.scrollToItem(item)
    centre = browser.list.visualItemRect(item).center()
    click = qtbot.mouseDClick if double else qtbot.mouseClick
    if double:
        qtbot.mouseClick(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    click(browser.list.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def answer_next_dialog(button_text: str, seen: list[str]) -> None:
    """Press a button of the next modal message box (tests cannot click a blocking exec)."""
    def press():
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, press)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        raise AssertionError(f"no button {button_text!r} in {box.text()!r}")
    QTimer.singleShot(0, press)


def test_file_menu_and_new_button_offer_templates(window):
    texts = [a.text() for a in window.menu_file.actions()]
    new_index = texts.index("&New")
    assert texts[new_index + 1] == "New from &Template…"
    assert "Save to My &Library…" in texts
    button = window.toolbar.widgetForAction(window.act.new)
    assert isinstance(button, QToolButton) and button.menu() is not None
    assert [a.text() for a in button.menu().actions()] == ["Blank Pathway",
                                                           "New from &Template…"]


def test_typing_a_search_and_choosing_filters_narrow_the_list(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    everything = listed_ids(browser)
    assert {"eras-plus-colorectal", "diabetes-preop-clinic", "day-case-lap-chole",
            "anaemia-optimisation"} <= set(everything)

    qtbot.keyClicks(browser.search_box, "colorectal")
    assert "eras-plus-colorectal" in listed_ids(browser)
    assert "day-case-lap-chole" not in listed_ids(browser)
    assert browser.count_label.text().endswith(f"of {len(everything)} pathways")

    browser.search_box.selectAll()
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Backspace)
    assert listed_ids(browser) == everything

    browser.tag_box.setFocus()
    qtbot.keyClicks(browser.tag_box, "day case")
    assert browser.tag_box.currentText() == "day case"
    assert listed_ids(browser) == ["day-case-lap-chole"]

    qtbot.keyClicks(browser.search_box, "no such words")
    assert listed_ids(browser) == []
    assert "No pathway matches" in browser.details.toPlainText()
    assert not browser.new_button.isEnabled()


def test_clicking_an_entry_previews_summary_population_and_evidence(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "anaemia-optimisation")
    text = browser.details.toPlainText()
    assert "Preoperative anaemia optimisation" in text
    assert "Population" in text and "blood loss over 500 mL" in text
    assert "Evidence (" in text and "NICE NG24" in text and "(weak evidence)" in text
    # the diagram thumbnail, scaled to the preview's width
    thumb = browser.thumbnail.pixmap()
    assert not thumb.isNull() and thumb.width() > thumb.height()
    assert thumb.width() <= browser.thumb_scroll.viewport().width()


def test_new_from_template_opens_an_untitled_copy(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "eras-plus-colorectal")
    qtbot.mouseClick(browser.new_button, Qt.MouseButton.LeftButton)
    doc = window.document
    assert doc.path is None
    assert doc.pathway.derived_from.id == "eras-plus-colorectal"
    assert doc.pathway.derived_from.version == "1.0.0"
    assert doc.pathway.status.value == "draft" and doc.pathway.version == "0.1.0"
    assert len(doc.pathway.steps) == 21
    assert not browser.isVisible()
    assert window.scene.item_for("surgery") is not None


def test_double_click_also_starts_from_the_template(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "day-case-lap-chole", double=True)
    assert window.document.pathway.derived_from.id == "day-case-lap-chole"


def test_unsaved_work_is_protected_when_starting_from_a_template(qtbot, window):
    from designer.ui.commands import UpdateHeaderCommand

    window.document.undo_stack.push(
        UpdateHeaderCommand(window.document.pathway, title="My unsaved pathway"))
    assert window.document.dirty
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "eras-plus-colorectal")
    seen: list[str] = []
    answer_next_dialog("Cancel", seen)
    qtbot.mouseClick(browser.new_button, Qt.MouseButton.LeftButton)
    assert seen, "the unsaved-changes question was not asked"
    assert window.document.pathway.title == "My unsaved pathway"
    assert browser.isVisible()
    # pytest-qt closes the window before fixture teardown: leave nothing unsaved
    window.document.undo_stack.setClean()


def test_save_current_pathway_to_my_library(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "diabetes-preop-clinic")
    qtbot.mouseClick(browser.new_button, Qt.MouseButton.LeftButton)
    copy_id = window.document.pathway.id

    browser = open_browser_from_menu(qtbot, window)
    qtbot.mouseClick(browser.save_button, Qt.MouseButton.LeftButton)
    saved = user_folder() / f"{copy_id}.yaml"
    assert saved.exists()
    assert browser.current_entry().id == copy_id
    assert browser.current_entry().origin == "my library"
    assert "my library" in browser.list.currentItem().data(Qt.ItemDataRole.AccessibleTextRole)

    # saving again asks before replacing
    seen: list[str] = []
    answer_next_dialog("Replace", seen)
    qtbot.mouseClick(browser.save_button, Qt.MouseButton.LeftButton)
    assert seen and copy_id in seen[0]


def test_an_exemplar_itself_cannot_be_saved_over(qtbot, window):
    assert window.files.open_path(builtin_folder() / "anaemia-optimisation.yaml")
    browser = open_browser_from_menu(qtbot, window)
    seen: list[str] = []
    answer_next_dialog("OK", seen)
    qtbot.mouseClick(browser.save_button, Qt.MouseButton.LeftButton)
    assert seen and "built-in exemplar" in seen[0]
    assert not (user_folder() / "anaemia-optimisation.yaml").exists()


def test_unreadable_library_files_are_reported_not_fatal(qtbot, window):
    folder = user_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "broken.yaml").write_text("format: periop-pathway/1\nid: [\n")
    browser = open_browser_from_menu(qtbot, window)
    assert browser.problems_label.isVisible()
    assert "1 file(s)" in browser.problems_label.text()
    assert "broken.yaml" in browser.problems_label.toolTip()
    assert "eras-plus-colorectal" in listed_ids(browser)


def test_typing_a_search_then_enter_starts_from_the_first_match(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    qtbot.keyClicks(browser.search_box, "anaemia iron")
    assert listed_ids(browser)[0] == "anaemia-optimisation"
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Return)
    assert window.document.pathway.derived_from.id == "anaemia-optimisation"
    assert not browser.isVisible()


def test_new_button_menu_offers_blank_or_template(qtbot, window):
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "eras-plus-colorectal")
    qtbot.mouseClick(browser.new_button, Qt.MouseButton.LeftButton)
    assert window.document.pathway.derived_from is not None

    menu = window.toolbar.widgetForAction(window.act.new).menu()
    blank, from_template = menu.actions()
    blank.trigger()
    assert window.document.pathway.derived_from is None
    assert window.document.pathway.id == "new-pathway"
    from_template.trigger()
    assert window.library_browser.isVisible()


def test_save_to_my_library_from_the_file_menu(qtbot, window):
    window.library_actions["new_from_template"].trigger()
    browser = window.library_browser
    click_entry(qtbot, browser, "smoking-cessation-teachable-moment")
    qtbot.mouseClick(browser.new_button, Qt.MouseButton.LeftButton)
    action = window.library_actions["save_to_library"]
    assert action in window.menu_file.actions()
    action.trigger()
    saved = user_folder() / "smoking-cessation-teachable-moment-local.yaml"
    assert saved.exists()
    assert "Saved to your library" in window.statusBar().currentMessage()


def test_a_library_file_with_a_broken_body_previews_its_problem(qtbot, window):
    folder = user_folder()
    folder.mkdir(parents=True, exist_ok=True)
    text = (builtin_folder() / "anaemia-optimisation.yaml").read_text(encoding="utf-8")
    text = text.replace("id: anaemia-optimisation", "id: my-broken-copy", 1)
    text = text.replace("    kind: entry\n", "    kind: entry\n    colour: red\n", 1)
    (folder / "my-broken-copy.yaml").write_text(text, encoding="utf-8")
    browser = open_browser_from_menu(qtbot, window)
    click_entry(qtbot, browser, "my-broken-copy")
    assert "cannot be opened" in browser.details.toPlainText()
    assert "colour" in browser.details.toPlainText()
    assert not browser.new_button.isEnabled()
    click_entry(qtbot, browser, "anaemia-optimisation")
    assert browser.new_button.isEnabled()
    assert "17 steps · 2 lanes · 7 handoffs" in browser.details.toPlainText()
