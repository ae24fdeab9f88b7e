"""`python -m cortexreel search "QUERY" [--script ID] [--limit N] [--json]`: hybrid scene search from the shell."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

from cortexreel.cli.common import Subcommands
from cortexreel.domain.users import LOCAL_USER

if TYPE_CHECKING:
    from cortexreel.container import Services


def add_parsers(commands: Subcommands) -> None:
    parser = commands.add_parser("search", help="find scenes by meaning and by words across your scripts")
    parser.add_argument("query", help='what to look for, e.g. "night exteriors with a car chase"')
    parser.add_argument(
        "--script", action="append", dest="scripts", metavar="ID", help="search only this script (repeatable)"
    )
    parser.add_argument("--limit", type=int, default=10, help="most results to print (default 10)")
    parser.add_argument("--user", default=LOCAL_USER, help="search as this user (default: the local user)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=search_command)


def search_command(args: argparse.Namespace, services: Services) -> int:
    """Print the best scenes for the query; matching words in snippets are wrapped in ** **."""
    from cortexreel.services import search

    results = search.search(services, args.user, args.query, script_ids=args.scripts, limit=args.limit)
    if args.json:
        payload = {
            "results": [
                {
                    "script_id": result.script_id,
                    "scene_number": result.scene_number,
                    "heading": result.heading,
                    "score": result.score,
                    "snippet": result.marked_snippet(),
                }
                for result in results
            ]
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    if not results:
        print("No scenes found.")
    for result in results:
        print(f"{result.score:6.3f}  {result.script_title} · scene {result.scene_number}  {result.heading}")
        print(f"        {result.marked_snippet()}")
    return 0
