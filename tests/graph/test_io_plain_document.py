"""The loader's one-walk construction of a pathway document (designer/graph/io.py).

``_plain_document`` builds the data of an alias-free document without the safe
loader's generic construction, for speed. The truth it must match is PyYAML's own
``construct_document`` on the same node tree: every document the walk accepts must
come out equal, with the same types and the same key order, and everything the
walk does not handle must be handed back (``_NOT_PLAIN``) for the loader to
construct or refuse as it always did.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from fuzz_corpus import mutants
from designer.graph import io
from designer.graph.io import PathwayLoadError, loads_pathway

ROOT = Path(__file__).resolve().parents[2]

SCALARS = """\
plain: text
quoted: '2027-01-05'
double: "yes"
bools: [yes, No, on, OFF, true, False, y, n]
nulls: [~, null, Null, '']
ints: [0, -12, +7, 0x1F, 0o17, 017, 1_000, 0b101, '190:20:30', 190:20:30]
floats: [1.5, -.5, 1e3, 6.8523015e+5, .inf, -.Inf, 685_230.15, 190:20:30.15]
date: 2027-1-5
datetime: 2027-01-05 10:30:00
tagged: [!!str 12, !!int '7', !!float '1', !!bool 'yes', !!null '']
"""

KEYS = """\
1: int key
1.0: float key, same dict key as 1
true: bool key
~: null key
x: first
x: second
nested: {a: [1, {b: [2, 3]}], c: {}}
empty: []
"""

#: documents the walk must leave to the loader
NOT_PLAIN = [
    "<<: {a: 1}\nb: 2\n",                 # merge key
    "=: 3\n",                             # value key
    "? [a, b]\n: c\n",                    # a key that is not a scalar
    "a: !!binary aGVsbG8=\n",
    "a: !!set {x, y}\n",
    "a: !!omap [b: 1]\n",
    "a: !foo bar\n",
    "a: !!python/name:os.system\n",
    "a: 2027-02-30\n",                    # a date that is not one: the loader says so
    "a: !!int x\n",
]


def _both(text: str):
    """(construct_document's data, _plain_document's data) for ``text``."""
    loader = io._PathwayLoader(text)
    try:
        node = loader.get_single_node()
        plain = io._plain_document(loader, node)
    finally:
        loader.dispose()
    loader = io._PathwayLoader(text)
    try:
        node = loader.get_single_node()
        try:
            usual = ("data", loader.construct_document(node))
        except Exception as exc:  # noqa: BLE001 - the usual path's own refusal
            usual = ("error", type(exc))
    finally:
        loader.dispose()
    return usual, plain


def _same(a, b) -> bool:
    """Equal, with equal types throughout and the same key order."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and all(type(x) is type(y) for x, y in zip(a, b))
                and all(_same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


@pytest.mark.parametrize("text", [SCALARS, KEYS, "[1, [2, [3, {a: [4]}]]]", "just text",
                                  "a: .nan\n", "k: &anchor 1\nb: 2\n"])
def test_plain_documents_come_out_as_the_safe_loader_builds_them(text):
    usual, plain = _both(text)
    assert plain is not io._NOT_PLAIN
    assert usual[0] == "data" and _same(usual[1], plain)


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_anything_else_is_left_to_the_loader(text):
    _usual, plain = _both(text)
    assert plain is io._NOT_PLAIN


def test_every_library_pathway_and_fuzzed_file_agrees_with_the_loader():
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "pathway_library").glob("*.yaml"))]
    for _label, data in mutants(count=300, seed="periop-fuzz-1"):
        try:
            texts.append(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            continue
    walked = 0
    for text in texts:
        if "*" in text or "\x00" in text:   # aliases: the loader's own path, always
            continue
        try:
            usual, plain = _both(text)
        except Exception:  # noqa: BLE001 - not YAML at all: nothing to construct
            continue
        if plain is io._NOT_PLAIN:
            continue
        walked += 1
        assert usual[0] == "data" and _same(usual[1], plain), text[:200]
    assert walked > 100    # the walk was really exercised


def test_a_bad_date_is_still_reported_with_its_line():
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway("format: periop-pathway/1\nid: x\ntitle: X\nversion: 2027-02-30\n")
    assert info.value.line == 4 and "not a real date" in str(info.value)
