"""Time of day across scenes: what a heading names, and what a heading that names none carries over."""

from __future__ import annotations

import pytest

from cortexreel.domain.continuity import carried_times, heading_time, time_class, with_times_carried_over
from cortexreel.domain.scenes import Scene


def _scene(number: int, heading: str, time_of_day: str | None = None) -> Scene:
    return Scene(id=f"s-{number}", script_id="s", number=number, heading=heading, time_of_day=time_of_day)


@pytest.mark.parametrize(
    ("heading", "parsed", "expected"),
    [
        ("INT. BEDROOM - NIGHT - PRESENT DAY", "PRESENT DAY", "NIGHT"),
        ("INT. IMMACULATE HEART OF MARY. DAY.", None, "DAY"),
        ("INT. SAUSALITO HOME, THE NEXT MORNING", "THE NEXT MORNING", "MORNING"),
        ("EXT. GANSEVOORT HOTEL -- NIGHT -- A YEAR AGO", None, "NIGHT"),
        ("INT. OFFICE - EARLY EVENING", "EARLY EVENING", "EARLY EVENING"),
        ("EXT. DAY CARE CENTER - CONTINUOUS", "CONTINUOUS", None),
        ("INT. MIDNIGHT DINER", None, None),
        ("ANGLE", None, None),
    ],
)
def test_the_time_a_heading_names(heading: str, parsed: str | None, expected: str | None) -> None:
    assert heading_time(_scene(1, heading, parsed)) == expected


@pytest.mark.parametrize(
    ("written", "expected"),
    [("MORNING", "DAY"), ("LATE AFTERNOON", "DAY"), ("EVENING", "NIGHT"), ("EARLY EVENING", "DUSK"),
     ("MAGIC HOUR", "DUSK"), ("PRE-DAWN", "DAWN"), ("EARLY HOURS", "NIGHT"), ("NOC", "NIGHT"), ("JOUR", "DAY"),
     ("CONTINUOUS", None), ("PRESENT DAY", None), (None, None)],
)
def test_lighting_class_of_a_time(written: str | None, expected: str | None) -> None:
    assert time_class(written) == expected


def test_a_heading_without_a_time_carries_the_time_of_the_scene_before_it() -> None:
    scenes = [
        _scene(1, "INT. TRAIN - DAY", "DAY"),
        _scene(2, "EXT. PLATFORM - NIGHT", "NIGHT"),
        _scene(3, "INT. STATION - CONTINUOUS", "CONTINUOUS"),
        _scene(4, "ANGLE ON THE CLOCK"),
        _scene(5, "INT. CAFE - MOMENTS LATER", "MOMENTS LATER"),
        _scene(6, "INT. CAFE - THE NEXT MORNING", "THE NEXT MORNING"),
        _scene(7, "INT. CAFE - SAME", "SAME"),
    ]
    times = carried_times(list(reversed(scenes)))  # script order is by number, whatever order they come in
    assert [times[scene.id] for scene in scenes] == ["DAY", "NIGHT", "NIGHT", "NIGHT", "NIGHT", "MORNING", "MORNING"]


def test_the_first_scenes_without_a_time_stay_unknown_and_named_times_are_not_changed() -> None:
    scenes = [_scene(1, "INT. UNKNOWN SPACE"), _scene(2, "EXT. ROOF - DUSK", "DUSK"), _scene(3, "INT. STAIRS - LATER")]
    carried = with_times_carried_over(scenes)
    assert [scene.time_of_day for scene in carried] == [None, "DUSK", "DUSK"]
    assert carried[1] is scenes[1]
    assert carried[2].heading == "INT. STAIRS - LATER" and scenes[2].time_of_day is None
