"""Backup of a whole library to one zip file, and restore from it into an empty library of either kind.

The archive holds one JSON-lines file per collection (`scripts.jsonl`, `scenes.jsonl`, `scene_versions.jsonl`,
`chat_sessions.jsonl`, `cache.jsonl`), every original file under `files/sha256/<hex>`, and `manifest.json` with
the count and SHA-256 of each of them. Everything is streamed: neither side holds the library in memory.

Restore checks every checksum before it writes anything, refuses a library holding any of the archive's scripts in
another state than the archive's (an older backup over its own, newer library), writes documents exactly as they
were (ids, versions, timestamps), verifies the result against the manifest, and then rebuilds the search index of
every completed script (the embedding cache travels in the archive, so with the same embedding model nothing is
re-embedded).
Search records themselves are not archived: they are derived data and depend on the target's index.
"""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from cortexreel.adapters.blobs_common import copy_hashing
from cortexreel.container import Services
from cortexreel.domain.base import utcnow
from cortexreel.domain.chat import ChatSession
from cortexreel.domain.files import check_key, key_for
from cortexreel.domain.scenes import Scene, SceneVersion
from cortexreel.domain.schedule import Schedule
from cortexreel.domain.scripts import Script, ScriptStatus
from cortexreel.domain.users import User
from cortexreel.errors import InvalidInputError
from cortexreel.migration.library import (
    CACHE,
    CHATS,
    COLLECTIONS,
    SCENES,
    SCHEDULES,
    SCRIPTS,
    VERSIONS,
    LineDigest,
    chat_line,
    collection_lines,
    scene_line,
    script_line,
    sorted_scripts,
    version_line,
)
from cortexreel.migration.move import (
    BATCH,
    CopyReport,
    Step,
    StepHook,
    VerifyRow,
    batched,
    check_target_holds_only,
    copy_records,
    copy_schedules,
    copy_users,
    index_script,
    summarise_collections,
    verify_files,
    verify_records,
    verify_users,
)
from cortexreel.ports import CachedValue, DocumentStore, StoredRecord

FORMAT = "cortexreel-backup"
FORMAT_VERSION = 3  # 2: user accounts included; 3: settings records (RECORDS) and schedules
READABLE_VERSIONS = (2, 3)
MANIFEST = "manifest.json"
USERS = "users"  # accounts with their password hashes: keep backups as safe as the database
RECORDS = "records"  # the admin's settings, prompt history and bookkeeping (cortexreel.ports.RecordStore)
FILES_PREFIX = "files/"
# What a script consists of in an archive, and how to name each part in a message.
HELD_COLLECTIONS = (SCRIPTS, SCENES, VERSIONS, CHATS)
HELD_WHAT = {SCRIPTS: "record", SCENES: "scenes", VERSIONS: "version history", CHATS: "chats"}
WRITE_BUFFER = 1024 * 1024
READ_CHUNK = 1024 * 1024


@dataclass
class BackupReport:
    path: Path
    counts: dict[str, int]
    files: int
    size_bytes: int
    seconds: float
    notes: list[str] = field(default_factory=list)


def backup(services: Services, path: Path) -> BackupReport:
    """Write the whole library to one zip archive at `path`. It is written under a temporary name and renamed at
    the end, so a failed backup never leaves a half archive under the name asked for."""
    started = time.perf_counter()
    temporary = path.with_name(path.name + ".partial")
    documents = services.documents
    collections: dict[str, dict[str, Any]] = {}
    files: list[dict[str, Any]] = []
    try:
        with zipfile.ZipFile(temporary, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            scripts = sorted_scripts(documents)
            for name in COLLECTIONS:
                digest = LineDigest()
                with archive.open(f"{name}.jsonl", "w", force_zip64=True) as out:
                    _write_lines(out, (digest.add(line) for line in collection_lines(documents, name, scripts)))
                collections[name] = {"count": digest.count, "sha256": digest.sha256}
            keys = services.blobs.keys()
            for key in keys:
                with services.blobs.open(key) as stream, archive.open(FILES_PREFIX + key, "w") as out:
                    sha256, size = copy_hashing(stream, out)
                if key_for(sha256) != key:
                    raise InvalidInputError(f"The stored file {key} does not match its checksum; it is damaged.")
                files.append({"key": key, "sha256": sha256, "size": size})
            users = LineDigest()
            with archive.open(f"{USERS}.jsonl", "w") as out:
                _write_lines(out, (users.add(user.model_dump_json()) for user in services.users.list_users()))
            records = LineDigest()
            with archive.open(f"{RECORDS}.jsonl", "w") as out:
                _write_lines(out, (records.add(item.model_dump_json()) for item in services.records.iter_records()))
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "created_at": utcnow().isoformat(),
                "source": {"documents": documents.kind, "files": services.blobs.kind},
                "collections": collections,
                "files": files,
                "users": {"count": users.count, "sha256": users.sha256},
                "records": {"count": records.count, "sha256": records.sha256},
            }
            archive.writestr(MANIFEST, json.dumps(manifest, indent=1))
        os.replace(temporary, path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise InvalidInputError(f"The backup cannot be written to {path}: {error.strerror or error}.") from None
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return BackupReport(
        path=path,
        counts={name: int(value["count"]) for name, value in collections.items()},
        files=len(files),
        size_bytes=path.stat().st_size,
        seconds=time.perf_counter() - started,
    )


def _write_lines(out: IO[bytes], lines: Iterator[bytes]) -> None:
    """Write in large pieces: a zip entry compresses each write separately, so small writes are slow."""
    pending: list[bytes] = []
    size = 0
    for line in lines:
        pending.append(line)
        size += len(line)
        if size >= WRITE_BUFFER:
            out.write(b"".join(pending))
            pending, size = [], 0
    if pending:
        out.write(b"".join(pending))


def read_manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    """The archive's manifest, checked to be one of ours."""
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise InvalidInputError("This zip file is not a CortexReel backup (it has no manifest).") from None
    except (ValueError, zipfile.BadZipFile, EOFError, OSError, zlib.error):
        # A flipped bit fails the zip's CRC check (BadZipFile) or the inflation (zlib.error), not only the JSON.
        raise InvalidInputError("The backup's manifest is damaged. Nothing was restored.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInputError("This zip file is not a CortexReel backup.")
    if manifest.get("format_version") not in READABLE_VERSIONS:
        raise InvalidInputError(
            f"This backup has format version {manifest.get('format_version')}; this CortexReel reads versions "
            f"{' and '.join(map(str, READABLE_VERSIONS))}. Restore it with the version of CortexReel that wrote it."
        )
    return manifest


def restore(
    services: Services,
    path: Path,
    *,
    reindex: bool = True,
    on_step: StepHook | None = None,
) -> CopyReport:
    """Restore an archive into `services`' library, which must be empty (or hold only part of this same archive,
    unchanged, from an interrupted restore: every write replaces by id, so running it again completes it)."""
    hook = on_step or (lambda step: None)
    report = CopyReport()
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InvalidInputError(f"There is no file {path}.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise InvalidInputError(f"{path} is not a readable backup archive: {error}.") from None
    with archive:
        manifest = read_manifest(archive)
        started = time.perf_counter()
        _check_archive(archive, manifest)
        script_ids = {Script.model_validate_json(line).id for line in _lines(archive, SCRIPTS)}
        check_target_holds_only(services.documents, script_ids, "this backup")
        _check_held_scripts_unchanged(archive, services.documents, script_ids)
        report.seconds["check"] = time.perf_counter() - started
        started = time.perf_counter()
        documents = services.documents
        cache_entries = (CachedValue.model_validate_json(line) for line in _lines(archive, CACHE))
        for cache_batch in batched(cache_entries, BATCH):
            documents.import_cached(cache_batch)
        for entry in manifest["files"]:
            key = check_key(str(entry["key"]))
            if not services.blobs.exists(key):
                with archive.open(FILES_PREFIX + key) as stream:
                    stored = services.blobs.put(stream)  # type: ignore[arg-type]
                if stored.key != key:
                    raise InvalidInputError(f"The file {key} in the backup does not match its checksum.")
                report.files_copied += 1
            hook(Step("file", key))
        for scene_batch in batched((Scene.model_validate_json(line) for line in _lines(archive, SCENES)), BATCH):
            documents.import_scenes(scene_batch)
            report.scenes += len(scene_batch)
        hook(Step("scenes", path.name))
        for version_batch in batched(
            (SceneVersion.model_validate_json(line) for line in _lines(archive, VERSIONS)), BATCH
        ):
            documents.import_versions(version_batch)
        hook(Step("versions", path.name))
        for line in _lines(archive, CHATS):
            documents.save_chat(ChatSession.model_validate_json(line))
        if SCHEDULES in manifest["collections"]:
            copy_schedules((Schedule.model_validate_json(line) for line in _lines(archive, SCHEDULES)), documents)
        scripts = [Script.model_validate_json(line) for line in _lines(archive, SCRIPTS)]
        for script_batch in batched(scripts, BATCH):
            documents.import_scripts(script_batch)
        report.copied_scripts = len(scripts)
        hook(Step("scripts", path.name))
        users = [User.model_validate_json(line) for line in _lines(archive, USERS)]
        report.users_copied = copy_users(users, services.users)
        # Version 2 archives have no records: their settings travel in the cache and are moved out of it when the
        # library is next opened.
        records = (
            [StoredRecord.model_validate_json(line) for line in _lines(archive, RECORDS)] if RECORDS in manifest else []
        )
        copy_records(records, services.records)
        report.seconds["restore"] = time.perf_counter() - started
        started = time.perf_counter()
        report.rows = [
            *_verify_restored(archive, manifest, services),
            verify_users(users, services.users),
            verify_records(records, services.records),
        ]
        report.seconds["verify"] = time.perf_counter() - started
    if reindex:
        started = time.perf_counter()
        for script in scripts:
            if script.status is ScriptStatus.COMPLETED:
                index_script(services, script)
                report.indexed_scripts += 1
                hook(Step("index", script.id))
        report.seconds["index"] = time.perf_counter() - started
        report.search_records = services.vectors.count()
    else:
        report.notes.append("note: search records were not rebuilt (re-indexing was skipped).")
    return report


def _check_archive(archive: zipfile.ZipFile, manifest: dict[str, Any]) -> None:
    """Every collection and file of the manifest present with its checksum, before anything is written."""
    collections = manifest.get("collections")
    files = manifest.get("files")
    # Archives of version 2 hold no schedules.
    readable = ({*COLLECTIONS}, {*COLLECTIONS} - {SCHEDULES})
    if not isinstance(collections, dict) or not isinstance(files, list) or set(collections) not in readable:
        raise InvalidInputError("The backup's manifest is damaged.")
    try:
        checked = {name: collections[name] for name in COLLECTIONS if name in collections}
        checked["user accounts"] = manifest["users"]
        if RECORDS in manifest:  # version 3 on
            checked["settings records"] = manifest[RECORDS]
        file_names = {"user accounts": USERS, "settings records": RECORDS}
        for what, expected in checked.items():
            digest = LineDigest()
            for line in _lines(archive, file_names.get(what, what)):
                digest.add(line)
            if (digest.count, digest.sha256) != (expected.get("count"), expected.get("sha256")):
                raise InvalidInputError(
                    f"The backup is damaged: the {what} file does not match its checksum. Nothing was restored."
                )
        for entry in files:
            key = check_key(str(entry.get("key")))
            with archive.open(FILES_PREFIX + key) as stream:
                sha256, size = copy_hashing(stream, _Discard())  # type: ignore[arg-type]
            if key_for(sha256) != key or size != entry.get("size"):
                raise InvalidInputError(f"The backup is damaged: the file {key} does not match its checksum.")
    except KeyError as error:
        raise InvalidInputError(
            f"The backup is incomplete: {error.args[0]} is missing. Nothing was restored."
        ) from None
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as error:
        raise InvalidInputError(f"The backup is damaged ({error}). Nothing was restored.") from None


def _check_held_scripts_unchanged(archive: zipfile.ZipFile, documents: DocumentStore, script_ids: set[str]) -> None:
    """Scripts of the archive that the target already holds must be exactly as in the archive (what an interrupted
    restore of this same archive leaves). Anything else, such as an older backup restored over its own library, would
    mix old scenes with newer history; it is refused before anything is written."""
    held = {script.id: script for script in documents.list_scripts() if script.id in script_ids}
    if not held:
        return
    expected: dict[tuple[str, str], LineDigest] = {}
    for collection in HELD_COLLECTIONS:
        for line in _lines(archive, collection):
            script_id = _owning_script(collection, line)
            if script_id in held:
                expected.setdefault((script_id, collection), LineDigest()).add(line)
    changed: list[tuple[Script, str]] = []
    for script_id, script in held.items():
        found = {
            SCRIPTS: [script_line(script)],
            SCENES: [scene_line(scene) for scene in documents.list_scenes(script_id)],
            VERSIONS: [version_line(version) for version in documents.iter_versions(script_id)],
            CHATS: [chat_line(session) for session in documents.list_script_chats(script_id)],
        }
        for collection in HELD_COLLECTIONS:
            digest = LineDigest()
            for line in found[collection]:
                digest.add(line)
            wanted = expected.get((script_id, collection), LineDigest())
            if (digest.count, digest.sha256) != (wanted.count, wanted.sha256):
                changed.append((script, HELD_WHAT[collection]))
                break
    if changed:
        script, what = changed[0]
        raise InvalidInputError(
            f"The library already holds {len(changed)} of this backup's scripts and they changed after the backup "
            f"was made (for example the {what} of “{script.title}”). Restoring over them would mix old scenes with "
            "newer history, so nothing was restored. Restore into an empty library, or delete those scripts first."
        )


def _owning_script(collection: str, line: str) -> str:
    document = json.loads(line)
    return str(document["id"] if collection == SCRIPTS else document["script_id"])


class _Discard:
    def write(self, data: bytes, /) -> int:
        return len(data)


def _lines(archive: zipfile.ZipFile, collection: str) -> Iterator[str]:
    with archive.open(f"{collection}.jsonl") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as text:
        for line in text:
            yield line.removesuffix("\n")


def _verify_restored(archive: zipfile.ZipFile, manifest: dict[str, Any], services: Services) -> list[VerifyRow]:
    """The restored library against the manifest: counts and checksums of every collection, every file's hash.
    Cache entries the target had already (its own settings, embeddings) are left out of the cache comparison."""
    cache_keys = set()
    for line in _lines(archive, CACHE):
        entry = CachedValue.model_validate_json(line)
        cache_keys.add((entry.namespace, entry.key))
    summary = summarise_collections(services.documents, sorted_scripts(services.documents), cache_keys)
    rows = []
    for name in COLLECTIONS:
        if name not in manifest["collections"]:
            continue  # an older archive without schedules
        expected = manifest["collections"][name]
        found = summary[name]
        matches = (found.count, found.sha256) == (expected["count"], expected["sha256"])
        rows.append(VerifyRow(name, int(expected["count"]), found.count, matches))
    rows.append(verify_files([str(entry["key"]) for entry in manifest["files"]], services.blobs))
    return rows
