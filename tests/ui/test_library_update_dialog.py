"""Review update (national to local, one undo step) and sync conflict copies, in a window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from designer.graph.io import load_pathway, save_pathway
from designer.library import builtin_folder, new_from_template
from designer.library.shared import FOLDER, add_source
from designer.library.update import remember_base
from designer.ui.editing.document import Document
from designer.ui.window.library_update_dialog import review_update, show_conflict_copies
from designer.ui.window.main_window import MainWindow


def national(version: str):
    pathway = load_pathway(builtin_folder() / "diabetes-preop-clinic.yaml")
    data = pathway.model_dump(by_alias=True)
    data.update({"id": "national-diabetes", "version": version, "status": "approved"})
    return type(pathway).model_validate(data)


@pytest.fixture
def story(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PERIOP_LIBRARY_SOURCES", str(tmp_path / "sources.json"))
    monkeypatch.setenv("PERIOP_BASES", str(tmp_path / "bases"))
    shared = tmp_path / "National"
    shared.mkdir()
    v1, v2 = national("1.0.0"), national("1.1.0")
    remember_base(v1)
    key = next(t.key for t in v2.transitions if t.condition and "69" in t.condition)
    v2.update_transition(key, condition="HbA1c >= 64 mmol/mol")
    first = next(s.id for s in v2.steps if s.kind.value == "task")
    v2.update_step(first, name="National name")
    save_pathway(v2, shared / "national-diabetes.yaml")
    add_source(FOLDER, str(shared))
    local = new_from_template(v1)
    local.update_step(first, name="Local name")          # both changed this one
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(settings=settings)
    qtbot.addWidget(win)
    win.set_document(Document(local, None))
    win.show()
    qtbot.waitExposed(win)
    return win, shared, key, first


def test_review_update_asks_and_applies_as_one_undo_step(story, qtbot):
    window, _shared, key, first = story
    assert window.extension("library-update").actions["review"] in window.menu_tools.actions()
    before = window.document.pathway.model_dump()
    dialog = review_update(window)
    qtbot.waitExposed(dialog)
    assert "64" in dialog.diff_text.toPlainText()
    assert dialog.table.rowCount() == 1 and "Local name" in dialog.table.item(0, 0).text()
    dialog.set_choice(0, "theirs")
    dialog.apply_button.click()
    pathway = window.document.pathway
    assert pathway.transition(key).condition == "HbA1c >= 64 mmol/mol"
    assert pathway.step(first).name == "National name"
    assert pathway.derived_from.version == "1.1.0"
    stack = window.document.undo_stack
    assert stack.count() == 1
    stack.undo()
    assert window.document.pathway.model_dump() == before
    stack.setClean()


def test_up_to_date_says_so(story, qtbot):
    window, shared, _key, _first = story
    save_pathway(national("1.0.0"), shared / "national-diabetes.yaml")
    assert review_update(window) is None
    assert "Up to date" in window.statusBar().currentMessage()


def test_conflict_copies_are_listed_and_compared(story, qtbot):
    window, shared, key, _first = story
    changed = load_pathway(shared / "national-diabetes.yaml")
    changed.update_transition(key, condition="HbA1c >= 60 mmol/mol")
    save_pathway(changed, shared / "national-diabetes-LAPTOP.yaml")
    dialog = show_conflict_copies(window)
    qtbot.waitExposed(dialog)
    assert dialog.list.count() == 1
    assert "national-diabetes-LAPTOP.yaml" in dialog.list.item(0).text()
    text = dialog.diff_text.toPlainText()
    assert "threshold" in text and "60" in text
    dialog.close()


def test_the_browser_labels_sources_and_says_an_update_is_there(story, qtbot, tmp_path):
    from PySide6.QtCore import Qt

    from designer.library import USER, user_folder

    window, _shared, _key, _first = story
    user_folder().mkdir(parents=True, exist_ok=True)
    save_pathway(window.document.pathway, user_folder() / "local.yaml")
    browser = window.extension("library").open_browser()
    qtbot.waitExposed(browser)
    texts = {browser.list.item(i).data(Qt.ItemDataRole.AccessibleTextRole)
             for i in range(browser.list.count())}
    national_text = next(t for t in texts if t.startswith("Diabetes") and "National" in t)
    assert "approved v1.1.0" in national_text
    local_text = next(t for t in texts if USER in t)
    assert "update available: v1.1.0" in local_text
    browser.close()
    window.document.undo_stack.setClean()


def test_sources_dialog_adds_and_removes(story, qtbot, tmp_path):
    from designer.ui.window.library_update_dialog import show_sources

    window, shared, _key, _first = story
    dialog = show_sources(window)
    qtbot.waitExposed(dialog)
    assert dialog.labels() == ["National"]
    other = tmp_path / "Trust B"
    other.mkdir()
    assert dialog.add_folder(other)
    assert dialog.labels() == ["National", "Trust B"]
    assert not dialog.add_folder(other)                       # already there: said so
    assert "already a library source" in dialog.message.text()
    synced = tmp_path / "OneDrive - NHS" / "clone"
    (synced / ".git").mkdir(parents=True)
    assert not dialog.add_folder(synced)
    assert "corrupts .git" in dialog.message.text()
    dialog.table.setCurrentCell(1, 0)
    dialog.remove_selected()
    assert dialog.labels() == ["National"]
    dialog.close()
