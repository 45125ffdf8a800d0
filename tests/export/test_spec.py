"""The board specification in HTML, PDF, DOCX and Markdown."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from designer.export.kit.pdf import plain_for_font as pdf_plain
from designer.export.kit.pdf import styles as pdf_styles
from designer.export.spec import ExportError, export_spec, spec_content
from designer.graph.validate import validate
from doc_pathways import IMG, QUOTED, SCRIPT, chain_pathway, hostile_pathway
from pdf_streams import content_streams

TODAY = dt.date(2026, 3, 14)


@pytest.fixture(scope="module")
def pathway():
    return hostile_pathway()


class _Html(HTMLParser):
    """Collects headings, tables and text of an HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.headings: list[tuple[int, str]] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._heading: list | None = None
        self.tables = 0
        self.captions = 0
        self.th_scopes: list[str | None] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), ""]
        elif tag == "table":
            self.tables += 1
        elif tag == "caption":
            self.captions += 1
        elif tag == "th":
            self.th_scopes.append(attrs.get("scope"))

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((self._heading[0], self._heading[1].strip()))
            self._heading = None

    def handle_data(self, data):
        self.text.append(data)
        if self._heading is not None:
            self._heading[1] += data


def _parse(path: Path) -> _Html:
    parser = _Html()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def _assert_self_contained(html: str):
    # nothing is fetched: no remote source; a web address is only ever a link (<a href>)
    assert not re.search(r"""src\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert not re.search(r"""<(?!a\s)[^>]*\bhref\s*=\s*["']?\s*(https?:)?//""", html, re.I)
    assert "@import" not in html and not re.search(r"url\(\s*['\"]?https?:", html, re.I)
    assert "<script" not in html.lower()
    assert "<link" not in html.lower()


# --------------------------------------------------------------------------- HTML


def test_html_structure_headings_tables_and_self_contained(pathway, tmp_path):
    out = export_spec(pathway, "html", tmp_path / "spec.html", today=TODAY)
    html = out.read_text(encoding="utf-8")
    page = _parse(out)
    levels = [level for level, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level jumps: {page.headings}"
    titles = [t for _, t in page.headings]
    for section in ("Summary and population", "Pathway diagram", "Steps by phase",
                    "Handoffs between settings", "Timeline and critical path",
                    "Validation summary", "Evidence and outcomes", "Roles and settings",
                    "Glossary of abbreviations"):
        assert section in titles
    assert page.tables >= 6 and page.captions == page.tables
    assert all(scope in ("col", "row") for scope in page.th_scopes)
    _assert_self_contained(html)
    # the diagram is embedded, not linked
    images = [a for tag, a in page.tags if tag == "img"]
    assert images and all(a["src"].startswith("data:image/") and a.get("alt") for a in images)
    assert "@media print" in html


def test_html_escapes_pathway_text(pathway, tmp_path):
    out = export_spec(pathway, "html", tmp_path / "spec.html", today=TODAY)
    html = out.read_text(encoding="utf-8")
    text = "".join(_parse(out).text)
    assert SCRIPT in text and QUOTED in text and IMG in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html
    assert "A &amp; B &#34;quoted&#34;" in html or "A &amp; B &quot;quoted&quot;" in html


def test_html_content_cover_handoffs_waivers_glossary(pathway, tmp_path):
    text = "".join(_parse(export_spec(pathway, "html", tmp_path / "s.html", today=TODAY)).text)
    for expected in ("14 March 2026", "2.0.0", "Draft", "Example ICS", "eras-plus, version 1.0.0",
                     "Adults | having surgery", "General practitioner \u2192 Surgeon",
                     "medicines list; diagnosis", "within 14 days", "Agreed at workshop",
                     "Weak: Non-UK source", "https://example.org/a", "T0", "T-",
                     "Shared decision making", "SNOMED CT", "Hospital | main site"):
        assert expected in text, expected
    # glossary lists only terms in the text: HbA1c yes, POPS no
    assert "Glycated haemoglobin" in text
    assert "Proactive care of Older People" not in text


# --------------------------------------------------------------------------- PDF


def _pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", data))


def _pdf_text_streams(data: bytes) -> bytes:
    """Page content streams, decoded (reportlab writes ASCII85 over Flate)."""
    return b"".join(content_streams(data, keep_undecoded=True))


def test_pdf_is_a4_with_page_numbers_and_repeating_headers(pathway, tmp_path):
    out = export_spec(pathway, "pdf", tmp_path / "spec.pdf", today=TODAY)
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data
    assert _pdf_pages(data) > 1
    from designer.export.spec.content import build_spec
    from designer.export.spec.pdf import spec_story
    from reportlab.platypus import Table

    story = spec_story(build_spec(pathway, today=TODAY), pathway, validate(pathway))
    def is_data_table(flowable):
        first = flowable._cellvalues[0] if isinstance(flowable, Table) else []
        return bool(first) and all(getattr(getattr(c, "style", None), "name", "") == "cellhead"
                                   for c in first)

    tables = [f for f in story if is_data_table(f)]
    assert len(tables) >= 6
    assert all(t.repeatRows == 1 for t in tables)


def test_pdf_page_footer_says_page_n_of_m(tmp_path):
    # A built-in font keeps the text readable in the content stream for this check.
    from designer.export.kit import pdf as pdf_kit

    saved = pdf_kit._registered
    pdf_kit._registered = ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique")
    try:
        out = export_spec(chain_pathway(40), "pdf", tmp_path / "big.pdf", today=TODAY)
    finally:
        pdf_kit._registered = saved
    data = out.read_bytes()
    pages = _pdf_pages(data)
    assert pages > 3
    streams = _pdf_text_streams(data)
    assert f"(Page 1 of {pages})".encode() in streams
    assert f"(Page {pages} of {pages})".encode() in streams


def test_pdf_escapes_pathway_text_in_paragraphs(pathway):
    from reportlab.platypus import Paragraph

    from designer.export.spec.content import build_spec
    from designer.export.spec.pdf import spec_story

    story = spec_story(build_spec(pathway, today=TODAY), pathway, validate(pathway))
    texts = []

    def walk(flowable):
        if isinstance(flowable, Paragraph):
            texts.append(flowable.getPlainText())
        for row in getattr(flowable, "_cellvalues", []):
            for cell in row:
                walk(cell)
        for inner in getattr(flowable, "_content", []) or []:
            walk(inner)

    for flowable in story:
        walk(flowable)
    joined = "\n".join(texts)
    assert SCRIPT in joined and QUOTED in joined and IMG in joined


def test_big_pathway_pdf_has_many_pages(tmp_path):
    out = export_spec(chain_pathway(80), "pdf", tmp_path / "big.pdf", today=TODAY)
    assert _pdf_pages(out.read_bytes()) >= 8


# --------------------------------------------------------------------------- DOCX


def test_docx_headings_tables_header_repeat_images_and_escaping(pathway, tmp_path):
    out = export_spec(pathway, "docx", tmp_path / "spec.docx", today=TODAY)
    doc = Document(str(out))
    styles = [(p.style.name, p.text) for p in doc.paragraphs]
    assert ("Title", pathway.title) in styles
    h1 = [t for s, t in styles if s == "Heading 1"]
    h2 = [t for s, t in styles if s == "Heading 2"]
    assert "Steps by phase" in h1 and "Handoffs between settings" in h1
    assert "Before surgery (preoperative)" in h2
    assert len(doc.tables) >= 7
    for table in doc.tables[1:]:        # the first is the cover's facts table
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.xpath("./w:tblHeader"), "header row must repeat"
    assert len(doc.inline_shapes) >= 2          # diagram and timeline chart
    cells = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert SCRIPT in cells and QUOTED in cells
    footer_xml = doc.sections[0].footer._element.xml
    assert "NUMPAGES" in footer_xml and "PAGE" in footer_xml
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297


# --------------------------------------------------------------------------- Markdown


def test_markdown_tables_and_escaping(pathway, tmp_path):
    md = export_spec(pathway, "md", tmp_path / "spec.md", today=TODAY).read_text("utf-8")
    assert md.startswith("# Test pathway")
    assert "| Step | Setting | Owner | Timing | Description |" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "<script" not in md and "<img" not in md
    assert "Hospital \\| main site" in md          # a pipe cannot break the table
    for line in md.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            cells = re.split(r"(?<!\\)\|", line)
            assert len(cells) >= 3, line
    assert "## Glossary of abbreviations" in md


# ------------------------------------------------------------------- all formats


class _Diff:
    def rows(self):
        return [{"change": "changed", "subject": "Step GP referral", "field": "duration_days",
                 "old": "1", "new": f"2 {SCRIPT}"}]


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_every_format_written_with_diff_appendix(pathway, tmp_path, fmt):
    out = export_spec(pathway, fmt, tmp_path / f"spec.{fmt}", diff=_Diff(), today=TODAY)
    assert out.exists() and out.stat().st_size > 1000
    assert [p.name for p in tmp_path.iterdir()] == [f"spec.{fmt}"]   # no temporary left
    if fmt in ("html", "md"):
        assert "Appendix: changes from the earlier version" in out.read_text("utf-8")
    if fmt == "docx":
        headings = [p.text for p in Document(str(out)).paragraphs
                    if p.style.name == "Heading 1"]
        assert "Appendix: changes from the earlier version" in headings


def test_given_report_is_used_instead_of_validating(pathway, tmp_path):
    report = validate(pathway)
    finding = type(report.waived[0])(rule="custom-rule", severity="error",
                                     message="A message only this report has.",
                                     targets=("sdm",), pack="core", title="Custom rule",
                                     waived_reason=None)
    report.findings.insert(0, finding)
    html = export_spec(pathway, "html", tmp_path / "s.html", report=report).read_text("utf-8")
    assert "A message only this report has." in html
    assert "not ready for approval" in html


def test_content_follows_the_patient_journey(pathway):
    content = spec_content(pathway)
    names = [s.name for g in content.phases for s in g.steps]
    assert names[:2] == ["GP referral", "Shared decision"]
    assert [g.title for g in content.phases][0] == "Contemplation of surgery"
    assert content.surgery_step == "Operation"
    incomplete = [h for h in content.handoffs if not h.complete]
    assert [h.key for h in incomplete] == ["school->prehab"]


def test_bad_format_and_missing_folder_give_clear_errors(pathway, tmp_path):
    with pytest.raises(ValueError, match="Unknown specification format 'odt'"):
        export_spec(pathway, "odt", tmp_path / "x.odt")
    with pytest.raises(ExportError, match="does not exist"):
        export_spec(pathway, "md", tmp_path / "missing" / "x.md")


def test_library_exemplar_exports_in_every_format(tmp_path):
    from designer.graph.io import load_pathway

    source = Path(__file__).resolve().parents[2] / "pathway_library" / "eras-plus-colorectal.yaml"
    copy = tmp_path / "eras.yaml"
    copy.write_bytes(source.read_bytes())
    pathway = load_pathway(copy)
    for fmt in ("html", "pdf", "docx", "md"):
        export_spec(pathway, fmt, tmp_path / f"eras.{fmt}")
    assert load_pathway(copy).content_equal(pathway)     # the pathway file is untouched
    md = (tmp_path / "eras.md").read_text("utf-8")
    assert "Surgery School" in md and "ERAS" in md


def test_appendix_from_a_real_pathway_diff(pathway, tmp_path):
    from designer.graph.diff import diff_pathways

    changed = pathway.model_copy(deep=True)
    changed.update_step("referral", duration_days=5)
    md = export_spec(changed, "md", tmp_path / "d.md", diff=diff_pathways(pathway, changed),
                     today=TODAY).read_text("utf-8")
    appendix = md.split("## Appendix: changes from the earlier version", 1)[1]
    assert "| Changed | GP referral |" in appendix and "| 1 | 5 |" in appendix


def test_pdf_text_without_unicode_font_falls_back_to_look_alikes(monkeypatch):
    from designer.export.kit import pdf as pdf_kit

    monkeypatch.setattr(pdf_kit, "_registered", ("Helvetica", "Helvetica-Bold",
                                                 "Helvetica-Oblique"))
    assert pdf_kit.esc("GP \u2192 nurse, HbA1c \u2265 69 <b>\u4e2d") == \
        "GP -&gt; nurse, HbA1c &gt;= 69 &lt;b&gt;?"
    monkeypatch.setattr(pdf_kit, "_registered", ("DejaVuSans", "DejaVuSans-Bold",
                                                 "DejaVuSans-Italic"))
    assert pdf_kit.esc("GP \u2192 nurse") == "GP \u2192 nurse"


_NAMES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")),
                 min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_NAMES)
def test_any_step_name_survives_every_text_format(name):
    from designer.export.spec.html import render_spec_html
    from designer.export.spec.md import md_escape, render_spec_md
    from designer.export.kit.pdf import esc
    from reportlab.platypus import Paragraph

    pathway = hostile_pathway()
    pathway.update_step("sdm", name=name)
    content = spec_content(pathway)
    parser = _Html()
    parser.feed(render_spec_html(content, pathway, validate(pathway)))
    assert name in "".join(parser.text)
    assert md_escape(name) in render_spec_md(content)
    # PDF paragraphs collapse runs of white space, as HTML does.
    plain = Paragraph(esc(name), pdf_styles()["cell"]).getPlainText()
    assert " ".join(plain.split()) == " ".join(pdf_plain(name).split())


def test_validation_section_reports_patient_reading_age(pathway, tmp_path):
    md = export_spec(pathway, "md", tmp_path / "r.md", today=TODAY).read_text("utf-8")
    assert "Surgery School booklet built from this pathway has a reading age of" in md
    bare = pathway.model_copy(deep=True)
    for step in bare.steps:
        bare.update_step(step.id, patient_info=None)
    assert "no Surgery School booklet to check" in spec_content(bare).patient_reading


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx", "md"])
def test_rule_overrides_are_listed_with_their_reasons(tmp_path, fmt):
    from designer.graph.io import load_pathway
    from designer.library import builtin_folder

    pathway = load_pathway(builtin_folder() / "anaemia-optimisation.yaml")
    pathway.update_header(rule_config={
        "missing-phase": {"level": "info", "reason": "A scoped anaemia clinic service"},
        "vte-plan": "off"})
    content = spec_content(pathway)
    assert content.rule_overrides == [
        {"rule": "A phase with no step", "setting": "Info", "default": "Warning",
         "reason": "A scoped anaemia clinic service"},
        {"rule": "Inpatient surgery without a VTE risk assessment, or extended prophylaxis "
                 "not handed over at discharge", "setting": "Switched off",
         "default": "Warning", "reason": "No reason recorded"}]
    out = export_spec(pathway, fmt, tmp_path / f"spec.{fmt}", today=TODAY)
    if fmt == "docx":
        doc = Document(str(out))
        text = "\n".join(p.text for p in doc.paragraphs)
        text += "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    elif fmt == "pdf":
        text = " ".join(s.decode("latin-1") for s in content_streams(out.read_bytes()))
    else:
        text = out.read_text(encoding="utf-8")
    assert "Rule settings for this pathway" in text or fmt == "pdf"
    assert "scoped anaemia clinic" in text


def test_evidence_cites_the_sources_registry():
    from designer.graph.io import load_pathway
    from designer.library import builtin_folder

    pathway = load_pathway(builtin_folder() / "eras-plus-colorectal.yaml")
    sources = [e["source"] for e in spec_content(pathway).evidence]
    assert ("National Institute for Health and Care Excellence (NICE). Perioperative care in "
            "adults (NG180) (2020).") in " ".join(sources)
    assert not any("DOMAIN" in s for s in sources)


def test_evidence_addresses_are_links_in_html_pdf_and_word(tmp_path):
    """Issue 12: evidence URLs are links in every format; a missing service level names
    its finding instead of a silent 'Not set'."""
    import zipfile

    from designer.export.spec import export_spec
    from designer.graph.io import load_pathway

    root = Path(__file__).resolve().parents[2]
    pathway = load_pathway(root / "pathway_library" / "eras-plus-colorectal.yaml")
    url = "https://www.erasplus.co.uk/HealthProfessionals"
    html = export_spec(pathway, "html", tmp_path / "s.html").read_text(encoding="utf-8")
    assert f'<a href="{url}">' in html
    pdf = export_spec(pathway, "pdf", tmp_path / "s.pdf").read_bytes()
    assert f"/URI ({url})".encode() in pdf
    with zipfile.ZipFile(export_spec(pathway, "docx", tmp_path / "s.docx")) as z:
        assert f'Target="{url}"' in z.read("word/_rels/document.xml.rels").decode()


def test_a_handoff_without_service_level_points_to_its_finding():
    from designer.export.spec import spec_content
    from designer.graph.io import load_pathway

    root = Path(__file__).resolve().parents[2]
    pathway = load_pathway(root / "pathway_library" / "eras-plus-colorectal.yaml")
    with_handoff = next(t for t in pathway.transitions if t.handoff is not None)
    pathway.update_transition(with_handoff.key, handoff=with_handoff.handoff.model_copy(
        update={"within_days": None}))
    content = spec_content(pathway)
    row = next(h for h in content.handoffs if h.key == with_handoff.key)
    assert row.service_level == "Not set (see the validation findings)"
    assert any(f.rule == "handoff-without-service-level" for f in content.findings)
