"""Helpers shared by the command-line modules."""

from __future__ import annotations

from pathlib import Path

from cortexreel.errors import InvalidInputError


def read_file(path: Path) -> bytes:
    """The bytes of a file named on the command line, or an error that says what is wrong with the name."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError(f"There is no file {path}.") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path} is a folder, not a file.") from None
    except PermissionError:
        raise InvalidInputError(f"{path} cannot be read (permission denied).") from None
