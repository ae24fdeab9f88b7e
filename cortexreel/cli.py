"""The command line: `python -m cortexreel COMMAND` (also installed as `cortexreel`).

Start-up is part of every command's run time, so this module and the parser set-up import only what argparse
needs: each command imports its services (and through them LangChain, the search index, the backends) when it
runs. `parse` touches no backend, so it is given the Settings alone and never builds the Services.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cortexreel.accounts_cli import add_user_parsers
from cortexreel.cli_support import read_file
from cortexreel.config import Settings, load_settings
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import CortexReelError, InvalidInputError
from cortexreel.migration.cli import add_migration_parsers
from cortexreel.schedule_cli import add_schedule_parsers
from cortexreel.search.cli import add_search_parser

if TYPE_CHECKING:
    from cortexreel.container import Services
    from cortexreel.domain.scenes import SceneVersion
    from cortexreel.domain.scripts import Script

log = logging.getLogger("cortexreel")

Command = Callable[[argparse.Namespace, "Services"], int]
StandaloneCommand = Callable[[argparse.Namespace, Settings], int]


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


def scenes(args: argparse.Namespace, services: Services) -> int:
    from cortexreel.domain.rollups import format_eighths
    from cortexreel.services import scenes as scene_service

    found = scene_service.list_scenes(services, args.user, args.id)
    if args.json:
        payload: dict[str, Any] = {
            "script_id": args.id,
            "scenes": [scene.model_dump(mode="json", exclude={"last_change"}) for scene in found],
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    for scene in found:
        analysis = scene.analysis
        risk = analysis.safety.risk_level if analysis and analysis.safety.risk_level else "-"
        cast = ", ".join(scene.characters)
        print(f"{scene.label or scene.number:>5}  {format_eighths(scene.pages.eighths):>7}  {risk:<8} {scene.heading}")
        if cast:
            print(f"{'':>23}{cast}")
    return 0


def chat_message(args: argparse.Namespace, services: Services) -> int:
    """Send one chat message about a script; with --apply, a proposed change set is applied at once."""
    from cortexreel.services import chat

    reply = chat.send(services, args.user, args.id, args.message, scene_number=args.scene, apply=args.apply)
    changes = [{"scene_number": c.scene_number, "path": c.path, "old": c.old, "new": c.new} for c in reply.changes]
    if args.json:
        print(json.dumps({"reply": reply.reply, "changes": changes, "applied": reply.applied}, ensure_ascii=False))
        return 0
    print(reply.reply)
    for change in changes:
        print(f"  scene {change['scene_number']}  {change['path']}: {change['old']!r} → {change['new']!r}")
    return 0


def history(args: argparse.Namespace, services: Services) -> int:
    """List the versions of one scene."""
    from cortexreel.services import scenes as scene_service

    scene = scene_service.scene_by_number(services, args.user, args.id, args.scene)
    versions = scene_service.history(services, args.user, scene.id)
    if args.json:
        print(json.dumps({"versions": [_version_json(v) for v in versions]}, ensure_ascii=False))
        return 0
    for version in versions:
        when = version.created_at.strftime("%Y-%m-%d %H:%M")
        print(f"v{version.version}  {when}  {version.source.value:<8} {version.author:<12} {version.note}")
    return 0


def revert(args: argparse.Namespace, services: Services) -> int:
    """Save a scene's old version as its newest one."""
    from cortexreel.services import scenes as scene_service

    scene = scene_service.scene_by_number(services, args.user, args.id, args.scene)
    reverted = scene_service.revert(services, args.user, scene.id, args.version)
    print(f"Scene {scene.number} is back to version {args.version}, saved as version {reverted.version}.")
    return 0


def _version_json(version: SceneVersion) -> dict[str, Any]:
    return {
        "version": version.version,
        "author": version.author,
        "source": version.source.value,
        "note": version.note,
        "created_at": version.created_at.isoformat(),
        "changes": [change.model_dump(mode="json") for change in version.changes],
    }


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


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cortexreel", description="CortexReel screenplay analysis")
    parser.set_defaults(standalone=False)  # a standalone command is given the Settings, not built Services
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser("doctor", help="show the backends in use and whether they are reachable")
    check.add_argument("--json", action="store_true", help="print the report as JSON")
    check.set_defaults(handler=doctor)

    read = commands.add_parser("parse", help="parse a screenplay file and print its scenes (nothing is stored)")
    read.add_argument("file")
    read.add_argument("--json", action="store_true", help="print the parse as JSON")
    read.add_argument(
        "--allow-unstructured", action="store_true", help="accept a file with no scene headings as one scene"
    )
    read.add_argument(
        "--trusted",
        action="store_true",
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

    listing = commands.add_parser("scenes", help="list a script's scenes")
    listing.add_argument("id")
    listing.add_argument("--json", action="store_true", help="print the scenes with their analysis as JSON")
    listing.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    listing.set_defaults(handler=scenes)

    talk = commands.add_parser("chat", help="change or question a script's analysis in words")
    talk.add_argument("id")
    talk.add_argument("message")
    talk.add_argument("--scene", type=int, help="the scene the message is about (“here”)")
    talk.add_argument("--apply", action="store_true", help="apply a proposed change set at once")
    talk.add_argument("--json", action="store_true", help="print JSON")
    talk.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    talk.set_defaults(handler=chat_message)

    versions = commands.add_parser("history", help="list the versions of a scene")
    versions.add_argument("id")
    versions.add_argument("--scene", type=int, required=True)
    versions.add_argument("--json", action="store_true", help="print JSON")
    versions.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    versions.set_defaults(handler=history)

    back = commands.add_parser("revert", help="restore an earlier version of a scene as a new version")
    back.add_argument("id")
    back.add_argument("--scene", type=int, required=True)
    back.add_argument("--version", type=int, required=True)
    back.add_argument("--user", default=LOCAL_USER, help="login of the acting user")
    back.set_defaults(handler=revert)

    add_search_parser(commands)
    add_migration_parsers(commands)
    add_user_parsers(commands)
    add_schedule_parsers(commands)

    out = commands.add_parser("export", help="write a script's breakdown as CSV, XLSX, JSON or a PDF report")
    out.add_argument("id")
    out.add_argument("--format", required=True, choices=["csv", "xlsx", "json", "pdf"], help="file format")
    out.add_argument("-o", "--output", required=True, help="file to write")
    out.add_argument("--owner", default=LOCAL_USER, help="login of the user exporting")
    out.set_defaults(handler=export)
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
