"""Issue 14, Surgery School booklet: what a patient reads is true, plain and whole.

Against independent truths: the timeline's own loop days, the chart's surgery
line, the CMU-dictionary reading age of every section of every exemplar, the
drawing calls of the PDF footer, and the page text of the written PDF.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from designer.export.school import export_school, school_report
from designer.export.school.content import build_booklet, patient_name, span_words
from designer.export.school.words import FIRST_USE, _PATTERNS
from designer.graph.io import load_pathway
from designer.graph.timeline import compute_timeline

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


def section(booklet, key):
    return next(s for s in booklet.sections if s.key == key)


def test_the_diabetes_timeline_tells_of_the_optimisation_loop():
    pathway = load_pathway(LIBRARY / "diabetes-preop-clinic.yaml")
    loop = next(e for e in compute_timeline(pathway).entries if e.detour)
    assert loop.loop_days and loop.loop_days > 60          # about 3 months round the loop
    when = section(build_booklet(pathway), "when").blocks[0]
    text = " ".join(when.paragraphs + when.bullets)
    # told of, but with no figure: the loop's 90 days is the file's planning assumption
    # ("no source gives one"), so the booklet does not promise "about 3 months"
    assert "you may wait longer" in text and "You may wait longer." in text
    assert "can add" not in text and "month" not in text
    # the referral is not "about 1 week before" (the loop can come in between), nor
    # "at least 1 week before": the steps' lengths are placeholders (timing_assumed), so
    # the booklet says only that it comes before the operation
    first = when.bullets[0]
    assert first.startswith("Before:") and not re.search(r"\d", first)


def test_spans_in_weeks_and_months():
    assert span_words(3) == "3 days"
    assert span_words(14) == "about 2 weeks"
    assert span_words(91) == "about 3 months"


def test_the_chart_keeps_an_if_needed_loop_before_the_surgery_line():
    from designer.export.spec.timeline_chart import Bar, Line, Rect, layout_chart

    bars = [Bar("Referral", 0, 1, critical=True), Bar("GP optimisation", 4, 94, detour=True),
            Bar("Surgery", 7, 8, critical=True), Bar("Home", 10, 11)]
    chart = layout_chart(bars, surgery_day=7)
    surgery_x = next(s.x1 for s in chart.shapes if isinstance(s, Line) and s.dashed
                     and s.y2 > 40)
    detour = [s for s in chart.shapes if isinstance(s, Rect) and s.stroke is not None
              and s.y > 30]
    assert detour and all(r.x + r.w <= surgery_x + 0.01 for r in detour)


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_section_reads_at_age_11_or_under(path):
    report = school_report(load_pathway(path))
    hard = [(s.title, s.reading_age) for s in report.sections if s.reading_age > 11]
    assert hard == []
    assert report.warnings == []


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_short_forms_are_explained_the_first_time(path):
    booklet = build_booklet(load_pathway(path))
    texts = [booklet.subtitle]
    for s in booklet.sections:
        if s.key in ("sources", "words"):
            continue
        texts.append(s.title)
        for b in s.blocks:
            texts += [b.heading, b.when, *b.paragraphs, *b.bullets, *b.labels]
    joined = "\n".join(t for t in texts if t)
    assert not re.search(r"\((?:CPOC|JBDS|POPS|CGA)\b", booklet.subtitle)
    for term in FIRST_USE:
        match = _PATTERNS[term].search(joined)
        if match is None:
            continue
        before, after = joined[:match.start()].rstrip(), joined[match.end():].lstrip()
        assert before.endswith("(") or after.startswith("("), (term, joined[
            max(0, match.start() - 40):match.end() + 40])


def test_frailty_home_care_starts_the_day_the_patient_goes_home():
    booklet = build_booklet(load_pathway(LIBRARY / "frailty-hip-pops.yaml"))
    home = section(booklet, "home")
    care = next(b for b in home.blocks if "day you leave hospital" in " ".join(b.paragraphs))
    assert care.when == "On the day you go home"


def test_steps_have_patient_names_with_the_name_as_default():
    pathway = load_pathway(LIBRARY / "eras-plus-colorectal.yaml")
    ward = next(s for s in pathway.steps if s.id == "stepped-recovery")
    assert ward.patient_name and patient_name(ward) == ward.patient_name
    headings = [b.heading for s in build_booklet(pathway).sections for b in s.blocks]
    assert ward.patient_name in headings and ward.name not in headings
    plain = ward.model_copy(update={"patient_name": None})
    assert patient_name(plain) == ward.name


@pytest.mark.parametrize("size", [12.0, 16.0])
def test_footer_text_never_runs_into_the_page_number(size):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from designer.export.kit import pdf as kit

    drawn = []

    class Recorder(kit.canvas_maker("Surgery School \u2022 " + "A very long title " * 6, size)):
        def drawString(self, x, y, text, *args, **kwargs):          # noqa: N802
            drawn.append(("left", x, text))

        def drawRightString(self, x, y, text, *args, **kwargs):     # noqa: N802
            drawn.append(("right", x, text))

    import io
    canvas = Recorder(io.BytesIO(), pagesize=kit.A4)
    canvas.showPage()
    canvas.save()
    (_, rx, right), = [d for d in drawn if d[0] == "right"]
    right_start = rx - stringWidth(right, canvas.footer_font, size)
    lefts = [d for d in drawn if d[0] == "left"]
    assert right == "Page 1 of 1" and len(lefts) >= 2     # wrapped, not cut
    for _, lx, left in lefts:
        assert lx + stringWidth(left, canvas.footer_font, size) < right_start - size / 2


def test_the_last_page_of_the_large_print_frailty_booklet_is_not_only_the_disclaimer(
        tmp_path):
    from pdf_streams import content_streams

    out = tmp_path / "frailty.pdf"
    export_school(load_pathway(LIBRARY / "frailty-hip-pops.yaml"), "pdf", out,
                  large_print=True)
    pages = [s for s in content_streams(out.read_bytes()) if b"Page " in s]
    count = len(pages)
    last = next(p for p in pages if f"Page {count} of {count}".encode() in p)
    words = b" ".join(re.findall(rb"\((.*?)\) Tj", last))
    assert b"general information" in words
    others = words.replace(b"This booklet gives general information. Ask your care team", b"")
    assert len(re.findall(rb"[A-Za-z]{3,}", others)) > 12, words


def test_printed_html_keeps_every_heading_with_what_follows(tmp_path):
    out = tmp_path / "b.html"
    export_school(load_pathway(LIBRARY / "eras-plus-colorectal.yaml"), "html", out)
    html = out.read_text("utf-8")
    assert re.search(r"h2, h3, \.when \{ break-after: avoid", html)
    assert re.search(r"\.keep(, [^{]*)? \{ break-inside: avoid", html)
    for match in re.finditer(r"<h[23]>", html):
        opened = html.rfind('<div class="keep">', 0, match.start())
        closed = html.rfind("</div>", 0, match.start())
        assert opened > closed, html[match.start():match.start() + 80]
        block = html[match.start():html.find("</div>", match.start())]
        assert "<p>" in block or "<p class=\"lead\">" in block or "<li>" in block


def _advice_text() -> str:
    from designer.export.school import advice

    topics = [a for a in vars(advice).values() if isinstance(a, advice.Advice)]
    return "\n".join(line for a in topics for line in a.paragraphs + tuple(
        b if b.endswith(("?", ".")) else b + "." for b in a.bullets))


def test_the_fixed_advice_reads_plainer_by_smog_with_its_facts_kept():
    """Every booklet carries the advice topics, so their long words weigh on every
    booklet's SMOG (was 13.6 by SMOG, 10.1 by Flesch-Kincaid, 36 long words)."""
    from designer.export.school import readability as r

    text = _advice_text()
    assert r.smog_reading_age(text) <= 13.0 and r.reading_age(text) <= 9.5
    assert r.count_polysyllables(text) <= 30
    for fact in ("30 minutes", "twice", "4 to 6 weeks", "69 mmol/mol", "3 months",
                 "dietitian", "NHS Stop Smoking Service", "What are the benefits?"):
        assert fact in text, fact


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_whole_booklet_smog_is_lower_than_before(path):
    """Whole-booklet SMOG read 12.7 to 13.6 before the fixed text was made plainer."""
    report = school_report(load_pathway(path))
    assert report.overall_smog_age <= 13.3 and report.overall_reading_age <= 9.5
