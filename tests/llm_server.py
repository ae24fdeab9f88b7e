"""A loopback OpenAI-compatible server for tests and benchmarks: `POST /v1/chat/completions` and `/v1/embeddings`.

Each request gets the next scripted `Reply` (then the default one, or a responder function's answer; for
embeddings, `embedding_for` of each input), after an optional sleep. The server records every request's path,
body and headers, and the most requests it had in flight at once, so tests can check prompts, model names, call
counts and the concurrency limit through the real openai client.
"""

from __future__ import annotations

import base64
import json
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.hashing import hashed_words

# A valid answer for the scene-analysis schema: a plain dict, so this module stays independent of the app.
SAMPLE_JUDGEMENT: dict[str, Any] = {
    "technical": {"shot_types": ["wide", "close-up"], "lighting": ["low-key practicals"]},
    "narrative": {
        "synopsis": "Edward waits alone in a diner.",
        "emotional_tone": "melancholy",
        "pacing": "slow",
        "conflict_level": 3,
        "themes": ["loneliness"],
        "emotions": {"tension": 2, "sadness": 6, "hope": 3},
    },
    "characters": [{"name": "EDWARD", "actions": ["sits alone"], "emotions": ["wistful"]}],
    "location": {"weather": "rain outside", "props": ["coffee cup"]},
    "safety": {"risk_level": "LOW"},
    "breakdown": {"props": [{"name": "wedding ring", "importance": "hero"}], "extras": ["waitress"]},
    "complexity": "low",
    # Quotes of tests.builders.make_scene: an item the model cannot quote the scene for is left out.
    "evidence": {
        "breakdown.props": {"wedding ring": "I caught the fish with my wedding ring."},
        "breakdown.extras": {"waitress": "Edward sits alone."},
    },
}


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a status, a JSON body or raw text, headers, and a delay before answering."""

    status: int = 200
    body: dict[str, Any] | None = None
    raw: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


@dataclass(frozen=True)
class Recorded:
    body: dict[str, Any]
    headers: dict[str, str]
    started: float
    path: str = "/v1/chat/completions"


def completion(
    content: str, *, prompt_tokens: int = 120, completion_tokens: int = 80, model: str = "test"
) -> dict[str, Any]:
    """A chat.completion body whose assistant message is `content`."""
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
                "logprobs": None,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def answer(data: object = None, *, delay: float = 0.0, prompt_tokens: int = 120, completion_tokens: int = 80) -> Reply:
    """A successful reply carrying `data` as JSON (the sample judgement by default)."""
    content = json.dumps(SAMPLE_JUDGEMENT if data is None else data)
    return Reply(
        body=completion(content, prompt_tokens=prompt_tokens, completion_tokens=completion_tokens), delay=delay
    )


def text_answer(content: str, *, delay: float = 0.0) -> Reply:
    """A successful reply whose content is arbitrary text (for malformed JSON)."""
    return Reply(body=completion(content), delay=delay)


def error(status: int, *, retry_after: str | None = None, delay: float = 0.0) -> Reply:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    body = {"error": {"message": f"scripted error {status}", "type": "server_error", "code": None, "param": None}}
    return Reply(status=status, body=body, headers=headers, delay=delay)


EMBEDDING_DIMENSION = 1536  # what text-embedding-3-small returns


def embedding_for(text: str, dimension: int = EMBEDDING_DIMENSION) -> list[float]:
    """The server's embedding of `text`: unit length, and close for texts sharing words (as a real model's vectors
    are close for texts sharing meaning, which is all the tests need)."""
    return hashed_words(text, dimension)


def embeddings(body: dict[str, Any], dimension: int) -> Reply:
    """An embeddings reply for the request, in the encoding it asked for (the openai client asks for base64)."""
    texts = body.get("input", [])
    texts = [texts] if isinstance(texts, str) else texts
    size = int(body.get("dimensions") or dimension)
    data = []
    for index, text in enumerate(texts):
        vector = embedding_for(str(text), size)
        encoded: Any = vector
        if body.get("encoding_format") == "base64":
            encoded = base64.b64encode(struct.pack(f"<{size}f", *vector)).decode()
        data.append({"object": "embedding", "index": index, "embedding": encoded})
    usage = {"prompt_tokens": len(texts), "total_tokens": len(texts)}
    return Reply(body={"object": "list", "data": data, "model": body.get("model", "test"), "usage": usage})


Responder = Callable[[dict[str, Any]], Reply]
CHAT_PATH = "/v1/chat/completions"
EMBEDDINGS_PATH = "/v1/embeddings"


class LlmServer:
    """The server; use `with LlmServer() as server:` and point a client at `server.base_url`."""

    def __init__(
        self,
        default: Reply | Responder | None = None,
        *,
        sleep: float = 0.0,
        embedding_dimension: int = EMBEDDING_DIMENSION,
    ) -> None:
        self._default: Reply | Responder = default if default is not None else answer()
        self._sleep = sleep
        self.embedding_dimension = embedding_dimension
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_in_flight = 0
        self.requests: list[Recorded] = []
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="llm-server", daemon=True
        )

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue replies for the next requests, in order; after them the default answers."""
        with self._lock:
            self._script.extend(replies)

    @property
    def calls(self) -> int:
        with self._lock:
            return len(self.requests)

    def prompts(self) -> list[str]:
        """Every message content of every request, joined per request."""
        with self._lock:
            bodies = [recorded.body for recorded in self.requests]
        return ["\n".join(str(message.get("content", "")) for message in body.get("messages", [])) for body in bodies]

    def start(self) -> LlmServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> LlmServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _begin(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(Recorded(body=body, headers=headers, started=time.monotonic(), path=path))
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
            if self._script:
                return self._script.popleft()
        if path == EMBEDDINGS_PATH:
            return embeddings(body, self.embedding_dimension)
        return self._default(body) if callable(self._default) else self._default

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1


def _handler_for(server: LlmServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server naming
            length = int(self.headers.get("Content-Length") or 0)
            payload = self.rfile.read(length)
            path = self.path.rstrip("/")
            if path not in (CHAT_PATH, EMBEDDINGS_PATH):
                self._send(Reply(status=404, body={"error": {"message": "not found"}}))
                return
            try:
                body = json.loads(payload or b"{}")
            except json.JSONDecodeError:
                self._send(Reply(status=400, body={"error": {"message": "request body is not JSON"}}))
                return
            reply = server._begin(path, body, {key.lower(): value for key, value in self.headers.items()})
            try:
                time.sleep(server._sleep + reply.delay)
                self._send(reply)
            except OSError:
                pass  # the client gave up (a timeout test); nothing to answer
            finally:
                server._end()

        def _send(self, reply: Reply) -> None:
            data = reply.raw.encode() if reply.raw is not None else json.dumps(reply.body or {}).encode()
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the http.server signature
            return None

    return Handler


@contextmanager
def running(
    default: Reply | Responder | None = None, *, sleep: float = 0.0, embedding_dimension: int = EMBEDDING_DIMENSION
) -> Iterator[LlmServer]:
    """A started server, stopped on exit."""
    server = LlmServer(default, sleep=sleep, embedding_dimension=embedding_dimension)
    with server:
        yield server
