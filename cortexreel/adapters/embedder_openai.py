"""Embedder on OpenAI embeddings (`text-embedding-3-small` by default) through langchain-openai.

`CORTEXREEL_LLM_BASE_URL` points it at any OpenAI-compatible server (Ollama, vLLM, LM Studio). The client is
built on first use. Texts are sent as text, not as tiktoken token ids: our chunks are far below the model's
input limit, and token ids would need tiktoken's encoding files (a download) and are not understood by most
compatible servers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from cortexreel.errors import BackendUnavailableError, ConfigurationError

if TYPE_CHECKING:
    from langchain_openai import OpenAIEmbeddings

DEFAULT_MODEL = "text-embedding-3-small"
# OpenAI reads at most 8191 tokens of a text and refuses a longer one; a token is at least one UTF-8 byte, so this
# many bytes always fit. Our chunks are far shorter; a long query keeps its beginning, as the local model does.
MAX_INPUT_BYTES = 8000
KNOWN_DIMENSIONS = {"text-embedding-3-small": 1536, "text-embedding-3-large": 3072, "text-embedding-ada-002": 1536}


class OpenAIEmbedder:
    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        *,
        api_key: str | None = None,
        base_url: str | None = None,
        dimension: int | None = None,
        max_retries: int = 3,
        timeout_seconds: float = 60.0,
    ) -> None:
        self.model_name = model
        self.dimension = dimension or KNOWN_DIMENSIONS.get(model, 1536)
        self._api_key = api_key
        self._base_url = base_url
        self._max_retries = max_retries
        self._timeout = timeout_seconds
        self._client: OpenAIEmbeddings | None = None
        self._lock = threading.Lock()

    def langchain(self) -> OpenAIEmbeddings:
        """The underlying LangChain `Embeddings`, built on first use."""
        with self._lock:
            if self._client is None:
                from langchain_openai import OpenAIEmbeddings
                from pydantic import SecretStr

                self._client = OpenAIEmbeddings(
                    model=self.model_name,
                    # A local compatible server needs no key, but the client insists on one.
                    openai_api_key=SecretStr(self._api_key or "not-needed"),
                    openai_api_base=self._base_url,
                    check_embedding_ctx_length=False,
                    max_retries=self._max_retries,
                    request_timeout=self._timeout,
                )
            return self._client

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._call(lambda: self.langchain().embed_documents([_sendable(text) for text in texts]))

    def embed_query(self, text: str) -> list[float]:
        return self._call(lambda: [self.langchain().embed_query(_sendable(text))])[0]

    def _call(self, run: Callable[[], list[list[float]]]) -> list[list[float]]:
        import openai

        try:
            vectors = [[float(x) for x in vector] for vector in run()]
        except openai.AuthenticationError as error:
            raise ConfigurationError(
                "The embedding server refused the API key; check OPENAI_API_KEY.", detail=str(error)
            ) from error
        except openai.OpenAIError as error:
            where = self._base_url or "OpenAI"
            raise BackendUnavailableError(
                f"Embedding with {self.model_name} at {where} failed.", detail=str(error)
            ) from error
        wrong = next((len(vector) for vector in vectors if len(vector) != self.dimension), None)
        if wrong is not None:
            # Vectors of another length would be refused by the search index much later, or mixed with others.
            raise ConfigurationError(
                f"The embedding model {self.model_name} returned {wrong} numbers per text, not the "
                f"{self.dimension} expected; choose a model with {self.dimension} dimensions "
                "(CORTEXREEL_OPENAI_EMBEDDING_MODEL)."
            )
        return vectors


def _sendable(text: str) -> str:
    """The text as the API accepts it: at most MAX_INPUT_BYTES, and not empty (which OpenAI refuses)."""
    cut = text.encode("utf-8")[:MAX_INPUT_BYTES].decode("utf-8", errors="ignore")
    return cut or " "
