"""BlobStore on MinIO or any S3-compatible server through the minio client."""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import BinaryIO, cast

import urllib3
from minio import Minio
from minio.error import S3Error
from urllib3.exceptions import HTTPError

from cortexreel.adapters.blobs_common import copy_hashing
from cortexreel.domain.files import check_key, key_for
from cortexreel.errors import BackendUnavailableError, NotFoundError
from cortexreel.ports import StoredBlob

PART_BYTES = 16 * 1024 * 1024
SPOOL_BYTES = 8 * 1024 * 1024
MISSING_CODES = frozenset({"NoSuchKey", "NoSuchObject", "ResourceNotFound"})


def split_endpoint(endpoint: str, secure: bool) -> tuple[str, bool]:
    """Accept "host:port" or a URL; a scheme in the URL decides TLS."""
    if endpoint.startswith("https://"):
        return endpoint.removeprefix("https://").rstrip("/"), True
    if endpoint.startswith("http://"):
        return endpoint.removeprefix("http://").rstrip("/"), False
    return endpoint.rstrip("/"), secure


class S3BlobStore:
    kind = "s3"

    def __init__(
        self,
        endpoint: str,
        *,
        access_key: str,
        secret_key: str,
        bucket: str,
        secure: bool = True,
        region: str | None = None,
    ) -> None:
        host, tls = split_endpoint(endpoint, secure)
        self._endpoint = f"{'https' if tls else 'http'}://{host}"
        self.bucket = bucket
        # Bounded timeouts and few retries: a down server must be reported in seconds, not minutes.
        http = urllib3.PoolManager(
            timeout=urllib3.Timeout(connect=5, read=60),
            retries=urllib3.Retry(total=2, backoff_factor=0.2, status_forcelist=(500, 502, 503, 504)),
        )
        self._client = Minio(
            host, access_key=access_key, secret_key=secret_key, secure=tls, region=region, http_client=http
        )
        self._bucket_ready = False
        self._bucket_lock = threading.Lock()

    def describe(self) -> str:
        return f"{self._endpoint} (bucket {self.bucket})"

    def ping(self) -> None:
        try:
            self._client.bucket_exists(self.bucket)
        except (S3Error, HTTPError, OSError) as error:
            raise BackendUnavailableError(
                f"The S3 server at {self._endpoint} is not reachable or refused the credentials.",
                detail=str(error),
            ) from error

    def _ensure_bucket(self) -> None:
        if self._bucket_ready:
            return
        with self._bucket_lock:
            try:
                if not self._client.bucket_exists(self.bucket):
                    self._client.make_bucket(self.bucket)
            except S3Error as error:
                if error.code not in ("BucketAlreadyOwnedByYou", "BucketAlreadyExists"):
                    raise
            except (HTTPError, OSError) as error:
                raise BackendUnavailableError(
                    f"The S3 server at {self._endpoint} is not reachable.", detail=str(error)
                ) from error
            self._bucket_ready = True

    def put(self, stream: BinaryIO) -> StoredBlob:
        self._ensure_bucket()
        # The key is the content hash, known only after reading everything: spool to memory (small files)
        # or a temporary file (large ones) while hashing, then upload in parts.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as spool:
            sha256, size = copy_hashing(stream, spool)
            key = key_for(sha256)
            if not self.exists(key):
                spool.seek(0)
                self._client.put_object(self.bucket, key, cast(BinaryIO, spool), size, part_size=PART_BYTES)
        return StoredBlob(key=key, sha256=sha256, size=size)

    @contextmanager
    def open(self, key: str) -> Iterator[BinaryIO]:
        self._ensure_bucket()
        try:
            response = self._client.get_object(self.bucket, check_key(key))
        except S3Error as error:
            if error.code in MISSING_CODES:
                raise NotFoundError(f"The file {key} is missing from the file store.") from None
            raise
        try:
            yield cast(BinaryIO, response)
        finally:
            response.close()
            response.release_conn()

    def exists(self, key: str) -> bool:
        self._ensure_bucket()
        try:
            self._client.stat_object(self.bucket, check_key(key))
        except S3Error as error:
            if error.code in MISSING_CODES:
                return False
            raise
        return True

    def delete(self, key: str) -> None:
        self._ensure_bucket()
        self._client.remove_object(self.bucket, check_key(key))

    def keys(self) -> Iterator[str]:
        self._ensure_bucket()
        for item in self._client.list_objects(self.bucket, prefix="sha256/", recursive=True):
            if item.object_name:
                yield item.object_name
