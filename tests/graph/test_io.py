"""Loading and saving pathway files: round trips, canonical text, and every kind of bad input."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.graph.io import (
    MAX_STEPS, PathwayLoadError, PathwaySaveError, dump_pathway, json_schema, load_pathway,
    loads_pathway, read_header, save_pathway,
)
from designer.graph.model import Pathway

GOOD = """\
format: periop-pathway/1
id: mini
title: Mini pathway
status: draft
settings:
  - {id: gp, name: GP practice, kind: primary}
  - {id: hospital, name: Hospital, kind: secondary}
roles:
  - {id: gp, name: General practitioner}
  - {id: surgeon, name: Surgeon}
steps:
  - id: referral
    name: Referral
    kind: entry
    setting: gp
    owner: gp
    duration_days: 1
    position: [120.04, 40]
  - id: clinic
    name: Surgical clinic
    setting: hospital
    owner: surgeon
    description: |
      Two lines
      of text.
  - id: done
    name: Back to GP
    kind: exit
    setting: gp
    owner: gp
transitions:
  - from: referral
    to: clinic
    wait_days: 14
    handoff:
      sender: gp
      receiver: surgeon
      information: [referral letter, medicines list]
      channel: e-referral
  - {from: clinic, to: done}
"""


def error_of(text: str | bytes) -> PathwayLoadError:
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway(text, "bad.yaml")
    return info.value


def test_load_save_load_is_equal_and_canonical_text_is_stable(tmp_path):
    first = loads_pathway(GOOD, "good.yaml")
    path = tmp_path / "p.yaml"
    save_pathway(first, path)
    second = load_pathway(path)
    assert second.content_equal(first)
    before = path.read_bytes()
    save_pathway(second, path)
    assert path.read_bytes() == before  # an unchanged file saves byte-identical


def test_canonical_text_keeps_key_order_positions_and_multiline_text():
    text = dump_pathway(loads_pathway(GOOD))
    assert text.startswith("format: periop-pathway/1\nid: mini\ntitle: Mini pathway\n")
    assert "position: [120, 40]" in text          # rounded to 0.1, flow style
    assert "description: |" in text                # block style for multi-line text
    assert "from: referral\n  to: clinic" in text  # aliases, not Python names
    assert "None" not in text and "null" not in text


def test_save_is_atomic_and_a_failed_save_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "p.yaml"
    pathway = loads_pathway(GOOD)
    save_pathway(pathway, path)
    before = path.read_bytes()
    pathway.update_header(title="Changed")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(PathwaySaveError, match="No space left on device.*unchanged"):
        save_pathway(pathway, path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["p.yaml"]  # no temp file left behind


def test_save_where_the_folder_cannot_be_written_is_a_clear_error(tmp_path):
    # a plain file where the folder should be fails for every user, root included
    # (root ignores read-only folder permissions)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(PathwaySaveError, match="Could not save"):
        save_pathway(loads_pathway(GOOD), blocker / "p.yaml")
    assert blocker.read_text(encoding="utf-8") == "x"


def test_save_keeps_file_permissions(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("old")
    path.chmod(0o640)
    save_pathway(loads_pathway(GOOD), path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize("text, expected", [
    ("", "the file is empty"),
    ("   \n# only a comment\n", "the file is empty"),
    ("format: periop-pathway/1\nid: [unclosed\n", "line 3: this is not valid YAML"),
    ("!!python/object/apply:os.system ['echo hi']", "Python-specific tag (!!python/object/apply"),
    ("- just\n- a list\n", "expected a pathway (a YAML mapping of fields) but found a list"),
    ("title: no format\n", "has no 'format: periop-pathway/1' line"),
    ("format: periop-pathway/7\nid: x\ntitle: y\n", "made by a newer version"),
    ("format: periop-pathwy/1\nid: x\ntitle: y\n", "did you mean 'periop-pathway/1'"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "not a text file"),
    (b"\xff\xfe\xfa garbage", "not a UTF-8 text file"),
])
def test_bad_files_give_one_clear_message(text, expected):
    error = error_of(text)
    assert expected in str(error)
    assert str(error).startswith("Cannot open bad.yaml")
    assert "Traceback" not in str(error)


@pytest.mark.parametrize("old, new, path, line, expected", [
    ("    duration_days: 1", "    duration_days: soon", "steps[0].duration_days", 17,
     "'soon' is not a number"),
    ("    kind: entry", "    kind: entrie", "steps[0].kind", 14, "did you mean 'entry'"),
    ("    owner: gp\n    duration", "    ownr: gp\n    duration", "steps[0].ownr", 16,
     "unknown field 'ownr' (did you mean 'owner'?)"),
    ("  - id: done", "  - id: clinic", "steps[2].id", 26, "duplicate id 'clinic'"),
    ("  - {id: hospital, name: Hospital, kind: secondary}",
     "  - {id: gp, name: Hospital, kind: secondary}", "settings[1].id", 7, "duplicate id 'gp'"),
    ("    wait_days: 14", "    wait_days: -3", "transitions[0].wait_days", 34,
     "greater than or equal to 0"),
    ("title: Mini pathway\n", "", "title", None, "required field is missing"),
])
def test_wrong_values_name_the_line_and_field_path(old, new, path, line, expected):
    assert old in GOOD
    error = error_of(GOOD.replace(old, new, 1))
    assert error.path == path
    assert expected in str(error)
    if line is not None:
        assert error.line == line
        assert f"line {line}" in str(error)


def test_too_many_steps_is_refused_before_validation(monkeypatch):
    import designer.graph.io as io

    assert MAX_STEPS == 100_000       # the limit the format documents
    # the rule, with a small limit (as the size test does): one step too many is refused
    # before validation (which would complain about the repeated id first)
    monkeypatch.setattr(io, "MAX_STEPS", 3)
    steps = "".join("  - {id: s, name: S}\n" for _ in range(4))
    error = error_of("format: periop-pathway/1\nid: big\ntitle: Big\nsteps:\n" + steps)
    assert "the pathway has 4 steps; the limit is 3" in str(error)
    monkeypatch.setattr(io, "MAX_STEPS", 4)
    assert "limit" not in str(error_of("format: periop-pathway/1\nid: big\ntitle: Big\n"
                                       "steps:\n" + steps))


def test_too_large_file_is_refused_without_reading(tmp_path, monkeypatch):
    import designer.graph.io as io

    path = tmp_path / "huge.yaml"
    path.write_text(GOOD)
    monkeypatch.setattr(io, "MAX_BYTES", 100)
    with pytest.raises(PathwayLoadError, match="limited to"):
        io.load_pathway(path)


def test_missing_file_and_folder_are_clear(tmp_path):
    with pytest.raises(PathwayLoadError, match="does not exist"):
        load_pathway(tmp_path / "nope.yaml")
    with pytest.raises(PathwayLoadError, match="folder"):
        load_pathway(tmp_path)


def test_unknown_references_load_so_the_editor_can_fix_them():
    text = GOOD.replace("    setting: hospital\n", "    setting: hospitl\n", 1)
    pathway = loads_pathway(text)
    assert pathway.step("clinic").setting == "hospitl"


def test_migrations_chain_up_to_the_current_format(monkeypatch):
    import designer.graph.io as io

    def from_zero(data):
        data = dict(data, format="periop-pathway/1")
        data["title"] = data.pop("name")
        return data

    monkeypatch.setitem(io.MIGRATIONS, "periop-pathway/0", from_zero)
    pathway = loads_pathway("format: periop-pathway/0\nid: old\nname: Old style\n")
    assert pathway.title == "Old style"


def test_read_header_skips_the_steps(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(GOOD + "evidence:\n  - {claim: Works, source: 'https://example.org'}\n")
    header = read_header(path)
    assert header["id"] == "mini" and header["title"] == "Mini pathway"
    assert header["evidence"][0]["claim"] == "Works"
    assert "steps" not in header and "settings" not in header


def test_json_schema_describes_the_format():
    schema = json_schema()
    assert "periop-pathway/1" in schema["title"]
    step = schema["$defs"]["Step"]["properties"]
    assert {"id", "name", "kind", "setting", "owner", "patient_info"} <= set(step)
    assert "from" in schema["$defs"]["Transition"]["properties"]


# ------------------------------------------------------------------ hypothesis

_scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 10**6),
                     st.floats(allow_nan=False, allow_infinity=False),
                     st.text(max_size=12))
_yamlish = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200)))
def test_loader_never_crashes_on_arbitrary_input(data):
    try:
        result = loads_pathway(data, "fuzz.yaml")
    except PathwayLoadError as exc:
        assert str(exc).startswith("Cannot open fuzz.yaml")
    else:
        assert isinstance(result, Pathway)


@settings(max_examples=150, deadline=None)
@given(field=st.sampled_from(["steps", "settings", "transitions", "roles", "title", "id",
                              "waivers", "evidence", "status", "rule_packs"]),
       value=_yamlish)
def test_loader_refuses_wrong_shapes_cleanly(field, value):
    import yaml

    base = yaml.safe_load(GOOD)
    base[field] = value
    text = yaml.safe_dump(base)
    try:
        pathway = loads_pathway(text, "fuzz.yaml")
    except PathwayLoadError as exc:
        assert "fuzz.yaml" in str(exc)
    else:  # whatever loads must save and load back equal
        assert loads_pathway(dump_pathway(pathway)).content_equal(pathway)


_names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
                 ).filter(lambda s: s.strip())


@settings(max_examples=60, deadline=None)
@given(names=st.lists(_names, min_size=1, max_size=8),
       durations=st.lists(st.one_of(st.none(), st.floats(0, 3650)), min_size=8, max_size=8),
       xs=st.lists(st.floats(-1e6, 1e6), min_size=8, max_size=8))
def test_any_valid_model_round_trips(names, durations, xs):
    steps = [{"id": f"s{i}", "name": n, "duration_days": durations[i],
              "position": [xs[i], 10.0]} for i, n in enumerate(names)]
    pathway = Pathway.model_validate({"id": "p", "title": "T", "steps": steps,
                                      "transitions": [{"from": "s0", "to": f"s{i}"}
                                                      for i in range(1, len(steps))]})
    text = dump_pathway(pathway)
    again = loads_pathway(text)
    assert again.content_equal(pathway)
    assert dump_pathway(again) == text


@pytest.mark.parametrize("old, new, path", [
    ("    position: [120.04, 40]", "    position: [.nan, 40]", "steps[0].position"),
    ("    position: [120.04, 40]", "    position: [.inf, 40]", "steps[0].position"),
    ("    duration_days: 1", "    duration_days: .nan", "steps[0].duration_days"),
])
def test_not_a_number_is_refused_with_its_field(old, new, path):
    error = error_of(GOOD.replace(old, new, 1))
    assert error.path.startswith(path)


def test_targets_in_words():
    pathway = loads_pathway(GOOD)
    assert pathway.target_name("clinic") == "Surgical clinic"
    assert pathway.target_name("referral->clinic") == "Referral \u2192 Surgical clinic"
    assert pathway.target_name("gone") == "gone"
