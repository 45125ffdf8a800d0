"""The board pack as one self-contained HTML file.

Every text is escaped here (markupsafe); charts are our own SVG inside ``<img>``
(a ``data:`` URI, so nothing in them can run); web addresses are links. The
technical appendix is the specification's own HTML, its body placed in the pack.
"""

from __future__ import annotations

import re

from markupsafe import escape

from designer.export.board.blocks import (
    Bullets, Chart, Cover, Heading, Link, PageBreak, Para, Table,
)
from designer.export.board.content import PART_TITLES, BoardContent, trace_intro, trace_table
from designer.export.kit.html import data_uri

_CSS = """
body { font-family: Arial, "Helvetica Neue", sans-serif; color: #212b32; line-height: 1.45;
       margin: 0; background: #f0f4f5; }
main.board { max-width: 60rem; margin: 0 auto; background: #fff; padding: 1.5rem 2rem 3rem; }
.band { background: #005eb8; color: #fff; padding: 1.1rem 1.4rem 1.4rem; margin: 0 0 1.2rem; }
.band p { margin: 0 0 .3rem; font-weight: bold; }
.band h1 { color: #fff; margin: 0; font-size: 2rem; }
h2.part { color: #005eb8; font-size: 1.6rem; border-bottom: 2px solid #005eb8;
          padding-bottom: .2rem; margin-top: 2.2rem; }
h3 { color: #003087; font-size: 1.2rem; margin: 1.3rem 0 .4rem; }
h4 { font-size: 1rem; margin: 1rem 0 .3rem; }
p.lead { font-size: 1.05rem; }
p.small { font-size: .85rem; color: #4c6272; }
table.board { border-collapse: collapse; width: 100%; margin: .4rem 0 1rem; font-size: .9rem; }
table.board th { background: #005eb8; color: #fff; text-align: left; padding: .3rem .45rem; }
table.board td { border-bottom: 1px solid #d8dde0; padding: .3rem .45rem; vertical-align: top; }
table.board tr:nth-child(even) td { background: #f0f4f5; }
table.facts td:first-child { font-weight: bold; width: 25%; }
table.facts th { display: none; }
td a { overflow-wrap: anywhere; }
figure.chart img { width: 100%; height: auto; }
figure.chart figcaption { font-size: .85rem; color: #4c6272; }
nav.contents ol { columns: 2; }
section.appendix { border-top: 3px solid #005eb8; margin-top: 2.5rem; }
@media print {
  body { background: #fff; font-size: 10pt; }
  main.board { padding: 0; }
  .pagebreak { break-before: page; }
  .band { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  table.board th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _runs(runs) -> str:
    out = []
    for r in runs if isinstance(runs, list) else [runs]:
        if isinstance(r, Link):
            out.append(f'<a href="{escape(r.url)}">{escape(r.text)}</a>')
        else:
            out.append(str(escape(r)))
    return "".join(out)


def _block(b) -> str:
    if isinstance(b, Cover):
        return (f'<header class="band"><p>{escape(b.kicker)}</p><h1>{escape(b.title)}</h1>'
                "</header>")
    if isinstance(b, Heading):
        if b.level == 1:
            return f'<h2 class="part" id="{escape(b.anchor)}">{escape(b.text)}</h2>'
        return f"<h{b.level + 1}>{escape(b.text)}</h{b.level + 1}>"
    if isinstance(b, Para):
        cls = f' class="{b.style}"' if b.style else ""
        label = f"<strong>{escape(b.label)}</strong> " if b.label else ""
        body = _runs(b.runs)
        return f"<p{cls}>{label}{body}</p>" if (label or body) else ""
    if isinstance(b, Bullets):
        return "<ul>" + "".join(f"<li>{_runs(i)}</li>" for i in b.items) + "</ul>"
    if isinstance(b, Table):
        facts = b.anchor == "cover-facts"
        head = "" if facts else ("<thead><tr>" + "".join(
            f'<th scope="col">{escape(h)}</th>' for h in b.header) + "</tr></thead>")
        cols = "".join(f'<col style="width:{w * 100:.0f}%">' for w in b.widths)
        body = []
        for i, row in enumerate(b.rows):
            style = ' style="font-weight:bold"' if i in b.emphasis else ""
            body.append(f"<tr{style}>" + "".join(f"<td>{_runs(c)}</td>" for c in row)
                        + "</tr>")
        ident = f' id="{escape(b.anchor)}"' if b.anchor else ""
        cls = "board facts" if facts else "board"
        return (f'<table class="{cls}"{ident}><colgroup>{cols}</colgroup>{head}<tbody>'
                + "".join(body) + "</tbody></table>")
    if isinstance(b, Chart):
        uri = data_uri(b.svg.encode("utf-8"), "image/svg+xml")
        return (f'<figure class="chart"><img src="{uri}" alt="{escape(b.alt)}">'
                f"<figcaption>{escape(b.caption)}</figcaption></figure>")
    if isinstance(b, PageBreak):
        return '<div class="pagebreak"></div>'
    raise TypeError(type(b))


def _spec_parts(pathway, report, spec) -> tuple[str, str]:
    """(style, body) of the specification's own HTML."""
    from designer.export.spec.html import render_spec_html

    html = render_spec_html(spec, pathway, report)
    style = re.search(r"<style>(.*?)</style>", html, re.S)
    body = re.search(r"<main>(.*?)</main>", html, re.S)
    return (style.group(1) if style else "", body.group(1) if body else "")


def render_board_html(content: BoardContent, pathway, report) -> str:
    spec_style, spec_body = _spec_parts(pathway, report, content.spec)
    trace = [Heading(PART_TITLES["trace"], 1, "trace"), Para([trace_intro()]),
             trace_table(content)]
    nav = ('<nav class="contents" aria-label="Contents"><p><strong>Contents</strong></p><ol>'
           + "".join(f'<li><a href="#{escape(a)}">{escape(t)}</a></li>'
                     for a, t in content.contents) + "</ol></nav>")
    blocks = content.blocks
    first = next(i for i, b in enumerate(blocks) if isinstance(b, PageBreak))
    parts = [_block(b) for b in blocks[:first - 1]] + [nav] + [_block(b) for b in blocks[first:]]
    # the specification's own styles apply only inside its section
    scoped = re.sub(r"(^|})\s*([^{}@]+)\{", lambda m: m.group(1) + " " + ", ".join(
        f"section.appendix {s.strip()}" for s in m.group(2).split(",")) + " {",
        _without_media(spec_style))
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="Perioperative Pathway Designer">\n'
        f"<title>{escape(content.title)}: board paper</title>\n"
        f"<style>{_CSS}\n{scoped}</style>\n</head>\n<body>\n<main class=\"board\">\n"
        + "\n".join(p for p in parts if p)
        + f'\n<section class="appendix pagebreak" id="spec"><h2 class="part">'
          f'{escape(PART_TITLES["spec"])}</h2>\n{spec_body}\n</section>\n'
        + '<section class="appendix pagebreak" id="trace-section">'
        + "\n".join(_block(b) for b in trace) + "</section>\n</main>\n</body>\n</html>\n")


def _without_media(css: str) -> str:
    """The specification's CSS without its @media blocks and the page-wide rules."""
    out, depth, skip = [], 0, False
    i = 0
    while i < len(css):
        if css.startswith("@media", i) and depth == 0:
            skip = True
        ch = css[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if skip and depth == 0:
                skip = False
                i += 1
                continue
        if not skip:
            out.append(ch)
        i += 1
    text = "".join(out)
    return re.sub(r"(^|})\s*(html|body|main)\s*\{[^}]*\}", r"\1", text)
