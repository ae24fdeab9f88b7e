"""docker-compose.yml brings up the whole stack with secrets only from the environment."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return loaded


def test_every_service_is_there_with_a_healthcheck_or_dependency() -> None:
    services = compose()["services"]
    assert set(services) == {"mongo", "weaviate", "redis", "minio", "app", "worker"}
    for name in ("mongo", "weaviate", "redis", "minio", "app"):
        assert "healthcheck" in services[name], name
    assert services["mongo"]["image"].startswith("mongo:7")
    assert services["redis"]["image"].startswith("redis:7")
    assert re.search(r"weaviate:\d+\.\d+\.\d+$", services["weaviate"]["image"]), "Weaviate must be pinned"
    assert services["weaviate"]["environment"]["DEFAULT_VECTORIZER_MODULE"] == "none"


def test_workers_scale_and_stop_gracefully() -> None:
    worker = compose()["services"]["worker"]
    assert worker["command"] == ["python", "worker.py"]
    assert "container_name" not in worker and "ports" not in worker, "a fixed name or port would stop --scale"
    assert worker["stop_signal"] == "SIGTERM"


def test_data_lives_in_named_volumes() -> None:
    document = compose()
    assert set(document["volumes"]) == {"mongo-data", "weaviate-data", "redis-data", "minio-data"}


def test_no_secret_is_hard_coded() -> None:
    text = (ROOT / "docker-compose.yml").read_text()
    for variable in ("CORTEXREEL_SECRET_KEY", "MONGO_PASSWORD", "REDIS_PASSWORD", "MINIO_PASSWORD", "WEAVIATE_API_KEY"):
        assert f"${{{variable}:?" in text, f"{variable} must be required from the environment"
    assert "minioadmin" not in text
    app_env = compose()["services"]["app"]["environment"]
    assert app_env["CORTEXREEL_ENV"] == "production"
    assert app_env["CORTEXREEL_WEAVIATE_URL"] == "http://weaviate:8080"
