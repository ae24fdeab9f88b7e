"""RecordStore on the embedded SQLite file (the same file as the documents, table `records`)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cortexreel.adapters.sqlite_common import SqliteAdapter
from cortexreel.ports import RecordKind, StoredRecord

SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (kind, key)
);
"""


class SqliteRecordStore(SqliteAdapter):
    def __init__(self, path: Path, *, timeout_seconds: float = 30.0) -> None:
        super().__init__(path, SCHEMA, timeout_seconds=timeout_seconds)

    def get_record(self, kind: RecordKind, key: str) -> dict[str, Any] | None:
        row = (
            self._db.connection()
            .execute("SELECT value FROM records WHERE kind = ? AND key = ?", (kind, key))
            .fetchone()
        )
        return dict(json.loads(row[0])) if row else None

    def put_record(self, kind: RecordKind, key: str, value: dict[str, Any]) -> None:
        self._db.connection().execute(
            "INSERT OR REPLACE INTO records (kind, key, value) VALUES (?, ?, ?)", (kind, key, json.dumps(value))
        )

    def delete_records(self, kind: RecordKind, key_prefix: str) -> int:
        # substr rather than LIKE: keys may hold % and _.
        cursor = self._db.connection().execute(
            "DELETE FROM records WHERE kind = ? AND substr(key, 1, ?) = ?", (kind, len(key_prefix), key_prefix)
        )
        return cursor.rowcount

    def iter_records(self) -> Iterator[StoredRecord]:
        cursor = self._db.connection().execute("SELECT kind, key, value FROM records ORDER BY kind, key")
        for kind, key, value in cursor:
            yield StoredRecord(kind=kind, key=key, value=json.loads(value))
