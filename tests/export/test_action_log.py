"""The workshop action log: CSV rows, Markdown and a DOCX with real headings and tables."""

from __future__ import annotations

import csv

import pytest

from designer.export.action_log import (
    ActionLogError,
    COLUMNS,
    action_log_rows,
    export_action_log,
    notes_by_category,
)
from designer.graph.model import Note, Priority, Workshop

from workshop_sample import make_pathway


@pytest.fixture
def pathway():
    p = make_pathway()
    p.update_header(workshop=Workshop(votes_per_participant=3))
    p.add_priority(Priority(id="p1", title="Share HbA1c in referral", kind="quick-win",
                            owner="gp", due="2026-12-01", steps=["referral", "pac"]))
    p.add_priority(Priority(id="p2", title="Diabetes optimisation clinic",
                            kind="project", owner="Dr Khan", due="2027-06-30",
                            status="in-progress"))
    p.add_priority(Priority(id="p3", title="=Pre-op hotline", kind="quick-win"))
    p.add_priority(Priority(id="p4", title="Go live with e-referral",
                            kind="critical-milestone", due="2027-01-15", steps=["gone"]))
    p.set_votes("Ann", "p3", 2)
    p.set_votes("Ben", "p3", 1)
    p.set_votes("Ann", "p1", 1)
    p.add_note(Note(id="n1", text="Who chases results?", author="Ann", category="question",
                    target="check->optimise"))
    p.add_note(Note(id="n2", text="Pilot in one PCN", category="decision", target="referral"))
    p.add_note(Note(id="n3", text="Room for a nurse clinic", category="idea"))
    return p


def test_csv_has_one_correct_row_per_priority_in_order(pathway, tmp_path):
    out = tmp_path / "log.csv"
    export_action_log(pathway, "csv", out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == list(COLUMNS)
    assert rows[1:] == [
        ["Quick win", "'=Pre-op hotline", "", "", "Open", "", "3", ""],
        ["Quick win", "Share HbA1c in referral", "General practitioner", "2026-12-01", "Open",
         "Referral; Preoperative assessment", "1", ""],
        ["Critical milestone", "Go live with e-referral", "", "2027-01-15", "Open",
         "gone (step no longer in pathway)", "0", ""],
        ["Project", "Diabetes optimisation clinic", "Dr Khan", "2027-06-30", "In progress",
         "", "0", ""],
    ]


def test_markdown_has_headings_tables_and_notes(pathway, tmp_path):
    out = tmp_path / "log.md"
    export_action_log(pathway, "md", out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Workshop action log: Demo pathway")
    assert "### Quick wins" in text and "### Projects" in text
    assert "| Share HbA1c in referral | General practitioner | 2026-12-01 |" in text
    assert "### Questions" in text
    assert "- **HbA1c check → GP optimisation**: Who chases results? (Ann)" in text


def test_docx_has_real_headings_and_a_table(pathway, tmp_path):
    from docx import Document

    out = tmp_path / "log.docx"
    export_action_log(pathway, "docx", out)
    doc = Document(str(out))
    headings = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith(
        ("Heading", "Title"))]
    assert ("Heading 1", "Priorities") in headings
    assert ("Heading 2", "Quick wins") in headings
    assert ("Heading 2", "Decisions") in headings
    first = doc.tables[0]
    assert [c.text for c in first.rows[0].cells] == list(COLUMNS[1:])
    assert [c.text for c in first.rows[2].cells][:2] == ["Share HbA1c in referral",
                                                         "General practitioner"]


def test_notes_grouped_by_category(pathway):
    groups = dict(notes_by_category(pathway))
    assert list(groups) == ["Questions", "Ideas", "Decisions"]
    assert groups["Ideas"][0]["about"] == "the pathway"


def test_empty_log_and_bad_format(tmp_path):
    p = make_pathway()
    assert action_log_rows(p) == []
    export_action_log(p, "md", tmp_path / "empty.md")
    assert "No priorities were recorded." in (tmp_path / "empty.md").read_text()
    with pytest.raises(ActionLogError, match="Unknown action log format"):
        export_action_log(p, "xlsx", tmp_path / "x.xlsx")
    with pytest.raises(ActionLogError, match="Could not save"):
        export_action_log(p, "csv", tmp_path / "no" / "such" / "dir.csv")
    with pytest.raises(ActionLogError, match="Could not save"):
        export_action_log(p, "docx", tmp_path / "no" / "such" / "dir.docx")


def test_markdown_passes_no_raw_html_or_script_links(tmp_path):
    """Issue 10 item 9: raw HTML and javascript: links were copied into the Markdown."""
    import re
    from pathlib import Path

    from designer.graph.io import load_pathway

    source = Path(__file__).resolve().parent.parent / "data" / "hostile" / \
        "workshop_injection.yaml"
    out = tmp_path / "log.md"
    export_action_log(load_pathway(source), "md", out)
    text = out.read_text(encoding="utf-8")
    assert not re.search(r"<\s*(script|img|b|javascript)\b", text, re.I)
    # a link needs unescaped brackets: "\[click\](javascript:...)" is plain text
    assert not re.search(r"(?<!\\)\]\(\s*javascript:", text, re.I)
    assert "&lt;script&gt;" in text and r"\[click\]" in text   # the words are still there
