"""The parsed-pathway cache (issue 16, item 5): a re-read of the same bytes skips the YAML.

The truth each test checks against is the YAML load itself (``use_cache=False``),
never the cache's own output.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer import paths
from designer.graph import cache, io
from designer.graph.io import dump_pathway, load_pathway, loads_pathway, save_pathway
from designer.graph.model import Pathway
from designer.library.index import BUILTIN, Library, builtin_folder

EXEMPLARS = sorted(builtin_folder().glob("*.yaml"))


@pytest.fixture
def every_size(monkeypatch):
    """Cache files of any size (the exemplars are below the usual threshold)."""
    monkeypatch.setattr(cache, "MIN_BYTES", 0)


def _entries() -> list[Path]:
    folder = cache.cache_folder()
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


def test_the_cache_lives_in_the_test_folder_not_the_users():
    assert Path(os.environ["PERIOP_CACHE_DIR"]) == paths.cache_dir()
    assert cache.cache_folder().parent == paths.cache_dir()


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_exemplar_read_again_from_the_cache_equals_its_yaml_load(path, every_size,
                                                                      monkeypatch):
    truth = load_pathway(path, use_cache=False)
    assert _entries() == []                        # use_cache=False keeps nothing
    first = load_pathway(path)                     # parsed, and kept
    assert first == truth and len(_entries()) == 1
    monkeypatch.setattr(io, "loads_pathway", lambda *a, **k: pytest.fail("YAML parsed"))
    again = load_pathway(path)
    assert again == truth
    assert dump_pathway(again) == dump_pathway(truth)   # the same file when saved


_names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
                 ).filter(lambda s: s.strip())
_days = st.floats(min_value=0, max_value=3650, allow_nan=False, allow_infinity=False)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_names, min_size=1, max_size=8),
       durations=st.lists(st.one_of(st.none(), _days), min_size=8, max_size=8),
       xs=st.lists(st.floats(-1e6, 1e6), min_size=8, max_size=8),
       notes=st.lists(st.one_of(st.none(), st.text(max_size=40)), min_size=8, max_size=8),
       wait=st.one_of(st.none(), _days))
def test_any_valid_pathway_from_the_cache_equals_its_yaml_load(names, durations, xs, notes,
                                                               wait, every_size):
    steps = [{"id": f"s{i}", "name": n, "duration_days": durations[i],
              "position": [xs[i], 10.0], **({"description": notes[i]} if notes[i] else {})}
             for i, n in enumerate(names)]
    transitions = [{"from": "s0", "to": f"s{i}"} for i in range(1, len(steps))]
    if wait is not None and transitions:
        transitions[0]["wait"] = {"dist": "fixed", "value": wait}
    built = Pathway.model_validate({"id": "p", "title": "T", "steps": steps,
                                    "transitions": transitions})
    data = dump_pathway(built).encode("utf-8")
    truth = loads_pathway(data)
    with tempfile.TemporaryDirectory() as folder:       # a fresh cache per example
        assert cache.cached_pathway(data, folder=Path(folder)) is None
        assert cache.store_pathway(data, truth, folder=Path(folder)) is not None
        again = cache.cached_pathway(data, folder=Path(folder))
    assert again == truth
    assert dump_pathway(again) == dump_pathway(truth)


def test_a_large_file_reopens_from_the_cache_and_a_small_one_is_not_kept(tmp_path, monkeypatch):
    small = tmp_path / "small.yaml"
    small.write_bytes(EXEMPLARS[0].read_bytes())
    assert small.stat().st_size < cache.MIN_BYTES
    load_pathway(small)
    assert _entries() == []                        # milliseconds from YAML: not worth a write

    big = tmp_path / "big.yaml"
    pathway = load_pathway(EXEMPLARS[0], use_cache=False)
    pathway.summary = "x " * (cache.MIN_BYTES // 2)   # a file above the threshold
    save_pathway(pathway, big)
    truth = load_pathway(big, use_cache=False)
    assert load_pathway(big) == truth and len(_entries()) == 1
    monkeypatch.setattr(io, "loads_pathway", lambda *a, **k: pytest.fail("YAML parsed"))
    assert load_pathway(big) == truth


def _big_pathway() -> Pathway:
    """An exemplar grown past the size worth caching (validated, as an edit would be)."""
    data = load_pathway(EXEMPLARS[0], use_cache=False).model_dump(by_alias=True)
    return Pathway.model_validate({**data, "summary": " ".join("x" * (cache.MIN_BYTES // 2))})


def _no_yaml(monkeypatch) -> None:
    monkeypatch.setattr(io, "loads_pathway", lambda *a, **k: pytest.fail("YAML parsed"))


def test_a_file_just_saved_reopens_from_the_cache(tmp_path, monkeypatch):
    pathway = _big_pathway()
    path = tmp_path / "big.yaml"
    save_pathway(pathway, path)
    written = path.read_bytes()
    assert len(written) >= cache.MIN_BYTES
    (entry,) = _entries()                          # kept by the save, for the bytes written
    assert entry.name == cache.cache_key(written) + cache.SUFFIX
    truth = loads_pathway(written)                 # the YAML of the file, parsed
    _no_yaml(monkeypatch)
    again = load_pathway(path)
    assert again == pathway and again == truth
    assert dump_pathway(again) == written.decode("utf-8")


def test_a_save_that_keeps_the_files_own_layout_caches_those_bytes(tmp_path, monkeypatch):
    # saving over a hand-written file keeps its layout (not the canonical text):
    # the entry is for the bytes that were written
    path = tmp_path / "hand.yaml"
    canonical = dump_pathway(_big_pathway())
    path.write_text("# written by hand\n" + canonical.replace("\nsteps:\n", "\n\nsteps:\n"),
                    encoding="utf-8")
    pathway = load_pathway(path, use_cache=False)
    pathway.title = "Renamed by the save test"
    save_pathway(pathway, path)
    written = path.read_bytes()
    assert written.startswith(b"# written by hand\n")    # the layout kept
    truth = loads_pathway(written)
    assert cache.cached_pathway(written) == truth
    _no_yaml(monkeypatch)
    assert load_pathway(path) == truth == pathway


def test_a_small_file_saved_is_not_cached(tmp_path):
    small = load_pathway(EXEMPLARS[0], use_cache=False)
    save_pathway(small, tmp_path / "small.yaml")
    assert (tmp_path / "small.yaml").stat().st_size < cache.MIN_BYTES
    assert _entries() == []


def _cache_under_a_file(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PERIOP_CACHE_DIR", str(blocker / "cache"))


def _read_only_cache(tmp_path, monkeypatch):
    # (the tests run as any user, root included, so a chmod cannot stand for this)
    real = cache.tempfile.mkstemp

    def refuse_in_the_cache(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == cache.cache_folder():
            raise PermissionError(13, "Permission denied")
        return real(*args, dir=dir, **kwargs)
    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse_in_the_cache)


def _cache_write_breaks(tmp_path, monkeypatch):
    def broken(_pathway):
        raise RuntimeError("something nobody foresaw")
    monkeypatch.setattr(cache, "pathway_json", broken)


@pytest.mark.parametrize("spoil", [_cache_under_a_file, _read_only_cache, _cache_write_breaks])
def test_a_cache_that_cannot_be_written_never_spoils_a_save(spoil, tmp_path, monkeypatch):
    pathway = _big_pathway()
    spoil(tmp_path, monkeypatch)
    path = tmp_path / "big.yaml"
    save_pathway(pathway, path)                    # no error
    assert load_pathway(path, use_cache=False) == pathway
    assert _entries() == []


def test_a_changed_file_is_parsed_again(tmp_path, every_size):
    path = tmp_path / "p.yaml"
    path.write_bytes(EXEMPLARS[0].read_bytes())
    load_pathway(path)
    text = path.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Changed ", 1)
    path.write_text(text, encoding="utf-8")
    assert load_pathway(path).title.startswith("Changed ")
    assert len(_entries()) == 2


def test_a_new_designer_version_or_changed_model_code_gives_new_keys(monkeypatch, tmp_path):
    data = b"format: periop-pathway/1\n" * 10
    sources = []
    for source in sorted(Path(cache.__file__).parent.glob("*.py")):
        copy = tmp_path / source.name
        copy.write_bytes(source.read_bytes())
        sources.append(copy)
    monkeypatch.setattr(cache, "_model_sources", lambda: sources)
    monkeypatch.setattr(cache, "_FINGERPRINT", None)
    before = cache.cache_key(data)
    assert cache.cache_key(data) == before          # stable within a version

    monkeypatch.setattr(cache, "_FINGERPRINT", None)
    monkeypatch.setattr(cache, "_version", lambda: "99.0")
    new_version = cache.cache_key(data)
    assert new_version != before

    model = tmp_path / "model.py"
    model.write_bytes(model.read_bytes() + b"\n# a changed model\n")
    monkeypatch.setattr(cache, "_FINGERPRINT", None)
    assert cache.cache_key(data) not in (before, new_version)


def _damage_truncate(raw: bytes) -> bytes:
    return raw[: len(raw) // 2]


def _damage_flip(raw: bytes) -> bytes:
    at = raw.index(b'"title":"') + len(b'"title":"')   # still valid JSON, wrong content
    return raw[:at] + bytes([raw[at] ^ 0x01]) + raw[at + 1:]


def _damage_garbage(raw: bytes) -> bytes:
    return b"\x00\xff garbage"


def _damage_valid_sum_bad_model(raw: bytes) -> bytes:
    import hashlib

    body = b'{"format": "periop-pathway/1", "id": "bad id!"}'
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


def _damage_empty(raw: bytes) -> bytes:
    return b""


@pytest.mark.parametrize("damage", [_damage_truncate, _damage_flip, _damage_garbage,
                                    _damage_valid_sum_bad_model, _damage_empty])
def test_a_damaged_entry_is_ignored_and_rebuilt(damage, tmp_path, every_size):
    path = tmp_path / "p.yaml"
    path.write_bytes(EXEMPLARS[1].read_bytes())
    truth = load_pathway(path, use_cache=False)
    load_pathway(path)
    (entry,) = _entries()
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert load_pathway(path) == truth              # from the YAML, nothing raised
    assert entry.read_bytes() == good               # and the entry is whole again


def test_a_cache_folder_that_cannot_be_written_just_turns_caching_off(tmp_path, monkeypatch,
                                                                     every_size):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PERIOP_CACHE_DIR", str(blocker / "cache"))
    truth = load_pathway(EXEMPLARS[2], use_cache=False)
    assert load_pathway(EXEMPLARS[2]) == truth
    assert load_pathway(EXEMPLARS[2]) == truth
    assert cache.store_pathway(b"x", truth) is None
    assert cache.prune() == 0 and cache.clear() == 0


def test_a_read_only_cache_folder_turns_caching_off(tmp_path, monkeypatch, every_size):
    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    truth = load_pathway(EXEMPLARS[3], use_cache=False)
    assert load_pathway(EXEMPLARS[3]) == truth
    assert _entries() == []


# ------------------------------------------------------------------------- pruning


def _fake_entry(folder: Path, name: str, size: int, age_days: float, now: float) -> Path:
    path = folder / f"{name}.json"
    path.write_bytes(b"x" * size)
    os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    return path


def test_pruning_drops_the_unused_for_a_month_then_the_least_recently_used(tmp_path):
    now = time.time()
    made = {name: _fake_entry(tmp_path, name, size, age, now) for name, size, age in [
        ("new", 400, 0.1), ("week", 300, 7), ("fortnight", 300, 14), ("month", 200, 29),
        ("stale", 10, 31)]}
    (tmp_path / ".old.tmp").write_bytes(b"partial")
    os.utime(tmp_path / ".old.tmp", (now - 7200, now - 7200))
    (tmp_path / ".young.tmp").write_bytes(b"being written")
    (tmp_path / "notes.txt").write_text("not ours")
    removed = cache.prune(tmp_path, max_bytes=1000, now=now)
    # 400 + 300 = 700 fit; the fortnight's 300 would make 1,000 (fits); the month's 200
    # would pass 1,000; "stale" is past 30 days however small
    left = {p.stem for p in tmp_path.glob("*.json")}
    assert left == {"new", "week", "fortnight"}
    assert not made["month"].exists() and not made["stale"].exists()
    assert not (tmp_path / ".old.tmp").exists() and (tmp_path / ".young.tmp").exists()
    assert (tmp_path / "notes.txt").exists()
    assert removed == 3


def test_the_entry_just_written_survives_pruning_even_if_larger_than_the_limit(tmp_path):
    now = time.time()
    older = _fake_entry(tmp_path, "older", 100, 1, now)
    huge = _fake_entry(tmp_path, "huge", 5000, 0, now)
    cache.prune(tmp_path, max_bytes=1000, now=now, keep=huge)
    assert huge.exists() and not older.exists()


def test_writing_an_entry_prunes_the_folder(tmp_path, monkeypatch, every_size):
    folder = cache.cache_folder()
    folder.mkdir(parents=True)
    now = time.time()
    stale = _fake_entry(folder, "stale", 10, 40, now)
    load_pathway(EXEMPLARS[0])
    assert not stale.exists() and len(_entries()) == 1


def test_reading_an_entry_marks_it_recently_used(tmp_path, every_size):
    load_pathway(EXEMPLARS[0])
    (entry,) = _entries()
    os.utime(entry, (time.time() - 20 * 86400,) * 2)
    load_pathway(EXEMPLARS[0])
    assert time.time() - entry.stat().st_mtime < 60


def test_clear_empties_the_cache(every_size):
    for path in EXEMPLARS[:3]:
        load_pathway(path)
    assert len(_entries()) == 3
    assert cache.clear() == 3 and _entries() == []


# ------------------------------------------------------------------------- library


def test_the_library_loads_a_pathway_from_the_cache_the_second_time(every_size, monkeypatch):
    library = Library([(builtin_folder(), BUILTIN)])
    entry = library.entries[0]
    truth = load_pathway(entry.path, use_cache=False)
    assert library.load(entry) == truth
    monkeypatch.setattr(io, "loads_pathway", lambda *a, **k: pytest.fail("YAML parsed"))
    assert library.load(entry.id) == truth


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_the_json_written_in_pieces_is_the_models_own_json(path):
    # the cache and recovery copies dump the lists a few items at a time (the writer
    # thread then never holds the interpreter lock for long); truth: pydantic's dump
    import json

    pathway = load_pathway(path, use_cache=False)
    pieces = list(cache.iter_pathway_json(pathway))
    assert len(pieces) > 3
    assert json.loads(b"".join(pieces)) == json.loads(pathway.model_dump_json(by_alias=True))
    assert cache.pathway_from_json(cache.pathway_json(pathway)) == pathway
