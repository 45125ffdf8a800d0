"""Whatever is on the clipboard, reading it as steps either works or says why: never crashes."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from designer.graph.fragment import parse_fragment

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True),
                    st.text(max_size=12))
FIELDS = st.sampled_from(["id", "name", "kind", "setting", "owner", "position",
                          "duration_days", "from", "to", "handoff", "codes", "activity"])
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(FIELDS, inner, max_size=4)), max_leaves=12)
FRAGMENTS = st.dictionaries(st.sampled_from(["steps", "transitions", "other"]),
                            st.one_of(VALUES, st.lists(st.dictionaries(FIELDS, VALUES,
                                                                       max_size=5),
                                                       max_size=3)), max_size=3)


@settings(max_examples=150, deadline=None)
@given(FRAGMENTS)
def test_any_yaml_shape_is_read_or_refused_with_a_message(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        steps, _transitions = parse_fragment(text)
    except ValueError as exc:
        assert str(exc).startswith("The ")
        return
    assert steps


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_read_or_refused_with_a_message(text):
    try:
        parse_fragment(text)
    except ValueError as exc:
        assert str(exc).startswith("The ")
