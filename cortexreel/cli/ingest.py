"""`parse`, `ingest` and `status`: a screenplay file read, stored and analysed, and its progress.

`parse` stores nothing: it is standalone (given the Settings, never the Services), so a one-file parse loads
neither LangChain nor numpy nor any backend client.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from cortexreel.cli.common import Subcommands, read_file
from cortexreel.config import Settings
from cortexreel.domain.users import LOCAL_USER

if TYPE_CHECKING:
    from cortexreel.container import Services
    from cortexreel.domain.scripts import Script


def add_parsers(commands: Subcommands) -> None:
    read = commands.add_parser("parse", help="parse a screenplay file and print its scenes (nothing is stored)")
    read.add_argument("file")
    read.add_argument("--json", action="store_true", help="print the parse as JSON")
    read.add_argument(
        "--allow-unstructured", action="store_true", help="accept a file with no scene headings as one scene"
    )
    read.add_argument(
        "--trusted", action="store_true",
        help="your own file: parse it in this process, without the child process's hard limits (faster)",
    )
    read.set_defaults(handler=parse, standalone=True)

    upload = commands.add_parser("ingest", help="store a screenplay and analyse it")
    upload.add_argument("file")
    upload.add_argument("--wait", action="store_true", help="follow progress and print the final script record")
    upload.add_argument("--json", action="store_true", help="print JSON")
    upload.add_argument("--owner", default=LOCAL_USER, help="login of the owner")
    upload.set_defaults(handler=ingest)

    show = commands.add_parser("status", help="show a script's status and progress")
    show.add_argument("id")
    show.add_argument("--json", action="store_true", help="print the script record as JSON")
    show.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    show.set_defaults(handler=status)


def parse(args: argparse.Namespace, settings: Settings) -> int:
    """Parse a screenplay file and print its scenes; nothing is stored. The file is read in a child process with
    the same limits as an upload: a file handed to this command is often one somebody else sent. `--trusted`
    (your own file) reads it in this process, about half a second sooner, with the same pre-checks."""
    from cortexreel.parsing import parse_screenplay, screenplay_to_json

    path = Path(args.file)
    data = read_file(path)
    if args.trusted:
        screenplay = parse_screenplay(
            data, path.name, limits=settings.parse_limits, allow_unstructured=args.allow_unstructured
        )
    else:
        from cortexreel.parsing.sandbox import parse_untrusted

        screenplay = parse_untrusted(data, path.name, settings.parse_limits, allow_unstructured=args.allow_unstructured)
    for warning in screenplay.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.json:
        print(json.dumps(screenplay_to_json(screenplay), ensure_ascii=False))
        return 0
    print(f"{screenplay.title or path.name}: {screenplay.pages} pages, {len(screenplay.scenes)} scenes")
    for scene in screenplay.scenes:
        cast = ", ".join(scene.characters)
        print(f"{scene.label or scene.number:>5}  {scene.heading or '(before the first heading)'}  [{cast}]")
    return 0


def ingest(args: argparse.Namespace, services: Services) -> int:
    """Store a screenplay and queue its analysis; with --wait, follow it to the end."""
    from cortexreel.services import scripts

    path = Path(args.file)
    script = scripts.ingest(services, read_file(path), path.name, owner=args.owner)
    in_process = services.queue.kind == "in-process"
    if not args.wait and not in_process:
        print(json.dumps({"id": script.id}) if args.json else script.id)
        return 0
    if not args.wait:
        print("Analysing in this process (no task queue server is configured)...", file=sys.stderr)
        print(json.dumps({"id": script.id}) if args.json else script.id)
    final = _follow(services, script.id, show_progress=args.wait)
    if args.wait:
        print(json.dumps(final.model_dump(mode="json"), indent=2, ensure_ascii=False))
    if final.error is not None:
        print(f"error: {final.error.message}", file=sys.stderr)
    # A script that failed is an error like any other (a refused file, a server down): exit code 2.
    return 0 if final.status == "completed" else 2


def status(args: argparse.Namespace, services: Services) -> int:
    from cortexreel.domain.access import Action
    from cortexreel.services import scripts
    from cortexreel.services.access import authorize

    script = authorize(services, args.user, args.id, Action.READ)
    if args.json:
        print(json.dumps(script.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return 0
    progress = script.progress
    note = ""
    if services.queue.kind != "in-process":  # this process's own runner cannot see the app's work
        work = scripts.work_state(services, script)
        note = {"recovering": " (stalled, recovering)", "stalled": " (stalled: nothing is running it; retry it)"}.get(
            work, ""
        )
    print(f"{script.title} ({script.filename}): {script.status.value}{note}")
    print(f"  stage {progress.stage}, {progress.done}/{progress.total} scenes")
    if script.page_count is not None:
        print(f"  {script.page_count} pages, {script.scene_count} scenes")
    if script.error is not None:
        print(f"  error: {script.error.message}")
    return 0


def _follow(services: Services, script_id: str, *, show_progress: bool) -> Script:
    """Poll the script until it completes or fails, drawing a progress bar on stderr."""
    from cortexreel.services import scripts

    while True:
        script = scripts.get_script(services, script_id)
        if show_progress:
            _draw_progress(script)
        if script.status.finished:
            if show_progress:
                print(file=sys.stderr)
            return script
        time.sleep(0.2)


def _draw_progress(script: Script) -> None:
    progress = script.progress
    total = max(progress.total, 1)
    filled = int(30 * min(progress.done, total) / total)
    bar = "#" * filled + "-" * (30 - filled)
    print(f"\r[{bar}] {progress.stage:<10} {progress.done}/{progress.total} scenes", end="", file=sys.stderr)
