"""The OpenAI embedder through the real openai client against the loopback server: what it sends, what it returns,
and a failure explained."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cortexreel.adapters.embedder_openai import MAX_INPUT_BYTES, OpenAIEmbedder
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.errors import BackendUnavailableError, ConfigurationError
from tests.llm_server import EMBEDDINGS_PATH, LlmServer, embedding_for, error, running


@pytest.fixture
def server() -> Iterator[LlmServer]:
    with running() as llm:
        yield llm


def test_openai_embedder_sends_texts_to_the_configured_server(server: LlmServer, settings: Settings) -> None:
    configured = settings.model_copy(
        update={"embedding_backend": "openai", "llm_base_url": server.base_url, "openai_embedding_model": "emb-x"}
    )
    embedder = build_services(configured).embedder
    assert isinstance(embedder, OpenAIEmbedder)
    assert server.calls == 0  # building connects to nothing
    first, second = embedder.embed_documents(["abc", "hello"])
    assert first == pytest.approx(embedding_for("abc")) and second == pytest.approx(embedding_for("hello"))
    assert embedder.embed_query("four") == pytest.approx(embedding_for("four"))
    assert embedder.embed_documents([]) == []
    request = server.requests[0]
    assert request.path == EMBEDDINGS_PATH
    assert request.body["model"] == "emb-x"
    assert request.body["input"] == ["abc", "hello"]  # texts, not tiktoken ids
    assert server.calls == 2


def test_openai_embedder_failure_is_explained(server: LlmServer) -> None:
    server.script(error(503))
    embedder = OpenAIEmbedder("text-embedding-3-small", api_key="sk-test", base_url=server.base_url, max_retries=0)
    assert embedder.dimension == 1536
    with pytest.raises(BackendUnavailableError, match="text-embedding-3-small"):
        embedder.embed_query("x")
    assert server.requests[0].headers["authorization"] == "Bearer sk-test"


def test_texts_are_sent_as_the_api_accepts_them(server: LlmServer) -> None:
    embedder = OpenAIEmbedder(base_url=server.base_url, max_retries=0)
    long_text = "ż" * 10_000  # 20,000 bytes
    embedder.embed_documents(["", long_text])
    sent = server.requests[0].body["input"]
    assert sent[0] == " "  # OpenAI refuses an empty text
    assert sent[1] == "ż" * (MAX_INPUT_BYTES // 2)  # cut on a character boundary, within OpenAI's input limit


def test_vectors_of_another_dimension_are_a_configuration_error() -> None:
    with running(embedding_dimension=8) as small:
        embedder = OpenAIEmbedder("nomic-embed-text", base_url=small.base_url, max_retries=0)
        with pytest.raises(ConfigurationError, match="returned 8 numbers per text, not the 1536 expected"):
            embedder.embed_documents(["a river"])
