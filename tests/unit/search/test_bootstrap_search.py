"""Settings choose the vector index and embedder; building connects to nothing."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cortexreel.adapters.embedder_local import LocalMiniLmEmbedder
from cortexreel.adapters.embedder_openai import OpenAIEmbedder
from cortexreel.adapters.vectors_embedded import EmbeddedVectorIndex
from cortexreel.adapters.vectors_weaviate import WeaviateVectorIndex
from cortexreel.bootstrap import build_services
from cortexreel.config import Settings
from cortexreel.errors import BackendUnavailableError
from tests.servers import free_port


def test_defaults_are_embedded(settings: Settings) -> None:
    services = build_services(settings)
    assert isinstance(services.vectors, EmbeddedVectorIndex)
    assert services.vectors.path == settings.data_dir / "vectors.sqlite3"
    assert isinstance(services.embedder, LocalMiniLmEmbedder)


def test_weaviate_and_openai_are_built_without_connecting(settings: Settings) -> None:
    port = free_port()
    configured = settings.model_copy(
        update={
            "weaviate_url": f"http://127.0.0.1:{port}",
            "weaviate_grpc_port": free_port(),
            "embedding_backend": "openai",
            "llm_base_url": "http://127.0.0.1:9/v1",
        }
    )
    services = build_services(configured)
    assert isinstance(services.vectors, WeaviateVectorIndex)
    assert isinstance(services.embedder, OpenAIEmbedder)
    assert services.embedder.model_name == "text-embedding-3-small"
    assert f"127.0.0.1:{port}" in services.vectors.describe()
    with pytest.raises(BackendUnavailableError, match="Weaviate"):
        services.vectors.ping()  # nothing listens there: the first use is what fails, with a message


def test_weaviate_client_is_not_imported_by_the_app_modules() -> None:
    code = (
        "import sys, cortexreel.bootstrap, cortexreel.services.search, cortexreel.adapters.vectors_weaviate; "
        "print('weaviate' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
