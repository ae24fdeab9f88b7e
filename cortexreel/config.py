"""The one Settings class. Every option comes from `CORTEXREEL_*` environment variables or `.env`.

Unset server settings select the embedded default (SQLite, local folder, embedded index, in-process
runner); setting a URL switches that port to its server adapter.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

from pydantic import AliasChoices, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cortexreel.domain.parse_limits import ParseLimits
from cortexreel.errors import ConfigurationError

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"  # noqa: S105 - refused in production
PLACEHOLDER_WORDS = ("replace", "change-me", "changeme", "example", "secret-key")
MIN_SECRET_KEY_BITS = 64
_PARSE = ParseLimits()  # the defaults of the parse limits live with the limits
KNOWN_DEFAULT_PASSWORDS = frozenset({"", "minioadmin", "password", "changeme", "change-me", "admin", "secret"})


class Settings(BaseSettings):
    """Configuration for the app, the workers and the CLI."""

    model_config = SettingsConfigDict(
        env_prefix="CORTEXREEL_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("data")
    secret_key: SecretStr = SecretStr(DEVELOPMENT_SECRET_KEY)
    log_level: str = "INFO"

    # Documents: MongoDB when a URI is set, otherwise SQLite in the data dir.
    mongodb_uri: SecretStr | None = None
    mongodb_database: str = "cortexreel"

    # Vectors: Weaviate when a URL is set, otherwise the embedded index in the data dir.
    weaviate_url: str | None = None
    weaviate_grpc_port: int = 50051
    weaviate_api_key: SecretStr | None = None

    # Blobs: S3 / MinIO when an endpoint is set, otherwise a local folder in the data dir.
    s3_endpoint: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None
    s3_bucket: str = "cortexreel"
    s3_region: str | None = None
    s3_secure: bool = True

    # Tasks: RQ when a Redis URL is set, otherwise an in-process runner.
    redis_url: SecretStr | None = None
    queues: str = Field(default="cortexreel", description="Comma-separated RQ queue names, first is default")
    job_timeout_seconds: int = 1800
    task_retries: int = 3
    inline_workers: int = 2

    # Analysis: the offline rule-based analyser unless an LLM provider is chosen.
    llm_provider: Literal["offline", "openai"] = "offline"
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str | None = None
    llm_temperature: float = Field(default=0.2, ge=0.0, le=2.0)
    llm_concurrency: int = Field(default=16, ge=1, le=64)
    openai_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("OPENAI_API_KEY", "CORTEXREEL_OPENAI_API_KEY")
    )

    # Chat: apply proposed change sets at once instead of asking first.
    chat_auto_apply: bool = False

    # Embeddings: a local model packaged with the app, or OpenAI.
    embedding_backend: Literal["local", "openai"] = "local"
    openai_embedding_model: str = "text-embedding-3-small"

    # Upload limits.
    max_upload_mb: int = Field(default=50, ge=1)
    max_pages: int = Field(default=600, ge=1)

    # Uploaded files are parsed (and OCRed) in a child process with these hard limits, after pre-checks that
    # refuse files built to overload the reader. See docs/security.md.
    parse_memory_mb: int = Field(default=_PARSE.memory_mb, ge=256, description="address space of the child")
    parse_cpu_seconds: int = Field(default=_PARSE.cpu_seconds, ge=1)
    parse_wall_seconds: float = Field(default=_PARSE.wall_seconds, gt=0)
    parse_output_mb: int = Field(default=_PARSE.output_mb, ge=1, description="largest parse result accepted")
    pdf_max_stream_mb: int = Field(default=_PARSE.max_stream_mb, ge=1, description="one stream, inflated")
    pdf_max_inflated_mb: int = Field(default=_PARSE.max_inflated_mb, ge=1, description="all streams, inflated")
    pdf_max_text_per_page: int = Field(default=_PARSE.max_text_per_page, ge=1)
    pdf_max_text_total: int = Field(default=_PARSE.max_text_total, ge=1)
    pdf_max_image_megapixels: int = Field(default=_PARSE.max_image_megapixels, ge=1)
    pdf_max_objects: int = Field(default=_PARSE.max_objects, ge=1)
    ocr_dpi: int = Field(default=_PARSE.ocr_dpi, ge=72, le=600)
    text_max_line_chars: int = Field(default=_PARSE.max_line_chars, ge=80)
    max_scene_chars: int = Field(default=_PARSE.max_scene_chars, ge=1000)

    # Accounts. Off: the embedded single-user default, every visitor is the implicit local admin "local".
    # On: the app shows only the login page until someone logs in, and the rate limits below apply.
    auth_required: bool = False
    session_hours: float = Field(default=12.0, gt=0)
    lockout_attempts: int = Field(default=5, ge=1, description="failed logins per login before it is locked")
    lockout_client_attempts: int = Field(default=20, ge=1, description="failed logins per client before it is locked")
    lockout_minutes: float = Field(default=15.0, gt=0)

    # Rate limits per user (token buckets; 0 turns a limit off). Enforced when accounts are required.
    uploads_per_hour: int = Field(default=30, ge=0)
    chat_messages_per_minute: int = Field(default=20, ge=0)
    llm_jobs_per_hour: int = Field(default=60, ge=0)

    @model_validator(mode="after")
    def _refuse_unsafe(self) -> Settings:
        problems = self.problems()
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def problems(self) -> list[str]:
        """Everything that makes these settings unusable, as sentences a user can act on."""
        found: list[str] = []
        if self.s3_endpoint and not (self.s3_access_key and _secret(self.s3_secret_key)):
            found.append(
                "CORTEXREEL_S3_ACCESS_KEY and CORTEXREEL_S3_SECRET_KEY are required with CORTEXREEL_S3_ENDPOINT"
            )
        if self.llm_provider == "openai" and not self.llm_base_url and not _secret(self.openai_api_key):
            found.append("the openai LLM provider needs OPENAI_API_KEY (or CORTEXREEL_LLM_BASE_URL for a local server)")
        if self.embedding_backend == "openai" and not self.llm_base_url and not _secret(self.openai_api_key):
            found.append("the openai embedding backend needs OPENAI_API_KEY")
        if self.env == "production":
            found.extend(self._production_problems())
        return found

    def _production_problems(self) -> list[str]:
        found: list[str] = []
        if not self.auth_required:
            found.append("CORTEXREEL_AUTH_REQUIRED must be true in production: screenplays are confidential")
        key = _secret(self.secret_key)
        if key == DEVELOPMENT_SECRET_KEY or len(key) < 32:
            found.append("CORTEXREEL_SECRET_KEY must be set to a random value of at least 32 characters in production")
        elif not looks_random(key):
            found.append(
                "CORTEXREEL_SECRET_KEY is long enough but not random (a placeholder, a repeated pattern or too few "
                "different characters); generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        if self.redis_url and _uri_password(_secret(self.redis_url)).lower() in KNOWN_DEFAULT_PASSWORDS:
            found.append("CORTEXREEL_REDIS_URL has no password or a well-known default one; use redis://:PASSWORD@host")
        if self.s3_endpoint and _secret(self.s3_secret_key).lower() in KNOWN_DEFAULT_PASSWORDS:
            found.append("CORTEXREEL_S3_SECRET_KEY is empty or a well-known default; set a real secret in production")
        if self.weaviate_url and _secret(self.weaviate_api_key).lower() in KNOWN_DEFAULT_PASSWORDS:
            found.append("CORTEXREEL_WEAVIATE_API_KEY is empty or a well-known default; set a real key in production")
        if self.mongodb_uri and _uri_password(_secret(self.mongodb_uri)).lower() in KNOWN_DEFAULT_PASSWORDS:
            found.append("CORTEXREEL_MONGODB_URI has no password or a well-known default one; use real credentials")
        return found

    @property
    def queue_names(self) -> list[str]:
        return [name.strip() for name in self.queues.split(",") if name.strip()]

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def parse_limits(self) -> ParseLimits:
        """The limits an uploaded file is parsed under."""
        return ParseLimits(
            max_bytes=self.max_upload_bytes,
            max_pages=self.max_pages,
            memory_mb=self.parse_memory_mb,
            cpu_seconds=self.parse_cpu_seconds,
            wall_seconds=self.parse_wall_seconds,
            output_mb=self.parse_output_mb,
            max_stream_mb=self.pdf_max_stream_mb,
            max_inflated_mb=self.pdf_max_inflated_mb,
            max_text_per_page=self.pdf_max_text_per_page,
            max_text_total=self.pdf_max_text_total,
            max_image_megapixels=self.pdf_max_image_megapixels,
            max_objects=self.pdf_max_objects,
            ocr_dpi=self.ocr_dpi,
            max_line_chars=self.text_max_line_chars,
            max_scene_chars=self.max_scene_chars,
        )

    @property
    def uses_servers(self) -> dict[str, bool]:
        """Which ports are configured to use a server instead of the embedded default."""
        return {
            "documents": self.mongodb_uri is not None,
            "vectors": self.weaviate_url is not None,
            "blobs": self.s3_endpoint is not None,
            "tasks": self.redis_url is not None,
            "users": self.mongodb_uri is not None,
            "rate limits": self.redis_url is not None,
        }


def load_settings(**overrides: object) -> Settings:
    """Read Settings from the environment, turning validation failures into one clear ConfigurationError."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        reasons = "; ".join(_describe(item) for item in error.errors())
        raise ConfigurationError(f"The configuration is not usable: {reasons}") from None


def redact_url(url: str) -> str:
    """The URL with any password replaced, safe to print or log."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:***@{host}", parts.path, parts.query, parts.fragment))


def looks_random(key: str) -> bool:
    """Whether a signing key plausibly came from a random generator: no placeholder text, no repeated pattern, and
    an estimated entropy (its length times the Shannon entropy of its characters) of at least 64 bits. A random
    32-character hex key measures ~115 bits (never below 90 in 200,000 draws); "a" * 32 measures 0."""
    lowered = key.lower()
    if any(word in lowered for word in PLACEHOLDER_WORDS):
        return False
    for period in range(1, len(key) // 2 + 1):
        if key == (key[:period] * (len(key) // period + 1))[: len(key)]:
            return False
    counts = Counter(key)
    bits_per_character = -sum(count / len(key) * math.log2(count / len(key)) for count in counts.values())
    return bits_per_character * len(key) >= MIN_SECRET_KEY_BITS


def _secret(value: SecretStr | None) -> str:
    return value.get_secret_value() if value is not None else ""


def _uri_password(uri: str) -> str:
    return urlsplit(uri).password or ""


def _describe(item: object) -> str:
    if isinstance(item, dict):
        location = ".".join(str(part) for part in item.get("loc", ()))
        message = str(item.get("msg", "")).removeprefix("Value error, ")
        return f"{location}: {message}" if location else message
    return str(item)
