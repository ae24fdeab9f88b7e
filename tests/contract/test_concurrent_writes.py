"""Two processes compare-and-set the same scene in a loop: no update is lost, every loser hears of it. Two processes
writing to the same chat session: every message of both is kept."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from cortexreel.adapters.documents_mongo import MongoDocumentStore
from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.chat import ChatMessage, ChatSession
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


CHAT_WRITES_PER_PROCESS = 40


def chat_loop(kind: str, target: str, session_id: str, author: str, start: object) -> None:
    """Append a message, then change the first message to name this writer; repeat."""
    store = open_store(kind, target)
    start.wait()  # type: ignore[attr-defined]
    for n in range(CHAT_WRITES_PER_PROCESS):
        store.append_chat_message(session_id, ChatMessage(role="user", content=f"{author}-{n}"))
        store.update_chat_message(session_id, 0, {"content": f"{author} was here {n}"})


@pytest.mark.parametrize("kind", ["sqlite", "mongo-wire"])
def test_two_processes_writing_one_chat_session_keep_every_message(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        target = str(tmp_path / "shared.sqlite3")
    else:
        target = f"{request.getfixturevalue('mongo_wire_uri')}|chat_{tmp_path.name[-20:]}"
    adapter = "sqlite" if kind == "sqlite" else "mongo"
    store = open_store(adapter, target)
    script = make_script()
    store.add_script(script)
    session = ChatSession(script_id=script.id, user="ann", messages=[ChatMessage(role="assistant", content="hello")])
    store.save_chat(session)

    context = multiprocessing.get_context("spawn")
    start = context.Manager().Barrier(2)
    with context.Pool(2) as pool:
        pool.starmap(
            chat_loop, [(adapter, target, session.id, "ann", start), (adapter, target, session.id, "bob", start)]
        )

    final = store.get_chat(session.id)
    assert final is not None
    first, *rest = final.messages
    assert first.content in (
        f"ann was here {CHAT_WRITES_PER_PROCESS - 1}",
        f"bob was here {CHAT_WRITES_PER_PROCESS - 1}",
    )
    for author in ("ann", "bob"):
        mine = [message.content for message in rest if message.content.startswith(f"{author}-")]
        assert mine == [f"{author}-{n}" for n in range(CHAT_WRITES_PER_PROCESS)]
    assert len(rest) == 2 * CHAT_WRITES_PER_PROCESS
