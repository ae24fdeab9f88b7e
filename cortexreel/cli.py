"""The command line: `python -m cortexreel COMMAND` (also installed as `cortexreel`)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict

from cortexreel.bootstrap import Services, build_services
from cortexreel.config import load_settings
from cortexreel.errors import CortexReelError

log = logging.getLogger("cortexreel")

Command = Callable[[argparse.Namespace, Services], int]


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cortexreel", description="CortexReel screenplay analysis")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("doctor", help="show the backends in use and whether they are reachable")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(handler=doctor)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
        handler: Command = args.handler
        return handler(args, build_services(settings))
    except CortexReelError as error:
        log.debug("command failed: %s", error.detail)
        print(f"error: {error.message}", file=sys.stderr)
        return 2
