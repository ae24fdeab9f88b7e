"""Accounts: create users (the first admin only on an empty install), log in with lockout, sessions that expire,
disable, list.

Passwords are hashed with argon2 and never logged or stored in clear. A session is a token signed with the
server's secret key (HMAC-SHA256) that names the login, when it was issued and when it expires; it is kept in an
HttpOnly cookie (cortexreel.web) or the server-side Streamlit session, and is checked on every run against the
account (a disabled account's sessions stop working at once, and logging out revokes every earlier session).

Failed logins are counted per login and per client in token buckets (the RateLimiter port, so in Redis when
configured): after `lockout_attempts` failures for a login (or `lockout_client_attempts` from one client) within
`lockout_minutes`, further attempts are refused, even with the right password, until the bucket refills one
attempt (every lockout_minutes / lockout_attempts minutes). A successful login clears its login's count. Each
attempt is counted before its password is checked, in the same atomic step as the "locked?" check, so parallel
attempts cannot get more tries than the limit.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import logging
import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from cortexreel.container import Services
from cortexreel.domain.base import utcnow
from cortexreel.domain.users import User, UserRole, normalise_login, stored_form
from cortexreel.errors import InvalidInputError, PermissionDeniedError, RateLimitedError
from cortexreel.ports import Bucket

log = logging.getLogger(__name__)

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
WRONG_CREDENTIALS = "Wrong login or password."
_HASHER = PasswordHasher()


@dataclass(frozen=True)
class Session:
    login: str
    expires_at: datetime


# Users -----------------------------------------------------------------------------------------------------------


def create_user(services: Services, login: str, password: str, *, admin: bool = False, display_name: str = "") -> User:
    """A new account with a password; ConflictError if the login is taken."""
    user = _new_user(login, password, admin=admin, display_name=display_name)
    services.users.add_user(user)
    log.info("Account %s created%s", user.login, " (admin)" if admin else "")
    return user


def create_first_admin(services: Services, login: str, password: str, *, display_name: str = "") -> User:
    """The first admin of a fresh install; refused (ConflictError) as soon as any account exists."""
    user = _new_user(login, password, admin=True, display_name=display_name)
    services.users.add_first_user(user)
    log.info("First admin %s created", user.login)
    return user


def needs_first_admin(services: Services) -> bool:
    return services.users.count_users() == 0


def list_users(services: Services, acting: str) -> list[User]:
    require_admin(services, acting)
    return services.users.list_users()


def set_disabled(services: Services, acting: str, login: str, disabled: bool = True) -> User:
    """Disable (or enable again) an account; a disabled account cannot log in and its sessions end."""
    require_admin(services, acting)
    target = normalise_login(login)
    if target == acting and disabled:
        raise InvalidInputError("You cannot disable your own account.")
    user = services.users.update_user(target, disabled=disabled)
    log.info("Account %s %s by %s", target, "disabled" if disabled else "enabled", acting)
    return user


def disable_user(services: Services, login: str) -> User:
    """Disable an account from the shell (the CLI's operator is trusted like an admin)."""
    return services.users.update_user(normalise_login(login), disabled=True)


def is_admin(services: Services, login: str) -> bool:
    """Admins manage users and settings. With accounts off, the one (local) user is the admin."""
    if not services.settings.auth_required:
        return True
    user = services.users.get_user(login)
    return user is not None and not user.disabled and user.is_admin


def require_admin(services: Services, login: str) -> None:
    if not is_admin(services, login):
        raise PermissionDeniedError("Only an admin can do this.")


# Logging in ------------------------------------------------------------------------------------------------------


def authenticate(services: Services, login: str, password: str, *, client: str = "unknown") -> User:
    """The account if the password is right and neither the login nor the client is locked out."""
    name = stored_form(login)[:64] or "-"  # what cannot be a login has no account, but its attempts still count
    settings = services.settings
    period = settings.lockout_minutes * 60
    login_bucket = Bucket(f"login-failures:{name}", settings.lockout_attempts, period)
    client_bucket = Bucket(f"client-failures:{client}", settings.lockout_client_attempts, period)
    # Every attempt spends one try from both buckets before the password is checked, in one atomic step: checking
    # "locked?" and counting the failure separately let parallel attempts all pass the check. A successful login
    # gives its tries back.
    wait = services.limiter.take_all([login_bucket, client_bucket])
    if wait > 0:
        log.warning("Login refused for %s from %s: locked out", name, client)
        raise RateLimitedError(f"Too many failed logins. Try again in {math.ceil(wait)} s.")
    user = services.users.get_user(name)
    known_hash = user.password_hash if user is not None else ""
    valid = _verify(known_hash or _dummy_hash(), password) and bool(known_hash)
    if user is None or user.disabled or not valid:
        log.warning("Failed login for %s from %s", name, client)
        raise InvalidInputError(WRONG_CREDENTIALS)
    services.limiter.reset(login_bucket.key)
    services.limiter.give_back(client_bucket)
    changes: dict[str, object] = {"last_login_at": utcnow()}
    if _HASHER.check_needs_rehash(user.password_hash):
        changes["password_hash"] = _HASHER.hash(password)
    log.info("%s logged in from %s", name, client)
    return services.users.update_user(name, **changes)


def login_sso(services: Services, email: str) -> User:
    """The account of a user the single sign-on provider vouched for: its login is the e-mail address, and an admin
    must have created it (so SSO does not let anyone with an account at the provider in)."""
    user = services.users.get_user(stored_form(email))
    if user is None or user.disabled:
        raise PermissionDeniedError(f"{email} has no account here; ask an admin to create one.")
    return services.users.update_user(user.login, last_login_at=utcnow())


# Sessions --------------------------------------------------------------------------------------------------------


def issue_session(services: Services, login: str, *, now: datetime | None = None) -> str:
    """A signed session token for `login`, valid for `session_hours`."""
    issued = now or utcnow()
    expires = issued + timedelta(hours=services.settings.session_hours)
    payload = {
        "login": login,
        "issued": issued.timestamp(),
        "expires": expires.timestamp(),
        "nonce": secrets.token_hex(8),
    }
    # Unpadded, so the token is a plain cookie value (an "=" makes servers quote it).
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode().rstrip("=")
    return f"{body}.{_signature(services, body)}"


def check_session(services: Services, token: str, *, now: datetime | None = None) -> Session | None:
    """The session a token stands for, or None if it is forged, expired, revoked (the user logged out since), or
    its account is gone or disabled."""
    body, _, signature = token.partition(".")
    # Compared as bytes: compare_digest refuses str with non-ASCII characters (a TypeError, not a "no").
    expected = _signature(services, body).encode()
    if not body or not hmac.compare_digest(signature.encode("utf-8", "surrogatepass"), expected):
        return None
    try:
        body_bytes = body.encode("utf-8", "surrogatepass")
        payload = json.loads(base64.urlsafe_b64decode(body_bytes + b"=" * (-len(body_bytes) % 4)))
        login, expires = str(payload["login"]), float(payload["expires"])
        issued = float(payload.get("issued", 0.0))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    if not math.isfinite(expires):
        return None
    moment = now or utcnow()
    if moment.timestamp() >= expires:
        return None
    user = services.users.get_user(login)
    if user is None or user.disabled:
        return None
    if user.sessions_revoked_at is not None and issued <= user.sessions_revoked_at.timestamp():
        return None
    try:
        expires_at = datetime.fromtimestamp(expires, tz=moment.tzinfo)
    except (OverflowError, OSError, ValueError):
        return None
    return Session(login=login, expires_at=expires_at)


def revoke_sessions(services: Services, login: str, *, now: datetime | None = None) -> None:
    """End every session `login` has so far, in every browser (logging out): tokens live in cookies, so a token
    is refused by when it was issued, not forgotten."""
    if services.users.get_user(login) is not None:
        services.users.update_user(login, sessions_revoked_at=now or utcnow())


# ---------------------------------------------------------------------------------------------------------------


def _new_user(login: str, password: str, *, admin: bool, display_name: str) -> User:
    name = normalise_login(login)
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(f"A password needs at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInputError(f"A password may have at most {MAX_PASSWORD_LENGTH} characters.")
    roles: list[UserRole] = ["admin"] if admin else ["member"]
    return User(login=name, display_name=display_name.strip(), password_hash=_HASHER.hash(password), roles=roles)


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the login does not exist, so an unknown login takes as long as a wrong password."""
    return _HASHER.hash(secrets.token_hex(16))


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _signature(services: Services, body: str) -> str:
    key = services.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, b"cortexreel-session\n" + body.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()
