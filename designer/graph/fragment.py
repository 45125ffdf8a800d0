"""How steps travel inside the designer: the clipboard fragment and the palette's drag payload.

Copied steps travel as a small YAML fragment (the steps and the transitions
between them) so they can be pasted into another designer window or read in a
text editor. A step dragged from the palette carries a small JSON payload under
:data:`STEP_MIME_TYPE` (``{"kind": ..., "activity": ..., "name": ...}``), which the
canvas turns into a step with :func:`step_from_payload`. Qt-free: the window and the
canvas only move the text.
"""

from __future__ import annotations

import yaml
from pydantic import ValidationError

from designer.graph.model import ACTIVITY_LABELS, Activity, Pathway, Phase, Step, StepKind, Transition

FRAGMENT_HEADER = "# periop-pathway/1 fragment: steps and the transitions between them\n"


def fragment_text(pathway: Pathway, step_ids: list[str]) -> str:
    """YAML text holding ``step_ids`` and the transitions among them."""
    from designer.graph.io import pathway_to_data

    chosen = set(step_ids)
    part = pathway.model_copy(update={
        "steps": [s for s in pathway.steps if s.id in chosen],
        "transitions": [t for t in pathway.transitions
                        if t.source in chosen and t.target in chosen],
        "waivers": [], "notes": [], "priorities": [], "votes": []})
    data = _plain(pathway_to_data(part))
    fragment = {"steps": data.get("steps", [])}
    if data.get("transitions"):
        fragment["transitions"] = data["transitions"]
    # flow style for leaf lists only: positions read as [x, y], like the saved file
    return FRAGMENT_HEADER + yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True,
                                            width=100, default_flow_style=None)


def _plain(value):
    """Plain dicts, lists and scalars (the file writer's list types are its own)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def parse_fragment(text: str) -> tuple[list[Step], list[Transition]]:
    """Steps and transitions from clipboard text; raises ValueError with a message."""
    try:
        data = yaml.safe_load(text)
    except (yaml.YAMLError, ValueError, OverflowError):   # e.g. a date like 0000-00-00
        raise ValueError("The clipboard does not hold pathway steps.") from None
    if not isinstance(data, dict) or not isinstance(data.get("steps"), list):
        raise ValueError("The clipboard does not hold pathway steps.")
    if not isinstance(data.get("transitions") or [], list):
        raise ValueError("The steps on the clipboard cannot be pasted: their transitions "
                         "are not a list.")
    try:
        steps = [Step.model_validate(item) for item in data["steps"]]
        transitions = [Transition.model_validate(item)
                       for item in data.get("transitions") or []]
    except ValidationError as exc:
        from designer.graph.model import friendly_validation_message

        raise ValueError("The steps on the clipboard cannot be pasted: "
                         + friendly_validation_message(exc)) from None
    except (TypeError, ValueError, AttributeError):  # shapes pydantic does not expect
        raise ValueError("The clipboard does not hold pathway steps.") from None
    if not steps:
        raise ValueError("The clipboard holds no steps.")
    return steps, transitions


# ------------------------------------------------------------ palette drag payload

STEP_MIME_TYPE = "application/x-periop-step"

_PHASE_OF: dict[Activity, Phase] = {
    Activity.referral: Phase.contemplation,
    Activity.shared_decision_making: Phase.contemplation,
    Activity.risk_assessment: Phase.contemplation,
    Activity.surgery: Phase.intraoperative,
    Activity.inpatient_recovery: Phase.postoperative,
    Activity.discharge: Phase.postoperative,
    Activity.follow_up: Phase.recovery,
    Activity.rehabilitation: Phase.recovery,
}


def guess_phase(activity: Activity | None) -> Phase | None:
    """The phase an activity usually belongs to (preoperative unless known otherwise)."""
    if activity is None:
        return None
    return _PHASE_OF.get(activity, Phase.preoperative)


def payload_for(kind: StepKind, activity: Activity | None = None,
                name: str | None = None) -> dict:
    return {"kind": kind.value, "activity": activity.value if activity else None,
            "name": name or (ACTIVITY_LABELS[activity] if activity else "New step")}


def step_from_payload(pathway: Pathway, payload: dict) -> Step:
    """A new step (fresh id, guessed phase, no lane yet) from a palette payload."""
    if not isinstance(payload, dict):
        raise ValueError("the dropped data is not a palette entry")
    kind = StepKind(payload.get("kind") or "task")
    activity = Activity(payload["activity"]) if payload.get("activity") else None
    name = str(payload.get("name") or "New step").strip() or "New step"
    return Step(id=pathway.new_id(name), name=name, kind=kind, activity=activity,
                phase=guess_phase(activity))
