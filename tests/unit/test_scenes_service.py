"""Editing scenes as versions: save, edit by path, history, compare, revert, conflicts and visibility."""

from __future__ import annotations

import pytest

from cortexreel.container import Services
from cortexreel.domain.edits import FieldEdit
from cortexreel.domain.scenes import Scene, VersionSource
from cortexreel.errors import ConflictError, InvalidInputError, NotFoundError
from cortexreel.services import scenes, scripts, search
from cortexreel.services.search import SearchFilters
from tests.builders import fountain_script


@pytest.fixture
def scene(services: Services) -> Scene:
    script = scripts.ingest(services, fountain_script(3).encode(), "fish.fountain", owner="ann")
    return scenes.scene_by_number(services, "ann", script.id, 2)


def test_edit_history_compare_and_revert(services: Services, scene: Scene) -> None:
    edited, changes = scenes.edit_fields(
        services,
        "ann",
        scene.id,
        [FieldEdit("location.time_of_day", "set", "NIGHT"), FieldEdit("breakdown.weapons", "add", "revolver")],
        expected_version=1,
        note="night shoot",
    )
    assert edited.version == 2 and edited.updated_by == "ann"
    assert [change.path for change in changes] == ["location.time_of_day", "breakdown.weapons"]
    history = scenes.history(services, "ann", scene.id)
    assert [(v.version, v.source, v.author, v.note) for v in history] == [
        (1, VersionSource.ANALYSIS, "analyser", history[0].note),
        (2, VersionSource.FORM, "ann", "night shoot"),
    ]
    assert history[1].changes == changes
    diff = scenes.compare(services, "ann", scene.id, 1, 2)
    assert {change.path for change in diff} == {"location.time_of_day", "breakdown.weapons"}

    reverted = scenes.revert(services, "ann", scene.id, 1)
    assert reverted.version == 3
    assert reverted.analysis == history[0].analysis
    last = scenes.history(services, "ann", scene.id)[-1]
    assert (last.source, last.note) == (VersionSource.REVERT, "Reverted to version 1")
    with pytest.raises(InvalidInputError, match="already matches"):
        scenes.revert(services, "ann", scene.id, 1)
    with pytest.raises(NotFoundError):
        scenes.revert(services, "ann", scene.id, 9)


def test_a_stale_edit_is_refused(services: Services, scene: Scene) -> None:
    scenes.edit_fields(
        services, "ann", scene.id, [FieldEdit("narrative.emotional_tone", "set", "dread")], expected_version=1
    )
    with pytest.raises(ConflictError):
        scenes.edit_fields(
            services, "ann", scene.id, [FieldEdit("narrative.emotional_tone", "set", "joy")], expected_version=1
        )
    current = scenes.get_scene(services, "ann", scene.id)
    assert current.analysis is not None and current.analysis.narrative.emotional_tone == "dread"


def test_save_whole_analysis(services: Services, scene: Scene) -> None:
    assert scene.analysis is not None
    analysis = scene.analysis.model_copy(deep=True)
    analysis.narrative.synopsis = "Edward finally tells Will the truth."
    saved = scenes.save_analysis(services, "ann", scene.id, analysis, expected_version=1, note="better synopsis")
    assert saved.version == 2
    with pytest.raises(InvalidInputError, match="Nothing was changed"):
        scenes.save_analysis(services, "ann", scene.id, analysis, expected_version=2)


def test_other_users_cannot_see_or_edit(services: Services, scene: Scene) -> None:
    with pytest.raises(NotFoundError):
        scenes.get_scene(services, "mallory", scene.id)
    with pytest.raises(NotFoundError):
        scenes.edit_fields(
            services, "mallory", scene.id, [FieldEdit("location.weather", "set", "rain")], expected_version=1
        )
    with pytest.raises(NotFoundError):
        scenes.list_scenes(services, "mallory", scene.script_id)


def test_a_form_edit_of_a_significant_field_re_embeds_the_scene(services: Services, scene: Scene) -> None:
    tone = SearchFilters(emotional_tone="dread")
    assert search.search(services, "ann", "witch", filters=tone) == []
    scenes.edit_fields(
        services, "ann", scene.id, [FieldEdit("narrative.emotional_tone", "set", "dread")], expected_version=1
    )
    assert [result.scene_id for result in search.search(services, "ann", "witch", filters=tone)] == [scene.id]


def test_clearing_a_stunt_in_the_form_lowers_the_risk_and_drops_its_reason(services: Services) -> None:
    text = "Title: Crash\n\nEXT. ROAD - DAY\n\nThe car crashes into the wall and flips over.\n"
    script = scripts.ingest(services, text.encode(), "crash.fountain", owner="ann")
    scene = scenes.scene_by_number(services, "ann", script.id, 1)
    assert scene.analysis is not None and scene.analysis.breakdown.stunts and scene.analysis.safety.risk_level == "HIGH"
    edited, changes = scenes.edit_fields(
        services, "ann", scene.id, [FieldEdit("breakdown.stunts", "set", [])], expected_version=1
    )
    assert edited.analysis is not None
    safety = edited.analysis.safety
    assert "stunts" not in {hazard.category for hazard in safety.hazards}
    assert not any("Stunts" in reason for reason in safety.reasons)
    assert {"breakdown.stunts", "safety.hazards", "safety.reasons"} <= {change.path for change in changes}
