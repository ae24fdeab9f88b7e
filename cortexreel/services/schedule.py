"""Use cases on a script's shooting schedule: draft, re-optimise around locked strips, edit the board, history,
compare, revert, and which strips went stale since their scenes changed.

Every save is a new version written with compare-and-set on the version the user saw (`expected_version`, 0 when
there is no schedule yet): if someone saved in between, ConflictError is raised and nothing is overwritten.
Reading needs the viewer role on the script, changing it the editor role (`services.access.authorize`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from cortexreel.container import Services
from cortexreel.domain import schedule as board
from cortexreel.domain.access import Action
from cortexreel.domain.base import utcnow
from cortexreel.domain.scenes import Scene
from cortexreel.domain.schedule import Schedule, ScheduleConstraints, StaleStrip, Violation
from cortexreel.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cortexreel.rendering.schedule import dood_csv, dood_pdf, dood_xlsx, one_liner_pdf, stripboard_pdf
from cortexreel.scheduling import DEFAULT_TIME_LIMIT, draft_schedule
from cortexreel.services.access import authorize
from cortexreel.services.exports import MIME_TYPES, ExportFile

# What can be exported, in which formats.
SCHEDULE_EXPORTS: dict[str, tuple[str, ...]] = {
    "stripboard": ("pdf",),
    "one-liner": ("pdf",),
    "dood": ("xlsx", "csv", "pdf"),
}


@dataclass(frozen=True)
class ScheduleState:
    """The current schedule of a script with what a reader needs beside it."""

    schedule: Schedule | None
    stale: list[StaleStrip]
    violations: list[Violation]
    can_edit: bool


def current(services: Services, user: str, script_id: str) -> Schedule | None:
    authorize(services, user, script_id, Action.READ)
    return services.documents.get_schedule(script_id)


def state_of(services: Services, user: str, script_id: str) -> ScheduleState:
    """The current schedule, its stale strips and broken rules, and whether `user` may change it."""
    script = authorize(services, user, script_id, Action.READ)
    schedule = services.documents.get_schedule(script_id)
    can_edit = _may_edit(services, user, script_id)
    if schedule is None:
        return ScheduleState(None, [], [], can_edit)
    scenes = services.documents.list_scenes(script.id)
    return ScheduleState(schedule, board.stale_strips(schedule, scenes), board.violations(schedule), can_edit)


def _may_edit(services: Services, user: str, script_id: str) -> bool:
    try:
        authorize(services, user, script_id, Action.EDIT)
    except PermissionDeniedError:
        return False
    return True


def draft(
    services: Services,
    user: str,
    script_id: str,
    *,
    expected_version: int,
    constraints: ScheduleConstraints | None = None,
    time_limit: float = DEFAULT_TIME_LIMIT,
    note: str = "",
) -> Schedule:
    """A new optimised draft from the current breakdown, saved as the next version. Constraints, the cast ID list and
    locks carry over from the current schedule unless new constraints are given."""
    authorize(services, user, script_id, Action.EDIT)
    scenes = _scenes(services, script_id)
    previous = services.documents.get_schedule(script_id)
    _check_version(previous, expected_version)
    rules = constraints or (previous.constraints if previous else ScheduleConstraints())
    fresh = board.new_schedule(script_id, scenes, rules)
    if previous is not None:
        fresh = fresh.model_copy(
            update={
                "cast_order": board.merge_cast_order(previous.cast_order, fresh.strips),
                "locked": {key: day for key, day in previous.locked.items() if key in fresh.strips_by_id()},
            }
        )
    drafted = draft_schedule(fresh, time_limit=time_limit)
    words = note or ("Re-optimised around locked strips" if drafted.locked else "Optimised draft")
    return _save(services, user, drafted, expected_version, words)


def naive(services: Services, user: str, script_id: str, *, expected_version: int, note: str = "") -> Schedule:
    """Script order cut into days (the baseline a draft is measured against), saved as the next version."""
    authorize(services, user, script_id, Action.EDIT)
    scenes = _scenes(services, script_id)
    previous = services.documents.get_schedule(script_id)
    _check_version(previous, expected_version)
    fresh = board.new_schedule(script_id, scenes, previous.constraints if previous else ScheduleConstraints())
    return _save(services, user, board.naive_schedule(fresh), expected_version, note or "Script order")


def move_strip(
    services: Services,
    user: str,
    script_id: str,
    scene_id: str,
    day: int | None,
    *,
    expected_version: int,
    position: int | None = None,
) -> Schedule:
    schedule = _editable(services, user, script_id, expected_version)
    moved = _board_edit(lambda: board.move_strip(schedule, scene_id, day, position))
    label = schedule.strip(scene_id).label
    words = f"Moved scene {label} to day {day}" if day is not None else f"Took scene {label} off the days"
    return _save(services, user, moved, expected_version, words)


def insert_day_break(
    services: Services, user: str, script_id: str, scene_id: str, *, expected_version: int
) -> Schedule:
    schedule = _editable(services, user, script_id, expected_version)
    broken = _board_edit(lambda: board.insert_day_break(schedule, scene_id))
    return _save(services, user, broken, expected_version, f"New day from scene {schedule.strip(scene_id).label}")


def lock_strip(
    services: Services, user: str, script_id: str, scene_id: str, locked: bool, *, expected_version: int
) -> Schedule:
    schedule = _editable(services, user, script_id, expected_version)
    changed = _board_edit(lambda: board.lock_strip(schedule, scene_id, locked))
    label = schedule.strip(scene_id).label
    words = f"Locked scene {label} to day {changed.locked[scene_id]}" if locked else f"Unlocked scene {label}"
    return _save(services, user, changed, expected_version, words)


def set_day_note(
    services: Services, user: str, script_id: str, day: int, note: str, *, expected_version: int
) -> Schedule:
    schedule = _editable(services, user, script_id, expected_version)
    return _save(services, user, board.set_day_note(schedule, day, note), expected_version, f"Note on day {day}")


def set_cast_order(
    services: Services, user: str, script_id: str, names: Sequence[str], *, expected_version: int
) -> Schedule:
    """A new cast ID list: `names` in order (names not in the script are left out, missing ones added at the end)."""
    schedule = _editable(services, user, script_id, expected_version)
    order = board.merge_cast_order(list(names), schedule.strips)
    return _save(services, user, schedule.model_copy(update={"cast_order": order}), expected_version, "Cast IDs")


def refresh(services: Services, user: str, script_id: str, *, expected_version: int) -> Schedule:
    """Strips read again from the scenes (stale strips take their new facts; new scenes join the unscheduled)."""
    schedule = _editable(services, user, script_id, expected_version)
    refreshed = board.refresh_strips(schedule, _scenes(services, script_id))
    return _save(services, user, refreshed, expected_version, "Strips refreshed from the breakdown")


def history(services: Services, user: str, script_id: str) -> list[Schedule]:
    authorize(services, user, script_id, Action.READ)
    return services.documents.list_schedules(script_id)


def compare(services: Services, user: str, script_id: str, older: int, newer: int) -> list[str]:
    authorize(services, user, script_id, Action.READ)
    return board.compare_schedules(_version(services, script_id, older), _version(services, script_id, newer))


def revert(services: Services, user: str, script_id: str, version: int, *, expected_version: int) -> Schedule:
    """A new version equal to an old one; history itself is never rewritten."""
    current_schedule = _editable(services, user, script_id, expected_version)
    target = _version(services, script_id, version)
    if target.version == current_schedule.version:
        raise InvalidInputError(f"The schedule is at version {version} already.")
    return _save(services, user, target, expected_version, f"Reverted to version {version}")


def export(services: Services, user: str, script_id: str, report: str, fmt: str) -> ExportFile:
    """The current schedule as a stripboard or one-liner PDF, or its Day Out of Days as XLSX, CSV or PDF."""
    formats = SCHEDULE_EXPORTS.get(report)
    if formats is None:
        raise InvalidInputError(f"“{report}” is not a schedule report; choose one of {', '.join(SCHEDULE_EXPORTS)}.")
    if fmt not in formats:
        raise InvalidInputError(f"The {report} comes as {' or '.join(format.upper() for format in formats)}.")
    script = authorize(services, user, script_id, Action.EXPORT)
    schedule = services.documents.get_schedule(script_id)
    if schedule is None:
        raise NotFoundError(f"“{script.title}” has no schedule yet: make a draft first.")
    if report == "stripboard":
        data = stripboard_pdf(schedule, script.title)
    elif report == "one-liner":
        data = one_liner_pdf(schedule, script.title)
    elif fmt == "csv":
        data = dood_csv(schedule)
    elif fmt == "xlsx":
        data = dood_xlsx(schedule, script.title)
    else:
        data = dood_pdf(schedule, script.title)
    stem = "".join(char if char.isalnum() else "-" for char in script.title).strip("-").lower() or "schedule"
    return ExportFile(f"{stem}-{report}-v{schedule.version}.{fmt}", MIME_TYPES[fmt], data)


def _scenes(services: Services, script_id: str) -> list[Scene]:
    scenes = services.documents.list_scenes(script_id)
    if not scenes:
        raise InvalidInputError("This script has no scenes yet, so there is nothing to schedule.")
    return scenes


def _check_version(schedule: Schedule | None, expected_version: int) -> None:
    found = schedule.version if schedule is not None else 0
    if found != expected_version:
        raise ConflictError(
            f"The schedule was changed by someone else (it is now at version {found}); reload it and make your change "
            "again."
        )


def _editable(services: Services, user: str, script_id: str, expected_version: int) -> Schedule:
    authorize(services, user, script_id, Action.EDIT)
    schedule = services.documents.get_schedule(script_id)
    if schedule is None:
        raise NotFoundError("This script has no schedule yet: make a draft first.")
    _check_version(schedule, expected_version)
    return schedule


def _board_edit(edit: Callable[[], Schedule]) -> Schedule:
    try:
        return edit()
    except (ValueError, KeyError) as error:
        raise InvalidInputError(str(error).strip("'")) from error


def _version(services: Services, script_id: str, number: int) -> Schedule:
    found = services.documents.get_schedule(script_id, number)
    if found is None:
        raise NotFoundError(f"This schedule has no version {number}.")
    return found


def _save(services: Services, user: str, schedule: Schedule, expected_version: int, note: str) -> Schedule:
    saved = schedule.model_copy(
        update={"version": expected_version + 1, "author": user, "note": note, "created_at": utcnow()}
    )
    services.documents.add_schedule(saved)
    return saved
