"""`python -m cortexreel schedule ...` and `dood ...`: draft a script's shooting schedule and write its Day Out of
Days, through the schedule service with the acting user's permissions (viewers read, editors change)."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import InvalidInputError

if TYPE_CHECKING:
    from cortexreel.container import Services
    from cortexreel.domain.schedule import Schedule


def schedule(args: argparse.Namespace, services: Services) -> int:
    """Make a new draft (or, with --show, print the current schedule) as a one-line schedule or JSON."""
    from cortexreel.domain.schedule import ScheduleConstraints
    from cortexreel.services import schedule as schedules

    current = schedules.current(services, args.user, args.id)
    if args.show:
        if current is None:
            raise InvalidInputError("This script has no schedule yet: run `schedule SCRIPT_ID` without --show.")
        drafted = current
    else:
        rules = current.constraints if current is not None else ScheduleConstraints()
        changes: dict[str, Any] = {}
        if args.pages_per_day is not None:
            changes["pages_per_day"] = _eighths(args.pages_per_day)
        if args.start is not None:
            changes["start"] = _date(args.start)
        if args.hours is not None:
            changes["max_day_hours"] = args.hours
        drafted = schedules.draft(
            services,
            args.user,
            args.id,
            expected_version=current.version if current is not None else 0,
            constraints=ScheduleConstraints.model_validate({**rules.model_dump(), **changes}),
            time_limit=args.time_limit,
        )
    if args.json:
        print(json.dumps(_as_json(drafted), ensure_ascii=False))
    else:
        _print_one_liner(drafted)
    return 0


def dood(args: argparse.Namespace, services: Services) -> int:
    """Write the current schedule's Day Out of Days (xlsx, csv or pdf), or its stripboard or one-liner PDF."""
    from cortexreel.services import schedule as schedules

    exported = schedules.export(services, args.user, args.id, args.report, args.format)
    path = Path(args.output)
    try:
        path.write_bytes(exported.data)
    except OSError as error:
        raise InvalidInputError(f"{path} cannot be written: {error.strerror or error}.") from None
    print(f"{path} ({len(exported.data):,} bytes)", file=sys.stderr)
    return 0


def _eighths(pages: float) -> int:
    eighths = round(pages * 8)
    if eighths < 1 or abs(eighths - pages * 8) > 1e-6:
        raise InvalidInputError(f"--pages-per-day {pages:g} is not a number of eighths of a page (5.5 is 5 4/8).")
    return eighths


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError(f"--start {text} is not a date like 2027-03-01.") from None


def _as_json(drafted: Schedule) -> dict[str, Any]:
    from cortexreel.domain.schedule import day_totals, metrics, violations

    return {
        "schedule": drafted.model_dump(mode="json"),
        "metrics": asdict(metrics(drafted)),
        "days": [
            {**asdict(total), "date": total.date.isoformat(), "pages": total.pages} for total in day_totals(drafted)
        ],
        "violations": [violation.message for violation in violations(drafted)],
    }


def _print_one_liner(drafted: Schedule) -> None:
    from cortexreel.domain.schedule import day_totals, metrics

    measured = metrics(drafted)
    report = drafted.report
    how = f" ({report.method}, {report.status.lower()}, {report.seconds:g} s)" if report and report.status else ""
    print(
        f"Version {drafted.version}: {measured.days} shooting days, {measured.company_moves} company moves, "
        f"{measured.cast_days} cast days{how}"
    )
    for day, totals in zip(drafted.days, day_totals(drafted), strict=True):
        labels = ", ".join(drafted.strip(scene_id).label for scene_id in day.scene_ids)
        print(
            f"Day {day.number:>3}  {day.date:%a %Y-%m-%d}  {totals.pages:>6} pgs  {totals.scenes:>2} scenes  "
            f"~{totals.hours:>6}  {totals.light or '-':<9}  scenes {labels}"
        )
    if drafted.unscheduled:
        print("Not scheduled: " + ", ".join(drafted.strip(scene_id).label for scene_id in drafted.unscheduled))


def add_parsers(commands: Any) -> None:
    """Add the `schedule` and `dood` commands to the CLI's subparsers."""
    plan = commands.add_parser("schedule", help="draft a script's shooting schedule (a new version) and print it")
    plan.add_argument("id")
    plan.add_argument("--pages-per-day", type=float, help="pages a day, in eighths (5.5 = 5 4/8; default 5.5)")
    plan.add_argument("--start", help="first shooting day, YYYY-MM-DD")
    plan.add_argument("--hours", type=float, help="longest shooting day in hours (default 12)")
    plan.add_argument("--time-limit", type=float, default=3.0, help="seconds the optimiser may search (default 3)")
    plan.add_argument("--show", action="store_true", help="print the current schedule instead of drafting")
    plan.add_argument("--json", action="store_true", help="print JSON")
    plan.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    plan.set_defaults(handler=schedule)

    grid = commands.add_parser("dood", help="write the Day Out of Days (or the stripboard / one-liner) to a file")
    grid.add_argument("id")
    grid.add_argument("--format", required=True, choices=["xlsx", "csv", "pdf"], help="file format")
    grid.add_argument("-o", "--output", required=True, help="file to write")
    grid.add_argument(
        "--report", default="dood", choices=["dood", "stripboard", "one-liner"], help="which report (default dood)"
    )
    grid.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    grid.set_defaults(handler=dood)
