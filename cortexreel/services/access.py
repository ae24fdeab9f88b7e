"""The one place where script permissions are checked, and sharing.

Every service operation on a script calls `authorize` with the acting user and what they want to do. A user who
may not see the script gets NotFoundError, the same answer as for a script that does not exist, so other people's
scripts stay invisible; a user who may see it but not do this gets PermissionDeniedError.
"""

from __future__ import annotations

import logging

from cortexreel.container import Services
from cortexreel.domain.access import ACTION_WORDS, Action, can, role_of
from cortexreel.domain.scripts import Member, MemberRole, Script
from cortexreel.domain.users import normalise_login
from cortexreel.errors import InvalidInputError, NotFoundError, PermissionDeniedError

log = logging.getLogger(__name__)

ROLE_NAMES: dict[MemberRole, str] = {"viewer": "Viewers", "editor": "Editors", "owner": "Owners"}


def authorize(services: Services, user: str, script_id: str, action: Action) -> Script:
    """The script, if `user` may do `action` on it."""
    script = services.documents.get_script(script_id)
    role = role_of(script, user) if script is not None else None
    if script is None or role is None:
        raise NotFoundError(f"There is no script with id {script_id}.")
    if not can(script, user, action):
        raise PermissionDeniedError(
            f"{ROLE_NAMES[role]} cannot {ACTION_WORDS[action]} “{script.title}”; ask its owner for more access."
        )
    return script


def visible_scripts(services: Services, user: str) -> list[Script]:
    """Every script `user` may see (owned or shared with them), newest first."""
    return services.documents.list_scripts(visible_to=user)


def share(services: Services, user: str, script_id: str, login: str, role: MemberRole) -> Script:
    """Give `login` the role on the script (or change the role they have). Owners only; the login must be an
    existing, enabled account."""
    script = authorize(services, user, script_id, Action.SHARE)
    target = normalise_login(login)
    if target == script.owner:
        raise InvalidInputError(f"{target} owns “{script.title}” already.")
    account = services.users.get_user(target)
    if account is None or account.disabled:
        raise InvalidInputError(f"There is no active account {target}.")
    members = [member for member in script.members if member.login != target]
    members.append(Member(login=target, role=role))
    updated = services.documents.update_script(script.id, members=members)
    log.info("Script %s shared with %s as %s by %s", script.id, target, role, user)
    return updated


def unshare(services: Services, user: str, script_id: str, login: str) -> Script:
    """Take the script away from a member. Owners only; the owner themselves cannot be removed."""
    script = authorize(services, user, script_id, Action.SHARE)
    target = normalise_login(login)
    if target == script.owner:
        raise InvalidInputError("The owner of a script cannot be removed from it.")
    if not any(member.login == target for member in script.members):
        raise InvalidInputError(f"“{script.title}” is not shared with {target}.")
    members = [member for member in script.members if member.login != target]
    updated = services.documents.update_script(script.id, members=members)
    log.info("Script %s no longer shared with %s (by %s)", script.id, target, user)
    return updated
