"""Appendix B, "Where each figure comes from": the numbers the technical appendix
(appendix A, the specification) prints, and the trace table itself."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from designer.export.board.blocks import Table, Trace, linked
from designer.export.board.content.common import BoardContent


def trace_spec(spec: Any, trace: Trace) -> None:
    """Record the numbers the technical appendix prints, by the part they are in."""
    sources = {
        "phases": "file fields steps[] (names, descriptions, duration_days) and the timeline "
                  "computed from them",
        "handoffs": "file fields transitions[].handoff (information, within_days)",
        "timeline": "the timeline computed from steps[].duration_days and "
                    "transitions[].wait_days",
        "timeline_total_days": "the timeline computed from steps[].duration_days and "
                               "transitions[].wait_days",
        "surgery_day": "the timeline computed from steps[].duration_days and "
                       "transitions[].wait_days",
        "validation_counts": "the validation rules run on the file",
        "findings": "the validation rules run on the file",
        "waived": "file fields waivers[] and the validation rules",
        "evidence": "file fields evidence[]",
        "roles": "file fields roles[] (steps owned counted from steps[].owner)",
        "settings": "file fields settings[] (steps counted from steps[].setting)",
        "glossary": "the designer's glossary of abbreviations",
        "patient_reading": "the Surgery School booklet's reading check of steps[].patient_info",
        "step_count": "count of steps[]",
        "critical_path": "the timeline's critical path",
    }
    skip = {"date"}
    for f in fields(spec):
        if f.name in skip:
            continue
        value = getattr(spec, f.name)
        texts = list(_strings(value))
        if f.name == "timeline":
            # the chart's day axis and the relative days (T-42) come from the same rows
            texts += [str(round(x.end_day - x.start_day, 1)) for x in value]
        text = " ".join(texts)
        where = sources.get(f.name, f"file field {f.name}")
        found = list(dict.fromkeys(_numbers(text)))
        if found:
            trace.add(", ".join(found), f"numbers in the technical appendix ({f.name})", where)


    _trace_charts(spec, trace)
    trace.add("42", "example in the technical appendix's explanation of T-days (T-42 is six "
              "weeks before surgery)", "the specification's fixed wording")


def _trace_charts(spec: Any, trace: Trace) -> None:
    """The day marks of the timeline chart, at each width the formats draw it."""
    if not spec.timeline:
        return
    from designer.export.kit.pdf import FRAME_WIDTH, fonts
    from designer.export.kit.docx import PAGE_TEXT_WIDTH_MM
    from designer.export.spec.text import chart_bars, surgery_day
    from designer.export.spec.timeline_chart import split_chart

    bold = fonts()[1]
    docx_bold = bold if fonts()[0] == "DejaVuSans" else "Helvetica-Bold"
    texts = []
    for width, options in ((640, {"rows_per_part": 10_000, "label_width": 220}),
                           (FRAME_WIDTH, {"measure_font": bold}),
                           (PAGE_TEXT_WIDTH_MM * 72 / 25.4, {"measure_font": docx_bold})):
        for chart in split_chart(chart_bars(spec), surgery_day(spec), width=width, **options):
            texts += [getattr(s, "text", "") for s in chart.shapes]
            texts.append(chart.title)
    found = list(dict.fromkeys(_numbers(" ".join(texts))))
    if found:
        trace.add(", ".join(found), "numbers on the timeline chart (day marks relative to "
                  "surgery, part numbers)", "the timeline computed from steps[].duration_days "
                  "and transitions[].wait_days; the chart's scale")


def _numbers(text: str) -> list[str]:
    from designer.export.board.blocks import numbers_in

    return numbers_in(text)


def _strings(value: Any):
    if value is None:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)):
        yield _fmt_number(value)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif is_dataclass(value):
        for f in fields(value):
            yield from _strings(getattr(value, f.name))


def _fmt_number(x: float) -> str:
    from designer.graph.vocabulary import number

    return number(x)


def trace_table(content: BoardContent) -> Table:
    rows = [[r.figure, r.what, linked(r.source)] for r in content.trace.rows]
    return Table(["Figure as printed", "What it is", "Where it comes from"], rows,
                 [0.3, 0.3, 0.4], anchor="trace-table")


def trace_intro() -> str:
    return ("Every number printed in this pack, with the input it came from: a field of the "
            "pathway file, a simulation metric and scenario, or a unit cost with its source "
            "and year. Page numbers and dates are not listed.")
