"""Settings (admins only): analyser and upload limits stored as overrides; prompt templates edited with history;
user accounts (when accounts are required)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.services import accounts, app_settings
from cortexreel.ui import state
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_page
from cortexreel.ui.services import rebuild_services

page = open_page()  # first of all (see cortexreel/ui/guard.py)
services, user = page.services, page.user

st.title("Settings")
notice = st.session_state.pop(state.SETTINGS_NOTICE, None)
if notice:
    st.success(escape_markdown(notice))

with shown_errors():
    accounts.require_admin(services, user)
    view = app_settings.view_settings(services, user)
values = view.values

tab_names = ["Analysis and limits", "Prompt templates"]
if services.settings.auth_required:
    tab_names.append("Users")
analysis_tab, prompts_tab, *users_tab = st.tabs(tab_names)

with analysis_tab:
    st.caption("Changes here are stored in the database and layered over the server's environment settings.")
    if view.overridden:
        st.caption("Changed from the environment: " + ", ".join(sorted(view.overridden)))
    with st.form(state.SETTINGS_FORM):
        providers = ["offline", "openai"]
        provider = st.selectbox(
            "Analyser",
            providers,
            index=providers.index(values["llm_provider"]),
            format_func=lambda name: {
                "offline": "Offline rules (no network)",
                "openai": "LLM (OpenAI-compatible server)",
            }[name],
        )
        model = st.text_input("Model", values["llm_model"])
        base_url = st.text_input(
            "Base URL",
            values["llm_base_url"] or "",
            placeholder="empty for OpenAI; e.g. http://127.0.0.1:11434/v1 for Ollama",
        )
        left, right = st.columns(2)
        temperature = left.slider("Temperature", 0.0, 2.0, float(values["llm_temperature"]), 0.1)
        concurrency = right.number_input("LLM calls at once", 1, 64, int(values["llm_concurrency"]))
        upload_mb = left.number_input("Largest upload (MB)", 1, 2048, int(values["max_upload_mb"]))
        pages = right.number_input("Longest screenplay (pages)", 1, 5000, int(values["max_pages"]))
        st.markdown(
            "API key: **" + ("configured" if view.api_key_configured else "not set") + "**. It is read only from "
            "the server's environment (`OPENAI_API_KEY`) and is never shown, stored or logged by the app."
        )
        saved = st.form_submit_button("Save settings", type="primary")
    if saved:
        changes = {
            "llm_provider": provider,
            "llm_model": model.strip(),
            "llm_base_url": base_url.strip() or None,
            "llm_temperature": round(float(temperature), 2),
            "llm_concurrency": int(concurrency),
            "max_upload_mb": int(upload_mb),
            "max_pages": int(pages),
        }
        with shown_errors():
            app_settings.save_settings(services, user, changes)
        rebuild_services()
        st.session_state[state.SETTINGS_NOTICE] = "Settings saved. New uploads use them."
        st.rerun()
    if view.overridden and st.button("Reset to the environment's settings", key=state.RESET_SETTINGS):
        with shown_errors():
            app_settings.reset_settings(services, user)
        rebuild_services()
        st.session_state[state.SETTINGS_NOTICE] = "Settings reset to the environment's values."
        st.rerun()
    if view.updated_by:
        when = datetime.fromisoformat(view.updated_at).strftime("%Y-%m-%d %H:%M UTC") if view.updated_at else ""
        st.caption(f"Last changed by {escape_markdown(view.updated_by)} {when}".strip())

with prompts_tab:
    names = app_settings.list_prompts()
    name = st.selectbox("Template", names, key=state.PROMPT_CHOICE)
    with shown_errors():
        prompt = app_settings.view_prompt(services, user, name)
        history = app_settings.prompt_history(services, user, name)
    st.caption(f"Version {prompt.version} · " + ("edited (an override)" if prompt.overridden else "the default"))
    st.caption(
        "Keep the `[system]` and `[user]` lines and the `$placeholders`; the analyser refuses a template "
        "without `$scene` and `$boundary`."
    )
    with st.form(state.prompt_form_key(name, len(history))):
        text = st.text_area(
            "Template text", prompt.text, height=360, key=state.prompt_editor_key(name, len(history))
        )
        note = st.text_input("Change note", placeholder="Why this change?")
        save_prompt = st.form_submit_button("Save as a new version", type="primary")
    if save_prompt:
        with shown_errors():
            app_settings.save_prompt(services, user, name, text, note=note)
        rebuild_services()
        st.session_state[state.SETTINGS_NOTICE] = f"Saved a new version of {name}."
        st.rerun()
    if prompt.overridden and st.button("Reset to the default", key=state.RESET_PROMPT):
        with shown_errors():
            app_settings.reset_prompt(services, user, name)
        rebuild_services()
        st.session_state[state.SETTINGS_NOTICE] = f"{name} is back to the default."
        st.rerun()
    if history:
        st.markdown("**History**")
        st.dataframe(
            [
                {
                    "Version": item.number,
                    "Action": item.action,
                    "Author": item.author,
                    "Saved": item.saved_at.strftime("%Y-%m-%d %H:%M"),
                    "Note": item.note,
                }
                for item in history
            ],
            hide_index=True,
            width="stretch",
        )

if users_tab:
    with users_tab[0]:
        with shown_errors():
            people = accounts.list_users(services, user)
        st.dataframe(
            [
                {
                    "Login": person.login,
                    "Name": person.display_name,
                    "Role": "admin" if person.is_admin else "member",
                    "Last login": person.last_login_at.strftime("%Y-%m-%d %H:%M") if person.last_login_at else "",
                    "Disabled": person.disabled,
                }
                for person in people
            ],
            hide_index=True,
            width="stretch",
        )
        with st.form(state.NEW_USER_FORM, clear_on_submit=True):
            left, right = st.columns(2)
            new_login = left.text_input("Login")
            new_name = right.text_input("Display name")
            new_password = left.text_input("Password", type="password")
            new_admin = right.checkbox("Admin (manages users and settings)")
            create = st.form_submit_button("Create user")
        if create:
            with shown_errors():
                accounts.require_admin(services, user)
                created = accounts.create_user(
                    services, new_login, new_password, admin=new_admin, display_name=new_name
                )
            st.session_state[state.SETTINGS_NOTICE] = f"Created {created.login}."
            st.rerun()
        others = [person.login for person in people if person.login != user]
        if others:
            left, right = st.columns([3, 1])
            chosen_login = left.selectbox("Account", others, key=state.USER_TO_TOGGLE)
            chosen_user = next(person for person in people if person.login == chosen_login)
            label = "Enable" if chosen_user.disabled else "Disable"
            if right.button(label, key=state.TOGGLE_USER):
                with shown_errors():
                    accounts.set_disabled(services, user, chosen_login, not chosen_user.disabled)
                st.session_state[state.SETTINGS_NOTICE] = f"{label}d {chosen_login}."
                st.rerun()
