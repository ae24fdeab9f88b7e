"""The draft schedule keeps every kind of constraint (a schedule breaking one is never produced), improves on the
naive schedule, and explains impossible constraint sets in words."""

from __future__ import annotations

from datetime import date

import pytest

from cortexreel.domain.scenes import Scene
from cortexreel.domain.schedule import (
    Schedule,
    SolveReport,
    ViolationKind,
    day_strips,
    metrics,
    naive_days,
    naive_schedule,
    place,
    violations,
)
from cortexreel.errors import InfeasibleScheduleError
from cortexreel.scheduling import draft_schedule, greedy_schedule
from tests.schedule_builders import scene, schedule_of, sid

TIME_LIMIT = 2.0


def drafted(schedule: Schedule) -> Schedule:
    result = draft_schedule(schedule, time_limit=TIME_LIMIT)
    assert violations(result) == []
    assert not result.unscheduled
    return result


def pages_only(schedule: Schedule) -> Schedule:
    return place(
        schedule, naive_days(schedule.strips, schedule.constraints, pages_only=True), SolveReport(method="naive")
    )


def kinds(schedule: Schedule) -> set[ViolationKind]:
    return {violation.kind for violation in violations(schedule)}


def day_of(schedule: Schedule, number: int) -> int:
    found = schedule.day_of(sid(number))
    assert found is not None
    return found


def test_pages_per_day() -> None:
    base = schedule_of([scene(n, eighths=30) for n in range(1, 5)], pages_per_day=44)
    result = drafted(base)
    assert len(result.days) == 4
    assert all(sum(strip.eighths for strip in day_strips(result, day)) <= 44 for day in result.days)


def test_day_length_counts_company_moves() -> None:
    sites = ["DINER", "RIVER", "BARN", "SCHOOL"]
    base = schedule_of([scene(n, sites[n - 1], eighths=4) for n in range(1, 5)], max_day_hours=2)
    assert "hours" in kinds(pages_only(base))  # cut by pages alone, the day runs long
    result = drafted(base)
    assert all(len(day.scene_ids) <= 2 for day in result.days)


def test_day_and_night_work_are_not_mixed_and_nights_cluster() -> None:
    scenes = [scene(n, time="NIGHT" if n % 2 else "DAY", eighths=4) for n in range(1, 7)]
    base = schedule_of(scenes, pages_per_day=8)
    assert "split" in kinds(pages_only(base))
    result = drafted(base)
    assert len(result.days) == 4  # three day scenes in two days, three night scenes in two days
    assert metrics(result).night_switches == 1


def test_no_day_work_the_morning_after_night_work() -> None:
    scenes = [scene(1, time="NIGHT", eighths=40), scene(2, time="DAY", eighths=40), scene(3, time="NIGHT", eighths=40)]
    base = schedule_of(scenes, pages_per_day=44)
    result = drafted(base)
    lights = [day_strips(result, day)[0].day_or_night for day in result.days]
    assert lights == ["day", "night", "night"]  # day work first; nights at the end need no turnaround


def test_cast_availability() -> None:
    scenes = [scene(1, cast=("SANDRA",)), scene(2, cast=("EDWARD",)), scene(3, cast=("EDWARD",))]
    base = schedule_of(scenes, pages_per_day=8, cast=[{"name": "SANDRA", "available_from": "2027-03-03"}])
    result = drafted(base)
    sandra_day = result.days[day_of(result, 1) - 1]
    assert sandra_day.date >= date(2027, 3, 3)


def test_location_availability() -> None:
    scenes = [scene(1, "RIVER"), scene(2, "DINER"), scene(3, "DINER")]
    base = schedule_of(scenes, pages_per_day=8, locations=[{"site": "RIVER", "dates": ["2027-03-02"]}])
    result = drafted(base)
    assert result.days[day_of(result, 1) - 1].date == date(2027, 3, 2)


def test_scene_order() -> None:
    scenes = [scene(n) for n in range(1, 4)]
    base = schedule_of(scenes, pages_per_day=24, order=[{"before": sid(3), "after": sid(1)}])
    result = drafted(base)
    assert day_of(result, 3) < day_of(result, 1)


def test_hold_limit() -> None:
    scenes = [
        scene(1, "DINER", cast=("EDWARD", "WILL")),
        scene(2, "RIVER", cast=("WILL",)),
        scene(3, "DINER", cast=("EDWARD",)),
    ]
    base = schedule_of(scenes, pages_per_day=8, cast=[{"name": "EDWARD", "max_hold_days": 0}])
    result = drafted(base)
    assert abs(day_of(result, 1) - day_of(result, 3)) == 1


def test_a_minors_day_is_short() -> None:
    scenes = [scene(1, cast=("KID",), eighths=8), scene(2, cast=("EDWARD",), eighths=16)]
    base = schedule_of(scenes, pages_per_day=44, cast=[{"name": "KID", "minor": True, "max_hours": 2}])
    result = drafted(base)
    assert day_of(result, 1) != day_of(result, 2)


def test_locked_strips_stay_on_their_day() -> None:
    scenes = [scene(n) for n in range(1, 5)]
    base = schedule_of(scenes, pages_per_day=8).model_copy(update={"locked": {sid(1): 3}})
    result = drafted(base)
    assert day_of(result, 1) == 3 and result.locked == {sid(1): 3}


def test_the_draft_beats_the_naive_schedule() -> None:
    sites = ["DINER", "RIVER", "DINER", "BARN", "RIVER", "DINER", "BARN", "RIVER"]
    cast = [("EDWARD",), ("WILL",), ("EDWARD",), ("SANDRA",), ("WILL",), ("EDWARD",), ("SANDRA",), ("WILL",)]
    scenes = [scene(n, sites[n - 1], cast=cast[n - 1], eighths=10) for n in range(1, 9)]
    base = schedule_of(scenes, pages_per_day=44)
    naive, draft = metrics(naive_schedule(base)), metrics(drafted(base))
    assert draft.days <= naive.days
    assert draft.company_moves < naive.company_moves
    assert draft.cast_days < naive.cast_days
    assert violations(greedy_schedule(base)) == []


@pytest.mark.parametrize(
    ("scenes", "constraints", "reason"),
    [
        (
            [scene(1, cast=("SANDRA",))],
            {"cast": [{"name": "SANDRA", "available_from": "2027-03-06", "available_until": "2027-03-07"}]},
            "Scene 1 needs SANDRA, who is not available on any shooting day (available 2027-03-06 to 2027-03-07).",
        ),
        (
            [scene(1, cast=("SANDRA", "EDWARD"))],
            {
                "cast": [
                    {"name": "SANDRA", "available_until": "2027-03-02"},
                    {"name": "EDWARD", "available_from": "2027-03-03"},
                ]
            },
            "Scene 1 needs SANDRA (available until 2027-03-02) and EDWARD (available from 2027-03-03): there is no "
            "shooting day when all of them are available.",
        ),
        (
            [scene(1), scene(2)],
            {"order": [{"before": sid(1), "after": sid(2)}, {"before": sid(2), "after": sid(1)}]},
            "The scene order goes round in a circle: scene 1 before scene 2 before scene 1.",
        ),
        (
            [scene(1, cast=("KID",), eighths=40)],
            {"cast": [{"name": "KID", "minor": True, "max_hours": 4}]},
            "Scene 1 needs KID, a minor who may work at most 4 h a day, but the scene alone takes about 6.2 h.",
        ),
        (
            [scene(1, cast=("SANDRA",)), scene(2)],
            {
                "cast": [{"name": "SANDRA", "available_until": "2027-03-01"}],
                "order": [{"before": sid(2), "after": sid(1)}],
            },
            "Scene 2 must be shot before scene 1, but scene 1 can be shot no later than 2027-03-01 and scene 2 no "
            "earlier than 2027-03-01.",
        ),
    ],
)
def test_impossible_constraints_are_explained(scenes: list[Scene], constraints: dict[str, object], reason: str) -> None:
    with pytest.raises(InfeasibleScheduleError) as raised:
        draft_schedule(schedule_of(scenes, **constraints), time_limit=TIME_LIMIT)
    assert raised.value.reasons == [reason]


def test_rules_that_clash_only_together_are_named() -> None:
    scenes = [
        scene(1, "DINER", cast=("EDWARD",)),
        scene(2, "RIVER", cast=("WILL",)),
        scene(3, "DINER", cast=("EDWARD",)),
    ]
    base = schedule_of(
        scenes,
        pages_per_day=8,
        cast=[{"name": "EDWARD", "max_hold_days": 0}],
        order=[{"before": sid(1), "after": sid(2)}, {"before": sid(2), "after": sid(3)}],
    )
    with pytest.raises(InfeasibleScheduleError) as raised:
        draft_schedule(base, time_limit=TIME_LIMIT)
    message = raised.value.reasons[0]
    assert message.startswith("These constraints cannot all hold together: ")
    for rule in ("the hold limit of EDWARD (at most 0 days)", "scene 1 before scene 2", "scene 2 before scene 3"):
        assert rule in message
