"""The Surgery School booklet as one self-contained HTML file (autoescape on).

Printed from a browser, a page break must never leave a heading, the sentence that
opens a list, or the lines to fill in apart from what they belong with. The print
rules in ``school.html.j2`` act on the structure made here (:func:`print_pieces`):

- each block's headings ("when" line too) and the first thing they introduce sit in
  one ``keep`` wrapper (``break-inside: avoid``);
- the sentence just before a list or the lines to fill in is a ``lead``
  (``break-after: avoid``); with the lines to fill in it shares a ``keep`` wrapper;
- a block's bullets stay one list: a list split in two is read out as two lists.
  The print rules keep a list's first item with the second and its last item with
  the one before, so no item is left alone at the foot or the top of a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designer.export.kit.html import environment
from designer.export.school.content import Block, Booklet


@dataclass
class Piece:
    """One element of a printed block: ``kind`` is h2, h3, when, p, list or form."""

    kind: str
    text: str = ""
    items: list[str] = field(default_factory=list)
    css_class: str = ""
    lead: bool = False


@dataclass
class PrintGroup:
    """Pieces printed together: ``keep`` groups never break inside."""

    pieces: list[Piece]
    keep: bool = False


def _pieces(block: Block, section_title: str | None) -> list[Piece]:
    pieces: list[Piece] = []
    if section_title is not None:
        pieces.append(Piece("h2", section_title))
    if block.heading:
        pieces.append(Piece("h3", block.heading))
    if block.when:
        pieces.append(Piece("when", block.when))
    pieces += [Piece("p", text) for text in block.paragraphs]
    if block.bullets:
        pieces.append(Piece("list", items=list(block.bullets)))
    if block.labels:
        pieces.append(Piece("list", items=list(block.labels), css_class="people"))
    if block.form_lines:
        pieces.append(Piece("form", items=list(block.form_lines)))
    for this, following in zip(pieces, pieces[1:]):
        this.lead = this.kind == "p" and following.kind in ("list", "form")
    return pieces


def print_pieces(block: Block, section_title: str | None = None) -> list[PrintGroup]:
    """The groups a block prints as (``section_title`` for a section's first block).

    The first group holds the headings and the first piece after them; a lead
    sentence and the lines to fill in after it share a group too.
    """
    pieces = _pieces(block, section_title)
    groups: list[PrintGroup] = []
    at = 0
    headed = 0
    while headed < len(pieces) and pieces[headed].kind in ("h2", "h3", "when"):
        headed += 1
    if headed:
        take = min(len(pieces), headed + 1)
        if take < len(pieces) and pieces[take - 1].lead and pieces[take].kind == "form":
            take += 1
        groups.append(PrintGroup(pieces[:take], keep=True))
        at = take
    while at < len(pieces):
        piece = pieces[at]
        if piece.lead and at + 1 < len(pieces) and pieces[at + 1].kind == "form":
            groups.append(PrintGroup(pieces[at:at + 2], keep=True))
            at += 2
        elif groups and not groups[-1].keep:
            groups[-1].pieces.append(piece)
            at += 1
        else:
            groups.append(PrintGroup([piece]))
            at += 1
    return groups


def render_school_html(booklet: Booklet, large_print: bool = False) -> str:
    """The booklet as HTML; body text 16 pt in large print, else 12 pt."""
    from designer.export.school.content import BODY_SIZE, LARGE_PRINT_SIZE

    return environment().get_template("school.html.j2").render(
        b=booklet, large_print=large_print, print_pieces=print_pieces,
        body_pt=LARGE_PRINT_SIZE if large_print else BODY_SIZE)
