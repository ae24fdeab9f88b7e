"""Services for the Streamlit app, built once per server process and shared by every session."""

from __future__ import annotations

import logging

import streamlit as st

from cortexreel.bootstrap import open_services, tune_garbage_collector
from cortexreel.config import load_settings
from cortexreel.container import BackendHealth, Services
from cortexreel.services.scripts import recover_interrupted

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def get_services() -> Services:
    """The app's Services, with the admin's stored overrides applied; adapters are thread-safe, so sessions
    share them. The Settings page clears this cache after a change so the next run rebuilds them."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    tune_garbage_collector()
    return open_services(settings)


@st.cache_resource(show_spinner=False)
def carry_on_interrupted_work() -> int:
    """Once per server process: with the in-process task runner, scripts whose work died with the previous process
    are queued again (see scripts.recover_interrupted). Returns how many."""
    return len(recover_interrupted(get_services()))


def rebuild_services() -> None:
    """Forget the built services (after an admin changed settings); the next call builds them again."""
    get_services.clear()
    backend_health.clear()


@st.cache_data(ttl=15, show_spinner=False)
def backend_health() -> list[BackendHealth]:
    """Health of every backend, re-checked at most every 15 s so a down server does not slow every page."""
    return get_services().health()
