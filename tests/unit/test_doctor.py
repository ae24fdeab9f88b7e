"""`cortexreel doctor` on the embedded defaults and with a bad configuration (with servers, and with a server
down: tests/integration/test_doctor_servers.py); the builder picks the server adapters without connecting."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cortexreel.adapters.blobs_s3 import S3BlobStore
from cortexreel.adapters.documents_mongo import MongoDocumentStore
from cortexreel.adapters.queue_rq import RqTaskQueue
from cortexreel.bootstrap import build_services
from cortexreel.cli import main
from cortexreel.config import load_settings
from tests.fakes import InMemoryDocumentStore

ROOT = Path(__file__).resolve().parents[2]


def doctor_json(capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, dict[str, object]]]:
    code = main(["doctor", "--json"])
    report = json.loads(capsys.readouterr().out)
    return code, {item["port"]: item for item in report["backends"]}


def test_embedded_defaults(capsys: pytest.CaptureFixture[str], isolated_environment: Path) -> None:
    code, report = doctor_json(capsys)
    assert code == 0
    assert {port: item["adapter"] for port, item in report.items()} == {
        "documents": "sqlite",
        "blobs": "local-folder",
        "vectors": "embedded",
        "tasks": "in-process",
        "users": "sqlite",
        "rate limits": "in-process",
        "embedder": "local",
        "analyzer": "offline",
    }
    assert all(item["ok"] and not item["server"] for item in report.values())
    assert report["documents"]["target"] == str(isolated_environment / "cortexreel.sqlite3")


def test_bad_configuration_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CORTEXREEL_ENV", "production")
    assert main(["doctor"]) == 2
    assert "CORTEXREEL_SECRET_KEY" in capsys.readouterr().err


def test_runs_as_a_module(isolated_environment: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cortexreel", "doctor"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "ok   documents  sqlite" in result.stdout


def test_bootstrap_picks_server_adapters_and_accepts_overrides() -> None:
    settings = load_settings(
        mongodb_uri="mongodb://127.0.0.1:9/",  # nothing connects while building, so nothing need listen there
        redis_url="redis://127.0.0.1:6379/15",
        s3_endpoint="127.0.0.1:9",
        s3_access_key="k",
        s3_secret_key="s",
    )
    services = build_services(settings)
    assert isinstance(services.documents, MongoDocumentStore)
    assert isinstance(services.queue, RqTaskQueue)
    assert isinstance(services.blobs, S3BlobStore)
    fake = InMemoryDocumentStore()
    assert build_services(settings, documents=fake).documents is fake
    with pytest.raises(TypeError):
        build_services(settings, database=fake)
