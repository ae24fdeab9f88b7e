"""The ports: what services need from the outside world. Adapters implement them; tests fake them.

Every port that talks to a backend also has `kind` (the adapter's short name), `describe()` (where it points,
safe to print: no passwords) and `ping()` (raises BackendUnavailableError with the reason when down).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, BinaryIO, Literal, Protocol, runtime_checkable

from pydantic import Field

from cortexreel.domain.analysis import AnalyserInfo, SceneAnalysis
from cortexreel.domain.base import Model
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.scenes import Scene, SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.domain.users import User


@runtime_checkable
class Backend(Protocol):
    kind: str

    def describe(self) -> str: ...

    def ping(self) -> None: ...


class CachedValue(Model):
    """One entry of the document store's cache, as read and written by bulk copies."""

    namespace: str
    key: str
    value: dict[str, Any]


# What the record store keeps: the admin's settings, each prompt template's saved versions, the token usage of
# each analysis batch, and how often a script's work was interrupted.
RecordKind = Literal["settings", "prompt-history", "token-usage", "interruptions"]


class StoredRecord(Model):
    """One record of the record store, as read and written by bulk copies."""

    kind: RecordKind
    key: str
    value: dict[str, Any]


class RecordStore(Backend, Protocol):
    """Small records the app keeps for good, apart from the caches (which may be cleared or rebuilt at any time)."""

    def get_record(self, kind: RecordKind, key: str) -> dict[str, Any] | None: ...

    def put_record(self, kind: RecordKind, key: str, value: dict[str, Any]) -> None:
        """Store or replace the record (kind, key)."""
        ...

    def delete_records(self, kind: RecordKind, key_prefix: str) -> int:
        """Delete the records of `kind` whose key starts with `key_prefix`; returns how many."""
        ...

    def iter_records(self) -> Iterator[StoredRecord]:
        """Every record, ordered by (kind, key)."""
        ...


class DocumentStore(Backend, Protocol):
    """Scripts, scenes, scene history and chat sessions."""

    # Scripts
    def add_script(self, script: Script) -> None:
        """Insert a new script; ConflictError if the id is taken."""
        ...

    def get_script(self, script_id: str) -> Script | None: ...

    def list_scripts(self, *, visible_to: str | None = None) -> list[Script]:
        """Newest first; only those owned by or shared with `visible_to` when given."""
        ...

    def update_script(self, script_id: str, **changes: object) -> Script:
        """Set top-level fields (validated against Script) and bump updated_at; NotFoundError if absent."""
        ...

    def delete_script(self, script_id: str) -> None:
        """Remove the script with its scenes, versions, chat sessions and schedules."""
        ...

    # Scenes
    def upsert_scenes(self, scenes: Sequence[Scene]) -> None:
        """Insert or refresh scenes by (script, number). Parse fields are replaced; an existing scene keeps
        its analysis, version and history, so re-running a parse never loses edits."""
        ...

    def get_scene(self, scene_id: str) -> Scene | None: ...

    def list_scenes(self, script_id: str) -> list[Scene]:
        """Ordered by scene number."""
        ...

    def count_scenes(self, script_id: str, *, analysed: bool | None = None) -> int: ...

    def write_analysis(self, entry: SceneVersion) -> Scene:
        """Compare-and-set: store `entry.analysis` as the scene's current analysis only if the scene is still at
        `entry.version - 1`, and record `entry` in the history. ConflictError when someone wrote first."""
        ...

    def list_versions(self, scene_id: str) -> list[SceneVersion]:
        """Oldest first."""
        ...

    def get_version(self, scene_id: str, version: int) -> SceneVersion | None: ...

    # Chat sessions. A session is changed only by appending a message or changing one message, each atomically, so
    # two tabs or processes writing to the same session never lose each other's messages.
    def save_chat(self, session: ChatSession) -> None:
        """Store a new session, or replace one whole (restore and migration copies)."""
        ...

    def get_chat(self, session_id: str) -> ChatSession | None: ...

    def list_chats(self, script_id: str, user: str) -> list[ChatSession]:
        """Most recently updated first."""
        ...

    def append_chat_message(self, session_id: str, message: ChatMessage) -> ChatSession:
        """Atomically add one message; NotFoundError if the session is gone."""
        ...

    def update_chat_message(self, session_id: str, index: int, changes: Mapping[str, object]) -> ChatSession:
        """Atomically set fields of message `index` (validated against ChatMessage), keeping every other message as
        stored; NotFoundError if the session or the message is gone, InvalidInputError for unknown fields."""
        ...

    # Shooting schedules: every saved schedule is a new version of its script's schedule
    def add_schedule(self, schedule: Schedule) -> None:
        """Compare-and-set: store `schedule` as version `schedule.version` of its script's schedule only if the newest
        stored version is `schedule.version - 1` (none at all for version 1); ConflictError when someone saved first."""
        ...

    def get_schedule(self, script_id: str, version: int | None = None) -> Schedule | None:
        """The newest schedule of the script, or the given version; None when there is none."""
        ...

    def list_schedules(self, script_id: str) -> list[Schedule]:
        """Every saved version, oldest first."""
        ...

    # Cache of derived results (LLM analyses, embeddings) keyed by content hash
    def get_cached(self, namespace: str, key: str) -> dict[str, Any] | None: ...

    def put_cached(self, namespace: str, key: str, value: dict[str, Any]) -> None:
        """Store or replace a cached value."""
        ...

    def iter_cached(self) -> Iterator[CachedValue]:
        """Every cache entry, ordered by (namespace, key)."""
        ...

    # Bulk, exact copies: for backup, restore and migration only. These write documents exactly as given (ids,
    # versions, timestamps), replacing any document with the same identity and bypassing compare-and-set, so a
    # copy that is run twice, or resumed, ends with the same documents and no duplicates.
    def import_scripts(self, scripts: Sequence[Script]) -> None:
        """Write scripts as given (updated_at is not bumped), replacing any with the same id."""
        ...

    def import_scenes(self, scenes: Sequence[Scene]) -> None:
        """Write scenes as given (analysis, version and timestamps included), replacing any with the same id.
        ConflictError if a scene with another id holds the same (script, number)."""
        ...

    def iter_versions(self, script_id: str) -> Iterator[SceneVersion]:
        """Every history entry of the script's scenes, ordered by (scene id, version)."""
        ...

    def import_versions(self, entries: Sequence[SceneVersion]) -> None:
        """Write history entries as given, replacing any with the same (scene id, version)."""
        ...

    def list_script_chats(self, script_id: str) -> list[ChatSession]:
        """Every user's chat sessions on the script, ordered by id."""
        ...

    def import_cached(self, entries: Sequence[CachedValue]) -> None:
        """Store or replace many cache entries at once."""
        ...


class StoredBlob(Model):
    key: str
    sha256: str
    size: int = Field(ge=0)


class BlobStore(Backend, Protocol):
    """Original files, stored once under their content hash."""

    def put(self, stream: BinaryIO) -> StoredBlob:
        """Store the stream's bytes under `sha256/<hex>`; storing the same bytes twice keeps one copy."""
        ...

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        """A readable stream of the blob; NotFoundError if absent."""
        ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None:
        """Remove the blob; removing a missing blob is not an error."""
        ...

    def keys(self) -> Iterator[str]: ...


MetadataValue = str | int | float | bool | list[str] | None


class VectorRecord(Model):
    """One embedded chunk of a scene, with the metadata searches filter on. `content` is the chunk's text (the
    scene heading included), which keyword ranking also reads."""

    id: str
    scene_id: str
    script_id: str
    owner: str
    vector: list[float]
    content: str
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)


class VectorHit(Model):
    id: str
    scene_id: str
    script_id: str
    score: float
    content: str
    metadata: dict[str, MetadataValue] = Field(default_factory=dict)


class VectorIndex(Backend, Protocol):
    def upsert(self, records: Sequence[VectorRecord]) -> None:
        """Insert or replace records by id."""
        ...

    def query(
        self,
        vector: Sequence[float] | None,
        *,
        text: str | None = None,
        limit: int = 10,
        script_ids: Sequence[str] | None = None,
        where: Mapping[str, str | int] | None = None,
    ) -> list[VectorHit]:
        """Best records first, restricted to `script_ids` and to records whose metadata equals every `where` value
        (for list metadata: contains it).

        With only `vector`: ranked by cosine similarity, which is the score. With only `text`: ranked by keyword
        relevance (BM25). With both: hybrid, each ranking's scores normalised to 0..1 and averaged. Keyword and
        hybrid scores only compare within one query. InvalidInputError when neither is given or the dimension is
        wrong."""
        ...

    def delete_script(self, script_id: str) -> None: ...

    def delete_scene(self, scene_id: str) -> None: ...

    def count(self, script_id: str | None = None) -> int: ...


class Embedder(Protocol):
    """Texts to vectors for search by meaning (tests/contract/test_embedder.py checks every adapter and fake).

    Every vector has `dimension` finite floats and unit length, so a dot product is the cosine. The same text gives
    the same vector (to about 1e-4) alone or in a batch, as a document or a query, and in every process: vectors
    are cached by (text, `model_name`) and indexed by one process for another's queries. Texts alike in meaning
    are closer than texts apart. Any text is accepted: empty, any Unicode, or longer than the model reads (then
    only its beginning counts)."""

    model_name: str
    dimension: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in the order of `texts`; no texts, no vectors (and no call to a model)."""
        ...

    def embed_query(self, text: str) -> list[float]:
        """The vector of one text: the same as `embed_documents([text])[0]`, so queries and documents share one
        space and one cache."""
        ...


class AnalysisResult(Model):
    """One scene's analysis and what producing it cost."""

    analysis: SceneAnalysis
    input_tokens: int = Field(default=0, ge=0)
    output_tokens: int = Field(default=0, ge=0)
    cached: bool = False


class Analyzer(Protocol):
    """Scenes to analyses (tests/contract/test_analyzer.py checks every analyser).

    `info` names the analyser (name and version; model and prompt version when a model answers), and every analysis
    it makes carries it as `analyser`, so results can be compared and re-run. A scene of any text gets an analysis:
    a heading alone, any Unicode, a very long scene, text that reads like instructions."""

    info: AnalyserInfo

    def analyze_many(self, scenes: Sequence[Scene], script_cast: Collection[str] = ()) -> list[AnalysisResult]:
        """One result per scene, in the order of `scenes` (whatever order the work finished in), each the same as
        analysing that scene alone; no scenes, no results. A scene that cannot be analysed gets a result with
        warnings rather than failing the batch (an analyser that falls back to another names that one as
        `analyser`). `script_cast` names the script's characters (every speaker of the script), so one the action
        of a scene names is known to be there."""
        ...


# queued: waiting to run (or for the jobs it depends on); started: running; stalled: started, but what ran it stopped
# answering (its heartbeat expired), so the queue will retry it or mark it failed; retrying: it failed or was
# abandoned and waits for its next attempt; finished; failed: for good, or it depends on a job that failed;
# missing: no such job (never queued, expired, or queued by another process of the in-process runner).
JobState = Literal["queued", "started", "stalled", "retrying", "finished", "failed", "missing"]
TaskFunction = Callable[..., object]
TaskArgument = str | int
# The worker's side of a queue: runs the registered task `name` with `args` (cortexreel.task_registry.run with the
# Services of the process that runs it). A queue that runs tasks itself is given one by the composition root.
TaskRunner = Callable[[str, tuple[TaskArgument, ...]], None]


class TaskQueue(Backend, Protocol):
    """Runs registered background tasks (cortexreel.task_registry) off the request thread. A job is a task's
    registered name and its arguments (strings and ints), so any worker process can run it."""

    def enqueue(
        self,
        task: str,
        *args: TaskArgument,
        job_id: str,
        depends_on: Sequence[str] = (),
    ) -> str:
        """Queue the registered task named `task` with `args` under a stable `job_id`; TaskError if no task has
        that name. While a job with that id is queued or running a second submit is ignored; after it finished or
        failed, submitting runs it again."""
        ...

    def state(self, job_id: str) -> JobState: ...


class UserStore(Backend, Protocol):
    """User accounts, by login (unique)."""

    def add_user(self, user: User) -> None:
        """Insert a new user; ConflictError if the login is taken."""
        ...

    def add_first_user(self, user: User) -> None:
        """Insert `user` only if there is no user at all, atomically; ConflictError otherwise. This is how the
        first admin is created from the app, so two visitors racing on a fresh install cannot both become one."""
        ...

    def get_user(self, login: str) -> User | None: ...

    def list_users(self) -> list[User]:
        """Ordered by login."""
        ...

    def count_users(self) -> int: ...

    def update_user(self, login: str, **changes: object) -> User:
        """Set fields (validated against User; the login cannot change); NotFoundError if absent."""
        ...


@dataclass(frozen=True)
class Bucket:
    """A token bucket: `capacity` tokens under `key`, refilled evenly so a full bucket refills in `period_seconds`."""

    key: str
    capacity: int
    period_seconds: float


class RateLimiter(Backend, Protocol):
    """Token buckets by key: `capacity` tokens, refilled evenly so a full bucket refills in `period_seconds`."""

    def take(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        """Take `cost` tokens from bucket `key`. Returns 0.0 when taken; otherwise takes nothing and returns the
        seconds until that many tokens will be there."""
        ...

    def wait_time(self, key: str, *, capacity: int, period_seconds: float, cost: int = 1) -> float:
        """Like `take`, but only looks: the seconds until `cost` tokens are there (0.0 when they are now)."""
        ...

    def take_all(self, buckets: Sequence[Bucket], cost: int = 1) -> float:
        """Take `cost` tokens from every bucket as one atomic step: from all of them when each has enough (returns
        0.0), otherwise from none (returns the longest wait). Checking and counting in one step is what makes a
        lockout hold against parallel attempts."""
        ...

    def give_back(self, bucket: Bucket, cost: int = 1) -> None:
        """Return `cost` tokens to a bucket (never above its capacity)."""
        ...

    def reset(self, key: str) -> None:
        """Forget bucket `key` (it is full again)."""
        ...
