"""Unquoted YAML dates (``due: 2027-01-31``) load as ISO text; impossible ones are refused.

YAML reads an unquoted ``2027-01-31`` as a date, not text, so a hand-written file
used to be refused with "not a valid string". The loader now takes it as the text
``"2027-01-31"`` (the form the editor writes), and says plainly, with the line,
when a date-shaped value is not a real date.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings, strategies as st

from designer.graph.io import PathwayLoadError, dump_pathway, loads_pathway, read_header

HEAD = """\
format: periop-pathway/1
id: dated
title: Dated pathway
priorities:
  - id: p1
    title: Open the prehab clinic
"""


def _with_due(text: str) -> str:
    return HEAD + f"    due: {text}\n"


def test_an_unquoted_date_loads_as_iso_text():
    pathway = loads_pathway(_with_due("2027-01-31"))
    assert pathway.priorities[0].due == "2027-01-31"


def test_a_date_and_time_loads_as_iso_text(tmp_path):
    text = HEAD.replace("title: Dated pathway", "title: Dated pathway\nversion: 2026-01-05 10:30:00")
    assert loads_pathway(text).version == "2026-01-05T10:30:00"


def test_quoted_and_unquoted_dates_give_the_same_pathway():
    assert loads_pathway(_with_due("2027-01-31")) == loads_pathway(_with_due('"2027-01-31"'))


@pytest.mark.parametrize("text", ["2027-02-30", "2027-13-01", "2027-00-10"])
def test_an_impossible_date_is_refused_with_its_line(text):
    with pytest.raises(PathwayLoadError) as info:
        loads_pathway(_with_due(text), name="dated.yaml")
    error = info.value
    assert error.line == 7
    assert f"'{text}' is not a real date" in str(error)
    assert "YYYY-MM-DD" in str(error)


def test_a_date_in_the_header_is_read_as_text_too(tmp_path):
    path = tmp_path / "dated.yaml"
    path.write_text(HEAD.replace("title: Dated pathway", "title: Dated pathway\nversion: 2026-01-05"),
                    encoding="utf-8")
    assert read_header(path)["version"] == "2026-01-05"


@settings(max_examples=60, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)))
def test_any_real_date_loads_as_its_iso_text_and_round_trips(day):
    pathway = loads_pathway(_with_due(day.isoformat()))
    assert pathway.priorities[0].due == day.isoformat()
    # the saved text quotes it, so it reads back the same
    assert loads_pathway(dump_pathway(pathway)) == pathway


@settings(max_examples=60, deadline=None)
@given(year=st.integers(1900, 9999), month=st.integers(1, 12), day=st.integers(29, 31))
def test_end_of_month_dates_load_or_are_refused_as_not_real(year, month, day):
    text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        real = dt.date(year, month, day)
    except ValueError:
        with pytest.raises(PathwayLoadError, match="is not a real date"):
            loads_pathway(_with_due(text))
    else:
        assert loads_pathway(_with_due(text)).priorities[0].due == real.isoformat()


def test_saving_over_a_hand_written_file_keeps_its_unquoted_dates(tmp_path):
    from designer.graph.io import load_pathway, saved_text

    path = tmp_path / "dated.yaml"
    path.write_text(_with_due("2027-01-31") + "  - id: p2\n    title: Second\n"
                    "    due: 2027-03-01\n", encoding="utf-8")
    pathway = load_pathway(path)
    pathway.update_priority("p2", title="Second, renamed")
    text = saved_text(pathway, path)
    assert "    due: 2027-01-31\n" in text          # the untouched item keeps its line
    assert loads_pathway(text) == pathway
