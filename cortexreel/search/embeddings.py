"""Embedding helpers over the Embedder port: a cache by (text hash, model) and a LangChain `Embeddings` view.

The cache lives in the DocumentStore (`get_cached`/`put_cached`), so re-indexing a script, re-embedding an
edited scene whose text did not change, or a repeated query costs a lookup instead of a model run. Vectors are
stored as base64 float32, about 2 KB for 384 dimensions.
"""

from __future__ import annotations

import array
import base64
import hashlib
from collections.abc import Sequence
from typing import Any, Protocol

from langchain_core.embeddings import Embeddings

from cortexreel.ports import Embedder

CACHE_NAMESPACE = "embeddings"


class EmbeddingCache(Protocol):
    def get_cached(self, namespace: str, key: str) -> dict[str, Any] | None: ...

    def put_cached(self, namespace: str, key: str, value: dict[str, Any]) -> None: ...


def cache_key(text: str, model: str) -> str:
    return f"{model}:{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def encode_vector(vector: Sequence[float]) -> str:
    return base64.b64encode(array.array("f", vector).tobytes()).decode("ascii")


def decode_vector(encoded: str) -> list[float]:
    values = array.array("f")
    values.frombytes(base64.b64decode(encoded))
    return values.tolist()


class CachedEmbedder:
    """An Embedder that asks `inner` only for texts it has not embedded before with the same model."""

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache
        self.model_name = inner.model_name
        self.dimension = inner.dimension

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        found: dict[int, list[float]] = {}
        missing: list[int] = []
        for i, text in enumerate(texts):
            cached = self.cache.get_cached(CACHE_NAMESPACE, cache_key(text, self.model_name))
            if cached is not None and isinstance(cached.get("vector"), str):
                found[i] = decode_vector(cached["vector"])
            else:
                missing.append(i)
        if missing:
            fresh = self.inner.embed_documents([texts[i] for i in missing])
            for i, vector in zip(missing, fresh, strict=True):
                self.cache.put_cached(
                    CACHE_NAMESPACE, cache_key(texts[i], self.model_name), {"vector": encode_vector(vector)}
                )
                found[i] = vector
        return [found[i] for i in range(len(texts))]

    def embed_query(self, text: str) -> list[float]:
        # Both embedders behind the port embed a query exactly like a document, so the cache is shared.
        return self.embed_documents([text])[0]


class PortEmbeddings(Embeddings):
    """Any Embedder as a LangChain `Embeddings`, for LangChain retrievers and vector stores (chat retrieval)."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text)
