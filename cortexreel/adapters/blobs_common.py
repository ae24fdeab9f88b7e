"""Streaming copy with hashing, shared by the blob adapters."""

from __future__ import annotations

import hashlib
from typing import BinaryIO, Protocol

CHUNK_BYTES = 1024 * 1024


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


def copy_hashing(source: BinaryIO, target: Writable) -> tuple[str, int]:
    """Copy `source` to `target` in chunks; return the sha256 hex digest and the byte count."""
    digest = hashlib.sha256()
    size = 0
    while chunk := source.read(CHUNK_BYTES):
        digest.update(chunk)
        target.write(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
