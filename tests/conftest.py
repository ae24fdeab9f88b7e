"""Shared fixtures: an isolated environment for every test and servers started once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from cortexreel.config import Settings
from cortexreel.container import Services
from tests import servers
from tests.fakes import (
    fake_services,
)

# Property tests are deterministic by default (the same examples on every machine and run, nothing replayed
# from a local database), so the README's test command cannot go red by chance. For a random search, run
# `HYPOTHESIS_PROFILE=explore python3 dev.py test tests/unit/parsing`; keep what it finds as an @example.
hypothesis_settings.register_profile(
    "default",
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile(
    "explore", max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(autouse=True)
def isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No test sees the developer's CORTEXREEL_* settings or writes to the real data folder."""
    for name in list(os.environ):
        if name.startswith("CORTEXREEL_") and not name.startswith("CORTEXREEL_TEST_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("CORTEXREEL_DATA_DIR", str(data_dir))
    monkeypatch.chdir(tmp_path)
    return data_dir


@pytest.fixture
def settings(isolated_environment: Path) -> Settings:
    return Settings(_env_file=None, data_dir=isolated_environment)


@pytest.fixture
def services(settings: Settings) -> Services:
    """Services on fakes of our ports (in-memory documents and files, tasks run at once, hashing embedder),
    with the real embedded vector index in the test's data folder."""
    return fake_services(settings)


@pytest.fixture(scope="session")
def mongo_wire_uri(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from servers.mongo_wire_server(tmp_path_factory.mktemp("mongo-wire"))


@pytest.fixture(scope="session")
def s3_server() -> Iterator[servers.S3Server]:
    yield from servers.moto_s3_server()
