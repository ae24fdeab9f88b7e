"""The command line: `python -m cortexreel COMMAND` (also installed as `cortexreel`).

One module per group of commands, each with `add_parsers(commands)` and its handlers: `doctor`, `ingest` (parse,
ingest, status), `scenes` (scenes, chat, history, revert), `search`, `library` (import-cortexreel, scripts, backup,
restore, migrate), `users` and `export`. A handler is `(args, services) -> exit code`; a standalone one (`parse`)
is given the Settings instead and never builds the Services.

Start-up is part of every command's run time, so this package and the parser set-up import only what argparse
needs: each command imports its services (and through them LangChain, the search index, the backends) when it
runs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from cortexreel.cli import doctor, export, ingest, library, scenes, schedule, search, users
from cortexreel.cli.common import Command, StandaloneCommand
from cortexreel.config import load_settings
from cortexreel.errors import CortexReelError

log = logging.getLogger("cortexreel")

# In the order `--help` lists the commands.
COMMAND_GROUPS = (doctor, ingest, scenes, search, library, users, schedule, export)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cortexreel", description="CortexReel screenplay analysis")
    parser.set_defaults(standalone=False)  # a standalone command is given the Settings, not built Services
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.add_parsers(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
        if args.standalone:
            standalone: StandaloneCommand = args.handler
            return standalone(args, settings)
        from cortexreel.bootstrap import open_services

        handler: Command = args.handler
        return handler(args, open_services(settings))
    except CortexReelError as error:
        log.debug("command failed: %s", error.detail)
        print(f"error: {error.message}", file=sys.stderr)
        return 2
