"""The Embedder contract, run on the packaged MiniLM model, the OpenAI embedder (against the loopback server, and
against OpenAI itself when CORTEXREEL_TEST_OPENAI_API_KEY is set), the test fake and the embedding cache."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterator

import pytest

from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder
from cortexreel.adapters.embedder_openai import OpenAIEmbedder
from cortexreel.ports import Embedder
from cortexreel.search.embeddings import CachedEmbedder
from tests.fakes import HashingEmbedder, InMemoryDocumentStore
from tests.llm_server import LlmServer, running

ADAPTERS = ["minilm", "openai-server", "openai", "hashing", "cached"]

# Float noise between a batch and single texts (padding, float32 storage) stays far below this.
TOLERANCE = 1e-4

ODD_TEXTS = [
    "",
    " ",
    "\x00\x01",
    "Zażółć gęślą jaźń — «cytat» ½ №",
    "映画の撮影 🎬🎥 ",
    "שלום עולם مرحبا بالعالم",
    "INT. DINER - NIGHT\n\nEDWARD\n(quietly)\nI caught the fish.",
    "word " * 20_000,  # far longer than any model reads
]


@pytest.fixture(scope="module")
def loopback() -> Iterator[LlmServer]:
    with running() as server:
        yield server


@pytest.fixture(scope="module", params=ADAPTERS)
def make_embedder(request: pytest.FixtureRequest) -> Callable[[], Embedder]:
    """How to make a fresh embedder of the kind under test (a second one must agree with the first)."""
    kind = request.param
    if kind == "minilm":
        return LocalMiniLmEmbedder
    if kind == "openai-server":
        server: LlmServer = request.getfixturevalue("loopback")
        return lambda: OpenAIEmbedder(base_url=server.base_url, max_retries=0)
    if kind == "openai":
        key = os.environ.get("CORTEXREEL_TEST_OPENAI_API_KEY", "")
        if not key:
            pytest.skip("OpenAI embedder contract run skipped: set CORTEXREEL_TEST_OPENAI_API_KEY to run it for real")
        return lambda: OpenAIEmbedder(api_key=key)
    if kind == "hashing":
        return HashingEmbedder
    store = InMemoryDocumentStore()
    return lambda: CachedEmbedder(HashingEmbedder(), store)


@pytest.fixture(scope="module")
def embedder(make_embedder: Callable[[], Embedder]) -> Embedder:
    return make_embedder()


def close(a: list[float], b: list[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) <= TOLERANCE for x, y in zip(a, b, strict=True))


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_it_names_its_model_and_dimension(embedder: Embedder) -> None:
    assert isinstance(embedder.model_name, str) and embedder.model_name.strip()
    assert isinstance(embedder.dimension, int) and embedder.dimension > 0


def test_every_text_gets_a_finite_unit_vector_of_the_dimension(embedder: Embedder) -> None:
    vectors = embedder.embed_documents(ODD_TEXTS)
    assert len(vectors) == len(ODD_TEXTS)
    for text, vector in zip(ODD_TEXTS, vectors, strict=True):
        assert len(vector) == embedder.dimension, text[:30]
        assert all(isinstance(x, float) and math.isfinite(x) for x in vector), text[:30]
        assert math.sqrt(sum(x * x for x in vector)) == pytest.approx(1.0, abs=1e-3), text[:30]


def test_no_texts_give_no_vectors(embedder: Embedder) -> None:
    assert embedder.embed_documents([]) == []


def test_a_batch_equals_the_texts_one_by_one_in_order(embedder: Embedder) -> None:
    texts = ["A car chase at night.", "Pancakes for breakfast.", "", "A car chase at night.", "映画 🎬"]
    batch = embedder.embed_documents(texts)
    backwards = embedder.embed_documents(list(reversed(texts)))
    for text, in_batch, reversed_batch in zip(texts, batch, reversed(backwards), strict=True):
        alone = embedder.embed_query(text)
        assert close(in_batch, alone), text
        assert close(reversed_batch, alone), text
        assert close(embedder.embed_documents([text])[0], alone), text


def test_the_same_text_gives_the_same_vector_every_time_and_in_every_instance(
    embedder: Embedder, make_embedder: Callable[[], Embedder]
) -> None:
    """Vectors are cached by (text, model name) and indexed by one process for queries from another."""
    texts = ["The river floods the town.", "Zażółć gęślą jaźń", ""]
    first = embedder.embed_documents(texts)
    again = embedder.embed_documents(texts)
    other = make_embedder()
    assert other.model_name == embedder.model_name and other.dimension == embedder.dimension
    elsewhere = other.embed_documents(texts)
    for text, a, b, c in zip(texts, first, again, elsewhere, strict=True):
        assert close(a, b) and close(a, c), text


def test_texts_alike_are_closer_than_texts_apart(embedder: Embedder) -> None:
    chase, race, recipe = embedder.embed_documents(
        [
            "A car chase through the city at night, tyres screeching.",
            "Cars race through the city at night, police sirens wailing.",
            "She whisks eggs and flour into a smooth batter for pancakes.",
        ]
    )
    assert cosine(chase, race) > cosine(chase, recipe) + 0.1
    assert not close(chase, recipe)
