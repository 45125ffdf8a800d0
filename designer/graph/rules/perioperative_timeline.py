"""The ``perioperative`` pack, part 4: national waiting-time standards on the timeline.

Both rules read the pathway's own timeline (typical durations and waits, the
slowest route counted, loop-backs ignored: see
:meth:`~designer.graph.pathway_index.PathwayIndex.days_before`). A timeline is
a design's expectation, not a measured wait: the messages say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..model import Activity, Milestone, Pathway
from ..network import PathwayIndex, index_for
from . import Finding, found, rule

if TYPE_CHECKING:
    import networkx as nx

_PACK = "perioperative"
RTT_DAYS = 18 * 7
CANCER_DTT_DAYS = 31
CANCER_REFERRAL_DAYS = 62


def _clock_starts(index: PathwayIndex, milestone: Milestone) -> list[str]:
    marked = [sid for sid, s in index.steps.items() if s.milestone == milestone]
    if marked or milestone is not Milestone.referral:
        return marked
    return list(index.entries)


def _days_from(index: PathwayIndex, starts: list[str], surgery: str) -> float | None:
    """Days from the earliest clock start before ``surgery`` to the start of surgery."""
    before, start = index.days_before(surgery)
    known = [s for s in starts if s in before]
    if not known:
        return None
    return start[surgery] - min(start[s] for s in known)


@rule("rtt-18-weeks", _PACK,
      "Expected time from referral to surgery on the timeline exceeds 18 weeks",
      ("gov-rtt-18-weeks", "pac-waiting-times-2019"), severity="warning")
def rtt_18_weeks(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """Referral to surgery fits in 18 weeks on the pathway's own timeline.

    The clock starts at the step marked ``milestone: referral`` (else the entry
    step) and stops when each surgery step starts, counting the slowest route
    (typical durations and waits; missing values count as 0).

    Source: gov-rtt-18-weeks (the right to start consultant-led treatment within
    18 weeks of referral); pac-waiting-times-2019 (92% within 18 weeks).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries:
        return
    starts = _clock_starts(index, Milestone.referral)
    for sid in surgeries:
        days = _days_from(index, starts, sid)
        if days is not None and days > RTT_DAYS:
            yield found("rtt-18-weeks",
                        f"On this pathway's timeline {index.name(sid)} starts about "
                        f"{days:.0f} days ({days / 7:.0f} weeks) after referral, beyond the "
                        "18 weeks patients have a right to. Shorten waits, run steps in "
                        "parallel (e.g. optimisation alongside the wait), or check the "
                        "durations and waits entered.", sid)


@rule("cancer-waiting-times", _PACK,
      "A cancer pathway whose timeline misses 31 days from decision to treat or 62 days "
      "from referral to surgery",
      "cancer-waiting-times-2023")
def cancer_waiting_times(pathway: Pathway, graph: "nx.DiGraph") -> Iterator[Finding]:
    """A cancer pathway meets the 62-day and 31-day standards on its timeline.

    Applies when ``cancer_pathway: true``; a pathway with surgery that does not
    say is told "cannot tell" (information). Referral is the step marked
    ``milestone: referral`` (else the entry); the decision to treat is the step
    marked ``milestone: decision-to-treat`` (without one, the 31-day check
    cannot run and says so). First treatment is each surgery step. Slowest
    route, typical durations and waits.

    Source: cancer-waiting-times-2023 (62 days from referral and 31 days from
    decision to treat to first treatment; prehabilitation runs alongside these
    clocks, not after them).
    """
    index = index_for(pathway, graph)
    surgeries = index.with_activity(Activity.surgery)
    if not surgeries or pathway.cancer_pathway is False:
        return
    if pathway.cancer_pathway is None:
        yield found("cancer-waiting-times",
                    "Cannot tell whether the cancer waiting-time standards apply: set "
                    "cancer_pathway: true or false on the pathway so that this check can "
                    "run.", severity="info")
        return
    referral = _clock_starts(index, Milestone.referral)
    decided = _clock_starts(index, Milestone.decision_to_treat)
    if not decided:
        yield found("cancer-waiting-times",
                    "Cannot tell when the decision to treat is made, so the 31-day standard "
                    "cannot be checked: set milestone: decision-to-treat on that step.",
                    severity="info")
    for sid in surgeries:
        days = _days_from(index, referral, sid)
        if days is not None and days > CANCER_REFERRAL_DAYS:
            yield found("cancer-waiting-times",
                        f"On this pathway's timeline {index.name(sid)} starts about "
                        f"{days:.0f} days after referral, beyond the 62-day cancer standard. "
                        "Run prehabilitation and optimisation alongside diagnosis and "
                        "treatment planning (from diagnosis or MDT, in parallel), not before "
                        "the operation is booked.", sid)
        days = _days_from(index, decided, sid) if decided else None
        if days is not None and days > CANCER_DTT_DAYS:
            yield found("cancer-waiting-times",
                        f"On this pathway's timeline {index.name(sid)} starts about "
                        f"{days:.0f} days after the decision to treat, beyond the 31-day "
                        "cancer standard. Start prehabilitation and optimisation earlier, in "
                        "parallel with the decision, so that surgery follows within 31 days.",
                        sid)
