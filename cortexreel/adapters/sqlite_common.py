"""SQLite connections shared by the embedded adapters: one per thread and per process, in WAL mode."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cortexreel.errors import BackendUnavailableError


class SqliteConnections:
    """Connections to one SQLite file. sqlite3 connections must cross neither threads nor a fork, so each thread
    of each process gets its own; WAL and a busy timeout let the app and forked workers use the file at once."""

    def __init__(self, path: Path, schema: str, *, timeout_seconds: float = 30.0, what: str = "database") -> None:
        self.path = path
        self._schema = schema
        self._timeout = timeout_seconds
        self._what = what
        self._local = threading.local()
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    def connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None and getattr(self._local, "pid", None) == os.getpid():
            return connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(f"PRAGMA busy_timeout={int(self._timeout * 1000)}")
        with self._schema_lock:
            if not self._schema_ready:
                connection.executescript(self._schema)
                self._schema_ready = True
        self._local.connection = connection
        self._local.pid = os.getpid()
        return connection

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that takes the write lock up front, so concurrent writers queue instead of failing
        and check-then-write sequences are atomic."""
        connection = self.connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def ping(self) -> None:
        try:
            self.connection().execute("SELECT 1").fetchone()
        except sqlite3.Error as error:
            raise BackendUnavailableError(
                f"The embedded {self._what} at {self.path} cannot be opened.", detail=str(error)
            ) from error


class SqliteAdapter:
    """Base of the embedded adapters that keep their tables in the one SQLite file (`schema` creates them)."""

    kind = "sqlite"

    def __init__(self, path: Path, schema: str, *, timeout_seconds: float = 30.0) -> None:
        self.path = path
        self._db = SqliteConnections(path, schema, timeout_seconds=timeout_seconds, what="database")

    def describe(self) -> str:
        return str(self.path)

    def ping(self) -> None:
        self._db.ping()
