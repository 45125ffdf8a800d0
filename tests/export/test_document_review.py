"""Defects found reading the exported documents as a board member and as a patient."""

from __future__ import annotations

import re

import pytest

from designer.export.school import export_school
from designer.export.school.advice import ALCOHOL, DIABETES, EATING, MEDICINES, SMOKING
from designer.export.school.content import DECISION_HEADING, build_booklet
from designer.export.spec.text import evidence_strength
from designer.graph.model import Activity, Step, StepKind, Transition
from doc_pathways import hostile_pathway
from pdf_streams import content_streams


# ------------------------------------------------------------- board specification


@pytest.mark.parametrize("note, shown", [
    ("Weak evidence - an Australian toolkit, not a UK source.",
     "Weak: an Australian toolkit, not a UK source."),
    ("weak: secondary source", "Weak: secondary source"),
    ("Weak evidence", "Weak"),
    ("Non-UK source", "Weak: Non-UK source"),
    ("", "Weak"),
    ("Weakly linked cohort", "Weak: Weakly linked cohort"),
])
def test_weak_evidence_is_not_labelled_weak_twice(note, shown):
    assert evidence_strength({"weak": True, "note": note}) == shown


def test_strong_evidence_keeps_its_note():
    assert evidence_strength({"weak": False, "note": "NICE guideline"}) == "NICE guideline"
    assert evidence_strength({"weak": False, "note": None}) == "UK source"


# ------------------------------------------------------------------ Surgery School


def _with_question_decisions():
    """The test pathway with the care team's shorthand decisions after two steps."""
    p = hostile_pathway()
    steps = list(p.steps)
    at = next(i for i, s in enumerate(steps) if s.id == "sdm") + 1
    steps.insert(at, Step(id="operate", name="Operate?", kind=StepKind.decision,
                          activity=Activity.shared_decision_making, setting="hospital",
                          owner="surgeon", phase=p.steps[1].phase,
                          patient_info="You choose whether to have the operation."))
    steps.insert(at + 1, Step(id="hb", name="Hb 130 g/L or more?", kind=StepKind.decision,
                              activity=Activity.preassessment, setting="hospital",
                              owner="surgeon", phase=p.steps[1].phase,
                              patient_info="The team looks at your blood test."))
    transitions = [t for t in p.transitions if (t.source, t.target) != ("sdm", "preop")]
    transitions += [Transition(source="sdm", target="operate"),
                    Transition(source="operate", target="hb", condition="Yes"),
                    Transition(source="hb", target="preop", condition="Yes")]
    return p.model_copy(update={"steps": steps, "transitions": transitions})


def test_question_named_decisions_never_become_patient_headings():
    booklet = build_booklet(_with_question_decisions())
    headings = [b.heading for s in booklet.sections for b in s.blocks]
    assert "Operate?" not in headings and "Hb 130 g/L or more?" not in headings
    assert DECISION_HEADING not in headings          # both joined the step before them
    before = next(s for s in booklet.sections if s.key == "before")
    shared = next(b for b in before.blocks if b.heading == "Shared decision")
    assert shared.paragraphs == ["You talk about your choices.",
                                 "You choose whether to have the operation.",
                                 "The team looks at your blood test."]


def test_a_question_decision_with_nothing_to_join_gets_a_plain_heading():
    p = _with_question_decisions()
    # The shared decision step says nothing to patients: "Operate?" has no block to join.
    steps = [s.model_copy(update={"patient_info": ""}) if s.id == "sdm" else s
             for s in p.steps]
    booklet = build_booklet(p.model_copy(update={"steps": steps}))
    headings = [b.heading for s in booklet.sections for b in s.blocks]
    assert "Operate?" not in headings
    assert headings.count(DECISION_HEADING) == 1


def test_advice_makes_no_claims_beyond_the_domain_facts():
    # Claims that were once written without a source in DOMAIN.md.
    text = " ".join(
        " ".join(topic.paragraphs + topic.bullets)
        for topic in (EATING, SMOKING, ALCOHOL, MEDICINES, DIABETES)).lower()
    for unsourced in ("never too late", "a few weeks helps", "protein",
                      "losing weight", "makes your operation safer", "helps you heal"):
        assert unsourced not in text, unsourced
    # Herbal remedies are now named from a source that says so (RCoA pre-assessment
    # clinic leaflet), which the medicines topic cites.
    from designer.graph.sources import SOURCES

    if "herbal" in " ".join(MEDICINES.paragraphs).lower():
        assert any("herbal" in fact for sid in MEDICINES.sources
                   for fact in SOURCES[sid].facts)


def _drawn_text_sizes(data: bytes) -> set[float]:
    """Font sizes used to draw text (not the ones reportlab sets and never uses)."""
    sizes: set[float] = set()
    for raw in content_streams(data):
        sizes |= {float(s) for s in
                  re.findall(rb"/F\S+ ([\d.]+) Tf [\d.]+ TL\s*[(\[<]", raw)}
    return sizes


def test_large_print_pdf_draws_every_word_at_16pt_or_more(tmp_path):
    out = tmp_path / "large.pdf"
    export_school(hostile_pathway(), "pdf", out, large_print=True)
    sizes = _drawn_text_sizes(out.read_bytes())
    assert sizes and min(sizes) >= 16.0, sorted(sizes)


def test_long_footer_wraps_and_keeps_every_word():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from designer.export.kit.pdf import footer_lines, footer_room

    text = ("Older people with frailty having elective hip replacement (POPS / CGA) "
            "\u2022 version 1.0.0 \u2022 Library exemplar")
    lines = footer_lines(text, "Helvetica", 12)
    assert len(lines) == 2 and " ".join(lines) == text and "\u2026" not in "".join(lines)
    assert lines[0].startswith("Older people") and lines[-1].endswith("Library exemplar")
    room = footer_room("Helvetica", 12)
    assert all(stringWidth(line, "Helvetica", 12) <= room for line in lines)
    assert footer_lines("Short \u2022 version 1", "Helvetica", 8) == ["Short \u2022 version 1"]
    long_word = footer_lines("x" * 400, "Helvetica", 8)
    assert "".join(long_word) == "x" * 400
    assert all(stringWidth(line, "Helvetica", 8) <= footer_room("Helvetica", 8)
               for line in long_word)


def test_glossary_covers_abbreviations_in_every_printed_text():
    from designer.export.spec.content import build_spec
    from designer.graph.model import Evidence

    p = hostile_pathway()
    settings = [s.model_copy(update={"description": "Sessions run by GM Active."})
                if s.id == "home" else s for s in p.settings]
    p = p.model_copy(update={
        "organisation": "Any ICS", "settings": settings,
        "evidence": [Evidence(claim="Decline is a valid outcome.", source="toolkit",
                              weak=True, note="An NSW toolkit.")]})
    terms = [term for term, _meaning in build_spec(p).glossary]
    assert {"GM", "ICS", "NSW"} <= set(terms)


def test_a_step_some_patients_skip_is_marked_if_you_need_it():
    from designer.export.school.content import IF_YOU_NEED_IT

    p = hostile_pathway()
    steps = list(p.steps)
    at = next(i for i, s in enumerate(steps) if s.id == "school")
    steps[at:at] = [
        Step(id="check", name="Needs treating?", kind=StepKind.decision,
             activity=Activity.preassessment, setting="hospital", owner="nurse",
             phase=steps[at].phase, patient_info="The nurse looks at your results."),
        Step(id="treat", name="Treat anaemia", activity=Activity.anaemia_management,
             setting="gp", owner="gp", phase=steps[at].phase, duration_days=14,
             patient_info="Your GP gives you iron tablets."),
    ]
    transitions = [t for t in p.transitions if (t.source, t.target) != ("preop", "school")]
    transitions += [Transition(source="preop", target="check"),
                    Transition(source="check", target="treat", condition="Anaemia"),
                    Transition(source="treat", target="school"),
                    Transition(source="check", target="school", condition="No anaemia")]
    booklet = build_booklet(p.model_copy(update={"steps": steps, "transitions": transitions}))
    blocks = {b.heading: b for s in booklet.sections for b in s.blocks}
    assert blocks["Treat anaemia"].when.startswith(IF_YOU_NEED_IT + ": ")
    assert "weeks before your operation" in blocks["Treat anaemia"].when
    school = next(h for h in blocks if "quoted" in h)
    assert not blocks[school].when.startswith(IF_YOU_NEED_IT)     # everyone goes
    overview = next(s for s in booklet.sections if s.key == "when").blocks[0].bullets
    assert any(b.endswith("Treat anaemia (if you need it)") for b in overview)
    assert not any("quoted" in b and "if you need it" in b for b in overview)


def test_cover_counts_read_as_english():
    from designer.export.spec.content import build_spec

    rows = dict(build_spec(hostile_pathway()).cover_rows)
    assert re.fullmatch(r"\d+ errors?, \d+ warnings?, \d+ waived", rows["Validation"])
    assert "1 warnings" not in rows["Validation"] and "1 errors" not in rows["Validation"]


def test_cover_names_the_library_pathway_it_was_derived_from(tmp_path, monkeypatch):
    from designer.library import index as library
    from designer.export.spec.content import build_spec
    from designer.graph.io import dump_pathway

    source = hostile_pathway().model_copy(update={"id": "eras-plus",
                                                  "title": "ERAS+ colorectal"})
    (tmp_path / "eras.yaml").write_text(dump_pathway(source), "utf-8")
    monkeypatch.setattr(library, "builtin_folder", lambda: tmp_path)
    rows = dict(build_spec(hostile_pathway()).cover_rows)
    assert rows["Derived from"] == "ERAS+ colorectal (library pathway eras-plus), version 1.0.0"
    monkeypatch.setattr(library, "builtin_folder", lambda: tmp_path / "missing")
    rows = dict(build_spec(hostile_pathway()).cover_rows)
    assert rows["Derived from"] == "library pathway eras-plus, version 1.0.0"


def test_large_print_docx_has_no_run_or_style_under_16pt(tmp_path):
    from docx import Document
    from docx.shared import Pt

    out = tmp_path / "large.docx"
    export_school(hostile_pathway(), "docx", out, large_print=True)
    doc = Document(str(out))
    paragraphs = list(doc.paragraphs)
    for section in doc.sections:
        paragraphs += section.footer.paragraphs
    sizes = [run.font.size for p in paragraphs for run in p.runs if run.font.size is not None]
    sizes += [p.style.font.size for p in paragraphs if p.style.font.size is not None]
    assert sizes and min(sizes) >= Pt(16)


def test_a_one_line_section_gets_no_reading_age_warning():
    from designer.export.school import school_report

    p = hostile_pathway()
    # "You have your operation." alone scores above 11: one long word in four.
    p.update_step("surgery", patient_info="You have your operation.")
    report = school_report(p)
    day = next(s for s in report.sections if s.title == "The day of your operation")
    assert day.too_hard                                 # the number is still shown...
    assert not any("The day of your operation" in w for w in report.warnings)   # ...not nagged
    p.update_step("surgery", patient_info="Comprehensive individualised anaesthetic "
                  "consideration incorporating cardiopulmonary evaluation is undertaken by the "
                  "perioperative multidisciplinary team.")
    report = school_report(p)
    assert any("The day of your operation" in w for w in report.warnings)


def test_a_long_critical_path_is_summarised_not_listed():
    from designer.export.spec.content import build_spec
    from designer.export.spec.text import MAX_LISTED_CRITICAL_STEPS, critical_path_sentence
    from doc_pathways import chain_pathway

    long = build_spec(chain_pathway(MAX_LISTED_CRITICAL_STEPS + 6))
    sentence = critical_path_sentence(long)
    assert f"has {len(long.critical_path)} steps, from Step number 0 to" in sentence
    assert "Step number 5" not in sentence and "\u2192" not in sentence
    short = build_spec(hostile_pathway())
    assert " \u2192 ".join(short.critical_path) in critical_path_sentence(short)


@pytest.mark.parametrize("days", [6, 40, 130, 395, 900])
def test_timeline_axis_labels_never_overlap(days):
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from designer.export.spec.timeline_chart import Bar, Text, layout_chart

    bars = [Bar(label=f"Step {i}", start=i * days / 10, end=i * days / 10 + 1,
                critical=True, relative=None) for i in range(11)]
    chart = layout_chart(bars, surgery_day=days * 0.7, width=481.0)
    ticks = sorted((s for s in chart.shapes if isinstance(s, Text) and s.anchor == "middle"),
                   key=lambda s: s.x)
    assert len(ticks) >= 3
    for left, right in zip(ticks, ticks[1:]):
        room = (stringWidth(left.text, "Helvetica", left.size)
                + stringWidth(right.text, "Helvetica", right.size)) / 2
        assert right.x - left.x > room + 2, (left.text, right.text)


def test_diagram_key_colours_match_the_diagram():
    from designer.render import style
    from designer.export.spec.text import DIAGRAM_KEY
    from designer.graph.model import Activity

    def hue(hex_colour):
        r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
        return max(("red", r), ("green", g), ("blue", b), key=lambda item: item[1])[0]

    assert "red for surgery" in DIAGRAM_KEY
    assert hue(style.ACTIVITY_COLOURS[Activity.surgery]) == "red"
    assert "green for assessment, optimisation and prehabilitation" in DIAGRAM_KEY
    for activity in (Activity.preassessment, Activity.optimisation, Activity.prehabilitation):
        assert hue(style.ACTIVITY_COLOURS[activity]) == "green"
    r, g, b = (int(style.ACTIVITY_COLOURS[Activity.education][i:i + 2], 16) for i in (1, 3, 5))
    assert "yellow for education" in DIAGRAM_KEY and r > 0xe0 and g > 0xe0 and b < 0xc0


def test_booklet_explains_the_short_forms_it_uses_and_only_those():
    p = hostile_pathway()
    p.update_step("sdm", name="Cancer MDT")
    booklet = build_booklet(p)
    words = next(s for s in booklet.sections if s.key == "words")
    labels = words.blocks[0].labels
    assert any(label.startswith("MDT (multidisciplinary team): ") and "specialists" in label for label in labels)
    assert any(label.startswith("GP (") for label in labels)          # "GP referral"
    assert not any(label.startswith(("CGA", "PIFU", "POPS")) for label in labels)
    titles = [s.title for s in booklet.sections]
    assert titles.index("Words you may hear") == titles.index("Who to contact") - 1
    # Explanations are labels, so they never count towards the reading age.
    assert "specialists" not in words.plain_text()


def test_long_overview_list_may_flow_on_instead_of_emptying_a_page():
    from reportlab.platypus import KeepTogether, ListFlowable

    from designer.export.kit import pdf as pdf_kit
    from designer.export.school.pdf import LONG_LIST, booklet_story

    booklet = build_booklet(hostile_pathway())
    overview = next(s for s in booklet.sections if s.key == "when").blocks[0]
    overview.bullets = [f"About {n} weeks before your operation: step {n}" for n in range(20)]
    assert len(overview.bullets) > LONG_LIST
    story = booklet_story(booklet, pdf_kit.styles(12.0), 12.0)
    loose = [f for f in story if isinstance(f, ListFlowable)]
    assert len(loose) == 1 and len(loose[0]._flowables) == 17     # the rest of the list
    kept = [f for f in story if isinstance(f, KeepTogether)]
    assert any(any(isinstance(x, ListFlowable) and len(x._flowables) == 3 for x in k._content)
               for k in kept)


def test_pdf_tables_fit_inside_the_frame_reportlab_lays_out():
    from reportlab.platypus import Frame

    from designer.export.kit import pdf as pdf_kit
    from designer.export.spec.content import build_spec
    from designer.export.spec.pdf import spec_story

    frame = Frame(pdf_kit.MARGIN, 20, pdf_kit.PAGE_WIDTH - 2 * pdf_kit.MARGIN, 700)
    usable = frame._getAvailableWidth()
    p = hostile_pathway()
    story = spec_story(build_spec(p), p, None)
    widths = [sum(f._colWidths) for f in story if hasattr(f, "_colWidths")]
    assert widths and max(widths) <= usable + 0.01
