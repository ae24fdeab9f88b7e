"""The pure schedule domain: strips, calendar, naive schedule, board edits, stale strips, day totals, DOOD, checks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from cortexreel.domain.schedule import (
    CastRule,
    LocationRule,
    OrderRule,
    SolveReport,
    board_rows,
    day_out_of_days,
    day_totals,
    default_cast_order,
    insert_day_break,
    lock_strip,
    merge_cast_order,
    metrics,
    move_strip,
    naive_schedule,
    place,
    refresh_strips,
    shooting_dates,
    site_of,
    stale_strips,
    strip_colour,
    strip_from_scene,
    violations,
)
from tests.schedule_builders import MONDAY, scene, schedule_of, sid


def test_site_is_the_location_before_its_set() -> None:
    assert site_of("BLOOM HOUSE - KITCHEN") == "BLOOM HOUSE"
    assert site_of("Bloom  House \u2013 Porch") == "BLOOM HOUSE"
    assert site_of("DINER") == "DINER"
    assert site_of("The Road") == "ROAD" and site_of("THE") == "THE"
    assert site_of("") == "(NO LOCATION)"


def test_strip_colours_follow_the_board_convention() -> None:
    assert strip_colour("INT", "day") == "#ffffff"
    assert strip_colour("EXT", "day") == "#fff27a"
    assert strip_colour("INT", "night") == "#8fb8ee"
    assert strip_colour("EXT", "night") == "#8fd18a"
    assert strip_colour("INT/EXT", "night") == strip_colour("EXT", "night")
    assert strip_colour("INT", None) == strip_colour("INT", "day")


def test_a_strip_reads_the_analysis_over_the_parse() -> None:
    parsed = scene(4, "DINER", time="DAY", cast=("EDWARD", "WILL"), eighths=11, analysed=True)
    assert parsed.analysis is not None
    parsed.analysis.location.time_of_day = "NIGHT"
    parsed.analysis.location.location = "RIVER - BANK"
    parsed.analysis.breakdown.cast = ["SANDRA"]
    parsed.analysis.breakdown.vehicles = ["truck"]
    strip = strip_from_scene(parsed)
    assert (strip.day_or_night, strip.site, strip.cast, strip.needs) == ("night", "RIVER", ["SANDRA"], ["vehicles"])
    assert strip.pages == "1 3/8"
    assert strip.synopsis == "Scene 4 happens at the diner."
    assert strip.scene_version == 1


def test_cast_ids_number_the_most_used_first_and_keep_a_users_order() -> None:
    strips = [
        strip_from_scene(scene(1, cast=("WILL",))),
        strip_from_scene(scene(2, cast=("EDWARD", "WILL"))),
        strip_from_scene(scene(3, cast=("EDWARD", "SANDRA"))),
        strip_from_scene(scene(4, cast=("EDWARD",))),
    ]
    assert default_cast_order(strips) == ["EDWARD", "WILL", "SANDRA"]
    assert merge_cast_order(["SANDRA", "GONE", "EDWARD"], strips) == ["SANDRA", "EDWARD", "WILL"]


def test_shooting_dates_skip_weekends_and_holidays() -> None:
    schedule = schedule_of([scene(1)], holidays=[MONDAY + timedelta(days=2)])
    dates = shooting_dates(schedule.constraints, 6)
    assert dates == [
        date(2027, 3, 1),
        date(2027, 3, 2),
        date(2027, 3, 4),
        date(2027, 3, 5),
        date(2027, 3, 8),
        date(2027, 3, 9),
    ]
    six_day = schedule_of([scene(1)], week=6).constraints
    assert date(2027, 3, 6) in shooting_dates(six_day, 6)
    assert date(2027, 3, 7) not in shooting_dates(six_day, 7)


def test_naive_schedule_cuts_script_order_by_pages_and_gives_a_long_scene_its_own_day() -> None:
    scenes = [scene(1, eighths=20), scene(2, eighths=20), scene(3, eighths=10), scene(4, eighths=60), scene(5)]
    schedule = naive_schedule(schedule_of(scenes, pages_per_day=44))
    assert [day.scene_ids for day in schedule.days] == [[sid(1), sid(2)], [sid(3)], [sid(4)], [sid(5)]]
    assert [day.date for day in schedule.days] == [MONDAY + timedelta(days=n) for n in range(4)]
    assert schedule.unscheduled == []


def test_a_day_is_shot_site_by_site_starting_where_the_last_day_ended() -> None:
    scenes = [scene(1, "DINER"), scene(2, "RIVER"), scene(3, "DINER - BACK ROOM"), scene(4, "RIVER"), scene(5, "DINER")]
    schedule = place(schedule_of(scenes), [[sid(1), sid(2), sid(3)], [sid(5), sid(4)]], SolveReport(method="greedy"))
    assert schedule.days[0].scene_ids == [sid(1), sid(3), sid(2)]
    assert schedule.days[1].scene_ids == [sid(4), sid(5)]  # the company is at the river already
    totals = day_totals(schedule)
    assert [total.company_moves for total in totals] == [1, 1]
    assert totals[0].eighths == 24 and totals[0].pages == "3"
    assert totals[0].cast_ids == (1,)
    rows = board_rows(schedule)
    assert [row.kind for row in rows] == ["strip", "strip", "move", "strip", "day", "strip", "move", "strip", "day"]
    assert rows[2].text == "COMPANY MOVE TO RIVER"
    assert rows[4].text.startswith("END OF DAY 1 \u2014 Mon 2027-03-01 \u2014 3 pages")


def test_moving_breaking_and_locking_strips() -> None:
    scenes = [scene(n) for n in range(1, 5)]
    schedule = place(schedule_of(scenes), [[sid(1), sid(2)], [sid(3), sid(4)]], SolveReport(method="greedy"))
    schedule = lock_strip(schedule, sid(4))
    assert schedule.locked == {sid(4): 2}
    moved = move_strip(schedule, sid(1), 2, position=0)
    assert [day.scene_ids for day in moved.days] == [[sid(2)], [sid(1), sid(3), sid(4)]]
    broken = insert_day_break(moved, sid(3))
    assert [day.scene_ids for day in broken.days] == [[sid(2)], [sid(1)], [sid(3), sid(4)]]
    assert broken.locked == {sid(4): 3}  # the lock follows its strip
    assert broken.days[2].date == MONDAY + timedelta(days=2)
    emptied = move_strip(broken, sid(2), None)
    assert emptied.unscheduled == [sid(2)]
    assert [day.scene_ids for day in emptied.days] == [[], [sid(1)], [sid(3), sid(4)]]  # a cleared day stays
    assert emptied.report is not None and emptied.report.method == "edited"
    added = move_strip(emptied, sid(2), 4)
    assert added.days[3].scene_ids == [sid(2)]
    assert len(move_strip(added, sid(2), 1).days) == 3  # an empty last day goes
    with pytest.raises(ValueError, match="already starts a day"):
        insert_day_break(added, sid(2))
    with pytest.raises(ValueError, match="no shooting day 9"):
        move_strip(added, sid(2), 9)


def test_stale_strips_say_what_changed() -> None:
    scenes = [scene(1, cast=("EDWARD",), analysed=True), scene(2), scene(3)]
    schedule = naive_schedule(schedule_of(scenes))
    changed = scenes[0].model_copy(deep=True)
    assert changed.analysis is not None
    changed.analysis.breakdown.cast = ["EDWARD", "SANDRA"]
    changed.analysis.location.time_of_day = "NIGHT"
    changed.version = 2
    retimed = scenes[1].model_copy(update={"pages": scenes[1].pages.model_copy(update={"eighths": 12})})
    now = [changed, retimed, scene(4)]
    stale = {entry.label: entry.changes for entry in stale_strips(schedule, now)}
    assert stale["1"] == ("time of day DAY \u2192 NIGHT", "cast: +SANDRA")
    assert stale["2"] == ("length 1 \u2192 1 4/8 pages",)
    assert stale["3"] == ("the scene was deleted",)
    assert stale["4"] == ("a new scene, not on the board",)
    refreshed = refresh_strips(schedule, now)
    assert stale_strips(refreshed, now) == []
    assert refreshed.unscheduled == [sid(4)]
    assert refreshed.cast_order == ["EDWARD", "SANDRA"]


def test_dood_codes_holds_and_totals() -> None:
    scenes = [
        scene(1, cast=("EDWARD", "WILL")),
        scene(2, cast=("EDWARD",)),
        scene(3, cast=("EDWARD", "WILL")),
        scene(4, cast=("SANDRA",)),
    ]
    # Friday, Monday, Tuesday, Wednesday: the weekend is shown as days off.
    base = schedule_of(scenes, start=date(2027, 3, 5))
    schedule = place(base, [[sid(1)], [sid(2)], [sid(3)], [sid(4)]], SolveReport(method="greedy"))
    dood = day_out_of_days(schedule)
    assert [column.title for column in dood.columns] == ["1", "Off", "Off", "2", "3", "4"]
    rows = {row.name: row for row in dood.rows}
    assert rows["EDWARD"].codes == ["SW", "", "", "W", "WF", ""]
    assert rows["WILL"].codes == ["SW", "", "", "H", "WF", ""]
    assert rows["SANDRA"].codes == ["", "", "", "", "", "SWF"]
    assert (rows["WILL"].work, rows["WILL"].hold, rows["WILL"].total) == (2, 1, 3)
    assert rows["WILL"].start == date(2027, 3, 5) and rows["WILL"].finish == date(2027, 3, 9)
    assert [row.cast_id for row in dood.rows] == [1, 2, 3]


def test_dood_drop_pickup_travel_rehearsal_and_holiday() -> None:
    scenes = [scene(n, cast=("EDWARD", "WILL") if n in (1, 15) else ("EDWARD",)) for n in range(1, 16)]
    holiday = date(2027, 3, 3)
    rules = [CastRule(name="WILL", travel_days=1, rehearsal_days=1)]
    schedule = naive_schedule(
        schedule_of(
            scenes, pages_per_day=8, holidays=[holiday], drop_pickup_days=10, cast=[rule.model_dump() for rule in rules]
        )
    )
    dood = day_out_of_days(schedule)
    will = next(row for row in dood.rows if row.name == "WILL")
    edward = next(row for row in dood.rows if row.name == "EDWARD")
    start = next(i for i, code in enumerate(will.codes) if code)
    assert will.codes[start : start + 3] == ["T", "R", "SWD"]  # travel, rehearse, start and drop
    assert [code for code in will.codes if code][-2:] == ["PWF", "T"]
    assert will.hold == 0 and will.work == 2 and will.travel == 2 and will.rehearsal == 1
    holiday_column = next(i for i, column in enumerate(dood.columns) if column.date == holiday)
    assert edward.codes[holiday_column] == "HOL" and edward.holiday == 1


def test_violations_name_every_broken_rule() -> None:
    scenes = [
        scene(1, "DINER", time="NIGHT", cast=("EDWARD", "KID")),
        scene(2, "RIVER", time="DAY", cast=("SANDRA",), eighths=40),
        scene(3, "DINER", time="DAY", cast=("EDWARD",)),
        scene(4, "DINER", time="DAY", cast=("EDWARD",)),
        scene(5, "RIVER", time="DAY", cast=("SANDRA",), eighths=1),
    ]
    schedule = schedule_of(
        scenes,
        pages_per_day=44,
        max_day_hours=8,
        cast=[
            {"name": "SANDRA", "available_from": "2027-03-03"},
            {"name": "KID", "minor": True, "max_hours": 2},
            {"name": "EDWARD", "max_hold_days": 0},
        ],
        locations=[{"site": "RIVER", "dates": ["2027-03-05"]}],
        order=[{"before": sid(4), "after": sid(3)}],
    )
    placed = place(schedule, [[sid(1), sid(2)], [sid(3)], [sid(5)], [sid(4)]], SolveReport(method="greedy"))
    placed = placed.model_copy(update={"locked": {sid(3): 1}})
    kinds = {violation.kind for violation in violations(placed)}
    assert kinds == {"pages", "hours", "split", "cast", "location", "minor", "lock", "turnaround", "order", "hold"}
    messages = " ".join(violation.message for violation in violations(placed))
    assert "SANDRA is not available (available from 2027-03-03)" in messages
    assert "KID (a minor) may work at most 2 h a day" in messages


def test_metrics_count_days_moves_and_cast_days() -> None:
    scenes = [scene(1, "DINER"), scene(2, "RIVER", cast=("WILL",)), scene(3, "DINER")]
    schedule = naive_schedule(schedule_of(scenes, pages_per_day=8))
    measured = metrics(schedule)
    assert (measured.days, measured.company_moves, measured.cast_days, measured.hold_days) == (3, 0, 4, 1)
    together = naive_schedule(schedule_of(scenes, pages_per_day=24))
    assert metrics(together).company_moves == 1
    assert violations(together) == []
    ordered = together.model_copy(
        update={
            "constraints": together.constraints.model_copy(update={"order": [OrderRule(before=sid(1), after=sid(2))]})
        }
    )
    assert [violation.kind for violation in violations(ordered)] == ["order"]
    assert LocationRule(site="DINER", dates=[MONDAY]).available_on(MONDAY)
    assert not LocationRule(site="DINER", dates=[MONDAY]).available_on(MONDAY + timedelta(days=1))
