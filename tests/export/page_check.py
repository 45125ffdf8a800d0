"""Reading printed pages back: which page break strands what (for the booklet tests).

``page_lines`` reads a PDF with poppler's ``pdftotext -layout``; ``strands`` compares
each page break with the booklet's own text (the truth of what is a heading, the
sentence opening a list, a list's first or last item, a line to fill in).
"""

from __future__ import annotations

import html as html_lib
import subprocess
from pathlib import Path


def page_lines(pdf: Path) -> list[list[str]]:
    """The non-blank lines of each page, as ``pdftotext -layout`` reads them."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    pages = text.split("\f")
    if pages and not pages[-1].strip():
        pages = pages[:-1]
    return [[" ".join(line.replace("\u2022", " ").split()) for line in p.splitlines()
             if line.strip()] for p in pages]


def _is_end_of(line: str, texts: set[str]) -> bool:
    """``line`` is the last printed line of one of ``texts`` (which may wrap)."""
    return any(t.endswith(line) and (line == t or len(line) >= 12 or " " not in t)
               for t in texts)


def _is_start_of(line: str, texts: set[str]) -> bool:
    return any(t.startswith(line) and (line == t or len(line) >= 12) for t in texts)


def strands(booklet, pages: list[list[str]]) -> list[str]:
    """Every page break that leaves a heading, an opening line, a lone list item or
    the lines to fill in apart from what they belong with."""
    clean = lambda t: " ".join(html_lib.unescape(t).split())        # noqa: E731
    headings = {clean(s.title) for s in booklet.sections}
    headings |= {clean(b.heading) for s in booklet.sections for b in s.blocks if b.heading}
    headings |= {clean(b.when) for s in booklet.sections for b in s.blocks if b.when}
    openers, firsts, lasts, body = set(), set(), set(), set()
    for s in booklet.sections:
        for b in s.blocks:
            body |= {clean(t) for t in b.paragraphs + b.bullets + b.labels}
            items = b.bullets + b.labels
            if b.paragraphs and (items or b.form_lines):
                openers.add(clean(b.paragraphs[-1]))
            if len(items) > 1:
                firsts |= {clean(b.bullets[0] if b.bullets else b.labels[0])}
                lasts |= {clean(b.labels[-1] if b.labels else b.bullets[-1])}
    problems = []
    for number, (this, nxt) in enumerate(zip(pages, pages[1:]), start=1):
        foot, top = this[-1], nxt[0]
        ends_body_text = any(t != foot and t.endswith(foot) for t in body)
        if not ends_body_text and (foot in headings or any(
                h.startswith(foot) and len(foot) >= 12 for h in headings)):
            problems.append(f"page {number} ends with the heading '{foot}'")
        if _is_end_of(foot, openers) and not _is_end_of(foot, body - openers):
            problems.append(f"page {number} ends with the opening line '{foot}'")
        if _is_end_of(foot, firsts) and not _is_end_of(foot, body - firsts):
            problems.append(f"page {number} ends with a list's first item alone: '{foot}'")
        if _is_start_of(top, lasts) and not _is_start_of(top, body - lasts):
            problems.append(f"page {number + 1} starts with a list's last item alone: '{top}'")
        if top.startswith(("Name: _", "Phone: _")):
            problems.append(f"page {number + 1} starts with a line to fill in: '{top}'")
    last_page = " ".join(pages[-1])
    if "general information" in last_page and len(pages[-1]) <= 3:
        problems.append("the last page holds only the closing note")
    return problems
