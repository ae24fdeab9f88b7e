"""Migration from the embedded adapters to the MongoDB wire server and the S3 server, interrupted and resumed."""

from __future__ import annotations

import argparse
import json
import uuid
from pathlib import Path

import pytest
from pymongo import MongoClient

from cortexreel.cli import library
from cortexreel.cli.library import migrate_command
from cortexreel.config import Settings
from cortexreel.container import Services
from cortexreel.errors import InvalidInputError
from cortexreel.migration.move import Step, StepHook, migrate, settings_from_env_file
from cortexreel.services import scripts
from tests.builders import fountain_script
from tests.integration.test_migration_backup import (
    build_library,
    check_identical,
    documents_of,
    embedded,
    servers,
)
from tests.servers import S3Server


class Interrupted(Exception):
    """Raised by the test's hook to stop a migration part-way, like a killed process."""


def interrupt_after(count: int, seen: list[Step]) -> StepHook:
    def hook(step: Step) -> None:
        seen.append(step)
        if len(seen) == count:
            raise Interrupted(f"stopped after {step}")

    return hook


@pytest.fixture
def source(tmp_path: Path) -> Services:
    services = embedded(tmp_path / "source")
    build_library(services)
    return services


def test_an_interrupted_migration_resumes_with_nothing_missing_or_duplicated(
    source: Services, tmp_path: Path, mongo_wire_uri: str, s3_server: S3Server
) -> None:
    target = servers(tmp_path / "target", mongo_wire_uri, s3_server)
    checkpoint = tmp_path / "progress.json"
    steps: list[Step] = []
    # 5 files, the cache, then scenes / versions / script per script: stop inside the third script.
    with pytest.raises(Interrupted):
        migrate(source, target, checkpoint_path=checkpoint, on_step=interrupt_after(5 + 1 + 3 * 2 + 1, steps))
    assert steps[-1].kind == "scenes"
    half_copied = steps[-1].key
    saved = json.loads(checkpoint.read_text())
    assert saved["files_done"] and saved["cache_done"] and len(saved["scripts"]) == 2
    # A half-copied script is not visible in the target: its record is written last.
    assert {s.id for s in target.documents.list_scripts()} == set(saved["scripts"])
    assert target.documents.list_scenes(half_copied)  # ...though its scenes are there

    resumed: list[Step] = []
    report = migrate(source, target, checkpoint_path=checkpoint, on_step=resumed.append)
    assert report.ok, report.lines()
    assert (report.resumed_scripts, report.copied_scripts, report.files_copied) == (2, 3, 0)
    assert not any(step.kind == "file" for step in resumed)
    assert report.indexed_scripts == 5
    check_identical(source, target)

    # Straight from the server: every document once.
    database = target.documents.describe().rsplit("database ", 1)[1].rstrip(")")
    client: MongoClient[dict[str, object]] = MongoClient(mongo_wire_uri)
    try:
        stored = client[database]
        expected = documents_of(source)
        for collection in ("scripts", "scenes", "scene_versions", "chat_sessions"):
            assert stored[collection].count_documents({}) == len(expected[collection]), collection
        keys = [(d["scene_id"], d["version"]) for d in stored["scene_versions"].find({}, {"scene_id": 1, "version": 1})]
        assert len(keys) == len(set(keys))
    finally:
        client.close()

    # Running it once more copies nothing and still verifies.
    again = migrate(source, target, checkpoint_path=checkpoint)
    assert again.ok and again.copied_scripts == 0 and again.indexed_scripts == 0


def test_a_resume_without_the_checkpoint_redoes_everything_without_duplicates(
    source: Services, tmp_path: Path, mongo_wire_uri: str, s3_server: S3Server
) -> None:
    target = servers(tmp_path / "target", mongo_wire_uri, s3_server)
    with pytest.raises(Interrupted):
        migrate(source, target, on_step=interrupt_after(9, []))
    report = migrate(source, target)
    assert report.ok, report.lines()
    check_identical(source, target)


def test_migration_refuses_a_target_holding_another_library(source: Services, tmp_path: Path) -> None:
    target = embedded(tmp_path / "target")
    scripts.ingest(target, fountain_script(2).encode(), "other.fountain")
    with pytest.raises(InvalidInputError, match="not in the current library"):
        migrate(source, target)
    with pytest.raises(InvalidInputError, match="is the current library"):
        migrate(source, embedded(tmp_path / "source"))


def test_target_settings_come_only_from_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_MONGODB_URI", "mongodb://source.example:27017/")
    env_file = tmp_path / "target.env"
    env_file.write_text(
        "# the servers\n"
        f"CORTEXREEL_DATA_DIR={tmp_path / 'target'}\n"
        "CORTEXREEL_S3_ENDPOINT=http://127.0.0.1:9\n"
        "CORTEXREEL_S3_ACCESS_KEY=key\n"
        "CORTEXREEL_S3_SECRET_KEY='a secret'\n"
        "UNRELATED=1\n"
    )
    settings = settings_from_env_file(env_file)
    assert isinstance(settings, Settings)
    assert settings.mongodb_uri is None  # not inherited from this process
    assert settings.s3_endpoint == "http://127.0.0.1:9"
    assert settings.s3_secret_key is not None and settings.s3_secret_key.get_secret_value() == "a secret"
    assert settings.data_dir == tmp_path / "target"
    env_file.write_text("CORTEXREEL_S3_ENDPOINT=http://127.0.0.1:9\n")
    with pytest.raises(Exception, match="S3_ACCESS_KEY"):
        settings_from_env_file(env_file)
    with pytest.raises(InvalidInputError, match="no settings file"):
        settings_from_env_file(tmp_path / "missing.env")


def test_the_migrate_command_prints_a_verified_report(
    source: Services, tmp_path: Path, mongo_wire_uri: str, s3_server: S3Server, capsys: pytest.CaptureFixture[str]
) -> None:
    name = f"t{uuid.uuid4().hex[:12]}"
    env_file = tmp_path / "servers.env"
    env_file.write_text(
        f"CORTEXREEL_DATA_DIR={tmp_path / 'target'}\n"
        f"CORTEXREEL_MONGODB_URI={mongo_wire_uri}\n"
        f"CORTEXREEL_MONGODB_DATABASE={name}\n"
        f"CORTEXREEL_S3_ENDPOINT=http://{s3_server.endpoint}\n"
        f"CORTEXREEL_S3_ACCESS_KEY={s3_server.access_key}\n"
        f"CORTEXREEL_S3_SECRET_KEY={s3_server.secret_key}\n"
        f"CORTEXREEL_S3_BUCKET={name}\n"
    )
    parser = argparse.ArgumentParser()
    library.add_parsers(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["migrate", "--to-env", str(env_file), "--no-reindex"])
    assert args.handler is migrate_command
    assert migrate_command(args, source) == 0
    out = capsys.readouterr().out
    assert "to:   mongodb" in out
    assert "verified: every collection matches" in out
    assert (tmp_path / "servers.env.progress.json").is_file()
    rows = {
        line.split()[0]: line.split()[1:]
        for line in out.splitlines()
        if line.split() and line.split()[0] in ("scripts", "scenes", "scene_versions", "chat_sessions", "files")
    }
    assert rows["scripts"] == ["5", "5", "ok"]
    assert rows["files"] == ["5", "5", "ok"]
