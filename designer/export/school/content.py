"""The Surgery School booklet's content, in the order the patient meets the steps.

Built from each step's ``patient_info`` (the pathway author's plain-English text)
and the general advice topics of :mod:`designer.export.school.advice`. Order and
"weeks before surgery" come from :func:`designer.graph.timeline.compute_timeline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designer.graph.model import Activity, Pathway, Phase, Step, StepKind
from designer.export.school.advice import advice_for
from designer.export.school.words import explain_short_forms, patient_title, words_used
from designer.graph.vocabulary import days as days_text, plural

DAY_OF_SURGERY = {Activity.admission, Activity.surgery}
AFTER_SURGERY = {Activity.inpatient_recovery}
GOING_HOME = {Activity.discharge, Activity.follow_up, Activity.rehabilitation}

#: Body text size in points: normal and large print (large print is at least 16 pt).
BODY_SIZE = 12.0
LARGE_PRINT_SIZE = 16.0


@dataclass
class Block:
    """A piece of a section: an optional heading and "when" line, text and bullets."""

    heading: str = ""
    when: str = ""
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    form_lines: list[str] = field(default_factory=list)   # to fill in; not read-checked
    labels: list[str] = field(default_factory=list)       # names of people; not read-checked


@dataclass
class BookletSection:
    key: str
    title: str
    blocks: list[Block] = field(default_factory=list)

    def plain_text(self) -> str:
        """All the words a patient reads in this section, one sentence per line.

        Headings, "when" lines, job titles and form lines are left out: they are
        labels, not sentences, and a formula would mark a job title such as
        "clinical nurse specialist" as hard however plainly the rest is written.
        Bullets without a full stop get one, so each counts as a sentence.
        """
        lines: list[str] = []
        for block in self.blocks:
            lines += block.paragraphs
            lines += [b if b.rstrip().endswith((".", "!", "?", ":")) else b.rstrip() + "."
                      for b in block.bullets]
        return "\n".join(line.strip() for line in lines if line.strip())


@dataclass
class Booklet:
    title: str
    subtitle: str
    sections: list[BookletSection]


def span_words(days: float) -> str:
    """A length of time as a patient says it: '5 days', 'about 3 weeks', 'about 3 months'."""
    days = abs(round(days))
    if days < 7:
        return days_text(days)
    if days < 56:
        return f"about {plural(round(days / 7), 'week')}"
    return f"about {plural(max(2, round(days / 30.4)), 'month')}"


def when_label(relative_day: float | None, at_least: bool = False,
               short: bool = False) -> str:
    """'About 6 weeks before your operation', 'On the day of your operation', ...

    In weeks up to 8 weeks, then in months. ``at_least`` for a step that a loop
    (such as treatment to bring blood sugar down) can move further from the
    operation; ``short`` leaves out "your operation" (for the overview list).
    """
    if relative_day is None:
        return ""
    days = round(relative_day)
    if days == 0:
        return "On the day" if short else "On the day of your operation"
    side = "before" if days < 0 else "after"
    span = span_words(days)
    if at_least:
        span = "at least " + span.removeprefix("about ")
    text = f"{span} {side}" + ("" if short else " your operation")
    return text[0].upper() + text[1:]


def leaving_label(days_after_leaving: float, short: bool = False) -> str:
    """When a step after discharge happens, counted from the day the patient goes home."""
    days = round(days_after_leaving)
    if days <= 0:
        return "On the day you go home" if not short else "The day you go home"
    text = f"{span_words(days)} after you go home"
    return text[0].upper() + text[1:]


#: "When" lines of a step whose day no source gives (``timing_assumed``): the part of the
#: journey it falls in, never a day count.
BEFORE_OPERATION = "Before your operation"
AFTER_OPERATION = "After your operation"
AFTER_LEAVING = "After you go home"


def assumed_when_label(part: str, relative_day: float | None, after_leaving: bool,
                       short: bool = False) -> str:
    """When a step happens, for a step whose timing is a planning assumption.

    The timeline still orders the steps, but its day for this one rests on assumed
    lengths, so the booklet names only the part of the journey: before the operation,
    on the day, after it, or after going home. ``short`` leaves out "your operation"
    (for the overview list, like :func:`when_label`).
    """
    if relative_day is None:
        return ""
    if part == "day":
        return "On the day" if short else "On the day of your operation"
    if part != "before" and after_leaving:
        return AFTER_LEAVING
    text = BEFORE_OPERATION if part == "before" else AFTER_OPERATION
    return text.removesuffix(" your operation") if short else text


def patient_name(step: Step) -> str:
    """What the booklet calls a step: its patient-facing name, else its name."""
    return (step.patient_name or "").strip() or step.name


def _part_of(step: Step, relative_day: float | None) -> str:
    if relative_day is not None and relative_day < -0.5:
        return "before"
    if step.activity in DAY_OF_SURGERY or step.phase == Phase.intraoperative:
        return "day"
    if step.activity in GOING_HOME or step.phase == Phase.recovery:
        return "home"
    if step.activity in AFTER_SURGERY or step.phase == Phase.postoperative:
        return "after"
    return "before"


IF_PLANS_CHANGE = "Only if you need this step"
#: "When" line of a loop step (treatment that sends the patient back, such as help to
#: bring blood sugar down) and the overview's note on it. Neither gives a figure.
LOOP_WHEN = "Only if you need it. It may make your operation later"
LOOP_LATER = "You may wait longer."
#: Start of the "when" line of a step some patients skip (after a decision).
IF_YOU_NEED_IT = "If you need this step"
#: Heading for a decision named as a question that has no step before it to join.
DECISION_HEADING = "Deciding what happens next"


def _is_team_question(step: Step) -> bool:
    """A decision named as a question ("Anaemia?"): a label for the care team."""
    return step.kind == StepKind.decision and step.name.rstrip().endswith("?")


def _stays_overnight(pathway: Pathway, timeline) -> bool:
    """False when every discharge happens on the day of surgery (day surgery)."""
    days = [timeline.by_step[s.id].relative_day for s in pathway.steps
            if s.activity == Activity.discharge and s.id in timeline.by_step]
    days = [d for d in days if d is not None]
    return not days or max(days) >= 1


def _off_the_road_to_surgery(pathway: Pathway, surgery: str | None,
                              graph=None) -> set[str]:
    """Steps on a side route: neither leading to surgery nor coming after it.

    For example "back to GP care" when the patient decides not to have the
    operation. The booklet does not give these a time, since most patients
    never meet them. ``graph``: the forward graph, when the caller has it.
    """
    if not surgery:
        return set()
    import networkx as nx

    from designer.graph.network import forward_graph

    graph = forward_graph(pathway) if graph is None else graph
    if surgery not in graph:
        return set()
    on_road = nx.ancestors(graph, surgery) | nx.descendants(graph, surgery) | {surgery}
    return {s.id for s in pathway.steps if s.id not in on_road}


def _only_on_some_branches(pathway: Pathway, surgery: str | None, graph=None,
                           index=None) -> set[str]:
    """Steps on the road to surgery that a decision lets some patients skip.

    For example "Optimise health" after "Needs optimising?": patients with
    nothing to treat go straight on. A step is skippable when surgery can still
    be reached from one of its decisions with the step taken out. ``graph`` and
    ``index``: the forward graph and the pathway's index, when the caller has them.
    """
    if not surgery:
        return set()
    from designer.graph.branches import avoidable_steps, skippable_steps
    from designer.graph.network import forward_graph
    from designer.graph.pathway_index import index_for

    decisions = [s.id for s in pathway.steps if s.kind == StepKind.decision]
    graph = forward_graph(pathway) if graph is None else graph
    skippable = skippable_steps(graph, decisions, surgery)
    parallel = {(t.source, t.target) for t in pathway.transitions if t.parallel}
    if not skippable or not parallel:
        return skippable
    # Branches marked parallel are taken together: a way round a step on one of them
    # through a sibling branch is no way round it (Surgery School beside the
    # preassessment route is for everyone). Keep only steps some patient can avoid.
    entries = (index or index_for(pathway)).entries or [n for n in graph if not graph.in_degree(n)]
    return avoidable_steps(graph, parallel, entries, surgery, skippable)


class _Told:
    """Which block of which part tells of each step, in the order the steps were told.

    :meth:`feeder` answers from the ways into one step, not from every step told so
    far: asked of each step in turn, a scan of all the told steps made the booklet's
    build grow with the square of the pathway.
    """

    def __init__(self, pathway: Pathway) -> None:
        self.sources: dict[str, list[str]] = {}      # step -> the steps with a way into it
        for t in pathway.transitions:
            self.sources.setdefault(t.target, []).append(t.source)
        self.block: dict[str, Block] = {}
        self.part: dict[str, str] = {}              # step -> the part its block is in
        self.rank: dict[str, int] = {}              # step -> when it was first told

    def tell(self, step_id: str, block: Block, part: str) -> None:
        self.rank.setdefault(step_id, len(self.rank))
        self.block[step_id] = block
        self.part[step_id] = part

    def feeder(self, step_id: str, part: str) -> Block | None:
        """Of the told steps with a way into ``step_id`` whose block is in ``part``,
        the block of the one first told last; None when there is none."""
        told = [s for s in self.sources.get(step_id, ()) if self.part.get(s) == part]
        return self.block[max(told, key=self.rank.__getitem__)] if told else None


def _all_text(sections: list[BookletSection]) -> list[str]:
    """Every heading, line and label of ``sections``."""
    texts: list[str] = []
    for section in sections:
        texts.append(section.title)
        for block in section.blocks:
            texts += [block.heading, block.when] + block.paragraphs + block.bullets
            texts += block.labels
    return texts


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def build_booklet(pathway: Pathway) -> Booklet:
    """The booklet for ``pathway`` (no file written)."""
    from designer.graph.timeline import compute_timeline

    from designer.graph.network import forward_graph
    from designer.graph.pathway_index import index_for

    # one index and one forward graph for the timeline and every search below
    index = index_for(pathway)
    timeline = compute_timeline(pathway, index.graph)
    forward = forward_graph(pathway, index.graph)
    order = [e.step_id for e in timeline.entries]
    seen = set(order)
    order += [s.id for s in pathway.steps if s.id not in seen]
    steps = {s.id: s for s in pathway.steps}
    roles = {r.id: r.name for r in pathway.roles}

    side_route = _off_the_road_to_surgery(pathway, timeline.surgery_step, forward)
    some_branches = _only_on_some_branches(pathway, timeline.surgery_step, forward, index)
    stretched, loops = _loops(pathway, timeline, forward, index)
    left_on = _leaving_day(pathway, timeline)

    parts: dict[str, list[Block]] = {"before": [], "day": [], "after": [], "home": []}
    overview: list[str] = []
    contacts: dict[str, list[str]] = {}
    told = _Told(pathway)                     # step -> the block that tells of it
    for step_id in order:
        step = steps.get(step_id)
        if step is None or not (step.patient_info or "").strip():
            continue
        entry = timeline.by_step.get(step_id)
        relative = entry.relative_day if entry is not None else None
        part = _part_of(step, relative)
        after_leaving = left_on is not None and relative is not None and part == "home" \
            and step.activity is not Activity.discharge and relative >= left_on \
            and relative - left_on < 14
        if step.timing_assumed:
            # No source gives this step's day: say where it falls, not when.
            home = after_leaving or part == "home" and step.activity is not Activity.discharge
            plain_when = assumed_when_label(part, relative, home)
            short_when = assumed_when_label(part, relative, home, short=True)
        elif after_leaving:
            plain_when = leaving_label(relative - left_on)
            short_when = leaving_label(relative - left_on, short=True)
        else:
            plain_when = when_label(relative, at_least=step_id in stretched)
            short_when = when_label(relative, at_least=step_id in stretched, short=True)
        when = plain_when
        if step_id in loops:
            # No figure for how much later: a loop's length is the pathway's planning
            # assumption (how long treatment takes varies), not a sourced fact.
            when = LOOP_WHEN
        elif step_id in side_route:
            when = IF_PLANS_CHANGE
        elif step_id in some_branches and when:
            when = f"{IF_YOU_NEED_IT}: {when[0].lower()}{when[1:]}"
        paragraphs = _paragraphs(step.patient_info or "")
        feeder = told.feeder(step_id, part) if _is_team_question(step) else None
        if feeder is not None:
            # "Operate?" or "HbA1c below 69?" is the care team's shorthand, not a
            # heading for a patient: its words continue the step that leads to it
            # (even when a step on a parallel branch, told of the same day, came between).
            feeder.paragraphs.extend(paragraphs)
            told.tell(step_id, feeder, part)
            continue
        heading = patient_name(step) if not _is_team_question(step) else DECISION_HEADING
        parts[part].append(Block(heading=heading, when=when, paragraphs=paragraphs))
        told.tell(step_id, parts[part][-1], part)
        if step.kind != StepKind.decision and (step_id not in side_route
                                               or step_id in loops):
            name = patient_name(step)
            if step_id in loops:
                overview.append(f"Only if you need it: {name}. {LOOP_LATER}")
            else:
                name += " (if you need it)" if step_id in some_branches else ""
                overview.append(f"{short_when}: {name}" if short_when else name)
        owner = roles.get(step.owner or "")
        if owner and owner.lower() != "patient" and step.kind != StepKind.decision:
            contacts.setdefault(owner, []).append(patient_name(step))

    sections = [BookletSection("intro", "About this booklet", [Block(paragraphs=[
        "This booklet explains what happens before, during and after your operation.",
        "It tells you how to get ready, so you can get well and go home sooner.",
        "Read it with your family or a friend. Keep it and bring it to each visit.",
    ])])]
    if overview:
        intro = ["These are the steps in the order you meet them. Each time says how long "
                 "it is before or after your operation. The times are a guide. Yours may "
                 "not be the same."]
        if any(steps[i].timing_assumed for i in order if i in steps):
            intro[0] += (" Some steps have no set time. For these, the list says only if "
                         "they come before or after.")
        for step_id in loops:
            # The name follows a colon, never a verb: a step's name may be a noun
            # ("Help from your GP") or a gerund ("Treating health problems"), and
            # "If you need treating health problems" is not English.
            intro.append(f"Not everyone needs this step: "
                         f"{_lower_first(patient_name(steps[step_id]))}. If you do, you "
                         f"may wait longer than the times shown here.")
        sections.append(BookletSection("when", "What happens and when", [Block(
            paragraphs=intro, bullets=overview)]))
    if parts["before"]:
        sections.append(BookletSection("before", "Before your operation", parts["before"]))
    topics = advice_for(pathway, overnight=_stays_overnight(pathway, timeline))
    if topics:
        sections.append(BookletSection("ready", "How to get ready", [
            Block(paragraphs=["Small changes in the weeks before your operation help a lot. "
                              "Now is a good time to make them."])] + [
            Block(heading=t.heading, paragraphs=list(t.paragraphs), bullets=list(t.bullets))
            for t in topics]))
    if parts["day"]:
        sections.append(BookletSection("day", "The day of your operation", parts["day"]))
    if parts["after"]:
        sections.append(BookletSection("after", "After your operation", parts["after"]))
    if parts["home"]:
        sections.append(BookletSection("home", "Going home", parts["home"]))
    contact_blocks = [Block(paragraphs=[
        "You will be given a named contact when your operation is booked. Write their name "
        "and phone number here:"],
        form_lines=["Name: ______________________", "Phone: ______________________"])]
    if contacts:
        contact_blocks.append(Block(
            paragraphs=["These people look after you along the way:"],
            labels=[f"{who}: {', '.join(what)}" for who, what in contacts.items()]))
    contact_blocks.append(Block(paragraphs=[
        "If you feel unwell after you go home, call the number on your discharge letter. "
        "You can also call NHS 111. In an emergency, call 999."]))
    contact = BookletSection("contact", "Who to contact", contact_blocks)
    used = words_used(_all_text(sections + [contact]))
    if used:
        # Labels, not sentences: explained words are not scored for reading age.
        sections.append(BookletSection("words", "Words you may hear", [Block(
            paragraphs=["Your care team may use these short forms:"], labels=used)]))
    sections.append(contact)
    cited = list(dict.fromkeys(ref for t in topics for ref in t.sources))
    if cited:
        from ...graph.sources import cite_short

        # Labels, not sentences: references are not scored for reading age.
        sections.append(BookletSection("sources", "Where this advice comes from", [Block(
            paragraphs=["The advice in this booklet comes from these sources:"],
            labels=[cite_short(ref) for ref in cited])]))
    booklet = Booklet(title="Getting ready for your operation",
                      subtitle=patient_title(pathway.title), sections=sections)
    explain_short_forms(booklet)
    return booklet


def _lower_first(text: str) -> str:
    """'Help from your GP' -> 'help from your GP' (a short form keeps its capitals)."""
    first = text.split(" ", 1)[0]
    return text if first.isupper() or len(first) > 1 and first[1:].lower() != first[1:] \
        else text[:1].lower() + text[1:]


def _loops(pathway: Pathway, timeline, graph=None,
           index=None) -> tuple[set[str], dict[str, float]]:
    """Steps whose time before the operation a loop can stretch, and the loop steps.

    A loop step (``detour`` on the timeline: GP treatment to bring blood sugar
    down, say) sends the patient back to an earlier step, so every step up to
    that earlier one can come longer before the operation than the timeline's
    usual day; the loop step maps to the days one trip round it adds. ``graph`` and
    ``index``: the forward graph and the pathway's index, when the caller has them.
    """
    loops = {e.step_id: float(e.loop_days) for e in timeline.entries
             if e.detour and e.loop_days}
    if not loops:
        return set(), {}
    from designer.graph.network import forward_graph
    from designer.graph.pathway_index import index_for

    graph = forward_graph(pathway) if graph is None else graph
    targets = [target for source, target in (index or index_for(pathway)).loop_backs
               if source in loops and target in graph]
    return _and_before(graph, targets) - set(loops), loops


def _and_before(graph, nodes) -> set:
    """``nodes`` and every node with a route to one of them: one search from all of
    them together (the union of ``networkx.ancestors`` of each, without a search per
    node, which grew with the square of the pathway)."""
    found = set(nodes)
    stack = list(found)
    while stack:
        for before in graph.predecessors(stack.pop()):
            if before not in found:
                found.add(before)
                stack.append(before)
    return found


def _leaving_day(pathway: Pathway, timeline) -> float | None:
    """The day (relative to the operation) the patient goes home: the end of the first
    discharge after the operation."""
    ends = []
    for step in pathway.steps:
        entry = timeline.by_step.get(step.id)
        if step.activity is Activity.discharge and entry is not None \
                and entry.relative_day is not None and entry.relative_day >= 0:
            ends.append(entry.relative_day + (entry.end_day - entry.start_day))
    return min(ends) if ends else None

