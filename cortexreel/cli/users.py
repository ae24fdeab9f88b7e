"""`users create|list|disable`: accounts managed from the shell.

Whoever runs the CLI on the server is trusted like an admin (they can read the data files anyway), so these
commands need no login. Passwords are read with getpass or from stdin, never from the command line, where they
would end up in the shell history and the process list.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import TYPE_CHECKING, Any

from cortexreel.cli.common import Subcommands
from cortexreel.errors import InvalidInputError

if TYPE_CHECKING:
    from cortexreel.container import Services


def create(args: argparse.Namespace, services: Services) -> int:
    """Create an account (the first admin of a compose install is created this way)."""
    from cortexreel.services import accounts

    password = _read_password(args.password_stdin)
    user = accounts.create_user(services, args.name, password, admin=args.admin, display_name=args.display_name)
    print(f"Created {'admin' if user.is_admin else 'member'} {user.login}.")
    return 0


def list_all(args: argparse.Namespace, services: Services) -> int:
    people = services.users.list_users()
    if args.json:
        rows: list[dict[str, Any]] = [person.model_dump(mode="json", exclude={"password_hash"}) for person in people]
        print(json.dumps({"users": rows}, ensure_ascii=False))
        return 0
    for person in people:
        role = "admin " if person.is_admin else "member"
        state = "disabled" if person.disabled else "active  "
        last = person.last_login_at.strftime("%Y-%m-%d %H:%M") if person.last_login_at else "never"
        print(f"{person.login:<24} {role} {state} last login {last}  {person.display_name}")
    return 0


def disable(args: argparse.Namespace, services: Services) -> int:
    from cortexreel.services import accounts

    user = accounts.disable_user(services, args.name)
    print(f"Disabled {user.login}; their sessions end at their next page load.")
    return 0


def add_parsers(commands: Subcommands) -> None:
    users = commands.add_parser("users", help="create, list and disable user accounts")
    actions = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")

    new = actions.add_parser("create", help="create an account (prompts for the password)")
    new.add_argument("name", help="login: lower-case letters, digits and . _ @ + -")
    new.add_argument("--admin", action="store_true", help="may manage users and settings")
    new.add_argument("--display-name", default="", help="name shown in the app")
    new.add_argument("--password-stdin", action="store_true", help="read the password from stdin instead")
    new.set_defaults(handler=create)

    listing = actions.add_parser("list", help="list the accounts")
    listing.add_argument("--json", action="store_true", help="print JSON (never the password hashes)")
    listing.set_defaults(handler=list_all)

    off = actions.add_parser("disable", help="disable an account; it can no longer log in")
    off.add_argument("name")
    off.set_defaults(handler=disable)


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Password again: ") != first:
        raise InvalidInputError("The passwords differ.")
    return first
