"""The shooting schedule: strips, the cast ID list, shooting days on a calendar, the constraints a first AD sets,
day totals, the Day Out of Days, and the checks every schedule must pass. Pure: scenes and settings in, models
out. The optimiser (cortexreel.scheduling) searches for good schedules; everything here judges and lays them out.

Conventions (docs/DOMAIN in the shared notes): strip colours INT/DAY white, EXT/DAY yellow, INT/NIGHT blue,
EXT/NIGHT green; lengths in eighths of a page; DOOD codes SW, W, WF, SWF, H, T, R, WD/PW around a drop/pick-up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Literal

from pydantic import Field

from cortexreel.domain.base import Model, Setting, utcnow
from cortexreel.domain.facts import DayOrNight, scene_facts
from cortexreel.domain.rollups import format_eighths
from cortexreel.domain.scenes import Scene

# Rough minutes a scene takes to shoot, for day lengths: per eighth of a page, per scene (a new set-up), and for
# what slows a set down. Calibrated so that a usual day (5 4/8 pages in about ten scenes with two company moves)
# fits twelve hours: pages per day stays the usual limit, and hours bind on days heavy with moves, stunts or set-ups.
MINUTES_PER_EIGHTH = 9
MINUTES_PER_SCENE = 10
EXTRA_MINUTES = {"stunts": 30, "animals": 20, "vehicles": 15, "extras": 10, "night exterior": 15}

SYNOPSIS_CHARACTERS = 90


class Strip(Model):
    """One scene as a strip on the board: what the strip shows, and the scene version it was read from."""

    scene_id: str
    number: int
    label: str
    setting: Setting | None = None
    location: str = ""
    time_of_day: str | None = None
    day_or_night: DayOrNight | None = None
    eighths: int = Field(default=1, ge=1)
    synopsis: str = ""
    cast: list[str] = Field(default_factory=list)
    # The place the company travels to; sets of one site need no company move (see `group_sites`).
    site: str = ""
    # What slows a set down: "stunts", "animals", "vehicles", "extras".
    needs: list[str] = Field(default_factory=list)
    scene_version: int = Field(default=0, ge=0)

    @property
    def pages(self) -> str:
        return format_eighths(self.eighths)

    @property
    def colour(self) -> str:
        return strip_colour(self.setting, self.day_or_night)

    @property
    def minutes(self) -> int:
        return estimated_minutes(self)


class CastRule(Model):
    """What limits one cast member: when they can work, how long they may be held, a minor's hours."""

    name: str
    available_from: date | None = None
    available_until: date | None = None
    unavailable: list[date] = Field(default_factory=list)
    max_hold_days: int | None = Field(default=None, ge=0)
    minor: bool = False
    max_hours: float | None = Field(default=None, gt=0, le=24)  # a minor's longest day
    travel_days: int = Field(default=0, ge=0, le=5)
    rehearsal_days: int = Field(default=0, ge=0, le=10)

    def available_on(self, day: date) -> bool:
        if self.available_from is not None and day < self.available_from:
            return False
        if self.available_until is not None and day > self.available_until:
            return False
        return day not in self.unavailable

    def describe_window(self) -> str:
        if self.available_from and self.available_until:
            return f"available {self.available_from.isoformat()} to {self.available_until.isoformat()}"
        if self.available_from:
            return f"available from {self.available_from.isoformat()}"
        if self.available_until:
            return f"available until {self.available_until.isoformat()}"
        return "available every day"


class LocationRule(Model):
    """A location (site) that can be used only between two dates or on listed dates."""

    site: str
    available_from: date | None = None
    available_until: date | None = None
    dates: list[date] = Field(default_factory=list)  # when given: only these dates

    def available_on(self, day: date) -> bool:
        if self.dates and day not in self.dates:
            return False
        if self.available_from is not None and day < self.available_from:
            return False
        return not (self.available_until is not None and day > self.available_until)


class OrderRule(Model):
    """Scene `before` is shot on an earlier shooting day than scene `after` (ids of scenes)."""

    before: str
    after: str


class ScheduleConstraints(Model):
    start: date = Field(default_factory=lambda: date.today() + timedelta(days=30))
    pages_per_day: int = Field(default=44, ge=1, le=200)  # eighths: 44 = 5 4/8 pages
    max_day_hours: float = Field(default=12.0, gt=0, le=24)
    company_move_minutes: int = Field(default=45, ge=0, le=600)
    week: Literal[5, 6] = 5
    holidays: list[date] = Field(default_factory=list)
    # A day mixes day and night work only when allowed; going from night work to day work on the next calendar day
    # is refused when `night_turnaround` is on (the crew needs its rest).
    split_days: bool = False
    night_turnaround: bool = True
    # When set: work days at least this many calendar days apart let an actor be dropped and picked up instead of
    # held (the usual rule is 10). Off by default, so every day between first and last work day is paid.
    drop_pickup_days: int | None = Field(default=None, ge=2)
    cast: list[CastRule] = Field(default_factory=list)
    locations: list[LocationRule] = Field(default_factory=list)
    order: list[OrderRule] = Field(default_factory=list)

    @property
    def max_day_minutes(self) -> int:
        return round(self.max_day_hours * 60)

    def cast_rule(self, name: str) -> CastRule | None:
        return next((rule for rule in self.cast if rule.name == name), None)

    def location_rule(self, site: str) -> LocationRule | None:
        return next((rule for rule in self.locations if rule.site == site), None)

    def is_shooting_date(self, day: date) -> bool:
        days_off = {5, 6} if self.week == 5 else {6}  # Saturday and Sunday, or Sunday
        return day.weekday() not in days_off and day not in self.holidays


class ShootingDay(Model):
    number: int = Field(ge=1)
    date: date
    scene_ids: list[str] = Field(default_factory=list)
    note: str = ""


class SolveReport(Model):
    """How a draft was made: by whom (solver or hand), how long it took and why it stopped."""

    method: Literal["naive", "greedy", "optimised", "edited"]
    status: str = ""
    seconds: float = 0.0
    time_limit: float | None = None
    reasons: list[str] = Field(default_factory=list)


class Schedule(Model):
    """A shooting schedule of one script. Every saved one is a version; the newest is the current schedule."""

    script_id: str
    version: int = Field(default=0, ge=0)
    strips: list[Strip] = Field(default_factory=list)
    cast_order: list[str] = Field(default_factory=list)  # the cast ID list: ID 1 is the first name
    constraints: ScheduleConstraints = Field(default_factory=ScheduleConstraints)
    days: list[ShootingDay] = Field(default_factory=list)
    unscheduled: list[str] = Field(default_factory=list)
    locked: dict[str, int] = Field(default_factory=dict)  # scene id -> shooting day number
    report: SolveReport | None = None
    author: str = ""
    note: str = ""
    created_at: datetime = Field(default_factory=utcnow)

    def strip(self, scene_id: str) -> Strip:
        for strip in self.strips:
            if strip.scene_id == scene_id:
                return strip
        raise KeyError(scene_id)

    def strips_by_id(self) -> dict[str, Strip]:
        return {strip.scene_id: strip for strip in self.strips}

    def cast_id(self, name: str) -> int | None:
        return self.cast_order.index(name) + 1 if name in self.cast_order else None

    def day_of(self, scene_id: str) -> int | None:
        for day in self.days:
            if scene_id in day.scene_ids:
                return day.number
        return None


# --- Strips --------------------------------------------------------------------------------------------------

_SITE_SPLIT = re.compile(r"\s+[-\u2013\u2014/]\s+|\s*/\s*")


def site_of(location: str) -> str:
    """The place a company travels to: the location before its sub-location ("BLOOM HOUSE - KITCHEN" is at
    "BLOOM HOUSE"), without a leading "THE" ("THE ROAD" is "ROAD"). Moving between sets of one site is not a company
    move."""
    head = _SITE_SPLIT.split(location.strip(), maxsplit=1)[0]
    words = head.upper().split()
    if len(words) > 1 and words[0] == "THE":
        words = words[1:]
    return " ".join(words) or "(NO LOCATION)"


_GENERIC_WORDS = frozenset({"THE", "A", "AN", "AT", "BY", "IN", "ON", "OF", "OUTSIDE", "INSIDE", "BACK", "FRONT"})


def group_sites(strips: Sequence[Strip]) -> list[Strip]:
    """Each strip's site: its location before any sub-location, shortened to the longest other site of the script
    its words start with ("BLOOM HOUSE KITCHEN" is at "BLOOM HOUSE", "HOSPITAL HALLWAY" at "HOSPITAL") when the
    script has that site, because a crew shoots those sets at one place."""
    heads = {site_of(strip.location) for strip in strips}
    grouped = []
    for strip in strips:
        head = site_of(strip.location)
        words = head.split()
        prefixes = [" ".join(words[:size]) for size in range(len(words) - 1, 0, -1)]
        site = next(
            (prefix for prefix in prefixes if prefix in heads and prefix.split()[-1] not in _GENERIC_WORDS), head
        )
        grouped.append(strip if strip.site == site else strip.model_copy(update={"site": site}))
    return grouped


def strip_colour(setting: Setting | None, light: DayOrNight | None) -> str:
    """The board colour: INT/DAY white, EXT/DAY yellow, INT/NIGHT blue, EXT/NIGHT green. INT./EXT. counts as
    exterior, and a scene whose time is unknown (CONTINUOUS, LATER) as day."""
    exterior = setting in ("EXT", "INT/EXT")
    if light == "night":
        return "#8fd18a" if exterior else "#8fb8ee"
    return "#fff27a" if exterior else "#ffffff"


def strip_from_scene(scene: Scene) -> Strip:
    """The strip of a scene, from its effective facts (`domain.facts`: the analysis where it has one, else the
    parse), with what slows a set down and a one-line synopsis."""
    facts = scene_facts(scene)
    analysis = scene.analysis
    needs: list[str] = []
    synopsis = ""
    if analysis is not None:
        breakdown = analysis.breakdown
        needs = [
            name
            for name, present in (
                ("stunts", bool(breakdown.stunts)),
                ("animals", bool(breakdown.animals)),
                ("vehicles", bool(breakdown.vehicles)),
                ("extras", bool(breakdown.extras)),
            )
            if present
        ]
        synopsis = analysis.narrative.synopsis or ""
    if not synopsis:
        synopsis = next((element.text for element in scene.elements if element.type == "action"), "")
    return Strip(
        scene_id=scene.id,
        number=scene.number,
        label=scene.label or str(scene.number),
        setting=facts.setting,
        location=facts.location,
        time_of_day=facts.time_of_day,
        day_or_night=facts.day_or_night,
        eighths=max(1, scene.pages.eighths),
        synopsis=_one_line(synopsis),
        cast=list(facts.cast),
        site=site_of(facts.location),
        needs=needs,
        scene_version=scene.version,
    )


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    if len(line) <= SYNOPSIS_CHARACTERS:
        return line
    return line[: SYNOPSIS_CHARACTERS - 1].rsplit(" ", 1)[0] + "\u2026"


def estimated_minutes(strip: Strip) -> int:
    """A rough shooting time for the strip: pages, a set-up, and what slows a set down."""
    minutes = MINUTES_PER_SCENE + MINUTES_PER_EIGHTH * strip.eighths
    minutes += sum(EXTRA_MINUTES[need] for need in strip.needs if need in EXTRA_MINUTES)
    if strip.day_or_night == "night" and strip.setting in ("EXT", "INT/EXT"):
        minutes += EXTRA_MINUTES["night exterior"]
    return minutes


def default_cast_order(strips: Sequence[Strip]) -> list[str]:
    """The cast ID list: most scenes first, then first appearance, then name."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for strip in sorted(strips, key=lambda strip: strip.number):
        for name in strip.cast:
            counts[name] += 1
            first.setdefault(name, strip.number)
    return sorted(counts, key=lambda name: (-counts[name], first[name], name))


def merge_cast_order(kept: Sequence[str], strips: Sequence[Strip]) -> list[str]:
    """The user's cast ID list kept as it is (IDs are printed on call sheets), names no longer in the script
    dropped, and new names added at the end in the default order."""
    present = set(default_cast_order(strips))
    ordered = [name for name in kept if name in present]
    return ordered + [name for name in default_cast_order(strips) if name not in ordered]


# --- The calendar ----------------------------------------------------------------------------------------------


def shooting_dates(constraints: ScheduleConstraints, count: int) -> list[date]:
    """The dates of the first `count` shooting days from the start date, skipping days off and holidays."""
    dates: list[date] = []
    day = constraints.start
    while len(dates) < count:
        if constraints.is_shooting_date(day):
            dates.append(day)
        day += timedelta(days=1)
    return dates


def with_calendar(days: Sequence[Sequence[str]], constraints: ScheduleConstraints) -> list[ShootingDay]:
    """Shooting days numbered from 1 and dated from the calendar. Empty days at the end are left out; an empty day
    between two others stays (a day waiting for a location, or one a first AD cleared on purpose)."""
    kept = [list(ids) for ids in days]
    while kept and not kept[-1]:
        kept.pop()
    dates = shooting_dates(constraints, len(kept))
    return [ShootingDay(number=index + 1, date=dates[index], scene_ids=ids) for index, ids in enumerate(kept)]


# --- Schedules -------------------------------------------------------------------------------------------------


def new_schedule(script_id: str, scenes: Sequence[Scene], constraints: ScheduleConstraints) -> Schedule:
    """A schedule with every scene's strip and nothing placed yet."""
    strips = group_sites([strip_from_scene(scene) for scene in sorted(scenes, key=lambda scene: scene.number)])
    return Schedule(
        script_id=script_id,
        strips=strips,
        cast_order=default_cast_order(strips),
        constraints=constraints,
        unscheduled=[strip.scene_id for strip in strips],
    )


def naive_days(
    strips: Sequence[Strip], constraints: ScheduleConstraints, *, pages_only: bool = False
) -> list[list[str]]:
    """Script order, cut into days: a new day when the next strip would take the day over its pages, its hours or
    (unless split days are allowed) mix day and night work; a strip longer than a day takes a day of its own. With
    `pages_only`, only the pages count (the crudest cut, which may break the other rules)."""
    days: list[list[Strip]] = []
    current: list[Strip] = []
    for strip in sorted(strips, key=lambda strip: strip.number):
        if current and not _naive_fits(current, strip, constraints, pages_only):
            days.append(current)
            current = []
        current.append(strip)
    if current:
        days.append(current)
    return [[strip.scene_id for strip in day] for day in days]


def _naive_fits(day: list[Strip], strip: Strip, constraints: ScheduleConstraints, pages_only: bool) -> bool:
    if sum(other.eighths for other in day) + strip.eighths > constraints.pages_per_day:
        return False
    if pages_only:
        return True
    if day_minutes([*day, strip], constraints) > constraints.max_day_minutes:
        return False
    lights = {other.day_or_night for other in [*day, strip] if other.day_or_night}
    return constraints.split_days or len(lights) < 2


def place(schedule: Schedule, days: Sequence[Sequence[str]], report: SolveReport) -> Schedule:
    """The schedule with its strips placed in `days` (each day's strips in shooting order); strips in no day are
    left unscheduled."""
    strips = schedule.strips_by_id()
    ordered = order_days([[scene_id for scene_id in day if scene_id in strips] for day in days], strips)
    placed = {scene_id for day in ordered for scene_id in day}
    shooting = with_calendar(ordered, schedule.constraints)
    locked = {scene_id: _day_number(shooting, scene_id) for scene_id in schedule.locked if scene_id in placed}
    return schedule.model_copy(
        update={
            "days": shooting,
            "unscheduled": [strip.scene_id for strip in schedule.strips if strip.scene_id not in placed],
            "locked": {scene_id: number for scene_id, number in locked.items() if number is not None},
            "report": report,
        }
    )


def _day_number(days: Sequence[ShootingDay], scene_id: str) -> int | None:
    return next((day.number for day in days if scene_id in day.scene_ids), None)


def order_days(days: Sequence[Sequence[str]], strips: dict[str, Strip]) -> list[list[str]]:
    """Each day's strips in shooting order: grouped by site so the company moves once per site, starting at the
    site where the previous day ended, then the largest site first; script order within a site."""
    ordered: list[list[str]] = []
    previous_site: str | None = None
    for day in days:
        by_site: dict[str, list[Strip]] = {}
        for scene_id in day:
            strip = strips[scene_id]
            by_site.setdefault(strip.site, []).append(strip)
        sites = sorted(
            by_site,
            key=lambda site: (site != previous_site, -sum(strip.eighths for strip in by_site[site]), site),
        )
        sequence = [strip.scene_id for site in sites for strip in sorted(by_site[site], key=lambda s: s.number)]
        if sites:
            previous_site = sites[-1]
        ordered.append(sequence)
    return ordered


def naive_schedule(schedule: Schedule) -> Schedule:
    return place(schedule, naive_days(schedule.strips, schedule.constraints), SolveReport(method="naive"))


# --- Editing like a board ------------------------------------------------------------------------------------


def move_strip(schedule: Schedule, scene_id: str, day_number: int | None, position: int | None = None) -> Schedule:
    """The strip moved to shooting day `day_number` (at `position` in the day, at its end by default), or back to
    the unscheduled strips when `day_number` is None. A day number one past the last day adds a day."""
    schedule.strip(scene_id)
    days = [list(day.scene_ids) for day in schedule.days]
    notes = [day.note for day in schedule.days]
    unscheduled = [other for other in schedule.unscheduled if other != scene_id]
    for day in days:
        if scene_id in day:
            day.remove(scene_id)
    if day_number is None:
        unscheduled.append(scene_id)
    else:
        if not 1 <= day_number <= len(days) + 1:
            raise ValueError(f"There is no shooting day {day_number}.")
        if day_number == len(days) + 1:
            days.append([])
            notes.append("")
        target = days[day_number - 1]
        target.insert(len(target) if position is None else max(0, min(position, len(target))), scene_id)
    locked = dict(schedule.locked)
    locked.pop(scene_id, None)
    return _rebuild(schedule, days, notes, unscheduled, locked)


def insert_day_break(schedule: Schedule, scene_id: str) -> Schedule:
    """A new shooting day starting with this strip: it and the strips after it in its day move to the new day."""
    days = [list(day.scene_ids) for day in schedule.days]
    for index, day in enumerate(days):
        if scene_id in day:
            at = day.index(scene_id)
            if at == 0:
                raise ValueError("This strip already starts a day.")
            days[index : index + 1] = [day[:at], day[at:]]
            notes = [day.note for day in schedule.days]
            notes.insert(index + 1, "")
            return _rebuild(schedule, days, notes, schedule.unscheduled, dict(schedule.locked))
    raise ValueError("Only a strip on a shooting day can start a new day.")


def lock_strip(schedule: Schedule, scene_id: str, locked: bool = True) -> Schedule:
    """Lock the strip to the day it is on (re-optimising keeps it there), or unlock it."""
    locks = dict(schedule.locked)
    if not locked:
        locks.pop(scene_id, None)
        return schedule.model_copy(update={"locked": locks})
    number = schedule.day_of(scene_id)
    if number is None:
        raise ValueError("Only a strip on a shooting day can be locked to it.")
    locks[scene_id] = number
    return schedule.model_copy(update={"locked": locks})


def set_day_note(schedule: Schedule, day_number: int, note: str) -> Schedule:
    days = [day.model_copy(update={"note": note}) if day.number == day_number else day for day in schedule.days]
    return schedule.model_copy(update={"days": days})


def _rebuild(
    schedule: Schedule, days: list[list[str]], notes: list[str], unscheduled: Sequence[str], locked: dict[str, int]
) -> Schedule:
    """Renumber and re-date the days after an edit (locks and notes follow their days)."""
    shooting = [
        day.model_copy(update={"note": note})
        for day, note in zip(with_calendar(days, schedule.constraints), notes, strict=False)
    ]
    locks = {scene_id: number for scene_id in locked if (number := _day_number(shooting, scene_id)) is not None}
    return schedule.model_copy(
        update={
            "days": shooting,
            "unscheduled": list(unscheduled),
            "locked": locks,
            "report": SolveReport(method="edited"),
        }
    )


def refresh_strips(schedule: Schedule, scenes: Sequence[Scene]) -> Schedule:
    """The schedule with strips read again from the scenes: changed strips take their new facts, new scenes join
    the unscheduled strips, deleted scenes leave the board."""
    fresh = {strip.scene_id: strip for strip in group_sites([strip_from_scene(scene) for scene in scenes])}
    strips = [fresh[strip.scene_id] for strip in schedule.strips if strip.scene_id in fresh]
    known = {strip.scene_id for strip in strips}
    added = [strip for strip in sorted(fresh.values(), key=lambda s: s.number) if strip.scene_id not in known]
    days = [[scene_id for scene_id in day.scene_ids if scene_id in fresh] for day in schedule.days]
    unscheduled = [scene_id for scene_id in schedule.unscheduled if scene_id in fresh]
    unscheduled += [strip.scene_id for strip in added]
    refreshed = schedule.model_copy(
        update={
            "strips": strips + added,
            "cast_order": merge_cast_order(schedule.cast_order, strips + added),
        }
    )
    locked = {scene_id: number for scene_id, number in schedule.locked.items() if scene_id in fresh}
    rebuilt = _rebuild(refreshed, days, [day.note for day in schedule.days], unscheduled, locked)
    return rebuilt.model_copy(update={"report": schedule.report})


# --- Stale strips -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaleStrip:
    """A strip whose scene changed after the schedule was saved, and what changed in words."""

    scene_id: str
    label: str
    changes: tuple[str, ...]


_STRIP_FACTS = (
    ("setting", "INT/EXT"),
    ("location", "location"),
    ("time_of_day", "time of day"),
    ("eighths", "length"),
    ("cast", "cast"),
    ("needs", "needs"),
)


def stale_strips(schedule: Schedule, scenes: Sequence[Scene]) -> list[StaleStrip]:
    """Strips built from an older version of their scene, with what changed; deleted scenes and scenes added
    since are stale too."""
    current = {scene.id: scene for scene in scenes}
    stale: list[StaleStrip] = []
    for strip in schedule.strips:
        scene = current.get(strip.scene_id)
        if scene is None:
            stale.append(StaleStrip(strip.scene_id, strip.label, ("the scene was deleted",)))
            continue
        fresh = strip_from_scene(scene)
        changes = tuple(
            _describe_change(words, getattr(strip, name), getattr(fresh, name))
            for name, words in _STRIP_FACTS
            if getattr(strip, name) != getattr(fresh, name)
        )
        if changes or fresh.scene_version != strip.scene_version:
            stale.append(
                StaleStrip(strip.scene_id, strip.label, changes or (f"edited (version {fresh.scene_version})",))
            )
    known = {strip.scene_id for strip in schedule.strips}
    for scene in sorted(scenes, key=lambda scene: scene.number):
        if scene.id not in known:
            stale.append(StaleStrip(scene.id, scene.label or str(scene.number), ("a new scene, not on the board",)))
    return stale


def _describe_change(words: str, old: object, new: object) -> str:
    def shown(value: object) -> str:
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or "none"
        if value is None or value == "":
            return "none"
        return str(value)

    if words == "length" and isinstance(old, int) and isinstance(new, int):
        return f"length {format_eighths(old)} \u2192 {format_eighths(new)} pages"
    if isinstance(old, list) and isinstance(new, list):
        added = [item for item in new if item not in old]
        removed = [item for item in old if item not in new]
        parts = [f"+{item}" for item in added] + [f"\u2212{item}" for item in removed]
        return f"{words}: {' '.join(parts) or shown(new)}"
    return f"{words} {shown(old)} \u2192 {shown(new)}"


# --- Day totals, company moves and the board --------------------------------------------------------------------


@dataclass(frozen=True)
class DayTotals:
    number: int
    date: date
    scenes: int
    eighths: int
    cast_ids: tuple[int, ...]
    minutes: int
    company_moves: int
    light: str  # "DAY", "NIGHT", "DAY/NIGHT" or ""

    @property
    def pages(self) -> str:
        return format_eighths(self.eighths)

    @property
    def hours(self) -> str:
        return f"{self.minutes / 60:.1f} h"


def company_moves(strips: Sequence[Strip]) -> int:
    """Moves between sites in a day shot in this order."""
    return sum(1 for before, after in pairwise(strips) if before.site != after.site)


def day_strips(schedule: Schedule, day: ShootingDay) -> list[Strip]:
    strips = schedule.strips_by_id()
    return [strips[scene_id] for scene_id in day.scene_ids if scene_id in strips]


def day_minutes(strips: Sequence[Strip], constraints: ScheduleConstraints) -> int:
    return sum(strip.minutes for strip in strips) + company_moves(strips) * constraints.company_move_minutes


def day_totals(schedule: Schedule) -> list[DayTotals]:
    totals = []
    for day in schedule.days:
        strips = day_strips(schedule, day)
        cast = {name for strip in strips for name in strip.cast}
        lights = {strip.day_or_night for strip in strips if strip.day_or_night}
        light = "/".join(word.upper() for word in ("day", "night") if word in lights)
        totals.append(
            DayTotals(
                number=day.number,
                date=day.date,
                scenes=len(strips),
                eighths=sum(strip.eighths for strip in strips),
                cast_ids=tuple(sorted(cast_id for name in cast if (cast_id := schedule.cast_id(name)) is not None)),
                minutes=day_minutes(strips, schedule.constraints),
                company_moves=company_moves(strips),
                light=light,
            )
        )
    return totals


@dataclass(frozen=True)
class BoardRow:
    """One row of the stripboard: a strip, a company move between sites, or the black banner ending a day."""

    kind: Literal["strip", "move", "day"]
    strip: Strip | None = None
    day: DayTotals | None = None
    note: str = ""
    text: str = ""


def board_rows(schedule: Schedule) -> list[BoardRow]:
    """The stripboard top to bottom: each day's strips with company-move banners between sites, then the day's
    banner ("END OF DAY 3 — Tue 2 Mar 2027 — 5 2/8 pages"); the unscheduled strips are not on it."""
    rows: list[BoardRow] = []
    for day, totals in zip(schedule.days, day_totals(schedule), strict=True):
        strips = day_strips(schedule, day)
        for index, strip in enumerate(strips):
            if index and strips[index - 1].site != strip.site:
                rows.append(BoardRow("move", text=f"COMPANY MOVE TO {strip.site}"))
            rows.append(BoardRow("strip", strip=strip))
        rows.append(BoardRow("day", day=totals, note=day.note, text=day_banner(totals)))
    return rows


def day_banner(totals: DayTotals) -> str:
    return (
        f"END OF DAY {totals.number} \u2014 {totals.date.strftime('%a')} {totals.date.isoformat()} \u2014 "
        f"{totals.pages} pages"
    )


def cast_ids_text(schedule: Schedule, strip: Strip) -> str:
    ids = sorted(cast_id for name in strip.cast if (cast_id := schedule.cast_id(name)) is not None)
    return ", ".join(str(cast_id) for cast_id in ids)


# --- Day Out of Days -------------------------------------------------------------------------------------------

DoodCode = Literal["SW", "W", "WF", "SWF", "WD", "SWD", "PW", "PWF", "H", "T", "R", "HOL", ""]
DOOD_LEGEND: dict[str, str] = {
    "SW": "start work",
    "W": "work",
    "WF": "work finish",
    "SWF": "start-work-finish",
    "WD": "work, then drop",
    "SWD": "start work, then drop",
    "PW": "pick up, work",
    "PWF": "pick up, work, finish",
    "H": "hold",
    "T": "travel",
    "R": "rehearsal",
    "HOL": "holiday",
}


@dataclass(frozen=True)
class DoodColumn:
    date: date
    day_number: int | None  # None on a day off or holiday

    @property
    def title(self) -> str:
        return str(self.day_number) if self.day_number is not None else "Off"


@dataclass
class DoodRow:
    cast_id: int
    name: str
    codes: list[str]
    work: int = 0
    hold: int = 0
    travel: int = 0
    rehearsal: int = 0
    holiday: int = 0
    start: date | None = None
    finish: date | None = None

    @property
    def total(self) -> int:
        return self.work + self.hold + self.travel + self.rehearsal + self.holiday


@dataclass
class DayOutOfDays:
    columns: list[DoodColumn] = field(default_factory=list)
    rows: list[DoodRow] = field(default_factory=list)


def day_out_of_days(schedule: Schedule) -> DayOutOfDays:
    """The cast-by-day grid with the standard codes and totals per actor. Columns run over every calendar date
    from the first to the last shooting day (days off and holidays included, shaded), widened at either end for
    travel and rehearsal. Days between two work days are holds, unless the constraints allow a drop and pick-up
    (`drop_pickup_days`) and the gap is that long, in which case the actor is off the payroll in between."""
    constraints = schedule.constraints
    if not schedule.days:
        return DayOutOfDays()
    work_days: dict[str, list[int]] = {}
    for day in schedule.days:
        for strip in day_strips(schedule, day):
            for name in strip.cast:
                numbers = work_days.setdefault(name, [])
                if day.number not in numbers:
                    numbers.append(day.number)
    lead = max(
        (rule.travel_days + rule.rehearsal_days for rule in constraints.cast if rule.name in work_days), default=0
    )
    first, last = schedule.days[0].date - timedelta(days=lead), schedule.days[-1].date + timedelta(days=lead)
    numbers_by_date = {day.date: day.number for day in schedule.days}
    columns = [
        DoodColumn(first + timedelta(days=offset), numbers_by_date.get(first + timedelta(days=offset)))
        for offset in range((last - first).days + 1)
    ]
    # Trailing lead columns are kept only where some actor travels home on them.
    dates_by_number = {day.number: day.date for day in schedule.days}
    rows: list[DoodRow] = []
    for name in schedule.cast_order:
        if name not in work_days:
            continue
        rows.append(_dood_row(schedule, name, sorted(work_days[name]), columns, dates_by_number))
    used = [index for index, column in enumerate(columns) if any(row.codes[index] for row in rows)]
    if used:
        keep_from = min(used[0], next(i for i, c in enumerate(columns) if c.day_number is not None))
        keep_to = max(used[-1], max(i for i, c in enumerate(columns) if c.day_number is not None))
        columns = columns[keep_from : keep_to + 1]
        for row in rows:
            row.codes = row.codes[keep_from : keep_to + 1]
    return DayOutOfDays(columns=columns, rows=rows)


def _dood_row(
    schedule: Schedule,
    name: str,
    worked: list[int],
    columns: list[DoodColumn],
    dates_by_number: dict[int, date],
) -> DoodRow:
    constraints = schedule.constraints
    rule = constraints.cast_rule(name)
    index_of = {column.date: index for index, column in enumerate(columns)}
    codes = [""] * len(columns)
    row = DoodRow(cast_id=schedule.cast_id(name) or 0, name=name, codes=codes)
    work_dates = [dates_by_number[number] for number in worked]
    # Runs of work separated by a drop: a gap of at least drop_pickup_days calendar days.
    runs: list[list[date]] = [[work_dates[0]]]
    for before, after in pairwise(work_dates):
        if constraints.drop_pickup_days is not None and (after - before).days >= constraints.drop_pickup_days:
            runs.append([after])
        else:
            runs[-1].append(after)
    for run_index, run in enumerate(runs):
        first_run, last_run = run_index == 0, run_index == len(runs) - 1
        for work_date in run:
            codes[index_of[work_date]] = "W"
            row.work += 1
        start_code = "SW" if first_run else "PW"
        finish_code = "WF" if last_run else "WD"
        if len(run) == 1:
            codes[index_of[run[0]]] = {
                (True, True): "SWF",
                (True, False): "SWD",
                (False, True): "PWF",
                (False, False): "PW",
            }[(first_run, last_run)]
        else:
            codes[index_of[run[0]]] = start_code
            codes[index_of[run[-1]]] = finish_code
        for column in columns[index_of[run[0]] : index_of[run[-1]] + 1]:
            position = index_of[column.date]
            if codes[position]:
                continue
            if column.day_number is not None:
                codes[position] = "H"
                row.hold += 1
            elif column.date in constraints.holidays and column.date.weekday() < 5:
                codes[position] = "HOL"
                row.holiday += 1
    start = index_of[work_dates[0]]
    finish = index_of[work_dates[-1]]
    if rule is not None:
        for offset in range(rule.rehearsal_days):
            position = start - 1 - offset
            if position >= 0 and not codes[position]:
                codes[position] = "R"
                row.rehearsal += 1
        for offset in range(rule.travel_days):
            going = start - rule.rehearsal_days - 1 - offset
            returning = finish + 1 + offset
            for position in (going, returning):
                if 0 <= position < len(codes) and not codes[position]:
                    codes[position] = "T"
                    row.travel += 1
    row.start, row.finish = work_dates[0], work_dates[-1]
    return row


# --- Measures ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleMetrics:
    days: int
    company_moves: int
    cast_days: int  # work + hold over every cast member
    work_days: int
    hold_days: int
    night_switches: int


def metrics(schedule: Schedule) -> ScheduleMetrics:
    dood = day_out_of_days(schedule)
    lights = [_light(day_strips(schedule, day)) for day in schedule.days]
    kinds = [light for light in lights if light is not None]
    return ScheduleMetrics(
        days=len(schedule.days),
        company_moves=sum(company_moves(day_strips(schedule, day)) for day in schedule.days),
        cast_days=sum(row.work + row.hold for row in dood.rows),
        work_days=sum(row.work for row in dood.rows),
        hold_days=sum(row.hold for row in dood.rows),
        night_switches=sum(1 for before, after in pairwise(kinds) if before != after),
    )


def _light(strips: Iterable[Strip]) -> DayOrNight | None:
    lights = {strip.day_or_night for strip in strips if strip.day_or_night}
    if "night" in lights:
        return "night"
    return "day" if lights else None


# --- Checks ------------------------------------------------------------------------------------------------------

ViolationKind = Literal[
    "unscheduled", "pages", "hours", "split", "turnaround", "cast", "location", "order", "hold", "minor", "lock"
]


@dataclass(frozen=True)
class Violation:
    kind: ViolationKind
    message: str


def violations(schedule: Schedule) -> list[Violation]:
    """Every rule the schedule breaks, in words. A drafted schedule has none; a hand-edited one may, and the board
    shows them."""
    constraints = schedule.constraints
    strips = schedule.strips_by_id()
    found: list[Violation] = []
    day_index = {scene_id: day.number for day in schedule.days for scene_id in day.scene_ids}
    for scene_id in schedule.unscheduled:
        if scene_id in strips:
            found.append(Violation("unscheduled", f"Scene {strips[scene_id].label} is not on any shooting day."))
    hours_limit = constraints.max_day_minutes
    for day in schedule.days:
        members = day_strips(schedule, day)
        eighths = sum(strip.eighths for strip in members)
        if eighths > constraints.pages_per_day and len(members) > 1:
            found.append(
                Violation(
                    "pages",
                    f"Day {day.number} has {format_eighths(eighths)} pages, more than "
                    f"{format_eighths(constraints.pages_per_day)}.",
                )
            )
        minutes = day_minutes(members, constraints)
        if minutes > hours_limit and len(members) > 1:
            found.append(
                Violation(
                    "hours",
                    f"Day {day.number} takes about {minutes / 60:.1f} h, more than {constraints.max_day_hours:g} h.",
                )
            )
        lights = {strip.day_or_night for strip in members if strip.day_or_night}
        if not constraints.split_days and lights == {"day", "night"}:
            found.append(Violation("split", f"Day {day.number} mixes day and night work."))
        for strip in members:
            for name in strip.cast:
                rule = constraints.cast_rule(name)
                if rule is not None and not rule.available_on(day.date):
                    found.append(
                        Violation(
                            "cast",
                            f"Scene {strip.label} is on day {day.number} ({day.date.isoformat()}), when {name} is "
                            f"not available ({rule.describe_window()}).",
                        )
                    )
            location = constraints.location_rule(strip.site)
            if location is not None and not location.available_on(day.date):
                found.append(
                    Violation(
                        "location",
                        f"Scene {strip.label} is on day {day.number} ({day.date.isoformat()}), when {strip.site} "
                        "is not available.",
                    )
                )
        for name in {name for strip in members for name in strip.cast}:
            rule = constraints.cast_rule(name)
            if rule is not None and rule.minor and rule.max_hours is not None and minutes > rule.max_hours * 60:
                found.append(
                    Violation(
                        "minor",
                        f"Day {day.number} takes about {minutes / 60:.1f} h, but {name} (a minor) may work "
                        f"at most {rule.max_hours:g} h a day.",
                    )
                )
    if constraints.night_turnaround:
        for before, after in pairwise(schedule.days):
            if (after.date - before.date).days != 1:
                continue
            if _light(day_strips(schedule, before)) == "night" and any(
                strip.day_or_night == "day" for strip in day_strips(schedule, after)
            ):
                found.append(
                    Violation(
                        "turnaround",
                        f"Day {after.number} has day work the morning after the night work of day "
                        f"{before.number}: the crew needs a turnaround.",
                    )
                )
    for order_rule in constraints.order:
        first, then = day_index.get(order_rule.before), day_index.get(order_rule.after)
        if (
            first is not None
            and then is not None
            and first >= then
            and order_rule.before in strips
            and order_rule.after in strips
        ):
            found.append(
                Violation(
                    "order",
                    f"Scene {strips[order_rule.before].label} must be shot before scene "
                    f"{strips[order_rule.after].label}, but they are on days {first} and {then}.",
                )
            )
    for row in day_out_of_days(schedule).rows:
        rule = constraints.cast_rule(row.name)
        if rule is None or rule.max_hold_days is None:
            continue
        span_holds = _span_holds(schedule, row.name)
        if span_holds > rule.max_hold_days:
            found.append(
                Violation(
                    "hold",
                    f"{row.name} is held {span_holds} days between work days, more than {rule.max_hold_days}.",
                )
            )
    for scene_id, number in schedule.locked.items():
        if day_index.get(scene_id) != number and scene_id in strips:
            found.append(Violation("lock", f"Scene {strips[scene_id].label} is locked to day {number}."))
    return found


def _span_holds(schedule: Schedule, name: str) -> int:
    """Shooting days between an actor's first and last work day on which they do not work."""
    worked = [day.number for day in schedule.days if any(name in strip.cast for strip in day_strips(schedule, day))]
    if not worked:
        return 0
    return worked[-1] - worked[0] + 1 - len(worked)


# --- Versions ----------------------------------------------------------------------------------------------------


def compare_schedules(older: Schedule, newer: Schedule) -> list[str]:
    """What changed from one saved schedule to another, in words: days, strips moved, locks and constraints."""
    lines: list[str] = []
    if len(older.days) != len(newer.days):
        lines.append(f"Shooting days: {len(older.days)} \u2192 {len(newer.days)}")
    if older.days and newer.days and older.days[0].date != newer.days[0].date:
        lines.append(f"First day: {older.days[0].date.isoformat()} \u2192 {newer.days[0].date.isoformat()}")
    labels = {strip.scene_id: strip.label for strip in [*older.strips, *newer.strips]}
    for strip in newer.strips:
        before, after = older.day_of(strip.scene_id), newer.day_of(strip.scene_id)
        if before != after:
            lines.append(f"Scene {labels[strip.scene_id]}: {_day_words(before)} \u2192 {_day_words(after)}")
    for scene_id in sorted(set(older.locked) | set(newer.locked), key=lambda key: labels.get(key, key)):
        if older.locked.get(scene_id) != newer.locked.get(scene_id):
            state = f"locked to day {newer.locked[scene_id]}" if scene_id in newer.locked else "unlocked"
            lines.append(f"Scene {labels.get(scene_id, scene_id)} {state}")
    old_rules, new_rules = older.constraints.model_dump(mode="json"), newer.constraints.model_dump(mode="json")
    for name in new_rules:
        if old_rules.get(name) != new_rules[name]:
            lines.append(f"Constraint {name.replace('_', ' ')} changed")
    if older.cast_order != newer.cast_order:
        lines.append("Cast ID list changed")
    return lines


def _day_words(number: int | None) -> str:
    return f"day {number}" if number is not None else "unscheduled"
