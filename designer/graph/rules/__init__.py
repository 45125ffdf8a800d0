"""The rule registry: every check the designer runs, grouped in packs.

A rule is a small function ``(pathway, graph) -> Iterable[Finding]`` registered
with :func:`rule`. The ``core`` pack always runs; ``perioperative`` and
``diabetes`` run when the pathway lists them in ``rule_packs``. Each rule cites
its sources by id from the product's sources registry
(:mod:`designer.graph.sources`); a structural rule with no clinical source cites
:data:`FORMAT`, the pathway file format itself.

A pathway may change a rule's severity or switch it off in ``rule_config``
(see :func:`designer.graph.validate.validate`).

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

from .. import sources as _sources

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


#: a structural rule's basis: the pathway file format, not a clinical source
FORMAT = "format"
FORMAT_BASIS = ("The pathway file format (a structural check: the pathway must be "
                "well formed before it can be read clinically)")


@dataclass(frozen=True)
class Rule:
    """A registered rule: its id, pack, default severity, title and sources.

    ``sources`` are registry citations (``"nice-ng180#1.1.1"``) or :data:`FORMAT`;
    ``source`` is the same in words, for people.
    """

    id: str
    pack: str
    severity: str
    title: str
    sources: tuple[str, ...]
    check: RuleCheck = field(repr=False, compare=False)

    @property
    def source(self) -> str:
        """The rule's sources as readable references, separated by "; "."""
        return "; ".join(FORMAT_BASIS if ref == FORMAT else _sources.cite_short(ref)
                         for ref in self.sources)

    @property
    def weak(self) -> bool:
        """True when every clinical source of the rule is a weak one."""
        clinical = [ref for ref in self.sources if ref != FORMAT]
        return bool(clinical) and all(_sources.get(ref).weak for ref in clinical)


RULES: dict[str, Rule] = {}


def rule(id: str, pack: str, title: str, source: str | tuple[str, ...],
         severity: str = "error") -> Callable[[RuleCheck], RuleCheck]:
    """Register the decorated function as the rule ``id``.

    Parameters
    ----------
    id
        The rule id (stable: waivers, ``rule_config`` and other tools name it).
    pack
        One of :data:`PACKS`.
    title
        One line saying what the rule finds.
    source
        One citation or a tuple of them: a sources-registry id, optionally with
        the part that applies (``"nice-ng180#1.1.1"``), or :data:`FORMAT` for a
        structural rule. Every id must be in the registry.
    severity
        The default severity: ``"error"``, ``"warning"`` or ``"info"``.
    """
    if severity not in SEVERITIES:
        raise ValueError(f"unknown severity {severity!r}")
    if pack not in PACKS:
        raise ValueError(f"unknown rule pack {pack!r}")
    refs = (source,) if isinstance(source, str) else tuple(source)
    if not refs:
        raise ValueError(f"rule {id!r} cites no source")
    for ref in refs:
        if ref != FORMAT and _sources.split_ref(ref)[0] not in _sources.SOURCES:
            raise ValueError(f"rule {id!r} cites {ref!r}, which is not in the sources registry")

    def register(check: RuleCheck) -> RuleCheck:
        if id in RULES:
            raise ValueError(f"rule {id!r} is registered twice")
        RULES[id] = Rule(id, pack, severity, title, refs, check)
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


def catalogue() -> list[dict]:
    """Every rule as ``{id, pack, severity, title, source, sources}``, pack by pack.

    ``source`` is the readable reference text; ``sources`` lists the registry
    citations (``"nice-ng180#1.1.1"``, or ``"format"`` for a structural rule).
    """
    load_packs()
    order = {pack: i for i, pack in enumerate(PACKS)}
    rules = sorted(RULES.values(), key=lambda r: order[r.pack])  # stable: registration order
    return [{"id": r.id, "pack": r.pack, "severity": r.severity, "title": r.title,
             "source": r.source, "sources": list(r.sources)} for r in rules]


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


# ------------------------------------------------------------ surgery facts

def surgery_facts(step):
    """The step's :class:`~designer.graph.elements.SurgeryFacts` (all unknown when unset)."""
    from ..elements import SurgeryFacts

    return step.surgery if step.surgery is not None else SurgeryFacts()


def fewest(items: list[str], limit: int = 3) -> str:
    """Up to ``limit`` quoted names joined with commas, "and N more" after that."""
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")
