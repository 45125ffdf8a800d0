"""What every importer shares: the refusal, the import report and the result.

An importer either returns an :class:`ImportResult` (a pathway that loads, and
a report of what was kept, mapped and not carried over) or raises
:class:`ImportRefused` with one message for people. It never half-imports.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from designer.graph.model import Pathway

MAX_BYTES = 50 * 1024 * 1024      # as for pathway files
MAX_STEPS = 5_000                 # far beyond any care pathway; a guard against bombs
_SLUG = re.compile(r"[^A-Za-z0-9_.-]+")


class ImportRefused(ValueError):
    """A file that cannot be imported; ``str()`` is the whole message for people."""

    def __init__(self, file: str, problem: str, reason: str = "unreadable") -> None:
        self.file, self.problem, self.reason = file, problem, reason
        super().__init__(f"Cannot import {file}: {problem}")


@dataclass
class ImportReport:
    """What an import kept, how it mapped things, and what it could not carry over.

    Attributes
    ----------
    source, fmt : str
        The file name and the format read ("BPMN 2.0", "FHIR R4 PlanDefinition").
    kept : dict
        What became what: ``{"task -> step": 12, ...}``.
    notes : list of str
        Mapping decisions the user should know about (a default setting, the
        entry chosen among several start events, lanes flattened, ...).
    dropped : dict
        Elements with no equivalent, by kind: ``{"parallelGateway": ["Gateway_1", ...]}``.
    findings : list of str
        Validation findings of the result, one line each: what to complete.
    """

    source: str
    fmt: str
    kept: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    dropped: dict[str, list[str]] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    finding_counts: dict[str, int] = field(default_factory=dict)

    def keep(self, what: str, n: int = 1) -> None:
        self.kept[what] = self.kept.get(what, 0) + n

    def note(self, text: str) -> None:
        self.notes.append(text)

    def drop(self, kind: str, ident: str) -> None:
        self.dropped.setdefault(kind, []).append(ident)

    def dropped_count(self) -> int:
        return sum(len(v) for v in self.dropped.values())

    def add_findings(self, pathway: Pathway) -> None:
        """Run the validator on the result and keep its findings as lines to act on."""
        from designer.graph.validate import validate

        report = validate(pathway)
        self.finding_counts = dict(report.summary)
        self.findings = [f"{f.severity}: [{f.rule}] {f.message}" for f in report.findings]

    def to_markdown(self) -> str:
        lines = [f"# Import report: {self.source}", "", f"Read as {self.fmt}.", ""]
        lines += ["## Kept", ""]
        lines += [f"- {what}: {n}" for what, n in self.kept.items()] or ["- nothing"]
        lines += ["", "## How it was mapped", ""]
        lines += [f"- {text}" for text in self.notes] or ["- nothing to note"]
        lines += ["", "## Not carried over (no equivalent in a pathway)", ""]
        if self.dropped:
            lines += ["| Kind | Count | Element ids |", "|---|---|---|"]
            for kind, idents in sorted(self.dropped.items()):
                shown = ", ".join(idents[:50]) + (" ..." if len(idents) > 50 else "")
                lines.append(f"| {kind} | {len(idents)} | {_cell(shown)} |")
        else:
            lines.append("- nothing: every element has an equivalent")
        lines += ["", "## What to complete", ""]
        if self.finding_counts:
            c = self.finding_counts
            lines.append(f"Validation: {c.get('error', 0)} errors, "
                         f"{c.get('warning', 0)} warnings, {c.get('info', 0)} notes.")
            lines.append("")
        lines += [f"- {_cell(f)}" for f in self.findings[:200]] or ["- nothing"]
        if len(self.findings) > 200:
            lines.append(f"- ... and {len(self.findings) - 200} more")
        return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


@dataclass
class ImportResult:
    """The pathway and its report; ``sub_pathways`` maps a step id to the import of
    the sub-process it stands for (when asked for)."""

    pathway: Pathway
    report: ImportReport
    sub_pathways: dict[str, "ImportResult"] = field(default_factory=dict)


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The file's bytes, refused when missing, a folder or too large."""
    name = str(path)
    p = Path(path)
    try:
        size = p.stat().st_size
        if p.is_dir():
            raise ImportRefused(name, "it is a folder, not a file", "not a file")
        if size > MAX_BYTES:
            raise ImportRefused(name, f"the file is {size // (1024 * 1024)} MB; "
                                f"files over {MAX_BYTES // (1024 * 1024)} MB are refused",
                                "too large")
        return p.read_bytes()
    except FileNotFoundError:
        raise ImportRefused(name, "no such file", "not found") from None
    except OSError as exc:
        raise ImportRefused(name, exc.strerror or str(exc), "unreadable") from None


def utf8_text(data: bytes, name: str) -> str:
    """``data`` as UTF-8 text (a byte-order mark is allowed); refused otherwise."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportRefused(name, f"the text is not UTF-8 (byte 0x{data[exc.start]:02x} at "
                            f"offset {exc.start}); save it as UTF-8 and try again",
                            "not UTF-8") from None


def slug(text: str, fallback: str) -> str:
    """An id of the pathway format made from ``text`` (lower case, '-' for spaces)."""
    s = _SLUG.sub("-", (text or "").strip().lower()).strip("-._")[:60].strip("-._")
    return s or fallback


class IdMaker:
    """Unique ids of the pathway format, made from names or foreign ids."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, text: str, fallback: str) -> str:
        base = slug(text, fallback)
        candidate, n = base, 2
        while candidate in self.used:
            candidate, n = f"{base}-{n}", n + 1
        self.used.add(candidate)
        return candidate

    def claim(self, ident: str) -> bool:
        """Take ``ident`` as it is; False when it is taken already."""
        if ident in self.used:
            return False
        self.used.add(ident)
        return True


SETTING_WORDS = (   # (kind, words in a lane or pool name), first match wins
    ("home", ("home", "patient", "carer", "family", "client", "customer")),
    ("primary", ("gp", "general practi", "primary", "pharmac", "surgery practice")),
    ("social", ("social",)),
    ("voluntary", ("voluntary", "charity", "third sector")),
    ("community", ("community", "hub", "district")),
)


def guess_setting_kind(name: str) -> str:
    words = name.lower()
    for kind, keys in SETTING_WORDS:
        if any(re.search(r"\b" + re.escape(k), words) for k in keys):
            return kind
    return "secondary"


def validated_pathway(data: dict[str, Any], report: ImportReport, name: str) -> Pathway:
    """``Pathway`` from mapped data; a value that is not valid is left out, and said so.

    Only damaged or hand-edited files reach the repairs (our extension data with a
    wrong value, say): one value at a time is removed (or, when a required field
    is the problem, the item holding it) until the data validates.
    """
    from pydantic import ValidationError

    from designer.graph.model import format_loc

    for _ in range(500):
        try:
            return Pathway.model_validate(data)
        except ValidationError as exc:
            error = exc.errors()[0]
            where = _repair(data, list(error.get("loc", ())), error.get("type") == "missing")
            if where is None:
                raise ImportRefused(name, "it could not be mapped to a pathway "
                                    f"({format_loc(error.get('loc', ()))}: "
                                    f"{error.get('msg')})", "mapping error") from None
            report.note(f"The value at {where} was not valid ({error.get('msg')}) and was "
                        "left out.")
    raise ImportRefused(name, "it holds too many values that are not valid", "mapping error")


def _repair(data: dict[str, Any], loc: list[Any], missing: bool) -> str | None:
    """Remove what ``loc`` points at (its holder when it is missing); the path, or None."""
    from designer.graph.model import format_loc

    path: list[Any] = []
    holders: list[Any] = [data]
    for part in loc:
        current = holders[-1]
        if isinstance(current, dict) and part in current:
            holders.append(current[part])
        elif isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current):
            holders.append(current[part])
        else:
            break
        path.append(part)
    if missing and len(path) == len(loc):
        path = path[:-1]              # a required value that is there but empty: its holder
    if not path:
        return None
    if len(path) == 1 and path[0] in ("id", "title"):
        data[path[0]] = "imported-pathway" if path[0] == "id" else "Imported pathway"
        return format_loc(path)
    holder = data
    for part in path[:-1]:
        holder = holder[part]
    del holder[path[-1]]
    return format_loc(path)
