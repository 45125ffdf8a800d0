"""The board pack as a list of simple blocks, and the trace of every figure in it.

The content builder (:mod:`designer.export.board.content`) writes headings,
paragraphs, tables and charts; the HTML, PDF and Word writers only lay them
out, so the three formats say the same thing. Every number the builder prints
goes through :class:`Trace`, which records the input it came from; the pack's
appendix "Where each figure comes from" is that record.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Union

from designer.graph.vocabulary import money, number, plural


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Run = Union[str, Link]
Cell = Union[str, list]          # a string or a list of runs


@dataclass
class Heading:
    text: str
    level: int = 1               # 1: a part of the pack, 2: a section, 3: a subsection
    anchor: str = ""


@dataclass
class Para:
    runs: list                   # str and Link
    style: str = ""              # "", "lead", "small", "label"
    label: str = ""              # a bold lead-in ("Decision sought.")


@dataclass
class Bullets:
    items: list                  # each a list of runs


@dataclass
class Table:
    header: list[str]
    rows: list[list]             # cells: str or list of runs
    widths: list[float]          # fractions of the text width
    anchor: str = ""
    emphasis: list[int] = field(default_factory=list)   # rows printed bold


@dataclass
class Chart:
    svg: str
    png: bytes
    alt: str
    caption: str
    width_fraction: float = 1.0
    aspect: float = 0.5          # height / width


@dataclass
class PageBreak:
    pass


@dataclass
class Cover:
    """The cover sheet's title band."""
    kicker: str
    title: str


from designer.export.kit.links import URL_RE, split_links  # noqa: E402


def linked(text: str) -> list:
    """``text`` as runs, with every web address in it a :class:`Link`."""
    return [Link(part, url) if url else part for part, url in split_links(text)]


def plain(cell) -> str:
    """The text of a cell or a list of runs."""
    if isinstance(cell, str):
        return cell
    return "".join(r.text if isinstance(r, Link) else str(r) for r in cell)


# ------------------------------------------------------------------ numbers


#: a number as a reader meets it: not glued to a letter before it (ids such as "ng180",
#: "Core20PLUS5" are names, not figures); web addresses are taken out first
NUMBER_RE = re.compile(r"(?<![A-Za-z0-9_.])\d[\d,]*(?:\.\d+)?")


def numbers_in(text: str) -> list[str]:
    """Every number in ``text`` (commas removed), web addresses left out."""
    text = URL_RE.sub(" ", text or "")
    return [n.replace(",", "").rstrip(".") for n in NUMBER_RE.findall(text)]


def sig(value: float, figures: int = 3) -> float:
    """``value`` rounded to ``figures`` significant figures (whole numbers stay whole)."""
    if value == 0 or not math.isfinite(value):
        return 0.0
    digits = figures - int(math.floor(math.log10(abs(value)))) - 1
    return round(value, digits) if digits > 0 else float(round(value, digits))


@dataclass
class TraceRow:
    figure: str          # as printed
    what: str            # what the figure is
    source: str          # the input it came from


class Trace:
    """Formats figures for people and records where each came from."""

    def __init__(self, currency: str = "GBP") -> None:
        self.rows: list[TraceRow] = []
        self._seen: set[tuple[str, str]] = set()
        self.currency = currency

    def add(self, figure: str, what: str, source: str) -> str:
        key = (figure, source)
        if key not in self._seen and numbers_in(figure):
            self._seen.add(key)
            self.rows.append(TraceRow(figure, what, source))
        return figure

    # formatters (graph.vocabulary's number and money, rounded for a board) ------

    def money(self, value: float) -> str:
        """An amount for a board: three significant figures from 1,000, else whole units."""
        value = sig(abs(value)) if abs(value) >= 1000 else float(round(abs(value)))
        return self.money_exact(value)

    def money_exact(self, value: float) -> str:
        """An amount as given (a unit cost): pence only when it has them."""
        if self.currency.upper() == "GBP":
            return money(abs(value))
        return f"{number(abs(value))} {self.currency}"

    @staticmethod
    def count(value: float) -> str:
        return number(sig(value) if abs(value) >= 100 else round(value, 1))

    @staticmethod
    def share(value: float) -> str:
        return f"{number(round(value * 100, 1))}%"

    @staticmethod
    def weeks(value: float) -> str:
        return plural(round(value, 1), "week")

    def text(self, value, where: str):
        """Free text (or a Link): its numbers are traced to the field or source ``where``."""
        value = value or ""
        found = numbers_in(value.text if isinstance(value, Link) else value)
        if found:
            self.add(", ".join(dict.fromkeys(found)), "numbers written in the file's text",
                     where)
        return value
