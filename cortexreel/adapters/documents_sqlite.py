"""DocumentStore on an SQLite file: the embedded default.

Each collection is a table of JSON documents with the fields we query on as columns. WAL mode and a busy
timeout let the app and several forked workers use one file at once; each thread (and each forked process)
gets its own connection because sqlite3 connections must not cross either.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from cortexreel.adapters.documents_common import (
    PARSE_FIELDS,
    apply_script_changes,
    check_entry,
    check_schedule,
    schedule_conflict,
    with_message_added,
    with_message_changed,
)
from cortexreel.adapters.sqlite_common import SqliteAdapter
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.scenes import Scene, SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.errors import ConflictError, NotFoundError
from cortexreel.ports import CachedValue

SCHEMA = """
CREATE TABLE IF NOT EXISTS scripts (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    created_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS script_members (
    script_id TEXT NOT NULL,
    login TEXT NOT NULL,
    PRIMARY KEY (script_id, login)
);
CREATE TABLE IF NOT EXISTS scenes (
    id TEXT PRIMARY KEY,
    script_id TEXT NOT NULL,
    number INTEGER NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    UNIQUE (script_id, number)
);
CREATE TABLE IF NOT EXISTS scene_versions (
    scene_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    script_id TEXT NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (scene_id, version)
);
CREATE INDEX IF NOT EXISTS scene_versions_script ON scene_versions (script_id);
CREATE TABLE IF NOT EXISTS chat_sessions (
    id TEXT PRIMARY KEY,
    script_id TEXT NOT NULL,
    user TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chat_sessions_script_user ON chat_sessions (script_id, user);
CREATE TABLE IF NOT EXISTS schedules (
    script_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    doc TEXT NOT NULL,
    PRIMARY KEY (script_id, version)
);
CREATE TABLE IF NOT EXISTS cache (
    namespace TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (namespace, key)
);
"""


# Rows fetched per round when streaming a large result.
FETCH_ROWS = 500


class SqliteDocumentStore(SqliteAdapter):
    def __init__(self, path: Path, *, timeout_seconds: float = 30.0) -> None:
        super().__init__(path, SCHEMA, timeout_seconds=timeout_seconds)

    # Scripts -----------------------------------------------------------------------------------------

    def add_script(self, script: Script) -> None:
        try:
            with self._db.transaction() as db:
                db.execute(
                    "INSERT INTO scripts (id, owner, created_at, doc) VALUES (?, ?, ?, ?)",
                    (script.id, script.owner, script.created_at.isoformat(), _dump(script)),
                )
                _write_members(db, script)
        except sqlite3.IntegrityError as error:
            raise ConflictError(f"A script with id {script.id} already exists.") from error

    def get_script(self, script_id: str) -> Script | None:
        row = self._db.connection().execute("SELECT doc FROM scripts WHERE id = ?", (script_id,)).fetchone()
        return Script.model_validate_json(row[0]) if row else None

    def list_scripts(self, *, visible_to: str | None = None) -> list[Script]:
        db = self._db.connection()
        if visible_to is None:
            rows = db.execute("SELECT doc FROM scripts ORDER BY created_at DESC, id").fetchall()
        else:
            rows = db.execute(
                "SELECT doc FROM scripts WHERE owner = ? OR id IN "
                "(SELECT script_id FROM script_members WHERE login = ?) ORDER BY created_at DESC, id",
                (visible_to, visible_to),
            ).fetchall()
        return [Script.model_validate_json(row[0]) for row in rows]

    def update_script(self, script_id: str, **changes: object) -> Script:
        with self._db.transaction() as db:
            row = db.execute("SELECT doc FROM scripts WHERE id = ?", (script_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"Script {script_id} does not exist.")
            script = apply_script_changes(Script.model_validate_json(row[0]), changes)
            db.execute("UPDATE scripts SET owner = ?, doc = ? WHERE id = ?", (script.owner, _dump(script), script_id))
            _write_members(db, script)
        return script

    def delete_script(self, script_id: str) -> None:
        with self._db.transaction() as db:
            for table, column in (
                ("scene_versions", "script_id"),
                ("scenes", "script_id"),
                ("chat_sessions", "script_id"),
                ("schedules", "script_id"),
                ("script_members", "script_id"),
                ("scripts", "id"),
            ):
                db.execute(f"DELETE FROM {table} WHERE {column} = ?", (script_id,))  # noqa: S608 - fixed names

    # Scenes ------------------------------------------------------------------------------------------

    def upsert_scenes(self, scenes: Sequence[Scene]) -> None:
        with self._db.transaction() as db:
            for scene in scenes:
                row = db.execute(
                    "SELECT doc FROM scenes WHERE script_id = ? AND number = ?", (scene.script_id, scene.number)
                ).fetchone()
                if row is None:
                    db.execute(
                        "INSERT INTO scenes (id, script_id, number, version, doc) VALUES (?, ?, ?, ?, ?)",
                        (scene.id, scene.script_id, scene.number, scene.version, _dump_scene(scene)),
                    )
                    continue
                stored = json.loads(row[0])
                fresh = scene.model_dump(mode="json")
                stored.update({field: fresh[field] for field in PARSE_FIELDS})
                db.execute(
                    "UPDATE scenes SET doc = ? WHERE script_id = ? AND number = ?",
                    (json.dumps(stored), scene.script_id, scene.number),
                )

    def get_scene(self, scene_id: str) -> Scene | None:
        row = self._db.connection().execute("SELECT doc FROM scenes WHERE id = ?", (scene_id,)).fetchone()
        return Scene.model_validate_json(row[0]) if row else None

    def list_scenes(self, script_id: str) -> list[Scene]:
        rows = (
            self._db.connection()
            .execute("SELECT doc FROM scenes WHERE script_id = ? ORDER BY number", (script_id,))
            .fetchall()
        )
        return [Scene.model_validate_json(row[0]) for row in rows]

    def count_scenes(self, script_id: str, *, analysed: bool | None = None) -> int:
        query = "SELECT COUNT(*) FROM scenes WHERE script_id = ?"
        if analysed is True:
            query += " AND version > 0"
        elif analysed is False:
            query += " AND version = 0"
        row = self._db.connection().execute(query, (script_id,)).fetchone()
        return int(row[0])

    def write_analysis(self, entry: SceneVersion) -> Scene:
        check_entry(entry)
        with self._db.transaction() as db:
            row = db.execute("SELECT doc, version FROM scenes WHERE id = ?", (entry.scene_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"Scene {entry.scene_id} does not exist.")
            if row[1] != entry.version - 1:
                raise ConflictError(
                    f"This scene was changed by someone else (it is now at version {row[1]}); "
                    "reload it and make your change again.",
                )
            scene = Scene.model_validate_json(row[0]).model_copy(
                update={
                    "analysis": entry.analysis,
                    "version": entry.version,
                    "updated_by": entry.author,
                    "updated_at": entry.created_at,
                    "last_change": entry,
                }
            )
            db.execute(
                "UPDATE scenes SET version = ?, doc = ? WHERE id = ? AND version = ?",
                (entry.version, _dump_scene(scene), entry.scene_id, entry.version - 1),
            )
            try:
                db.execute(
                    "INSERT INTO scene_versions (scene_id, version, script_id, doc) VALUES (?, ?, ?, ?)",
                    (entry.scene_id, entry.version, entry.script_id, _dump(entry)),
                )
            except sqlite3.IntegrityError as error:
                # Only a history written apart from its scene gets here (the two are written together): the
                # transaction is rolled back and the user gets a reason instead of a database error.
                raise ConflictError(
                    f"This scene's history already has a version {entry.version} although the scene is at version "
                    f"{entry.version - 1}, so nothing was saved. The library is inconsistent (was an older backup "
                    "restored over it?); restore a consistent backup.",
                    detail=str(error),
                ) from error
        return scene

    def list_versions(self, scene_id: str) -> list[SceneVersion]:
        rows = (
            self._db.connection()
            .execute("SELECT doc FROM scene_versions WHERE scene_id = ? ORDER BY version", (scene_id,))
            .fetchall()
        )
        return [SceneVersion.model_validate_json(row[0]) for row in rows]

    def get_version(self, scene_id: str, version: int) -> SceneVersion | None:
        row = (
            self._db.connection()
            .execute("SELECT doc FROM scene_versions WHERE scene_id = ? AND version = ?", (scene_id, version))
            .fetchone()
        )
        return SceneVersion.model_validate_json(row[0]) if row else None

    # Chat sessions -----------------------------------------------------------------------------------

    def save_chat(self, session: ChatSession) -> None:
        with self._db.transaction() as db:
            db.execute(
                "INSERT INTO chat_sessions (id, script_id, user, updated_at, doc) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at, doc = excluded.doc",
                (session.id, session.script_id, session.user, session.updated_at.isoformat(), _dump(session)),
            )

    def get_chat(self, session_id: str) -> ChatSession | None:
        row = self._db.connection().execute("SELECT doc FROM chat_sessions WHERE id = ?", (session_id,)).fetchone()
        return ChatSession.model_validate_json(row[0]) if row else None

    def list_chats(self, script_id: str, user: str) -> list[ChatSession]:
        rows = (
            self._db.connection()
            .execute(
                "SELECT doc FROM chat_sessions WHERE script_id = ? AND user = ? ORDER BY updated_at DESC, id",
                (script_id, user),
            )
            .fetchall()
        )
        return [ChatSession.model_validate_json(row[0]) for row in rows]

    def append_chat_message(self, session_id: str, message: ChatMessage) -> ChatSession:
        return self._change_chat(session_id, lambda session: with_message_added(session, message))

    def update_chat_message(self, session_id: str, index: int, changes: Mapping[str, object]) -> ChatSession:
        return self._change_chat(session_id, lambda session: with_message_changed(session, index, changes))

    def _change_chat(self, session_id: str, change: Callable[[ChatSession], ChatSession]) -> ChatSession:
        """Read, change and write the session in one write transaction."""
        with self._db.transaction() as db:
            row = db.execute("SELECT doc FROM chat_sessions WHERE id = ?", (session_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"Chat session {session_id} does not exist.")
            session = change(ChatSession.model_validate_json(row[0]))
            db.execute(
                "UPDATE chat_sessions SET updated_at = ?, doc = ? WHERE id = ?",
                (session.updated_at.isoformat(), _dump(session), session_id),
            )
        return session

    # Schedules ---------------------------------------------------------------------------------------

    def add_schedule(self, schedule: Schedule) -> None:
        check_schedule(schedule)
        with self._db.transaction() as db:
            row = db.execute("SELECT MAX(version) FROM schedules WHERE script_id = ?", (schedule.script_id,)).fetchone()
            newest = row[0] or 0
            if newest != schedule.version - 1:
                raise ConflictError(schedule_conflict(newest))
            db.execute(
                "INSERT INTO schedules (script_id, version, doc) VALUES (?, ?, ?)",
                (schedule.script_id, schedule.version, _dump(schedule)),
            )

    def get_schedule(self, script_id: str, version: int | None = None) -> Schedule | None:
        db = self._db.connection()
        if version is None:
            row = db.execute(
                "SELECT doc FROM schedules WHERE script_id = ? ORDER BY version DESC LIMIT 1", (script_id,)
            ).fetchone()
        else:
            row = db.execute(
                "SELECT doc FROM schedules WHERE script_id = ? AND version = ?", (script_id, version)
            ).fetchone()
        return Schedule.model_validate_json(row[0]) if row else None

    def list_schedules(self, script_id: str) -> list[Schedule]:
        rows = (
            self._db.connection()
            .execute("SELECT doc FROM schedules WHERE script_id = ? ORDER BY version", (script_id,))
            .fetchall()
        )
        return [Schedule.model_validate_json(row[0]) for row in rows]

    # Cache -------------------------------------------------------------------------------------------

    def get_cached(self, namespace: str, key: str) -> dict[str, Any] | None:
        row = (
            self._db.connection()
            .execute("SELECT value FROM cache WHERE namespace = ? AND key = ?", (namespace, key))
            .fetchone()
        )
        return dict(json.loads(row[0])) if row else None

    def put_cached(self, namespace: str, key: str, value: dict[str, Any]) -> None:
        self._db.connection().execute(
            "INSERT OR REPLACE INTO cache (namespace, key, value) VALUES (?, ?, ?)", (namespace, key, json.dumps(value))
        )

    def iter_cached(self) -> Iterator[CachedValue]:
        cursor = self._db.connection().execute("SELECT namespace, key, value FROM cache ORDER BY namespace, key")
        while rows := cursor.fetchmany(FETCH_ROWS):
            for namespace, key, value in rows:
                yield CachedValue(namespace=namespace, key=key, value=json.loads(value))

    def import_cached(self, entries: Sequence[CachedValue]) -> None:
        with self._db.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO cache (namespace, key, value) VALUES (?, ?, ?)",
                [(entry.namespace, entry.key, json.dumps(entry.value)) for entry in entries],
            )

    # Bulk, exact copies --------------------------------------------------------------------------------

    def import_scripts(self, scripts: Sequence[Script]) -> None:
        with self._db.transaction() as db:
            db.executemany(
                "INSERT INTO scripts (id, owner, created_at, doc) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE "
                "SET owner = excluded.owner, created_at = excluded.created_at, doc = excluded.doc",
                [(script.id, script.owner, script.created_at.isoformat(), _dump(script)) for script in scripts],
            )
            for script in scripts:
                _write_members(db, script)

    def import_scenes(self, scenes: Sequence[Scene]) -> None:
        try:
            with self._db.transaction() as db:
                db.executemany(
                    "INSERT INTO scenes (id, script_id, number, version, doc) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (id) DO UPDATE SET script_id = excluded.script_id, number = excluded.number, "
                    "version = excluded.version, doc = excluded.doc",
                    [(scene.id, scene.script_id, scene.number, scene.version, _dump_scene(scene)) for scene in scenes],
                )
        except sqlite3.IntegrityError as error:
            raise ConflictError(
                "Another scene already has the same script and number; the copy was refused.", detail=str(error)
            ) from error

    def iter_versions(self, script_id: str) -> Iterator[SceneVersion]:
        cursor = self._db.connection().execute(
            "SELECT doc FROM scene_versions WHERE script_id = ? ORDER BY scene_id, version", (script_id,)
        )
        while rows := cursor.fetchmany(FETCH_ROWS):
            for (doc,) in rows:
                yield SceneVersion.model_validate_json(doc)

    def import_versions(self, entries: Sequence[SceneVersion]) -> None:
        with self._db.transaction() as db:
            db.executemany(
                "INSERT OR REPLACE INTO scene_versions (scene_id, version, script_id, doc) VALUES (?, ?, ?, ?)",
                [(entry.scene_id, entry.version, entry.script_id, _dump(entry)) for entry in entries],
            )

    def list_script_chats(self, script_id: str) -> list[ChatSession]:
        rows = (
            self._db.connection()
            .execute("SELECT doc FROM chat_sessions WHERE script_id = ? ORDER BY id", (script_id,))
            .fetchall()
        )
        return [ChatSession.model_validate_json(row[0]) for row in rows]


def _dump_scene(scene: Scene) -> str:
    # The history row is written in the same transaction, so the scene needs no copy of its last change
    # (MongoDB keeps one for crash repair); leaving it out halves what every scene read has to parse.
    return scene.model_dump_json(exclude={"last_change"})


def _dump(model: Any) -> str:
    return str(model.model_dump_json())


def _write_members(db: sqlite3.Connection, script: Script) -> None:
    db.execute("DELETE FROM script_members WHERE script_id = ?", (script.id,))
    db.executemany(
        "INSERT INTO script_members (script_id, login) VALUES (?, ?)",
        [(script.id, member.login) for member in script.members],
    )
