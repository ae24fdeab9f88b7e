"""`export`: a script's breakdown written to a file as CSV, XLSX, JSON or a PDF report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from cortexreel.cli.common import Subcommands
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import InvalidInputError

if TYPE_CHECKING:
    from cortexreel.container import Services


def add_parsers(commands: Subcommands) -> None:
    out = commands.add_parser("export", help="write a script's breakdown as CSV, XLSX, JSON or a PDF report")
    out.add_argument("id")
    out.add_argument("--format", required=True, choices=["csv", "xlsx", "json", "pdf"], help="file format")
    out.add_argument("-o", "--output", required=True, help="file to write")
    out.add_argument("--owner", default=LOCAL_USER, help="login of the user exporting")
    out.set_defaults(handler=export)


def export(args: argparse.Namespace, services: Services) -> int:
    """Write a script's breakdown (csv, xlsx, json or pdf) to a file."""
    from cortexreel.services.exports import export_script

    exported = export_script(services, args.owner, args.id, args.format)
    path = Path(args.output)
    try:
        path.write_bytes(exported.data)
    except OSError as error:
        raise InvalidInputError(f"{path} cannot be written: {error.strerror or error}.") from None
    print(f"{path} ({len(exported.data):,} bytes)", file=sys.stderr)
    return 0
