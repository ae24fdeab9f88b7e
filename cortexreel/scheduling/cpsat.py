"""The draft schedule as a CP-SAT model (OR-Tools): which strip goes on which shooting day.

Hard rules: every strip on exactly one day of the horizon; pages and estimated hours per day (a strip longer than a
day takes its day alone); cast and location availability; locks; scene order; day/night work not mixed in a day
unless allowed; no day work the calendar day after night work (turnaround); a minor's longest day; hold limits.
Objective, in this order of importance: fewest shooting days, then fewest company moves (with switches between day
and night work counted as half a move, so nights cluster), then fewest cast days (each actor's span from first to
last work day, which is work plus holds). The greedy schedule is the hint the search starts from.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from cortexreel.domain.schedule import Schedule, Strip
from cortexreel.scheduling.feasibility import allowed_days, oversized


@dataclass
class Outcome:
    """What the search found: days of scene ids (None when none was found), its status, and when the rules
    contradict each other, the ones that do (in words)."""

    days: list[list[str]] | None
    status: str
    seconds: float
    conflicting: list[str] = field(default_factory=list)
    objective: float | None = None
    bound: float | None = None


@dataclass
class _Model:
    model: cp_model.CpModel
    x: dict[tuple[str, int], cp_model.IntVar]
    used: list[cp_model.IntVar]
    # Literals switching each named rule on, for finding which rules contradict each other.
    switches: dict[str, cp_model.IntVar] = field(default_factory=dict)


def solve(
    schedule: Schedule,
    dates: list[date],
    *,
    hint: list[list[str]] | None,
    time_limit: float,
    workers: int = 2,
) -> Outcome:
    started = time.perf_counter()
    built = _build(schedule, dates, hint=hint, with_switches=False)
    solver = _solver(time_limit, workers)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        # Rarely a date-bound strip needs a day with nothing on it before it (too few strips to fill the days up to
        # its dates): allow empty days and search again.
        remaining = max(0.1, time_limit - (time.perf_counter() - started))
        built = _build(schedule, dates, hint=hint, with_switches=False, empty_days=True)
        solver = _solver(remaining, workers)
        status = solver.solve(built.model)
    name = solver.status_name(status)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Outcome(
            _read_days(schedule, dates, built, solver),
            name,
            time.perf_counter() - started,
            objective=solver.objective_value,
            bound=solver.best_objective_bound,
        )
    conflicting: list[str] = []
    if status == cp_model.INFEASIBLE:
        conflicting = _conflicting_rules(schedule, dates, time_limit, workers)
    return Outcome(None, name, time.perf_counter() - started, conflicting)


def _solver(time_limit: float, workers: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 7  # the same script gives the same draft
    # Light presolve: on two busy cores a full presolve can take the whole time limit before the search starts.
    solver.parameters.cp_model_probing_level = 0
    solver.parameters.symmetry_level = 0
    solver.parameters.max_presolve_iterations = 1
    return solver


def _conflicting_rules(schedule: Schedule, dates: list[date], time_limit: float, workers: int) -> list[str]:
    """The named rules that cannot hold together (a small set, from the solver's infeasibility core)."""
    built = _build(schedule, dates, hint=None, with_switches=True, objective=False, empty_days=True)
    built.model.add_assumptions(list(built.switches.values()))
    solver = _solver(time_limit, 1)  # cores come from a single worker's search
    status = solver.solve(built.model)
    if status != cp_model.INFEASIBLE:
        return []
    names = {variable.index: name for name, variable in built.switches.items()}
    return [names[index] for index in solver.sufficient_assumptions_for_infeasibility() if index in names]


def _build(
    schedule: Schedule,
    dates: list[date],
    *,
    hint: list[list[str]] | None,
    with_switches: bool,
    objective: bool = True,
    empty_days: bool = False,
) -> _Model:
    constraints = schedule.constraints
    model = cp_model.CpModel()
    horizon = range(len(dates))
    strips = schedule.strips
    allowed = {strip.scene_id: allowed_days(schedule, strip, dates) for strip in strips}
    if with_switches:
        # Locks become named rules of their own: the variables may go anywhere their cast and location allow.
        unlocked = schedule.model_copy(update={"locked": {}})
        allowed = {strip.scene_id: allowed_days(unlocked, strip, dates) for strip in strips}
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    for strip in strips:
        for day in allowed[strip.scene_id]:
            x[strip.scene_id, day] = model.new_bool_var(f"x_{strip.number}_{day}")
    used = [model.new_bool_var(f"used_{day}") for day in horizon]
    built = _Model(model, x, used)

    def switch(name: str) -> list[cp_model.IntVar]:
        """The enforcement literal of a named rule (none when rules are simply hard)."""
        if not with_switches:
            return []
        literal = built.switches.get(name)
        if literal is None:
            literal = built.switches[name] = model.new_bool_var(name)
        return [literal]

    on_day: dict[int, list[Strip]] = {day: [] for day in horizon}
    for strip in strips:
        model.add_exactly_one(x[strip.scene_id, day] for day in allowed[strip.scene_id])
        for day in allowed[strip.scene_id]:
            model.add_implication(x[strip.scene_id, day], used[day])
            on_day[day].append(strip)
    for day in horizon[1:]:
        model.add_implication(used[day], used[day - 1])  # used days come first: their dates are the calendar's
    if not empty_days:
        for day in horizon:
            model.add(sum(x[strip.scene_id, day] for strip in on_day[day]) >= 1).only_enforce_if(used[day])

    day_of = {strip.scene_id: sum(day * x[strip.scene_id, day] for day in allowed[strip.scene_id]) for strip in strips}
    if with_switches:
        for scene_id, number in schedule.locked.items():
            if (scene_id, number - 1) in x:
                label = schedule.strip(scene_id).label
                model.add(x[scene_id, number - 1] == 1).only_enforce_if(switch(f"scene {label} locked to day {number}"))

    # Sites and company moves.
    sites: dict[tuple[str, int], cp_model.IntVar] = {}
    for day in horizon:
        for strip in on_day[day]:
            key = (strip.site, day)
            if key not in sites:
                sites[key] = model.new_bool_var(f"site_{day}_{len(sites)}")
            model.add_implication(x[strip.scene_id, day], sites[key])
    moves_on = {
        day: sum(variable for (_, site_day), variable in sites.items() if site_day == day) - used[day]
        for day in horizon
    }

    # Pages and hours per day; an oversized strip takes its day alone.
    day_minutes = {}
    for day in horizon:
        normal = [strip for strip in on_day[day] if not oversized(strip, constraints)]
        big = [strip for strip in on_day[day] if oversized(strip, constraints)]
        model.add(sum(strip.eighths * x[strip.scene_id, day] for strip in normal) <= constraints.pages_per_day)
        minutes = sum(strip.minutes * x[strip.scene_id, day] for strip in normal) + (
            constraints.company_move_minutes * moves_on[day]
        )
        day_minutes[day] = minutes
        model.add(minutes <= constraints.max_day_minutes)
        for strip in big:
            others = [x[other.scene_id, day] for other in on_day[day] if other.scene_id != strip.scene_id]
            if others:
                model.add(sum(others) == 0).only_enforce_if(x[strip.scene_id, day])

    # Day and night work.
    night = [model.new_bool_var(f"night_{day}") for day in horizon]
    has_day = [model.new_bool_var(f"day_{day}") for day in horizon]
    for day in horizon:
        model.add_implication(night[day], used[day])
        for strip in on_day[day]:
            if strip.day_or_night == "night":
                model.add_implication(x[strip.scene_id, day], night[day])
            elif strip.day_or_night == "day":
                model.add_implication(x[strip.scene_id, day], has_day[day])
        if not constraints.split_days:
            model.add(night[day] + has_day[day] <= 1)
    if constraints.night_turnaround:
        for day in horizon[:-1]:
            if (dates[day + 1] - dates[day]).days == 1:
                model.add(night[day] + has_day[day + 1] <= 1).only_enforce_if(switch("the night turnaround"))
    switches_between = []
    for day in horizon[:-1]:
        changed = model.new_bool_var(f"switch_{day}")
        model.add(changed >= night[day] - night[day + 1])
        model.add(changed >= night[day + 1] - night[day]).only_enforce_if(used[day + 1])
        switches_between.append(changed)

    # Cast: spans, minors' hours and hold limits.
    cast_spans = []
    spans: dict[str, tuple[cp_model.IntVar, cp_model.IntVar]] = {}
    works_on: dict[tuple[str, int], cp_model.IntVar] = {}
    cast_names = sorted({name for strip in strips for name in strip.cast})
    for name in cast_names:
        theirs = [strip for strip in strips if name in strip.cast]
        rule = constraints.cast_rule(name)
        if len(theirs) > 1 or (rule is not None and rule.max_hold_days is not None):
            first = model.new_int_var(0, len(dates) - 1, f"first_{name}")
            last = model.new_int_var(0, len(dates) - 1, f"last_{name}")
            for strip in theirs:
                model.add(first <= day_of[strip.scene_id])
                model.add(last >= day_of[strip.scene_id])
            cast_spans.append(last - first)
            spans[name] = (first, last)
            if rule is not None and rule.max_hold_days is not None:
                worked = []
                for day in horizon:
                    present = [x[strip.scene_id, day] for strip in theirs if (strip.scene_id, day) in x]
                    if present:
                        works = model.new_bool_var(f"works_{name}_{day}")
                        model.add_max_equality(works, present)
                        worked.append(works)
                        works_on[name, day] = works
                model.add(last - first + 1 - sum(worked) <= rule.max_hold_days).only_enforce_if(
                    switch(f"the hold limit of {name} (at most {rule.max_hold_days} days)")
                )
        if rule is not None and rule.minor and rule.max_hours is not None:
            limit = round(rule.max_hours * 60)
            for day in horizon:
                for strip in theirs:
                    if (strip.scene_id, day) in x:
                        model.add(day_minutes[day] <= limit).only_enforce_if(
                            [x[strip.scene_id, day], *switch(f"the hours of {name} (a minor, {rule.max_hours:g} h)")]
                        )

    # Scene order.
    for order_rule in constraints.order:
        if order_rule.before in day_of and order_rule.after in day_of:
            before, after = schedule.strip(order_rule.before), schedule.strip(order_rule.after)
            model.add(day_of[order_rule.before] + 1 <= day_of[order_rule.after]).only_enforce_if(
                switch(f"scene {before.label} before scene {after.label}")
            )

    # Lexicographic weights: a day outweighs every move and cast day, a move every cast day.
    cast_weight = 1
    move_weight = 2 * (len(cast_spans) * len(dates) + 1)
    day_weight = move_weight * (len(strips) + len(dates) + 1)
    if objective:
        model.minimize(
            day_weight * sum(used)
            + move_weight * sum(moves_on.values())
            + (move_weight // 2) * sum(switches_between)
            + cast_weight * sum(cast_spans)
        )
    if hint is not None:
        # A complete hint (every variable, not only the placements) lets the search start from it at once.
        hinted_day = {scene_id: day for day, ids in enumerate(hint) for scene_id in ids}
        strips_by_id = schedule.strips_by_id()
        lights = {
            day: {strips_by_id[scene_id].day_or_night for scene_id in hint[day]} if day < len(hint) else set()
            for day in horizon
        }
        for (scene_id, day), variable in x.items():
            model.add_hint(variable, hinted_day.get(scene_id) == day)
        for day in horizon:
            model.add_hint(used[day], day < len(hint))
            model.add_hint(night[day], "night" in lights[day])
            model.add_hint(has_day[day], "day" in lights[day])
        for (site, day), variable in sites.items():
            model.add_hint(variable, day < len(hint) and any(strips_by_id[i].site == site for i in hint[day]))
        for day, changed in enumerate(switches_between):
            night_before, night_after = "night" in lights[day], "night" in lights[day + 1]
            model.add_hint(changed, night_before != night_after and (night_before or day + 1 < len(hint)))
        for name, (first, last) in spans.items():
            worked_days = [hinted_day[strip.scene_id] for strip in strips if name in strip.cast]
            if worked_days:
                model.add_hint(first, min(worked_days))
                model.add_hint(last, max(worked_days))
        for (name, day), variable in works_on.items():
            model.add_hint(variable, any(name in strips_by_id[i].cast for i in (hint[day] if day < len(hint) else [])))
    return built


def _read_days(schedule: Schedule, dates: list[date], built: _Model, solver: cp_model.CpSolver) -> list[list[str]]:
    days: list[list[str]] = [[] for _ in dates]
    for (scene_id, day), variable in built.x.items():
        if solver.boolean_value(variable):
            days[day].append(scene_id)
    while days and not days[-1]:
        days.pop()
    return days  # an empty day between two others keeps the dates after it where the search put them
