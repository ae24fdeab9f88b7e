"""The Services container: one adapter per port, handed to every service function and task. It lives beside the
ports; which adapters fill it is decided by the composition root (cortexreel.bootstrap), which nothing below the
entry points imports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from cortexreel.config import Settings
from cortexreel.errors import CortexReelError
from cortexreel.ports import (
    Analyzer,
    BlobStore,
    DocumentStore,
    Embedder,
    RateLimiter,
    RecordStore,
    TaskQueue,
    UserStore,
    VectorIndex,
)

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel


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
    records: RecordStore
    blobs: BlobStore
    vectors: VectorIndex
    queue: TaskQueue
    embedder: Embedder
    analyzer: Analyzer
    users: UserStore
    limiter: RateLimiter
    # The model behind free-language chat, when an LLM provider is configured; None with the offline analyser.
    chat_model: BaseChatModel | None = None

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


def _first_line(text: str, limit: int = 200) -> str:
    return text.strip().splitlines()[0][:limit] if text.strip() else ""
