"""Copying a whole library from one set of backends to another (`migrate --to-env FILE`), resumable and verified.

The copy runs in phases: original files, cache, then script by script (scenes, history, chats, and the script
record last, so a script appears in the target only once all of it is there), a verification of every collection
by count and checksum, and finally re-indexing each completed script in the target's vector index. Every write is
an idempotent upsert by the document's own id, so an interrupted run can simply be run again: a checkpoint file
remembers what is done, and redoing a half-copied script rewrites the same documents without duplicating any.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script, ScriptStatus
from cortexreel.domain.users import User
from cortexreel.errors import ConfigurationError, ConflictError, InvalidInputError
from cortexreel.migration.library import (
    CACHE,
    COLLECTIONS,
    CollectionSummary,
    LineDigest,
    cache_line,
    collection_lines,
    sorted_scripts,
)
from cortexreel.ports import BlobStore, DocumentStore, RecordStore, StoredRecord, UserStore

T = TypeVar("T")
BATCH = 1000
HASH_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Step:
    """One unit of work done: a file, the cache, a script's documents, a script indexed. Hooks receive these."""

    kind: str
    key: str


StepHook = Callable[[Step], None]


# Target settings ---------------------------------------------------------------------------------------------


class _FileOnlySettings(Settings):
    """Settings taken only from the values given, never from this process's environment or ./.env: the target
    of a migration must not inherit the source's server URLs."""

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings,)


def settings_from_env_file(path: Path) -> Settings:
    """The Settings described by a .env-style file (`CORTEXREEL_*` lines and `OPENAI_API_KEY`)."""
    from dotenv import dotenv_values

    if not path.is_file():
        raise InvalidInputError(f"There is no settings file {path}.")
    values: dict[str, Any] = {}
    for name, value in dotenv_values(path).items():
        if value is None:
            continue
        if name == "OPENAI_API_KEY":
            values[name] = value
        elif name.startswith("CORTEXREEL_"):
            values[name.removeprefix("CORTEXREEL_").lower()] = value
    try:
        return _FileOnlySettings(**values)
    except ValidationError as error:
        reasons = "; ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {str(item['msg']).removeprefix('Value error, ')}"
            for item in error.errors()
        )
        raise ConfigurationError(f"The settings in {path} are not usable: {reasons}") from None


# Checkpoint --------------------------------------------------------------------------------------------------


@dataclass
class Checkpoint:
    """What a migration has finished, saved after every step so an interrupted run resumes where it stopped."""

    path: Path | None
    route: str
    files_done: bool = False
    cache_done: bool = False
    scripts: set[str] = field(default_factory=set)
    indexed: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path | None, route: str) -> Checkpoint:
        """The saved progress of the same route (source → target), or a fresh start."""
        if path is None or not path.is_file():
            return cls(path, route)
        try:
            saved = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, route)
        if not isinstance(saved, dict) or saved.get("route") != route:
            return cls(path, route)
        return cls(
            path,
            route,
            files_done=bool(saved.get("files_done")),
            cache_done=bool(saved.get("cache_done")),
            scripts=set(saved.get("scripts", [])),
            indexed=set(saved.get("indexed", [])),
        )

    def save(self) -> None:
        if self.path is None:
            return
        data = {
            "route": self.route,
            "files_done": self.files_done,
            "cache_done": self.cache_done,
            "scripts": sorted(self.scripts),
            "indexed": sorted(self.indexed),
        }
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps(data), encoding="utf-8")
        os.replace(temporary, self.path)


# Reports -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerifyRow:
    what: str
    source: int
    target: int
    matches: bool


@dataclass
class CopyReport:
    """What a migration or restore did and whether the target matches, collection by collection."""

    rows: list[VerifyRow] = field(default_factory=list)
    copied_scripts: int = 0
    resumed_scripts: int = 0
    scenes: int = 0
    files_copied: int = 0
    users_copied: int = 0
    indexed_scripts: int = 0
    search_records: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(row.matches for row in self.rows)

    def lines(self) -> list[str]:
        """The report as text: one row per collection, then the timings and notes."""
        out = [f"{'':<16}{'source':>10}{'target':>10}  checksum"]
        for row in self.rows:
            out.append(f"{row.what:<16}{row.source:>10}{row.target:>10}  {'ok' if row.matches else 'MISMATCH'}")
        out.append(f"search records  {self.search_records:>20}  (re-indexed {self.indexed_scripts} scripts)")
        out.append("time: " + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.seconds.items()))
        out.extend(self.notes)
        out.append("verified: every collection matches" if self.ok else "NOT verified: see the mismatches above")
        return out


# Copying -----------------------------------------------------------------------------------------------------


def route_of(source: Services, target: Services) -> str:
    return (
        f"{source.documents.kind}:{source.documents.describe()} -> "
        f"{target.documents.kind}:{target.documents.describe()}"
    )


def migrate(
    source: Services,
    target: Services,
    *,
    checkpoint_path: Path | None = None,
    reindex: bool = True,
    on_step: StepHook | None = None,
) -> CopyReport:
    """Copy everything from `source` to `target`, verify it, and index it in the target. Resumes from the
    checkpoint file when one is given and matches; safe to run again at any point."""
    if (source.documents.kind, source.documents.describe()) == (target.documents.kind, target.documents.describe()):
        raise InvalidInputError("The target library is the current library; give the settings of another one.")
    scripts = sorted_scripts(source.documents)
    check_target_holds_only(target.documents, {script.id for script in scripts}, "the current library")
    checkpoint = Checkpoint.load(checkpoint_path, route_of(source, target))
    hook = on_step or (lambda step: None)
    report = CopyReport()
    started = time.perf_counter()
    if not checkpoint.files_done:
        report.files_copied = copy_files(source.blobs, target.blobs, hook)
        checkpoint.files_done = True
        checkpoint.save()
    if not checkpoint.cache_done:
        for batch in batched(source.documents.iter_cached(), BATCH):
            target.documents.import_cached(batch)
        hook(Step("cache", CACHE))
        checkpoint.cache_done = True
        checkpoint.save()
    for script in scripts:
        if script.id in checkpoint.scripts:
            report.resumed_scripts += 1
            continue
        report.scenes += copy_script(source.documents, target.documents, script, hook)
        report.copied_scripts += 1
        checkpoint.scripts.add(script.id)
        checkpoint.save()
    report.users_copied = copy_users(source.users.list_users(), target.users)
    copy_records(source.records.iter_records(), target.records)
    report.seconds["copy"] = time.perf_counter() - started
    started = time.perf_counter()
    report.rows = [
        *verify(source.documents, source.blobs, target.documents, target.blobs),
        verify_users(source.users.list_users(), target.users),
        verify_records(list(source.records.iter_records()), target.records),
    ]
    report.seconds["verify"] = time.perf_counter() - started
    if reindex:
        started = time.perf_counter()
        for script in scripts:
            if script.id in checkpoint.indexed or script.status is not ScriptStatus.COMPLETED:
                continue
            index_script(target, script)
            hook(Step("index", script.id))
            report.indexed_scripts += 1
            checkpoint.indexed.add(script.id)
            checkpoint.save()
        report.seconds["index"] = time.perf_counter() - started
        report.search_records = target.vectors.count()
        source_records = source.vectors.count()
        if source_records != report.search_records:
            report.notes.append(
                f"note: the current index holds {source_records} search records and the target "
                f"{report.search_records} (the target indexes every scene of every completed script)."
            )
    else:
        report.notes.append("note: search records were not rebuilt (re-indexing was skipped).")
    return report


def copy_users(users: Iterable[User], target: UserStore) -> int:
    """Add every account the target lacks, exactly as it is (password hash, roles, times); returns how many."""
    added = 0
    for user in users:
        if target.get_user(user.login) is None:
            target.add_user(user)
            added += 1
    return added


def verify_users(users: Sequence[User], target: UserStore) -> VerifyRow:
    """Every account present in the target with identical fields."""
    copied = [target.get_user(user.login) for user in users]
    return VerifyRow("users", len(users), sum(found is not None for found in copied), copied == list(users))


def copy_records(records: Iterable[StoredRecord], target: RecordStore) -> None:
    """Copy the admin's settings, prompt history and bookkeeping records, replacing the target's."""
    for record in records:
        target.put_record(record.kind, record.key, record.value)


def verify_records(records: Sequence[StoredRecord], target: RecordStore) -> VerifyRow:
    """Every record present in the target with the same value."""
    copied = [target.get_record(record.kind, record.key) for record in records]
    same = all(found == record.value for found, record in zip(copied, records, strict=True))
    return VerifyRow("records", len(records), sum(found is not None for found in copied), same)


def check_target_holds_only(target: DocumentStore, allowed: set[str], what: str) -> None:
    """Refuse a target holding scripts that are not part of what is being copied in (an unrelated library):
    an empty target, or one holding part of the same copy from an interrupted run, is fine."""
    foreign = [script for script in target.list_scripts() if script.id not in allowed]
    if foreign:
        raise InvalidInputError(
            f"The target library already holds {len(foreign)} script(s) that are not in {what} "
            f"(for example “{foreign[0].title}”). Copy into an empty library."
        )


def copy_files(source: BlobStore, target: BlobStore, hook: StepHook) -> int:
    """Copy every original file the target lacks; returns how many were copied."""
    copied = 0
    keys = source.keys()  # an iterator of stored keys, not a dict view
    for key in keys:
        if target.exists(key):
            continue
        with source.open(key) as stream:
            stored = target.put(stream)
        if stored.key != key:
            raise InvalidInputError(f"The file {key} does not match its checksum in the current file store.")
        copied += 1
        hook(Step("file", key))
    return copied


def copy_script(source: DocumentStore, target: DocumentStore, script: Script, hook: StepHook) -> int:
    """Copy one script's scenes, history and chats exactly, then the script record. Returns the scene count."""
    scenes = source.list_scenes(script.id)
    for scene_batch in batched(scenes, BATCH):
        target.import_scenes(scene_batch)
    hook(Step("scenes", script.id))
    for version_batch in batched(source.iter_versions(script.id), BATCH):
        target.import_versions(version_batch)
    hook(Step("versions", script.id))
    for session in source.list_script_chats(script.id):
        target.save_chat(session)
    copy_schedules(source.list_schedules(script.id), target)
    target.import_scripts([script])
    hook(Step("script", script.id))
    return len(scenes)


def copy_schedules(schedules: Iterable[Schedule], target: DocumentStore) -> None:
    """Every saved version of a script's schedule, oldest first; versions the target holds already are kept."""
    for schedule in schedules:
        try:
            target.add_schedule(schedule)
        except ConflictError:
            continue  # this version was copied by an earlier, interrupted run


def index_script(services: Services, script: Script) -> None:
    """Rebuild the script's search records from its stored scenes (through the embedding cache)."""
    from cortexreel.services.pipeline import index_scenes

    index_scenes(services, script, services.documents.list_scenes(script.id))


# Verifying ---------------------------------------------------------------------------------------------------


def verify(
    source_documents: DocumentStore,
    source_blobs: BlobStore,
    target_documents: DocumentStore,
    target_blobs: BlobStore,
) -> list[VerifyRow]:
    """Compare every collection by count and checksum, and every original file by its content hash."""
    scripts = sorted_scripts(source_documents)
    source_summary = summarise_collections(source_documents, scripts)
    cache_keys = {(entry.namespace, entry.key) for entry in source_documents.iter_cached()}
    target_summary = summarise_collections(target_documents, sorted_scripts(target_documents), cache_keys)
    rows = []
    for name in COLLECTIONS:
        before, after = source_summary[name], target_summary[name]
        rows.append(VerifyRow(name, before.count, after.count, before == after))
    return [*rows, verify_files(list(source_blobs.keys()), target_blobs)]


def summarise_collections(
    documents: DocumentStore,
    scripts: Sequence[Script],
    cache_keys: set[tuple[str, str]] | None = None,
) -> dict[str, CollectionSummary]:
    """Count and checksum per collection; with `cache_keys`, only those cache entries are counted (re-indexing
    a target adds embeddings of its own, which are not part of the copy)."""
    summary: dict[str, CollectionSummary] = {}
    for name in COLLECTIONS:
        digest = LineDigest()
        if name == CACHE and cache_keys is not None:
            lines: Iterable[str] = (
                cache_line(entry) for entry in documents.iter_cached() if (entry.namespace, entry.key) in cache_keys
            )
        else:
            lines = collection_lines(documents, name, scripts)
        for line in lines:
            digest.add(line)
        summary[name] = CollectionSummary(digest.count, digest.sha256)
    return summary


def verify_files(keys: Sequence[str], target: BlobStore) -> VerifyRow:
    """Every key present in the target with content that hashes to the key."""
    present = 0
    intact = True
    for key in keys:
        if not target.exists(key):
            intact = False
            continue
        present += 1
        if file_sha256(target, key) != key.removeprefix("sha256/"):
            intact = False
    return VerifyRow("files", len(keys), present, intact and present == len(keys))


def file_sha256(blobs: BlobStore, key: str) -> str:
    digest = hashlib.sha256()
    with blobs.open(key) as stream:
        while chunk := stream.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
