"""Two processes compare-and-set the same scene in a loop: no update is lost, every loser hears of it."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from cortexreel.adapters.documents_mongo import MongoDocumentStore
from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.scenes import VersionSource, next_version
from cortexreel.errors import ConflictError
from cortexreel.ports import DocumentStore
from tests.builders import make_scene, make_script

WRITES_PER_PROCESS = 60


def open_store(kind: str, target: str) -> DocumentStore:
    if kind == "sqlite":
        return SqliteDocumentStore(Path(target))
    uri, database = target.split("|")
    return MongoDocumentStore(uri, database)


def write_loop(kind: str, target: str, scene_id: str, author: str, start: object) -> tuple[int, int, list[str]]:
    """Read the scene, write a new version; repeat until WRITES_PER_PROCESS succeeded."""
    store = open_store(kind, target)
    start.wait()  # type: ignore[attr-defined]
    successes = conflicts = 0
    unexpected: list[str] = []
    while successes < WRITES_PER_PROCESS:
        scene = store.get_scene(scene_id)
        assert scene is not None and scene.analysis is not None
        analysis = scene.analysis.model_copy(deep=True)
        analysis.narrative.themes = [*analysis.narrative.themes, f"{author}-{successes}"]
        try:
            store.write_analysis(next_version(scene, analysis, author=author, source=VersionSource.FORM))
        except ConflictError:
            conflicts += 1
        except Exception as error:  # noqa: BLE001 - any other failure is what this test looks for
            unexpected.append(repr(error))
            break
        else:
            successes += 1
    return successes, conflicts, unexpected


@pytest.mark.parametrize("kind", ["sqlite", "mongo-wire"])
def test_two_processes_never_lose_an_update(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    if kind == "sqlite":
        target = str(tmp_path / "shared.sqlite3")
    else:
        target = f"{request.getfixturevalue('mongo_wire_uri')}|concurrency_{tmp_path.name[-20:]}"
    store = open_store("sqlite" if kind == "sqlite" else "mongo", target)
    script = make_script()
    store.add_script(script)
    scene = make_scene(script.id, 1)
    store.upsert_scenes([scene])
    store.write_analysis(next_version(scene, SceneAnalysis(), author="setup", source=VersionSource.ANALYSIS))

    context = multiprocessing.get_context("spawn")
    start = context.Manager().Barrier(2)
    adapter = "sqlite" if kind == "sqlite" else "mongo"
    with context.Pool(2) as pool:
        results = pool.starmap(
            write_loop, [(adapter, target, scene.id, "ann", start), (adapter, target, scene.id, "bob", start)]
        )

    assert [r[2] for r in results] == [[], []], "only conflict errors may stop a write"
    successes = sum(r[0] for r in results)
    conflicts = sum(r[1] for r in results)
    final = store.get_scene(scene.id)
    assert final is not None and final.analysis is not None
    assert final.version == 1 + successes
    history = store.list_versions(scene.id)
    assert [v.version for v in history] == list(range(1, successes + 2))
    # Every successful write is in the final analysis: each writer appended to what it read.
    assert len(final.analysis.narrative.themes) == successes
    assert sorted(final.analysis.narrative.themes) == sorted(
        [f"ann-{i}" for i in range(WRITES_PER_PROCESS)] + [f"bob-{i}" for i in range(WRITES_PER_PROCESS)]
    )
    assert conflicts > 0, "two writers racing on one scene must have collided at least once"
