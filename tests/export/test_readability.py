"""Reading-age checks: formula, long sentences, offline behaviour."""

from __future__ import annotations

import pytest

from designer.export.school import readability as r


def test_reading_age_is_flesch_kincaid_grade_plus_five():
    text = ("You will meet the nurse at the clinic. They will check your blood pressure "
            "and ask about your medicines.")
    words = r.count_words(text)
    syllables = r.count_syllables(text)
    grade = 0.39 * (words / 2) + 11.8 * (syllables / words) - 15.59
    assert r.flesch_kincaid_grade(text) == pytest.approx(grade)
    assert r.reading_age(text) == pytest.approx(round(grade + 5, 1))


def test_plain_text_reads_younger_than_jargon():
    plain = "You come to the clinic. A nurse checks your health. You can ask questions."
    jargon = ("Preoperative optimisation of glycaemic control necessitates multidisciplinary "
              "coordination between anaesthetists, endocrinologists and practitioners.")
    assert r.reading_age(plain) <= 11
    assert r.reading_age(jargon) > 14
    assert r.reading_age(jargon) > r.reading_age(plain)


def test_empty_and_very_simple_text():
    assert r.reading_age("") == 0.0
    assert r.reading_age("   ") == 0.0
    assert r.reading_age("Go home. Sit down.") == 5.0   # floor: never below 5


def test_long_sentences_are_listed_in_order():
    short = "Bring your medicines."
    long_one = ("Please bring a list of all the tablets that you take every day, including "
                "any that you buy yourself from a shop or a chemist near your home.")
    long_two = " ".join(["word"] * 21) + "."
    text = f"{short} {long_one} {short}\n{long_two}"
    assert r.long_sentences(text) == [long_one, long_two]
    assert r.long_sentences(" ".join(["word"] * 20) + ".") == []


def test_split_sentences_on_punctuation_and_line_breaks():
    assert r.split_sentences("One here. Two here!\nThree here? Four") == [
        "One here.", "Two here!", "Three here?", "Four"]


def test_check_section_flags_text_above_eleven():
    easy = r.check_section("Easy", "You go home. Your GP sees you.")
    hard = r.check_section("Hard", "Postoperative anticoagulation necessitates individualised "
                                   "pharmacological consideration.")
    assert not easy.too_hard and hard.too_hard
    assert hard.title == "Hard" and hard.words == 6


def test_works_offline_without_nltk_downloads(monkeypatch):
    import nltk

    def refuse(*args, **kwargs):
        raise AssertionError("the reading check must not download anything")

    monkeypatch.setattr(nltk, "download", refuse)
    r.syllables_in_word.cache_clear()
    assert r.reading_age("You will meet your surgeon before the operation.") > 5
