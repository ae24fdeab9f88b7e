"""What the MongoDB adapters share: one client (one connection pool) per server per process, and reachability."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from pymongo import MongoClient
from pymongo.database import Database
from pymongo.errors import DuplicateKeyError, PyMongoError

from cortexreel.config import redact_url
from cortexreel.errors import BackendUnavailableError

Document = dict[str, Any]
R = TypeVar("R")

_clients: dict[tuple[str, int, int], MongoClient[Document]] = {}
_clients_lock = threading.Lock()


def shared_client(uri: str, *, timeout_ms: int = 5000) -> MongoClient[Document]:
    """The process's client for `uri`. PyMongo wants one client per process: it pools connections and must not
    cross a fork, so clients are kept per process id. It connects on first use, never here."""
    key = (uri, timeout_ms, os.getpid())
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = MongoClient(uri, serverSelectionTimeoutMS=timeout_ms, connectTimeoutMS=timeout_ms, tz_aware=True)
            _clients[key] = client
        return client


def ping(client: MongoClient[Document], uri: str) -> None:
    try:
        client.admin.command("ping")
    except PyMongoError as error:
        raise BackendUnavailableError(
            f"The MongoDB server at {redact_url(uri)} is not reachable.", detail=str(error)
        ) from error


def close_client(uri: str, *, timeout_ms: int = 5000) -> None:
    """Close the process's client for `uri` (every adapter using it); the next `shared_client` opens a new one."""
    with _clients_lock:
        client = _clients.pop((uri, timeout_ms, os.getpid()), None)
    if client is not None:
        client.close()


class MongoAdapter:
    """Base of the MongoDB adapters: one database on the process's shared client, reachability and closing."""

    kind = "mongodb"

    def __init__(self, uri: str, database: str, *, timeout_ms: int = 5000) -> None:
        self._uri = uri
        self._database = database
        self._timeout_ms = timeout_ms

    @property
    def _client(self) -> MongoClient[Document]:
        # Looked up on every use, so a client closed by another adapter is replaced, not reused.
        return shared_client(self._uri, timeout_ms=self._timeout_ms)

    @property
    def _db(self) -> Database[Document]:
        return self._client[self._database]

    def describe(self) -> str:
        return f"{redact_url(self._uri)} (database {self._database})"

    def ping(self) -> None:
        ping(self._client, self._uri)

    def close(self) -> None:
        close_client(self._uri, timeout_ms=self._timeout_ms)


def guarded(call: Callable[[], R]) -> R:
    """Run `call`, turning a lost connection into BackendUnavailableError, which the UI and CLI explain (a duplicate
    key is the caller's to handle)."""
    try:
        return call()
    except DuplicateKeyError:
        raise
    except PyMongoError as error:
        raise BackendUnavailableError(
            "The MongoDB server cannot be reached; check CORTEXREEL_MONGODB_URI and that the server is up.",
            detail=str(error),
        ) from error
