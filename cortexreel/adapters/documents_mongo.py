"""DocumentStore on MongoDB through pymongo.

Documents are the models' JSON form with `_id` set to the model id. Scene writes are compare-and-set on
`version`; the history record is written after the scene with `$setOnInsert`, and a record lost to a crash in
between is restored from the scene's `last_change` by the next write of that scene (which records the previous
entry together with its own) or the next read of its history, whichever comes first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, ParamSpec, TypeVar

from pymongo import ASCENDING, DESCENDING, ReplaceOne, ReturnDocument, UpdateOne
from pymongo.collection import Collection
from pymongo.errors import BulkWriteError, ConnectionFailure, DuplicateKeyError

from cortexreel.adapters.documents_common import (
    PARSE_FIELDS,
    apply_script_changes,
    check_entry,
    check_schedule,
    schedule_conflict,
    with_message_added,
    with_message_changed,
)
from cortexreel.adapters.mongo_common import Document, MongoAdapter
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.scenes import Scene, SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.errors import BackendUnavailableError, ConflictError, NotFoundError
from cortexreel.ports import CachedValue

P = ParamSpec("P")
R = TypeVar("R")

# Kept in stored chat sessions only, not in the model: the number of changes, which each change compares and sets.
CHAT_REVISION = "revision"


def _unavailable_as_error(method: Callable[P, R]) -> Callable[P, R]:
    """Turn a lost connection into BackendUnavailableError, which the UI and CLI know how to explain."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        except ConnectionFailure as error:
            raise BackendUnavailableError(
                "The MongoDB server cannot be reached; check CORTEXREEL_MONGODB_URI and that the server is up.",
                detail=str(error),
            ) from error

    return wrapper


class MongoDocumentStore(MongoAdapter):
    def __init__(self, uri: str, database: str, *, timeout_ms: int = 5000) -> None:
        super().__init__(uri, database, timeout_ms=timeout_ms)
        self._indexes_ready = False

    def _collection(self, name: str) -> Collection[Document]:
        if not self._indexes_ready:
            self._ensure_indexes()
        return self._db[name]

    def _ensure_indexes(self) -> None:
        self._db.scripts.create_index([("owner", ASCENDING)])
        self._db.scripts.create_index([("members.login", ASCENDING)])
        self._db.scenes.create_index([("script_id", ASCENDING), ("number", ASCENDING)], unique=True)
        self._db.scene_versions.create_index([("scene_id", ASCENDING), ("version", ASCENDING)], unique=True)
        self._db.scene_versions.create_index([("script_id", ASCENDING)])
        self._db.chat_sessions.create_index([("script_id", ASCENDING), ("user", ASCENDING)])
        self._db.cache.create_index([("namespace", ASCENDING), ("key", ASCENDING)], unique=True)
        self._db.schedules.create_index([("script_id", ASCENDING), ("version", ASCENDING)], unique=True)
        self._indexes_ready = True

    # Scripts -----------------------------------------------------------------------------------------

    @_unavailable_as_error
    def add_script(self, script: Script) -> None:
        try:
            self._collection("scripts").insert_one(_document(script))
        except DuplicateKeyError as error:
            raise ConflictError(f"A script with id {script.id} already exists.") from error

    @_unavailable_as_error
    def get_script(self, script_id: str) -> Script | None:
        found = self._collection("scripts").find_one({"_id": script_id})
        return Script.model_validate(_model_data(found)) if found else None

    @_unavailable_as_error
    def list_scripts(self, *, visible_to: str | None = None) -> list[Script]:
        query: Document = {}
        if visible_to is not None:
            query = {"$or": [{"owner": visible_to}, {"members.login": visible_to}]}
        found = self._collection("scripts").find(query).sort([("created_at", DESCENDING), ("_id", ASCENDING)])
        return [Script.model_validate(_model_data(document)) for document in found]

    @_unavailable_as_error
    def update_script(self, script_id: str, **changes: object) -> Script:
        current = self.get_script(script_id)
        if current is None:
            raise NotFoundError(f"Script {script_id} does not exist.")
        # Validate through the model, then $set only the changed fields so concurrent workers updating
        # different fields (progress, timings) never undo each other.
        validated = apply_script_changes(current, changes).model_dump(mode="json")
        fields = {name: validated[name] for name in [*changes, "updated_at"]}
        updated = self._collection("scripts").find_one_and_update(
            {"_id": script_id}, {"$set": fields}, return_document=ReturnDocument.AFTER
        )
        if updated is None:
            raise NotFoundError(f"Script {script_id} does not exist.")
        return Script.model_validate(_model_data(updated))

    @_unavailable_as_error
    def delete_script(self, script_id: str) -> None:
        self._collection("scene_versions").delete_many({"script_id": script_id})
        self._collection("scenes").delete_many({"script_id": script_id})
        self._collection("chat_sessions").delete_many({"script_id": script_id})
        self._collection("schedules").delete_many({"script_id": script_id})
        self._collection("scripts").delete_one({"_id": script_id})

    # Scenes ------------------------------------------------------------------------------------------

    @_unavailable_as_error
    def upsert_scenes(self, scenes: Sequence[Scene]) -> None:
        if not scenes:
            return
        operations = []
        for scene in scenes:
            document = _document(scene)
            parse_part = {field: document.pop(field) for field in PARSE_FIELDS}
            document.pop("script_id")
            document.pop("number")
            operations.append(
                UpdateOne(
                    {"script_id": scene.script_id, "number": scene.number},
                    {"$set": parse_part, "$setOnInsert": document},
                    upsert=True,
                )
            )
        self._collection("scenes").bulk_write(operations, ordered=False)

    @_unavailable_as_error
    def get_scene(self, scene_id: str) -> Scene | None:
        found = self._collection("scenes").find_one({"_id": scene_id})
        return Scene.model_validate(_model_data(found)) if found else None

    @_unavailable_as_error
    def list_scenes(self, script_id: str) -> list[Scene]:
        found = self._collection("scenes").find({"script_id": script_id}).sort("number", ASCENDING)
        return [Scene.model_validate(_model_data(document)) for document in found]

    @_unavailable_as_error
    def count_scenes(self, script_id: str, *, analysed: bool | None = None) -> int:
        query: Document = {"script_id": script_id}
        if analysed is True:
            query["version"] = {"$gt": 0}
        elif analysed is False:
            query["version"] = 0
        return self._collection("scenes").count_documents(query)

    @_unavailable_as_error
    def write_analysis(self, entry: SceneVersion) -> Scene:
        check_entry(entry)
        entry_document = entry.model_dump(mode="json")
        changes = {
            "analysis": entry_document["analysis"],
            "version": entry.version,
            "updated_by": entry.author,
            "updated_at": entry_document["created_at"],
            "last_change": entry_document,
        }
        # The scene as it was before this write: its last_change is the previous version's history entry.
        before = self._collection("scenes").find_one_and_update(
            {"_id": entry.scene_id, "version": entry.version - 1},
            {"$set": changes},
            return_document=ReturnDocument.BEFORE,
        )
        if before is None:
            current = self._collection("scenes").find_one({"_id": entry.scene_id}, {"version": 1})
            if current is None:
                raise NotFoundError(f"Scene {entry.scene_id} does not exist.")
            raise ConflictError(
                f"This scene was changed by someone else (it is now at version {current['version']}); "
                "reload it and make your change again."
            )
        # The previous entry is recorded again with this one: if a process died between its scene update and its
        # history insert, this write is the last chance to keep it (the scene's last_change is about to move on).
        # Recording is idempotent, and both go in one round trip.
        entries = [entry_document]
        previous = before.get("last_change")
        if previous and previous.get("version") == entry.version - 1:
            entries.insert(0, previous)
        self._record_versions(entries)
        return Scene.model_validate(_model_data({**before, **changes}))

    def _record_version(self, entry_document: Document) -> None:
        self._record_versions([entry_document])

    def _record_versions(self, entry_documents: Sequence[Document]) -> None:
        self._collection("scene_versions").bulk_write(
            [
                UpdateOne(
                    {"scene_id": document["scene_id"], "version": document["version"]},
                    {"$setOnInsert": document},
                    upsert=True,
                )
                for document in entry_documents
            ],
            ordered=False,
        )

    @_unavailable_as_error
    def list_versions(self, scene_id: str) -> list[SceneVersion]:
        found = list(self._collection("scene_versions").find({"scene_id": scene_id}).sort("version", ASCENDING))
        versions = [SceneVersion.model_validate(_model_data(document)) for document in found]
        scene = self.get_scene(scene_id)
        last = scene.last_change if scene else None
        if last is not None and all(version.version != last.version for version in versions):
            self._record_version(last.model_dump(mode="json"))
            versions.append(last)
        return versions

    @_unavailable_as_error
    def get_version(self, scene_id: str, version: int) -> SceneVersion | None:
        found = self._collection("scene_versions").find_one({"scene_id": scene_id, "version": version})
        if found:
            return SceneVersion.model_validate(_model_data(found))
        scene = self.get_scene(scene_id)
        if scene and scene.last_change and scene.last_change.version == version:
            return scene.last_change
        return None

    # Chat sessions -----------------------------------------------------------------------------------

    @_unavailable_as_error
    def save_chat(self, session: ChatSession) -> None:
        self._collection("chat_sessions").replace_one({"_id": session.id}, _document(session), upsert=True)

    @_unavailable_as_error
    def get_chat(self, session_id: str) -> ChatSession | None:
        found = self._collection("chat_sessions").find_one({"_id": session_id})
        return _chat(found) if found else None

    @_unavailable_as_error
    def list_chats(self, script_id: str, user: str) -> list[ChatSession]:
        found = (
            self._collection("chat_sessions")
            .find({"script_id": script_id, "user": user})
            .sort([("updated_at", DESCENDING), ("_id", ASCENDING)])
        )
        return [_chat(document) for document in found]

    @_unavailable_as_error
    def append_chat_message(self, session_id: str, message: ChatMessage) -> ChatSession:
        return self._change_chat(session_id, lambda session: with_message_added(session, message))

    @_unavailable_as_error
    def update_chat_message(self, session_id: str, index: int, changes: Mapping[str, object]) -> ChatSession:
        return self._change_chat(session_id, lambda session: with_message_changed(session, index, changes))

    def _change_chat(self, session_id: str, change: Callable[[ChatSession], ChatSession]) -> ChatSession:
        """Read, change, and write back only if no one wrote in between (compare-and-set on a write counter kept in
        the stored document), else read again. Not $push or a positional $set: this works on every server that
        speaks the wire protocol, including test servers whose $push mishandles embedded documents."""
        chats = self._collection("chat_sessions")
        while True:
            current = chats.find_one({"_id": session_id})
            if current is None:
                raise NotFoundError(f"Chat session {session_id} does not exist.")
            revision = current.get(CHAT_REVISION)
            updated = change(_chat(current))
            document = updated.model_dump(mode="json")
            unchanged = {CHAT_REVISION: revision} if revision is not None else {CHAT_REVISION: {"$exists": False}}
            result = chats.update_one(
                {"_id": session_id, **unchanged},
                {
                    "$set": {
                        "messages": document["messages"],
                        "updated_at": document["updated_at"],
                        CHAT_REVISION: int(revision or 0) + 1,
                    }
                },
            )
            if result.modified_count == 1:
                return updated

    # Schedules ---------------------------------------------------------------------------------------

    @_unavailable_as_error
    def add_schedule(self, schedule: Schedule) -> None:
        check_schedule(schedule)
        schedules = self._collection("schedules")
        newest = self._newest_schedule_version(schedule.script_id)
        if newest != schedule.version - 1:
            raise ConflictError(schedule_conflict(newest))
        # Two writers that both read version v - 1 race on the unique (script_id, version) index: one insert wins.
        try:
            schedules.insert_one(schedule.model_dump(mode="json"))
        except DuplicateKeyError as error:
            raise ConflictError(schedule_conflict(self._newest_schedule_version(schedule.script_id))) from error

    def _newest_schedule_version(self, script_id: str) -> int:
        found = self._collection("schedules").find_one(
            {"script_id": script_id}, {"version": 1}, sort=[("version", DESCENDING)]
        )
        return int(found["version"]) if found else 0

    @_unavailable_as_error
    def get_schedule(self, script_id: str, version: int | None = None) -> Schedule | None:
        query: Document = {"script_id": script_id}
        if version is not None:
            query["version"] = version
        found = self._collection("schedules").find_one(query, sort=[("version", DESCENDING)])
        return Schedule.model_validate(_model_data(found)) if found else None

    @_unavailable_as_error
    def list_schedules(self, script_id: str) -> list[Schedule]:
        found = self._collection("schedules").find({"script_id": script_id}).sort("version", ASCENDING)
        return [Schedule.model_validate(_model_data(document)) for document in found]

    # Cache -------------------------------------------------------------------------------------------

    @_unavailable_as_error
    def get_cached(self, namespace: str, key: str) -> dict[str, Any] | None:
        found = self._collection("cache").find_one({"namespace": namespace, "key": key})
        return dict(found["value"]) if found else None

    @_unavailable_as_error
    def put_cached(self, namespace: str, key: str, value: dict[str, Any]) -> None:
        self._collection("cache").update_one(
            {"namespace": namespace, "key": key}, {"$set": {"value": value}}, upsert=True
        )

    @_unavailable_as_error
    def iter_cached(self) -> Iterator[CachedValue]:
        found = self._collection("cache").find({}).sort([("namespace", ASCENDING), ("key", ASCENDING)])
        for document in found:
            yield CachedValue(namespace=document["namespace"], key=document["key"], value=dict(document["value"]))

    @_unavailable_as_error
    def import_cached(self, entries: Sequence[CachedValue]) -> None:
        operations = [
            UpdateOne({"namespace": entry.namespace, "key": entry.key}, {"$set": {"value": entry.value}}, upsert=True)
            for entry in entries
        ]
        self._bulk_write("cache", operations)

    # Bulk, exact copies --------------------------------------------------------------------------------

    @_unavailable_as_error
    def import_scripts(self, scripts: Sequence[Script]) -> None:
        self._replace_by_id("scripts", [_document(script) for script in scripts])

    @_unavailable_as_error
    def import_scenes(self, scenes: Sequence[Scene]) -> None:
        self._replace_by_id("scenes", [_document(scene) for scene in scenes])

    @_unavailable_as_error
    def iter_versions(self, script_id: str) -> Iterator[SceneVersion]:
        found = (
            self._collection("scene_versions")
            .find({"script_id": script_id})
            .sort([("scene_id", ASCENDING), ("version", ASCENDING)])
        )
        versions = [SceneVersion.model_validate(_model_data(document)) for document in found]
        # A history entry lost to a crash between the scene write and the history insert still lives in the
        # scene's last_change: restore it here too, so an exact copy never misses a version.
        recorded = {(version.scene_id, version.version) for version in versions}
        lost: list[SceneVersion] = []
        for document in self._collection("scenes").find({"script_id": script_id}, {"last_change": 1}):
            last = document.get("last_change")
            if last and (last["scene_id"], last["version"]) not in recorded:
                self._record_version(last)
                lost.append(SceneVersion.model_validate(last))
        if lost:
            versions = sorted([*versions, *lost], key=lambda version: (version.scene_id, version.version))
        yield from versions

    @_unavailable_as_error
    def import_versions(self, entries: Sequence[SceneVersion]) -> None:
        operations = []
        for entry in entries:
            document = entry.model_dump(mode="json")
            operations.append(ReplaceOne({"scene_id": entry.scene_id, "version": entry.version}, document, upsert=True))
        self._bulk_write("scene_versions", operations)

    @_unavailable_as_error
    def list_script_chats(self, script_id: str) -> list[ChatSession]:
        found = self._collection("chat_sessions").find({"script_id": script_id}).sort("_id", ASCENDING)
        return [_chat(document) for document in found]

    def _replace_by_id(self, collection: str, documents: list[Document]) -> None:
        self._bulk_write(
            collection, [ReplaceOne({"_id": document["_id"]}, document, upsert=True) for document in documents]
        )

    def _bulk_write(self, collection: str, operations: Sequence[ReplaceOne[Document] | UpdateOne]) -> None:
        if not operations:
            return
        try:
            self._collection(collection).bulk_write(list(operations), ordered=False)
        except BulkWriteError as error:
            raise ConflictError(
                "A copied document clashes with a different one already stored; the copy was refused.",
                detail=str(error.details.get("writeErrors", [])[:3]),
            ) from error


def _document(model: Script | Scene | ChatSession) -> Document:
    document: Document = model.model_dump(mode="json")
    document["_id"] = document["id"]
    return document


def _chat(document: Document) -> ChatSession:
    data = _model_data(document)
    data.pop(CHAT_REVISION, None)
    return ChatSession.model_validate(data)


def _model_data(document: Document) -> Document:
    data = dict(document)
    data.pop("_id", None)
    return data
