"""Services for the Streamlit app, built once per server process and shared by every session."""

from __future__ import annotations

import logging

import streamlit as st

from cortexreel.bootstrap import BackendHealth, Services, build_services
from cortexreel.config import load_settings

log = logging.getLogger(__name__)


@st.cache_resource(show_spinner=False)
def get_services() -> Services:
    """The app's Services; adapters are thread-safe, so sessions share them."""
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return build_services(settings)


@st.cache_data(ttl=15, show_spinner=False)
def backend_health() -> list[BackendHealth]:
    """Health of every backend, re-checked at most every 15 s so a down server does not slow every page."""
    return get_services().health()
