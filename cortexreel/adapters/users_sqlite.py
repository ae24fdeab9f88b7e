"""UserStore on the embedded SQLite file (the same file as the documents, table `users`).

Like the document store: WAL mode and a busy timeout so the app, the CLI and workers share the file, and one
connection per thread (and per forked process).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from cortexreel.adapters.sqlite_common import SqliteAdapter
from cortexreel.domain.users import User, with_changes
from cortexreel.errors import ConflictError, NotFoundError

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    login TEXT PRIMARY KEY,
    doc TEXT NOT NULL
);
"""


class SqliteUserStore(SqliteAdapter):
    def __init__(self, path: Path, *, timeout_seconds: float = 30.0) -> None:
        super().__init__(path, SCHEMA, timeout_seconds=timeout_seconds)

    def add_user(self, user: User) -> None:
        with self._db.transaction() as db:
            self._insert(db, user)

    def add_first_user(self, user: User) -> None:
        with self._db.transaction() as db:
            if db.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
                raise ConflictError("An account already exists; ask an admin to create yours.")
            self._insert(db, user)

    def get_user(self, login: str) -> User | None:
        row = self._db.connection().execute("SELECT doc FROM users WHERE login = ?", (login,)).fetchone()
        return User.model_validate_json(row[0]) if row else None

    def list_users(self) -> list[User]:
        rows = self._db.connection().execute("SELECT doc FROM users ORDER BY login").fetchall()
        return [User.model_validate_json(row[0]) for row in rows]

    def count_users(self) -> int:
        row = self._db.connection().execute("SELECT COUNT(*) FROM users").fetchone()
        return int(row[0])

    def update_user(self, login: str, **changes: object) -> User:
        with self._db.transaction() as db:
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
