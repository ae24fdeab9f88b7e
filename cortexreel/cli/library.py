"""`import-cortexreel`, `scripts`, `backup`, `restore` and `migrate`: the library brought in, listed, saved to
one archive, restored from it and copied to other backends (the code that does it is in `cortexreel.migration`)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cortexreel.cli.common import Subcommands, read_file
from cortexreel.domain.users import LOCAL_USER

if TYPE_CHECKING:
    from cortexreel.container import Services
    from cortexreel.migration.browser_import import ImportReport
    from cortexreel.migration.move import CopyReport, Step


def add_parsers(commands: Subcommands) -> None:
    importer = commands.add_parser(
        "import-cortexreel", help="import the browser app's saved analyses (cortex-reel-analysis-store JSON)"
    )
    importer.add_argument("file", help="the JSON copied from the browser's localStorage")
    importer.add_argument("--owner", default=LOCAL_USER, help="login of the owner of the imported scripts")
    importer.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    importer.set_defaults(handler=import_command)

    listing = commands.add_parser("scripts", help="list the scripts in the library")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(handler=scripts_command)

    saver = commands.add_parser("backup", help="write the whole library to one archive file")
    saver.add_argument("-o", "--output", required=True, help="the archive to write (a .zip file)")
    saver.set_defaults(handler=backup_command)

    loader = commands.add_parser("restore", help="restore a backup archive into an empty library")
    loader.add_argument("file", help="the archive written by `backup`")
    loader.add_argument("--no-reindex", action="store_true", help="do not rebuild the search index")
    loader.set_defaults(handler=restore_command)

    mover = commands.add_parser("migrate", help="copy the library to other backends, resumable and verified")
    mover.add_argument("--to-env", required=True, metavar="FILE", help="a .env-style file with the target's settings")
    mover.add_argument(
        "--checkpoint", metavar="FILE", help="where progress is kept for a resume (default: FILE.progress.json)"
    )
    mover.add_argument("--no-reindex", action="store_true", help="do not build the target's search index")
    mover.set_defaults(handler=migrate_command)


def import_command(args: argparse.Namespace, services: Services) -> int:
    """Import an export file; prints one line per saved analysis and any warnings."""
    from cortexreel.migration.browser_import import import_browser_export

    path = Path(args.file)
    report = import_browser_export(services, read_file(path), owner=args.owner, dry_run=args.dry_run)
    _print_import(report)
    return 0


def _print_import(report: ImportReport) -> None:
    for entry in report.entries:
        chat = f", {entry.chat_messages} chat messages" if entry.chat_messages else ""
        print(f"{entry.status:<17} {entry.title} ({entry.scenes} scenes{chat})  {entry.old_id} -> {entry.script_id}")
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.dry_run:
        print(
            f"Dry run: {sum(1 for e in report.entries if e.status == 'would import')} to import, "
            f"{report.already_imported} already imported; nothing was written."
        )
    else:
        print(f"Imported {report.imported}, already imported {report.already_imported}.")


def scripts_command(args: argparse.Namespace, services: Services) -> int:
    """List every script: id, title, status, scene count and creation time."""
    scripts = services.documents.list_scripts()
    if args.json:
        payload: dict[str, Any] = {
            "scripts": [
                {
                    "id": script.id,
                    "title": script.title,
                    "status": script.status.value,
                    "scenes": script.scene_count,
                    "created_at": script.created_at.isoformat(),
                }
                for script in scripts
            ]
        }
        print(json.dumps(payload, ensure_ascii=False))
        return 0
    if not scripts:
        print("The library is empty.")
    for script in scripts:
        created = script.created_at.strftime("%Y-%m-%d %H:%M")
        print(f"{script.id}  {created}  {script.status.value:<10} {script.scene_count:>5} scenes  {script.title}")
    return 0


def backup_command(args: argparse.Namespace, services: Services) -> int:
    from cortexreel.migration.archive import backup

    report = backup(services, Path(args.output))
    counts = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in report.counts.items())
    print(f"{report.path}: {report.size_bytes:,} bytes in {report.seconds:.1f} s")
    print(f"  {counts}, {report.files} files")
    for note in report.notes:
        print(f"  {note}")
    return 0


def restore_command(args: argparse.Namespace, services: Services) -> int:
    from cortexreel.migration.archive import restore

    report = restore(services, Path(args.file), reindex=not args.no_reindex, on_step=_progress)
    _print_copy(report)
    return 0 if report.ok else 1


def migrate_command(args: argparse.Namespace, services: Services) -> int:
    """Copy the library to the backends described by --to-env; run it again to resume after an interruption."""
    from cortexreel.bootstrap import open_services
    from cortexreel.migration.move import migrate, settings_from_env_file

    env_file = Path(args.to_env)
    target = open_services(settings_from_env_file(env_file))
    checkpoint = Path(args.checkpoint) if args.checkpoint else env_file.with_name(env_file.name + ".progress.json")
    print(f"from: {services.documents.kind} {services.documents.describe()}; files {services.blobs.describe()}")
    print(f"to:   {target.documents.kind} {target.documents.describe()}; files {target.blobs.describe()}")
    print(f"      search index {target.vectors.kind} {target.vectors.describe()}")
    report = migrate(services, target, checkpoint_path=checkpoint, reindex=not args.no_reindex, on_step=_progress)
    if report.resumed_scripts:
        print(f"resumed: {report.resumed_scripts} scripts were already copied by an earlier run")
    _print_copy(report)
    return 0 if report.ok else 1


def _print_copy(report: CopyReport) -> None:
    print(file=sys.stderr)
    for line in report.lines():
        print(line)


def _progress(step: Step) -> None:
    if step.kind in ("script", "index", "scripts"):
        print(f"\r{step.kind:<8} {step.key}", end="", file=sys.stderr, flush=True)
