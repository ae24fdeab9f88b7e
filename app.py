"""CortexReel: the Streamlit entry point (`streamlit run app.py`).

Page config, the login gate (when accounts are required, only the login page until someone is logged in),
navigation over pages/ (Settings for admins only), the current script (sidebar picker, remembered in the session
and the URL), logout, and the backends in use with their health.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.services.accounts import is_admin
from cortexreel.services.scripts import list_scripts
from cortexreel.ui import state
from cortexreel.ui.auth import current_user, log_out, logged_in_user
from cortexreel.ui.current import script_picker, sync_current_script
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.services import backend_health, carry_on_interrupted_work, get_services
from cortexreel.ui.shell import shell_running

st.set_page_config(page_title="CortexReel", page_icon="🎬", layout="wide")

with shown_errors():
    services = get_services()
    carry_on_interrupted_work()
    auth_required = services.settings.auth_required
    anonymous = auth_required and logged_in_user() is None
if anonymous:
    # Served under the Library's address, so the rerun after logging in lands on the Library.
    login_page = st.Page("pages/login.py", title="Log in", icon=":material/login:", url_path=state.LIBRARY_PAGE)
    with shell_running():
        st.navigation([login_page], position="hidden").run()
    st.stop()
with shown_errors():
    user = current_user()
    admin = is_admin(services, user)
    scripts = list_scripts(services, user)

sync_current_script(scripts)

HERE = Path(__file__).parent
pages = [
    st.Page(
        "pages/home.py", title="Library", icon=":material/video_library:", url_path=state.LIBRARY_PAGE, default=True
    ),
    st.Page("pages/upload.py", title="Upload", icon=":material/upload_file:", url_path=state.UPLOAD_PAGE),
    st.Page("pages/scenes.py", title="Scenes", icon=":material/movie:", url_path=state.SCENES_PAGE),
    st.Page("pages/insights.py", title="Insights", icon=":material/insights:", url_path=state.INSIGHTS_PAGE),
    st.Page("pages/export.py", title="Export", icon=":material/download:", url_path=state.EXPORT_PAGE),
    st.Page("pages/schedule.py", title="Schedule", icon=":material/calendar_month:", url_path=state.SCHEDULE_PAGE),
]
# Search and Chat are built alongside this shell; they join the navigation once their page exists.
if (HERE / "pages" / "search.py").is_file():
    pages.append(st.Page("pages/search.py", title="Search", icon=":material/search:", url_path=state.SEARCH_PAGE))
if (HERE / "pages" / "chat.py").is_file():
    pages.append(st.Page("pages/chat.py", title="Chat", icon=":material/chat:", url_path=state.CHAT_PAGE))
if admin:
    pages.append(
        st.Page("pages/settings.py", title="Settings", icon=":material/settings:", url_path=state.SETTINGS_PAGE)
    )
navigation = st.navigation(pages)

with st.sidebar:
    if auth_required:
        st.caption(f"Logged in as **{escape_markdown(user)}**")
        if st.button("Log out", key="logout", icon=":material/logout:"):
            log_out(user)
            st.rerun()
    script_picker(scripts)
    health = backend_health()
    healthy = sum(item.ok for item in health)
    st.caption(f"Backends: {healthy} of {len(health)} healthy")
    with st.expander("Backends", expanded=False):
        for item in health:
            where = "server" if item.server else "embedded"
            mark = "🟢" if item.ok else "🔴"
            st.markdown(f"{mark} **{item.port}** · {item.adapter} ({where})", help=item.detail or item.target)
    down = [item.port for item in health if not item.ok]
    if down:
        st.error(f"Not reachable: {', '.join(down)}. Some pages will not work until it is back.")

with shell_running():
    navigation.run()
