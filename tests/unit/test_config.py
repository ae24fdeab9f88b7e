"""Settings: embedded defaults, server selection, and refusing unsafe production settings."""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from cortexreel.config import Settings, load_settings, looks_random, redact_url
from cortexreel.errors import ConfigurationError

STRONG_KEY = "Xq3vT9pLw2ZrN8sKd5HyB1mFc7GjA4eU6oRiQ0tV"  # noqa: S105 - a test key


def test_nothing_set_means_embedded_everything(isolated_environment: Path) -> None:
    settings = load_settings()
    assert settings.data_dir == isolated_environment
    assert not any(settings.uses_servers.values())
    assert settings.llm_provider == "offline"
    assert settings.embedding_backend == "local"


def test_environment_variables_select_servers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_MONGODB_URI", "mongodb://db:27017/")
    monkeypatch.setenv("CORTEXREEL_REDIS_URL", "redis://queue:6379/0")
    monkeypatch.setenv("CORTEXREEL_S3_ENDPOINT", "minio:9000")
    monkeypatch.setenv("CORTEXREEL_S3_ACCESS_KEY", "app")
    monkeypatch.setenv("CORTEXREEL_S3_SECRET_KEY", "secret")
    monkeypatch.setenv("CORTEXREEL_QUEUES", "high, default")
    monkeypatch.setenv("CORTEXREEL_MAX_UPLOAD_MB", "7")
    settings = load_settings()
    assert settings.uses_servers == {
        "documents": True,
        "vectors": False,
        "blobs": True,
        "tasks": True,
        "users": True,
        "rate limits": True,
    }
    assert settings.queue_names == ["high", "default"]
    assert settings.max_upload_bytes == 7 * 1024 * 1024


def test_dotenv_file_is_read(isolated_environment: Path) -> None:
    Path(".env").write_text("CORTEXREEL_MAX_PAGES=42\n")
    assert load_settings().max_pages == 42


def test_openai_key_is_read_the_standard_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-123")
    monkeypatch.setenv("CORTEXREEL_LLM_PROVIDER", "openai")
    settings = load_settings()
    assert settings.openai_api_key is not None
    assert settings.openai_api_key.get_secret_value() == "sk-test-123"
    assert "sk-test-123" not in repr(settings)


def test_openai_provider_without_a_key_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_LLM_PROVIDER", "openai")
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        load_settings()
    monkeypatch.setenv("CORTEXREEL_LLM_BASE_URL", "http://127.0.0.1:11434/v1")
    assert load_settings().llm_base_url == "http://127.0.0.1:11434/v1"


def test_s3_needs_both_keys() -> None:
    with pytest.raises(ConfigurationError, match="CORTEXREEL_S3_SECRET_KEY"):
        load_settings(s3_endpoint="minio:9000", s3_access_key="app")


def test_bad_values_are_explained(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORTEXREEL_LLM_TEMPERATURE", "9")
    with pytest.raises(ConfigurationError, match="llm_temperature"):
        load_settings()


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({}, "CORTEXREEL_SECRET_KEY"),
        ({"secret_key": "short"}, "CORTEXREEL_SECRET_KEY"),
        (
            {
                "secret_key": STRONG_KEY,
                "s3_endpoint": "minio:9000",
                "s3_access_key": "a",
                "s3_secret_key": "minioadmin",
            },
            "CORTEXREEL_S3_SECRET_KEY",
        ),
        ({"secret_key": STRONG_KEY, "weaviate_url": "http://weaviate:8080"}, "CORTEXREEL_WEAVIATE_API_KEY"),
        ({"secret_key": STRONG_KEY, "mongodb_uri": "mongodb://mongo:27017/"}, "CORTEXREEL_MONGODB_URI"),
        ({"secret_key": "a" * 32}, "CORTEXREEL_SECRET_KEY is long enough but not random"),
        ({"secret_key": "ab" * 20}, "CORTEXREEL_SECRET_KEY is long enough but not random"),
        ({"secret_key": "0123456789abcdef" * 2}, "CORTEXREEL_SECRET_KEY is long enough but not random"),
        (
            {"secret_key": "replace-with-a-random-string-of-at-least-32-characters"},
            "CORTEXREEL_SECRET_KEY is long enough but not random",
        ),
        ({"secret_key": STRONG_KEY, "redis_url": "redis://redis:6379/0"}, "CORTEXREEL_REDIS_URL"),
        ({"secret_key": STRONG_KEY, "redis_url": "redis://:changeme@redis:6379/0"}, "CORTEXREEL_REDIS_URL"),
    ],
)
def test_production_refuses_default_or_empty_secrets(overrides: dict[str, str], complaint: str) -> None:
    with pytest.raises(ConfigurationError, match=complaint):
        load_settings(env="production", auth_required=True, **overrides)


def test_production_requires_accounts() -> None:
    with pytest.raises(ConfigurationError, match="CORTEXREEL_AUTH_REQUIRED"):
        load_settings(env="production", secret_key=STRONG_KEY)


def test_production_with_real_secrets_is_accepted() -> None:
    settings = load_settings(
        env="production",
        auth_required=True,
        secret_key=STRONG_KEY,
        mongodb_uri="mongodb://app:s3cr3t-Value@mongo:27017/",
        s3_endpoint="minio:9000",
        s3_access_key="app",
        s3_secret_key="a-real-secret",
        weaviate_url="http://weaviate:8080",
        weaviate_api_key="a-real-key",
        redis_url="redis://:a-real-password@redis:6379/0",
    )
    assert settings.env == "production"
    assert "s3cr3t" not in repr(settings)


def test_generated_keys_pass_the_randomness_check() -> None:
    # What the error message tells people to run, and the shorter hex form, both pass every time.
    for _ in range(2000):
        assert looks_random(secrets.token_urlsafe(32))
        assert looks_random(secrets.token_hex(16))


def test_development_allows_the_defaults() -> None:
    assert load_settings(mongodb_uri="mongodb://localhost:27017/").env == "development"


def test_redact_url_hides_passwords() -> None:
    assert redact_url("mongodb://app:hunter2@mongo:27017/db") == "mongodb://app:***@mongo:27017/db"
    assert redact_url("redis://127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_settings_class_is_the_one_source(settings: Settings) -> None:
    assert settings.queue_names == ["cortexreel"]
