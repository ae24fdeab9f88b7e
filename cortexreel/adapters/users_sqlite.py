"""UserStore on the embedded SQLite file (the same file as the documents, table `users`).

Like the document store: WAL mode and a busy timeout so the app, the CLI and workers share the file, and one
connection per thread (and per forked process).
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from cortexreel.domain.users import User, with_changes
from cortexreel.errors import BackendUnavailableError, ConflictError, NotFoundError

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    login TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);
"""


class SqliteUserStore:
    kind = "sqlite"

    def __init__(self, path: Path, *, timeout_seconds: float = 30.0) -> None:
        self.path = path
        self._timeout = timeout_seconds
        self._local = threading.local()
        self._schema_ready = False
        self._schema_lock = threading.Lock()

    def describe(self) -> str:
        return str(self.path)

    def ping(self) -> None:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error as error:
            raise BackendUnavailableError(
                f"The embedded database at {self.path} cannot be opened.", detail=str(error)
            ) from error

    def _connection(self) -> sqlite3.Connection:
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
                connection.executescript(SCHEMA)
                self._schema_ready = True
        self._local.connection = connection
        self._local.pid = os.getpid()
        return connection

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from the start, so check-then-insert is atomic."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def add_user(self, user: User) -> None:
        with self._transaction() as db:
            self._insert(db, user)

    def add_first_user(self, user: User) -> None:
        with self._transaction() as db:
            if db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
                raise ConflictError("An account already exists; ask an admin to create yours.")
            self._insert(db, user)

    def get_user(self, login: str) -> User | None:
        row = self._connection().execute("SELECT doc FROM users WHERE login = ?", (login,)).fetchone()
        return User.model_validate_json(row[0]) if row else None

    def list_users(self) -> list[User]:
        rows = self._connection().execute("SELECT doc FROM users ORDER BY login").fetchall()
        return [User.model_validate_json(row[0]) for row in rows]

    def count_users(self) -> int:
        row = self._connection().execute("SELECT COUNT(*) FROM users").fetchone()
        return int(row[0])

    def update_user(self, login: str, **changes: object) -> User:
        with self._transaction() as db:
            row = db.execute("SELECT doc FROM users WHERE login = ?", (login,)).fetchone()
            if row is None:
                raise NotFoundError(f"There is no user {login}.")
            user = with_changes(User.model_validate_json(row[0]), changes)
            db.execute("UPDATE users SET doc = ? WHERE login = ?", (user.model_dump_json(), login))
        return user

    @staticmethod
    def _insert(db: sqlite3.Connection, user: User) -> None:
        try:
            db.execute("INSERT INTO users (login, doc) VALUES (?, ?)", (user.login, user.model_dump_json()))
        except sqlite3.IntegrityError:
            raise ConflictError(f"The login {user.login} is taken.") from None
