"""The rule registry: every check the designer runs, grouped in packs.

A rule is a small function ``(pathway, graph) -> Iterable[Finding]`` registered
with :func:`rule`. The ``core`` pack always runs; ``perioperative`` and
``diabetes`` run when the pathway lists them in ``rule_packs``. Each rule's
docstring names its clinical source in DOMAIN.md.

Rule functions build their findings with :func:`found`, which fills in the
rule's pack, default severity and title from the registry, so a rule only says
what is wrong, how to fix it, and where.

Inside a rule, :func:`~designer.graph.network.index_for` gives the shared
look-ups (steps by id, adjacency, reachable sets) built once per validation.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Iterable

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
SEVERITY_RANK = {name: rank for rank, name in enumerate(SEVERITIES)}
PACKS: tuple[str, ...] = ("core", "perioperative", "diabetes", "flow")
ALWAYS_ON = "core"


@dataclass(frozen=True)
class Finding:
    """One problem found in a pathway.

    Attributes
    ----------
    rule
        The rule id, e.g. ``"handoff-missing"``.
    severity
        ``"error"``, ``"warning"`` or ``"info"``.
    message
        What is wrong and how to fix it, naming steps by their names.
    targets
        Step ids or transition names ``"FROM->TO"``; empty for the whole pathway.
    pack, title
        The rule's pack and one-line title.
    waived_reason
        The waiver's reason when a waiver accepted this finding, else None.
    """

    rule: str
    severity: str
    message: str
    targets: tuple[str, ...] = ()
    pack: str = ""
    title: str = ""
    waived_reason: str | None = None

    def to_json(self) -> dict:
        out = {"rule": self.rule, "severity": self.severity, "message": self.message,
               "targets": list(self.targets)}
        if self.waived_reason is not None:
            out["reason"] = self.waived_reason
        return out


RuleCheck = Callable[..., Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, pack, default severity, title and source."""

    id: str
    pack: str
    severity: str
    title: str
    source: str
    check: RuleCheck = field(repr=False, compare=False)


RULES: dict[str, Rule] = {}


def rule(id: str, pack: str, title: str, source: str, severity: str = "error"
         ) -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as the rule ``id``.

    Parameters
    ----------
    id
        The rule id (stable: waivers and other tools name it).
    pack
        One of :data:`PACKS`.
    title
        One line saying what the rule finds.
    source
        Where the rule comes from, e.g. ``"DOMAIN.md §7 V03 [3][12]"``.
    severity
        The default severity: ``"error"``, ``"warning"`` or ``"info"``.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if pack not in PACKS:
        raise ValueError(f"unknown rule pack {pack!r}")

    def register(check: RuleCheck) -> RuleCheck:
        if id in RULES:
            raise ValueError(f"rule {id!r} is registered twice")
        RULES[id] = Rule(id, pack, severity, title, source, check)
        return check

    return register


def found(rule_id: str, message: str, *targets: str, severity: str | None = None) -> Finding:
    """A :class:`Finding` of the registered rule ``rule_id``."""
    registered = RULES[rule_id]
    return Finding(rule_id, severity or registered.severity, message, tuple(targets),
                   registered.pack, registered.title)


def rules_in(packs: Iterable[str]) -> list[Rule]:
    """The rules of ``packs`` (plus ``core``), in registration order."""
    load_packs()
    wanted = {ALWAYS_ON, *packs}
    return [r for r in RULES.values() if r.pack in wanted]


def catalogue() -> list[dict[str, str]]:
    """Every rule as ``{id, pack, severity, title, source}``, pack by pack (for docs and UI)."""
    load_packs()
    order = {pack: i for i, pack in enumerate(PACKS)}
    rules = sorted(RULES.values(), key=lambda r: order[r.pack])  # stable: registration order
    return [{"id": r.id, "pack": r.pack, "severity": r.severity, "title": r.title,
             "source": r.source} for r in rules]


_loaded = False


def load_packs() -> dict[str, Rule]:
    """Import every pack module (registering its rules); returns :data:`RULES`."""
    global _loaded
    if not _loaded:
        for pack in PACKS:
            importlib.import_module(f"{__name__}.{pack}")
        _loaded = True
    return RULES


# ------------------------------------------------------------- text matching

def mentions(items: Iterable[str], *words: str) -> bool:
    """True when any of ``items`` contains any of ``words`` (case-insensitive).

    A word written with a trailing ``|`` (e.g. ``"bp|"``) must stand alone, so
    that ``"bp"`` matches "BP 140/90" but not "ebpi".
    """
    return _pattern(words).search(" \n ".join(items)) is not None


@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    for word in words:
        if word.endswith("|"):
            parts.append(rf"(?<![a-z0-9]){re.escape(word[:-1])}(?![a-z0-9])")
        else:
            parts.append(re.escape(word))
    return re.compile("|".join(parts), re.IGNORECASE)
