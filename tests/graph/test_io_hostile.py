"""The loader and the save under attack (issue 10): one error type, bounded messages, safe saves.

Every hostile file lives in tests/data/hostile (see its README for what each broke).
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

import designer.graph.io as io
from designer.graph.elements import shorten
from designer.graph.io import (
    PathwayLoadError, PathwaySaveError, dump_pathway, load_pathway, loads_pathway,
    remove_stale_temp_files, save_pathway, write_text_atomic,
)
from designer.graph.validate import validate

HOSTILE = Path(__file__).resolve().parent.parent / "data" / "hostile"
SEED = Path(__file__).resolve().parent.parent / "data" / "fuzz_seed_workshop.yaml"


def refusal(name: str) -> PathwayLoadError:
    with pytest.raises(PathwayLoadError) as info:
        load_pathway(HOSTILE / name)
    return info.value


# ------------------------------------------------------------- item 5: one error type


@pytest.mark.parametrize("name, line, path, words", [
    ("title_nested_600_deep.yaml", 3, "title", "valid string"),
    ("format_is_a_list.yaml", 1, "format", "must be text such as 'periop-pathway/1', not a list"),
    ("format_is_a_mapping.yaml", 1, "format", "not a mapping"),
    ("timestamp_tag.yaml", 3, None, "the value 'x' cannot be read as !!timestamp"),
    ("bool_tag.yaml", 4, None, "the value 'maybe' cannot be read as !!bool"),
])
def test_values_the_yaml_library_chokes_on_are_the_loaders_own_error(name, line, path, words):
    error = refusal(name)
    assert words in str(error)
    assert error.line == line and error.path == path
    assert str(error).startswith(f"Cannot open {HOSTILE / name}, line {line}")


def test_any_unforeseen_failure_inside_the_loader_is_still_a_load_error(monkeypatch):
    def broken(*_args, **_kwargs):
        raise TypeError("a bug we did not foresee")

    monkeypatch.setattr(io.Pathway, "model_validate", broken)
    with pytest.raises(PathwayLoadError, match="could not be read .TypeError: a bug"):
        loads_pathway(SEED.read_text(encoding="utf-8"), "seed.yaml")


# --------------------------------------------------------------- item 6: alias bombs


def test_an_alias_bomb_is_refused_quickly_and_with_a_short_message():
    start = time.perf_counter()
    error = refusal("alias_bomb.yaml")
    assert time.perf_counter() - start < 2
    # level k holds 9 aliases of level k-1: 1 + 9 * size(k-1) nodes, from 1 + 9 scalars
    sizes = [10]
    for _ in range(8):
        sizes.append(1 + 9 * sizes[-1])
    # the document: its mapping, 13 keys, 3 header values, levels a..i, and status: *i
    total = 1 + 13 + 3 + sum(sizes) + sizes[-1]
    assert f"aliases (*name) would expand to {total:,} values" in str(error)
    assert len(str(error)) < 400


def test_an_alias_inside_its_own_value_is_refused():
    error = refusal("recursive_alias.yaml")
    assert "refers to the value that contains it" in str(error) and error.line == 4


def test_modest_aliases_still_load():
    text = SEED.read_text(encoding="utf-8").replace(
        "specialties: [general-surgery]", "specialties: &s [general-surgery]\ntags: *s", 1
    ).replace("tags: [fuzz]\n", "", 1)
    assert loads_pathway(text).tags == ["general-surgery"]


def test_the_alias_budget_counts_expanded_values(monkeypatch):
    monkeypatch.setattr(io, "ALIAS_BUDGET", 5)
    text = "format: periop-pathway/1\nid: x\ntitle: t\ntags: &t [a, b, c]\nspecialties: *t\n"
    assert loads_pathway(text).specialties == ["a", "b", "c"]  # 4 values added: within 5
    text += "rule_packs: *t\n"
    with pytest.raises(PathwayLoadError, match="would expand"):
        loads_pathway(text)


# ------------------------------------------------------- item 7: values in messages


def test_a_long_bad_value_is_shortened_in_the_message():
    error = refusal("long_invalid_id.yaml")
    assert "is not a valid id" in str(error)
    assert "\u2026" in str(error) and len(str(error)) < 400


@pytest.mark.parametrize("field, value", [
    ("status", "'" + "x" * 50_000 + "'"),          # an enum: no "did you mean" over 50 kB
    ("status", "[" + ", ".join(["[1, 2, 3]"] * 2000) + "]"),  # an enum given a big list
    ("zzz" * 20_000, "1"),                           # an unknown field with a huge name
    ("format", "'periop-pathway/" + "9" * 50_000 + "'"),
    ("steps", "[{id: a, name: A, duration_days: '" + "9x" * 30_000 + "'}]"),
])
def test_no_message_echoes_a_whole_value(field, value):
    text = f"format: periop-pathway/1\nid: x\ntitle: t\n{field}: {value}\n"
    if field == "format":
        text = text.replace("format: periop-pathway/1\n", "", 1)
    start = time.perf_counter()
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway(text, "long.yaml")
    assert len(str(info.value)) < 1200
    assert time.perf_counter() - start < 2


def test_shorten_is_bounded_for_any_value():
    assert shorten("abc") == "abc"
    assert shorten("x" * 100) == "x" * 79 + "\u2026"
    assert len(shorten([[list(range(1000))] * 1000] * 1000)) <= 80
    assert shorten("two\nlines") == "two lines"


# ------------------------------------------------- item 8: load -> save -> load


@pytest.mark.parametrize("name", ["empty_handoff.yaml", "empty_workshop.yaml"])
def test_empty_mappings_survive_a_save(name, tmp_path):
    first = load_pathway(HOSTILE / name)
    path = tmp_path / name
    save_pathway(first, path)
    second = load_pathway(path)
    assert second.content_equal(first)
    assert validate(second).to_json() == validate(first).to_json()


def test_an_empty_handoff_keeps_its_findings_and_waiver(tmp_path):
    first = load_pathway(HOSTILE / "empty_handoff.yaml")
    assert first.transitions[0].handoff is not None
    again = loads_pathway(dump_pathway(first))
    rules = {f.rule for f in validate(again).findings}
    assert "handoff-missing" not in rules and "handoff-without-receiver" in rules
    assert [f.rule for f in validate(again).waived] == ["handoff-without-channel"]


# ------------------------------------------------------- item 10: stale temp files


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_the_next_save_removes_temp_files_an_interrupted_save_left(tmp_path):
    target = tmp_path / "p.yaml"
    ours = [tmp_path / ".p.yaml.abcd1234.tmp", tmp_path / ".p.yaml.zz_9yy00.tmp"]
    young = tmp_path / ".p.yaml.young123.tmp"        # maybe another window saving now
    others = [tmp_path / ".p.yaml.notours.tmp", tmp_path / ".q.yaml.abcd1234.tmp",
              tmp_path / "p.yaml.abcd1234.tmp", tmp_path / ".p.yaml.ABCD1234.tmp"]
    for path in [*ours, young, *others]:
        path.write_text("half a save")
        _age(path, 3600 if path != young else 1)
    save_pathway(loads_pathway(SEED.read_text(encoding="utf-8")), target)
    left = {p.name for p in tmp_path.iterdir()}
    assert left == {"p.yaml", young.name, *(p.name for p in others)}


def test_a_killed_save_leaves_a_temp_file_that_the_next_save_removes(tmp_path):
    import subprocess
    import sys

    target = tmp_path / "big.yaml"
    target.write_text("old text\n")
    child = ("import sys, pathlib\nfrom designer.graph.io import write_text_atomic\n"
             "import os\nos.fsync = lambda fd: os.kill(os.getpid(), 9)\n"
             f"write_text_atomic(pathlib.Path({str(target)!r}), 'new text\\n')\n")
    subprocess.run([sys.executable, "-c", child], timeout=60)
    temps = list(tmp_path.glob(".big.yaml.*.tmp"))
    assert len(temps) == 1 and target.read_text() == "old text\n"
    assert remove_stale_temp_files(target, older_than=3600) == 0   # too young
    _age(temps[0], 120)
    write_text_atomic(target, "newer text\n")
    assert [p.name for p in tmp_path.iterdir()] == ["big.yaml"]


# ------------------------------------------------------------------ item 11: saving


def test_the_api_refuses_to_overwrite_a_read_only_file(tmp_path):
    path = tmp_path / "signed-off.yaml"
    path.write_text("signed off\n")
    path.chmod(0o444)
    with pytest.raises(PathwaySaveError, match="read-only"):
        save_pathway(loads_pathway(SEED.read_text(encoding="utf-8")), path)
    assert path.read_text() == "signed off\n"


def test_saving_through_a_symlink_writes_the_file_it_names(tmp_path):
    real = tmp_path / "shared" / "real.yaml"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    save_pathway(loads_pathway(SEED.read_text(encoding="utf-8")), link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert load_pathway(real).id == "fuzz-seed"
    assert sorted(p.name for p in real.parent.iterdir()) == ["real.yaml"]


def test_a_folder_that_forbids_new_files_falls_back_to_an_in_place_write(tmp_path, monkeypatch):
    # (root ignores folder permissions, so the folder's refusal is simulated)
    path = tmp_path / "p.yaml"
    path.write_text("old text\n")
    path.chmod(0o640)
    inode = path.stat().st_ino

    def no_new_files(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(io.tempfile, "mkstemp", _only_in(tmp_path, no_new_files))
    write_text_atomic(path, "new text\n")
    assert path.read_text() == "new text\n"
    assert path.stat().st_ino == inode and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert list(io.backup_folder().glob("p.yaml.*.bak")) == []  # the backup went once safe


def test_an_in_place_write_that_fails_puts_the_old_text_back(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    path.write_text("old text\n")

    def no_new_files(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(io.tempfile, "mkstemp", _only_in(tmp_path, no_new_files))
    real_fsync = os.fsync
    calls = []

    def full_disk(fd):
        calls.append(fd)
        if len(calls) == 2:  # the backup is synced first, then the file itself
            raise OSError(28, "No space left on device")
        return real_fsync(fd)

    monkeypatch.setattr(io.os, "fsync", full_disk)
    with pytest.raises(PathwaySaveError, match="No space left.*put back.*copy is kept at"):
        write_text_atomic(path, "new text that does not fit\n")
    assert path.read_text() == "old text\n"
    assert [b.read_text() for b in io.backup_folder().glob("p.yaml.*.bak")] == ["old text\n"]


def test_a_new_file_in_a_folder_that_forbids_new_files_is_a_clear_error(tmp_path, monkeypatch):
    def no_new_files(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(io.tempfile, "mkstemp", _only_in(tmp_path, no_new_files))
    with pytest.raises(PathwaySaveError, match="does not allow new files"):
        write_text_atomic(tmp_path / "new.yaml", "text\n")


def _only_in(folder: Path, replacement):
    """``tempfile.mkstemp`` that fails (via ``replacement``) only inside ``folder``."""
    real = io.tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        if Path(kwargs.get("dir", "")) == folder:
            return replacement(*args, **kwargs)
        return real(*args, **kwargs)

    return mkstemp


def test_size_messages_use_one_unit(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as fh:
        fh.truncate(io.MAX_BYTES + 1)
    with pytest.raises(PathwayLoadError) as info:
        load_pathway(path)
    message = str(info.value)
    assert "50,000,001 bytes" in message and "limited to 50 MB" in message
    assert io.MAX_BYTES == 50_000_000 and "MiB" not in message


# ------------------------------------------- item 11: a hand-written file's layout


def _changed_lines(a: str, b: str) -> int:
    import difflib

    return sum(1 for line in difflib.unified_diff(a.splitlines(), b.splitlines(), n=0)
               if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def test_saving_an_unchanged_hand_written_file_changes_no_byte(tmp_path):
    original = (HOSTILE / "hand_written_layout.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(original, encoding="utf-8")
    save_pathway(load_pathway(path), path)
    assert path.read_text(encoding="utf-8") == original
    assert _changed_lines(original, dump_pathway(load_pathway(path))) > 10  # canonical would


def test_an_edit_rewrites_only_what_changed_and_keeps_the_files_style(tmp_path):
    from designer.graph.model import Note, Setting

    original = (HOSTILE / "hand_written_layout.yaml").read_text(encoding="utf-8")
    path = tmp_path / "p.yaml"
    path.write_text(original, encoding="utf-8")
    pathway = load_pathway(path)
    pathway.update_step("clinic", name="Surgical clinic (edited)")
    pathway.add_setting(Setting(id="home", name="Patient at home", kind="home"))
    pathway.add_note(Note(id="n1", text="Check the letter", target="referral"))
    save_pathway(pathway, path)
    text = path.read_text(encoding="utf-8")
    assert load_pathway(path).content_equal(pathway)
    assert "# A pathway laid out by hand" in text and "summary: >-" in text
    assert "    description: >-\n      The GP refers" in text        # unchanged step kept
    assert "  - {id: home, name: Patient at home, kind: home}" in text  # new lane, same style
    assert "notes:\n  - id: n1\n" in text                              # new list, indented
    assert "roles:" not in text                                        # nothing added unasked
    assert _changed_lines(original, text) <= 14


def test_a_file_that_no_longer_loads_is_written_canonically(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("not: [a pathway\n", encoding="utf-8")
    pathway = load_pathway(HOSTILE / "hand_written_layout.yaml")
    save_pathway(pathway, path)
    assert path.read_text(encoding="utf-8") == dump_pathway(pathway)
