"""RecordStore on MongoDB: collection `records`, one document per (kind, key)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from pymongo.collection import Collection

from cortexreel.adapters.mongo_common import Document, MongoAdapter, guarded
from cortexreel.ports import RecordKind, StoredRecord


class MongoRecordStore(MongoAdapter):
    def describe(self) -> str:
        return f"{super().describe()}, collection records"

    @property
    def _records(self) -> Collection[Document]:
        return self._db.records

    def get_record(self, kind: RecordKind, key: str) -> dict[str, Any] | None:
        found = guarded(lambda: self._records.find_one({"_id": _record_id(kind, key)}))
        return dict(found["value"]) if found else None

    def put_record(self, kind: RecordKind, key: str, value: dict[str, Any]) -> None:
        record_id = _record_id(kind, key)
        document = {"_id": record_id, "kind": kind, "key": key, "value": value}
        guarded(lambda: self._records.replace_one({"_id": record_id}, document, upsert=True))

    def delete_records(self, kind: RecordKind, key_prefix: str) -> int:
        query = {"kind": kind, "key": {"$regex": "^" + re.escape(key_prefix)}}
        return guarded(lambda: int(self._records.delete_many(query).deleted_count))

    def iter_records(self) -> Iterator[StoredRecord]:
        documents = guarded(lambda: list(self._records.find({}).sort([("kind", 1), ("key", 1)])))
        for document in documents:
            yield StoredRecord(kind=document["kind"], key=document["key"], value=document["value"])


def _record_id(kind: RecordKind, key: str) -> str:
    return f"{kind}/{key}"
