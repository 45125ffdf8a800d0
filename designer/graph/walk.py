"""What presentation mode shows: the order of the walk and each step's caption.

Plain Python (no Qt), so the walk order and the words can be tested on their own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designer.graph.model import CHANNEL_LABELS, Pathway, StepKind
from designer.graph.vocabulary import NOTE_CATEGORY_LABELS, days


def walk_order(pathway: Pathway) -> list[str]:
    """Step ids in the order to present them: the entry first, then flow order.

    Flow order is a topological order of the forward graph (loop-backs removed),
    preferring, among steps that are ready, the one nearest the entry, then the
    one further left on the canvas, then file order. Steps not reachable from the
    entry come last.
    """
    import networkx as nx  # only when presenting: networkx costs ~0.2 s at start-up

    from designer.graph.network import forward_graph

    if not pathway.steps:
        return []
    graph = forward_graph(pathway)
    entries = [s.id for s in pathway.steps if s.kind == StepKind.entry] or [pathway.steps[0].id]
    depth: dict[str, int] = {}
    for entry in entries:
        for node, d in nx.single_source_shortest_path_length(graph, entry).items():
            depth[node] = min(d, depth.get(node, d))
    file_index = {s.id: i for i, s in enumerate(pathway.steps)}
    x_of = {s.id: (s.position[0] if s.position else 0.0) for s in pathway.steps}
    unreachable = len(file_index) + 1

    def key(node: str) -> tuple:
        return (depth.get(node, unreachable), x_of.get(node, 0.0), file_index.get(node, 0))

    try:
        order = list(nx.lexicographical_topological_sort(graph, key=key))
    except nx.NetworkXUnfeasible:   # not expected (loop-backs are removed); never fail
        order = sorted(graph.nodes, key=key)
    return [n for n in order if n in file_index]


@dataclass(frozen=True)
class Caption:
    """What the caption says about one step (plain text; laid out by the widget)."""

    counter: str
    title: str
    who: str
    timing: str
    handoffs: list[tuple[str, bool]]   # (line, complete?)
    notes: list[str] = field(default_factory=list)   # workshop notes on this step


MAX_CAPTION_NOTES = 2     # more would push the canvas off the screen


def caption_for(pathway: Pathway, step_id: str, position: int, total: int,
                timeline=None) -> Caption:
    """The caption for ``step_id``, the ``position``-th of ``total`` steps (1-based)."""
    from designer.graph.timeline import format_relative

    step = pathway.step(step_id)
    title = step.name
    role = pathway.role(step.owner) if step.owner else None
    setting = pathway.setting(step.setting) if step.setting else None
    who_bits = [f"Owner: {role.name if role else (step.owner or 'not yet named')}"]
    if setting:
        who_bits.append(setting.name)
    if step.channel:
        who_bits.append(CHANNEL_LABELS[step.channel])
    timing_bits = []
    if step.duration_days:
        timing_bits.append(f"Takes {days(step.duration_days)}")
    elif step.duration_days == 0:
        timing_bits.append("Same day")
    entry = timeline.by_step.get(step_id) if timeline is not None else None
    if entry is not None:
        timing_bits.append(f"starts on day {entry.start_day:.0f}")
        if entry.relative_day is not None:
            timing_bits.append(f"{format_relative(entry.relative_day)} (days from surgery)")
    timing = "Timing: " + ", ".join(timing_bits) if timing_bits else "Timing: not recorded"
    handoffs = []
    for t in pathway.transitions:
        if t.source != step_id:
            continue
        nxt = pathway.step(t.target)
        if nxt is None or nxt.setting == step.setting:
            continue
        to_setting = pathway.setting(nxt.setting) if nxt.setting else None
        where = to_setting.name if to_setting else "another setting"
        h = t.handoff
        if h is None or not h.information:
            handoffs.append((f"To {where} ({nxt.name}): no handoff information recorded",
                             False))
            continue
        how = []
        if h.channel:
            how.append(f"by {h.channel}")
        if h.within_days is not None:
            how.append(f"within {days(h.within_days)}")
        tail = f" ({', '.join(how)})" if how else ""
        handoffs.append((f"To {where}: {', '.join(h.information)}{tail}", h.is_complete()))
    notes = []
    for note in pathway.notes:
        if note.target == step_id and len(notes) < MAX_CAPTION_NOTES:
            who = f" ({note.author})" if note.author else ""
            notes.append(f"{NOTE_CATEGORY_LABELS[note.category]}{who}: {note.text}")
    return Caption(f"{position} of {total}", title, "   ·   ".join(who_bits), timing, handoffs,
                   notes)
