"""Restoring an older backup over the same, newer library is refused before anything is written, a damaged manifest
is explained, and an inconsistent history never surfaces as a raw database error."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.domain.scenes import VersionSource, next_version
from cortexreel.errors import ConflictError, InvalidInputError
from cortexreel.migration.archive import backup, restore
from cortexreel.migration.library import summarise
from cortexreel.services import scripts
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder, SynchronousTaskQueue


def embedded(root: Path) -> Services:
    return build_services(
        Settings(_env_file=None, data_dir=root), queue=SynchronousTaskQueue, embedder=HashingEmbedder()
    )


def edit(services: Services, scene_id: str, complexity: str) -> int:
    scene = services.documents.get_scene(scene_id)
    assert scene is not None and scene.analysis is not None
    changed = scene.analysis.model_copy(update={"complexity": complexity})
    return services.documents.write_analysis(
        next_version(scene, changed, author="ann", source=VersionSource.FORM)
    ).version


@pytest.fixture
def library(tmp_path: Path) -> Services:
    services = embedded(tmp_path / "library")
    scripts.ingest(services, fountain_script(4, title="Fish").encode(), "fish.fountain", owner="ann")
    return services


def test_an_older_backup_over_its_newer_library_is_refused_and_nothing_changes(
    library: Services, tmp_path: Path
) -> None:
    archive = tmp_path / "old.zip"
    backup(library, archive)
    script = library.documents.list_scripts()[0]
    scene = library.documents.list_scenes(script.id)[1]
    assert [edit(library, scene.id, level) for level in ("high", "low")] == [2, 3]
    before = summarise(library.documents)

    with pytest.raises(InvalidInputError, match=r"changed after the backup .*the scenes of “Fish”.*nothing was"):
        restore(library, archive)

    assert summarise(library.documents) == before
    assert [version.version for version in library.documents.list_versions(scene.id)] == [1, 2, 3]
    assert edit(library, scene.id, "medium") == 4  # the library stays usable


def test_the_same_backup_over_its_unchanged_library_completes(library: Services, tmp_path: Path) -> None:
    # What an interrupted restore of the same archive leaves behind is accepted, so running it again completes it.
    archive = tmp_path / "same.zip"
    backup(library, archive)
    before = summarise(library.documents)
    report = restore(library, archive, reindex=False)
    assert report.ok
    assert summarise(library.documents) == before


def test_a_history_ahead_of_its_scene_is_a_conflict_not_a_database_error(library: Services) -> None:
    # The state the unchecked restore used to leave: scene at version 1, history [1, 2].
    script = library.documents.list_scripts()[0]
    scene = library.documents.list_scenes(script.id)[0]
    assert scene.analysis is not None
    ahead = next_version(
        scene, scene.analysis.model_copy(update={"complexity": "high"}), author="x", source=VersionSource.FORM
    )
    library.documents.import_versions([ahead])
    with pytest.raises(ConflictError, match="history already has a version 2"):
        edit(library, scene.id, "low")
    assert library.documents.get_scene(scene.id).version == 1  # type: ignore[union-attr]


def test_a_bit_flip_in_the_manifest_is_explained(library: Services, tmp_path: Path) -> None:
    archive = tmp_path / "library.zip"
    backup(library, archive)
    with zipfile.ZipFile(archive) as opened:
        info = opened.getinfo("manifest.json")
    raw = bytearray(archive.read_bytes())
    # The entry's data follows its 30-byte local header, the file name and the extra field.
    name_length = int.from_bytes(raw[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(raw[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    raw[start + info.compress_size // 2] ^= 0x10
    damaged = tmp_path / "damaged.zip"
    damaged.write_bytes(bytes(raw))
    target = embedded(tmp_path / "target")
    with pytest.raises(InvalidInputError, match="manifest is damaged"):
        restore(target, damaged)
    assert target.documents.list_scripts() == []
