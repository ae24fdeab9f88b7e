"""The migration commands through their own argparse registration."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortexreel.bootstrap import build_services
from cortexreel.cli import library
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.errors import InvalidInputError
from cortexreel.migration.browser_export import script_id_for
from tests import migration_builders as export
from tests.fakes import HashingEmbedder, SynchronousTaskQueue


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield build_services(settings, queue=SynchronousTaskQueue, embedder=HashingEmbedder())


def run(services: Services, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    library.add_parsers(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    code: int = args.handler(args, services)
    return code


def test_import_dry_run_then_import_then_list(
    services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "store.json"
    file.write_bytes(export.export_bytes())
    assert run(services, "import-cortexreel", str(file), "--owner", "ann", "--dry-run") == 0
    out = capsys.readouterr().out
    assert "would import      Night Shift (2 scenes)" in out
    assert "nothing was written" in out
    assert services.documents.list_scripts() == []

    assert run(services, "import-cortexreel", str(file), "--owner", "ann") == 0
    assert "Imported 3, already imported 0." in capsys.readouterr().out
    assert run(services, "import-cortexreel", str(file), "--owner", "ann") == 0
    assert "Imported 0, already imported 3." in capsys.readouterr().out

    assert run(services, "scripts", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == {
        "scripts": [
            {
                "id": script_id_for("ann", old_id),
                "title": title,
                "status": "completed",
                "scenes": scenes,
                "created_at": created,
            }
            for old_id, title, scenes, created in (
                (export.NIGHT_SHIFT, "Night Shift", 2, "2025-07-01T09:00:00+00:00"),
                (export.LATO, "Ostatni dzień lata", 3, "2025-06-30T18:22:05+00:00"),
                (export.DRAFT, "Draft zero", 1, "2025-05-01T10:00:00+00:00"),
            )
        ]
    }
    assert run(services, "scripts") == 0
    assert "Night Shift" in capsys.readouterr().out


def test_import_of_a_truncated_file_fails_with_the_position(services: Services, tmp_path: Path) -> None:
    file = tmp_path / "cut.json"
    file.write_bytes(export.truncated_bytes(3000))
    with pytest.raises(InvalidInputError, match=r"line 1, column \d+"):
        run(services, "import-cortexreel", str(file))
    with pytest.raises(InvalidInputError, match="There is no file"):
        run(services, "import-cortexreel", str(tmp_path / "missing.json"))
    assert services.documents.list_scripts() == []


def test_backup_and_restore_commands(services: Services, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "store.json"
    file.write_bytes(export.export_bytes())
    run(services, "import-cortexreel", str(file))
    archive = tmp_path / "backup.zip"
    assert run(services, "backup", "-o", str(archive)) == 0
    assert "3 scripts, 6 scenes, 6 scene versions, 1 chat sessions" in capsys.readouterr().out
    settings = Settings(_env_file=None, data_dir=tmp_path / "fresh")
    fresh = build_services(settings, queue=SynchronousTaskQueue, embedder=HashingEmbedder())
    assert run(fresh, "restore", str(archive)) == 0
    out = capsys.readouterr().out
    assert "verified: every collection matches" in out
    assert len(fresh.documents.list_scripts()) == 3
