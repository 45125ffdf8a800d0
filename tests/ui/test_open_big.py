"""Opening a big pathway file keeps the window live (issue 16, "fast open, no freeze").

A file of ``opening.BACKGROUND_BYTES`` or more is read in a worker and its canvas
drawn in slices while the pathway open before stays on screen and in use; the new
one is swapped in whole when it is ready. The tests lower the threshold so that a
few hundred steps (quick to build twice) take that road, and drive the window with
real clicks. The truth for the canvas is the synchronous build of the same file.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from designer.graph.io import PathwayLoadError, load_pathway, save_pathway
from designer.ui.commands import MoveStepsCommand
from designer.ui.window import app as app_module
from designer.ui.window import opening
from designer.ui.window.main_window import MainWindow
from test_canvas_progressive import picture, synchronous
from window_support import click_modal_button, make_window, sample_file, settings  # noqa: F401

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import make_pathway  # noqa: E402


@pytest.fixture
def big_file(tmp_path, monkeypatch):
    """A 200-step pathway file, opened the way big files are."""
    path = tmp_path / "big.yaml"
    save_pathway(make_pathway(200), path)
    monkeypatch.setattr(opening, "BACKGROUND_BYTES", 20_000)
    assert opening.opens_in_background(path)
    return path


def _other_big_file(tmp_path) -> Path:
    path = tmp_path / "other.yaml"
    pathway = make_pathway(160, seed=3).model_copy(update={"title": "Another big pathway"})
    save_pathway(pathway, path)
    return path


def _wait_opened(qtbot, window, path: Path, timeout: int = 120_000) -> None:
    qtbot.waitUntil(lambda: window.document.path == path.resolve(), timeout=timeout)


def test_a_big_file_opens_live_and_ends_up_as_the_synchronous_canvas(make_window, big_file,
                                                                      qtbot):
    window = make_window()
    before = window.document
    beats = []
    heartbeat = QTimer()
    heartbeat.timeout.connect(lambda: beats.append(time.perf_counter()))
    heartbeat.start(5)
    assert window.files.open_path(big_file) is True       # under way
    # at once: still the pathway that was open, and a bar saying what is happening
    assert window.document is before
    bar = window.findChild(opening.OpeningBar, "opening-bar")
    assert bar is not None and bar.isVisible()
    assert "big.yaml" in bar.label.text()
    assert window.statusBar().currentMessage() == "Opening big.yaml…"
    _wait_opened(qtbot, window, big_file)
    shown = picture(window.scene)      # before the first check's badges arrive
    heartbeat.stop()
    assert len(beats) > 10                     # the event loop kept turning meanwhile
    assert not bar.isVisible()
    assert window.files.opening is None
    assert window.files.recent_files() == [str(big_file.resolve())]
    assert shown == picture(synchronous(load_pathway(big_file)))
    assert window.view.scene() is window.scene
    # active as its window is (it was counted active while built, to spare the sweep)
    qtbot.waitUntil(lambda: not window.scene._pre_activated)
    assert window.scene.isActive() == window.isActiveWindow()


def test_the_opened_pathway_can_be_edited_and_undone_at_once(make_window, big_file, qtbot):
    window = make_window()
    window.files.open_path(big_file)
    _wait_opened(qtbot, window, big_file)
    step = window.document.pathway.steps[30]
    start = step.position
    assert window.push(MoveStepsCommand, {step.id: (start[0] + 200, start[1])})
    window.scene.flush()
    assert window.scene.item_for(step.id).pos().x() > 0
    assert window.document.dirty
    window.undo_group.undo()
    assert window.document.pathway.step(step.id).position == start
    assert not window.document.dirty


def test_cancel_keeps_the_open_pathway_and_drops_the_new_one(make_window, big_file, qtbot,
                                                             sample_file):
    from designer.ui.editing.document import Document

    window = make_window(Document.open(sample_file))
    before = window.document
    window.files.open_path(big_file)
    bar = window.findChild(opening.OpeningBar, "opening-bar")
    job = window.files.opening
    qtbot.waitUntil(lambda: job.builder is not None and job.builder.slices > 2,
                    timeout=60_000)
    QTest.mouseClick(bar.cancel_button, Qt.MouseButton.LeftButton)
    assert job.cancelled and window.files.opening is None
    assert not bar.isVisible()
    assert "Stopped opening big.yaml" in window.statusBar().currentMessage()
    qtbot.wait(100)
    assert window.document is before and window.document.path == sample_file.resolve()
    assert job.document is None and job.scene is None


def test_the_open_pathway_stays_editable_and_its_changes_are_asked_about(
        make_window, big_file, qtbot, sample_file):
    from designer.ui.editing.document import Document

    window = make_window(Document.open(sample_file))
    before = window.document
    window.files.open_path(big_file)
    # an edit to the pathway on screen while the big one is read and drawn
    step = before.pathway.steps[0]
    assert window.push(MoveStepsCommand, {step.id: (step.position[0] + 40, step.position[1])})
    seen = []
    click_modal_button("Cancel", attempts=6000, seen=seen)
    qtbot.waitUntil(lambda: bool(seen), timeout=120_000)
    qtbot.wait(50)
    # the question came once it was ready; Cancel keeps the edited pathway
    assert seen == ["Unsaved changes"]
    assert window.document is before and before.dirty
    assert window.files.opening is None


def test_closing_the_window_while_a_big_file_opens_is_safe(make_window, big_file, qtbot):
    on_disk = big_file.read_bytes()
    window = make_window()
    window.files.open_path(big_file)
    job = window.files.opening
    qtbot.waitUntil(lambda: job.builder is not None, timeout=60_000)
    assert window.close()
    assert job.cancelled and job.document is None
    qtbot.wait(100)           # nothing left running calls back into the window
    assert big_file.read_bytes() == on_disk


def test_opening_another_file_while_one_opens_shows_the_last_chosen(make_window, big_file,
                                                                    qtbot, tmp_path):
    window = make_window()
    other = _other_big_file(tmp_path)
    window.files.open_path(big_file)
    first = window.files.opening
    qtbot.waitUntil(lambda: first.builder is not None, timeout=60_000)
    window.files.open_path(other)
    assert first.cancelled
    _wait_opened(qtbot, window, other)
    shown = picture(window.scene)      # before the first check's badges arrive
    assert window.document.pathway.title == "Another big pathway"
    assert shown == picture(synchronous(load_pathway(other)))


def test_a_malformed_big_file_gives_the_message_a_small_one_gives(make_window, big_file,
                                                                  qtbot):
    text = big_file.read_text(encoding="utf-8")
    big_file.write_text(text.replace("title:", "title: [unclosed", 1), encoding="utf-8")
    with pytest.raises(PathwayLoadError) as expected:
        load_pathway(big_file, use_cache=False)
    window = make_window()
    before = window.document
    texts = []

    def answer(left: int = 200) -> None:
        box = QApplication.activeModalWidget()
        if box is not None:
            texts.append((box.windowTitle(), box.text()))
            box.accept()
        elif left:
            QTimer.singleShot(20, lambda: answer(left - 1))

    QTimer.singleShot(0, answer)
    assert window.files.open_path(big_file) is True
    qtbot.waitUntil(lambda: bool(texts), timeout=60_000)
    assert texts == [("Cannot open pathway", str(expected.value))]
    assert window.document is before and window.files.opening is None
    assert not window.findChild(opening.OpeningBar, "opening-bar").isVisible()


def test_start_up_opens_a_big_file_in_the_live_frame(qtbot, settings, big_file):
    frame = MainWindow(opening=big_file.name, settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    app_module._finish_start(frame, str(big_file))
    assert not frame.ready and frame.start_opening is not None
    qtbot.waitUntil(lambda: frame.ready, timeout=120_000)
    assert frame.document.path == big_file.resolve()
    assert frame.scene.step_items().keys() == {s.id for s in frame.document.pathway.steps}
    assert frame.files.recent_files() == [str(big_file.resolve())]
    frame.document.close()


def test_closing_the_start_up_frame_while_it_opens_a_big_file(qtbot, settings, big_file):
    frame = MainWindow(opening=big_file.name, settings=settings)
    qtbot.addWidget(frame)
    frame.show()
    qtbot.waitExposed(frame)
    app_module._finish_start(frame, str(big_file))
    job = frame.start_opening
    assert frame.close()
    assert job.cancelled
    qtbot.wait(100)
    assert not frame.ready


def test_revert_of_a_big_file_reloads_it_in_the_background(make_window, big_file, qtbot):
    window = make_window()
    window.files.open_path(big_file)
    _wait_opened(qtbot, window, big_file)
    opened = window.document
    step = opened.pathway.steps[5]
    assert window.push(MoveStepsCommand, {step.id: (step.position[0] + 90, step.position[1])})
    seen = []
    click_modal_button("Revert", seen=seen)
    window.files.revert()
    assert seen == ["Revert to saved"]
    assert window.files.opening is not None and window.document is opened
    qtbot.waitUntil(lambda: window.document is not opened, timeout=120_000)
    assert not window.document.dirty          # no second question: Revert was the answer
    assert window.document.pathway.step(step.id).position == step.position


def test_the_new_pathway_waits_for_a_drag_on_the_old_canvas_to_end(make_window, big_file,
                                                                   qtbot, sample_file):
    from PySide6.QtCore import QPoint

    from designer.ui.editing.document import Document

    window = make_window(Document.open(sample_file))
    before = window.document
    scene, view = window.scene, window.view
    step = before.pathway.steps[0]
    start = view.mapFromScene(scene.item_for(step.id).scenePos())
    window.files.open_path(big_file)
    job = window.files.opening
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     start)
    QTest.mouseMove(view.viewport(), start + QPoint(30, 0))
    qtbot.waitUntil(lambda: job.finished, timeout=120_000)
    qtbot.wait(200)
    assert window.document is before            # not while the button is down
    QTest.mouseMove(view.viewport(), start + QPoint(60, 0))
    QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier, start + QPoint(60, 0))
    assert before.dirty                         # the drag landed in the old pathway
    seen = []
    click_modal_button("Discard", attempts=500, seen=seen)
    _wait_opened(qtbot, window, big_file)
    assert seen == ["Unsaved changes"]
