"""One name per person and per place in a script's totals."""

from __future__ import annotations

import pytest

from cortexreel.domain.names import clean_location, location_key, person_groups, role_of


def test_a_single_word_of_exactly_one_longer_name_is_that_person() -> None:
    names = ["NORTHER WINSLOW", "NORTHER", "DR. BENNETT", "BENNETT", "YOUNG DR. BENNETT", "NURSE", "HEAVYSET NURSE",
             "WILL", "EDWARD AND WILL", "JOHN", "JOHN SMITH", "JOHN DOE"]
    groups = person_groups(names)
    assert groups["NORTHER"] == "NORTHER WINSLOW"
    assert groups["BENNETT"] == "DR. BENNETT"  # the age role is not a candidate
    assert groups["NURSE"] == "NURSE"  # a generic role names no one in particular
    assert groups["WILL"] == "WILL"  # a cue for two people is no alias
    assert groups["JOHN"] == "JOHN"  # two Johns: which one?


def test_an_age_role_is_its_own_entry_linked_to_its_person() -> None:
    names = ["EDWARD", "YOUNG EDWARD", "GROWN-UP EDWARD", "OLD WOMAN", "WOMAN", "LITTLE BRAVE"]
    assert role_of("YOUNG EDWARD", names) == "EDWARD"
    assert role_of("GROWN-UP EDWARD", names) == "EDWARD"
    assert role_of("OLD WOMAN", names) is None
    assert role_of("LITTLE BRAVE", names) is None
    assert role_of("EDWARD", names) is None


@pytest.mark.parametrize(
    ("written", "clean"),
    [("BIG TOP", "BIG TOP"), ("BIG - TOP", "BIG - TOP"), ("THE BIG TOP - NIGHT", "BIG TOP"),
     ("HOSPITAL ROOM - VARIOUS SHOTS", "HOSPITAL ROOM"), ("FIELD - PRE", "FIELD"),
     ("BLOOM HOUSE [MID/LATE '70'S]", "BLOOM HOUSE"), ("HOUSE - KITCHEN", "HOUSE - KITCHEN")],
)
def test_a_location_without_what_the_heading_adds(written: str, clean: str) -> None:
    assert clean_location(written) == clean


def test_spellings_of_one_place_share_a_key() -> None:
    keys = {location_key(written) for written in ("BIG TOP", "BIG - TOP", "Big-Top", "THE BIG TOP")}
    assert keys == {"BIGTOP"}
    assert location_key("HOUSE - KITCHEN") != location_key("HOUSE")
