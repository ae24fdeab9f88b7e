"""Use cases on scenes: read, edit the analysis as a new version, history, compare versions, revert.

Every write is a compare-and-set on the scene version the user saw (`expected_version`): if someone saved in
between, ConflictError is raised and nothing is overwritten. Reading needs the viewer role on the script, writing
(edit, save, revert) the editor role; the checks are `services.access.authorize`. A write that changes what the
scene's search records carry (its facts) re-indexes the scene.
"""

from __future__ import annotations

from cortexreel.container import Services
from cortexreel.domain.access import Action
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.edits import FieldEdit, apply_edits
from cortexreel.domain.risk import settle_risk
from cortexreel.domain.scenes import FieldChange, Scene, SceneVersion, VersionSource, diff_analyses, next_version
from cortexreel.domain.scripts import Script
from cortexreel.errors import ConflictError, InvalidInputError, NotFoundError
from cortexreel.search.records import records_differ
from cortexreel.services.access import authorize
from cortexreel.services.search import reindex_scene


def visible_script(services: Services, user: str, script_id: str) -> Script:
    """The script if `user` may see it; otherwise NotFoundError, so other people's scripts stay invisible."""
    return authorize(services, user, script_id, Action.READ)


def list_scenes(services: Services, user: str, script_id: str) -> list[Scene]:
    visible_script(services, user, script_id)
    return services.documents.list_scenes(script_id)


def model_fallbacks(services: Services, user: str, script: Script) -> list[int]:
    """The scenes of a script analysed by a language model where the model failed and the offline analysis was
    kept (its analyser differs from the script's), so the Library can say so instead of naming the model."""
    if script.analyser is None or script.analyser.name == "offline":
        return []
    return [
        scene.number
        for scene in list_scenes(services, user, script.id)
        if scene.analysis is not None
        and scene.analysis.analyser is not None
        and scene.analysis.analyser.name != script.analyser.name
    ]


def get_scene(services: Services, user: str, scene_id: str) -> Scene:
    return _scene_for(services, user, scene_id, Action.READ)


def scene_by_number(services: Services, user: str, script_id: str, number: int) -> Scene:
    for scene in list_scenes(services, user, script_id):
        if scene.number == number:
            return scene
    raise NotFoundError(f"This script has no scene {number}.")


def save_analysis(
    services: Services,
    user: str,
    scene_id: str,
    analysis: SceneAnalysis,
    *,
    expected_version: int,
    source: VersionSource = VersionSource.FORM,
    note: str = "",
) -> Scene:
    """Store `analysis` as the next version of the scene, if the scene is still at `expected_version`."""
    scene, current = _editable(services, user, scene_id, expected_version)
    changes = diff_analyses(current, analysis)
    if not changes:
        raise InvalidInputError("Nothing was changed.")
    return _write(services, scene, analysis, changes, user, source, note, expected_version)


def edit_fields(
    services: Services,
    user: str,
    scene_id: str,
    edits: list[FieldEdit],
    *,
    expected_version: int,
    source: VersionSource = VersionSource.FORM,
    note: str = "",
) -> tuple[Scene, list[FieldChange]]:
    """Apply path-addressed edits as one new version; returns the scene and the changes actually made."""
    scene, current = _editable(services, user, scene_id, expected_version)
    updated, changes = settle_risk(current, *apply_edits(current, edits))
    changes = [change for change in changes if change.old != change.new]
    if not changes:
        raise InvalidInputError("Nothing was changed: the scene already has those values.")
    return _write(services, scene, updated, changes, user, source, note, expected_version), changes


def history(services: Services, user: str, scene_id: str) -> list[SceneVersion]:
    get_scene(services, user, scene_id)
    return services.documents.list_versions(scene_id)


def compare(services: Services, user: str, scene_id: str, older: int, newer: int) -> list[FieldChange]:
    """What changed from version `older` to version `newer`."""
    get_scene(services, user, scene_id)
    before, after = (_version(services, scene_id, number) for number in (older, newer))
    return diff_analyses(before.analysis, after.analysis)


def revert(services: Services, user: str, scene_id: str, version: int, *, expected_version: int | None = None) -> Scene:
    """Write a new version whose analysis equals version `version`; history itself is never rewritten."""
    scene = _scene_for(services, user, scene_id, Action.EDIT)
    target = _version(services, scene_id, version)
    if scene.analysis is not None and scene.analysis == target.analysis:
        raise InvalidInputError(f"Scene {scene.number} already matches version {version}.")
    changes = diff_analyses(scene.analysis, target.analysis)
    expected = scene.version if expected_version is None else expected_version
    note = f"Reverted to version {version}"
    return _write(services, scene, target.analysis, changes, user, VersionSource.REVERT, note, expected)


def _editable(services: Services, user: str, scene_id: str, expected_version: int) -> tuple[Scene, SceneAnalysis]:
    """The scene and its analysis, if the user may edit it, it has an analysis and is still at the version the
    user saw."""
    scene = _scene_for(services, user, scene_id, Action.EDIT)
    if scene.analysis is None:
        raise InvalidInputError("This scene has not been analysed yet, so there is nothing to edit.")
    if scene.version != expected_version:
        raise ConflictError(
            f"Scene {scene.number} was changed by someone else (it is now at version {scene.version}); "
            "reload it and make your change again."
        )
    return scene, scene.analysis


def _scene_for(services: Services, user: str, scene_id: str, action: Action) -> Scene:
    """The scene if `user` may do `action` on its script; a scene of a script they cannot see is "not found"."""
    scene = services.documents.get_scene(scene_id)
    if scene is None:
        raise NotFoundError(f"There is no scene with id {scene_id}.")
    try:
        authorize(services, user, scene.script_id, action)
    except NotFoundError:
        raise NotFoundError(f"There is no scene with id {scene_id}.") from None
    return scene


def _version(services: Services, scene_id: str, number: int) -> SceneVersion:
    found = services.documents.get_version(scene_id, number)
    if found is None:
        raise NotFoundError(f"This scene has no version {number}.")
    return found


def _write(
    services: Services,
    scene: Scene,
    analysis: SceneAnalysis,
    changes: list[FieldChange],
    user: str,
    source: VersionSource,
    note: str,
    expected_version: int,
) -> Scene:
    # The version the user saw is what the compare-and-set checks, not the one just read.
    base = scene.model_copy(update={"version": expected_version})
    entry = next_version(base, analysis, author=user, source=source, note=note, changes=changes)
    written = services.documents.write_analysis(entry)
    # Whatever the index records carry (the scene's facts) decides, so no list of paths can fall behind them.
    if records_differ(scene, written):
        reindex_scene(services, written.id)
    return written
