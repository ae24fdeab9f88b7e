"""The first call of every page: run inside the shell (cortexreel/ui/shell.py), then who is acting and, for a page
about the current script, that script, or a friendly stop when there is none."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NoReturn

import streamlit as st

from cortexreel.container import Services
from cortexreel.domain.scripts import Script
from cortexreel.services.scenes import visible_script
from cortexreel.ui import pages
from cortexreel.ui.auth import current_user
from cortexreel.ui.current import current_script_id
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.services import get_services
from cortexreel.ui.shell import require_shell


@dataclass(frozen=True)
class Visit:
    """A page being drawn: the app's services and the acting user's login."""

    services: Services
    user: str


@dataclass(frozen=True)
class ScriptVisit(Visit):
    """A page about the current script, which the user may see."""

    script: Script


def open_login_page() -> Services:
    """The login page's guard: nobody is logged in yet."""
    require_shell()
    return get_services()


def open_page() -> Visit:
    """The guard of a page for a logged-in user (app.py shows only the login page until someone is)."""
    require_shell()
    return Visit(get_services(), current_user())


def open_script_page() -> ScriptVisit:
    """The guard of a page about the current script: stops with a pointer to Upload when there is none yet, and
    with the error when the user may not see it."""
    visit = open_page()
    script_id = current_script_id()
    if script_id is None:
        no_script_chosen()
    with shown_errors():
        script = visible_script(visit.services, visit.user, script_id)
    return ScriptVisit(visit.services, visit.user, script)


def no_script_chosen() -> NoReturn:
    """The friendly stop for pages that need a script."""
    st.info("No screenplay yet. Upload one and it will appear here once it has been read.")
    st.page_link(pages.UPLOAD.path, label="Upload a screenplay", icon=":material/upload_file:")
    st.stop()
