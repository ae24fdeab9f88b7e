"""CortexReel: the Streamlit entry point (`streamlit run app.py`).

Page config, the login gate (when accounts are required, only the login page until someone is logged in),
navigation over pages/ (Settings for admins only), the current script (sidebar picker, remembered in the session
and the URL), logout, and the backends in use with their health.
"""

from __future__ import annotations

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.services.accounts import is_admin
from cortexreel.services.scripts import list_scripts
from cortexreel.ui import state
from cortexreel.ui.auth import current_user, log_out, logged_in_user
from cortexreel.ui.current import script_picker, sync_current_script
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.pages import LOGIN, navigation_pages, streamlit_page
from cortexreel.ui.services import backend_health, carry_on_interrupted_work, get_services
from cortexreel.ui.shell import shell_running

st.set_page_config(page_title="CortexReel", page_icon="🎬", layout="wide")

with shown_errors():
    services = get_services()
    carry_on_interrupted_work()
    auth_required = services.settings.auth_required
    anonymous = auth_required and logged_in_user() is None
if anonymous:
    with shell_running():
        st.navigation([streamlit_page(LOGIN)], position="hidden").run()
    st.stop()
with shown_errors():
    user = current_user()
    admin = is_admin(services, user)
    scripts = list_scripts(services, user)

sync_current_script(scripts)

navigation = st.navigation(navigation_pages(admin=admin))

with st.sidebar:
    if auth_required:
        st.caption(f"Logged in as **{escape_markdown(user)}**")
        if st.button("Log out", key=state.LOGOUT, icon=":material/logout:"):
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
