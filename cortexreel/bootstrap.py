"""The composition root: the one place that reads Settings and chooses an adapter for every port.

It stands on the top floor, beside the entry points that use it (the app's `ui/services.py`, `worker.py`, the
command line); nothing below imports it. Every entry point opens its Services with `open_services`, which applies
the admin's stored settings over the environment's, so the app, every worker and the CLI work with the same
effective settings. Building is cheap and connects to nothing; each adapter connects on first use.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cortexreel import task_registry
from cortexreel.config import Settings, load_settings
from cortexreel.container import Services
from cortexreel.errors import TaskError
from cortexreel.ports import (
    Analyzer,
    BlobStore,
    DocumentStore,
    Embedder,
    RateLimiter,
    RecordStore,
    TaskArgument,
    TaskQueue,
    TaskRunner,
    UserStore,
    VectorIndex,
)
from cortexreel.services.app_settings import effective_settings, move_out_of_the_cache

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

# What RQ workers call for every job: the worker's side of the RQ queue (see run_task).
RQ_JOB_FUNCTION = "cortexreel.bootstrap.run_task"
# A queue given to build_services by a test is made with the runner the composition root owns.
QueueFactory = Callable[[TaskRunner], TaskQueue]


def tune_garbage_collector() -> None:
    """For long-running processes (the app, workers). Reading scenes allocates many small objects, and at
    CPython's default thresholds the cyclic collector then makes full passes over the whole heap every few reads:
    a 200-scene read measured 9 ms at the median but 60 ms at p95. Collecting later, with what start-up loaded
    frozen out of the passes, keeps the tail at ~10 ms (bench/ui_reads.py)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def open_services(settings: Settings | None = None, **overrides: Any) -> Services:
    """The Services of an entry point: `settings` (by default the environment's) with the admin's stored overrides
    applied (services.app_settings), read from this library's document store."""
    base = settings if settings is not None else load_settings()
    records = overrides.pop("records", None) or _records(base)
    documents = overrides.pop("documents", None) or _documents(base)
    move_out_of_the_cache(documents, records)
    return build_services(effective_settings(base, records), records=records, documents=documents, **overrides)


def build_services(settings: Settings, **overrides: Any) -> Services:
    """Services for exactly `settings`; any port can be replaced by passing it by name (tests pass fakes). The queue
    is passed as a QueueFactory: a queue that runs tasks itself is made with this composition's runner."""
    runner = _Runner()
    queue_factory: QueueFactory | None = overrides.get("queue")
    parts: dict[str, Any] = {
        "documents": overrides.get("documents") or _documents(settings),
        "records": overrides.get("records") or _records(settings),
        "blobs": overrides.get("blobs") or _blobs(settings),
        "vectors": overrides.get("vectors") or _vectors(settings),
        "queue": queue_factory(runner) if queue_factory is not None else _queue(settings, runner),
        "embedder": overrides.get("embedder") or _embedder(settings),
        "users": overrides.get("users") or _users(settings),
        "limiter": overrides.get("limiter") or _limiter(settings),
        "chat_model": overrides.get("chat_model") or _chat_model(settings),
    }
    parts["analyzer"] = overrides.get("analyzer") or _analyzer(settings, parts["documents"])
    unknown = set(overrides) - set(parts)
    if unknown:
        raise TypeError(f"Unknown service overrides: {', '.join(sorted(unknown))}")
    services = Services(settings=settings, **parts)
    runner.services = services
    return services


class _Runner:
    """The worker's side of a queue that runs tasks in this process: runs them with the Services it belongs to,
    which exist only once the queue does (the one reference back, kept here in the composition root)."""

    services: Services | None = None

    def __call__(self, name: str, args: tuple[TaskArgument, ...]) -> None:
        if self.services is None:
            raise TaskError("Tasks cannot run before the services are built.")
        task_registry.run(self.services, name, args)


_process_services: tuple[int, Services] | None = None


def process_services() -> Services:
    """The Services of this worker process, opened on first use. RQ forks a work horse per job, so the pid is part
    of the key: a horse never uses connections made by its parent, and each job sees the current stored settings."""
    global _process_services
    if _process_services is None or _process_services[0] != os.getpid():
        _process_services = (os.getpid(), open_services())
    return _process_services[1]


def run_task(name: str, *args: TaskArgument) -> None:
    """What an RQ worker executes for every job (RQ_JOB_FUNCTION): the registered task, with this process's
    Services."""
    task_registry.run(process_services(), name, args)


def report_task_death(name: str, args: tuple[TaskArgument, ...], job_id: str, final: bool, cause: str) -> None:
    """What an RQ worker calls when a job's process died (see cortexreel.adapters.rq_worker)."""
    task_registry.report_death(process_services(), name, args, job_id=job_id, final=final, cause=cause)


def _documents(settings: Settings) -> DocumentStore:
    if settings.mongodb_uri is not None:
        from cortexreel.adapters.documents_mongo import MongoDocumentStore

        return MongoDocumentStore(settings.mongodb_uri.get_secret_value(), settings.mongodb_database)
    from cortexreel.adapters.documents_sqlite import SqliteDocumentStore

    return SqliteDocumentStore(settings.data_dir / "cortexreel.sqlite3")


def _records(settings: Settings) -> RecordStore:
    """Records live next to the documents: the same MongoDB database, or the same SQLite file."""
    if settings.mongodb_uri is not None:
        from cortexreel.adapters.records_mongo import MongoRecordStore

        return MongoRecordStore(settings.mongodb_uri.get_secret_value(), settings.mongodb_database)
    from cortexreel.adapters.records_sqlite import SqliteRecordStore

    return SqliteRecordStore(settings.data_dir / "cortexreel.sqlite3")


def _users(settings: Settings) -> UserStore:
    """Accounts live next to the documents: the same MongoDB database, or the same SQLite file."""
    if settings.mongodb_uri is not None:
        from cortexreel.adapters.users_mongo import MongoUserStore

        return MongoUserStore(settings.mongodb_uri.get_secret_value(), settings.mongodb_database)
    from cortexreel.adapters.users_sqlite import SqliteUserStore

    return SqliteUserStore(settings.data_dir / "cortexreel.sqlite3")


def _limiter(settings: Settings) -> RateLimiter:
    """Rate limits shared by every process through Redis when it is configured, else counted in this process."""
    if settings.redis_url is not None:
        from cortexreel.adapters.ratelimit_redis import RedisRateLimiter

        return RedisRateLimiter(settings.redis_url.get_secret_value())
    from cortexreel.adapters.ratelimit_memory import MemoryRateLimiter

    return MemoryRateLimiter()


def _blobs(settings: Settings) -> BlobStore:
    if settings.s3_endpoint is not None:
        from cortexreel.adapters.blobs_s3 import S3BlobStore

        secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else ""
        return S3BlobStore(
            settings.s3_endpoint,
            access_key=settings.s3_access_key or "",
            secret_key=secret,
            bucket=settings.s3_bucket,
            secure=settings.s3_secure,
            region=settings.s3_region,
        )
    from cortexreel.adapters.blobs_local import LocalBlobStore

    return LocalBlobStore(settings.data_dir / "files")


def _vectors(settings: Settings) -> VectorIndex:
    if settings.weaviate_url is not None:
        from cortexreel.adapters.vectors_weaviate import WeaviateVectorIndex

        api_key = settings.weaviate_api_key.get_secret_value() if settings.weaviate_api_key else None
        return WeaviateVectorIndex(settings.weaviate_url, grpc_port=settings.weaviate_grpc_port, api_key=api_key)
    from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex

    return EmbeddedVectorIndex(settings.data_dir / "vectors.sqlite3")


def _queue(settings: Settings, runner: TaskRunner) -> TaskQueue:
    if settings.redis_url is not None:
        from cortexreel.adapters.queue_rq import RqTaskQueue

        return RqTaskQueue(
            settings.redis_url.get_secret_value(),
            queue_name=settings.queue_names[0],
            job_function=RQ_JOB_FUNCTION,
            retries=settings.task_retries,
            job_timeout_seconds=settings.job_timeout_seconds,
        )
    from cortexreel.adapters.queue_inline import InlineTaskQueue

    return InlineTaskQueue(runner, workers=settings.inline_workers, retries=settings.task_retries)


def _embedder(settings: Settings) -> Embedder:
    if settings.embedding_backend == "openai":
        from cortexreel.adapters.embedder_openai import OpenAIEmbedder

        api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return OpenAIEmbedder(settings.openai_embedding_model, api_key=api_key, base_url=settings.llm_base_url)
    from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder

    return LocalMiniLmEmbedder()


def _chat_model(settings: Settings) -> BaseChatModel | None:
    """The model behind free-language chat (answers within a minute; the analyser has its own, slower one)."""
    if settings.llm_provider == "openai":
        from cortexreel.analysis.llm import build_chat_model

        return build_chat_model(settings, timeout_seconds=60)
    return None


def _analyzer(settings: Settings, documents: DocumentStore) -> Analyzer:
    if settings.llm_provider == "openai":
        from cortexreel.analysis.llm import LlmAnalyzer

        return LlmAnalyzer(settings, cache=documents)
    from cortexreel.analysis.offline import OfflineAnalyzer

    return OfflineAnalyzer()
