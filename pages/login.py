"""Log in (or, on a fresh install, create the first admin). The only page until someone is logged in."""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode, urlsplit

import streamlit as st

from cortexreel import web
from cortexreel.errors import CortexReelError
from cortexreel.markup import escape_markdown
from cortexreel.services import accounts
from cortexreel.ui import state
from cortexreel.ui.auth import client_id, sso_configured, start_session
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_login_page

services = open_login_page()  # first of all (see cortexreel/ui/guard.py)
st.title("CortexReel")

with shown_errors():
    first_run = accounts.needs_first_admin(services)

if first_run:
    st.subheader("Create the first admin")
    st.caption("Nobody has an account yet. The account you create now manages users and settings.")
    with st.form(state.FIRST_ADMIN_FORM):
        login = st.text_input("Login", key=state.FIRST_ADMIN_LOGIN)
        name = st.text_input("Display name", key=state.FIRST_ADMIN_NAME)
        password = st.text_input("Password", type="password", key=state.FIRST_ADMIN_PASSWORD)
        repeated = st.text_input("Password again", type="password", key=state.FIRST_ADMIN_REPEAT)
        create = st.form_submit_button("Create admin and log in", type="primary")
    if create:
        if password != repeated:
            st.error("The passwords differ.")
            st.stop()
        try:
            admin = accounts.create_first_admin(services, login, password, display_name=name)
        except CortexReelError as error:
            st.error(escape_markdown(error.message))
            st.stop()
        start_session(admin.login)
        st.rerun()
    st.stop()

st.subheader("Log in")
notice = st.session_state.get(state.AUTH_NOTICE)
if notice:
    st.info(escape_markdown(notice))
if web.cookie_login_mounted():
    # The login form of cortexreel.web sets the session cookie, so the login lasts across reloads and tabs; it
    # brings the user back to this address. A plain link opens in this tab (st.html keeps no target).
    query = urlencode(st.query_params.to_dict())
    asked = urlsplit(st.context.url or "/").path + (f"?{query}" if query else "")
    st.html(f'<p><a href="{escape(web.login_url(asked))}" style="font-size:1.1rem">Log in to CortexReel →</a></p>')
    st.stop()
with st.form(state.LOGIN_FORM):
    login = st.text_input("Login", key=state.LOGIN_NAME)
    password = st.text_input("Password", type="password", key=state.LOGIN_PASSWORD)
    submitted = st.form_submit_button("Log in", type="primary")
if submitted:
    try:
        user = accounts.authenticate(services, login, password, client=client_id())
    except CortexReelError as error:
        st.error(escape_markdown(error.message))
        st.stop()
    start_session(user.login)
    st.rerun()
if sso_configured():
    st.divider()
    st.button("Log in with single sign-on", key=state.SSO_LOGIN, on_click=st.login)
