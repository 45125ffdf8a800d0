"""Ids made from names: the slug rule and when an id follows its name (issue 15)."""

from __future__ import annotations

import re

from designer.graph.blank import blank_pathway
from designer.graph.elements import ID_PATTERN
from designer.graph.ids import follows_name, slugify
from designer.graph.model import DerivedFrom, Status, Step


def test_slugs_are_valid_ids_in_plain_words():
    assert slugify("ERAS+ colorectal") == "eras-plus-colorectal"
    assert slugify("Pré-op clinic & ward") == "pre-op-clinic-and-ward"
    assert slugify("  ???  ", "pathway") == "pathway"
    long = slugify("word " * 40)
    assert len(long) <= 48 and not long.endswith("-") and long.startswith("word-word")
    for text in ("ERAS+", "日本語", "-x-", "A.B_C", "x" * 200):
        assert re.match(ID_PATTERN, slugify(text))


def test_follows_name_accepts_the_slug_and_numbered_copies_only():
    assert follows_name("new-step", "New step")
    assert follows_name("new-step-2", "New step")
    assert not follows_name("new-step-x", "New step")
    assert not follows_name("referral", "Referral for surgical opinion")


def test_a_new_pathway_id_follows_the_title_and_a_typed_one_stays():
    pathway = blank_pathway()
    assert pathway.id == "new-pathway"
    assert pathway.pathway_id_for_title("ERAS+ colorectal") == "eras-plus-colorectal"
    pathway.update_header(title="ERAS+ colorectal", id="eras-plus-colorectal")
    # still made from the title in a draft: it follows the next title too
    assert pathway.pathway_id_for_title("ERAS+ hip") == "eras-plus-hip"
    pathway.update_header(id="my-own-id")
    assert pathway.pathway_id_for_title("Anything") is None
    assert pathway.suggested_id() is None


def test_an_approved_pathway_keeps_its_id_but_a_left_over_one_is_offered():
    pathway = blank_pathway()
    pathway.update_header(title="Hip replacement", id="hip-replacement",
                          status=Status.approved)
    assert pathway.pathway_id_for_title("Hip and knee") is None
    pathway.update_header(id="new-pathway")
    assert pathway.suggested_id() == "hip-replacement"
    pathway.update_header(id="eras-plus-colorectal-local",
                          derived_from=DerivedFrom(id="eras-plus-colorectal", version="1.0.0"))
    assert pathway.suggested_id() == "hip-replacement"


def test_only_a_new_steps_placeholder_id_follows_its_name_and_stays_unique():
    pathway = blank_pathway()
    pathway.add_step(Step(id="new-step", name="New step", kind="task", setting="gp"))
    pathway.add_step(Step(id="new-step-2", name="New step", kind="task", setting="gp"))
    pathway.add_step(Step(id="pre-op-assessment", name="Pre-op", kind="task", setting="gp"))
    assert pathway.step_id_for_name("new-step-2", "Pre-op assessment") == "pre-op-assessment-2"
    assert pathway.step_id_for_name("new-step", "Surgery School") == "surgery-school"
    assert pathway.step_id_for_name("new-step", "New step") is None
    # "referral" was typed by hand for "Referral for surgical opinion": it stays
    assert pathway.step_id_for_name("referral", "GP referral") is None
    # an id made from a real name stays too (notes, links and other files use it)
    pathway.add_step(Step(id="ward", name="Ward", kind="task", setting="gp"))
    assert pathway.step_id_for_name("ward", "Surgical ward") is None
    pathway.update_header(status=Status.approved)
    assert pathway.step_id_for_name("new-step", "Surgery School") == "surgery-school"


def test_a_copy_is_named_apart_from_its_original_and_copies_count_on():
    from designer.graph.ids import copy_id_base, copy_name

    assert copy_name("Surgery", {"Referral"}) == "Surgery"
    assert copy_name("Surgery", {"Surgery"}) == "Surgery (copy)"
    assert copy_name("Surgery", {"surgery", "Surgery (copy)"}) == "Surgery (copy 2)"
    assert copy_name("Surgery (copy)", {"Surgery", "Surgery (copy)"}) == "Surgery (copy 2)"
    assert copy_id_base("prehab-2", {"prehab", "prehab-2"}) == "prehab"
    assert copy_id_base("prehab", {"prehab"}) == "prehab"
    assert copy_id_base("covid-19", {"covid-19"}) == "covid-19"
