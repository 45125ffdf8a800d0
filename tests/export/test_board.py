"""The board pack: every section present and filled from the model, every number traced.

The traceability test renders each format for ERAS+ and the diabetes exemplar,
extracts the text (HTML text, PDF text with pypdf, Word text with python-docx),
pulls every number out with a regex and checks that each appears in the
appendix "Where each figure comes from". The simulation is shortened here (a few
replications) and passed in, as the GUI passes its last results; the pack's own
run at the file's settings is timed in `make bench`.
"""

from __future__ import annotations

import datetime as dt
import html as htmllib
import re
import zipfile
from pathlib import Path

import pytest

from designer import sim
from designer.export.board import board_content, write_board
from designer.export.board.blocks import numbers_in
from designer.export.board.content import PART_TITLES
from designer.graph.io import load_pathway
from designer.graph.validate import validate

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = {"eras": "eras-plus-colorectal.yaml", "diabetes": "diabetes-preop-clinic.yaml"}
TODAY = dt.date(2026, 3, 14)
DATE_TEXT = "14 March 2026"
TRACE_HEADING = PART_TITLES["trace"]


def _html_text(raw: str) -> str:
    raw = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", raw, flags=re.S)
    raw = re.sub(r"<img[^>]*>", " ", raw)
    return htmllib.unescape(re.sub(r"<[^>]+>", " ", raw))


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def _docx_text(path: Path) -> str:
    import docx

    out = []
    for el in docx.Document(str(path)).element.body.iter():
        if el.tag.endswith("}t") and el.text:
            out.append(el.text)
        elif el.tag.endswith("}p"):
            out.append("\n")
    return "".join(out)


def _without_url_pieces(text: str) -> str:
    """A web address wrapped over lines in a PDF is no figure: drop its pieces."""
    keep = []
    for token in text.split():
        if re.fullmatch(r"\(?\d{4}/\d{2}\)?[,.;:)]*", token):       # 2016/17
            keep.append(token)
        elif "%" in token and re.search(r"%[0-9A-F]{2}", token):
            continue
        elif re.search(r"[A-Za-z]/|/[A-Za-z]|\d\.[a-z]", token):
            continue
        else:
            keep.append(token)
    return " ".join(keep)


@pytest.fixture(scope="module")
def packs(tmp_path_factory):
    out = tmp_path_factory.mktemp("board")
    made = {}
    for key, name in EXEMPLARS.items():
        pathway = load_pathway(LIBRARY / name)
        report = validate(pathway)
        results = sim.run(pathway, scenarios=["before", "after"], replications=3, weeks=26,
                          workers=1)
        content = board_content(pathway, results=results, report=report, workers=1,
                                today=TODAY)
        files = {}
        for fmt in ("html", "pdf", "docx"):
            files[fmt] = write_board(content, pathway, report, fmt, out / f"{key}.{fmt}")
        texts = {"html": _html_text(files["html"].read_text(encoding="utf-8")),
                 "pdf": _pdf_text(files["pdf"]), "docx": _docx_text(files["docx"])}
        made[key] = {"pathway": pathway, "content": content, "files": files, "texts": texts,
                     "results": results}
    return made


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
@pytest.mark.parametrize("key", list(EXEMPLARS))
def test_every_number_is_in_the_trace_table(packs, key, fmt):
    text = packs[key]["texts"][fmt]
    cut = text.rfind(TRACE_HEADING)
    assert cut > 0, "the appendix 'Where each figure comes from' is missing"
    body, trace = text[:cut], text[cut:]
    # the whitelist: page numbers, the cover's date
    body = re.sub(r"Page \d+ of \d+", " ", body).replace(DATE_TEXT, " ")
    if fmt == "pdf":
        body, trace = _without_url_pieces(body), _without_url_pieces(trace)
    traced = set(numbers_in(trace))
    missing = sorted({n for n in numbers_in(body) if n not in traced})
    assert not missing, f"numbers printed but not traced: {missing}"
    assert len(set(numbers_in(body))) > 60       # the pack is full of figures


def test_the_trace_checker_can_fail(packs):
    content = packs["eras"]["content"]
    trace = " ".join(r.figure + " " + r.source for r in content.trace.rows)
    assert "987654" not in numbers_in(trace)
    assert "987654" in numbers_in("a made-up figure of 987,654 bed-days")


@pytest.mark.parametrize("fmt", ["html", "pdf", "docx"])
@pytest.mark.parametrize("key", list(EXEMPLARS))
def test_every_part_is_present_and_filled(packs, key, fmt):
    text = " ".join(packs[key]["texts"][fmt].split())
    pathway = packs[key]["pathway"]
    case = pathway.business_case
    for title in PART_TITLES.values():
        assert title in text, title
    for heading in ("Key figures", "Implications considered", "Standards at stake",
                    "Current performance (as is)", "Options considered", "Costs and benefits",
                    "Sensitivity", "Cost by setting", "Unit costs used",
                    "Cash-releasing and capacity-releasing bed-days",
                    "How the benefits will be measured", "Patient safety",
                    "Clinical effectiveness", "Patient experience", "Results by cohort",
                    "Digital exclusion and communication needs"):
        assert heading in text, heading
    # filled from the model: the business case's own words, the costs' sources and years
    assert " ".join(case.decision.split()) in text
    assert case.sponsor in text
    for option in case.options:
        assert option.name in text
    for risk in case.risks:
        assert risk.owner in text and risk.mitigation[:40] in text
    for cost in pathway.costs:
        assert cost.name in text and cost.year in text
    for cohort in pathway.cohorts:
        assert cohort.name in text
    for setting in pathway.settings:
        assert setting.name in text
    assert "95% interval" in text and "£" in text
    for words in ("Not yet considered", "TODO", "placeholder", "Lorem", "DOMAIN.md source"):
        assert words not in text.split(PART_TITLES["spec"])[0], words


def test_key_figures_match_the_simulation(packs):
    pack = packs["eras"]
    results = pack["results"]
    saving = -results.compare("before", "after", "metrics.cost_per_year")["mean"]
    table = next(b for b in pack["content"].blocks if getattr(b, "anchor", "") == "key-figures")
    cost_row = next(r for r in table.rows if r[0] == "Cost a year")
    shown = float(numbers_in(cost_row[3])[0])
    assert saving > 0 and "saving" in cost_row[3]
    assert abs(shown - saving) / saving < 0.01          # rounded to 3 figures
    bed_row = next(r for r in table.rows if r[0] == "Bed-days a year")
    assert "fewer" in bed_row[3]


def test_sensitivity_moves_the_result_the_right_way(packs):
    runs = packs["eras"]["content"].runs
    rows = {r.key: r for r in runs.sensitivity}
    # a dearer bed-day makes the saving (a negative change) bigger; so do more patients
    assert rows["bed-day-cost"].high < runs.sensitivity_centre < rows["bed-day-cost"].low
    assert rows["arrivals"].high < rows["arrivals"].low
    assert rows["length-of-stay"].high < rows["length-of-stay"].low
    assert rows["cancellation"].not_varied      # ERAS+ draws no cancellation branch


def test_links_in_every_format(packs):
    files = packs["eras"]["files"]
    html = files["html"].read_text(encoding="utf-8")
    assert '<a href="https://www.erasplus.co.uk/HealthProfessionals">' in html
    assert b"/URI (https://www.erasplus.co.uk/HealthProfessionals)" in files["pdf"].read_bytes()
    with zipfile.ZipFile(files["docx"]) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert 'Target="https://www.erasplus.co.uk/HealthProfessionals"' in rels
    assert 'TargetMode="External"' in rels


def test_a_file_without_flow_inputs_says_what_is_missing(tmp_path):
    pathway = load_pathway(LIBRARY / "day-case-lap-chole.yaml")
    content = board_content(pathway, workers=1, today=TODAY)
    text = content.text()
    assert "Missing inputs" in text
    assert "no patient flow inputs" in text
    assert "£" not in text and "95% interval" not in text
    out = write_board(content, pathway, validate(pathway), "html", tmp_path / "p.html")
    assert "Missing inputs" in out.read_text(encoding="utf-8")


def _count_sim_runs(monkeypatch) -> list[list[str]]:
    """The scenarios of each sim.run call made from now on (the runs still happen)."""
    calls: list[list[str]] = []
    real = sim.run

    def counting(pathway, scenarios=None, **kwargs):
        calls.append(list(scenarios or []))
        return real(pathway, scenarios=scenarios, **kwargs)

    monkeypatch.setattr(sim, "run", counting)
    return calls


def test_reused_results_do_not_simulate_the_options_again(packs, monkeypatch):
    pack = packs["diabetes"]
    calls = _count_sim_runs(monkeypatch)
    content = board_content(pack["pathway"], results=pack["results"], workers=1, today=TODAY)
    assert content.runs.reused
    assert all(s.startswith("board-sens-") for call in calls for s in call)


def test_a_second_pack_of_the_same_pathway_and_results_makes_no_new_sensitivity_runs(
        packs, monkeypatch):
    # writing the pack again (another format, from the GUI's results) took the
    # sensitivity runs again: they depend on the pathway alone, so they are made once
    from designer.export import board

    pack = packs["diabetes"]
    calls = _count_sim_runs(monkeypatch)
    board._LAST.clear()
    first = board_content(pack["pathway"], results=pack["results"], workers=1, today=TODAY)
    made = len(calls)
    assert made == 1 and first.runs.sensitivity              # the sensitivity run
    again = board_content(pack["pathway"], results=pack["results"], workers=1, today=TODAY)
    assert len(calls) == made                                # nothing simulated again
    assert again.runs.sensitivity == first.runs.sensitivity
    assert again.runs.sensitivity_centre == first.runs.sensitivity_centre
    changed = pack["pathway"].model_copy(update={"title": "Changed title"})
    board_content(changed, results=pack["results"], workers=1, today=TODAY)
    assert len(calls) == made + 1                            # a changed pathway: run again


def _table_after(content, heading: str):
    from designer.export.board.blocks import Heading, Table

    blocks = content.blocks
    start = next(i for i, b in enumerate(blocks) if isinstance(b, Heading) and b.text == heading)
    return next(b for b in blocks[start:] if isinstance(b, Table))


@pytest.mark.parametrize("key", list(EXEMPLARS))
def test_current_performance_sets_92_percent_against_those_still_waiting(packs, key):
    """The RTT operational standard is that 92% of patients still waiting (incomplete
    pathways) have waited under 18 weeks (registry source pac-waiting-times-2019), so
    the "Current performance" table compares 92% with the simulation's waiting-list
    snapshots (rtt_incomplete_under_18_weeks), and shows the share treated within 18
    weeks only as a different measure, against no standard."""
    from designer.export.board.blocks import plain
    from designer.export.board.content.common import INCOMPLETE_LABEL, TREATED_LABEL
    from designer.graph.sources import get

    assert "92%" in get("pac-waiting-times-2019").facts[0]
    pack = packs[key]
    content, results = pack["content"], pack["results"]
    table = _table_after(content, "Current performance (as is)")
    rows = {plain(r[0]): [plain(c) for c in r] for r in table.rows}
    incomplete = rows[INCOMPLETE_LABEL]
    waiting = results.scenario("before").summary("metrics.rtt_incomplete_under_18_weeks")
    treated = results.scenario("before").summary("metrics.rtt_within_18_weeks")
    assert incomplete[1].startswith(f"{round(waiting['mean'] * 100, 1):g}%")
    assert incomplete[2] == "92%: " + ("met" if waiting["mean"] >= 0.92 else "not met")
    assert rows[TREATED_LABEL][1].startswith(f"{round(treated['mean'] * 100, 1):g}%")
    assert "met" not in rows[TREATED_LABEL][2]
    assert [label for label, r in rows.items() if "92%:" in r[2]] == [INCOMPLETE_LABEL]
    # traced: the figure to the metric and how it is measured, the 92% to its source
    figure = incomplete[1]
    assert any(r.figure == figure and "metrics.rtt_incomplete_under_18_weeks" in r.source
               and "not yet operated on" in r.source for r in content.trace.rows)
    standard = next(r for r in content.trace.rows
                    if r.figure == "92%" and "still waiting" in r.what)
    assert "Public Accounts" in standard.source
