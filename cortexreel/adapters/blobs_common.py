"""Content addressing shared by the blob adapters."""

from __future__ import annotations

import hashlib
import re
from typing import BinaryIO, Protocol

from cortexreel.errors import InvalidInputError

CHUNK_BYTES = 1024 * 1024
KEY_PATTERN = re.compile(r"^sha256/[0-9a-f]{64}$")


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


def key_for(sha256: str) -> str:
    return f"sha256/{sha256}"


def check_key(key: str) -> str:
    """Refuse anything but our own content keys, so a key can never name a path outside the store."""
    if not KEY_PATTERN.match(key):
        raise InvalidInputError(f"{key!r} is not a valid file key.")
    return key
