"""The embedding cache, the LangChain view of the Embedder port, and the OpenAI embedder over a loopback server."""

from __future__ import annotations

import base64
import json
import struct
import threading
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from langchain_core.embeddings import Embeddings

from cortexreel.adapters.embedder_openai import OpenAIEmbedder
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.errors import BackendUnavailableError
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


class _EmbeddingServer(BaseHTTPRequestHandler):
    requests: list[dict[str, Any]] = []
    fail = False

    def do_POST(self) -> None:  # noqa: N802 - the http.server API
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if type(self).fail:
            self.send_response(503)
            self.end_headers()
            return
        data = []
        for i, text in enumerate(body["input"]):
            vector = [float(len(text)), 1.0, 0.0]
            encoded: Any = vector
            if body.get("encoding_format") == "base64":
                encoded = base64.b64encode(struct.pack("<3f", *vector)).decode()
            data.append({"object": "embedding", "index": i, "embedding": encoded})
        payload = {
            "object": "list",
            "data": data,
            "model": body["model"],
            "usage": {"prompt_tokens": 1, "total_tokens": 1},
        }
        raw = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: object) -> None:
        return None


@pytest.fixture
def embedding_server() -> Iterator[str]:
    _EmbeddingServer.requests = []
    _EmbeddingServer.fail = False
    server = ThreadingHTTPServer(("127.0.0.1", 0), _EmbeddingServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()


def test_openai_embedder_sends_texts_to_the_configured_server(embedding_server: str, settings: Settings) -> None:
    configured = settings.model_copy(
        update={"embedding_backend": "openai", "llm_base_url": embedding_server, "openai_embedding_model": "emb-x"}
    )
    embedder = build_services(configured).embedder
    assert isinstance(embedder, OpenAIEmbedder)
    assert _EmbeddingServer.requests == []  # building connects to nothing
    assert embedder.embed_documents(["abc", "hello"]) == [[3.0, 1.0, 0.0], [5.0, 1.0, 0.0]]
    assert embedder.embed_query("four") == [4.0, 1.0, 0.0]
    assert embedder.embed_documents([]) == []
    first = _EmbeddingServer.requests[0]
    assert first["path"] == "/v1/embeddings"
    assert first["body"]["model"] == "emb-x"
    assert first["body"]["input"] == ["abc", "hello"]  # texts, not tiktoken ids


def test_openai_embedder_failure_is_explained(embedding_server: str) -> None:
    _EmbeddingServer.fail = True
    embedder = OpenAIEmbedder("text-embedding-3-small", api_key="sk-test", base_url=embedding_server, max_retries=0)
    assert embedder.dimension == 1536
    with pytest.raises(BackendUnavailableError, match="text-embedding-3-small"):
        embedder.embed_query("x")
    assert _EmbeddingServer.requests[0]["auth"] == "Bearer sk-test"
