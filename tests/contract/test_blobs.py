"""The BlobStore contract, run against the local folder, an S3 server started here, MinIO when configured,
and the test fake."""

from __future__ import annotations

import hashlib
import io
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from cortexreel.adapters.blobs_local import LocalBlobStore
from cortexreel.adapters.blobs_s3 import S3BlobStore
from cortexreel.errors import InvalidInputError, NotFoundError
from cortexreel.ports import BlobStore
from tests import servers
from tests.fakes import InMemoryBlobStore


@pytest.fixture(params=["local", "memory", "s3-moto", "minio"])
def blobs(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    bucket = f"test-{uuid.uuid4().hex[:12]}"
    if request.param == "local":
        yield LocalBlobStore(tmp_path / "files")
    elif request.param == "memory":
        yield InMemoryBlobStore()
    elif request.param == "s3-moto":
        server: servers.S3Server = request.getfixturevalue("s3_server")
        yield S3BlobStore(
            server.endpoint,
            access_key=server.access_key,
            secret_key=server.secret_key,
            bucket=bucket,
            secure=server.secure,
        )
    else:
        endpoint = os.environ.get("CORTEXREEL_TEST_S3_ENDPOINT", "")
        if not endpoint:
            servers.not_configured("CORTEXREEL_TEST_S3_ENDPOINT", "real MinIO/S3 contract run skipped")
        yield S3BlobStore(
            endpoint,
            access_key=os.environ.get("CORTEXREEL_TEST_S3_ACCESS_KEY", "minioadmin"),
            secret_key=os.environ.get("CORTEXREEL_TEST_S3_SECRET_KEY", "minioadmin"),
            bucket=bucket,
            secure=endpoint.startswith("https://"),
        )


def test_ping_answers(blobs: BlobStore) -> None:
    blobs.ping()
    assert blobs.describe()


def test_put_is_content_addressed(blobs: BlobStore) -> None:
    data = b"INT. DINER - NIGHT\n\nEdward sits alone.\n"
    stored = blobs.put(io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    assert stored.key == f"sha256/{digest}"
    assert (stored.sha256, stored.size) == (digest, len(data))
    assert blobs.exists(stored.key)
    with blobs.open(stored.key) as stream:
        assert stream.read() == data


def test_same_bytes_are_stored_once(blobs: BlobStore) -> None:
    first = blobs.put(io.BytesIO(b"same"))
    second = blobs.put(io.BytesIO(b"same"))
    other = blobs.put(io.BytesIO(b"other"))
    assert first.key == second.key != other.key
    assert sorted(blobs.keys()) == sorted({first.key, other.key})


def test_large_files_stream_through_intact(blobs: BlobStore) -> None:
    # Bigger than the S3 part size and the in-memory spool, so multipart upload and temp files are used.
    chunk = os.urandom(1024 * 1024)
    data = chunk * 18
    stored = blobs.put(io.BytesIO(data))
    assert stored.size == len(data)
    digest = hashlib.sha256()
    with blobs.open(stored.key) as stream:
        while part := stream.read(256 * 1024):
            digest.update(part)
    assert digest.hexdigest() == stored.sha256


def test_empty_file(blobs: BlobStore) -> None:
    stored = blobs.put(io.BytesIO(b""))
    assert stored.size == 0
    with blobs.open(stored.key) as stream:
        assert stream.read() == b""


def test_delete_and_missing(blobs: BlobStore) -> None:
    stored = blobs.put(io.BytesIO(b"to be deleted"))
    blobs.delete(stored.key)
    assert not blobs.exists(stored.key)
    blobs.delete(stored.key)  # deleting twice is fine
    with pytest.raises(NotFoundError):
        blobs.open(stored.key).__enter__()


def test_keys_that_are_not_content_keys_are_refused(blobs: BlobStore) -> None:
    for key in ("../../etc/passwd", "sha256/xyz", "sha256/" + "a" * 63):
        with pytest.raises(InvalidInputError):
            blobs.exists(key)
