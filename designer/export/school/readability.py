"""Reading-age checks for patient materials (NHS content style: registry source nhs-how-we-write).

The NHS asks for a reading age of 9 to 11 (11 to 14 where medical content
forces it) and sentences of up to 20 words. We measure each section of a
Surgery School booklet and list the sentences that are too long.

Formula
-------
reading age = Flesch-Kincaid grade + 5

where the Flesch-Kincaid grade is::

    0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59

A US school grade maps to a reading age by adding 5 (grade 1 is read at about
age 6). Sentence and word counts come from ``textstat``. Syllables are counted
with ``pyphen``'s British English hyphenation dictionary, which ships inside the
package. ``textstat``'s own English syllable counter first tries the CMU
pronouncing dictionary, which ``nltk`` downloads from the internet on first use;
we avoid it so that the check works offline and gives the same number on every
machine. (``textstat`` itself falls back to exactly this pyphen count for words
the CMU dictionary does not know.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import textstat

#: Sentences longer than this are listed (NHS content style).
MAX_SENTENCE_WORDS = 20
#: Sections read above this age produce a warning.
TARGET_READING_AGE = 11.0

_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)", re.UNICODE)
_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f]+(?:['\u2019-][A-Za-z\u00c0-\u024f]+)*")


@lru_cache(maxsize=1)
def _hyphenator():
    from pyphen import Pyphen  # a dependency of textstat; dictionaries are bundled

    return Pyphen(lang="en_GB")


@lru_cache(maxsize=8192)
def syllables_in_word(word: str) -> int:
    """Syllables in one word, from its hyphenation points (at least 1)."""
    word = word.lower().strip("'\u2019")
    if not word:
        return 0
    return len(_hyphenator().positions(word)) + 1


def count_syllables(text: str) -> int:
    """Syllables in ``text`` (words only; digits and symbols are ignored)."""
    return sum(syllables_in_word(w) for w in _WORD_RE.findall(text))


def count_words(text: str) -> int:
    """Words in ``text``, as ``textstat`` counts them."""
    return int(textstat.lexicon_count(text, removepunct=True))


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text``: split at ``.``, ``!``, ``?`` and line breaks."""
    return [s.strip() for s in _SENTENCE_RE.findall(text) if _WORD_RE.search(s)]


def flesch_kincaid_grade(text: str) -> float:
    """Flesch-Kincaid grade of ``text`` (0.0 for text without words)."""
    words = count_words(text)
    if words == 0:
        return 0.0
    sentences = max(1, int(textstat.sentence_count(text)))
    syllables = count_syllables(text)
    return 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59


def reading_age(text: str) -> float:
    """Reading age in years: Flesch-Kincaid grade + 5, rounded to 0.1.

    Never below 5 (very short, simple text can score a negative grade).
    """
    if count_words(text) == 0:
        return 0.0
    return round(max(5.0, flesch_kincaid_grade(text) + 5.0), 1)


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

    @property
    def too_hard(self) -> bool:
        """True when the section reads above the target reading age."""
        return self.reading_age > TARGET_READING_AGE


def check_section(title: str, text: str) -> SectionReadability:
    """Measure one section: its reading age, word count and long sentences."""
    return SectionReadability(
        title=title,
        reading_age=reading_age(text),
        words=count_words(text),
        long_sentences=long_sentences(text),
    )
