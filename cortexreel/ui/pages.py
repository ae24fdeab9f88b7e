"""Every page of the app, listed once: app.py builds the navigation from this list, pages link to one another
through it, and the smoke test runs each page on it."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

from cortexreel.ui import state


@dataclass(frozen=True)
class PageEntry:
    path: str  # the page's file, relative to app.py
    title: str
    icon: str
    url_path: str  # its address (/scenes), which links and shared URLs use
    admin_only: bool = False  # in the navigation for admins only


LIBRARY = PageEntry("pages/home.py", "Library", ":material/video_library:", "library")
UPLOAD = PageEntry("pages/upload.py", "Upload", ":material/upload_file:", "upload")
SCENES = PageEntry("pages/scenes.py", "Scenes", ":material/movie:", "scenes")
INSIGHTS = PageEntry("pages/insights.py", "Insights", ":material/insights:", "insights")
EXPORT = PageEntry("pages/export.py", "Export", ":material/download:", "export")
SCHEDULE = PageEntry("pages/schedule.py", "Schedule", ":material/calendar_month:", "schedule")
SEARCH = PageEntry("pages/search.py", "Search", ":material/search:", "search")
CHAT = PageEntry("pages/chat.py", "Chat", ":material/chat:", "chat")
SETTINGS = PageEntry("pages/settings.py", "Settings", ":material/settings:", "settings", admin_only=True)
# The only page until someone logs in. Served under the Library's address, so the rerun after logging in lands on
# the Library.
LOGIN = PageEntry("pages/login.py", "Log in", ":material/login:", LIBRARY.url_path)

# The navigation, in menu order; the first page is the default.
NAVIGATION: tuple[PageEntry, ...] = (LIBRARY, UPLOAD, SCENES, INSIGHTS, EXPORT, SCHEDULE, SEARCH, CHAT, SETTINGS)


def navigation_pages(*, admin: bool) -> list[st.Page]:
    """The pages of the navigation this user sees (Settings only for admins)."""
    return [
        streamlit_page(entry, default=entry is NAVIGATION[0])
        for entry in NAVIGATION
        if admin or not entry.admin_only
    ]


def streamlit_page(entry: PageEntry, *, default: bool = False) -> st.Page:
    return st.Page(entry.path, title=entry.title, icon=entry.icon, url_path=entry.url_path, default=default)


def scene_address(script_id: str, scene_number: int) -> str:
    """The address that opens one scene of one script on the Scenes page (/scenes?script=ID&scene=12)."""
    return f"/{SCENES.url_path}?" + urlencode({state.SCRIPT_PARAM: script_id, state.SCENE_PARAM: scene_number})
