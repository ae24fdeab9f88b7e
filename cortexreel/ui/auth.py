"""Who is logged in to this browser: the signed session token from the HttpOnly cookie set by the login form of
cortexreel.web (so a reload or a new tab stays logged in), or, when the app runs without server.py, from this
Streamlit session; checked on every run (expiry, logout, disabled account). Optional single sign-on goes through
Streamlit's built-in OIDC login (`st.login`), used when `.streamlit/secrets.toml` has an `[auth]` section."""

from __future__ import annotations

import logging

import streamlit as st

from cortexreel import web
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import CortexReelError, PermissionDeniedError
from cortexreel.services import accounts
from cortexreel.ui import state
from cortexreel.ui.services import get_services

log = logging.getLogger(__name__)


def current_user() -> str:
    """The acting user's login: the logged-in user when accounts are required, otherwise the local user. app.py
    shows only the login page until someone is logged in, so pages always have a user here."""
    if not get_services().settings.auth_required:
        return LOCAL_USER
    login = logged_in_user()
    if login is None:
        raise PermissionDeniedError("Please log in.")
    return login


def logged_in_user() -> str | None:
    """The login of this session's user, or None (and a notice for the login page when a session just expired)."""
    services = get_services()
    cookie = st.context.cookies.get(web.SESSION_COOKIE) if web.cookie_login_mounted() else None
    if cookie:
        session = accounts.check_session(services, cookie)
        if session is not None:
            return session.login
        st.session_state[state.AUTH_NOTICE] = "Your session has ended. Please log in again."
    token = st.session_state.get(state.AUTH_TOKEN)
    if isinstance(token, str):
        session = accounts.check_session(services, token)
        if session is not None:
            return session.login
        st.session_state.pop(state.AUTH_TOKEN, None)
        st.session_state[state.AUTH_NOTICE] = "Your session has ended. Please log in again."
    if sso_configured() and _sso_email():
        try:
            user = accounts.login_sso(services, _sso_email())
        except CortexReelError as error:
            st.session_state[state.AUTH_NOTICE] = error.message
            return None
        start_session(user.login)
        return user.login
    return None


def start_session(login: str) -> None:
    st.session_state[state.AUTH_TOKEN] = accounts.issue_session(get_services(), login)
    st.session_state.pop(state.AUTH_NOTICE, None)


def log_out(login: str) -> None:
    """End the user's sessions in every browser (the cookie's too), and the single sign-on one (which also
    reloads the page)."""
    accounts.revoke_sessions(get_services(), login)
    st.session_state.pop(state.AUTH_TOKEN, None)
    st.session_state[state.AUTH_NOTICE] = "You have logged out."
    if sso_configured() and _sso_email():
        st.logout()


def client_id() -> str:
    """The client the login attempt comes from, for the per-client lockout: its IP address (behind a proxy, the
    proxy's, unless the proxy is configured to pass it on). Streamlit gives no address (None) for a browser on this
    machine (127.0.0.1 or ::1), so that is named "localhost" rather than logged as unknown."""
    address = st.context.ip_address
    return address if isinstance(address, str) and address else "localhost"


def sso_configured() -> bool:
    """Whether Streamlit's OIDC login is set up (an `[auth]` section in `.streamlit/secrets.toml`)."""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all, or an unreadable one: single sign-on is simply off
        return False


def _sso_email() -> str:
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or "")
    except Exception:  # st.user raises when auth is not configured
        log.debug("single sign-on user not available", exc_info=True)
    return ""
