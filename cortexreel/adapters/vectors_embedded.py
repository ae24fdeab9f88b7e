"""VectorIndex in an SQLite file with numpy ranking and FTS5 keywords: the embedded default.

Why this engine (numbers in docs/search.md): exact brute-force cosine over an in-memory float32 matrix answers
top-10 over 100,000 × 384 in a few milliseconds on two cores, needs nothing beyond numpy and the standard
library, and has perfect recall. SQLite holds the truth: one row per chunk (vector as a float32 blob, metadata
as JSON) and an FTS5 table over the chunk text for BM25 keyword ranking.

Several processes (the app, forked RQ workers, the CLI) share the file. SQLite in WAL mode serialises writers
(`BEGIN IMMEDIATE`) while readers go on. Every write also bumps a change counter in the same transaction; each
process keeps its matrix cache only while the counter it loaded with is still current, so a query never ranks
against vectors another process has replaced or deleted. Connections are per thread and per process id, so a
forked worker never reuses its parent's connection.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from cortexreel.adapters.sqlite_common import SqliteConnections
from cortexreel.errors import InvalidInputError
from cortexreel.ports import VectorHit, VectorRecord
from cortexreel.search.ranking import relative_score_fusion
from cortexreel.search.text import fts_query

SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    scene_id TEXT NOT NULL,
    script_id TEXT NOT NULL,
    owner TEXT NOT NULL,
    content TEXT NOT NULL,
    metadata TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_script ON chunks (script_id);
CREATE INDEX IF NOT EXISTS chunks_scene ON chunks (scene_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    content, content='chunks', content_rowid='seq', tokenize='porter unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS chunks_fts_insert AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts (rowid, content) VALUES (new.seq, new.content);
END;
CREATE TRIGGER IF NOT EXISTS chunks_fts_delete AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts (chunks_fts, rowid, content) VALUES ('delete', old.seq, old.content);
END;
CREATE TABLE IF NOT EXISTS index_state (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
INSERT OR IGNORE INTO index_state (key, value) VALUES ('generation', 0);
"""

METADATA_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# How many candidates each ranking contributes to a hybrid fusion, relative to the results asked for.
CANDIDATE_FACTOR = 5
MIN_CANDIDATES = 50
SQL_VARIABLES = 900
KEYWORD_SQL = (
    "SELECT f.rowid, bm25(chunks_fts) AS rank FROM chunks_fts f JOIN chunks c ON c.seq = f.rowid "
    "WHERE chunks_fts MATCH ?"
)
# Metadata equality, or membership when the stored value is a list; `table` is the chunks table's alias.
METADATA_CONDITION = (
    "(CASE json_type({table}.metadata, ?) WHEN 'array' THEN "
    "EXISTS (SELECT 1 FROM json_each({table}.metadata, ?) WHERE value = ?) "
    "ELSE json_extract({table}.metadata, ?) = ? END)"
)


@dataclass(frozen=True)
class _Matrix:
    """Every vector of the index at one generation, row i belonging to chunk seqs[i]."""

    generation: int
    seqs: npt.NDArray[np.int64]
    vectors: npt.NDArray[np.float32]
    script_codes: npt.NDArray[np.int32]
    script_index: dict[str, int]


class EmbeddedVectorIndex:
    kind = "embedded"

    def __init__(self, path: Path, *, timeout_seconds: float = 30.0) -> None:
        self.path = path
        self._db = SqliteConnections(path, SCHEMA, timeout_seconds=timeout_seconds, what="search index")
        self._cache_lock = threading.Lock()
        self._matrix: _Matrix | None = None

    def describe(self) -> str:
        return str(self.path)

    def ping(self) -> None:
        self._db.ping()

    # Connections and transactions

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction that also bumps the change counter other processes check."""
        with self._db.transaction() as db:
            yield db
            db.execute("UPDATE index_state SET value = value + 1 WHERE key = 'generation'")

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement in it sees the same snapshot of the file."""
        db = self._db.connection()
        db.execute("BEGIN")
        try:
            yield db
        finally:
            db.execute("COMMIT")

    # Writes

    def upsert(self, records: Sequence[VectorRecord]) -> None:
        if not records:
            return
        vectors = [_normalised(record.vector) for record in records]
        dimensions = {vector.shape[0] for vector in vectors}
        rows = [
            (
                record.id,
                record.scene_id,
                record.script_id,
                record.owner,
                record.content,
                json.dumps(record.metadata),
                vector.tobytes(),
            )
            for record, vector in zip(records, vectors, strict=True)
        ]
        with self._write() as db:
            existing = db.execute("SELECT length(vector) / 4 FROM chunks LIMIT 1").fetchone()
            if existing is not None:
                dimensions.add(int(existing[0]))
            if len(dimensions) > 1:
                raise InvalidInputError(
                    f"Vectors of different sizes ({', '.join(map(str, sorted(dimensions)))} dimensions) cannot share "
                    "one search index; re-index everything after changing the embedding model.",
                )
            # Delete then insert (rather than INSERT OR REPLACE) so the FTS delete trigger sees the old text.
            db.executemany("DELETE FROM chunks WHERE id = ?", [(row[0],) for row in rows])
            db.executemany(
                "INSERT INTO chunks (id, scene_id, script_id, owner, content, metadata, vector) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                rows,
            )

    def delete_script(self, script_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM chunks WHERE script_id = ?", (script_id,))

    def delete_scene(self, scene_id: str) -> None:
        with self._write() as db:
            db.execute("DELETE FROM chunks WHERE scene_id = ?", (scene_id,))

    def count(self, script_id: str | None = None) -> int:
        if script_id is None:
            row = self._db.connection().execute("SELECT COUNT(*) FROM chunks").fetchone()
        else:
            db = self._db.connection()
            row = db.execute("SELECT COUNT(*) FROM chunks WHERE script_id = ?", (script_id,)).fetchone()
        return int(row[0])

    # Queries

    def query(
        self,
        vector: Sequence[float] | None,
        *,
        text: str | None = None,
        limit: int = 10,
        script_ids: Sequence[str] | None = None,
        where: Mapping[str, str | int] | None = None,
    ) -> list[VectorHit]:
        match = fts_query(text) if text else None
        if vector is None and not text:
            raise InvalidInputError("A search needs a query text or a vector.")
        if limit <= 0 or (script_ids is not None and not script_ids):
            return []
        for key in where or {}:
            if not METADATA_KEY.match(key):
                raise InvalidInputError(f"“{key}” is not a field searches can filter on.")
        hybrid = vector is not None and match is not None
        depth = max(limit * CANDIDATE_FACTOR, MIN_CANDIDATES) if hybrid else limit
        with self._read() as db:
            vector_ranked = self._vector_ranking(db, vector, depth, script_ids, where) if vector is not None else []
            keyword_ranked = self._keyword_ranking(db, match, depth, script_ids, where) if match else []
            if hybrid:
                # Relative score fusion: on the labelled queries of bench/search_quality.py it beat reciprocal rank
                # fusion (docs/search.md). A ranking with nothing in it is left out, so the scale stays 0..1.
                rankings = [part for part in (vector_ranked, keyword_ranked) if part]
                ranked = relative_score_fusion(rankings, weights=[1.0] * len(rankings))[:limit]
            else:
                ranked = (vector_ranked if vector is not None else keyword_ranked)[:limit]
            return self._hits(db, ranked)

    def _vector_ranking(
        self,
        db: sqlite3.Connection,
        vector: Sequence[float],
        depth: int,
        script_ids: Sequence[str] | None,
        where: Mapping[str, str | int] | None,
    ) -> list[tuple[int, float]]:
        matrix = self._current_matrix(db)
        query = _normalised(vector)
        if matrix.seqs.size == 0:
            return []
        if matrix.vectors.shape[1] != query.shape[0]:
            raise InvalidInputError(
                f"The query vector has {query.shape[0]} dimensions but the index holds {matrix.vectors.shape[1]}."
            )
        rows: npt.NDArray[np.intp] | None = None
        if script_ids is not None:
            codes = [matrix.script_index[s] for s in script_ids if s in matrix.script_index]
            rows = np.flatnonzero(np.isin(matrix.script_codes, np.asarray(codes, dtype=np.int32)))
        if where:
            allowed = np.asarray(self._filtered_seqs(db, script_ids, where), dtype=np.int64)
            positions = np.searchsorted(matrix.seqs, allowed)
            inside = positions < matrix.seqs.size
            positions, allowed = positions[inside], allowed[inside]
            positions = positions[matrix.seqs[positions] == allowed]
            rows = positions if rows is None else np.intersect1d(rows, positions)
        if rows is None:
            scores = matrix.vectors @ query
            seqs = matrix.seqs
        else:
            if rows.size == 0:
                return []
            scores = matrix.vectors[rows] @ query
            seqs = matrix.seqs[rows]
        top = _top(scores, depth)
        return [(int(seqs[i]), float(scores[i])) for i in top]

    def _keyword_ranking(
        self,
        db: sqlite3.Connection,
        match: str,
        depth: int,
        script_ids: Sequence[str] | None,
        where: Mapping[str, str | int] | None,
    ) -> list[tuple[int, float]]:
        clauses, parameters = _filters(script_ids, where, table="c")
        conditions = "".join(f" AND {clause}" for clause in clauses)
        sql = f"{KEYWORD_SQL}{conditions} ORDER BY rank LIMIT ?"
        rows = db.execute(sql, [match, *parameters, depth]).fetchall()
        # bm25() is lower-is-better; negated it reads like every other score here.
        return [(int(seq), -float(rank)) for seq, rank in rows]

    def _filtered_seqs(
        self, db: sqlite3.Connection, script_ids: Sequence[str] | None, where: Mapping[str, str | int]
    ) -> list[int]:
        clauses, parameters = _filters(script_ids, where, table="chunks")
        sql = "SELECT seq FROM chunks WHERE " + " AND ".join(clauses) + " ORDER BY seq"  # noqa: S608 - ? placeholders
        return [int(row[0]) for row in db.execute(sql, parameters)]

    def _hits(self, db: sqlite3.Connection, ranked: Sequence[tuple[int, float]]) -> list[VectorHit]:
        if not ranked:
            return []
        placeholders = ",".join("?" for _ in ranked)
        rows = {
            int(row[0]): row
            for row in db.execute(
                f"SELECT seq, id, scene_id, script_id, content, metadata FROM chunks WHERE seq IN ({placeholders})",  # noqa: S608 - placeholders only
                [seq for seq, _ in ranked],
            )
        }
        return [
            VectorHit(
                id=rows[seq][1],
                scene_id=rows[seq][2],
                script_id=rows[seq][3],
                content=rows[seq][4],
                metadata=json.loads(rows[seq][5]),
                score=score,
            )
            for seq, score in ranked
            if seq in rows
        ]

    def _current_matrix(self, db: sqlite3.Connection) -> _Matrix:
        """The cached matrix if no process has written since it was loaded, else a fresh one (inside the caller's
        read transaction, so counter and rows agree)."""
        generation = int(db.execute("SELECT value FROM index_state WHERE key = 'generation'").fetchone()[0])
        with self._cache_lock:
            cached = self._matrix
            if cached is not None and cached.generation == generation:
                return cached
            fresh = _load_matrix(db, generation)
            self._matrix = fresh
            return fresh


def _load_matrix(db: sqlite3.Connection, generation: int) -> _Matrix:
    seqs: list[int] = []
    blobs: list[bytes] = []
    script_index: dict[str, int] = {}
    codes: list[int] = []
    for seq, script_id, blob in db.execute("SELECT seq, script_id, vector FROM chunks ORDER BY seq"):
        seqs.append(seq)
        blobs.append(blob)
        codes.append(script_index.setdefault(script_id, len(script_index)))
    if not blobs:
        empty = np.zeros((0, 0), dtype=np.float32)
        return _Matrix(generation, np.zeros(0, dtype=np.int64), empty, np.zeros(0, dtype=np.int32), {})
    vectors = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(blobs), -1)
    return _Matrix(
        generation,
        np.asarray(seqs, dtype=np.int64),
        vectors,
        np.asarray(codes, dtype=np.int32),
        script_index,
    )


def _filters(
    script_ids: Sequence[str] | None, where: Mapping[str, str | int] | None, *, table: str
) -> tuple[list[str], list[str | int]]:
    """SQL conditions for the script restriction and metadata equality (list metadata: membership)."""
    clauses: list[str] = []
    parameters: list[str | int] = []
    if script_ids is not None:
        if len(script_ids) > SQL_VARIABLES:
            raise InvalidInputError("Search at most 900 scripts at once.")
        clauses.append(f"{table}.script_id IN ({','.join('?' for _ in script_ids)})")
        parameters.extend(script_ids)
    for key, wanted in (where or {}).items():
        path = f"$.{key}"
        clauses.append(METADATA_CONDITION.format(table=table))
        parameters.extend([path, path, wanted, path, wanted])
    return clauses, parameters


def _top(scores: npt.NDArray[np.float32], depth: int) -> npt.NDArray[np.intp]:
    candidates = np.argpartition(-scores, depth - 1)[:depth] if scores.size > depth else np.arange(scores.size)
    order = np.lexsort((candidates, -scores[candidates]))
    return candidates[order]


def _normalised(vector: Sequence[float]) -> npt.NDArray[np.float32]:
    array = np.asarray(vector, dtype=np.float32)
    norm = float(np.linalg.norm(array))
    return array / norm if norm > 0 else array
