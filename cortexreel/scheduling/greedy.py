"""A quick schedule that keeps every rule it can check strip by strip: the optimiser's starting point, and a draft
of its own when there is no time to search. Strips go in order (locked first, day work before night work, site by
site, script order), each on the first day where it fits: a day of its site, else the day being filled or a later
one. Hold limits are not looked at here; the optimiser repairs them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cortexreel.domain.schedule import Schedule, Strip
from cortexreel.scheduling.feasibility import allowed_days, oversized


@dataclass
class _Day:
    strips: list[Strip] = field(default_factory=list)
    eighths: int = 0
    minutes: int = 0
    sites: set[str] = field(default_factory=set)
    full: bool = False  # holds an oversized strip

    def light(self, kind: str) -> bool:
        return any(strip.day_or_night == kind for strip in self.strips)


def greedy_days(schedule: Schedule, dates: list[date]) -> list[list[str]] | None:
    """Scene ids per day (day i is dates[i]), or None when some strip fits on no day of `dates`."""
    constraints = schedule.constraints
    strips = schedule.strips_by_id()
    site_size: dict[str, int] = {}
    for strip in schedule.strips:
        site_size[strip.site] = site_size.get(strip.site, 0) + strip.eighths
    light_rank = {"day": 0, None: 1, "night": 2}
    pending = sorted(
        schedule.strips,
        key=lambda strip: (
            strip.scene_id not in schedule.locked,
            light_rank[strip.day_or_night],
            -site_size[strip.site],
            strip.site,
            strip.number,
        ),
    )
    predecessors: dict[str, set[str]] = {}
    for rule in constraints.order:
        if rule.before in strips and rule.after in strips:
            predecessors.setdefault(rule.after, set()).add(rule.before)
    days = [_Day() for _ in dates]
    placed: dict[str, int] = {}
    filling = 0
    while pending:
        ready = next(
            (strip for strip in pending if predecessors.get(strip.scene_id, set()) <= placed.keys()), pending[0]
        )
        pending.remove(ready)
        earliest = max(
            (placed[before] + 1 for before in predecessors.get(ready.scene_id, ()) if before in placed), default=0
        )
        allowed = [index for index in allowed_days(schedule, ready, dates) if index >= earliest]
        same_site = [index for index in allowed if ready.site in days[index].sites]
        onward = [index for index in allowed if index >= filling]
        chosen = next(
            (index for index in [*same_site, *onward, *allowed] if _fits(schedule, days, dates, index, ready)), None
        )
        if chosen is None:
            return None
        _add(schedule, days[chosen], ready)
        placed[ready.scene_id] = chosen
        # Only a strip free to go anywhere moves the day being filled on: one held to late dates (a cast member's
        # window, a location, a lock, a scene before it) would leave the days before it half empty.
        # Joining a day of its own site (which may lie ahead) does not move it on either.
        free = len(allowed) == len(dates) and earliest == 0
        if chosen >= filling and free and chosen not in same_site:
            filling = chosen
    used = [index for index, day in enumerate(days) if day.strips]
    last = used[-1] + 1 if used else 0
    return [[strip.scene_id for strip in day.strips] for day in days[:last]]


def _fits(schedule: Schedule, days: list[_Day], dates: list[date], index: int, strip: Strip) -> bool:
    constraints = schedule.constraints
    day = days[index]
    if day.full:
        return False
    move = constraints.company_move_minutes if day.strips and strip.site not in day.sites else 0
    minutes = day.minutes + strip.minutes + move
    if oversized(strip, constraints):
        if day.strips:
            return False
    elif day.eighths + strip.eighths > constraints.pages_per_day or minutes > constraints.max_day_minutes:
        return False
    other_light = {"day": "night", "night": "day"}.get(strip.day_or_night or "")
    if not constraints.split_days and other_light and day.light(other_light):
        return False
    if constraints.night_turnaround:
        night_before_day = strip.day_or_night == "night" and _next_calendar_day(dates, index)
        if night_before_day and days[index + 1].light("day"):
            return False
        day_after_night = strip.day_or_night == "day" and index > 0 and _next_calendar_day(dates, index - 1)
        if day_after_night and days[index - 1].light("night"):
            return False
    for name in {name for other in [*day.strips, strip] for name in other.cast}:
        rule = constraints.cast_rule(name)
        if rule is not None and rule.minor and rule.max_hours is not None and minutes > rule.max_hours * 60:
            return False
    return True


def _next_calendar_day(dates: list[date], index: int) -> bool:
    return index + 1 < len(dates) and (dates[index + 1] - dates[index]).days == 1


def _add(schedule: Schedule, day: _Day, strip: Strip) -> None:
    constraints = schedule.constraints
    if day.strips and strip.site not in day.sites:
        day.minutes += constraints.company_move_minutes
    day.strips.append(strip)
    day.eighths += strip.eighths
    day.minutes += strip.minutes
    day.sites.add(strip.site)
    day.full = day.full or oversized(strip, constraints)


def improve_day_order(schedule: Schedule, days: list[list[str]], dates: list[date]) -> list[list[str]]:
    """The same days in an order that keeps cast spans short (fewer cast days) without scattering the night work:
    whole days are swapped while that helps and keeps every date, order and turnaround rule. Days holding a locked
    strip stay put."""
    constraints = schedule.constraints
    strips = schedule.strips_by_id()
    allowed: list[set[int]] = []
    for ids in days:
        possible = set(range(len(dates)))
        for scene_id in ids:
            possible &= set(allowed_days(schedule, strips[scene_id], dates))
        allowed.append(possible)
    fixed = {index for index, ids in enumerate(days) if any(scene_id in schedule.locked for scene_id in ids)}
    night = [any(strips[i].day_or_night == "night" for i in ids) for ids in days]
    has_day = [any(strips[i].day_or_night == "day" for i in ids) for ids in days]
    day_of_scene = {scene_id: index for index, ids in enumerate(days) for scene_id in ids}
    orders = [
        (day_of_scene[rule.before], day_of_scene[rule.after])
        for rule in constraints.order
        if rule.before in day_of_scene and rule.after in day_of_scene
    ]
    worked: dict[str, set[int]] = {}
    for index, ids in enumerate(days):
        for scene_id in ids:
            for name in strips[scene_id].cast:
                worked.setdefault(name, set()).add(index)
    spread = [members for members in worked.values() if len(members) > 1]
    consecutive = [_next_calendar_day(dates, position) for position in range(len(dates))]
    position = list(range(len(days)))  # position[day] = where the day is shot

    def cost() -> tuple[int, int]:
        """Switches between night and day work first (nights stay clustered), then the cast spans."""
        at = sorted(range(len(days)), key=lambda day: position[day])
        switches = sum(1 for before, after in zip(at, at[1:], strict=False) if night[before] != night[after])
        spans = sum(max(position[d] for d in members) - min(position[d] for d in members) for members in spread)
        return switches, spans

    def valid() -> bool:
        at = {position[day]: day for day in range(len(days))}
        if any(position[day] not in allowed[day] for day in range(len(days))):
            return False
        if any(position[before] >= position[after] for before, after in orders):
            return False
        if constraints.night_turnaround:
            for slot in range(len(days) - 1):
                if consecutive[slot] and night[at[slot]] and has_day[at[slot + 1]]:
                    return False
        return True

    if not valid():
        return days
    best = cost()
    movable = [day for day in range(len(days)) if day not in fixed]
    improved = True
    rounds = 0
    while improved and rounds < 20:
        improved, rounds = False, rounds + 1
        for first_index, first in enumerate(movable):
            for second in movable[first_index + 1 :]:
                position[first], position[second] = position[second], position[first]
                candidate = cost()
                if candidate < best and valid():
                    best, improved = candidate, True
                else:
                    position[first], position[second] = position[second], position[first]
    ordered: list[list[str]] = [[] for _ in days]
    for day, slot in enumerate(position):
        ordered[slot] = days[day]
    return ordered
