"""The board specification as one self-contained HTML file (jinja2, autoescape on).

No remote fonts, scripts or images: the diagram is embedded as a ``data:`` URI
(an SVG inside ``<img>``, so nothing in it can run) and the timeline chart is
our own inline SVG whose text we escape ourselves.
"""

from __future__ import annotations

from markupsafe import Markup

from designer.export.kit.html import data_uri, environment
from designer.export.spec.content import SpecContent
from designer.export.spec.text import (
    DIAGRAM_KEY,
    SECTION_TITLES,
    chart_bars,
    contents,
    critical_path_sentence,
    diagram_unavailable,
    evidence_strength,
    surgery_day,
    validation_sentence,
)
from designer.export.spec.timeline_chart import split_chart, to_svg


def render_spec_html(content: SpecContent, pathway, report) -> str:
    """The specification as an HTML document (a string)."""
    diagram_uri, diagram_note, diagram_width = "", "", 0
    try:
        from designer.export.diagram import diagram_size, render_svg

        svg = render_svg(pathway, report=report, legend=True)
        diagram_width = round(diagram_size(pathway, legend=True)[0])
        diagram_uri = data_uri(svg.encode("utf-8"), "image/svg+xml")
    except ImportError as exc:
        diagram_note = diagram_unavailable(exc)
    charts = []
    if content.timeline:
        for chart in split_chart(chart_bars(content), surgery_day(content), width=640,
                                 rows_per_part=10_000, label_width=220):
            # to_svg escapes every text itself; Markup stops a second escape.
            charts.append(Markup(to_svg(chart, "Gantt chart of the pathway timeline; the "
                                               "table below gives the same figures.")))
    template = environment().get_template("spec.html.j2")
    return template.render(
        c=content, titles=SECTION_TITLES, contents=contents(content), diagram_uri=diagram_uri,
        diagram_note=diagram_note, diagram_key=DIAGRAM_KEY, diagram_width=diagram_width,
        charts=charts,
        critical_sentence=critical_path_sentence(content),
        validation_sentence=validation_sentence(content), strength=evidence_strength,
        linked=linked_html,
    )


def linked_html(text: str) -> Markup:
    """``text`` escaped, with every web address in it a link."""
    from markupsafe import escape

    from designer.export.kit.links import split_links

    return Markup("".join(
        f'<a href="{escape(url)}">{escape(part)}</a>' if url else str(escape(part))
        for part, url in split_links(text)))
