"""Recovery files are JSON (issue 16, item 5), and earlier YAML ones still come back.

The truth is the pathway as edited (and the YAML load of the same work), never the
JSON reader's own output.
"""

from __future__ import annotations

import json

from designer.graph.io import dump_pathway, loads_pathway
from designer.ui.commands import UpdateStepCommand
from designer.ui.editing import recovery
from designer.ui.editing.document import Document

from canvas_support import sample_pathway

DEAD_PID = 2 ** 22 + 12345  # no such process


def _orphan_meta(recovery_id: str, title: str = "Hip pathway") -> None:
    (recovery.recovery_dir() / f"{recovery_id}.json").write_text(
        json.dumps({"pid": DEAD_PID, "title": title, "saved_at": 1.0}), encoding="utf-8")


def test_the_recovery_copy_is_json_and_restores_the_same_model(qtbot):
    doc = Document(sample_pathway())
    doc.undo_stack.push(UpdateStepCommand(doc.pathway, "surgery", name="Robotic surgery"))
    path = doc.autosave_now()
    assert path is not None and path.name == f"{doc.recovery_id}.pathway.json"
    assert not (path.parent / f"{doc.recovery_id}.yaml").exists()
    json.loads(path.read_text(encoding="utf-8"))             # plain JSON
    edited = doc.pathway.snapshot()
    recovery.LIVE_IDS.discard(doc.recovery_id)                # as if its process had died
    (entry,) = [e for e in recovery.find_orphans() if e.recovery_id == doc.recovery_id]
    assert entry.is_json and entry.yaml_path == path
    restored = Document.from_recovery(entry)
    assert restored.pathway.content_equal(edited)
    assert dump_pathway(restored.pathway) == dump_pathway(edited)
    assert restored.dirty
    # the JSON reads as YAML too: a person rescuing it by hand loses nothing
    assert loads_pathway(path.read_bytes() if path.exists() else
                         restored.autosave_now().read_bytes()).content_equal(edited)
    doc.undo_stack.setClean()
    doc.close()
    restored.undo_stack.setClean()
    restored.close()


def test_a_yaml_recovery_file_from_an_earlier_version_is_still_restored(qtbot):
    pathway = sample_pathway()
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "older.yaml").write_text(dump_pathway(pathway), encoding="utf-8")
    _orphan_meta("older")
    (entry,) = recovery.find_orphans()
    assert not entry.is_json and entry.yaml_path.name == "older.yaml"
    restored = Document.from_recovery(entry)
    assert restored.pathway.content_equal(loads_pathway(dump_pathway(pathway)))
    assert not (folder / "older.yaml").exists()          # moved on to a JSON copy
    assert (folder / f"{restored.recovery_id}.pathway.json").exists()
    restored.undo_stack.setClean()
    restored.close()


def test_a_damaged_json_recovery_file_is_refused_kept_aside_and_not_offered_again(qtbot):
    import pytest
    from designer.graph.io import PathwayLoadError

    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    whole = sample_pathway().model_dump_json(by_alias=True)
    (folder / "cut.pathway.json").write_text(whole[: len(whole) // 2], encoding="utf-8")
    _orphan_meta("cut")
    (entry,) = recovery.find_orphans()
    with pytest.raises(PathwayLoadError):
        Document.from_recovery(entry)
    kept = entry.set_aside()
    assert kept is not None and kept.name == "cut.damaged.json"
    assert kept.read_text(encoding="utf-8") == whole[: len(whole) // 2]
    assert recovery.find_orphans() == []


def test_writing_a_json_copy_removes_the_yaml_one_of_the_same_document(qtbot):
    folder = recovery.recovery_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "same.yaml").write_text(dump_pathway(sample_pathway()), encoding="utf-8")
    recovery.write_recovery("same", sample_pathway().model_dump_json(by_alias=True),
                            None, "Same", as_json=True)
    assert sorted(p.name for p in folder.iterdir()) == ["same.json", "same.pathway.json"]
    recovery.remove_recovery("same")
    assert list(folder.iterdir()) == []
