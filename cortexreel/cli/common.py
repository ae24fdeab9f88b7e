"""What every command module of the CLI shares: the shape of a handler and reading a file named on the command line.

Imported while the parser is set up, so it imports only what argparse needs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from cortexreel.config import Settings
from cortexreel.errors import InvalidInputError

if TYPE_CHECKING:
    from cortexreel.container import Services

# A command runs with the built Services; a standalone one (`parse`) with the Settings alone.
Command: TypeAlias = Callable[[argparse.Namespace, "Services"], int]
StandaloneCommand: TypeAlias = Callable[[argparse.Namespace, Settings], int]
# The object `add_subparsers()` returns; each command module's `add_parsers` registers its commands on it.
Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


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
