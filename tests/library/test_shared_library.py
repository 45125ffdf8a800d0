"""Shared library: labelled sources (two folders, a bare git repository), sync-conflict
copies, git refused in synced folders, and national-to-local updates (three-way merge)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from designer.graph.diff import diff_pathways
from designer.graph.io import load_pathway, save_pathway
from designer.library import BUILTIN, USER, Library, LibraryError, builtin_folder
from designer.library.shared import (
    FOLDER, GIT, Source, add_source, compare_conflict, find_conflict_copies, load_sources,
    remove_source, shared_library, sync_git, synced_service,
)
from designer.library.update import (
    OURS, THEIRS, find_base, is_newer, remember_base, three_way_merge, update_for,
)

DIABETES = builtin_folder() / "diabetes-preop-clinic.yaml"


def national(version: str = "1.0.0", **changes) -> "Pathway":  # noqa: F821
    pathway = load_pathway(DIABETES)
    data = pathway.model_dump(by_alias=True)
    data.update({"id": "national-diabetes", "version": version, "status": "approved",
                 **changes})
    return type(pathway).model_validate(data)


def git_repo_with(tmp_path: Path, files: dict[str, "Pathway"]) -> Path:  # noqa: F821
    """A bare repository (the 'remote') holding ``files``, made with dulwich."""
    from dulwich import porcelain

    work = tmp_path / "work"
    work.mkdir()
    porcelain.init(str(work))
    for name, pathway in files.items():
        save_pathway(pathway, work / name)
    porcelain.add(str(work), [str(work / n) for n in files])
    porcelain.commit(str(work), message=b"first", author=b"T <t@example.org>",
                     committer=b"T <t@example.org>")
    bare = tmp_path / "remote.git"
    porcelain.clone(str(work), str(bare), bare=True, errstream=open(os.devnull, "wb"))
    return bare


def commit_to(bare: Path, tmp_path: Path, files: dict[str, "Pathway"]) -> None:  # noqa: F821
    from dulwich import porcelain

    work = tmp_path / "pusher"
    if not work.exists():
        porcelain.clone(str(bare), str(work), errstream=open(os.devnull, "wb"))
    for name, pathway in files.items():
        save_pathway(pathway, work / name)
    porcelain.add(str(work), [str(work / n) for n in files])
    porcelain.commit(str(work), message=b"update", author=b"T <t@example.org>",
                     committer=b"T <t@example.org>")
    porcelain.push(str(work), str(bare), b"HEAD:refs/heads/master",
                   errstream=open(os.devnull, "wb"), outstream=open(os.devnull, "wb"))


# ------------------------------------------------------------------- sources


def test_two_shared_folders_are_labelled(tmp_path, monkeypatch):
    monkeypatch.setenv("PERIOP_LIBRARY_SOURCES", str(tmp_path / "sources.json"))
    north, south = tmp_path / "North ICS", tmp_path / "South ICS"
    north.mkdir()
    south.mkdir()
    save_pathway(national(), north / "national-diabetes.yaml")
    save_pathway(national("1.1.0", id="south-diabetes", status="in-review"),
                 south / "south-diabetes.yaml")
    add_source(FOLDER, str(north))
    add_source(FOLDER, str(south), label="South trusts")
    assert [s.label for s in load_sources()] == ["North ICS", "South trusts"]
    with pytest.raises(LibraryError, match="already a library source"):
        add_source(FOLDER, str(north))
    library, problems = shared_library()
    assert problems == []
    found = {e.id: (e.origin, e.status, e.version) for e in library.entries}
    assert found["national-diabetes"] == ("North ICS", "approved", "1.0.0")
    assert found["south-diabetes"] == ("South trusts", "in-review", "1.1.0")
    assert found["diabetes-preop-clinic"][0] == BUILTIN
    remove_source("North ICS")
    shutil.rmtree(south)
    library, problems = shared_library()
    assert "national-diabetes" not in {e.id for e in library.entries}
    assert problems == [f"The shared folder 'South trusts' ({south}) is not there."]


def test_git_remote_is_cloned_then_pulled(tmp_path):
    bare = git_repo_with(tmp_path, {"national-diabetes.yaml": national()})
    source = Source(GIT, str(bare), "National (git)")
    cache = tmp_path / "cache"
    library, problems = shared_library([source], cache_root=cache)
    assert problems == []
    entry = library.get("national-diabetes")
    assert entry.origin == "National (git)" and entry.version == "1.0.0"
    commit_to(bare, tmp_path, {"national-diabetes.yaml": national("1.1.0")})
    library, _ = shared_library([source], cache_root=cache)            # no sync: as it was
    assert library.get("national-diabetes").version == "1.0.0"
    library, problems = shared_library([source], sync=True, cache_root=cache)
    assert problems == [] and library.get("national-diabetes").version == "1.1.0"


def test_unreachable_remote_is_a_problem_not_a_crash(tmp_path):
    source = Source(GIT, str(tmp_path / "nowhere.git"), "Gone")
    library, problems = shared_library([source], cache_root=tmp_path / "cache")
    assert len(problems) == 1 and "could not be fetched" in problems[0]
    assert library.entries          # the rest of the library is still there


def test_never_a_git_working_copy_in_a_synced_folder(tmp_path, monkeypatch):
    bare = git_repo_with(tmp_path, {"a.yaml": national()})
    synced = tmp_path / "OneDrive - NHS" / "cache"
    with pytest.raises(LibraryError, match="Never put a git working copy in a synced"):
        sync_git(Source(GIT, str(bare), "x"), synced)
    assert not synced.exists()
    monkeypatch.setenv("OneDrive", str(tmp_path / "Work files"))
    assert synced_service(tmp_path / "Work files" / "lib") == "OneDrive"
    assert synced_service(tmp_path / "Dropbox" / "lib") == "Dropbox"
    assert synced_service(tmp_path / "plain" / "lib") is None
    # a shared folder that is a git working copy inside a synced folder is refused
    clone = tmp_path / "SharePoint - ICS" / "pathways"
    clone.mkdir(parents=True)
    (clone / ".git").mkdir()
    _library, problems = shared_library([Source(FOLDER, str(clone), "ICS")])
    assert problems and "corrupts .git" in problems[0]


# ----------------------------------------------------------- conflict copies


def test_onedrive_conflict_copies_are_found_and_compared(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    original = national()
    save_pathway(original, shared / "national-diabetes.yaml")
    changed = original.model_copy(deep=True)
    changed.update_transition(
        next(t.key for t in original.transitions if t.condition and "69" in t.condition),
        condition="HbA1c >= 64 mmol/mol")
    save_pathway(changed, shared / "national-diabetes-LAPTOP-7QK2.yaml")
    save_pathway(national(id="other"), shared / "other.yaml")
    library = Library([(shared, "ICS")])
    conflicts = find_conflict_copies(library)
    assert [(c.original.path.name, c.copy.path.name) for c in conflicts] == [
        ("national-diabetes.yaml", "national-diabetes-LAPTOP-7QK2.yaml")]
    assert "sync service" in conflicts[0].describe()
    diff = compare_conflict(conflicts[0])
    assert any(c.area == "threshold" and c.new == 64 for c in diff.changes)


# ----------------------------------------------------------- national to local


@pytest.fixture
def variant_story(tmp_path, monkeypatch):
    """A national v1.0.0, a local variant of it with local edits, a national v1.1.0."""
    monkeypatch.setenv("PERIOP_BASES", str(tmp_path / "bases"))
    v1 = national("1.0.0")
    library = Library([(tmp_path / "none", "x")])
    from designer.library import new_from_template

    local = new_from_template(v1, taken=())
    remember_base(v1)
    # local edits: an owner changed, a local step added
    first_task = next(s for s in local.steps if s.kind.value == "task")
    local.update_step(first_task.id, name="Local first clinic")
    # the new national version: a threshold tightened, a step removed, one added
    v2 = national("1.1.0")
    threshold = next(t.key for t in v2.transitions if t.condition and "69" in t.condition)
    v2.update_transition(threshold, condition="HbA1c >= 64 mmol/mol")
    v2.update_step(first_task.id, description="National wording of the first clinic.")
    return v1, local, v2, library, first_task.id, threshold


def test_update_is_found_when_the_source_is_newer(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    save_pathway(national("1.2.0"), shared / "national-diabetes.yaml")
    library = Library([(shared, "National")])
    from designer.library import new_from_template

    local = new_from_template(national("1.0.0"))
    update = update_for(local, library)
    assert update is not None and (update.from_version, update.to_version) == ("1.0.0", "1.2.0")
    assert "1.0.0 -> 1.2.0" in update.describe()
    current = new_from_template(national("1.2.0"))
    assert update_for(current, library) is None
    assert is_newer("1.10.0", "1.9.2") and not is_newer("1.0.0", "1.0.0")


def test_three_way_merge_takes_source_changes_and_keeps_local_ones(variant_story):
    v1, local, v2, library, first, threshold = variant_story
    base = find_base("national-diabetes", "1.0.0", library)
    assert base is not None and base.model_dump() == v1.model_dump()   # from the snapshot
    result = three_way_merge(base, local, v2)
    merged = result.merged
    assert result.conflicts == []
    assert merged.transition(threshold).condition == "HbA1c >= 64 mmol/mol"     # theirs
    assert merged.step(first).name == "Local first clinic"                       # ours
    assert merged.step(first).description == "National wording of the first clinic."
    assert merged.id == local.id and merged.status == local.status              # the variant's
    assert (merged.derived_from.id, merged.derived_from.version) == ("national-diabetes",
                                                                     "1.1.0")
    # the clinical diff between the two source versions names the threshold
    changes = diff_pathways(base, v2).changes
    assert any(c.area == "threshold" and (c.old, c.new) == (69, 64) for c in changes)


def test_where_both_changed_the_user_is_asked(variant_story):
    v1, local, v2, _library, first, threshold = variant_story
    local.update_transition(threshold, condition="HbA1c >= 75 mmol/mol")
    asked = []

    def choose(conflict):
        asked.append(conflict)
        return THEIRS

    result = three_way_merge(v1, local, v2, choose)
    assert [(c.area, c.key, c.field) for c in asked] == [("transition", threshold,
                                                          "condition")]
    assert "75" in asked[0].describe() and "64" in asked[0].describe()
    assert result.merged.transition(threshold).condition == "HbA1c >= 64 mmol/mol"
    kept = three_way_merge(v1, local, v2, lambda c: OURS).merged
    assert kept.transition(threshold).condition == "HbA1c >= 75 mmol/mol"


def test_removed_and_added_steps(variant_story):
    v1, local, v2, _library, first, _threshold = variant_story
    from designer.graph.model import Step

    gone = next(s for s in v2.steps if s.kind.value == "task" and s.id != first
                and not any(t for t in v2.transitions if s.id in (t.source, t.target)
                            and t.handoff is not None))
    for t in list(v2.transitions_of(gone.id)):
        v2.remove_transition(t.key)
    v2.remove_step(gone.id)
    v2.add_step(Step(id="national-new", name="New national check", setting=gone.setting))
    local.add_step(Step(id="local-extra", name="Local extra", setting=gone.setting))
    merged = three_way_merge(v1, local, v2).merged
    ids = [s.id for s in merged.steps]
    assert gone.id not in ids and "national-new" in ids and "local-extra" in ids
    # a step the variant changed but the source removed: asked, and kept by default
    local.update_step(gone.id, name="Changed here")
    result = three_way_merge(v1, local, v2)
    assert [(c.key, c.theirs) for c in result.conflicts if c.area == "step"] == [
        (gone.id, None)]
    assert gone.id in [s.id for s in result.merged.steps]


def test_base_from_git_history(tmp_path):
    bare = git_repo_with(tmp_path, {"national-diabetes.yaml": national("1.0.0")})
    commit_to(bare, tmp_path, {"national-diabetes.yaml": national("1.1.0")})
    source = Source(GIT, str(bare), "National (git)")
    checkout = sync_git(source, tmp_path / "cache")
    library = Library([(checkout, source.label)])
    assert library.get("national-diabetes").version == "1.1.0"
    base = find_base("national-diabetes", "1.0.0", library, [checkout],
                     folder=tmp_path / "no-snapshots")
    assert base is not None and base.version == "1.0.0"
    assert find_base("national-diabetes", "0.9.0", library, [checkout],
                     folder=tmp_path / "no-snapshots") is None


def test_without_a_base_every_difference_is_asked(variant_story):
    _v1, local, v2, _library, _first, threshold = variant_story
    result = three_way_merge(None, local, v2)
    keys = {c.key for c in result.conflicts}
    assert threshold in keys
    assert result.merged.transition(threshold).condition == local.transition(threshold).condition
