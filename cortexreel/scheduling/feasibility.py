"""What can be known about a schedule's constraints before searching: the shooting dates worth considering, the days
each strip could go on, and, when no schedule can exist, why in words a first AD understands."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cortexreel.domain.schedule import Schedule, ScheduleConstraints, Strip, naive_days, shooting_dates


@dataclass(frozen=True)
class Horizon:
    """The shooting dates a draft may use: enough for the naive schedule twice over and every date a constraint
    names."""

    dates: list[date]

    def __len__(self) -> int:
        return len(self.dates)


def horizon(schedule: Schedule) -> Horizon:
    constraints = schedule.constraints
    count = 2 * len(naive_days(schedule.strips, constraints)) + 5
    named = _named_dates(constraints)
    dates = shooting_dates(constraints, count)
    while named and dates[-1] < max(named):
        dates = shooting_dates(constraints, len(dates) + 10)
    return Horizon(dates)


def _named_dates(constraints: ScheduleConstraints) -> list[date]:
    named: list[date] = []
    for rule in constraints.cast:
        named += [day for day in (rule.available_from, rule.available_until) if day is not None]
    for location in constraints.locations:
        named += [day for day in (location.available_from, location.available_until) if day is not None]
        named += location.dates
    return named


def allowed_days(schedule: Schedule, strip: Strip, dates: Sequence[date]) -> list[int]:
    """Indexes of the dates on which every cast member of the strip and its location are available, and, for a
    locked strip, only the day it is locked to."""
    constraints = schedule.constraints
    rules = [rule for name in strip.cast if (rule := constraints.cast_rule(name)) is not None]
    location = constraints.location_rule(strip.site)
    allowed = [
        index
        for index, day in enumerate(dates)
        if all(rule.available_on(day) for rule in rules) and (location is None or location.available_on(day))
    ]
    locked = schedule.locked.get(strip.scene_id)
    if locked is not None:
        allowed = [index for index in allowed if index == locked - 1]
    return allowed


def oversized(strip: Strip, constraints: ScheduleConstraints) -> bool:
    """A strip that fills a day by itself: longer than a day's pages or hours."""
    return strip.eighths > constraints.pages_per_day or strip.minutes > constraints.max_day_minutes


def reasons_no_schedule(schedule: Schedule, dates: Sequence[date]) -> list[str]:
    """Why no schedule can exist, found without searching: a strip with no possible day, a minor's scene longer
    than their day, scenes ordered in a circle or against their possible days. Empty when nothing is found."""
    constraints = schedule.constraints
    reasons: list[str] = []
    first_possible: dict[str, int] = {}
    last_possible: dict[str, int] = {}
    for strip in schedule.strips:
        allowed = allowed_days(schedule, strip, dates)
        if not allowed:
            reasons.append(_why_no_day(schedule, strip, dates))
            continue
        first_possible[strip.scene_id], last_possible[strip.scene_id] = allowed[0], allowed[-1]
        for name in strip.cast:
            rule = constraints.cast_rule(name)
            if rule is not None and rule.minor and rule.max_hours is not None and strip.minutes > rule.max_hours * 60:
                reasons.append(
                    f"Scene {strip.label} needs {name}, a minor who may work at most {rule.max_hours:g} h a day, but "
                    f"the scene alone takes about {strip.minutes / 60:.1f} h."
                )
    reasons += _order_reasons(schedule, dates, first_possible, last_possible)
    return reasons


def _why_no_day(schedule: Schedule, strip: Strip, dates: Sequence[date]) -> str:
    constraints = schedule.constraints
    locked = schedule.locked.get(strip.scene_id)
    if locked is not None:
        day = dates[locked - 1] if 0 < locked <= len(dates) else None
        when = f" ({day.isoformat()})" if day else ""
        blockers = _blockers_on(schedule, strip, day) if day else []
        because = (
            f", when {' and '.join(blockers)} {'is' if len(blockers) == 1 else 'are'} not available" if blockers else ""
        )
        return f"Scene {strip.label} is locked to day {locked}{when}{because}."
    limits: list[str] = []
    for name in strip.cast:
        rule = constraints.cast_rule(name)
        if rule is None:
            continue
        if not any(rule.available_on(day) for day in dates):
            return (
                f"Scene {strip.label} needs {name}, who is not available on any shooting day "
                f"({rule.describe_window()})."
            )
        limits.append(f"{name} ({rule.describe_window()})")
    location = constraints.location_rule(strip.site)
    if location is not None:
        if not any(location.available_on(day) for day in dates):
            return f"Scene {strip.label} is at {strip.site}, which is not available on any shooting day."
        limits.append(
            f"{strip.site} ({_location_window(location.dates, location.available_from, location.available_until)})"
        )
    return f"Scene {strip.label} needs {' and '.join(limits)}: there is no shooting day when all of them are available."


def _blockers_on(schedule: Schedule, strip: Strip, day: date) -> list[str]:
    constraints = schedule.constraints
    blockers = [
        name for name in strip.cast if (rule := constraints.cast_rule(name)) is not None and not rule.available_on(day)
    ]
    location = constraints.location_rule(strip.site)
    if location is not None and not location.available_on(day):
        blockers.append(strip.site)
    return blockers


def _location_window(dates: Sequence[date], start: date | None, end: date | None) -> str:
    if dates:
        return "available only on " + ", ".join(day.isoformat() for day in sorted(dates))
    if start and end:
        return f"available {start.isoformat()} to {end.isoformat()}"
    if start:
        return f"available from {start.isoformat()}"
    return f"available until {end.isoformat()}" if end else "available every day"


def _order_reasons(
    schedule: Schedule, dates: Sequence[date], first_possible: dict[str, int], last_possible: dict[str, int]
) -> list[str]:
    strips = schedule.strips_by_id()
    rules = [rule for rule in schedule.constraints.order if rule.before in strips and rule.after in strips]
    reasons: list[str] = []
    cycle = _cycle({(rule.before, rule.after) for rule in rules})
    if cycle:
        labels = [strips[scene_id].label for scene_id in cycle]
        chain = " before ".join(f"scene {label}" for label in [*labels, labels[0]])
        reasons.append(f"The scene order goes round in a circle: {chain}.")
        return reasons
    for rule in rules:
        first = first_possible.get(rule.before)
        last = last_possible.get(rule.after)
        if first is not None and last is not None and first >= last:
            before, after = strips[rule.before], strips[rule.after]
            reasons.append(
                f"Scene {before.label} must be shot before scene {after.label}, but scene {after.label} can be shot "
                f"no later than {dates[last].isoformat()} and scene {before.label} no earlier than "
                f"{dates[first].isoformat()}."
            )
    return reasons


def _cycle(edges: set[tuple[str, str]]) -> list[str]:
    """One circle in the 'before' graph, as the scene ids along it, or [] when there is none."""
    graph: dict[str, list[str]] = {}
    for before, after in sorted(edges):
        graph.setdefault(before, []).append(after)
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for target in graph.get(node, []):
            if state.get(target) == 1:
                return path[path.index(target) :]
            if target not in state and (found := visit(target)):
                return found
        state[node] = 2
        path.pop()
        return []

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return []
