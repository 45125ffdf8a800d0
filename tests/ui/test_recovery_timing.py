"""Defect 4 of issue 15: the recovery copy follows each edit within seconds.

A copy is written about two seconds after the last edit (debounced), at most ten
seconds into a run of edits, from a snapshot by a worker thread.
"""

from __future__ import annotations

import time

from designer.graph.io import loads_pathway
from designer.ui.commands import UpdateStepCommand
from designer.ui.editing import recovery
from designer.ui.editing.document import Document

from canvas_support import sample_pathway


def _recovery_text(doc):
    path = recovery.recovery_dir() / f"{doc.recovery_id}.pathway.json"
    return path.read_bytes() if path.is_file() else None


def _rename(doc, text):
    doc.undo_stack.push(UpdateStepCommand(doc.pathway, "surgery", name=text))


def test_a_recovery_copy_is_written_about_two_seconds_after_the_last_edit(qtbot):
    doc = Document(sample_pathway())
    assert doc.RECOVERY_DELAY_MS == 2000
    started = time.monotonic()
    _rename(doc, "Surgery (laparoscopic)")
    qtbot.wait(1200)
    assert _recovery_text(doc) is None            # not on every keystroke
    with qtbot.waitSignal(doc.autosaved, timeout=3000):
        pass
    elapsed = time.monotonic() - started
    assert 1.8 <= elapsed <= 3.0
    restored = loads_pathway(_recovery_text(doc), name="recovery")
    assert restored.step("surgery").name == "Surgery (laparoscopic)"
    doc.close()
    assert _recovery_text(doc) is None


def test_a_long_run_of_edits_is_still_copied_within_the_longest_wait(qtbot, monkeypatch):
    monkeypatch.setattr(Document, "RECOVERY_DELAY_MS", 200)
    monkeypatch.setattr(Document, "RECOVERY_MAX_WAIT_MS", 800)
    doc = Document(sample_pathway())
    written = []
    doc.autosaved.connect(lambda _p: written.append(time.monotonic()))
    started = time.monotonic()
    for i in range(20):                           # an edit every 100 ms for 2 s
        _rename(doc, f"Surgery {i}")
        qtbot.wait(100)
    assert written, "no copy while edits kept coming"
    assert written[0] - started <= 1.3
    doc.close()


def test_saving_while_a_copy_is_written_leaves_no_recovery_file(qtbot, tmp_path):
    doc = Document(sample_pathway())
    _rename(doc, "Surgery (open)")
    doc._recovery_due()                           # a copy on its way...
    doc.save(tmp_path / "saved.yaml")             # ...and the work is saved meanwhile
    assert doc.flush_recovery()
    qtbot.wait(50)
    assert _recovery_text(doc) is None
    doc.close()
