"""The schedule use cases: drafts saved as versions, board edits with compare-and-set, history, compare, revert,
stale strips after a breakdown edit, and permissions (viewers read, editors change)."""

from __future__ import annotations

import pytest

from cortexreel.container import Services
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.schedule import ScheduleConstraints
from cortexreel.domain.scripts import Member, Script
from cortexreel.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError
from cortexreel.services import scenes, scripts
from cortexreel.services import schedule as schedules
from tests.builders import fountain_script

FAST = 1.0


@pytest.fixture
def script(services: Services) -> Script:
    script = scripts.ingest(services, fountain_script(12).encode(), "fish.fountain", owner="ann")
    members = [Member(login="vic", role="viewer"), Member(login="ed", role="editor")]
    return services.documents.update_script(script.id, members=members)


def test_a_draft_is_saved_as_version_one_with_every_strip_placed(services: Services, script: Script) -> None:
    drafted = schedules.draft(services, "ed", script.id, expected_version=0, time_limit=FAST)
    assert (drafted.version, drafted.author, drafted.note) == (1, "ed", "Optimised draft")
    assert drafted.unscheduled == [] and len(drafted.strips) == 12
    state = schedules.state_of(services, "vic", script.id)
    assert state.schedule == drafted and state.violations == [] and state.stale == []
    assert not state.can_edit and schedules.state_of(services, "ed", script.id).can_edit


def test_viewers_read_and_strangers_see_nothing(services: Services, script: Script) -> None:
    schedules.draft(services, "ann", script.id, expected_version=0, time_limit=FAST)
    assert schedules.current(services, "vic", script.id) is not None
    with pytest.raises(PermissionDeniedError):
        schedules.draft(services, "vic", script.id, expected_version=1, time_limit=FAST)
    with pytest.raises(PermissionDeniedError):
        schedules.revert(services, "vic", script.id, 1, expected_version=1)
    with pytest.raises(NotFoundError):
        schedules.current(services, "bob", script.id)


def test_board_edits_are_versions_and_a_stale_edit_is_refused(services: Services, script: Script) -> None:
    first = schedules.draft(services, "ann", script.id, expected_version=0, time_limit=FAST)
    strip = first.days[0].scene_ids[0]
    moved = schedules.move_strip(services, "ann", script.id, strip, 2, expected_version=1, position=0)
    assert moved.version == 2 and moved.days[1].scene_ids[0] == strip
    with pytest.raises(ConflictError):
        schedules.move_strip(services, "ed", script.id, strip, 1, expected_version=1)
    locked = schedules.lock_strip(services, "ann", script.id, strip, True, expected_version=2)
    assert locked.locked == {strip: 2} and locked.note == f"Locked scene {first.strip(strip).label} to day 2"
    again = schedules.draft(services, "ann", script.id, expected_version=3, time_limit=FAST)
    assert again.day_of(strip) == 2 and again.note == "Re-optimised around locked strips"
    with pytest.raises(InvalidInputError, match="no shooting day 99"):
        schedules.move_strip(services, "ann", script.id, strip, 99, expected_version=4)
    assert [entry.version for entry in schedules.history(services, "vic", script.id)] == [1, 2, 3, 4]
    assert f"Scene {first.strip(strip).label} locked to day 2" in schedules.compare(services, "vic", script.id, 1, 3)
    reverted = schedules.revert(services, "ann", script.id, 1, expected_version=4)
    assert reverted.version == 5 and reverted.days == first.days and reverted.note == "Reverted to version 1"


def test_new_constraints_are_kept_by_later_drafts(services: Services, script: Script) -> None:
    rules = ScheduleConstraints(pages_per_day=12, week=6)
    schedules.draft(services, "ann", script.id, expected_version=0, constraints=rules, time_limit=FAST)
    later = schedules.draft(services, "ann", script.id, expected_version=1, time_limit=FAST)
    assert later.constraints == rules
    assert all(sum(later.strip(i).eighths for i in day.scene_ids) <= 12 for day in later.days if len(day.scene_ids) > 1)


def test_a_breakdown_edit_makes_its_strip_stale_until_refreshed(services: Services, script: Script) -> None:
    schedules.draft(services, "ann", script.id, expected_version=0, time_limit=FAST)
    scene = scenes.scene_by_number(services, "ann", script.id, 3)
    scenes.edit_fields(
        services, "ann", scene.id, [FieldEdit("breakdown.cast", "add", "MARGARET")], expected_version=scene.version
    )
    stale = schedules.state_of(services, "vic", script.id).stale
    assert [(entry.label, entry.changes) for entry in stale] == [("3", ("cast: +MARGARET",))]
    refreshed = schedules.refresh(services, "ed", script.id, expected_version=1)
    assert "MARGARET" in refreshed.strip(scene.id).cast and "MARGARET" in refreshed.cast_order
    assert schedules.state_of(services, "vic", script.id).stale == []


def test_a_script_without_scenes_cannot_be_scheduled(services: Services, script: Script) -> None:
    services.documents.delete_script(script.id)
    with pytest.raises(NotFoundError):
        schedules.draft(services, "ann", script.id, expected_version=0)
