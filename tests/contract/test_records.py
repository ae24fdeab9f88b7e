"""The RecordStore contract, run on SQLite, the in-memory fake, the MongoDB wire server and (when
CORTEXREEL_TEST_MONGODB_URI is set) a real MongoDB."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortexreel.adapters.documents_sqlite import SqliteDocumentStore
from cortexreel.adapters.records_mongo import MongoRecordStore
from cortexreel.adapters.records_sqlite import SqliteRecordStore
from cortexreel.ports import RecordStore, StoredRecord
from tests import servers
from tests.builders import make_script
from tests.fakes import InMemoryRecordStore


@pytest.fixture(params=["sqlite", "memory", "mongo-wire", "mongodb"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RecordStore]:
    kind = request.param
    if kind == "sqlite":
        yield SqliteRecordStore(tmp_path / "cortexreel.sqlite3")
    elif kind == "memory":
        yield InMemoryRecordStore()
    else:
        uri = servers.mongo_uri(request, kind)
        mongo = MongoRecordStore(uri, f"test_{uuid.uuid4().hex[:12]}")
        yield mongo
        mongo.close()


def test_ping_answers(store: RecordStore) -> None:
    store.ping()
    assert store.describe()


def test_records_round_trip_and_are_replaced(store: RecordStore) -> None:
    assert store.get_record("settings", "current") is None
    store.put_record("settings", "current", {"values": {"max_pages": 3}, "updated_by": "ann"})
    assert store.get_record("settings", "current") == {"values": {"max_pages": 3}, "updated_by": "ann"}
    store.put_record("settings", "current", {"values": {}})
    assert store.get_record("settings", "current") == {"values": {}}
    assert store.get_record("prompt-history", "current") is None  # kinds do not share keys


def test_unicode_and_nested_values_survive(store: RecordStore) -> None:
    value = {"versions": [{"number": 1, "text": "Scena – zażółć gęślą jaźń “cudzysłów”", "tags": ["a", "b"]}]}
    store.put_record("prompt-history", "scene_analysis.v1.txt", value)
    assert store.get_record("prompt-history", "scene_analysis.v1.txt") == value


def test_delete_by_prefix_only_touches_that_kind_and_prefix(store: RecordStore) -> None:
    for key in ("abc-1", "abc-11", "abd-1", "a%c-1", "a_c-1"):
        store.put_record("token-usage", key, {"input_tokens": 1})
    store.put_record("interruptions", "abc-1", {"count": 2})
    assert store.delete_records("token-usage", "abc-") == 2
    assert store.delete_records("token-usage", "a%") == 1  # a prefix, not a pattern
    assert store.get_record("token-usage", "abd-1") is not None
    assert store.get_record("token-usage", "a_c-1") is not None
    assert store.get_record("interruptions", "abc-1") == {"count": 2}
    assert store.delete_records("token-usage", "zzz") == 0


def test_iteration_is_ordered_by_kind_and_key(store: RecordStore) -> None:
    store.put_record("token-usage", "b", {"n": 2})
    store.put_record("settings", "current", {"n": 0})
    store.put_record("token-usage", "a", {"n": 1})
    assert list(store.iter_records()) == [
        StoredRecord(kind="settings", key="current", value={"n": 0}),
        StoredRecord(kind="token-usage", key="a", value={"n": 1}),
        StoredRecord(kind="token-usage", key="b", value={"n": 2}),
    ]


def test_sqlite_records_share_the_documents_file(tmp_path: Path) -> None:
    path = tmp_path / "cortexreel.sqlite3"
    documents = SqliteDocumentStore(path)
    documents.add_script(make_script())
    records = SqliteRecordStore(path)
    records.put_record("settings", "current", {"values": {}})
    assert SqliteRecordStore(path).get_record("settings", "current") == {"values": {}}
    assert len(documents.list_scripts()) == 1
