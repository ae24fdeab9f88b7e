"""A user account: who may log in, with which roles. Passwords are kept only as argon2 hashes."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import Field

from cortexreel.domain.base import Model, utcnow
from cortexreel.errors import InvalidInputError

UserRole = Literal["admin", "member"]
# The implicit admin of the embedded single-user mode (CORTEXREEL_AUTH_REQUIRED off), and the CLI's default user.
LOCAL_USER = "local"
# Lower case letters, digits and . _ @ - so an e-mail address (a single sign-on login) is a valid login too.
LOGIN_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@+-]{0,63}")


class User(Model):
    login: str
    display_name: str = ""
    password_hash: str = ""  # empty for a user who logs in only through single sign-on
    roles: list[UserRole] = Field(default_factory=lambda: list[UserRole](["member"]))
    created_at: datetime = Field(default_factory=utcnow)
    last_login_at: datetime | None = None
    disabled: bool = False
    sessions_revoked_at: datetime | None = None  # sessions issued up to this moment are over (logging out)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    @property
    def label(self) -> str:
        """What the UI shows for the user."""
        return self.display_name or self.login


def normalise_login(login: str) -> str:
    """The login in its stored form (`stored_form`); InvalidInputError when it cannot be a login. Every place that
    takes a login from a person (accounts, sharing, an upload's owner) reads it through this."""
    cleaned = stored_form(login)
    if not LOGIN_PATTERN.fullmatch(cleaned):
        raise InvalidInputError(
            "A login is 1 to 64 characters: lower-case letters, digits and . _ @ + - (starting with a letter or digit)."
        )
    return cleaned


def stored_form(login: str) -> str:
    """How a login is stored: trimmed and in lower case, unchecked. For looking up what may not be a login at all
    (a login attempt, an address from single sign-on), where the answer is then simply "no such account"."""
    return login.strip().lower()


def with_changes(user: User, changes: dict[str, object]) -> User:
    """`user` with `changes` applied and validated; the rule every UserStore follows for updates."""
    unknown = set(changes) - set(User.model_fields)
    if unknown:
        raise InvalidInputError(f"Unknown user fields: {', '.join(sorted(unknown))}.")
    data = user.model_dump()
    data.update(changes)
    return User.model_validate(data)
