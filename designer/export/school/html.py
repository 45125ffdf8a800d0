"""The Surgery School booklet as one self-contained HTML file (autoescape on)."""

from __future__ import annotations

from designer.export.kit.html import environment
from designer.export.school.content import Booklet


def render_school_html(booklet: Booklet, large_print: bool = False) -> str:
    """The booklet as HTML; body text 16 pt in large print, else 12 pt."""
    from designer.export.school.content import BODY_SIZE, LARGE_PRINT_SIZE

    return environment().get_template("school.html.j2").render(
        b=booklet, large_print=large_print,
        body_pt=LARGE_PRINT_SIZE if large_print else BODY_SIZE)
