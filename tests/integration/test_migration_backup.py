"""Backup → restore into an empty library of either kind: identical documents, files and search results."""

from __future__ import annotations

import hashlib
import uuid
import zipfile
from pathlib import Path

import pytest

from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.scenes import VersionSource, next_version
from cortexreel.errors import InvalidInputError
from cortexreel.migration.archive import backup, restore
from cortexreel.migration.browser_import import import_browser_export
from cortexreel.migration.library import COLLECTIONS, collection_lines, sorted_scripts
from cortexreel.ports import CachedValue
from cortexreel.services import accounts, app_settings, schedule, scripts, search
from tests import migration_builders
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder, SynchronousTaskQueue
from tests.servers import S3Server

QUERIES = ["witch", "car skids on the wet road", "cold water bridge villagers", "Olka łódką", "candle revolver"]


def embedded(root: Path) -> Services:
    """The embedded defaults in `root`, with a fast deterministic embedder."""
    settings = Settings(_env_file=None, data_dir=root)
    return build_services(settings, queue=SynchronousTaskQueue, embedder=HashingEmbedder())


def servers(root: Path, mongo_uri: str, s3: S3Server) -> Services:
    """MongoDB wire server and S3 server, in a database and bucket of their own."""
    name = f"t{uuid.uuid4().hex[:12]}"
    settings = Settings(
        _env_file=None,
        data_dir=root,
        mongodb_uri=mongo_uri,
        mongodb_database=name,
        s3_endpoint=s3.endpoint,
        s3_access_key=s3.access_key,
        s3_secret_key=s3.secret_key,
        s3_bucket=name,
        s3_secure=s3.secure,
    )
    return build_services(settings, queue=SynchronousTaskQueue, embedder=HashingEmbedder())


def build_library(services: Services) -> None:
    """Two analysed scripts with an edit and a chat, plus an imported browser export."""
    first = scripts.ingest(services, fountain_script(12, title="Big Fish").encode(), "big_fish.fountain", owner="ann")
    scripts.ingest(services, fountain_script(7, title="Small Fish").encode(), "small_fish.fountain", owner="bob")
    scene = services.documents.list_scenes(first.id)[2]
    assert scene.analysis is not None
    edited = scene.analysis.model_copy(update={"complexity": "high"})
    services.documents.write_analysis(next_version(scene, edited, author="ann", source=VersionSource.FORM))
    schedule.naive(services, "ann", first.id, expected_version=0, note="first board")
    schedule.naive(services, "ann", first.id, expected_version=1, note="again")
    session = ChatSession(script_id=first.id, user="ann", title="notes")
    services.documents.save_chat(session)
    services.documents.append_chat_message(session.id, ChatMessage(role="user", content="make scene 3 night"))
    app_settings.save_settings(services, "ann", {"max_pages": 300})
    services.documents.put_cached("embeddings", "some-text", {"vector": [0.5]})
    import_browser_export(services, migration_builders.export_bytes(), owner="ann")
    accounts.create_user(services, "ann", "correct horse battery staple", admin=True)
    accounts.create_user(services, "bob", "another long password")


def documents_of(services: Services) -> dict[str, list[str]]:
    scripts_sorted = sorted_scripts(services.documents)
    return {name: list(collection_lines(services.documents, name, scripts_sorted)) for name in COLLECTIONS}


def files_of(services: Services) -> dict[str, str]:
    found = {}
    keys = services.blobs.keys()  # an iterator, not a dict view
    for key in keys:
        with services.blobs.open(key) as stream:
            found[key] = hashlib.sha256(stream.read()).hexdigest()
    return found


def search_results(services: Services) -> list[list[tuple[str, float]]]:
    results = []
    for user in ("ann", "bob"):
        for query in QUERIES:
            results.append([(hit.scene_id, hit.score) for hit in search.search(services, user, query, limit=5)])
    return results


@pytest.fixture
def source(tmp_path: Path) -> Services:
    services = embedded(tmp_path / "source")
    build_library(services)
    return services


def check_identical(source: Services, target: Services) -> None:
    expected, restored = documents_of(source), documents_of(target)
    for name in COLLECTIONS:
        assert restored[name] == expected[name], name
    assert len(expected["scripts"]) == 5
    assert files_of(target) == files_of(source)
    assert all(key == f"sha256/{digest}" for key, digest in files_of(target).items())
    assert search_results(target) == search_results(source)
    assert any(hits for hits in search_results(target))
    assert target.vectors.count() == source.vectors.count()
    assert target.users.list_users() == source.users.list_users()
    assert [user.login for user in target.users.list_users()] == ["ann", "bob"]
    assert list(target.records.iter_records()) == list(source.records.iter_records())
    assert len(documents_of(target)["schedules"]) == 2
    assert app_settings.stored_overrides(target.records) == {"max_pages": 300}


def test_backup_and_restore_into_an_empty_embedded_library(source: Services, tmp_path: Path) -> None:
    archive = tmp_path / "library.zip"
    made = backup(source, archive)
    assert made.counts["scripts"] == 5
    assert made.counts["scene_versions"] == 12 + 7 + 1 + 6  # one version per scene, plus the edit
    assert made.files == 2 + 3  # two screenplays, three imported history entries
    with zipfile.ZipFile(archive) as opened:
        assert {
            "manifest.json",
            "scripts.jsonl",
            "scenes.jsonl",
            "scene_versions.jsonl",
            "chat_sessions.jsonl",
            "cache.jsonl",
        } <= set(opened.namelist())
    target = embedded(tmp_path / "restored")
    report = restore(target, archive)
    assert report.ok, report.lines()
    assert report.indexed_scripts == 5
    check_identical(source, target)
    # Restoring the same archive again is harmless: same documents, nothing duplicated.
    assert restore(target, archive).ok
    check_identical(source, target)


def test_backup_and_restore_into_mongodb_and_s3(
    source: Services, tmp_path: Path, mongo_wire_uri: str, s3_server: S3Server
) -> None:
    archive = tmp_path / "library.zip"
    backup(source, archive)
    target = servers(tmp_path / "restored", mongo_wire_uri, s3_server)
    report = restore(target, archive)
    assert report.ok, report.lines()
    check_identical(source, target)


def test_restore_refuses_a_library_that_is_not_empty(source: Services, tmp_path: Path) -> None:
    archive = tmp_path / "library.zip"
    backup(source, archive)
    other = embedded(tmp_path / "other")
    scripts.ingest(other, fountain_script(2).encode(), "other.fountain")
    with pytest.raises(InvalidInputError, match="already holds 1 script"):
        restore(other, archive)
    assert len(other.documents.list_scripts()) == 1


def test_a_damaged_archive_is_refused_and_nothing_is_written(source: Services, tmp_path: Path) -> None:
    archive = tmp_path / "library.zip"
    backup(source, archive)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(archive) as original, zipfile.ZipFile(damaged, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "scenes.jsonl":
                data = data.replace(b'"INT"', b'"EXT"', 1)
            copy.writestr(item, data)
    target = embedded(tmp_path / "restored")
    target.documents.import_cached([CachedValue(namespace="x", key="y", value={})])
    with pytest.raises(InvalidInputError, match="the scenes file does not match its checksum"):
        restore(target, damaged)
    assert target.documents.list_scripts() == []
    assert [entry.key for entry in target.documents.iter_cached()] == ["y"]
    assert list(target.blobs.keys()) == []
    with pytest.raises(InvalidInputError, match="not a readable backup"):
        restore(target, _not_zip(tmp_path))


def _not_zip(tmp_path: Path) -> Path:
    path = tmp_path / "notes.zip"
    path.write_text("not a zip")
    return path
