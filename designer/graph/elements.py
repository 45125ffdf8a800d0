"""The value objects of a pathway file: settings, roles, steps, transitions, handoffs...

Each is a pydantic model that refuses unknown fields and bad values. The
document that holds them, :class:`designer.graph.model.Pathway`, lives in model.py.
"""

# no "from __future__ import annotations": pydantic reads real annotations (no
# forward references to compile when the model classes are built at start-up)

import re
import reprlib
from typing import Iterable, Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .defaults import empty_dict, empty_list
from .flow import Distribution, Share, StepCost
from .ids import ID_PATTERN  # the id syntax lives with the id rules (no pydantic there)
from .vocabulary import (
    Activity, Channel, Milestone, NoteCategory, Phase, PriorityKind, PriorityStatus, RuleLevel,
    SettingKind, StepKind,
)

FORMAT = "periop-pathway/1"
_ID_RE = re.compile(ID_PATTERN)


MESSAGE_VALUE_LIMIT = 80  # characters of a user's value quoted in a message

_bounded_repr = reprlib.Repr()
_bounded_repr.maxlevel, _bounded_repr.maxlist, _bounded_repr.maxdict = 2, 4, 4
_bounded_repr.maxstring = _bounded_repr.maxother = MESSAGE_VALUE_LIMIT


def shorten(value: Any, limit: int = MESSAGE_VALUE_LIMIT) -> str:
    """``value`` as text for a message, at most ``limit`` characters (then an ellipsis).

    Never builds the whole text of a large value: a list or mapping is shown by a
    bounded repr, so a value made huge by YAML aliases costs nothing to quote.
    """
    if isinstance(value, str):
        text = value[: limit + 1]
    else:
        try:
            text = _bounded_repr.repr(value)
        except Exception:  # noqa: BLE001 - a message must never fail to build
            text = f"<{type(value).__name__}>"
    text = " ".join(text.split()) if any(c in text for c in "\n\r\t\v\f") else text
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


class EditRefused(ValueError):
    """An edit that was refused; the message is written for the person editing."""


class _Base(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        use_enum_values=False,
        str_strip_whitespace=True,
        allow_inf_nan=False,   # "nan" or "inf" is never a day count, share or position
    )


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            f"'{shorten(value)}' is not a valid id: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    return value


def _round_position(value: tuple[float, float] | None) -> tuple[float, float] | None:
    # Positions are stored to 0.1 units so saved files stay stable and diffable.
    if value is None:
        return None
    return (round(float(value[0]), 1), round(float(value[1]), 1))


class Setting(_Base):
    """A setting of care; one swimlane."""

    id: str
    name: str = Field(min_length=1)
    kind: SettingKind
    description: str | None = None

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


class Role(_Base):
    """A professional role (or the patient) that owns steps and sends or receives handoffs."""

    id: str
    name: str = Field(min_length=1)
    description: str | None = None

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


class SurgeryFacts(_Base):
    """Facts about an operation that the clinical rules cannot tell from words.

    Set on a surgery step (``surgery: {major: true, day_case: false}``). Each is
    optional: a rule that needs a fact that is not set says "cannot tell" (as
    information) rather than guessing.
    """

    major: bool | None = Field(default=None, description=(
        "Major or complex surgery (enhanced recovery, Surgery School and the anaemia "
        "screen apply). False for minor surgery."))
    day_case: bool | None = Field(default=None, description=(
        "Planned as a day case (home the same day). Day cases are exempt from the "
        "Surgery School check; inpatient surgery needs a VTE plan."))
    major_blood_loss: bool | None = Field(default=None, description=(
        "Expected blood loss over 500 mL or a transfusion risk over 10%: Hb and iron are "
        "then checked at least 3-4 weeks before surgery."))
    extended_vte_prophylaxis: bool | None = Field(default=None, description=(
        "VTE prophylaxis continues at home after discharge (e.g. hip or knee replacement, "
        "major cancer surgery): the discharge handoff must carry it."))

    def is_empty(self) -> bool:
        return all(v is None for v in (self.major, self.day_case, self.major_blood_loss,
                                       self.extended_vte_prophylaxis))


class RuleOverride(_Base):
    """A pathway's own severity for one rule, with the reason (``rule_config``)."""

    level: RuleLevel = Field(description="error, warning, info, or off (the rule does not run).")
    reason: str | None = Field(default=None, description=(
        "Why this pathway departs from the rule's default; the specification prints it."))


class Step(_Base):
    """One step of the patient's journey, in one setting, owned by one role."""

    id: str
    name: str = Field(min_length=1)
    kind: StepKind = StepKind.task
    activity: Activity | None = None
    phase: Phase | None = None
    setting: str | None = None
    owner: str | None = None
    duration_days: float | None = Field(default=None, ge=0, le=3650)
    duration: Distribution | None = None    # simulation inputs (flow.py)
    timing_assumed: bool | None = Field(default=None, description=(
        "True when no source gives when this step happens: its day on the timeline rests "
        "on planning-assumption lengths (durations and waits). The Surgery School booklet "
        "then says only where the step falls ('Before your operation', 'After you go "
        "home'), never a day count, and the timeline marks its day as assumed."))
    capacity: int | None = Field(default=None, ge=1, le=1_000_000)
    uses: list[str] = Field(default_factory=empty_list)
    costs: list[StepCost] = Field(default_factory=empty_list)
    channel: Channel | None = None
    description: str | None = None
    patient_info: str | None = None
    #: what patients call the step (booklets); the name when not given
    patient_name: str | None = None
    codes: dict[str, str] = Field(default_factory=empty_dict)
    milestone: Milestone | None = Field(default=None, description=(
        "Marks a waiting-time clock: 'referral' (starts the 18-week and 62-day clocks; "
        "defaults to the entry step) or 'decision-to-treat' (starts the cancer 31-day clock)."))
    surgery: SurgeryFacts | None = Field(default=None, description=(
        "Facts about the operation on a surgery step: major, day_case, major_blood_loss, "
        "extended_vte_prophylaxis."))
    position: tuple[float, float] | None = None

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))
    _v_pos = field_validator("position")(classmethod(lambda cls, v: _round_position(v)))


class Handoff(_Base):
    """What passes between two settings when the patient moves: who, what, how, how fast."""

    sender: str | None = None
    receiver: str | None = None
    information: list[str] = Field(default_factory=empty_list)
    channel: str | None = None
    within_days: float | None = Field(default=None, ge=0, le=3650)

    @field_validator("information")
    @classmethod
    def _strip_items(cls, v: list[str]) -> list[str]:
        return [item.strip() for item in v if item and item.strip()]

    def is_complete(self) -> bool:
        """True when sender, receiver, information and channel are all given."""
        return bool(self.sender and self.receiver and self.information and self.channel)


class Transition(_Base):
    """A move of the patient from one step to the next."""

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    wait_days: float | None = Field(default=None, ge=0, le=3650)
    condition: str | None = None
    probability: float | None = Field(default=None, ge=0, le=1)
    parallel: bool | None = Field(default=None, description=(
        "True when patients take this branch as well as the other ways on from the same "
        "step (it runs in parallel, e.g. prehabilitation from diagnosis alongside the "
        "decision to treat). Where parallel branches meet, the step waits for all of "
        "them, so a check done on any one of them counts as done before it. Unmarked "
        "branches from a task are read by the rules as possible alternative routes."))
    probability_by_cohort: dict[str, Share] = Field(default_factory=empty_dict)  # flow.py
    wait: Distribution | None = None
    handoff: Handoff | None = None

    @property
    def key(self) -> str:
        """The transition's name: ``"FROM->TO"``."""
        return f"{self.source}->{self.target}"


class Waiver(_Base):
    """A finding accepted on purpose, with a reason."""

    rule: str = Field(min_length=1)
    target: str | None = None
    reason: str = Field(min_length=1)


class Evidence(_Base):
    """A claim the pathway rests on, and where a reader can check it."""

    claim: str = Field(min_length=1, description="The claim, in our own words.")
    source: str = Field(min_length=1, description=(
        "Where to read it: a web address, or a reference a reader can follow."))
    ref: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9.-]*(#.+)?$", description=(
        "Optional id in the designer's sources registry (e.g. 'nice-ng180', or "
        "'nice-ng180#1.1.1' for one recommendation). Needed when `source` is not the "
        "address of a registry source; `periop rules` and the registry list the ids."))
    weak: bool = Field(default=False, description=(
        "True when the claim rests on a non-UK, secondary or unpublished source."))
    note: str | None = Field(default=None, description="Why the evidence is weak, or a caveat.")


class DerivedFrom(_Base):
    id: str
    version: str


class Note(_Base):
    """A workshop sticky note on a step, a transition ("A->B") or a place on the canvas."""

    id: str
    text: str = Field(min_length=1)
    author: str | None = None
    category: NoteCategory = NoteCategory.idea
    target: str | None = None
    position: tuple[float, float] | None = None

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))
    _v_pos = field_validator("position")(classmethod(lambda cls, v: _round_position(v)))


class Priority(_Base):
    """A priority agreed at a workshop."""

    id: str
    title: str = Field(min_length=1)
    kind: PriorityKind = PriorityKind.quick_win
    owner: str | None = None
    due: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    status: PriorityStatus = PriorityStatus.open
    steps: list[str] = Field(default_factory=empty_list)
    description: str | None = None

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


class Vote(_Base):
    """Dots placed by one participant on a step or a priority (target is its id)."""

    participant: str = Field(min_length=1)
    target: str = Field(min_length=1)
    count: int = Field(default=1, ge=1, le=100)


class Workshop(_Base):
    """Workshop settings: dots each participant may place, and who is taking part."""

    votes_per_participant: int = Field(default=5, ge=1, le=100)
    participants: list[str] = Field(default_factory=empty_list)

    @field_validator("participants")
    @classmethod
    def _strip_names(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(n.strip() for n in v if n and n.strip()))


def friendly_validation_message(exc: ValidationError) -> str:
    """One line per pydantic error, with a field path like ``steps[2].duration_days``."""
    lines = []
    for err in exc.errors():
        path = format_loc(err.get("loc", ()))
        msg = err.get("msg", "invalid value")
        msg = shorten(msg.removeprefix("Value error, "), 400)
        lines.append(f"{path}: {msg}" if path else msg)
    return "; ".join(lines)


def format_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out
