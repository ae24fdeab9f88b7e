"""No history entry is lost for good when a process dies between a scene's update and its history insert, on MongoDB
(two writes, repaired on the next write as well as on read) and SQLite (one transaction)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from pymongo import MongoClient

from cortexreel.adapters.documents_mongo import MongoDocumentStore
from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.scenes import VersionSource, next_version
from cortexreel.ports import DocumentStore
from tests.builders import make_scene, make_script

ROOT = Path(__file__).resolve().parents[2]
KILLS = 3

# A writer that saves new versions of one scene until it is killed, printing each version it saved.
WRITER = """
import sys
from pathlib import Path
from typing import Any
from cortexreel.adapters.documents_mongo import MongoDocumentStore
from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.domain.scenes import VersionSource, next_version
kind, target, scene_id = sys.argv[1:4]
if kind == "sqlite":
    store = SqliteDocumentStore(Path(target))
else:
    uri, database = target.split("|")
    store = MongoDocumentStore(uri, database)
while True:
    scene = store.get_scene(scene_id)
    saved = store.write_analysis(next_version(scene, scene.analysis, author="writer", source=VersionSource.FORM))
    print(saved.version, flush=True)
"""


def _target(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if kind == "sqlite":
        return str(tmp_path / "library.sqlite3")
    return f"{request.getfixturevalue('mongo_wire_uri')}|crash_{uuid.uuid4().hex[:12]}"


def _open(kind: str, target: str) -> DocumentStore:
    if kind == "sqlite":
        return SqliteDocumentStore(Path(target))
    uri, database = target.split("|")
    return MongoDocumentStore(uri, database)


def _stored_history(kind: str, target: str, store: DocumentStore, scene_id: str) -> list[int]:
    """The history as stored, read without MongoDB's repair-on-read (which would hide a write path that lost one)."""
    if kind == "sqlite":
        return [version.version for version in store.list_versions(scene_id)]
    uri, database = target.split("|")
    with MongoClient[dict[str, Any]](uri) as client:
        found = client[database].scene_versions.find({"scene_id": scene_id}, {"version": 1}).sort("version", 1)
        return [int(document["version"]) for document in found]


def _analysed_scene(store: DocumentStore) -> str:
    script = make_script()
    store.add_script(script)
    scene = make_scene(script.id, 1)
    store.upsert_scenes([scene])
    store.write_analysis(next_version(scene, SceneAnalysis(), author="setup", source=VersionSource.ANALYSIS))
    return scene.id


def _write(store: DocumentStore, scene_id: str) -> int:
    scene = store.get_scene(scene_id)
    assert scene is not None and scene.analysis is not None
    return store.write_analysis(next_version(scene, scene.analysis, author="ann", source=VersionSource.FORM)).version


def test_mongodb_a_history_entry_lost_in_the_crash_window_is_kept_by_the_next_write(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = _target("mongo", tmp_path, request)
    store = _open("mongo", target)
    scene_id = _analysed_scene(store)
    scene = store.get_scene(scene_id)
    assert scene is not None and scene.analysis is not None
    # Exactly what a process dying in the window leaves: the scene at version 2 (with its last change), no history
    # entry 2. This is the adapter's first write done by hand; the second never happened.
    lost = next_version(scene, scene.analysis.model_copy(update={"complexity": "high"}), author="ann",
                        source=VersionSource.FORM)
    uri, database = target.split("|")
    with MongoClient[dict[str, Any]](uri) as client:
        client[database].scenes.update_one(
            {"_id": scene_id, "version": 1},
            {"$set": {"version": 2, "analysis": lost.analysis.model_dump(mode="json"),
                      "last_change": lost.model_dump(mode="json")}},
        )
    assert _stored_history("mongo", target, store, scene_id) == [1]
    # Another write before any read of the history.
    assert _write(store, scene_id) == 3
    assert _stored_history("mongo", target, store, scene_id) == [1, 2, 3]
    kept = store.get_version(scene_id, 2)
    assert kept is not None and kept.analysis.complexity == "high"


@pytest.mark.parametrize("kind", ["sqlite", "mongo"])
def test_a_writer_killed_at_random_moments_never_leaves_a_gap(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    target = _target(kind, tmp_path, request)
    store = _open(kind, target)
    scene_id = _analysed_scene(store)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    chance = random.Random(kind)
    for _ in range(KILLS):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, kind, target, scene_id], stdout=subprocess.PIPE, env=env, cwd=ROOT
        )
        try:
            assert writer.stdout is not None
            for _ in range(5):  # it is writing in a loop now
                assert writer.stdout.readline(), "the writer stopped by itself"
            time.sleep(chance.uniform(0, 0.05))
        finally:
            writer.send_signal(signal.SIGKILL)
            writer.wait(timeout=30)
        final = _write(store, scene_id)  # the next write, before any read of the history
        assert _stored_history(kind, target, store, scene_id) == list(range(1, final + 1))
