"""Who may do what with a script: pure rules, no I/O.

A user's role on a script is "owner" for the script's owner, the member role for a member, and nothing otherwise.
Viewers read, search and export; editors also edit and chat; owners also share, delete and retry.
"""

from __future__ import annotations

from enum import StrEnum

from cortexreel.domain.scripts import MemberRole, Script


class Action(StrEnum):
    READ = "read"
    SEARCH = "search"
    EXPORT = "export"
    EDIT = "edit"
    CHAT = "chat"
    SHARE = "share"
    DELETE = "delete"
    RETRY = "retry"


_VIEWER = frozenset({Action.READ, Action.SEARCH, Action.EXPORT})
_EDITOR = _VIEWER | {Action.EDIT, Action.CHAT}
_OWNER = _EDITOR | {Action.SHARE, Action.DELETE, Action.RETRY}

# The table of actions each role allows.
ROLE_ACTIONS: dict[MemberRole, frozenset[Action]] = {"viewer": _VIEWER, "editor": _EDITOR, "owner": _OWNER}

# Words for messages: "Viewers cannot edit this script."
ACTION_WORDS: dict[Action, str] = {
    Action.READ: "open",
    Action.SEARCH: "search",
    Action.EXPORT: "export",
    Action.EDIT: "edit",
    Action.CHAT: "chat about",
    Action.SHARE: "share",
    Action.DELETE: "delete",
    Action.RETRY: "retry",
}


def role_of(script: Script, login: str) -> MemberRole | None:
    """The user's role on the script, or None when they may not see it at all."""
    if login == script.owner:
        return "owner"
    for member in script.members:
        if member.login == login:
            return member.role
    return None


def allows(role: MemberRole | None, action: Action) -> bool:
    return role is not None and action in ROLE_ACTIONS[role]


def can(script: Script, login: str, action: Action) -> bool:
    """Whether `login` may do `action` on `script`."""
    return allows(role_of(script, login), action)
