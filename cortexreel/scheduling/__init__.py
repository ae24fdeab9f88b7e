"""Drafting a shooting schedule: checks that find impossible constraints before searching, a greedy schedule as the
starting point, and the CP-SAT search (OR-Tools) that improves it within a time limit. Pure computation: a schedule
in, a schedule out; no I/O."""

from __future__ import annotations

import time

from cortexreel.domain.schedule import Schedule, SolveReport, place, violations
from cortexreel.errors import InfeasibleScheduleError
from cortexreel.scheduling.cpsat import solve
from cortexreel.scheduling.feasibility import horizon, reasons_no_schedule
from cortexreel.scheduling.greedy import greedy_days, improve_day_order

DEFAULT_TIME_LIMIT = 3.0


def greedy_schedule(schedule: Schedule) -> Schedule:
    """The greedy draft alone (no search); InfeasibleScheduleError when a strip fits on no day."""
    dates = horizon(schedule).dates
    reasons = reasons_no_schedule(schedule, dates)
    days = greedy_days(schedule, dates) if not reasons else None
    if days is None:
        raise InfeasibleScheduleError(reasons or ["No day fits every strip under these constraints."])
    return place(schedule, improve_day_order(schedule, days, dates), SolveReport(method="greedy"))


def draft_schedule(schedule: Schedule, *, time_limit: float = DEFAULT_TIME_LIMIT, workers: int = 2) -> Schedule:
    """The best schedule found within `time_limit` seconds: every strip placed, every constraint kept, locked
    strips where they are locked. Raises InfeasibleScheduleError with the reasons in words when none can exist."""
    started = time.perf_counter()
    dates = horizon(schedule).dates
    reasons = reasons_no_schedule(schedule, dates)
    if reasons:
        raise InfeasibleScheduleError(reasons)
    start = greedy_days(schedule, dates)
    if start is not None:
        start = improve_day_order(schedule, start, dates)
    if start is not None and not violations(place(schedule, start, SolveReport(method="greedy"))):
        # The greedy schedule keeps every rule in len(start) days, so the best one needs no more days than that.
        dates = dates[: len(start)]
    remaining = max(0.1, time_limit - (time.perf_counter() - started))
    outcome = solve(schedule, dates, hint=start, time_limit=remaining, workers=workers)
    seconds = round(time.perf_counter() - started, 3)
    if outcome.days is not None:
        report = SolveReport(method="optimised", status=outcome.status, seconds=seconds, time_limit=time_limit)
        return place(schedule, outcome.days, report)
    if outcome.conflicting:
        raise InfeasibleScheduleError(
            ["These constraints cannot all hold together: " + "; ".join(outcome.conflicting) + "."]
        )
    if start is not None:
        # No better schedule in time: the greedy one, with the rules it could not keep listed on the board.
        fallback = place(schedule, start, SolveReport(method="greedy", status=outcome.status, seconds=seconds))
        broken = [violation.message for violation in violations(fallback)]
        if not broken:
            return fallback
        if outcome.status != "INFEASIBLE":
            flagged = SolveReport(method="greedy", status=outcome.status, seconds=seconds, reasons=broken)
            return fallback.model_copy(update={"report": flagged})
    raise InfeasibleScheduleError(
        [
            f"No schedule within {len(dates)} shooting days keeps every constraint "
            f"(the search ended {outcome.status.lower()} after {seconds:g} s). Relax the pages or hours per day, "
            "the cast windows, hold limits or scene order."
        ]
    )
