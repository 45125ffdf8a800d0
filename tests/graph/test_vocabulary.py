"""One vocabulary: every value has one label, and numbers of days, things and money one wording."""

from __future__ import annotations

import pytest

from designer.graph import vocabulary as v


@pytest.mark.parametrize("enum, labels", [
    (v.StepKind, v.STEP_KIND_LABELS), (v.Phase, v.PHASE_LABELS),
    (v.SettingKind, v.SETTING_KIND_LABELS), (v.Status, v.STATUS_LABELS),
    (v.Channel, v.CHANNEL_LABELS), (v.Activity, v.ACTIVITY_LABELS),
    (v.PriorityKind, v.PRIORITY_KIND_LABELS), (v.PriorityStatus, v.PRIORITY_STATUS_LABELS),
    (v.NoteCategory, v.NOTE_CATEGORY_LABELS), (v.NoteCategory, v.NOTE_CATEGORY_HEADINGS),
])
def test_every_value_has_one_distinct_label(enum, labels):
    assert list(labels) == list(enum)
    assert len(set(labels.values())) == len(labels)
    assert all(label.strip() == label and label[0].isupper() for label in labels.values())


@pytest.mark.parametrize("value, text", [
    (1, "1 day"), (1.0, "1 day"), (0, "0 days"), (14, "14 days"), (2.25, "2.25 days"),
    (1.5, "1.5 days"), (0.999999999999, "1 day"), (1200, "1,200 days"),
])
def test_days(value, text):
    assert v.days(value) == text


def test_plural_and_money():
    assert v.plural(1, "step") == "1 step"
    assert v.plural(3, "step") == "3 steps"
    assert v.plural(0, "error") == "0 errors"
    assert v.plural(2, "match", "matches") == "2 matches"
    assert v.money(1234) == "£1,234"
    assert v.money(12.5) == "£12.50"
    assert v.money(0.1 + 0.2) == "£0.30"


def test_a_spec_says_one_duration_one_way():
    """Issue 9: one specification said "lasts 2.25 days" and "takes 2.2 days"."""
    from builders import link, pathway, step

    from designer.export.spec import spec_content
    from designer.export.spec.text import critical_path_sentence

    p = pathway([step("in", "entry"), step("prep", duration_days=2.25), step("out", "exit")],
                [link("in", "prep"), link("prep", "out")])
    content = spec_content(p)
    [prep] = [row for group in content.phases for row in group.steps if row.id == "prep"]
    assert "lasts 2.25 days" in prep.timing
    assert "takes 2.25 days" in critical_path_sentence(content)


def test_screen_and_paper_use_the_same_labels():
    """The properties panel and the specification name a status and a phase alike."""
    from builders import link, pathway, step

    from designer.export.spec import spec_content

    p = pathway([step("in", "entry", phase="contemplation"), step("out", "exit")],
                [link("in", "out")], status="exemplar")
    content = spec_content(p)
    assert content.status == v.STATUS_LABELS[v.Status.exemplar] == "Library exemplar"
    assert content.phases[0].title == v.PHASE_LABELS[v.Phase.contemplation]
