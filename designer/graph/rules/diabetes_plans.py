"""The ``diabetes`` pack, part 2: HbA1c recency and the SGLT2 inhibitor plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..model import Activity, Pathway
from ..network import index_for
from . import Finding, found, rule
from .wording import HBA1C, SGLT2, SGLT2_RESTART, steps_saying, steps_saying_both
from .wording import without_diabetes as _without_diabetes

_PACK = "diabetes"

if TYPE_CHECKING:
    import networkx as nx

#: HbA1c is taken within this many days of planned surgery (3 months)
HBA1C_RECENT_DAYS = 90


@rule("hba1c-recency", _PACK, "No HbA1c within 3 months before surgery",
      "nhs-borders-periop-diabetes", severity="warning")
def hba1c_recency(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Every route to surgery measures HbA1c within 3 months of the operation.

    An HbA1c step is one whose text names HbA1c, or a decision with a branch
    condition on HbA1c. Every route to each surgery step passes one, and on the
    timeline (slowest route) the latest one starts no more than 90 days before
    surgery.

    Source: nhs-borders-periop-diabetes (HbA1c within 3 months of planned
    surgery).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries:
        return
    checks = set(steps_saying(index, HBA1C))
    checks.update(t.source for t in pathway.transitions
                  if t.condition and ("1c" in t.condition or "1C" in t.condition
                                      or "lycat" in t.condition)
                  and HBA1C.search(t.condition) and t.source in index.steps)
    unchecked = set(index.unguarded(surgeries, checks, leaving=_without_diabetes(index)))
    for sid in surgeries:
        if sid in unchecked:
            yield found("hba1c-recency",
                        f"A patient can reach {index.name(sid)} without an HbA1c result. "
                        "Measure HbA1c within 3 months of the operation (at referral or "
                        "preassessment), on every route.", sid)
            continue
        before, start = index.days_before(sid)
        gaps = [start[sid] - start[c] for c in checks if c in before and c != sid]
        if gaps and min(gaps) > HBA1C_RECENT_DAYS:
            yield found("hba1c-recency",
                        f"The latest HbA1c is about {min(gaps):.0f} days before "
                        f"{index.name(sid)} on this pathway's timeline, older than 3 months. "
                        "Repeat it within 3 months of surgery (e.g. at preassessment).", sid)


@rule("sglt2-plan", _PACK, "No plan to stop and restart SGLT2 inhibitors around surgery",
      ("nhs-borders-periop-diabetes", "anzca-sglt2"), severity="warning")
def sglt2_plan(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """People taking SGLT2 inhibitors get a written stop-and-restart plan before surgery.

    Every route to each surgery step passes a step whose text names SGLT2
    inhibitors (or a "-gliflozin") and says when they restart or gives sick-day
    rules.

    Source: nhs-borders-periop-diabetes (UK timing, still to be checked against
    the guidance); anzca-sglt2 (weak, non-UK: ketoacidosis risk even with normal
    glucose; restart only when eating and drinking normally; sick-day rules).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries:
        return
    plans = steps_saying_both(index, SGLT2, SGLT2_RESTART)
    for sid in index.unguarded(surgeries, plans, leaving=_without_diabetes(index)):
        yield found("sglt2-plan",
                    f"A patient taking an SGLT2 inhibitor (e.g. dapagliflozin, "
                    f"empagliflozin) can reach {index.name(sid)} without a plan for it. These "
                    "medicines can cause ketoacidosis around surgery even with normal "
                    "glucose: give a written plan to stop them before surgery and restart "
                    "only when eating and drinking normally, with sick-day rules.", sid)
