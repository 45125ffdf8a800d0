"""The booklet's faster parts (issue 16) give what the plain computations they replace do.

The booklet's build once asked, for each step, every step told before it for a way
in (``_Told.feeder`` now looks at the step's own ways in), searched back from each
loop's target in turn (``_and_before`` now searches from all of them at once), and
python-docx searched the whole body for each new paragraph
(``kit.docx.add_paragraph`` now reads the body's last child). Each is held here to
the plain computation, on every exemplar and on a generated pathway.
"""

from __future__ import annotations

import sys
from pathlib import Path

import networkx as nx
import pytest

from designer.export.school import content
from designer.graph.io import load_pathway

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))


def _pathways():
    for path in sorted((ROOT / "pathway_library").glob("*.yaml")):
        yield pytest.param(load_pathway(path), id=path.stem)
    from generate import make_pathway

    yield pytest.param(make_pathway(200), id="generated-200")
    yield pytest.param(make_pathway(120, seed=3), id="generated-120-seed-3")


PATHWAYS = list(_pathways())


def test_feeder_is_the_last_told_step_leading_in(monkeypatch):
    """Every question ``build_booklet`` asks gets the answer of a scan of all told steps."""
    feeds: set = set()
    asked = answered = 0
    fast = content._Told.feeder

    def checked(self, step_id, part):
        nonlocal asked, answered
        # the former scan: every step told so far, in the order first told
        found = [self.block[s] for s in self.block
                 if (s, step_id) in feeds and self.part[s] == part]
        expected = found[-1] if found else None
        got = fast(self, step_id, part)
        assert got is expected, step_id
        asked += 1
        answered += got is not None
        return got

    monkeypatch.setattr(content._Told, "feeder", checked)
    for param in PATHWAYS:
        pathway = param.values[0]
        feeds = {(t.source, t.target) for t in pathway.transitions}
        content.build_booklet(pathway)
    assert asked > 10 and answered > 5      # not vacuous: questions do join blocks


@pytest.mark.parametrize("pathway", PATHWAYS)
def test_loops_stretch_what_a_search_from_each_loop_target_finds(pathway):
    from designer.graph.network import forward_graph
    from designer.graph.pathway_index import index_for
    from designer.graph.timeline import compute_timeline

    timeline = compute_timeline(pathway)
    stretched, loops = content._loops(pathway, timeline)
    graph = forward_graph(pathway)
    expected: set = set()
    for source, target in index_for(pathway).loop_backs:
        if source in loops and target in graph:
            expected |= nx.ancestors(graph, target) | {target}
    assert stretched == expected - set(loops)


def test_and_before_is_the_union_of_ancestors_on_random_graphs():
    import random

    rng = random.Random(16)
    for _ in range(300):
        n = rng.randint(1, 25)
        graph = nx.gnp_random_graph(n, rng.random() * 0.3, seed=rng.randrange(10**6),
                                    directed=True)
        nodes = rng.sample(list(graph), rng.randint(0, n))
        expected = set(nodes).union(*(nx.ancestors(graph, v) for v in nodes))
        assert content._and_before(graph, nodes) == expected


def test_the_docx_kit_paragraph_is_python_docx_s_own():
    """The same XML as ``doc.add_paragraph`` (text, style, and where it goes)."""
    from designer.export.kit import docx as kit

    ours, theirs = kit.new_document(12), kit.new_document(12)
    texts = ["First", "", "Tab\there, new\nline", "A <b>& 'quoted'</b>", "Last"]
    for doc, add in ((ours, kit.add_paragraph), (theirs, lambda d, t: d.add_paragraph(t))):
        for text in texts:
            add(doc, text)
            add(doc, text).paragraph_format.keep_with_next = True
        doc.add_table(rows=1, cols=2)      # python-docx's own call after ours
        add(doc, "after the table")
    assert ours.element.body.xml == theirs.element.body.xml
    assert ours.element.body[-1].tag.endswith("}sectPr")
    styled = kit.new_document(12)
    kit.add_styled(styled, "Heading", "Heading 1")
    plain = kit.new_document(12)
    plain.add_paragraph("Heading", style="Heading 1")
    assert styled.element.body.xml == plain.element.body.xml


_ACTIVITIES = [None, "referral", "preassessment", "optimisation", "education", "admission",
               "surgery", "inpatient-recovery", "discharge", "follow-up", "waiting-well"]
_PHASES = [None, "contemplation", "preoperative", "intraoperative", "postoperative",
           "recovery"]


def _random_pathways():
    """Small random pathways a booklet is made of: words for the patient on most steps,
    questions for the care team ("Ready?"), loops, parallel ways, a surgery or two."""
    from hypothesis import strategies as st

    from designer.graph.model import Pathway

    @st.composite
    def build(draw):
        n = draw(st.integers(min_value=2, max_value=14))
        steps = []
        for i in range(n):
            kind = "entry" if i == 0 else draw(st.sampled_from(
                ["task", "task", "decision", "decision", "wait", "exit"]))
            question = kind == "decision" and draw(st.booleans())
            steps.append({
                "id": f"s{i}", "name": f"Step {i}" + ("?" if question else ""),
                "kind": kind, "setting": "hospital",
                "owner": draw(st.sampled_from([None, "surgeon", "patient"])),
                "activity": "surgery" if i == n // 2 else draw(st.sampled_from(_ACTIVITIES)),
                "phase": draw(st.sampled_from(_PHASES)),
                "duration_days": draw(st.sampled_from([None, 0, 1, 14])),
                "timing_assumed": draw(st.sampled_from([None, True])),
                "patient_info": draw(st.sampled_from([None, f"About step {i}.",
                                                      f"Step {i} (GP).\n\nMore."]))})
        pairs = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)),
                              min_size=n - 1, max_size=3 * n, unique=True))
        # mostly onwards (a route to surgery with decisions on it), now and then back
        pairs = [(min(a, b), max(a, b)) if draw(st.integers(0, 5)) else (max(a, b), min(a, b))
                 for a, b in pairs if a != b]
        transitions = [{"from": f"s{a}", "to": f"s{b}",
                        "parallel": draw(st.sampled_from([None, None, True])),
                        "wait_days": draw(st.sampled_from([None, 3, 40]))}
                       for a, b in dict.fromkeys(pairs)]
        return Pathway.model_validate({
            "id": "random", "title": "Random", "steps": steps, "transitions": transitions,
            "settings": [{"id": "hospital", "name": "Hospital", "kind": "secondary"}],
            "roles": [{"id": "surgeon", "name": "Surgeon"}, {"id": "patient", "name": "Patient"}]})

    return build()


def test_random_booklets_match_the_plain_computations():
    """On random pathways: each feeder the build asks for, the loop-stretched steps and
    the steps only some patients meet equal their plain computations."""
    from hypothesis import HealthCheck, given, settings

    from designer.graph.branches import avoidable, skippable_steps
    from designer.graph.model import StepKind
    from designer.graph.network import forward_graph
    from designer.graph.pathway_index import index_for
    from designer.graph.timeline import compute_timeline

    fast = content._Told.feeder

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_random_pathways())
    def check(pathway):
        feeds = {(t.source, t.target) for t in pathway.transitions}

        def checked(self, step_id, part):
            found = [self.block[s] for s in self.block
                     if (s, step_id) in feeds and self.part[s] == part]
            got = fast(self, step_id, part)
            assert got is (found[-1] if found else None)
            return got

        content._Told.feeder = checked
        try:
            content.build_booklet(pathway)
        finally:
            content._Told.feeder = fast
        timeline = compute_timeline(pathway)
        graph = forward_graph(pathway)
        stretched, loops = content._loops(pathway, timeline)
        expected: set = set()
        for source, target in index_for(pathway).loop_backs:
            if source in loops and target in graph:
                expected |= nx.ancestors(graph, target) | {target}
        assert stretched == expected - set(loops)
        surgery = timeline.surgery_step
        parallel = {(t.source, t.target) for t in pathway.transitions if t.parallel}
        skippable = skippable_steps(
            graph, [s.id for s in pathway.steps if s.kind == StepKind.decision], surgery) \
            if surgery else set()
        if surgery and parallel:
            entries = index_for(pathway).entries or [
                v for v in graph if not graph.in_degree(v)]
            skippable = {s for s in skippable
                         if avoidable(graph, parallel, entries, surgery, s)}
        assert content._only_on_some_branches(pathway, surgery) == skippable

    check()
