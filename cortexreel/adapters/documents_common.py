"""Rules shared by every DocumentStore adapter, so they behave the same."""

from __future__ import annotations

from collections.abc import Mapping

from cortexreel.domain.base import utcnow
from cortexreel.domain.scenes import SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.errors import InvalidInputError

IMMUTABLE_SCRIPT_FIELDS = frozenset({"id", "created_at"})
# Fields of a scene that come from the parse; re-parsing refreshes these and leaves the analysis alone.
PARSE_FIELDS = ("label", "heading", "setting", "location", "time_of_day", "pages", "elements", "text")


def apply_script_changes(script: Script, changes: Mapping[str, object]) -> Script:
    """The script with `changes` applied and validated, and updated_at bumped."""
    unknown = set(changes) - set(Script.model_fields)
    if unknown:
        raise InvalidInputError(f"Unknown script fields: {', '.join(sorted(unknown))}.")
    frozen = set(changes) & IMMUTABLE_SCRIPT_FIELDS
    if frozen:
        raise InvalidInputError(f"Script fields cannot be changed: {', '.join(sorted(frozen))}.")
    data = script.model_dump()
    data.update(changes)
    data["updated_at"] = utcnow()
    return Script.model_validate(data)


def check_entry(entry: SceneVersion) -> None:
    if entry.version < 1:
        raise InvalidInputError("A scene version starts at 1.")


def check_schedule(schedule: Schedule) -> None:
    if schedule.version < 1:
        raise InvalidInputError("A schedule version starts at 1.")


def schedule_conflict(newest: int) -> str:
    return (
        f"This schedule was saved by someone else meanwhile (it is now at version {newest}); reload it and make your "
        "change again."
    )
