"""The draft shooting schedule against the naive one, on Big-Fish and real shooting scripts, in the same run.

    .venv/bin/python bench/schedule.py [--limits 0.5,1,2,3,5,10] [SCRIPT.pdf ...]

Each script is parsed and analysed offline as the app would, then scheduled four ways with the default constraints
(5 4/8 pages and 12 hours a day, 5-day weeks, day and night work in separate days, night turnaround):
- naive: script order, a new day when the next scene would break the pages, the hours or the day/night split;
- pages only: script order cut by pages alone (the crudest cut; its broken rules are counted);
- greedy: the optimiser's starting point;
- draft: greedy + CP-SAT within the default time limit (what the app and `schedule` command produce).
It prints shooting days, company moves, cast days (work + hold over the cast), holds, switches between day and night
work and the seconds taken; the draft's improvement over the naive schedule; then, on the largest script, how the
draft changes with the time limit. Scripts default to Big-Fish (../shared/fixtures/screenplays) and three real
shooting scripts (../shared/fixtures/real); a missing file is skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.scenes import Scene, scene_from_parse
from cortexreel.domain.schedule import (
    Schedule,
    ScheduleConstraints,
    ScheduleMetrics,
    SolveReport,
    metrics,
    naive_days,
    naive_schedule,
    new_schedule,
    place,
    violations,
)
from cortexreel.parsing import parse_screenplay
from cortexreel.scheduling import DEFAULT_TIME_LIMIT, draft_schedule, greedy_schedule

SHARED = Path(__file__).resolve().parents[2] / "shared" / "fixtures"
DEFAULT_SCRIPTS = [
    SHARED / "screenplays" / "Big-Fish.pdf",
    SHARED / "real" / "Titanic.pdf",
    SHARED / "real" / "Midsommar.pdf",
    SHARED / "real" / "Kolory_Zla_Czerwien.pdf",
]


def analysed_scenes(path: Path) -> list[Scene]:
    screenplay = parse_screenplay(path.read_bytes(), path.name)
    scenes = [scene_from_parse(path.stem, parsed) for parsed in screenplay.scenes]
    results = OfflineAnalyzer().analyze_many(scenes)
    return [
        scene.model_copy(update={"analysis": result.analysis, "version": 1})
        for scene, result in zip(scenes, results, strict=True)
    ]


def timed(make: Callable[[], Schedule]) -> tuple[Schedule, float]:
    started = time.perf_counter()
    made = make()
    return made, time.perf_counter() - started


def row(name: str, measured: ScheduleMetrics, seconds: float, broken: int, status: str = "") -> str:
    return (
        f"  {name:<11} {measured.days:>5} {measured.company_moves:>6} {measured.cast_days:>10} {measured.hold_days:>6} "
        f"{measured.night_switches:>9} {broken:>7} {seconds:>8.2f}  {status}"
    )


def gain(before: int, after: int) -> str:
    if before == 0:
        return "n/a"
    return f"{before} -> {after} ({100 * (after - before) / before:+.0f}%)"


def bench_script(path: Path, time_limit: float) -> tuple[Schedule, int]:
    scenes = analysed_scenes(path)
    base = new_schedule(path.stem, scenes, ScheduleConstraints(start=date(2027, 3, 1)))
    eighths = sum(strip.eighths for strip in base.strips)
    print(
        f"\n{path.name}: {len(scenes)} scenes, {eighths / 8:.1f} pages, {len(base.cast_order)} cast, "
        f"{len({strip.site for strip in base.strips})} sites"
    )
    print("  schedule     days  moves  cast days  holds  switches  broken  seconds")
    naive, naive_seconds = timed(lambda: naive_schedule(base))
    crude, crude_seconds = timed(
        lambda: place(base, naive_days(base.strips, base.constraints, pages_only=True), SolveReport(method="naive"))
    )
    greedy, greedy_seconds = timed(lambda: greedy_schedule(base))
    draft, draft_seconds = timed(lambda: draft_schedule(base, time_limit=time_limit))
    for name, made, seconds in (
        ("naive", naive, naive_seconds),
        ("pages only", crude, crude_seconds),
        ("greedy", greedy, greedy_seconds),
        ("draft", draft, draft_seconds),
    ):
        status = made.report.status if made.report and made.report.method == "optimised" else ""
        print(row(name, metrics(made), seconds, len(violations(made)), status))
    before, after = metrics(naive), metrics(draft)
    print(
        f"  draft vs naive: days {gain(before.days, after.days)}, company moves "
        f"{gain(before.company_moves, after.company_moves)}, cast days {gain(before.cast_days, after.cast_days)}; "
        f"first draft in {draft_seconds:.2f} s (limit {time_limit:g} s)"
    )
    return base, len(scenes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scripts", nargs="*", type=Path)
    parser.add_argument("--limits", default="0.5,1,2,3,5,10", help="time limits (seconds) for the sweep")
    parser.add_argument("--time-limit", type=float, default=DEFAULT_TIME_LIMIT)
    args = parser.parse_args()
    scripts = args.scripts or DEFAULT_SCRIPTS
    print(f"CPU cores: {os.cpu_count()}, load average at start: {os.getloadavg()[0]:.1f}")
    largest: tuple[Schedule, int] | None = None
    for path in scripts:
        if not path.exists():
            print(f"\n{path}: skipped, the file is not there (the shared fixtures are read from ../shared)")
            continue
        base, count = bench_script(path, args.time_limit)
        if largest is None or count > largest[1]:
            largest = (base, count)
    if largest is None:
        sys.exit("No script to schedule.")
    base, count = largest
    print(f"\nTime limit sweep on {base.script_id} ({count} scenes): the draft found within each limit")
    print("  limit  days  moves  cast days  holds  switches  seconds  status")
    for limit in (float(value) for value in args.limits.split(",")):
        started = time.perf_counter()
        draft = draft_schedule(base, time_limit=limit)
        seconds = time.perf_counter() - started
        measured = metrics(draft)
        status = draft.report.status if draft.report else ""
        print(
            f"  {limit:>5g} {measured.days:>5} {measured.company_moves:>6} {measured.cast_days:>10} "
            f"{measured.hold_days:>6} {measured.night_switches:>9} {seconds:>8.2f}  {status}"
        )
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
