"""Surgery School booklets: formats, order, advice topics, large print, reading check."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.shared import Pt

from designer.export.school import export_school, school_report
from designer.export.school.content import build_booklet, when_label
from designer.graph.model import Activity, Step
from doc_pathways import QUOTED, SCRIPT, hostile_pathway
from pdf_streams import content_streams


@pytest.fixture()
def pathway():
    return hostile_pathway()


class _Html(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.levels: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self.levels.append(int(tag[1]))

    def handle_data(self, data):
        self.text.append(data)


def _html(path):
    parser = _Html()
    parser.feed(path.read_text("utf-8"))
    return parser


# ------------------------------------------------------------------------- content


def test_booklet_follows_the_patient_journey(pathway):
    booklet = build_booklet(pathway)
    titles = [s.title for s in booklet.sections]
    assert titles == ["About this booklet", "What happens and when", "Before your operation",
                      "How to get ready", "The day of your operation", "After your operation",
                      "Going home", "Words you may hear", "Who to contact",
                      "Where this advice comes from"]
    # the advice cites the sources registry: real publishers, never a developer file
    cited = booklet.sections[-1].blocks[0].labels
    assert cited and all("DOMAIN" not in c for c in cited)
    # "Your medicines" cites the RCoA's pre-assessment leaflet, not NICE NG27 (hospital
    # to community transfers), which does not say what to bring or stop before surgery
    assert any("Royal College of Anaesthetists" in c for c in cited)
    assert not any("NG27" in c for c in cited)
    before = next(s for s in booklet.sections if s.key == "before")
    assert [b.heading for b in before.blocks] == ["GP referral", "Shared decision", SCRIPT,
                                                  QUOTED, "Get fitter"]
    assert before.blocks[0].when.endswith(("weeks before your operation",
                                           "months before your operation"))
    day = next(s for s in booklet.sections if s.key == "day")
    assert day.blocks[0].when == "On the day of your operation"
    overview = next(s for s in booklet.sections if s.key == "when").blocks[0].bullets
    # (the first GP is explained where it is first read: "GP (your family doctor)")
    assert overview[0].endswith("referral") and overview[-1].endswith("GP review")


def test_when_labels():
    assert when_label(None) == ""
    assert when_label(0) == "On the day of your operation"
    assert when_label(-1) == "1 day before your operation"
    assert when_label(-42) == "About 6 weeks before your operation"
    assert when_label(3) == "3 days after your operation"
    assert when_label(7) == "About 1 week after your operation"


def test_advice_only_when_relevant(pathway):
    ready = next(s for s in build_booklet(pathway).sections if s.key == "ready")
    headings = [b.heading for b in ready.blocks if b.heading]
    assert headings[0] == "Deciding together"          # the pathway has an SDM step
    assert "Get more active" in headings and "Breathing exercises" in headings
    assert "Your medicines" in headings
    assert "Smoking" not in headings                   # no smoking care in this pathway
    assert "If you have diabetes" not in headings and "Your blood and iron levels" not in headings

    pathway.add_step(Step(id="dsn", name="Diabetes plan", activity=Activity.diabetes_plan,
                          setting="hospital", owner="nurse"))
    ready = next(s for s in build_booklet(pathway).sections if s.key == "ready")
    assert "If you have diabetes" in [b.heading for b in ready.blocks]


# ------------------------------------------------------------------------ formats


def test_html_booklet_escaped_self_contained_and_ordered(pathway, tmp_path):
    report = export_school(pathway, "html", tmp_path / "school.html")
    html = (tmp_path / "school.html").read_text("utf-8")
    page = _html(tmp_path / "school.html")
    assert page.levels[0] == 1 and all(b <= a + 1 for a, b in zip(page.levels, page.levels[1:]))
    text = "".join(page.text)
    assert SCRIPT in text and QUOTED in text
    assert "<script" not in html.lower() and "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert report.path == tmp_path / "school.html"
    assert "font-size: 12.0pt" in html


def _css_body_sizes(html: str) -> list[float]:
    return [float(v) for v in re.findall(r"(?:body|p, li)\s*\{[^}]*font-size:\s*([\d.]+)pt", html)]


def test_large_print_html_is_at_least_16pt(pathway, tmp_path):
    export_school(pathway, "html", tmp_path / "lp.html", large_print=True)
    html = (tmp_path / "lp.html").read_text("utf-8")
    sizes = _css_body_sizes(html)
    assert sizes and min(sizes) >= 16
    assert 'class="large-print"' in html


def _pdf_font_sizes(data: bytes) -> list[float]:
    sizes = []
    for raw in content_streams(data):
        sizes += [float(s) for s in re.findall(rb"/F\S+ ([\d.]+) Tf", raw)]
    return sizes


@pytest.mark.parametrize("large, body", [(False, 12.0), (True, 16.0)])
def test_pdf_booklet_body_size(pathway, tmp_path, large, body):
    export_school(pathway, "pdf", tmp_path / "b.pdf", large_print=large)
    data = (tmp_path / "b.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    sizes = _pdf_font_sizes(data)
    # Body text is the most common size; footers are the only smaller text.
    assert max(set(sizes), key=sizes.count) == body
    if large:
        assert len(re.findall(rb"/Type /Page[^s]", data)) > 1


@pytest.mark.parametrize("large, body", [(False, 12.0), (True, 16.0)])
def test_docx_booklet_headings_and_size(pathway, tmp_path, large, body):
    export_school(pathway, "docx", tmp_path / "b.docx", large_print=large)
    doc = Document(str(tmp_path / "b.docx"))
    assert doc.styles["Normal"].font.size == Pt(body)
    assert doc.styles["List Bullet"].font.size == Pt(body)
    h1 = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert h1[0] == "About this booklet" and "Who to contact" in h1
    h2 = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert SCRIPT in h2 and QUOTED in h2
    explicit = [r.font.size for p in doc.paragraphs for r in p.runs if r.font.size]
    assert all(size >= Pt(body) for size in explicit)


def test_unknown_format_is_refused(pathway, tmp_path):
    with pytest.raises(ValueError, match="Unknown Surgery School format 'md'"):
        export_school(pathway, "md", tmp_path / "x.md")
    assert not list(tmp_path.iterdir())


# ----------------------------------------------------------------- reading report


def test_report_without_a_file(pathway):
    report = school_report(pathway)
    assert report.path is None
    assert [s.title for s in report.sections][0] == "About this booklet"
    assert all(s.reading_age >= 0 for s in report.sections)
    assert 5 <= report.overall_reading_age <= 14
    data = report.to_json()
    assert data["sections"][0]["title"] == "About this booklet"
    assert "Overall reading age" in report.to_text()


def test_hard_section_gives_warning_and_long_sentences(pathway):
    hard = ("The multidisciplinary perioperative team will undertake comprehensive "
            "physiological optimisation, pharmacological rationalisation and "
            "individualised anaesthetic consideration, incorporating cardiopulmonary "
            "exercise testing where clinically indicated.")
    pathway.update_step("ward", patient_info=hard)
    report = school_report(pathway)
    after = next(s for s in report.sections if s.title == "After your operation")
    assert after.reading_age > 11 and after.too_hard
    assert after.long_sentences == [hard]
    assert any("After your operation" in w and "above the NHS aim" in w for w in report.warnings)
    easy = next(s for s in report.sections if s.title == "About this booklet")
    assert not easy.too_hard and not easy.long_sentences


def test_plain_booklet_has_no_warnings(pathway):
    for step in pathway.steps:
        pathway.update_step(step.id, patient_info="You come to see us. We check how you are.")
    report = school_report(pathway)
    assert report.warnings == []


def test_day_surgery_gets_no_chest_bundle(pathway):
    from designer.graph.model import Transition

    for key in ("surgery->ward", "ward->discharge"):
        pathway.remove_transition(key)
    pathway.remove_step("ward")
    pathway.add_transition(Transition(source="surgery", target="discharge"))
    pathway.update_step("surgery", duration_days=0)
    pathway.update_step("prehab", activity=Activity.waiting_well)
    ready = next(s for s in build_booklet(pathway).sections if s.key == "ready")
    headings = [b.heading for b in ready.blocks if b.heading]
    assert "Breathing exercises" not in headings and "Get more active" not in headings
    # no step deals with smoking or alcohol, so neither topic is shown
    assert "Alcohol" not in headings and "Smoking" not in headings
    pathway.update_step("prehab", patient_info="We help you stop smoking before surgery.")
    ready = next(s for s in build_booklet(pathway).sections if s.key == "ready")
    assert "Smoking" in [b.heading for b in ready.blocks]
    assert "Alcohol" not in [b.heading for b in ready.blocks]
