"""The library index: discovery, header-only reading, search, templates, the user's folder."""

from __future__ import annotations

import os
import shutil

import pytest

from designer.graph.io import load_pathway
from designer.graph.model import Status
from designer.library import (
    BUILTIN,
    USER,
    Library,
    LibraryError,
    builtin_folder,
    load_library,
    new_from_template,
    save_to_user_library,
    user_folder,
)

ERAS = builtin_folder() / "eras-plus-colorectal.yaml"


def test_user_folder_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PERIOP_USER_LIBRARY", str(tmp_path / "mine"))
    assert user_folder() == tmp_path / "mine"
    monkeypatch.delenv("PERIOP_USER_LIBRARY")
    # the default lives under the (test-isolated) platform data folder
    assert user_folder().name == "library"
    assert str(user_folder()).startswith(os.environ["HOME"])


def test_builtin_exemplars_are_indexed_from_headers():
    library = load_library()
    assert not library.problems
    eras = library.get("eras-plus-colorectal")
    assert eras is not None and eras.origin == BUILTIN
    assert eras.title == "ERAS+ major colorectal cancer surgery"
    assert eras.organisation == "Greater Manchester"
    assert "prehabilitation" in eras.tags and "colorectal" in eras.specialties
    assert any(e.weak and e.note for e in eras.evidence)
    assert eras.path == ERAS


def test_index_reads_only_the_header(tmp_path):
    # a step with an unknown field: the whole file is invalid but its header is fine
    text = ERAS.read_text(encoding="utf-8").replace(
        "    kind: entry\n", "    kind: entry\n    colour: red\n", 1)
    (tmp_path / "broken-body.yaml").write_text(text, encoding="utf-8")
    library = Library([(tmp_path, USER)])
    assert [e.id for e in library.entries] == ["eras-plus-colorectal"]
    with pytest.raises(LibraryError, match="colour"):
        library.load("eras-plus-colorectal")


def test_search_by_words_specialty_and_tag():
    library = load_library()
    found = {e.id for e in library.search("colorectal")}
    assert "eras-plus-colorectal" in found and "day-case-lap-chole" not in found
    # every word must match, in any case and order
    assert {e.id for e in library.search("MANCHESTER surgery colorectal")} >= {
        "eras-plus-colorectal"}
    assert library.search("colorectal gallbladder") == []
    # population text is searched too
    assert "anaemia-optimisation" in {e.id for e in library.search("blood loss")}
    assert {e.id for e in library.search(specialty="Diabetes")} == {"diabetes-preop-clinic"}
    assert {e.id for e in library.search(tag="day case")} == {"day-case-lap-chole"}
    assert {e.id for e in library.search("hba1c", tag="diabetes")} == {
        "diabetes-preop-clinic", "day-case-lap-chole"}
    assert "diabetes" in library.specialties() and "BADS" in library.tags()
    assert len(library.search()) == len(library.entries)
    # title matches rank first
    assert library.search("anaemia")[0].id == "anaemia-optimisation"


def test_new_from_template_is_an_untitled_draft_that_remembers_its_source():
    library = load_library()
    template = load_pathway(ERAS)
    copy = library.new_from_template("eras-plus-colorectal")
    assert copy.id != template.id and copy.id not in library.ids()
    assert copy.status is Status.draft and copy.version == "0.1.0"
    assert copy.derived_from is not None
    assert (copy.derived_from.id, copy.derived_from.version) == ("eras-plus-colorectal", "1.0.0")
    assert [s.model_dump() for s in copy.steps] == [s.model_dump() for s in template.steps]
    assert copy.transitions == template.transitions
    # the template itself is untouched
    assert load_pathway(ERAS).content_equal(template)


def test_new_from_template_numbers_the_id_when_taken():
    template = load_pathway(ERAS)
    first = new_from_template(template)
    second = new_from_template(template, taken={first.id})
    assert first.id == "eras-plus-colorectal-local"
    assert second.id == "eras-plus-colorectal-local-2"


def test_unknown_id_gives_a_did_you_mean():
    library = load_library()
    with pytest.raises(LibraryError, match="Did you mean eras-plus-colorectal"):
        library.new_from_template("eras-plus-colorectl")


def test_save_to_user_library_then_find_it():
    library = load_library()
    copy = library.new_from_template("diabetes-preop-clinic")
    copy.update_header(title="Dorset diabetes preoperative clinic", organisation="Dorset")
    target = save_to_user_library(copy)
    assert target.parent == user_folder() and target.name == f"{copy.id}.yaml"
    assert load_pathway(target).content_equal(copy)

    library.refresh()
    entry = library.get(copy.id)
    assert entry.origin == USER and entry.derived_from == {
        "id": "diabetes-preop-clinic", "version": "1.0.0"}
    assert library.search("dorset")[0].id == copy.id
    # built-ins list first, the user's own after
    assert library.entries[-1].origin == USER

    with pytest.raises(LibraryError, match="already has"):
        save_to_user_library(copy)
    copy.update_header(summary="Changed locally.")
    save_to_user_library(copy, overwrite=True)
    assert load_pathway(target).summary == "Changed locally."


def test_saving_an_exemplar_under_its_own_id_is_refused():
    with pytest.raises(LibraryError, match="built-in exemplar"):
        save_to_user_library(load_pathway(ERAS))
    assert not user_folder().exists() or not any(user_folder().iterdir())


def test_unreadable_files_are_listed_as_problems(tmp_path):
    shutil.copy(ERAS, tmp_path / "good.yaml")
    (tmp_path / "bad-yaml.yaml").write_text("format: periop-pathway/1\nid: [unclosed\n")
    (tmp_path / "not-a-pathway.yml").write_text("shopping: [eggs, milk]\n")
    (tmp_path / "no-title.yaml").write_text("format: periop-pathway/1\nid: x\n")
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00\x01garbage")
    (tmp_path / "notes.txt").write_text("not a pathway, not listed")
    library = Library([(tmp_path, USER), (tmp_path / "missing", BUILTIN)])
    assert [e.id for e in library.entries] == ["eras-plus-colorectal"]
    problems = {p.path.name: p.message for p in library.problems}
    assert set(problems) == {"bad-yaml.yaml", "not-a-pathway.yml", "no-title.yaml",
                             "binary.yaml"}
    assert "no title" in problems["no-title.yaml"]
    assert all(name in message for name, message in problems.items())


def test_refresh_sees_new_changed_and_removed_files(tmp_path):
    target = tmp_path / "p.yaml"
    shutil.copy(ERAS, target)
    library = Library([(tmp_path, USER)])
    assert library.get("eras-plus-colorectal").title.startswith("ERAS+")
    text = target.read_text(encoding="utf-8").replace(
        "title: ERAS+ major", "title: Local ERAS+ major", 1)
    target.write_text(text, encoding="utf-8")
    os.utime(target, ns=(1, 1))  # a different mtime, whatever the clock resolution
    library.refresh()
    assert library.get("eras-plus-colorectal").title.startswith("Local ERAS+")
    target.unlink()
    library.refresh()
    assert library.entries == []


def test_save_reports_an_unwritable_folder(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    copy = new_from_template(load_pathway(ERAS))
    with pytest.raises(LibraryError, match="Could not"):
        save_to_user_library(copy, folder=blocker / "sub")
