"""BlobStore in a local folder: the embedded default."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import BinaryIO

from cortexreel.adapters.blobs_common import copy_hashing
from cortexreel.domain.files import check_key, key_for
from cortexreel.errors import BackendUnavailableError, NotFoundError
from cortexreel.ports import StoredBlob


class LocalBlobStore:
    kind = "local-folder"

    def __init__(self, root: Path) -> None:
        self.root = root

    def describe(self) -> str:
        return str(self.root)

    def ping(self) -> None:
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryFile(dir=self.root):
                pass
        except OSError as error:
            raise BackendUnavailableError(f"The file folder {self.root} is not writable.", detail=str(error)) from error

    def _path(self, key: str) -> Path:
        digest = check_key(key).removeprefix("sha256/")
        return self.root / "sha256" / digest[:2] / digest

    def put(self, stream: BinaryIO) -> StoredBlob:
        incoming = self.root / "incoming"
        incoming.mkdir(parents=True, exist_ok=True)
        # Write under a temporary name first: the content hash (and so the final name) is known only at the end,
        # and a reader must never see a half-written file.
        with tempfile.NamedTemporaryFile(dir=incoming, delete=False) as temporary:
            sha256, size = copy_hashing(stream, temporary)
        key = key_for(sha256)
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary.name, target)
        return StoredBlob(key=key, sha256=sha256, size=size)

    def open(self, key: str) -> AbstractContextManager[BinaryIO]:
        path = self._path(key)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise NotFoundError(f"The file {key} is missing from the file store.") from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> Iterator[str]:
        base = self.root / "sha256"
        if not base.is_dir():
            return
        for path in sorted(base.glob("*/*")):
            yield key_for(path.name)
