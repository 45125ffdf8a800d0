"""Surgery School materials for patients, in HTML, PDF or DOCX, with a reading check.

Usage::

    from designer.export.school import export_school, school_report
    report = export_school(pathway, "pdf", "booklet.pdf", large_print=True)
    for warning in report.warnings:
        print(warning)

    report = school_report(pathway)     # the same check without writing a file

The booklet follows the patient's journey (see
:mod:`designer.export.school.content`). Every section is measured with
:mod:`designer.export.school.readability`: reading age = Flesch-Kincaid grade + 5. The
NHS aims for a reading age of 9 to 11, so sections above 11 are reported as
warnings, and sentences over 20 words are listed for the author to shorten.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from designer.graph.model import Pathway
from designer.export.school.readability import (
    MAX_SENTENCE_WORDS,
    TARGET_READING_AGE,
    SectionReadability,
    check_section,
    reading_age,
)
from designer.export.kit.files import write_export
from designer.export.school.content import (  # noqa: F401 (the sizes are read from here too)
    BODY_SIZE, LARGE_PRINT_SIZE, Booklet, build_booklet,
)

SCHOOL_FORMATS = ("html", "pdf", "docx")
#: Below this many words a reading-age formula swings widely; the warning says so.
SHORT_SECTION_WORDS = 30
#: Sections shorter than this get no warning: on a sentence or two one long word
#: ("You have your operation.") swings the formula past the aim however plain it is.
MIN_WORDS_TO_WARN = 10


@dataclass
class SchoolReport:
    """The reading check of a Surgery School booklet.

    Attributes
    ----------
    title
        The pathway's title.
    sections
        One :class:`~designer.export.school.readability.SectionReadability` per section
        (``title``, ``reading_age``, ``words``, ``long_sentences``), in booklet order.
    overall_reading_age
        Reading age of the whole booklet's text.
    warnings
        One message per section that reads above age 11, for the CLI and the UI.
    path
        The file written, when there is one.
    """

    title: str
    sections: list[SectionReadability]
    overall_reading_age: float
    warnings: list[str] = field(default_factory=list)
    path: Path | None = None

    @property
    def long_sentence_count(self) -> int:
        return sum(len(s.long_sentences) for s in self.sections)

    def to_json(self) -> dict:
        """A plain dict for JSON output."""
        return {
            "title": self.title,
            "overall_reading_age": self.overall_reading_age,
            "target_reading_age": TARGET_READING_AGE,
            "sections": [{"title": s.title, "reading_age": s.reading_age, "words": s.words,
                          "long_sentences": list(s.long_sentences)} for s in self.sections],
            "warnings": list(self.warnings),
            "file": str(self.path) if self.path else None,
        }

    def to_text(self) -> str:
        """A short report for people: reading age per section, then the warnings."""
        lines = [f"Surgery School booklet: {self.title}",
                 f"Overall reading age {self.overall_reading_age:g} "
                 f"(NHS aim: {TARGET_READING_AGE:g} or below)."]
        for s in self.sections:
            mark = "  above target" if s.too_hard else ""
            lines.append(f"  {s.reading_age:5.1f}  {s.title}{mark}")
        if self.long_sentence_count:
            lines.append(f"{self.long_sentence_count} sentence(s) over "
                         f"{MAX_SENTENCE_WORDS} words:")
            for s in self.sections:
                for sentence in s.long_sentences:
                    lines.append(f"  [{s.title}] {sentence}")
        lines += [f"Warning: {w}" for w in self.warnings]
        return "\n".join(lines)


def _report(booklet: Booklet) -> SchoolReport:
    checks = [check_section(s.title, s.plain_text()) for s in booklet.sections]
    whole = "\n".join(s.plain_text() for s in booklet.sections)
    warnings = [f"'{c.title}' has a reading age of {c.reading_age:g}, above the NHS aim of "
                f"{TARGET_READING_AGE:g}: use shorter sentences and everyday words."
                + (f" (Only {c.words} words: the score is a rough guide.)"
                   if c.words < SHORT_SECTION_WORDS else "")
                for c in checks if c.too_hard and c.words >= MIN_WORDS_TO_WARN]
    return SchoolReport(title=booklet.subtitle, sections=checks,
                        overall_reading_age=reading_age(whole), warnings=warnings)


def school_report(pathway: Pathway) -> SchoolReport:
    """The reading check of ``pathway``'s booklet, without writing a file."""
    return _report(build_booklet(pathway))


def export_school(pathway: Pathway, fmt: str, out_path: str | os.PathLike[str],
                  large_print: bool = False) -> SchoolReport:
    """Write the Surgery School booklet of ``pathway`` and return its reading check.

    Parameters
    ----------
    pathway
        The pathway (not changed).
    fmt
        ``"html"``, ``"pdf"`` or ``"docx"``.
    out_path
        The file to write (written beside it first, then moved into place).
    large_print
        Body text at 16 pt or more in every format.

    Raises
    ------
    ValueError
        For an unknown format.
    designer.export.ExportError
        When the file cannot be written.
    """
    fmt = fmt.lower().lstrip(".")
    if fmt not in SCHOOL_FORMATS:
        raise ValueError(f"Unknown Surgery School format '{fmt}': "
                         f"choose one of {', '.join(SCHOOL_FORMATS)}")
    booklet = build_booklet(pathway)
    report = _report(booklet)
    size = LARGE_PRINT_SIZE if large_print else BODY_SIZE

    def write(tmp: Path) -> None:
        if fmt == "html":
            from designer.export.school.html import render_school_html

            tmp.write_text(render_school_html(booklet, large_print), encoding="utf-8")
        elif fmt == "pdf":
            from designer.export.school.pdf import write_school_pdf

            write_school_pdf(booklet, tmp, size)
        else:
            from designer.export.school.docx import write_school_docx

            write_school_docx(booklet, tmp, size)

    report.path = write_export(Path(out_path), write)
    return report
