"""Fakes of our own ports, for unit tests of services. Each one also passes its port's contract suite."""

from __future__ import annotations

import copy
import io
import logging
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, BinaryIO

from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool

from cortexreel.adapters.blobs_common import copy_hashing
from cortexreel.adapters.documents_common import (
    PARSE_FIELDS,
    apply_script_changes,
    check_entry,
    check_schedule,
    schedule_conflict,
    with_message_added,
    with_message_changed,
)
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.files import check_key, key_for
from cortexreel.domain.scenes import Scene, SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.errors import ConflictError, NotFoundError
from cortexreel.ports import CachedValue, JobState, RecordKind, StoredBlob, StoredRecord, TaskArgument, TaskRunner
from cortexreel.task_registry import check_job_id, lookup
from tests.hashing import hashed_words

log = logging.getLogger(__name__)


class InMemoryDocumentStore:
    kind = "memory"

    def __init__(self) -> None:
        self.scripts: dict[str, Script] = {}
        self.scenes: dict[str, Scene] = {}
        self.versions: dict[tuple[str, int], SceneVersion] = {}
        self.chats: dict[str, ChatSession] = {}
        self.cache: dict[tuple[str, str], dict[str, Any]] = {}
        self.schedules: dict[str, list[Schedule]] = {}
        self._lock = threading.RLock()

    def describe(self) -> str:
        return "memory"

    def ping(self) -> None:
        return None

    def add_script(self, script: Script) -> None:
        with self._lock:
            if script.id in self.scripts:
                raise ConflictError(f"A script with id {script.id} already exists.")
            self.scripts[script.id] = script.model_copy(deep=True)

    def get_script(self, script_id: str) -> Script | None:
        found = self.scripts.get(script_id)
        return found.model_copy(deep=True) if found else None

    def list_scripts(self, *, visible_to: str | None = None) -> list[Script]:
        found = [s for s in self.scripts.values() if visible_to is None or s.visible_to(visible_to)]
        found.sort(key=lambda s: s.id)
        found.sort(key=lambda s: s.created_at, reverse=True)
        return [s.model_copy(deep=True) for s in found]

    def update_script(self, script_id: str, **changes: object) -> Script:
        with self._lock:
            if script_id not in self.scripts:
                raise NotFoundError(f"Script {script_id} does not exist.")
            self.scripts[script_id] = apply_script_changes(self.scripts[script_id], changes)
            return self.scripts[script_id].model_copy(deep=True)

    def delete_script(self, script_id: str) -> None:
        with self._lock:
            self.scripts.pop(script_id, None)
            self.scenes = {k: v for k, v in self.scenes.items() if v.script_id != script_id}
            self.versions = {k: v for k, v in self.versions.items() if v.script_id != script_id}
            self.chats = {k: v for k, v in self.chats.items() if v.script_id != script_id}
            self.schedules.pop(script_id, None)

    def upsert_scenes(self, scenes: Sequence[Scene]) -> None:
        with self._lock:
            for scene in scenes:
                existing = next(
                    (s for s in self.scenes.values() if (s.script_id, s.number) == (scene.script_id, scene.number)),
                    None,
                )
                if existing is None:
                    self.scenes[scene.id] = scene.model_copy(deep=True)
                else:
                    fresh = {field: getattr(scene, field) for field in PARSE_FIELDS}
                    self.scenes[existing.id] = existing.model_copy(update=fresh, deep=True)

    def get_scene(self, scene_id: str) -> Scene | None:
        found = self.scenes.get(scene_id)
        return found.model_copy(deep=True) if found else None

    def list_scenes(self, script_id: str) -> list[Scene]:
        found = sorted((s for s in self.scenes.values() if s.script_id == script_id), key=lambda s: s.number)
        return [s.model_copy(deep=True) for s in found]

    def count_scenes(self, script_id: str, *, analysed: bool | None = None) -> int:
        scenes = [s for s in self.scenes.values() if s.script_id == script_id]
        if analysed is not None:
            scenes = [s for s in scenes if (s.version > 0) == analysed]
        return len(scenes)

    def write_analysis(self, entry: SceneVersion) -> Scene:
        check_entry(entry)
        with self._lock:
            scene = self.scenes.get(entry.scene_id)
            if scene is None:
                raise NotFoundError(f"Scene {entry.scene_id} does not exist.")
            if scene.version != entry.version - 1:
                raise ConflictError(f"This scene was changed by someone else (it is now at version {scene.version}).")
            updated = scene.model_copy(
                update={
                    "analysis": entry.analysis,
                    "version": entry.version,
                    "updated_by": entry.author,
                    "updated_at": entry.created_at,
                    "last_change": entry,
                },
                deep=True,
            )
            self.scenes[scene.id] = updated
            self.versions[(entry.scene_id, entry.version)] = entry.model_copy(deep=True)
            return updated.model_copy(deep=True)

    def list_versions(self, scene_id: str) -> list[SceneVersion]:
        found = sorted((v for (s, _), v in self.versions.items() if s == scene_id), key=lambda v: v.version)
        return [v.model_copy(deep=True) for v in found]

    def get_version(self, scene_id: str, version: int) -> SceneVersion | None:
        found = self.versions.get((scene_id, version))
        return found.model_copy(deep=True) if found else None

    def save_chat(self, session: ChatSession) -> None:
        with self._lock:
            self.chats[session.id] = session.model_copy(deep=True)

    def get_chat(self, session_id: str) -> ChatSession | None:
        found = self.chats.get(session_id)
        return found.model_copy(deep=True) if found else None

    def list_chats(self, script_id: str, user: str) -> list[ChatSession]:
        found = [c for c in self.chats.values() if c.script_id == script_id and c.user == user]
        found.sort(key=lambda c: c.id)
        found.sort(key=lambda c: c.updated_at, reverse=True)
        return [c.model_copy(deep=True) for c in found]

    def append_chat_message(self, session_id: str, message: ChatMessage) -> ChatSession:
        return self._change_chat(session_id, lambda session: with_message_added(session, message))

    def update_chat_message(self, session_id: str, index: int, changes: Mapping[str, object]) -> ChatSession:
        return self._change_chat(session_id, lambda session: with_message_changed(session, index, changes))

    def _change_chat(self, session_id: str, change: Callable[[ChatSession], ChatSession]) -> ChatSession:
        with self._lock:
            session = self.chats.get(session_id)
            if session is None:
                raise NotFoundError(f"Chat session {session_id} does not exist.")
            updated = change(session.model_copy(deep=True))
            self.chats[session_id] = updated
            return updated.model_copy(deep=True)

    def add_schedule(self, schedule: Schedule) -> None:
        check_schedule(schedule)
        with self._lock:
            versions = self.schedules.setdefault(schedule.script_id, [])
            if len(versions) != schedule.version - 1:
                raise ConflictError(schedule_conflict(len(versions)))
            versions.append(schedule.model_copy(deep=True))

    def get_schedule(self, script_id: str, version: int | None = None) -> Schedule | None:
        versions = self.schedules.get(script_id, [])
        if version is None:
            return versions[-1].model_copy(deep=True) if versions else None
        found = next((schedule for schedule in versions if schedule.version == version), None)
        return found.model_copy(deep=True) if found else None

    def list_schedules(self, script_id: str) -> list[Schedule]:
        return [schedule.model_copy(deep=True) for schedule in self.schedules.get(script_id, [])]

    def get_cached(self, namespace: str, key: str) -> dict[str, Any] | None:
        found = self.cache.get((namespace, key))
        return copy.deepcopy(found) if found is not None else None

    def put_cached(self, namespace: str, key: str, value: dict[str, Any]) -> None:
        self.cache[(namespace, key)] = copy.deepcopy(value)

    def iter_cached(self) -> Iterator[CachedValue]:
        for (namespace, key), value in sorted(self.cache.items()):
            yield CachedValue(namespace=namespace, key=key, value=copy.deepcopy(value))

    def import_cached(self, entries: Sequence[CachedValue]) -> None:
        with self._lock:
            for entry in entries:
                self.cache[(entry.namespace, entry.key)] = copy.deepcopy(entry.value)

    def import_scripts(self, scripts: Sequence[Script]) -> None:
        with self._lock:
            for script in scripts:
                self.scripts[script.id] = script.model_copy(deep=True)

    def import_scenes(self, scenes: Sequence[Scene]) -> None:
        with self._lock:
            for scene in scenes:
                clash = any(
                    (other.script_id, other.number) == (scene.script_id, scene.number) and other.id != scene.id
                    for other in self.scenes.values()
                )
                if clash:
                    raise ConflictError("Another scene already has the same script and number; the copy was refused.")
                self.scenes[scene.id] = scene.model_copy(deep=True)

    def iter_versions(self, script_id: str) -> Iterator[SceneVersion]:
        found = sorted(
            (v for v in self.versions.values() if v.script_id == script_id), key=lambda v: (v.scene_id, v.version)
        )
        for version in found:
            yield version.model_copy(deep=True)

    def import_versions(self, entries: Sequence[SceneVersion]) -> None:
        with self._lock:
            for entry in entries:
                self.versions[(entry.scene_id, entry.version)] = entry.model_copy(deep=True)

    def list_script_chats(self, script_id: str) -> list[ChatSession]:
        found = sorted((c for c in self.chats.values() if c.script_id == script_id), key=lambda c: c.id)
        return [c.model_copy(deep=True) for c in found]


class InMemoryBlobStore:
    kind = "memory"

    def __init__(self) -> None:
        self.blobs: dict[str, bytes] = {}

    def describe(self) -> str:
        return "memory"

    def ping(self) -> None:
        return None

    def put(self, stream: BinaryIO) -> StoredBlob:
        buffer = io.BytesIO()
        sha256, size = copy_hashing(stream, buffer)
        key = key_for(sha256)
        self.blobs[key] = buffer.getvalue()
        return StoredBlob(key=key, sha256=sha256, size=size)

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        if check_key(key) not in self.blobs:
            raise NotFoundError(f"The file {key} is missing from the file store.")
        return io.BytesIO(self.blobs[key])

    def exists(self, key: str) -> bool:
        return check_key(key) in self.blobs

    def delete(self, key: str) -> None:
        self.blobs.pop(check_key(key), None)

    def keys(self) -> Iterator[str]:
        yield from sorted(self.blobs)


class InMemoryRecordStore:
    """RecordStore in a dict."""

    kind = "memory"

    def __init__(self) -> None:
        self._records: dict[tuple[RecordKind, str], dict[str, Any]] = {}

    def describe(self) -> str:
        return "in memory"

    def ping(self) -> None:
        return None

    def get_record(self, kind: RecordKind, key: str) -> dict[str, Any] | None:
        found = self._records.get((kind, key))
        return copy.deepcopy(found) if found is not None else None

    def put_record(self, kind: RecordKind, key: str, value: dict[str, Any]) -> None:
        self._records[(kind, key)] = copy.deepcopy(value)

    def delete_records(self, kind: RecordKind, key_prefix: str) -> int:
        doomed = [name for name in self._records if name[0] == kind and name[1].startswith(key_prefix)]
        for name in doomed:
            del self._records[name]
        return len(doomed)

    def iter_records(self) -> Iterator[StoredRecord]:
        for (kind, key), value in sorted(self._records.items()):
            yield StoredRecord(kind=kind, key=key, value=copy.deepcopy(value))


class SynchronousTaskQueue:
    """Runs each job in the caller's thread before `enqueue` returns, so unit tests see its effects at once. Otherwise
    it keeps the TaskQueue contract: a submit while the job runs (from inside it) is ignored, a job whose dependency
    failed fails, and a failing job is retried `retries` times, then ends failed (logged, not raised)."""

    kind = "synchronous"

    def __init__(self, run_task: TaskRunner, *, retries: int = 0) -> None:
        self._run_task = run_task
        self._retries = retries
        self.states: dict[str, JobState] = {}
        self.errors: dict[str, str] = {}
        self.runs: list[str] = []

    def describe(self) -> str:
        return "synchronous"

    def ping(self) -> None:
        return None

    def enqueue(self, task: str, *args: TaskArgument, job_id: str, depends_on: Sequence[str] = ()) -> str:
        lookup(task)
        check_job_id(job_id)
        if self.states.get(job_id) == "started":
            return job_id
        if any(self.states.get(dependency) == "failed" for dependency in depends_on):
            self.states[job_id] = "failed"
            return job_id
        self.runs.append(job_id)
        self.states[job_id] = "started"
        for attempt in range(1, self._retries + 2):
            try:
                self._run_task(task, tuple(args))
            except Exception as error:
                log.exception("Job %s failed (attempt %d)", job_id, attempt)
                self.errors[job_id] = f"{type(error).__name__}: {error}"
            else:
                self.states[job_id] = "finished"
                return job_id
        self.states[job_id] = "failed"
        return job_id

    def state(self, job_id: str) -> JobState:
        return self.states.get(job_id, "missing")


class HashingEmbedder:
    """Deterministic bag-of-words vectors of unit length: texts sharing words are close. No model to load."""

    model_name = "hashing-test"
    dimension = 64

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return hashed_words(text, self.dimension)


class DyingTaskQueue:
    """The in-process runner of a process that dies before running anything: it records jobs as queued and never
    runs them. A new instance is the runner of the restarted process, which knows none of them."""

    kind = "in-process"

    def __init__(self, run_task: TaskRunner) -> None:
        self.states: dict[str, JobState] = {}

    def describe(self) -> str:
        return "dies before running anything"

    def ping(self) -> None:
        return None

    def enqueue(self, task: str, *args: TaskArgument, job_id: str, depends_on: Sequence[str] = ()) -> str:
        lookup(task)
        self.states[check_job_id(job_id)] = "queued"
        return job_id

    def state(self, job_id: str) -> JobState:
        return self.states.get(job_id, "missing")


class ToolCallingFakeChatModel(FakeMessagesListChatModel):
    """LangChain's fake chat model, replying with `responses` in turn, that accepts tools bound to it: the replies
    name the tool calls, as a real model's would. Passed as `chat_model` to build_services."""

    bound_tools: list[Any] = []

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        self.bound_tools = list(tools)
        return self


def fake_services(settings: Settings, **overrides: Any) -> Services:
    """Services on fakes of our ports (in-memory documents, records and files, tasks run at once, hashing embedder)
    with the real embedded vector index in the settings' data folder; any part can be replaced by name."""
    parts: dict[str, Any] = {
        "documents": InMemoryDocumentStore(),
        "records": InMemoryRecordStore(),
        "blobs": InMemoryBlobStore(),
        "queue": SynchronousTaskQueue,
        "embedder": HashingEmbedder(),
    }
    return build_services(settings, **{**parts, **overrides})
