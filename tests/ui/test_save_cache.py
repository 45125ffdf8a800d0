"""Saving from the editor (the background writer) fills the parsed-pathway cache.

The truth is the YAML of the file written, parsed (``use_cache=False``), and the
model that was saved.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from designer.graph import cache, io
from designer.graph.io import load_pathway
from designer.graph.model import Pathway
from designer.library.index import builtin_folder
from designer.ui.editing.document import Document


def _big_pathway() -> Pathway:
    data = load_pathway(sorted(builtin_folder().glob("*.yaml"))[0],
                        use_cache=False).model_dump(by_alias=True)
    return Pathway.model_validate({**data, "summary": " ".join("x" * (cache.MIN_BYTES // 2))})


def test_a_file_saved_in_the_editor_reopens_without_its_yaml(qtbot, tmp_path, monkeypatch):
    doc = Document(_big_pathway())
    path = doc.save(tmp_path / "big.yaml")
    written = Path(path).read_bytes()
    assert len(written) >= cache.MIN_BYTES
    truth = load_pathway(path, use_cache=False)
    monkeypatch.setattr(io, "loads_pathway", lambda *a, **k: pytest.fail("YAML parsed"))
    again = load_pathway(path)
    assert again == truth and again.content_equal(doc.pathway)   # (doc.pathway has listeners)


def test_a_cache_that_cannot_be_written_does_not_fail_the_editors_save(qtbot, tmp_path,
                                                                     monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PERIOP_CACHE_DIR", str(blocker / "cache"))
    doc = Document(_big_pathway())
    path = doc.save(tmp_path / "big.yaml")
    assert not doc.dirty
    assert load_pathway(path, use_cache=False).content_equal(doc.pathway)
