"""Charts of the board pack, drawn with matplotlib (Agg; imported only when a chart is drawn).

Each chart comes as SVG (HTML, and Word beside the PNG) and PNG (PDF, and Word for
readers without SVG), with alternative text that
says what the table beside it gives in full. The axis marks are formatted with the
pack's one money formatter and traced like every other figure.
"""

from __future__ import annotations

import io
import re

from designer.export.board.blocks import Chart, Trace

_BLUE, _DARK, _RED, _GREY = "#005eb8", "#003087", "#d5281b", "#4c6272"


def tornado(bars: list[tuple[str, float, float]], centre: float, trace: Trace,
            step: str, axis_label: str) -> Chart:
    """A tornado chart: for each input, the cost change a year at -step and +step."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    bars = sorted(bars, key=lambda b: abs(b[2] - b[1]))
    fig = Figure(figsize=(7.0, 0.9 + 0.5 * len(bars)), dpi=100)
    ax = fig.add_subplot(1, 1, 1)
    for i, (label, low, high) in enumerate(bars):
        ax.barh(i, low - centre, left=centre, color=_BLUE, height=0.55)
        ax.barh(i, high - centre, left=centre, color=_RED, height=0.55)
    ax.axvline(centre, color=_DARK, linewidth=1)
    ax.set_yticks(range(len(bars)), [b[0] for b in bars], fontsize=9)

    def label(x, _pos=None):
        shown = trace.money(x)
        return ("\u2212" + shown) if x < 0 and shown.strip("£0.") else shown

    ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    ax.xaxis.set_major_formatter(FuncFormatter(label))
    ax.tick_params(axis="x", labelsize=8, colors=_GREY)
    ax.set_xlabel(axis_label, fontsize=8, color=_GREY)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    # the axis marks are figures a reader sees: trace them
    ticks = [label(x) for x in ax.get_xticks()
             if ax.get_xlim()[0] <= x <= ax.get_xlim()[1]]
    trace.add(", ".join(ticks), "marks on the sensitivity chart's axis",
              "the chart's scale, chosen to cover the figures in the sensitivity table")
    svg = io.StringIO()
    # Text as SVG text, not glyph outlines: searchable, and read by screen readers
    # in the HTML; no date, so the same pathway gives the same file.
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(svg, format="svg", metadata={"Date": None})
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=200)
    width, height = fig.get_size_inches()
    # no DOCTYPE: it names a DTD on the web, and the picture must stand alone
    text = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg.getvalue(), count=1)
    return Chart(svg=text, png=png.getvalue(),
                 alt=(f"Tornado chart: how the cost change a year moves when each input is "
                      f"{step} lower (blue) or higher (red); the table above gives the "
                      "figures."),
                 caption=(f"Sensitivity: {axis_label.lower()} with each input {step} lower "
                          f"(blue) or {step} higher (red); the line is the result with no "
                          "input moved."),
                 aspect=height / width)
