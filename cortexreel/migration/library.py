"""A library seen as five collections of JSON lines, in one fixed order, with a count and a SHA-256 per collection.

Backup writes these lines to its archive, and restore and migration compare the checksums of two libraries
computed the same way, so "identical" means byte-identical documents: same ids, versions and timestamps.
Scripts are ordered by id; scenes, history entries and chats by script id and then by scene number,
(scene id, version) and session id; cache entries by (namespace, key).

A scene's `last_change` is left out: it is a copy of the scene's newest history entry that the MongoDB adapter
keeps for crash repair (the SQLite adapter does not store it), and the history itself is compared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from cortexreel.domain.chat import ChatSession
from cortexreel.domain.scenes import Scene, SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script
from cortexreel.ports import CachedValue, DocumentStore

SCRIPTS = "scripts"
SCENES = "scenes"
VERSIONS = "scene_versions"
CHATS = "chat_sessions"
SCHEDULES = "schedules"
CACHE = "cache"
COLLECTIONS = (SCRIPTS, SCENES, VERSIONS, CHATS, SCHEDULES, CACHE)


def script_line(script: Script) -> str:
    return script.model_dump_json()


def scene_line(scene: Scene) -> str:
    return scene.model_dump_json(exclude={"last_change"})


def version_line(version: SceneVersion) -> str:
    return version.model_dump_json()


def chat_line(session: ChatSession) -> str:
    return session.model_dump_json()


def schedule_line(schedule: Schedule) -> str:
    return schedule.model_dump_json()


def cache_line(entry: CachedValue) -> str:
    # Cache values are free-form dicts: sort their keys so the line does not depend on how a store orders them.
    return json.dumps(entry.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sorted_scripts(documents: DocumentStore) -> list[Script]:
    return sorted(documents.list_scripts(), key=lambda script: script.id)


def collection_lines(documents: DocumentStore, collection: str, scripts: Sequence[Script]) -> Iterator[str]:
    """The lines of one collection, in the fixed order; `scripts` are the library's scripts, sorted by id."""
    if collection == SCRIPTS:
        yield from (script_line(script) for script in scripts)
    elif collection == SCENES:
        for script in scripts:
            yield from (scene_line(scene) for scene in documents.list_scenes(script.id))
    elif collection == VERSIONS:
        for script in scripts:
            yield from (version_line(version) for version in documents.iter_versions(script.id))
    elif collection == CHATS:
        for script in scripts:
            yield from (chat_line(session) for session in documents.list_script_chats(script.id))
    elif collection == SCHEDULES:
        for script in scripts:
            yield from (schedule_line(schedule) for schedule in documents.list_schedules(script.id))
    elif collection == CACHE:
        yield from (cache_line(entry) for entry in documents.iter_cached())
    else:
        raise ValueError(f"unknown collection {collection!r}")


@dataclass
class LineDigest:
    """Count and SHA-256 of a sequence of lines, each hashed with its trailing newline (as in a JSONL file)."""

    count: int = 0
    _hash: hashlib._Hash = field(default_factory=hashlib.sha256)

    def add(self, line: str) -> bytes:
        """Count and hash one line; returns its bytes with the newline, ready to write."""
        data = line.encode("utf-8") + b"\n"
        self._hash.update(data)
        self.count += 1
        return data

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()


@dataclass(frozen=True)
class CollectionSummary:
    count: int
    sha256: str


def summarise(documents: DocumentStore) -> dict[str, CollectionSummary]:
    """Count and checksum of every collection of the library."""
    scripts = sorted_scripts(documents)
    summary: dict[str, CollectionSummary] = {}
    for collection in COLLECTIONS:
        digest = LineDigest()
        for line in collection_lines(documents, collection, scripts):
            digest.add(line)
        summary[collection] = CollectionSummary(digest.count, digest.sha256)
    return summary
