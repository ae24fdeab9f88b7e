"""Content addressing of stored files: a file's key is its SHA-256, so the same bytes are stored once."""

from __future__ import annotations

import re

from cortexreel.errors import InvalidInputError

KEY_PATTERN = re.compile(r"^sha256/[0-9a-f]{64}$")


def key_for(sha256: str) -> str:
    return f"sha256/{sha256}"


def check_key(key: str) -> str:
    """Refuse anything but our own content keys, so a key can never name a path outside the store."""
    if not KEY_PATTERN.match(key):
        raise InvalidInputError(f"{key!r} is not a valid file key.")
    return key
