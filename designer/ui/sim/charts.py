"""The Simulation panel's results: a summary table and six matplotlib charts.

matplotlib is imported only when a chart is first drawn (the panel must not slow
the designer's start). Each ``draw_*`` function fills a matplotlib ``Figure``
from :class:`designer.sim.Results` and knows nothing of Qt; :class:`ResultsView`
puts each figure on a ``FigureCanvasQTAgg`` in a tab. Every money figure names
its currency and price year; every interval is the 95% confidence interval over
replications (docs/simulation.md, "Reading the intervals").

The charts follow the panel's palette: with View > High Contrast (or a dark desktop
theme) they are drawn white on black (:data:`HIGH_CONTRAST`), and drawn again when
it is switched. A board pack's charts are drawn elsewhere
(``designer/export/board/charts.py``) and stay light, for paper.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any, Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QScrollArea, QTabWidget, QVBoxLayout, QWidget

from designer.sim.stats import summary
from designer.ui import colours

# Okabe-Ito: told apart with the common colour-vision deficiencies
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
RTT_STANDARD_WEEKS = 18


@dataclass(frozen=True)
class Look:
    """The colours a chart is drawn in, besides matplotlib's own defaults.

    ``rc`` is laid over matplotlib's settings while a chart is drawn (nothing for
    the usual look, so it stays matplotlib's light one); the other fields are the
    marks the charts colour themselves."""

    ground: str = "white"
    text: str = "black"
    series: tuple[str, ...] = PALETTE
    band_alpha: float = 0.2         # the 95% band under a line
    grid: str = "#dddddd"
    note: str = "#444444"           # a remark written on a chart
    strong: str = "#333333"         # a difference whose interval leaves out nought
    faint: str = "#777777"          # "no clear difference"
    whisker: str = "#333333"        # the 95% interval on a bar
    whisker_edge: str | None = None  # drawn round it, to stand out on any bar too
    zero: str = "#666666"           # the line at no difference
    standard: str = "#c62828"       # the 18-week standard, full utilisation
    rc: dict = field(default_factory=dict)


#: the charts as they have always been: light, for the usual palette
LIGHT = Look()

#: View > High Contrast (or a dark desktop theme): white on black. Measured on black
#: (WCAG 2): every Okabe-Ito colour stands at least 3:1 (the blue, the lowest, 4.05:1),
#: so the series keep their colours; text 4.5:1 or more (the remark 15:1, "no clear
#: difference" 8:1, the standard's red 7.6:1); the grid is 2:1, there but quiet.
HIGH_CONTRAST = Look(
    ground="#000000", text="#ffffff", band_alpha=0.35, grid="#404040", note="#dddddd",
    strong="#ffffff", faint="#a0a0a0", whisker="#ffffff", whisker_edge="#000000",
    zero="#999999", standard="#ff6b6b",
    rc={"figure.facecolor": "#000000", "figure.edgecolor": "#000000",
        "axes.facecolor": "#000000", "axes.edgecolor": "#ffffff",
        "axes.labelcolor": "#ffffff", "text.color": "#ffffff",
        "xtick.color": "#ffffff", "ytick.color": "#ffffff",
        "legend.facecolor": "#000000", "legend.edgecolor": "#808080",
        "savefig.facecolor": "#000000", "savefig.edgecolor": "#000000"})


def paint(fig, draw: Callable, results, labels: dict | None = None,
          look: Look = LIGHT) -> None:
    """Clear ``fig`` and draw one chart on it in ``look``.

    matplotlib's settings are changed only while the chart is drawn (a board pack
    exported meanwhile stays light), and the tick colours are set on the axes
    themselves: matplotlib may make new ticks later, when it draws the chart again."""
    import matplotlib

    with matplotlib.rc_context(look.rc):
        fig.clear()
        fig.patch.set_facecolor(look.ground)
        draw(fig, results, labels, look=look)
        if look.rc:
            for ax in fig.axes:
                ax.tick_params(which="both", colors=look.text)


#: the headline rows of the summary: (metric, label, kind of number)
HEADLINE_ROWS = (
    ("patients_completed_per_year", "Patients completing the pathway a year", "count"),
    ("rtt_weeks_median", "Referral to treatment, median (weeks)", "weeks"),
    ("rtt_weeks_p90", "Referral to treatment, 90th centile (weeks)", "weeks"),
    ("rtt_within_18_weeks", "Treated within 18 weeks", "share"),
    ("rtt_incomplete_under_18_weeks",
     "Still waiting: waited under 18 weeks (the 92% standard)", "share"),
    ("waiting_list_end", "Waiting list at the end (patients)", "count"),
    ("cancellations_on_the_day_per_year", "Cancelled on the day, a year", "count"),
    ("bed_days_per_year", "Bed-days a year", "count"),
    ("cost_per_year", "Cost a year", "money"),
    ("cost_per_patient", "Cost per patient completing", "money"),
)


def money_unit(results) -> str:
    """E.g. ``GBP, 2016/17 prices`` (the currency alone when no price year is known)."""
    return f"{results.currency}, {results.cost_year} prices" if results.cost_year \
        else results.currency


def fmt(value: float | None, kind: str, results=None) -> str:
    """A number for people, no more precise than it is useful.

    ``share``: a percentage; ``money``: whole units, to the thousand from 10,000
    and in millions from 1,000,000, with the currency when ``results`` is given;
    ``weeks``: one decimal; ``count``: whole from 100, else one decimal.
    """
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    if kind == "share":
        text = f"{value:.0%}" if abs(value) >= 0.1 else f"{value:.1%}"
    elif kind == "money":
        if abs(value) >= 1e6:
            text = f"{value / 1e6:,.2f} million"
        elif abs(value) >= 1e4:
            text = f"{round(value, -3):,.0f}"
        else:
            text = f"{value:,.0f}"
        if results is not None:
            text = f"{results.currency} {text}"
    elif kind == "weeks" or abs(value) < 100:
        text = f"{value:,.1f}"
    else:
        text = f"{value:,.0f}"
    if text.startswith("-") and not any(c in "123456789" for c in text):
        text = text[1:]       # "-0.0" reads as a change that is not there
    return text


def fmt_interval(value: dict, kind: str, results=None) -> str:
    text = fmt(value.get("mean"), kind, results)
    ci = value.get("ci95")
    if ci and all(c is not None and math.isfinite(c) for c in ci):
        lo, hi = (fmt(c, kind, None) for c in ci)
        text += f" ({lo} to {hi})"
    return text


def summary_html(results) -> str:
    """The headline metrics per scenario, and the difference of the last from the first."""
    scenarios = results.scenarios
    compare = len(scenarios) > 1
    head = "".join(f"<th align='right'>{html.escape(s.name)}</th>" for s in scenarios)
    if compare:
        head += "<th align='right'>Difference</th>"
    rows = []
    for key, label, kind in HEADLINE_ROWS:
        cells = "".join(f"<td align='right'>{fmt_interval(s.summary(f'metrics.{key}'), kind, results)}</td>"
                        for s in scenarios)
        if compare:
            diff = results.compare(scenarios[0].id, scenarios[-1].id, f"metrics.{key}")
            cells += f"<td align='right'><b>{fmt_interval(diff, kind, results)}</b></td>"
        rows.append(f"<tr><td>{html.escape(label)}</td>{cells}</tr>")
    many = "replication" if results.replications == 1 else "replications"
    difference = (f" Difference: {html.escape(scenarios[-1].name)} minus "
                  f"{html.escape(scenarios[0].name)} in the same patients (a negative cost "
                  "is a saving)." if compare else "")
    return (f"<p>{results.replications} {many} of {results.horizon_weeks:g} weeks after "
            f"{results.warmup_weeks:g} weeks of warm-up; seed {results.seed}. Mean, with the "
            f"95% interval in brackets. Money in {html.escape(money_unit(results))}."
            f"{difference}</p>"
            f"<table cellspacing='0' cellpadding='4' border='0'>"
            f"<tr><th align='left'>Measure</th>{head}</tr>"
            + "".join(rows) + "</table>")


# ------------------------------------------------------------------------ the charts


def _colour(index: int, look: Look = LIGHT) -> str:
    return look.series[index % len(look.series)]


def _say(ax, text: str) -> None:
    """An empty chart that says why it is empty, in the middle of ``ax``."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)
    ax.set_axis_off()


def _tidy(ax, look: Look = LIGHT) -> None:
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    ax.grid(axis="y", color=look.grid, linewidth=0.6)
    ax.set_axisbelow(True)


def draw_waiting_list(fig, results, labels: dict | None = None, look: Look = LIGHT) -> None:
    """Waiting list at the start of each week after warm-up: mean line, 95% band."""
    from matplotlib.patches import Patch

    ax = fig.add_subplot(111)
    handles, names, means, widths = [], [], [], []
    for i, s in enumerate(results.scenarios):
        if not s.waiting_list:
            continue
        weeks = list(range(len(s.waiting_list[0])))
        stats = [summary(rep[k] for rep in s.waiting_list) for k in weeks]
        line, = ax.plot(weeks, [st["mean"] for st in stats], color=_colour(i, look),
                        linewidth=1.8, linestyle=("-", "--", ":", "-.")[i % 4])
        handle = line
        if all(st["ci95"] for st in stats):
            ax.fill_between(weeks, [st["ci95"][0] for st in stats],
                            [st["ci95"][1] for st in stats], color=_colour(i, look),
                            alpha=look.band_alpha, linewidth=0)
            handle = (Patch(color=_colour(i, look), alpha=look.band_alpha), line)
        handles.append(handle)
        names.append(s.name)
        means.append([st["mean"] for st in stats])
        widths.append(max(((st["ci95"][1] - st["ci95"][0]) for st in stats if st["ci95"]),
                          default=0.0))
    ax.set_xlabel("Weeks after warm-up")
    ax.set_ylabel("Patients on the waiting list")
    ax.set_title("Waiting list (referred, not yet operated on)\nmean and 95% interval",
                 fontsize="medium")
    ax.set_ylim(bottom=0)
    ax.legend(handles, names, loc="lower right", fontsize="small", frameon=True,
              framealpha=0.9)
    if len(means) > 1 and all(len(m) == len(means[0]) for m in means):
        gap = max(abs(a - b) for m in means[1:] for a, b in zip(means[0], m))
        if gap <= 0.5 * max(widths):
            ax.text(0.01, 0.02, "The scenarios' lines lie on top of each other: the "
                    "waiting list\ndoes not differ between them.", transform=ax.transAxes,
                    fontsize="small", color=look.note, va="bottom")
    _tidy(ax, look)


def draw_rtt(fig, results, labels: dict | None = None, look: Look = LIGHT) -> None:
    """Share of operations by weeks from referral, against the 18-week standard."""
    from matplotlib.ticker import MultipleLocator

    ax = fig.add_subplot(111)
    n = len(results.scenarios)
    width = 0.8 / max(n, 1)
    top, last_week = 0.0, 0
    for i, s in enumerate(results.scenarios):
        total = sum(s.rtt_histogram) or 1
        last = max((k for k, c in enumerate(s.rtt_histogram) if c), default=0)
        shares = [100.0 * c / total for c in s.rtt_histogram[:last + 1]]
        within = s.summary("metrics.rtt_within_18_weeks")["mean"]
        label = f"{s.name}: {fmt(within, 'share')} within 18 weeks"
        ax.bar([k + 0.5 + (i - (n - 1) / 2) * width for k in range(len(shares))], shares,
               width=width, color=_colour(i, look), label=label, align="center")
        top = max(top, max(shares, default=0))
        last_week = max(last_week, last + 1)
    right = max(RTT_STANDARD_WEEKS + 4, last_week + 1)
    ax.axvline(RTT_STANDARD_WEEKS, color=look.standard, linestyle="--", linewidth=1.4)
    ax.text(RTT_STANDARD_WEEKS - 0.3, top * 1.02, "18-week\nstandard", color=look.standard,
            fontsize="small", va="bottom", ha="right")
    ax.set_xlabel("Weeks from referral to operation (1-week bins)")
    ax.set_ylabel("Share of operations (%)")
    ax.set_title("Referral to treatment", fontsize="medium")
    ax.set_xlim(0, right)
    ax.xaxis.set_major_locator(MultipleLocator(2))
    ax.set_ylim(0, top * 1.25 or 1)
    ax.legend(loc="upper right", fontsize="small", frameon=True, framealpha=0.9)
    _tidy(ax, look)


def _bars(ax, labels: list[str], scenarios, values: Callable[[Any, int], dict],
          scale: float = 1.0, text: Callable[[float], str] | None = None,
          look: Look = LIGHT) -> None:
    """Horizontal grouped bars with 95% interval whiskers, one group per label.

    ``text`` writes each bar's value at its end (the number, not only a length)."""
    n = len(scenarios)
    height = 0.8 / max(n, 1)
    for i, s in enumerate(scenarios):
        ys, xs, lo, hi = [], [], [], []
        for j, _label in enumerate(labels):
            value = values(s, j)
            mean = value.get("mean")
            if mean is None or not math.isfinite(mean):
                continue
            ys.append(j + (i - (n - 1) / 2) * height)
            xs.append(mean * scale)
            ci = value.get("ci95") or [mean, mean]
            lo.append(max(0.0, mean - ci[0]) * scale)
            hi.append(max(0.0, ci[1] - mean) * scale)
        whiskers = {"ecolor": look.whisker, "capsize": 2, "elinewidth": 0.8}
        if look.whisker_edge:
            # white on black, but on a yellow or orange bar white is lost: a black edge
            from matplotlib.patheffects import withStroke

            whiskers["path_effects"] = [withStroke(linewidth=2.6,
                                                   foreground=look.whisker_edge)]
        bars = ax.barh(ys, xs, height=height, color=_colour(i, look), label=s.name,
                       xerr=[lo, hi], error_kw=whiskers)
        if text is not None:
            ax.bar_label(bars, labels=[text(x) for x in xs], padding=8, fontsize="small")
    ax.margins(x=0.18)
    ax.tick_params(axis="y", length=0)
    ax.set_yticks(range(len(labels)))
    ax.set_yticklabels([wrap(label) for label in labels])
    ax.invert_yaxis()


def wrap(text: str, width: int = 18) -> str:
    """A label on lines of about ``width`` characters (axis labels in a narrow panel)."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def utilisation_rows(results, resource_names: dict | None = None) -> list[tuple[str, str]]:
    """(metric key, label) of every resource and step with a utilisation."""
    keys = results.scenarios[0].keys()
    rows = []
    for key in keys:
        parts = key.split(".")
        if parts[-1] != "utilisation":
            continue
        name = results.step_names.get(parts[1], parts[1]) if parts[0] == "steps" \
            else (resource_names or {}).get(parts[1], parts[1])
        rows.append((key, name))
    return rows


def draw_utilisation(fig, results, labels: dict | None = None, look: Look = LIGHT) -> None:
    """Busy share of each shared resource (and each step with its own capacity)."""
    ax = fig.add_subplot(111)
    rows = utilisation_rows(results, (labels or {}).get("resources"))
    if not rows:
        _say(ax, "No resources or step capacities in this pathway")
        return
    _bars(ax, [label for _k, label in rows], results.scenarios,
          lambda s, j: s.summary(rows[j][0]), scale=100.0, text=lambda x: f"{x:.0f}%",
          look=look)
    ax.axvline(100, color=look.standard, linestyle="--", linewidth=1.2)
    ax.set_xlabel("Utilisation (% of capacity busy)")
    ax.set_title("Utilisation by resource\nmean and 95% interval; dashed line: full",
                 fontsize="medium")
    ax.set_xlim(0, 118)
    ax.legend(loc="lower right", fontsize="small", frameon=True, framealpha=0.9)
    _tidy(ax, look)
    ax.grid(axis="x", color=look.grid, linewidth=0.6)


def cost_rows(results) -> list[tuple[str, str]]:
    keys = results.scenarios[0].keys()
    return [(k, results.step_names.get(k.split(".")[1], k.split(".")[1])) for k in keys
            if k.startswith("steps.") and k.endswith(".cost_per_year")]


def draw_costs(fig, results, labels: dict | None = None, look: Look = LIGHT) -> None:
    """Cost a year by step and by setting of care (``labels["settings"]``: step id -> lane)."""
    rows = cost_rows(results)
    unit = money_unit(results)
    if not rows:
        _say(fig.add_subplot(111), "No unit costs are charged by any step")
        return
    by_step = fig.add_subplot(211)
    thousands = (lambda x: f"{x:,.0f}")
    _bars(by_step, [label for _k, label in rows], results.scenarios,
          lambda s, j: s.summary(rows[j][0]), scale=1e-3, text=thousands, look=look)
    by_step.set_xlabel(f"Thousand {results.currency} a year")
    by_step.set_title(f"Cost a year by step ({unit})", fontsize="medium")
    by_step.legend(loc="lower right", fontsize="small", frameon=True, framealpha=0.9)
    _tidy(by_step, look)
    by_step.grid(axis="x", color=look.grid, linewidth=0.6)
    settings = (labels or {}).get("settings") or {}
    names = list(dict.fromkeys(settings.get(k.split(".")[1], "Other") for k, _l in rows))
    by_setting = fig.add_subplot(212)

    def setting_total(s, j: int) -> dict:
        keys = [k for k, _l in rows if settings.get(k.split(".")[1], "Other") == names[j]]
        return summary(sum(rep.get(k, 0.0) for k in keys) for rep in s.replications)
    _bars(by_setting, names, results.scenarios, setting_total, scale=1e-3, text=thousands,
          look=look)
    by_setting.set_xlabel(f"Thousand {results.currency} a year")
    by_setting.set_title(f"Cost a year by setting of care ({unit})", fontsize="medium")
    _tidy(by_setting, look)
    by_setting.grid(axis="x", color=look.grid, linewidth=0.6)


DIFFERENCE_PANELS = (
    ("bed_days_per_year", "Bed-days a year", "count", "bed-days a year"),
    ("cost_per_year", "Cost a year", "money", "thousand {currency} a year"),
    ("rtt_weeks_median", "Median weeks to operation", "weeks", "weeks"),
    ("waiting_list_end", "Waiting list at the end", "count", "patients"),
    ("cancellations_on_the_day_per_year", "Cancelled on the day", "count", "a year"),
    ("patients_completed_per_year", "Patients completing", "count", "a year"),
)


def draw_differences(fig, results, labels: dict | None = None, look: Look = LIGHT) -> None:
    """Each scenario minus the first, per headline measure, with its 95% interval."""
    scenarios = results.scenarios
    if len(scenarios) < 2:
        _say(fig.add_subplot(111), "Run two or more scenarios to compare them")
        return
    base = scenarios[0]
    others = scenarios[1:]
    for p, (key, label, kind, unit) in enumerate(DIFFERENCE_PANELS):
        ax = fig.add_subplot(3, 2, p + 1)
        scale = 1e-3 if kind == "money" else 1.0
        spread = 0.0
        for i, s in enumerate(others):
            diff = results.compare(base.id, s.id, f"metrics.{key}")
            mean = diff["mean"]
            if mean is None or not math.isfinite(mean):
                continue
            ci = diff["ci95"] or [mean, mean]
            ax.errorbar([mean * scale], [i], xerr=[[(mean - ci[0]) * scale],
                                                   [(ci[1] - mean) * scale]],
                        fmt="o", color=_colour(i + 1, look), capsize=4, markersize=6)
            clear = ci[0] > 0 or ci[1] < 0
            words = fmt(mean, kind, results)
            if not clear:
                words += "\nno clear difference"
            elif kind == "money" and mean < 0:
                words += "\na saving"
            ax.annotate(words, (mean * scale, i), textcoords="offset points", xytext=(0, 8),
                        ha="center", va="bottom", fontsize="small",
                        color=look.strong if clear else look.faint)
            spread = max(spread, abs(ci[0] * scale), abs(ci[1] * scale), abs(mean * scale))
        ax.axvline(0, color=look.zero, linewidth=0.8)
        span = spread * 1.3 or 1.0
        ax.set_xlim(-span, span)
        ax.set_yticks(range(len(others)))
        ax.set_yticklabels([wrap(s.name, 12) for s in others] if len(others) > 1
                           else [""])
        ax.set_ylim(-0.6, len(others) - 0.2)
        ax.set_title(label, fontsize="medium")
        ax.set_xlabel(unit.format(currency=results.currency), fontsize="small")
        ax.tick_params(axis="x", labelsize="small")
        ax.ticklabel_format(axis="x", style="plain", useOffset=False)
        ax.locator_params(axis="x", nbins=5)
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
        ax.spines["left"].set_visible(False)
        ax.tick_params(axis="y", length=0)
    names = " / ".join(s.name for s in others)
    fig.suptitle(f"{names} minus {base.name}\nmean difference and 95% interval; "
                 f"money in {money_unit(results)}", fontsize="medium")


COHORT_PANELS = (
    ("rtt_weeks_median", "Median weeks from referral to operation", 1.0),
    ("rtt_within_18_weeks", "Operated on within 18 weeks of referral (%)", 100.0),
    ("bed_days_per_year", "Bed-days a year (whole cohort)", 1.0),
    ("cost_per_patient", "Cost per patient completing", 1.0),
)


def cohort_ids(results) -> list[str]:
    return list(dict.fromkeys(k.split(".")[1] for k in results.scenarios[0].keys()
                              if k.startswith("cohorts.")))


def draw_cohorts(fig, results, labels: dict | None = None, look: Look = LIGHT) -> None:
    """The headline measures for each cohort (e.g. most deprived fifth vs the others)."""
    cohorts = cohort_ids(results)
    if not cohorts:
        _say(fig.add_subplot(111), "This pathway has no patient cohorts")
        return
    names = (labels or {}).get("cohorts") or {}
    labels = [_short(names.get(c, c)) for c in cohorts]
    for p, (key, title, scale) in enumerate(COHORT_PANELS):
        ax = fig.add_subplot(len(COHORT_PANELS), 1, p + 1)
        _bars(ax, labels, results.scenarios,
              lambda s, j: s.summary(f"cohorts.{cohorts[j]}.{key}"), scale=scale,
              text=(lambda x: f"{x:,.0f}") if key != "rtt_weeks_median" else
              (lambda x: f"{x:.1f}"), look=look)
        if key == "cost_per_patient":
            title = f"{title} ({money_unit(results)})"
        ax.set_title(title, fontsize="medium")
        ax.tick_params(labelsize="small")
        _tidy(ax, look)
        ax.grid(axis="x", color=look.grid, linewidth=0.6)
    handles, names_ = fig.axes[0].get_legend_handles_labels()
    fig.legend(handles, names_, loc="outside lower center", ncols=len(names_),
               fontsize="small", frameon=False)
    fig.suptitle("Results by cohort (mean and 95% interval)", fontsize="medium")


def _short(name: str) -> str:
    """A cohort name short enough for an axis: the part before any bracket."""
    return name.split(" (")[0]


#: (tab title, draw function, height in pixels the chart needs to be readable)
CHARTS = (
    ("Waiting list", draw_waiting_list, 420),
    ("Time to treatment", draw_rtt, 420),
    ("Utilisation", draw_utilisation, 420),
    ("Cost", draw_costs, 640),
    ("Differences", draw_differences, 560),
    ("By cohort", draw_cohorts, 820),
)


class ResultsView(QWidget):
    """A Summary tab and a tab per chart; each chart is drawn when its tab is first shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.summary = QLabel("Run the simulation to see its results here.")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setAccessibleName("Simulation summary")
        self.summary.setMargin(6)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Simulation results")
        self.tabs.setUsesScrollButtons(True)
        self.results = None
        self.context_data: dict[str, Any] = {}
        self.canvases: dict[str, Any] = {}
        self._drawn: set[str] = set()
        #: the charts are drawn light on black (View > High Contrast, a dark theme)
        self.dark = colours.dark(self.palette())
        self._holders: dict[str, QWidget] = {}
        self.tabs.addTab(_scrolled(self.summary), "Summary")
        column.addWidget(self.tabs, 1)
        for title, _draw, _height in CHARTS:
            holder = QWidget()
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._holders[title] = holder
            self.tabs.addTab(_scrolled(holder), title)
        self.tabs.currentChanged.connect(self._draw_current)

    def show_results(self, results, labels: dict | None = None) -> None:
        """Show ``results``; ``labels`` maps ids to names: ``{"settings": {step: lane},
        "cohorts": {id: name}, "resources": {id: name}}``."""
        self.results = results
        self.context_data = labels or {}
        self.summary.setText(summary_html(results) if results is not None else
                             "Run the simulation to see its results here.")
        self._drawn.clear()
        self._draw_current(self.tabs.currentIndex())

    @property
    def look(self) -> Look:
        return HIGH_CONTRAST if self.dark else LIGHT

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        # View > High Contrast (a palette and a style sheet) or a new desktop theme
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._follow_palette()

    def _follow_palette(self) -> None:
        """Draw the charts again when the palette turns dark or light."""
        dark = colours.dark(self.palette())
        if dark == self.dark:
            return
        self.dark = dark
        self._drawn.clear()          # the other tabs are drawn again when shown
        self._draw_current(self.tabs.currentIndex())

    def _draw_current(self, index: int) -> None:
        if self.results is None or index < 1:
            return
        title, draw, height = CHARTS[index - 1]
        if title in self._drawn:
            return
        canvas = self.canvases.get(title)
        if canvas is None:
            # matplotlib is imported here, the first time a chart is shown
            from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
            from matplotlib.figure import Figure

            canvas = FigureCanvasQTAgg(Figure(figsize=(5, height / 100), dpi=100,
                                              layout="constrained"))
            canvas.setMinimumHeight(height)
            canvas.setMinimumWidth(380)
            canvas.setAccessibleName(f"{title} chart")
            self._holders[title].layout().addWidget(canvas)
            self.canvases[title] = canvas
        paint(canvas.figure, draw, self.results, self.context_data, self.look)
        canvas.draw_idle()
        self._drawn.add(title)

    def draw_all(self) -> None:
        """Draw every chart now (for screenshots and tests)."""
        for index in range(1, self.tabs.count()):
            self._draw_current(index)


def _scrolled(widget: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(widget)
    return scroll
