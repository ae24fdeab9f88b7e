"""The embedding cache and the LangChain view of the Embedder port (the OpenAI embedder over a loopback server:
tests/integration/test_embedder_openai.py)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from langchain_core.embeddings import Embeddings

from cortexreel.search.embeddings import (
    CACHE_NAMESPACE,
    CachedEmbedder,
    PortEmbeddings,
    cache_key,
    decode_vector,
    encode_vector,
)
from tests.fakes import HashingEmbedder, InMemoryDocumentStore


class CountingEmbedder(HashingEmbedder):
    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return super().embed_documents(texts)


def test_cache_embeds_each_text_once_per_model() -> None:
    inner, store = CountingEmbedder(), InMemoryDocumentStore()
    cached = CachedEmbedder(inner, store)
    first = cached.embed_documents(["a car chase", "a quiet diner"])
    again = cached.embed_documents(["a quiet diner", "a river", "a car chase"])
    assert inner.calls == [["a car chase", "a quiet diner"], ["a river"]]
    assert again[0] == pytest.approx(first[1]) and again[2] == pytest.approx(first[0])
    assert cached.embed_query("a river") == pytest.approx(again[1])
    assert len(inner.calls) == 2
    assert store.get_cached(CACHE_NAMESPACE, cache_key("a river", "hashing-test")) is not None
    other_model = CountingEmbedder()
    other_model.model_name = "another-model"
    CachedEmbedder(other_model, store).embed_documents(["a river"])
    assert other_model.calls == [["a river"]]


def test_vectors_survive_encoding() -> None:
    vector = [0.25, -1.5, 3.0e-3]
    assert decode_vector(encode_vector(vector)) == pytest.approx(vector)


def test_port_embeddings_is_a_langchain_embeddings() -> None:
    embeddings = PortEmbeddings(HashingEmbedder())
    assert isinstance(embeddings, Embeddings)
    assert embeddings.embed_query("fish") == HashingEmbedder().embed_query("fish")
    assert len(embeddings.embed_documents(["a", "b"])) == 2
