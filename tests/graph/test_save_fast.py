"""The fast save writer (issue 16) writes exactly the bytes the old writer wrote.

Independent truth: the old writer, kept here as it was — ``yaml.dump`` of the plain
data with the pathway dumper's two representers and the old options — applied to
the same data in one call. Whatever the fast writer builds, the text must be equal
byte for byte, and must load back to an equal pathway.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.graph import io
from designer.graph.io import dump_pathway, load_pathway, loads_pathway, pathway_to_data
from designer.graph.model import Pathway

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import make_pathway  # noqa: E402

EXEMPLARS = sorted((ROOT / "pathway_library").glob("*.yaml"))


class _OldDumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # type: ignore[misc]
    pass


_OldDumper.add_representer(
    io._Flow, lambda d, data: d.represent_sequence("tag:yaml.org,2002:seq", data,
                                                   flow_style=True))
_OldDumper.add_representer(
    str, lambda d, data: d.represent_scalar("tag:yaml.org,2002:str", data,
                                            style="|" if "\n" in data else None))


def old_dump(data) -> str:
    return yaml.dump(data, Dumper=_OldDumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False, indent=2)


def old_text(pathway: Pathway) -> str:
    return old_dump(pathway_to_data(pathway))


def test_the_fast_writer_is_in_use_where_libyaml_is():
    assert io._FAST_DUMP == bool(yaml.__with_libyaml__)


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_exemplar_saves_the_old_bytes(path):
    pathway = load_pathway(path, use_cache=False)
    text = dump_pathway(pathway)
    assert text == old_text(pathway)
    assert loads_pathway(text).content_equal(pathway)


def test_a_generated_pathway_saves_the_old_bytes():
    pathway = make_pathway(200)
    text = dump_pathway(pathway)
    assert text == old_text(pathway)
    assert loads_pathway(text).content_equal(pathway)


def test_the_fallback_writer_gives_the_same_text(monkeypatch):
    pathway = load_pathway(EXEMPLARS[0], use_cache=False)
    fast = dump_pathway(pathway)
    monkeypatch.setattr(io, "_FAST_DUMP", False)
    assert dump_pathway(pathway) == fast


# Strings that stress the emitter's choice of quoting and folding.
_tricky = st.sampled_from([
    "", " ", "yes", "no", "Yes", "NO", "on", "off", "y", "n", "true", "False", "null",
    "Null", "~", "0", "007", "1.5", "1e3", "-1", "+1", ".inf", "-.inf", ".nan", "0x1f",
    "0o17", "1_000", "12:30", "2024-01-02", "2024-01-02 10:00:00", "=", "<<", "- a",
    "-", "--- x", "...", "? q", ": c", "a: b", "a #b", "#c", "a#b", "x:", "[a]", "{a}",
    "!tag", "&anc", "*ali", "|", ">", "'q'", '"d"', "%p", "@a", "`b", ",", "a,b",
    " lead", "trail ", "multi\nline", "multi\nline\n", "\nlead", "trail\n\n",
    "tab\there", "crlf\r\nx", "nel\x85x", "ls\u2028x", "ps\u2029x", "bom\ufeffx",
    "bell\x07", "esc\x1b", "nul\x00x", "del\x7f", "é café", "日本語", "emoji 🙂👍🏽",
    "zero\u200bwidth", "a" * 150, ("word " * 40).strip(), ("word " * 40),
    "x" * 99 + " " + "y" * 10, "long: " + "z " * 80, "Ready for surgery? 5", "a?", "a!",
    "a*b", "a@b", "a=b", "a & b", "50%", "a;b", "a/b", "(a)", "a.", "a-", "a - b", "1 a",
    "2024-01-02 x", "é", "Ünïcödé name", "𝐀bc", "a𠀀b", "ǅ", "٣", "a\u00a0b", "a\u3000b",
    "_x", "x_", "a  b", "a   ", "a\t",
])
_text = st.one_of(_tricky, st.text(max_size=40),
                  st.builds(lambda a, b: a + b, _tricky, st.text(max_size=12)),
                  st.builds(lambda a, b: a + b, st.text(max_size=12), _tricky))
_scalars = st.one_of(_text, st.none(), st.booleans(), st.integers(-10**20, 10**20),
                     st.floats(), st.floats(allow_nan=False).map(lambda f: round(f, 1)))
_data = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.one_of(st.integers(-10**6, 10**6), st.floats()), max_size=3)
        .map(io._Flow),
        st.dictionaries(_text, inner, max_size=4)),
    max_leaves=20)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_text, _data, min_size=1, max_size=3))
def test_any_plain_data_dumps_to_the_old_bytes(data):
    assert io._dump_yaml(data) == old_dump(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=st.lists(_text.filter(lambda s: s.strip()), min_size=1, max_size=5),
       texts=st.lists(_text, min_size=5, max_size=5),
       xs=st.lists(st.floats(-1e7, 1e7), min_size=5, max_size=5))
def test_any_pathway_saves_the_old_bytes_and_loads_back(names, texts, xs):
    steps = [{"id": f"s{i}", "name": n, "description": texts[i] or None,
              "position": [xs[i], 10.0]} for i, n in enumerate(names)]
    try:
        pathway = Pathway.model_validate({"id": "p", "title": texts[0] or "T",
                                          "summary": texts[1] or None, "steps": steps})
    except ValueError:   # a name or text the model refuses: nothing to save
        return
    text = dump_pathway(pathway)
    assert text == old_text(pathway)
    again = loads_pathway(text)
    assert again.content_equal(pathway)
    assert dump_pathway(again) == text


# Items the simple writer writes itself, and items it must leave to libyaml.
_keys = st.one_of(st.sampled_from(["id", "name", "yes", "null", "on", "x_1", "_a", "a" * 90,
                                   "with space", "dash-key", "1a"]), _text)
_item_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(st.one_of(st.integers(-10**9, 10**9), st.floats()), max_size=3)
        .map(io._Flow),
        st.dictionaries(_keys, inner, max_size=3)),
    max_leaves=12)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.dictionaries(_keys, _item_values, max_size=5), min_size=1, max_size=4))
def test_list_items_written_as_text_are_libyamls_bytes(items):
    writer = io._SimpleWriter()
    for item in items:
        text = writer.item(item)
        if text is not None:
            assert "steps:\n" + text == old_dump({"steps": [item]})


def test_the_simple_writer_writes_the_common_items():
    pathway = make_pathway(60)
    writer = io._SimpleWriter()
    for name in ("steps", "transitions", "settings", "roles"):
        for item in getattr(pathway, name):
            assert writer.item(io._item_data(name, item)) is not None, (name, item)


def _old_clean(value):
    """designer.graph.io._clean as it was before its fast path for plain values."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            v = _old_clean(v)
            if v == {} and k in io._KEEP_EMPTY:
                out[k] = v
                continue
            if v is None or v == [] or v == {} or (k == "weak" and v is False):
                continue
            out[k] = v
        return out
    if isinstance(value, list):
        return type(value)(_old_clean(v) for v in value)
    if isinstance(value, float):
        return int(value) if float(value).is_integer() else value
    return value


_clean_keys = st.one_of(st.sampled_from(["weak", "handoff", "workshop", "id", "x"]), _text)
_raw = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.lists(st.one_of(st.integers(-10**9, 10**9), st.floats()), max_size=3)
        .map(io._Flow),
        st.dictionaries(_clean_keys, inner, max_size=4)),
    max_leaves=16)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_clean_keys, _raw, max_size=5))
def test_cleaning_is_what_it_was(data):
    new, old = io._clean(data), _old_clean(data)
    assert repr(new) == repr(old)       # repr: 1 and 1.0 differ, as they do in the file
    assert old_dump({"x": new}) == old_dump({"x": old})   # a flow list stays one
