"""Issue 14: the printed HTML booklet never strands a heading, a list's opening line,
a list's last item or the lines to fill in at a page break; axe-core finds nothing.

Two kinds of check. Always: the structure the print rules act on, read from the
written HTML with a parser (each heading and the first thing it introduces inside
one ``break-inside: avoid`` wrapper; a line that introduces a list or the lines to
fill in marked to stay with it; a list kept as one list). When Chromium and
poppler are installed: every page of real prints (standard and large print), read
back with ``pdftotext -layout`` and compared with the booklet's own text, which is
the truth of what a heading, a list or a form line is. When axe-core (npm) is found
too: 0 violations on the booklet page.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from designer.export.school import export_school
from designer.export.school.content import build_booklet
from designer.graph.io import load_pathway
from page_check import page_lines, strands

LIBRARY = Path(__file__).resolve().parents[2] / "pathway_library"
EXEMPLARS = sorted(LIBRARY.glob("*.yaml"))


# ------------------------------------------------------------------ the written HTML


class Node:
    def __init__(self, tag: str, attrs: dict, parent: "Node | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def elements(self) -> list["Node"]:
        return [c for c in self.children if isinstance(c, Node)]

    def text(self) -> str:
        return " ".join(" ".join(c.text() if isinstance(c, Node) else c
                                 for c in self.children).split())

    def walk(self):
        yield self
        for child in self.elements():
            yield from child.walk()

    def inside(self, cls: str) -> "Node | None":
        node = self.parent
        while node is not None and cls not in node.classes:
            node = node.parent
        return node


class _Tree(HTMLParser):
    VOID = {"meta", "br", "img", "hr", "link", "input"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.at = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.at)
        self.at.children.append(node)
        if tag not in self.VOID:
            self.at = node

    def handle_endtag(self, tag):
        node = self.at
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.at = node.parent

    def handle_data(self, data):
        self.at.children.append(data)


def parse(text: str) -> Node:
    tree = _Tree()
    tree.feed(text)
    return tree.root


def _print_css(page: str) -> str:
    css = "".join(re.findall(r"<style>(.*?)</style>", page, re.S))
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    return "".join(re.findall(r"@media print\s*\{(.*)\}", css, re.S)) or ""


def _rule(css: str, selector_part: str) -> str:
    """The declarations of every rule whose selector list names ``selector_part``."""
    found = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector_part in [s.strip() for s in selectors.split(",")]:
            found.append(body)
    return " ".join(found)


def _written(path: Path, tmp_path: Path, large: bool) -> str:
    out = tmp_path / f"{path.stem}{'-lp' if large else ''}.html"
    export_school(load_pathway(path), "html", out, large_print=large)
    return out.read_text("utf-8")


@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_the_print_rules_keep_headings_list_openings_and_form_lines(tmp_path, large):
    page = _written(LIBRARY / "diabetes-preop-clinic.yaml", tmp_path, large)
    css = _print_css(page)
    assert "avoid" in _rule(css, ".keep") and "break-inside" in _rule(css, ".keep")
    for selector in ("h2", "h3", ".when", ".lead"):
        assert re.search(r"break-after:\s*avoid", _rule(css, selector)), selector
    # one list item never stands alone at the foot or the top of a page
    assert re.search(r"break-after:\s*avoid", _rule(css, "li:first-child"))
    assert re.search(r"break-before:\s*avoid", _rule(css, "li:last-child"))
    assert re.search(r"break-inside:\s*avoid", _rule(css, "li"))
    # the closing note goes with the end of the booklet, never alone on a page
    assert re.search(r"break-before:\s*avoid", _rule(css, "footer"))


@pytest.mark.parametrize("path", EXEMPLARS, ids=lambda p: p.stem)
def test_every_heading_list_opening_and_form_is_held_together(path, tmp_path):
    booklet = build_booklet(load_pathway(path))
    root = parse(_written(path, tmp_path, large=False))
    body = next(n for n in root.walk() if n.tag == "main")
    # each heading and "when" line shares a keep wrapper with the first text it introduces
    for node in body.walk():
        if node.tag in ("h2", "h3") or "when" in node.classes:
            keep = node.inside("keep")
            assert keep is not None, node.text()
            after = keep.elements()[keep.elements().index(node) + 1:] if node.parent is keep \
                else []
            assert any(n.tag in ("p", "ul") and "when" not in n.classes for n in after), \
                node.text()
    # a line that opens a list or the lines to fill in is marked to stay with it
    for node in body.walk():
        siblings = node.elements()
        for this, nxt in zip(siblings, siblings[1:]):
            if nxt.tag == "ul" or "form-lines" in nxt.classes:
                assert this.tag != "p" or "lead" in this.classes, this.text()
        if node.tag == "div" and "keep" in node.classes and node.elements():
            last = node.elements()[-1]
            following = node.parent.elements()
            after = following[following.index(node) + 1:following.index(node) + 2]
            if after and (after[0].tag == "ul" or "form-lines" in after[0].classes):
                assert "lead" in last.classes or last.tag == "ul", last.text()
    # the lines to fill in stay together, with the sentence that asks for them
    forms = [n for n in body.walk() if "form-lines" in n.classes]
    expected = [b for s in booklet.sections for b in s.blocks if b.form_lines]
    assert len(forms) == len(expected)
    for node, block in zip(forms, expected):
        assert [p.text() for p in node.elements()] == block.form_lines
        holder = node if "keep" in node.classes else node.inside("keep")
        assert holder is not None
        assert block.paragraphs[-1] in holder.text() or "lead" in _previous(node).classes
    # every block's bullets are one list (a list split in two reads as two lists)
    lists = [[li.text() for li in n.elements()] for n in body.walk() if n.tag == "ul"]
    for section in booklet.sections:
        for block in section.blocks:
            for items in (block.bullets, block.labels):
                if items:
                    assert [html_lib.unescape(i) for i in items] in lists, items[:2]


def _previous(node: Node) -> Node:
    siblings = node.parent.elements()
    return siblings[siblings.index(node) - 1]


# ------------------------------------------------------------- real prints (Chromium)


def _chromium() -> str | None:
    for name in (os.environ.get("CHROMIUM", ""), "chromium", "chromium-browser",
                 "google-chrome", "google-chrome-stable"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


needs_print = pytest.mark.skipif(_chromium() is None or shutil.which("pdftotext") is None,
                                 reason="headless Chromium and poppler's pdftotext are needed")


def print_to_pdf(page: Path, pdf: Path) -> None:
    subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=180, check=True)
    assert pdf.exists() and pdf.stat().st_size > 0




@needs_print
@pytest.mark.parametrize("name", ["frailty-hip-pops", "diabetes-preop-clinic",
                                  "day-case-lap-chole", "prehab4cancer"])
@pytest.mark.parametrize("large", [False, True], ids=["standard", "large-print"])
def test_printed_pages_strand_nothing(name, large, tmp_path):
    path = LIBRARY / f"{name}.yaml"
    page = tmp_path / "booklet.html"
    page.write_text(_written(path, tmp_path, large), "utf-8")
    pdf = tmp_path / "booklet.pdf"
    print_to_pdf(page, pdf)
    pages = page_lines(pdf)
    assert len(pages) >= 5
    assert strands(build_booklet(load_pathway(path)), pages) == []


def test_the_strand_finder_sees_a_stranded_heading_list_item_and_form():
    """The checker itself, on pages made up to hold each of its five faults once."""
    booklet = build_booklet(load_pathway(LIBRARY / "diabetes-preop-clinic.yaml"))
    overview = next(s for s in booklet.sections if s.key == "when").blocks[0].bullets
    contact = next(s for s in booklet.sections if s.key == "contact").blocks[0]
    pages = [["About this booklet", "Text.", "Before your operation"],
             ["Seeing your GP", "Text.", overview[0]],
             [overview[-1], "Text.", contact.paragraphs[-1][-40:]],
             [contact.form_lines[0], "More text here.", "And more."]]
    found = strands(booklet, pages)
    assert len(found) == 5, found      # heading, first item, last item, opening line, form
    assert strands(booklet, [["About this booklet", "Text."], ["Seeing your GP", "Text."]]) == []


# ------------------------------------------------------------------------- axe-core


def _axe_core() -> Path | None:
    places = [os.environ.get("AXE_CORE_JS", "")]
    here = Path(__file__).resolve()
    for folder in (here.parents[2] / "benchmarks", here.parents[2], here.parents[3] / "node",
                   here.parents[2] / "node"):
        places.append(str(folder / "node_modules" / "axe-core" / "axe.min.js"))
    if shutil.which("npm"):
        try:
            root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
            places.append(str(Path(root) / "axe-core" / "axe.min.js"))
        except (OSError, subprocess.SubprocessError):
            pass
    return next((Path(p) for p in places if p and Path(p).is_file()), None)


_AXE_RUN = """<script>%s</script><script>
axe.run(document).then(function (r) {
  var out = document.createElement('pre'); out.id = 'axe-result';
  out.textContent = JSON.stringify(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) {
      return n.target.join(' '); })}; }));
  document.body.appendChild(out);
});</script>"""


def axe_violations(page_html: str, folder: Path, axe_js: Path) -> list[dict]:
    """axe-core's violations (its default rule set) on ``page_html`` in headless Chromium."""
    page = folder / "axe.html"
    page.write_text(page_html.replace("</body>", _AXE_RUN % axe_js.read_text("utf-8")
                                      + "</body>"), "utf-8")
    dom = subprocess.run([_chromium(), "--headless", "--no-sandbox", "--disable-gpu",
                          "--virtual-time-budget=30000", "--dump-dom", page.as_uri()],
                         capture_output=True, text=True, timeout=180).stdout
    found = re.search(r'<pre id="axe-result">(.*?)</pre>', dom, re.S)
    assert found, "axe-core did not report"
    return json.loads(html_lib.unescape(found.group(1)))


@pytest.mark.skipif(_chromium() is None or _axe_core() is None,
                    reason="headless Chromium and axe-core (npm) are needed")
def test_axe_core_finds_no_violation_and_would_see_one(tmp_path):
    axe_js = _axe_core()
    for name, large in (("frailty-hip-pops", True), ("diabetes-preop-clinic", False)):
        page = _written(LIBRARY / f"{name}.yaml", tmp_path, large)
        assert axe_violations(page, tmp_path, axe_js) == [], name
    broken = page.replace("<main>", '<main><img src="x.png">', 1)
    assert [v["id"] for v in axe_violations(broken, tmp_path, axe_js)] == ["image-alt"]
