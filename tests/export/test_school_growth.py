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
