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

from ...graph.model import Pathway

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
        from ...graph.validate import validate

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
    pathway: Pathway
    report: ImportReport


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
