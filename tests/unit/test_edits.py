"""Path-addressed edits of an analysis."""

from __future__ import annotations

import pytest

from cortexreel.domain.analysis import Prop, SceneAnalysis
from cortexreel.domain.edits import FieldEdit, apply_edits, editable_fields, get_path
from cortexreel.errors import InvalidInputError


def analysis() -> SceneAnalysis:
    value = SceneAnalysis()
    value.location.time_of_day = "DAY"
    value.breakdown.props = [Prop(name="Coffee cup")]
    value.breakdown.cast = ["EDWARD", "WILL"]
    return value


def test_set_add_remove() -> None:
    updated, changes = apply_edits(
        analysis(),
        [
            FieldEdit("location.time_of_day", "set", "NIGHT"),
            FieldEdit("breakdown.props", "add", {"name": "revolver", "importance": "hero"}),
            FieldEdit("breakdown.cast", "remove", "will"),
            FieldEdit("narrative.emotions.tension", "set", "8"),
        ],
    )
    assert updated.location.time_of_day == "NIGHT"
    assert [prop.name for prop in updated.breakdown.props] == ["Coffee cup", "revolver"]
    assert updated.breakdown.cast == ["EDWARD"]
    assert updated.narrative.emotions.tension == 8.0
    assert [change.path for change in changes] == [
        "location.time_of_day",
        "breakdown.props",
        "breakdown.cast",
        "narrative.emotions.tension",
    ]
    assert changes[0].old == "DAY" and changes[0].new == "NIGHT"
    assert changes[3].new == 8.0


def test_adding_an_existing_item_changes_nothing() -> None:
    updated, changes = apply_edits(analysis(), [FieldEdit("breakdown.props", "add", {"name": "coffee CUP"})])
    assert updated == analysis()
    assert changes[0].old == changes[0].new


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (FieldEdit("location.colour", "set", "red"), "no field"),
        (FieldEdit("safety.risk_level", "set", "SCARY"), "does not fit"),
        (FieldEdit("narrative.conflict_level", "set", 11), "does not fit"),
        (FieldEdit("location.time_of_day", "add", "x"), "not a list"),
        (FieldEdit("breakdown.cast", "remove", "BOB"), "not in breakdown.cast"),
        (FieldEdit("analyser", "set", None), "cannot be edited"),
        (FieldEdit("", "set", 1), "name of the field"),
    ],
)
def test_invalid_edits_are_explained(edit: FieldEdit, message: str) -> None:
    original = analysis()
    with pytest.raises(InvalidInputError, match=message):
        apply_edits(original, [FieldEdit("location.time_of_day", "set", "NIGHT"), edit])
    assert original.location.time_of_day == "DAY"


def test_get_path_and_the_editable_fields() -> None:
    assert get_path(analysis(), "breakdown.props.0.name") == "Coffee cup"
    with pytest.raises(InvalidInputError):
        get_path(analysis(), "breakdown.props.5")
    fields = {field.path: field for field in editable_fields()}
    assert fields["safety.risk_level"].choices == ("LOW", "MEDIUM", "HIGH", "EXTREME")
    assert fields["breakdown.props"].kind == "object-list"
    assert fields["breakdown.weapons"].kind == "list"
    assert fields["narrative.emotions.fear"].kind == "number"
    assert fields["location.time_of_day"].kind == "text"
    assert not any(path.startswith(("analyser", "imported", "warnings")) for path in fields)
