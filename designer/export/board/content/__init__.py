"""What the board pack says, built once from the pathway, its findings, evidence,
business case and simulation (:func:`build_board`).

The pack: a cover sheet; the Five Case Model (strategic, economic, commercial,
financial, management); a Quality Impact Assessment; an Equality Impact
Assessment; risks; appendix A, the pathway specification (the technical
appendix, laid out by the specification's own writers); appendix B, "Where each
figure comes from", listing every number in the pack with its input.

One module a part: :mod:`.cover`, :mod:`.strategic`, :mod:`.economic`,
:mod:`.commercial`, :mod:`.financial`, :mod:`.management`, :mod:`.assessments`
(QIA and EIA), :mod:`.risks` and :mod:`.appendix` (appendix B); what they share
(the builder's helpers, cited sources, standards, tables of metrics) is in
:mod:`.common`. Each part is a mixin of :class:`~.common.CaseBuilder`, and
:class:`_Builder` puts them together in the pack's order.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from designer.export.board.blocks import PageBreak, Para
from designer.export.board.content.appendix import trace_intro, trace_spec, trace_table
from designer.export.board.content.assessments import ImpactAssessments
from designer.export.board.content.commercial import CommercialCase
from designer.export.board.content.common import (  # noqa: F401 (public names of the pack)
    CANCELLATIONS_NOTE, COHORT, CURRENT, ECONOMIC, KEY_FIGURES, MEASURED, NOT_MODELLED,
    PART_TITLES, STANDARD_SOURCES, STANDARDS, BoardContent, CaseBuilder, _long_date,
    number_years, plural_reps,
)
from designer.export.board.content.cover import CoverSheet
from designer.export.board.content.economic import EconomicCase
from designer.export.board.content.financial import FinancialCase
from designer.export.board.content.management import ManagementCase
from designer.export.board.content.risks import RiskRegister
from designer.export.board.content.strategic import StrategicCase
from designer.export.board.simulate import BoardRuns
from designer.graph.model import Pathway
from designer.graph.vocabulary import STATUS_LABELS

__all__ = ["PART_TITLES", "BoardContent", "build_board", "trace_intro", "trace_spec",
           "trace_table"]


class _Builder(CoverSheet, StrategicCase, EconomicCase, CommercialCase, FinancialCase,
               ManagementCase, ImpactAssessments, RiskRegister):
    """The whole pack, part by part in the order the board reads it."""

    def build(self) -> None:
        self.cover()
        self.strategic()
        self.economic()
        self.commercial()
        self.financial()
        self.management()
        self.qia()
        self.eia()
        self.risks()


def build_board(pathway: Pathway, runs: BoardRuns, report: Any = None,
                today: _dt.date | None = None, spec: Any = None) -> BoardContent:
    """The pack's content: blocks for every part but the technical appendix, and the trace."""
    if report is None:
        from designer.graph.validate import validate

        report = validate(pathway)
    today = today or _dt.date.today()
    b = _Builder(pathway, report, runs, today)
    b.spec = spec
    b.build()
    content = BoardContent(title=pathway.title, version=pathway.version,
                           status=STATUS_LABELS.get(pathway.status.value,
                                                    pathway.status.value),
                           date=_long_date(today), blocks=b.blocks, trace=b.t, runs=runs,
                           spec=spec, contents=b.contents)
    content.contents += [("spec", PART_TITLES["spec"]), ("trace", PART_TITLES["trace"])]
    first_break = next(i for i, x in enumerate(content.blocks) if isinstance(x, PageBreak))
    content.blocks.insert(first_break, Para([" \u2022 ".join(t for _, t in content.contents)],
                                            style="small", label="Contents."))
    if spec is not None:
        trace_spec(spec, b.t)
    return content
