"""`doctor`: which adapter serves each port, and whether its backend answers."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from typing import TYPE_CHECKING

from cortexreel.cli.common import Subcommands

if TYPE_CHECKING:
    from cortexreel.container import Services


def add_parsers(commands: Subcommands) -> None:
    check = commands.add_parser("doctor", help="show the backends in use and whether they are reachable")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(handler=doctor)


def doctor(args: argparse.Namespace, services: Services) -> int:
    """Print which adapter serves each port and whether its backend answers; non-zero if a server is down."""
    report = services.health()
    if args.json:
        print(json.dumps({"backends": [asdict(item) for item in report]}, indent=2))
    else:
        for item in report:
            mark = "ok  " if item.ok else "DOWN"
            where = "server  " if item.server else "embedded"
            line = f"{mark} {item.port:<10} {item.adapter:<13} {where} {item.target}"
            print(f"{line}\n       {item.detail}" if item.detail else line)
    return 0 if all(item.ok for item in report) else 1
