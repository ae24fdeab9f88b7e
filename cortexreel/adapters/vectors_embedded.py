"""VectorIndex in an SQLite file, ranked with numpy: the embedded default.

Vectors are stored as float32 blobs beside their metadata; a query loads the candidate rows (restricted by
script in SQL), scores them by cosine similarity in one matrix product and applies metadata filters.
SQLite in WAL mode makes the file safe for the app and forked workers at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from cortexreel.errors import BackendUnavailableError, InvalidInputError
from cortexreel.ports import MetadataValue, VectorHit, VectorRecord

SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    id TEXT PRIMARY KEY,
    scene_id TEXT NOT NULL,
    script_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    content TEXT NOT NULL,
    metadata TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS vectors_script ON vectors (script_id);
CREATE INDEX IF NOT EXISTS vectors_scene ON vectors (scene_id);
"""


class EmbeddedVectorIndex:
    kind = "embedded"

    def __init__(self, path: Path, *, timeout_seconds: float = 30.0) -> None:
        self.path = path
        self._timeout = timeout_seconds
        self._local = threading.local()

    def describe(self) -> str:
        return str(self.path)

    def ping(self) -> None:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error as error:
            raise BackendUnavailableError(
                f"The embedded search index at {self.path} cannot be opened.", detail=str(error)
            ) from error

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is not None and getattr(self._local, "pid", None) == os.getpid():
            return connection
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute(f"PRAGMA busy_timeout={int(self._timeout * 1000)}")
        connection.executescript(SCHEMA)
        self._local.connection = connection
        self._local.pid = os.getpid()
        return connection

    def upsert(self, records: Sequence[VectorRecord]) -> None:
        if not records:
            return
        rows = [
            (
                record.id,
                record.scene_id,
                record.script_id,
                record.owner,
                record.content,
                json.dumps(record.metadata),
                _normalised(record.vector).tobytes(),
            )
            for record in records
        ]
        db = self._connection()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.executemany(
                "INSERT OR REPLACE INTO vectors (id, scene_id, script_id, owner, content, metadata, vector) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def query(
        self,
        vector: Sequence[float],
        *,
        limit: int = 10,
        script_ids: Sequence[str] | None = None,
        where: Mapping[str, str | int] | None = None,
    ) -> list[VectorHit]:
        if script_ids is not None and not script_ids:
            return []
        sql = "SELECT id, scene_id, script_id, content, metadata, vector FROM vectors"
        parameters: list[str] = []
        if script_ids is not None:
            sql += f" WHERE script_id IN ({','.join('?' for _ in script_ids)})"
            parameters.extend(script_ids)
        rows = self._connection().execute(sql, parameters).fetchall()
        candidates = [(row, json.loads(row[4])) for row in rows]
        if where:
            candidates = [(row, meta) for row, meta in candidates if _matches(meta, where)]
        if not candidates:
            return []
        matrix = np.frombuffer(b"".join(row[5] for row, _ in candidates), dtype=np.float32)
        matrix = matrix.reshape(len(candidates), -1)
        query = _normalised(vector)
        if matrix.shape[1] != query.shape[0]:
            raise InvalidInputError(
                f"The query vector has {query.shape[0]} dimensions but the index holds {matrix.shape[1]}."
            )
        scores = matrix @ query
        best = np.argsort(-scores, kind="stable")[:limit]
        return [
            VectorHit(
                id=candidates[i][0][0],
                scene_id=candidates[i][0][1],
                script_id=candidates[i][0][2],
                content=candidates[i][0][3],
                metadata=candidates[i][1],
                score=float(scores[i]),
            )
            for i in best
        ]

    def delete_script(self, script_id: str) -> None:
        self._connection().execute("DELETE FROM vectors WHERE script_id = ?", (script_id,))

    def delete_scene(self, scene_id: str) -> None:
        self._connection().execute("DELETE FROM vectors WHERE scene_id = ?", (scene_id,))

    def count(self, script_id: str | None = None) -> int:
        if script_id is None:
            row = self._connection().execute("SELECT COUNT(*) FROM vectors").fetchone()
        else:
            row = (
                self._connection().execute("SELECT COUNT(*) FROM vectors WHERE script_id = ?", (script_id,)).fetchone()
            )
        return int(row[0])


def _normalised(vector: Sequence[float]) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array


def _matches(metadata: Mapping[str, MetadataValue], where: Mapping[str, str | int]) -> bool:
    for key, wanted in where.items():
        value = metadata.get(key)
        if isinstance(value, list):
            if wanted not in value:
                return False
        elif value != wanted:
            return False
    return True
