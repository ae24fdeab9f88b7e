"""Services for the Streamlit app, built once per server process and shared by every session."""

from __future__ import annotations

import logging

import streamlit as st

from cortexreel.bootstrap import BackendHealth, Services, build_services, tune_garbage_collector
from cortexreel.config import load_settings
from cortexreel.domain.users import LOCAL_USER
from cortexreel.errors import PermissionDeniedError
from cortexreel.services.app_settings import effective_settings

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def get_services() -> Services:
    """The app's Services, with the admin's stored overrides applied; adapters are thread-safe, so sessions
    share them. The Settings page clears this cache after a change so the next run rebuilds them."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    tune_garbage_collector()
    services = build_services(settings)
    effective = effective_settings(settings, services.documents)
    if effective == settings:
        return services
    return build_services(
        effective,
        documents=services.documents,
        blobs=services.blobs,
        vectors=services.vectors,
        embedder=services.embedder,
        users=services.users,
        limiter=services.limiter,
    )


def rebuild_services() -> None:
    """Forget the built services (after an admin changed settings); the next call builds them again."""
    get_services.clear()
    backend_health.clear()


@st.cache_data(ttl=15, show_spinner=False)
def backend_health() -> list[BackendHealth]:
    """Health of every backend, re-checked at most every 15 s so a down server does not slow every page."""
    return get_services().health()


def current_user() -> str:
    """The acting user's login: the logged-in user when accounts are required, otherwise the local user. app.py
    shows only the login page until someone is logged in, so pages always have a user here."""
    if not get_services().settings.auth_required:
        return LOCAL_USER
    from cortexreel.ui.auth import logged_in_user

    login = logged_in_user()
    if login is None:
        raise PermissionDeniedError("Please log in.")
    return login
