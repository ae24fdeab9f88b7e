"""The composition root: the one place that reads Settings and chooses an adapter for every port.

Building is cheap and connects to nothing; each adapter connects on first use.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import Any

from cortexreel.config import Settings
from cortexreel.errors import CortexReelError
from cortexreel.ports import (
    Analyzer,
    BlobStore,
    DocumentStore,
    Embedder,
    RateLimiter,
    TaskQueue,
    UserStore,
    VectorIndex,
)


@dataclass(frozen=True)
class BackendHealth:
    port: str
    adapter: str
    target: str
    server: bool
    ok: bool
    detail: str = ""


@dataclass
class Services:
    settings: Settings
    documents: DocumentStore
    blobs: BlobStore
    vectors: VectorIndex
    queue: TaskQueue
    embedder: Embedder
    analyzer: Analyzer
    users: UserStore
    limiter: RateLimiter

    def health(self) -> list[BackendHealth]:
        """Reachability of every backend, checked now."""
        servers = self.settings.uses_servers
        report = []
        for port, backend in (
            ("documents", self.documents),
            ("blobs", self.blobs),
            ("vectors", self.vectors),
            ("tasks", self.queue),
            ("users", self.users),
            ("rate limits", self.limiter),
        ):
            try:
                backend.ping()
            except CortexReelError as error:
                reason = error.message if not error.detail else f"{error.message} ({_first_line(error.detail)})"
                report.append(BackendHealth(port, backend.kind, backend.describe(), servers[port], False, reason))
            else:
                report.append(BackendHealth(port, backend.kind, backend.describe(), servers[port], True))
        report.append(
            BackendHealth(
                "embedder",
                self.settings.embedding_backend,
                f"{self.embedder.model_name} ({self.embedder.dimension} dimensions)",
                self.settings.embedding_backend != "local",
                True,
            )
        )
        analyser = self.analyzer.info
        report.append(
            BackendHealth(
                "analyzer",
                analyser.name,
                analyser.model or f"version {analyser.version}",
                self.settings.llm_provider != "offline",
                True,
            )
        )
        return report


def tune_garbage_collector() -> None:
    """For long-running processes (the app, workers). Reading scenes allocates many small objects, and at
    CPython's default thresholds the cyclic collector then makes full passes over the whole heap every few reads:
    a 200-scene read measured 9 ms at the median but 60 ms at p95. Collecting later, with what start-up loaded
    frozen out of the passes, keeps the tail at ~10 ms (bench/ui_reads.py)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 50, 100)


def _first_line(text: str, limit: int = 200) -> str:
    return text.strip().splitlines()[0][:limit] if text.strip() else ""


def build_services(settings: Settings, **overrides: Any) -> Services:
    """Services for `settings`; any port can be replaced by passing it by name (tests pass fakes)."""
    parts: dict[str, Any] = {
        "documents": overrides.get("documents") or _documents(settings),
        "blobs": overrides.get("blobs") or _blobs(settings),
        "vectors": overrides.get("vectors") or _vectors(settings),
        "queue": overrides.get("queue") or _queue(settings),
        "embedder": overrides.get("embedder") or _embedder(settings),
        "users": overrides.get("users") or _users(settings),
        "limiter": overrides.get("limiter") or _limiter(settings),
    }
    parts["analyzer"] = overrides.get("analyzer") or _analyzer(settings, parts["documents"])
    unknown = set(overrides) - set(parts)
    if unknown:
        raise TypeError(f"Unknown service overrides: {', '.join(sorted(unknown))}")
    services = Services(settings=settings, **parts)
    bind = getattr(services.queue, "bind", None)
    if callable(bind):
        bind(services)
    return services


def _documents(settings: Settings) -> DocumentStore:
    if settings.mongodb_uri is not None:
        from cortexreel.adapters.documents_mongo import MongoDocumentStore

        return MongoDocumentStore(settings.mongodb_uri.get_secret_value(), settings.mongodb_database)
    from cortexreel.adapters.documents_sqlite import SqliteDocumentStore

    return SqliteDocumentStore(settings.data_dir / "cortexreel.sqlite3")


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


def _queue(settings: Settings) -> TaskQueue:
    if settings.redis_url is not None:
        from cortexreel.adapters.queue_rq import RqTaskQueue

        return RqTaskQueue(
            settings.redis_url.get_secret_value(),
            queue_name=settings.queue_names[0],
            retries=settings.task_retries,
            job_timeout_seconds=settings.job_timeout_seconds,
        )
    from cortexreel.adapters.queue_inline import InlineTaskQueue

    return InlineTaskQueue(workers=settings.inline_workers, retries=settings.task_retries)


def _embedder(settings: Settings) -> Embedder:
    if settings.embedding_backend == "openai":
        from cortexreel.adapters.embedder_openai import OpenAIEmbedder

        api_key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else None
        return OpenAIEmbedder(settings.openai_embedding_model, api_key=api_key, base_url=settings.llm_base_url)
    from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder

    return LocalMiniLmEmbedder()


def _analyzer(settings: Settings, documents: DocumentStore) -> Analyzer:
    if settings.llm_provider == "openai":
        from cortexreel.analysis.llm import LlmAnalyzer

        return LlmAnalyzer(settings, cache=documents)
    from cortexreel.analysis.offline import OfflineAnalyzer

    return OfflineAnalyzer()
