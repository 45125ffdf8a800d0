"""The optional ``business_case:`` block of a pathway file (DESIGN section 8).

What a board decides on that the drawn pathway cannot say by itself: the decision
sought, who sponsors it, the recommendation, the options considered (each may
name the scenario that models it), the benefits and how each is measured, the
risks not captured elsewhere (with an owner and a mitigation) and the
implications considered (quality, equality, finance, workforce, legal).

Every model refuses bad values with a message naming the field
(``business_case.risks[1].owner: ...``), so a half-written risk never loads and
an edit in the GUI is refused before it changes anything. Qt-free.
"""

# no "from __future__ import annotations": pydantic reads real annotations (no
# forward references to compile when the model classes are built at start-up)

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, \
    model_validator

from .defaults import empty_list

#: the implications a board cover sheet says were considered, in the order printed
IMPLICATIONS = ("quality", "equality", "finance", "workforce", "legal")
IMPLICATION_LABELS = {"quality": "Quality", "equality": "Equality", "finance": "Finance",
                      "workforce": "Workforce", "legal": "Legal"}
#: the recommendation fits the cover sheet: at most this many lines
RECOMMENDATION_LINES = 3


class _CaseBase(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True,
                              str_strip_whitespace=True, allow_inf_nan=False)


def _words(value: str | None, what: str) -> str | None:
    if value is not None and not value.strip():
        raise ValueError(f"{what} is empty: write it or leave the field out")
    return value


class Option(_CaseBase):
    """One option considered, e.g. "Do nothing" or "Adopt ERAS+"."""

    name: str = Field(min_length=1)
    scenario: str | None = None      # the flow scenario that models it ("baseline": as drawn)
    description: str | None = None
    preferred: bool | None = None   # true for the option recommended


class Benefit(_CaseBase):
    """A benefit and how it will be measured (PROMs, length of stay, cancellations, RTT)."""

    benefit: str = Field(min_length=1)
    measure: str = Field(min_length=1)
    owner: str | None = None


class Risk(_CaseBase):
    """A risk not captured by the pathway's findings or workshop notes."""

    risk: str = Field(min_length=1)
    owner: str = Field(min_length=1)
    mitigation: str = Field(min_length=1)


class Implications(_CaseBase):
    """What the board is told was considered, one short text each."""

    quality: str | None = None
    equality: str | None = None
    finance: str | None = None
    workforce: str | None = None
    legal: str | None = None

    @field_validator(*IMPLICATIONS)
    @classmethod
    def _not_blank(cls, value: str | None, info) -> str | None:
        return _words(value, f"the {info.field_name} implication")

    def items(self) -> list[tuple[str, str]]:
        """(label, text) for each implication written, in the cover sheet's order."""
        return [(IMPLICATION_LABELS[k], getattr(self, k)) for k in IMPLICATIONS
                if getattr(self, k)]

    def missing(self) -> list[str]:
        return [IMPLICATION_LABELS[k] for k in IMPLICATIONS if not getattr(self, k)]


class BusinessCase(_CaseBase):
    """The ``business_case:`` block."""

    decision: str | None = None          # the decision sought from the board
    sponsor: str | None = None
    recommendation: str | None = None    # at most three lines
    options: list[Option] = Field(default_factory=empty_list)
    benefits: list[Benefit] = Field(default_factory=empty_list)
    risks: list[Risk] = Field(default_factory=empty_list)
    implications: Implications | None = None
    #: share (0 to 1) of the bed-days released that the sponsor commits to release as cash
    #: (beds or ward shifts closed); the rest is capacity released for other patients
    cash_releasing_share: float | None = Field(default=None, ge=0, le=1)

    @field_validator("decision", "sponsor")
    @classmethod
    def _not_blank(cls, value: str | None, info) -> str | None:
        return _words(value, f"the {info.field_name}")

    @field_validator("recommendation")
    @classmethod
    def _three_lines(cls, value: str | None) -> str | None:
        _words(value, "the recommendation")
        if value is not None:
            lines = [line for line in value.splitlines() if line.strip()]
            if len(lines) > RECOMMENDATION_LINES:
                raise ValueError(f"the recommendation has {len(lines)} lines; a cover sheet "
                                 f"takes at most {RECOMMENDATION_LINES}")
        return value

    @model_validator(mode="after")
    def _one_preferred(self) -> "BusinessCase":
        preferred = [i for i, o in enumerate(self.options) if o.preferred]
        if len(preferred) > 1:
            raise ValueError(f"options[{preferred[1]}].preferred: only one option can be "
                             f"preferred (options[{preferred[0]}] already is)")
        names: dict[str, int] = {}
        for i, o in enumerate(self.options):
            if o.name.lower() in names:
                raise ValueError(f"options[{i}].name: '{o.name}' is already "
                                 f"options[{names[o.name.lower()]}]")
            names[o.name.lower()] = i
        return self

    # ---------------------------------------------------------------- helpers

    def preferred_option(self) -> Option | None:
        return next((o for o in self.options if o.preferred), None)

    def is_empty(self) -> bool:
        return self == BusinessCase()


class BusinessCaseRefused(ValueError):
    """A business case that cannot be accepted; the message names the field."""


def checked_business_case(value: Any) -> BusinessCase | None:
    """``value`` (a dict, a :class:`BusinessCase` or None) validated.

    Returns None for None or an empty case (the block is then left out of the file).
    Raises :class:`BusinessCaseRefused` whose message starts with the field path,
    e.g. ``business_case.risks[0].owner: ...``.
    """
    if value is None:
        return None
    data = value.model_dump(exclude_none=True) if isinstance(value, BusinessCase) else value
    if not isinstance(data, dict):
        raise BusinessCaseRefused("business_case: expected a block of fields, "
                                  f"not {type(data).__name__}")
    try:
        case = BusinessCase.model_validate(data)
    except ValidationError as exc:
        raise BusinessCaseRefused(_message(exc)) from None
    return None if case.is_empty() else case


def _message(exc: ValidationError) -> str:
    lines = []
    for err in exc.errors():
        path = "business_case"
        for part in err.get("loc", ()):
            path += f"[{part}]" if isinstance(part, int) else f".{part}"
        msg = err.get("msg", "invalid value").removeprefix("Value error, ")
        if err.get("type") == "extra_forbidden":
            msg = ("not a business case field (fields: decision, sponsor, recommendation, "
                   "options, benefits, risks, implications, cash_releasing_share)"
                   if len(err.get("loc", ())) == 1 else "not a field of this entry")
        if msg.startswith("options["):     # a whole-case check that names its own field
            field, _, rest = msg.partition(": ")
            path, msg = f"business_case.{field}", rest
        lines.append(f"{path}: {msg}")
    return "; ".join(lines)
