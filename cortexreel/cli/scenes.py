"""`scenes`, `chat`, `history` and `revert`: a script's scenes, changed in words, and their versions."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from cortexreel.cli.common import Subcommands
from cortexreel.domain.users import LOCAL_USER

if TYPE_CHECKING:
    from cortexreel.container import Services
    from cortexreel.domain.scenes import SceneVersion


def add_parsers(commands: Subcommands) -> None:
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


def scenes(args: argparse.Namespace, services: Services) -> int:
    from cortexreel.domain.facts import scene_facts
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
        facts = scene_facts(scene)  # what the app shows: edits over the parse, the cast that is in the scene
        risk = facts.risk_level or "-"
        cast = ", ".join(facts.cast)
        print(f"{scene.label or scene.number:>5}  {format_eighths(scene.pages.eighths):>7}  {risk:<8} {scene.heading}")
        if cast:
            print(f"{'':>23}{cast}")
    return 0


def chat_message(args: argparse.Namespace, services: Services) -> int:
    """Send one chat message about a script; with --apply, a proposed change set is applied at once."""
    from cortexreel.services import chat

    reply = chat.send(services, args.user, args.id, args.message, scene_number=args.scene, apply=args.apply)
    changes = [
        {"scene_number": c.scene_number, "path": c.path, "old": c.old, "new": c.new} for c in reply.changes
    ]
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
