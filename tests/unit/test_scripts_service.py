"""Script use cases against fakes of our ports."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest

from cortexreel.bootstrap import Services, build_services
from cortexreel.config import Settings
from cortexreel.domain.scripts import ScriptStatus
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import FileTooLargeError, InvalidInputError, NotFoundError, UnsupportedFileError
from cortexreel.services import scripts
from tests.builders import fountain_script
from tests.fakes import HashingEmbedder, InMemoryBlobStore, InMemoryDocumentStore, SynchronousTaskQueue


@pytest.fixture
def services(settings: Settings) -> Iterator[Services]:
    yield build_services(
        settings.model_copy(update={"max_upload_mb": 1}),
        documents=InMemoryDocumentStore(),
        blobs=InMemoryBlobStore(),
        queue=SynchronousTaskQueue(),
        embedder=HashingEmbedder(),
    )


def test_ingest_stores_the_file_and_runs_the_pipeline(services: Services) -> None:
    data = fountain_script(4).encode()
    script = scripts.ingest(services, io.BytesIO(data), "My_Great-Script.fountain", owner="ann")
    assert (script.title, script.filename, script.format, script.owner) == (
        "My Great Script",
        "My_Great-Script.fountain",
        "fountain",
        "ann",
    )
    with services.blobs.open(script.blob_key) as stream:
        assert stream.read() == data
    assert isinstance(services.queue, SynchronousTaskQueue)
    assert services.queue.runs[0] == f"parse-{script.id}-1"
    assert scripts.get_script(services, script.id).status is ScriptStatus.COMPLETED


@pytest.mark.parametrize(
    ("data", "filename", "error", "words"),
    [
        (b"", "empty.pdf", InvalidInputError, "empty"),
        (b"   \n\n", "blank.fountain", InvalidInputError, "empty"),
        (b"x" * (1024 * 1024 + 1), "huge.txt", FileTooLargeError, "1 MB limit"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "poster.pdf", UnsupportedFileError, "PNG"),
    ],
)
def test_bad_uploads_are_refused_and_nothing_is_stored(
    services: Services, data: bytes, filename: str, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        scripts.ingest(services, data, filename)
    assert services.documents.list_scripts() == []
    assert list(services.blobs.keys()) == []


def test_retry_only_failed_or_stalled_scripts(services: Services) -> None:
    script = scripts.ingest(services, fountain_script(2).encode(), "a.fountain")
    with pytest.raises(InvalidInputError, match="already complete"):
        scripts.retry(services, LOCAL_USER, script.id)
    services.documents.update_script(script.id, status=ScriptStatus.ANALYZING)
    with pytest.raises(InvalidInputError, match="still being processed"):
        scripts.retry(services, LOCAL_USER, script.id)
    retried = scripts.retry(services, LOCAL_USER, script.id, stalled_after=timedelta(0))
    assert retried.attempt == 2
    assert scripts.get_script(services, script.id).status is ScriptStatus.COMPLETED


def test_delete_removes_documents_vectors_and_the_unshared_file(services: Services) -> None:
    data = fountain_script(3).encode()
    first = scripts.ingest(services, data, "a.fountain")
    second = scripts.ingest(services, data, "copy.fountain")
    assert services.vectors.count(first.id) == 3
    scripts.delete(services, LOCAL_USER, first.id)
    with pytest.raises(NotFoundError):
        scripts.get_script(services, first.id)
    assert services.vectors.count(first.id) == 0
    assert services.blobs.exists(first.blob_key), "the copy still needs the file"
    scripts.delete(services, LOCAL_USER, second.id)
    assert not services.blobs.exists(first.blob_key)
    assert services.vectors.count() == 0


def test_unknown_script(services: Services) -> None:
    with pytest.raises(NotFoundError):
        scripts.get_script(services, "nope")
