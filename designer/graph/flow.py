"""Simulation inputs in the pathway file: flow, resources, cohorts, costs, scenarios.

These optional blocks let :mod:`designer.sim` run the drawn pathway as a
discrete-event simulation (DESIGN section 7). A pathway without them loads,
validates, exports and saves exactly as before. Steps gain ``duration``,
``capacity``, ``uses`` and ``costs``; transitions gain ``probability_by_cohort``
and ``wait`` (those field lines live on :class:`~designer.graph.elements.Step`
and :class:`~designer.graph.elements.Transition`; their value types are here).

Each model refuses impossible values with a message naming the field, so a
lognormal with a negative spread or a resource with no capacity never loads.
Checks that need the whole pathway (branches summing to 1, a step using a
resource that does not exist) are the simulation's pre-flight
(:func:`designer.sim.check.preflight`) and the ``flow`` rule pack, because a
half-drawn pathway must still load and be edited.
"""

# no "from __future__ import annotations": pydantic reads real annotations (no
# forward references to compile when the model classes are built at start-up)

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .defaults import empty_list

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: the longest duration, wait or horizon the file accepts, in days (ten years)
MAX_DAYS = 3650.0

DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "fixed": ("value",),
    "exponential": ("mean",),
    "lognormal": ("mean", "sd"),
    "triangular": ("min", "mode", "max"),
    "uniform": ("min", "max"),
}


class _FlowBase(BaseModel):
    # the same rules as the other value objects (elements._Base); kept separate so
    # that elements.py can import these types without an import cycle
    model_config = ConfigDict(
        extra="forbid",
        populate_by_name=True,
        str_strip_whitespace=True,
        allow_inf_nan=False,
    )


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            f"'{value}' is not a valid id: use letters, digits, '-', '_' or '.', "
            "starting with a letter or digit"
        )
    return value


Days = Annotated[float, Field(ge=0, le=MAX_DAYS)]
Share = Annotated[float, Field(ge=0, le=1)]


class Distribution(_FlowBase):
    """A random duration or wait in days: ``{dist: lognormal, mean: 5, sd: 2}``.

    ``fixed`` takes ``value``; ``exponential`` its ``mean``; ``lognormal`` the
    ``mean`` and ``sd`` of the duration itself (not of its logarithm);
    ``triangular`` ``min``, ``mode``, ``max``; ``uniform`` ``min`` and ``max``.
    """

    dist: Literal["fixed", "exponential", "lognormal", "triangular", "uniform"]
    value: Days | None = None
    mean: Days | None = None
    sd: Days | None = None
    min: Days | None = None
    mode: Days | None = None
    max: Days | None = None

    @model_validator(mode="after")
    def _parameters(self) -> "Distribution":
        needed = DISTRIBUTIONS[self.dist]
        given = {k for k in ("value", "mean", "sd", "min", "mode", "max")
                 if getattr(self, k) is not None}
        missing = [k for k in needed if k not in given]
        if missing:
            raise ValueError(f"a {self.dist} distribution needs {_and(needed)}; "
                             f"'{missing[0]}' is missing")
        extra = sorted(given - set(needed))
        if extra:
            raise ValueError(f"a {self.dist} distribution takes {_and(needed)}, "
                             f"not '{extra[0]}'")
        if self.dist in ("exponential", "lognormal") and self.mean == 0:
            raise ValueError(f"a {self.dist} distribution needs a mean above 0")
        if self.dist == "triangular" and not (self.min <= self.mode <= self.max):
            raise ValueError(f"a triangular distribution needs min <= mode <= max "
                             f"(here {_num(self.min)}, {_num(self.mode)}, {_num(self.max)})")
        if self.dist == "uniform" and not self.min <= self.max:
            raise ValueError(f"a uniform distribution needs min <= max "
                             f"(here {_num(self.min)} and {_num(self.max)})")
        return self

    def expected(self) -> float:
        """The mean of the distribution, in days."""
        if self.dist == "fixed":
            return float(self.value)
        if self.dist in ("exponential", "lognormal"):
            return float(self.mean)
        if self.dist == "triangular":
            return (self.min + self.mode + self.max) / 3.0
        return (self.min + self.max) / 2.0


def _and(names: tuple[str, ...]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _num(value: float | None) -> str:
    return "?" if value is None else f"{value:g}"


class Arrivals(_FlowBase):
    """New patients at the entry step: Poisson at ``per_week``, or a weekly ``schedule``.

    ``schedule`` is ``[[week, per_week], ...]``: from that week (counted from the
    start of the run, warm-up included) patients arrive at that rate.
    """

    per_week: float | None = Field(default=None, ge=0, le=1_000_000)
    schedule: list[tuple[Annotated[float, Field(ge=0, le=5200)],
                         Annotated[float, Field(ge=0, le=1_000_000)]]] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Arrivals":
        if self.per_week is None and not self.schedule:
            raise ValueError("arrivals need 'per_week' or a 'schedule' of [week, per_week]")
        if self.per_week is not None and self.schedule:
            raise ValueError("give arrivals as 'per_week' or as a 'schedule', not both")
        if self.schedule:
            weeks = [w for w, _ in self.schedule]
            if weeks != sorted(weeks) or len(set(weeks)) != len(weeks):
                raise ValueError("the weeks of an arrivals schedule must rise, each once")
        return self

    def rate_at(self, week: float) -> float:
        """Patients per week at ``week`` from the start of the run."""
        if self.per_week is not None:
            return self.per_week
        rate = 0.0
        for start, per_week in self.schedule or ():
            if week >= start:
                rate = per_week
        return rate


class Flow(_FlowBase):
    """How the simulation runs: arrivals, horizon, warm-up, replications, seed, currency."""

    arrivals: Arrivals | None = None
    horizon_weeks: float | None = Field(default=None, gt=0, le=5200)
    warmup_weeks: float | None = Field(default=None, ge=0, le=5200)
    replications: int | None = Field(default=None, ge=1, le=10_000)
    seed: int | None = Field(default=None, ge=0, le=2**63 - 1)
    currency: str | None = Field(default=None, min_length=1, max_length=8)
    note: str | None = None


class _Named(_FlowBase):
    # the id and name every list item of the simulation inputs starts with
    id: str
    name: str = Field(min_length=1)

    _v_id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))


class Resource(_Named):
    """Capacity shared by the steps that use it (theatre lists, ward beds, clinic slots)."""

    capacity: int = Field(ge=1, le=1_000_000)
    bed: bool | None = None
    note: str | None = None


class Cohort(_Named):
    """A group of patients with its own share of arrivals and its own branch probabilities."""

    share: float = Field(ge=0, le=1)
    note: str | None = None


class UnitCost(_Named):
    """A unit cost with its source and year: ``{id: bed-day, amount: 313, year: "2016/17"}``."""

    amount: float = Field(ge=0, le=1e9)
    year: str | None = None
    source: str | None = None
    url: str | None = None
    note: str | None = None


class StepCost(_FlowBase):
    """A step's use of a unit cost: once per ``visit`` or for each ``day`` of the step."""

    cost: str = Field(min_length=1)
    per: Literal["visit", "day"] = "visit"


_CHANGE_TARGETS = ("step", "transition", "resource", "flow", "cost", "cohort")
#: which fields a scenario change may set, by the kind of thing it changes
CHANGE_FIELDS: dict[str, tuple[str, ...]] = {
    "step": ("duration_days", "duration", "capacity", "uses", "costs"),
    "transition": ("probability", "probability_by_cohort", "wait_days", "wait"),
    "resource": ("capacity",),
    "flow": ("per_week", "schedule"),
    "cost": ("amount",),
    "cohort": ("share",),
}


class Change(_FlowBase):
    """One change a scenario makes, e.g. ``{step: ward-recovery, duration_days: 9}``."""

    step: str | None = None
    transition: str | None = None
    resource: str | None = None
    flow: Literal["arrivals"] | None = None
    cost: str | None = None
    cohort: str | None = None
    duration_days: Days | None = None
    duration: Distribution | None = None
    capacity: int | None = Field(default=None, ge=1, le=1_000_000)
    uses: list[str] | None = None
    costs: list[StepCost] | None = None
    probability: Share | None = None
    probability_by_cohort: dict[str, Share] | None = None
    wait_days: Days | None = None
    wait: Distribution | None = None
    per_week: float | None = Field(default=None, ge=0, le=1_000_000)
    schedule: list[tuple[Annotated[float, Field(ge=0, le=5200)],
                         Annotated[float, Field(ge=0, le=1_000_000)]]] | None = None
    amount: float | None = Field(default=None, ge=0, le=1e9)
    share: Share | None = None

    @model_validator(mode="after")
    def _one_target(self) -> "Change":
        targets = [k for k in _CHANGE_TARGETS if getattr(self, k) is not None]
        if len(targets) != 1:
            raise ValueError("a change names one thing to change: "
                             + ", ".join(f"'{k}'" for k in _CHANGE_TARGETS)
                             + (f" (here {_and(tuple(targets))})" if targets else ""))
        kind = targets[0]
        allowed = CHANGE_FIELDS[kind]
        values = [k for k in CHANGE_FIELDS_ALL if getattr(self, k) is not None]
        wrong = [k for k in values if k not in allowed]
        if wrong:
            raise ValueError(f"a change to a {kind} can set {_and(allowed)}, not '{wrong[0]}'")
        if not values:
            raise ValueError(f"the change to {kind} '{getattr(self, kind)}' sets nothing: "
                             f"give {_and(allowed)}")
        return self

    @property
    def kind(self) -> str:
        """``"step"``, ``"transition"``, ``"resource"``, ``"flow"``, ``"cost"`` or ``"cohort"``."""
        return next(k for k in _CHANGE_TARGETS if getattr(self, k) is not None)

    @property
    def target(self) -> str:
        return str(getattr(self, self.kind))

    def values(self) -> dict[str, Any]:
        """The fields this change sets, as model objects."""
        return {k: getattr(self, k) for k in CHANGE_FIELDS[self.kind]
                if getattr(self, k) is not None}


CHANGE_FIELDS_ALL: tuple[str, ...] = tuple(dict.fromkeys(
    f for fields in CHANGE_FIELDS.values() for f in fields))


class Scenario(_Named):
    """A named variant of the pathway, compared with the others on common random numbers."""

    description: str | None = None
    changes: list[Change] = Field(default_factory=empty_list)

