"""The DocumentStore contract, run against every adapter that can run here (and the test fake)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from cortexreel.adapters.documents_mongo import MongoDocumentStore
from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.domain.chat import ChatMessage, ChatSession, ProposalStatus
from cortexreel.domain.scenes import Scene, scene_id
from cortexreel.domain.schedule import Schedule, ScheduleConstraints, naive_schedule, new_schedule
from cortexreel.domain.scripts import Member, Progress, ScriptStatus
from cortexreel.errors import ConflictError, InvalidInputError, NotFoundError
from cortexreel.ports import CachedValue, DocumentStore
from tests import servers
from tests.builders import BASE_TIME, make_scene, make_script, version_of
from tests.fakes import InMemoryDocumentStore

ADAPTERS = ["sqlite", "memory", "mongo-wire", "mongodb"]


@pytest.fixture(params=ADAPTERS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DocumentStore]:
    kind = request.param
    if kind == "sqlite":
        yield SqliteDocumentStore(tmp_path / "documents.sqlite3")
    elif kind == "memory":
        yield InMemoryDocumentStore()
    else:
        uri = servers.mongo_uri(request, kind)
        mongo = MongoDocumentStore(uri, f"test_{uuid.uuid4().hex[:12]}")
        yield mongo
        mongo.close()


def test_ping_answers(store: DocumentStore) -> None:
    store.ping()
    assert store.describe()


def test_script_round_trip(store: DocumentStore) -> None:
    script = make_script(members=[Member(login="bob", role="editor")])
    store.add_script(script)
    assert store.get_script(script.id) == script
    assert store.get_script("missing") is None


def test_adding_a_script_twice_is_a_conflict(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    with pytest.raises(ConflictError):
        store.add_script(script)


def test_list_scripts_newest_first_and_by_visibility(store: DocumentStore) -> None:
    old = make_script("ann", minutes=1)
    new = make_script("ann", minutes=5)
    shared = make_script("carol", minutes=3, members=[Member(login="ann")])
    private = make_script("carol", minutes=4)
    for script in (old, new, shared, private):
        store.add_script(script)
    assert [s.id for s in store.list_scripts()] == [new.id, private.id, shared.id, old.id]
    assert [s.id for s in store.list_scripts(visible_to="ann")] == [new.id, shared.id, old.id]
    assert store.list_scripts(visible_to="nobody") == []


def test_update_script_sets_fields_and_bumps_updated_at(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    updated = store.update_script(
        script.id, status=ScriptStatus.ANALYZING, progress=Progress(stage="analyzing", done=2, total=9)
    )
    assert updated.status is ScriptStatus.ANALYZING
    assert updated.updated_at > script.updated_at
    stored = store.get_script(script.id)
    assert stored is not None
    assert stored.progress == Progress(stage="analyzing", done=2, total=9)
    assert stored.title == script.title


def test_update_script_refuses_unknown_fields_and_missing_scripts(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    with pytest.raises(InvalidInputError):
        store.update_script(script.id, colour="blue")
    with pytest.raises(InvalidInputError):
        store.update_script(script.id, id="other")
    with pytest.raises(NotFoundError):
        store.update_script("missing", title="x")


def test_scenes_are_listed_by_number(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    store.upsert_scenes([make_scene(script.id, n) for n in (3, 1, 2)])
    assert [s.number for s in store.list_scenes(script.id)] == [1, 2, 3]
    assert store.count_scenes(script.id) == 3
    assert store.count_scenes(script.id, analysed=False) == 3
    assert store.count_scenes(script.id, analysed=True) == 0
    assert store.list_scenes("other") == []


def test_reparse_refreshes_parse_fields_and_keeps_analysis(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    scene = make_scene(script.id, 1)
    store.upsert_scenes([scene])
    store.write_analysis(version_of(scene, 1, tone="calm"))
    store.upsert_scenes([make_scene(script.id, 1, heading="EXT. RIVER - DAY")])
    stored = store.get_scene(scene.id)
    assert stored is not None
    assert stored.heading == "EXT. RIVER - DAY"
    assert stored.version == 1
    assert stored.analysis is not None
    assert stored.analysis.narrative.emotional_tone == "calm"
    assert store.count_scenes(script.id) == 1


def test_write_analysis_is_compare_and_set(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    scene = make_scene(script.id, 1)
    store.upsert_scenes([scene])
    first = store.write_analysis(version_of(scene, 1, tone="calm", author="ann"))
    assert first.version == 1
    assert first.updated_by == "ann"
    second = store.write_analysis(version_of(scene, 2, tone="dread", author="bob"))
    assert second.version == 2
    with pytest.raises(ConflictError):
        store.write_analysis(version_of(scene, 2, tone="joy", author="carol"))
    with pytest.raises(ConflictError):
        store.write_analysis(version_of(scene, 5, tone="joy"))
    stored = store.get_scene(scene.id)
    assert stored is not None and stored.analysis is not None
    assert stored.analysis.narrative.emotional_tone == "dread"
    history = store.list_versions(scene.id)
    assert [(v.version, v.author) for v in history] == [(1, "ann"), (2, "bob")]
    assert store.count_scenes(script.id, analysed=True) == 1
    version_one = store.get_version(scene.id, 1)
    assert version_one is not None and version_one.analysis.narrative.emotional_tone == "calm"
    assert store.get_version(scene.id, 3) is None


def test_write_analysis_on_missing_scene(store: DocumentStore) -> None:
    script = make_script()
    with pytest.raises(NotFoundError):
        store.write_analysis(version_of(make_scene(script.id, 1), 1))


def test_delete_script_removes_everything_it_owns(store: DocumentStore) -> None:
    kept, doomed = make_script(), make_script()
    for script in (kept, doomed):
        store.add_script(script)
        scene = make_scene(script.id, 1)
        store.upsert_scenes([scene])
        store.write_analysis(version_of(scene, 1))
        store.save_chat(ChatSession(script_id=script.id, user="ann"))
    store.delete_script(doomed.id)
    assert store.get_script(doomed.id) is None
    assert store.list_scenes(doomed.id) == []
    assert store.list_versions(make_scene(doomed.id, 1).id) == []
    assert store.list_chats(doomed.id, "ann") == []
    assert store.get_script(kept.id) is not None
    assert len(store.list_versions(make_scene(kept.id, 1).id)) == 1
    assert len(store.list_chats(kept.id, "ann")) == 1


def test_chat_sessions(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    first = ChatSession(script_id=script.id, user="ann", title="first")
    second = ChatSession(script_id=script.id, user="ann", title="second")
    other_user = ChatSession(script_id=script.id, user="bob")
    for session in (first, second, other_user):
        store.save_chat(session)
    updated = store.append_chat_message(first.id, ChatMessage(role="user", content="make scene 2 night"))
    assert [m.content for m in updated.messages] == ["make scene 2 night"]
    store.append_chat_message(first.id, ChatMessage(role="assistant", content="Done."))
    stored = store.get_chat(first.id)
    assert stored is not None
    assert [m.role for m in stored.messages] == ["user", "assistant"]
    assert [s.id for s in store.list_chats(script.id, "ann")] == [first.id, second.id]
    with pytest.raises(NotFoundError):
        store.append_chat_message("missing", ChatMessage(role="user", content="hi"))
    assert store.get_chat("missing") is None


def test_changing_one_chat_message(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    session = ChatSession(script_id=script.id, user="ann")
    store.save_chat(session)
    store.append_chat_message(session.id, ChatMessage(role="user", content="make scene 2 night"))
    proposal = store.append_chat_message(session.id, ChatMessage(role="assistant", content="Apply?", status="pending"))
    changed = store.update_chat_message(session.id, 1, {"status": "applied", "content": "Applied."})
    assert [(m.content, m.status) for m in changed.messages] == [("make scene 2 night", None), ("Applied.", "applied")]
    assert changed.updated_at > proposal.updated_at
    assert store.get_chat(session.id) == changed
    with pytest.raises(NotFoundError):
        store.update_chat_message(session.id, 2, {"status": "applied"})
    with pytest.raises(NotFoundError):
        store.update_chat_message("missing", 0, {"status": "applied"})
    with pytest.raises(InvalidInputError):
        store.update_chat_message(session.id, 1, {"colour": "red"})
    with pytest.raises(ValidationError):
        store.update_chat_message(session.id, 1, {"status": "maybe"})
    assert store.get_chat(session.id) == changed


def test_concurrent_chat_writes_keep_every_message(store: DocumentStore) -> None:
    """Two tabs append at once while a third changes the first message over and over: nothing is lost."""
    script = make_script()
    store.add_script(script)
    session = ChatSession(script_id=script.id, user="ann")
    store.save_chat(session)
    store.append_chat_message(session.id, ChatMessage(role="assistant", content="Apply?", status="pending"))
    start = threading.Barrier(3)

    def append(tab: str) -> None:
        start.wait()
        for n in range(CHAT_WRITES):
            store.append_chat_message(session.id, ChatMessage(role="user", content=f"{tab}-{n}"))

    def flip() -> None:
        start.wait()
        for n in range(CHAT_WRITES):
            store.update_chat_message(session.id, 0, {"status": STATUSES[n % 2], "content": str(n)})

    with ThreadPoolExecutor(3) as pool:
        for future in [pool.submit(append, "a"), pool.submit(append, "b"), pool.submit(flip)]:
            future.result()

    final = store.get_chat(session.id)
    assert final is not None
    first, *rest = final.messages
    assert (first.content, first.status) == (str(CHAT_WRITES - 1), STATUSES[(CHAT_WRITES - 1) % 2])
    contents = [message.content for message in rest]
    for tab in ("a", "b"):
        assert [c for c in contents if c.startswith(f"{tab}-")] == [f"{tab}-{n}" for n in range(CHAT_WRITES)]


CHAT_WRITES = 25
STATUSES: tuple[ProposalStatus, ProposalStatus] = ("applied", "discarded")


def test_cache_round_trip(store: DocumentStore) -> None:
    assert store.get_cached("llm", "abc") is None
    value = {"analysis": {"narrative": {"emotional_tone": "dread"}}, "tokens": [12, 30]}
    store.put_cached("llm", "abc", value)
    assert store.get_cached("llm", "abc") == value
    assert store.get_cached("embeddings", "abc") is None
    store.put_cached("llm", "abc", {"replaced": True})
    assert store.get_cached("llm", "abc") == {"replaced": True}


# Bulk, exact copies (backup, restore, migration) ---------------------------------------------------------------


def _analysed_scene(script_id: str, number: int, version: int) -> Scene:
    """A scene as another store would hand it over: analysed, at `version`, with its own timestamps."""
    scene = make_scene(script_id, number)
    entry = version_of(scene, version, tone=f"tone {version}")
    return scene.model_copy(
        update={
            "analysis": entry.analysis,
            "version": version,
            "updated_by": "ann",
            "updated_at": BASE_TIME + timedelta(minutes=number),
        }
    )


def test_import_scripts_writes_exactly_and_replaces(store: DocumentStore) -> None:
    script = make_script(members=[Member(login="bob")]).model_copy(
        update={"status": ScriptStatus.COMPLETED, "completed_at": BASE_TIME + timedelta(hours=1)}
    )
    store.import_scripts([script])
    assert store.get_script(script.id) == script  # updated_at is not bumped
    renamed = script.model_copy(update={"title": "Renamed", "members": []})
    store.import_scripts([renamed])
    store.import_scripts([renamed])
    assert store.list_scripts() == [renamed]
    assert store.list_scripts(visible_to="bob") == []


def test_import_scenes_keeps_versions_and_timestamps(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    scenes = [_analysed_scene(script.id, number, version=3) for number in (1, 2)]
    store.import_scenes(scenes)
    store.import_scenes(scenes)
    listed = store.list_scenes(script.id)
    assert [s.model_copy(update={"last_change": None}) for s in listed] == scenes
    assert store.count_scenes(script.id, analysed=True) == 2
    # An imported scene is an ordinary scene afterwards: the next write is a compare-and-set on version 3.
    with pytest.raises(ConflictError):
        store.write_analysis(version_of(scenes[0], 3))
    assert store.write_analysis(version_of(scenes[0], 4)).version == 4


def test_import_scenes_refuses_another_scene_at_the_same_number(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    store.import_scenes([_analysed_scene(script.id, 1, version=1)])
    impostor = _analysed_scene(script.id, 1, version=1).model_copy(update={"id": "someone-else"})
    with pytest.raises(ConflictError):
        store.import_scenes([impostor])
    assert [s.id for s in store.list_scenes(script.id)] == [scene_id(script.id, 1)]


def test_import_versions_is_idempotent_and_iter_versions_is_ordered(store: DocumentStore) -> None:
    script, other = make_script(), make_script()
    for owner in (script, other):
        store.add_script(owner)
    scenes = [_analysed_scene(script.id, number, version=2) for number in (2, 1)]
    store.import_scenes([*scenes, _analysed_scene(other.id, 1, version=1)])
    entries = [
        version_of(scene, version).model_copy(update={"created_at": BASE_TIME + timedelta(minutes=version)})
        for scene in scenes
        for version in (2, 1)
    ]
    store.import_versions(entries)
    store.import_versions(entries)
    store.import_versions([version_of(make_scene(other.id, 1), 1)])
    listed = list(store.iter_versions(script.id))
    assert [(v.scene_id, v.version) for v in listed] == sorted((e.scene_id, e.version) for e in entries)
    assert sorted(listed, key=lambda v: (v.scene_id, v.version)) == sorted(
        entries, key=lambda v: (v.scene_id, v.version)
    )
    assert [v.version for v in store.list_versions(scenes[0].id)] == [1, 2]
    assert list(store.iter_versions("missing")) == []


def test_list_script_chats_returns_every_users_sessions(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    sessions = [ChatSession(script_id=script.id, user=user) for user in ("ann", "bob", "ann")]
    for session in sessions:
        store.save_chat(session)
    store.save_chat(ChatSession(script_id="other", user="ann"))
    assert [s.id for s in store.list_script_chats(script.id)] == sorted(s.id for s in sessions)


def test_cache_bulk_round_trip(store: DocumentStore) -> None:
    entries = [
        CachedValue(namespace="embeddings", key="m:2", value={"vector": "AAAA"}),
        CachedValue(namespace="app-settings", key="settings", value={"values": {"a": 1}, "nested": [1.5, "x"]}),
        CachedValue(namespace="embeddings", key="m:1", value={"vector": "BBBB"}),
    ]
    store.import_cached(entries)
    store.import_cached(entries[:1])
    assert list(store.iter_cached()) == sorted(entries, key=lambda e: (e.namespace, e.key))
    assert store.get_cached("app-settings", "settings") == {"values": {"a": 1}, "nested": [1.5, "x"]}


def _schedule(script_id: str, version: int, note: str = "") -> Schedule:
    return Schedule(script_id=script_id, version=version, author="ann", note=note, created_at=BASE_TIME)


def test_schedules_are_versions_written_with_compare_and_set(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    assert store.get_schedule(script.id) is None
    store.add_schedule(_schedule(script.id, 1, "first draft"))
    store.add_schedule(_schedule(script.id, 2, "moved the river scenes"))
    with pytest.raises(ConflictError):
        store.add_schedule(_schedule(script.id, 2, "a second writer who read version 1"))
    with pytest.raises(ConflictError):
        store.add_schedule(_schedule(script.id, 4, "a version skipped"))
    with pytest.raises(InvalidInputError):
        store.add_schedule(_schedule(script.id, 0))
    newest = store.get_schedule(script.id)
    assert newest is not None and (newest.version, newest.note) == (2, "moved the river scenes")
    first = store.get_schedule(script.id, 1)
    assert first == _schedule(script.id, 1, "first draft")
    assert store.get_schedule(script.id, 7) is None
    assert [schedule.version for schedule in store.list_schedules(script.id)] == [1, 2]
    assert store.list_schedules("other") == []


def test_a_schedule_keeps_its_board(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    scenes = [make_scene(script.id, n) for n in (1, 2, 3)]
    schedule = naive_schedule(new_schedule(script.id, scenes, ScheduleConstraints(start=date(2027, 3, 1))))
    schedule = schedule.model_copy(update={"version": 1, "locked": {scenes[0].id: 1}, "created_at": BASE_TIME})
    store.add_schedule(schedule)
    assert store.get_schedule(script.id) == schedule


def test_deleting_a_script_deletes_its_schedules(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    store.add_schedule(_schedule(script.id, 1))
    store.delete_script(script.id)
    assert store.list_schedules(script.id) == []
    assert store.get_schedule(script.id) is None


def test_racing_schedule_writers_never_overwrite_each_other(store: DocumentStore) -> None:
    script = make_script()
    store.add_script(script)
    won: list[str] = []
    lost: list[str] = []

    def writer(name: str) -> None:
        for attempt in range(5):
            newest = store.get_schedule(script.id)
            version = (newest.version if newest else 0) + 1
            try:
                store.add_schedule(_schedule(script.id, version, f"{name}-{attempt}"))
            except ConflictError:
                lost.append(name)
            else:
                won.append(f"{name}-{attempt}")

    threads = [threading.Thread(target=writer, args=(f"w{number}",)) for number in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = store.list_schedules(script.id)
    assert [schedule.version for schedule in saved] == list(range(1, len(won) + 1))
    assert sorted(schedule.note for schedule in saved) == sorted(won)
    assert len(won) + len(lost) == 20
