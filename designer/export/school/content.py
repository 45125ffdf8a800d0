"""The Surgery School booklet's content, in the order the patient meets the steps.

Built from each step's ``patient_info`` (the pathway author's plain-English text)
and the general advice topics of :mod:`designer.export.school.advice`. Order and
"weeks before surgery" come from :func:`designer.graph.timeline.compute_timeline`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from designer.graph.model import Activity, Pathway, Phase, Step, StepKind
from designer.export.school.advice import advice_for
from designer.export.school.words import words_used
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


def when_label(relative_day: float | None) -> str:
    """'About 6 weeks before your operation', 'On the day of your operation', ..."""
    if relative_day is None:
        return ""
    days = round(relative_day)
    if days == 0:
        return "On the day of your operation"
    span = abs(days)
    side = "before" if days < 0 else "after"
    if span < 7:
        return f"{days_text(span)} {side} your operation"
    weeks = round(span / 7)
    return f"About {plural(weeks, 'week')} {side} your operation"


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


def _off_the_road_to_surgery(pathway: Pathway, surgery: str | None) -> set[str]:
    """Steps on a side route: neither leading to surgery nor coming after it.

    For example "back to GP care" when the patient decides not to have the
    operation. The booklet does not give these a time, since most patients
    never meet them.
    """
    if not surgery:
        return set()
    import networkx as nx

    from designer.graph.network import forward_graph

    graph = forward_graph(pathway)
    if surgery not in graph:
        return set()
    on_road = nx.ancestors(graph, surgery) | nx.descendants(graph, surgery) | {surgery}
    return {s.id for s in pathway.steps if s.id not in on_road}


def _only_on_some_branches(pathway: Pathway, surgery: str | None) -> set[str]:
    """Steps on the road to surgery that a decision lets some patients skip.

    For example "Optimise health" after "Needs optimising?": patients with
    nothing to treat go straight on. A step is skippable when surgery can still
    be reached from one of its decisions with the step taken out.
    """
    if not surgery:
        return set()
    from designer.graph.branches import skippable_steps
    from designer.graph.network import forward_graph

    decisions = [s.id for s in pathway.steps if s.kind == StepKind.decision]
    return skippable_steps(forward_graph(pathway), decisions, surgery)


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

    timeline = compute_timeline(pathway)
    order = [e.step_id for e in timeline.entries]
    seen = set(order)
    order += [s.id for s in pathway.steps if s.id not in seen]
    steps = {s.id: s for s in pathway.steps}
    roles = {r.id: r.name for r in pathway.roles}

    side_route = _off_the_road_to_surgery(pathway, timeline.surgery_step)
    some_branches = _only_on_some_branches(pathway, timeline.surgery_step)

    parts: dict[str, list[Block]] = {"before": [], "day": [], "after": [], "home": []}
    overview: list[str] = []
    contacts: dict[str, list[str]] = {}
    in_last_block: dict[str, set[str]] = {}    # part -> the steps its latest block tells of
    feeds = {(t.source, t.target) for t in pathway.transitions}
    for step_id in order:
        step = steps.get(step_id)
        if step is None or not (step.patient_info or "").strip():
            continue
        entry = timeline.by_step.get(step_id)
        relative = entry.relative_day if entry is not None else None
        when = IF_PLANS_CHANGE if step_id in side_route else when_label(relative)
        if step_id in some_branches and when:
            when = f"{IF_YOU_NEED_IT}: {when[0].lower()}{when[1:]}"
        part = _part_of(step, relative)
        paragraphs = _paragraphs(step.patient_info or "")
        if _is_team_question(step) and any(
                (source, step_id) in feeds for source in in_last_block.get(part, ())):
            # "Operate?" or "HbA1c below 69?" is the care team's shorthand, not a
            # heading for a patient: its words continue the step that leads to it.
            parts[part][-1].paragraphs.extend(paragraphs)
            in_last_block[part].add(step_id)
            continue
        heading = step.name if not _is_team_question(step) else DECISION_HEADING
        parts[part].append(Block(heading=heading, when=when, paragraphs=paragraphs))
        in_last_block[part] = {step_id}
        if step.kind != StepKind.decision and step_id not in side_route:
            name = step.name + (" (if you need it)" if step_id in some_branches else "")
            plain_when = when_label(relative)
            overview.append(f"{plain_when}: {name}" if plain_when else name)
        owner = roles.get(step.owner or "")
        if owner and owner.lower() != "patient" and step.kind != StepKind.decision:
            contacts.setdefault(owner, []).append(step.name)

    sections = [BookletSection("intro", "About this booklet", [Block(paragraphs=[
        "This booklet explains what happens before, during and after your operation.",
        "It tells you how to get ready, so you can recover well and get home sooner.",
        "Read it with your family or a friend. Keep it and bring it to your appointments.",
    ])])]
    if overview:
        sections.append(BookletSection("when", "What happens and when", [Block(
            paragraphs=["These are the steps in the order you will meet them. The times "
                        "are a guide. Yours may be different."],
            bullets=overview)]))
    if parts["before"]:
        sections.append(BookletSection("before", "Before your operation", parts["before"]))
    topics = advice_for(pathway, overnight=_stays_overnight(pathway, timeline))
    if topics:
        sections.append(BookletSection("ready", "How to get ready", [
            Block(paragraphs=["Small changes in the weeks before your operation make a big "
                              "difference. This is a good time to make them."])] + [
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
    return Booklet(title="Getting ready for your operation",
                   subtitle=pathway.title, sections=sections)
