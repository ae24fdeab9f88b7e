"""Library: every script with its status; live progress while work runs; open, retry, share or delete a script."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from cortexreel.domain.access import Action, can
from cortexreel.domain.scripts import MemberRole, Script, ScriptStatus
from cortexreel.domain.users import normalise_login
from cortexreel.markup import escape_markdown
from cortexreel.services import access
from cortexreel.services import scenes as scene_service
from cortexreel.services import scripts as script_service
from cortexreel.ui import state
from cortexreel.ui.auth import current_user
from cortexreel.ui.current import set_current_script
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_page
from cortexreel.ui.pages import INSIGHTS, SCENES, UPLOAD
from cortexreel.ui.services import get_services
from cortexreel.ui.widgets import progress_line, status_badge

page = open_page()  # first of all (see cortexreel/ui/guard.py)
services, user = page.services, page.user

REFRESH = timedelta(seconds=1)
WORK_NOTES = {"recovering": " · stalled, recovering", "stalled": " · stalled: nothing is running it, use Retry"}

st.title("Library")
st.caption("Your screenplays, their analysis status, and what to open next.")


# The live progress below reruns on its own every second, so what it calls asks for the services and the user
# each time: a session that ended meanwhile stops it.
def _load() -> list[Script]:
    with shown_errors():
        return script_service.list_scripts(get_services(), current_user())


def _fallbacks(script: Script) -> list[int]:
    with shown_errors():
        return scene_service.model_fallbacks(get_services(), current_user(), script)


def _analyser(script: Script) -> str:
    """Which analyser ran, and whether the model failed on some scenes (they keep the offline analysis)."""
    if script.analyser is None:
        return ""
    name = script.analyser.name + (f" · {script.analyser.model}" if script.analyser.model else "")
    failed = _fallbacks(script) if script.status.finished else []
    if failed:
        return f"{name} — failed on {len(failed)} of {script.scene_count} scenes (offline kept)"
    return name


def _table(found: list[Script]) -> None:
    st.dataframe(
        [
            {
                "Title": script.title,
                "File": f"{script.filename} · {script.format.upper()}",  # a script's FDX and Fountain copies
                "Pages": script.page_count,
                "Scenes": script.scene_count,
                "Status": script.status.value,
                "Progress": progress_line(script),
                "Analyser": _analyser(script),
                "Created": script.created_at.strftime("%Y-%m-%d %H:%M"),
            }
            for script in found
        ],
        hide_index=True,
        width="stretch",
        column_config={  # widths that fit the table into a 1280-pixel window without a sideways scroll
            "Title": st.column_config.TextColumn(width=160),
            "File": st.column_config.TextColumn(width=140),
            "Pages": st.column_config.NumberColumn(format="%d", width=50),
            "Scenes": st.column_config.NumberColumn(format="%d", width=55),
            "Status": st.column_config.TextColumn(width=80),
            "Progress": st.column_config.TextColumn(width=110),
            "Analyser": st.column_config.TextColumn(width=100),
            "Created": st.column_config.TextColumn(width=110),
        },
    )


@st.fragment(run_every=REFRESH)
def _live_progress() -> None:
    """Redraw the running scripts every second; once none is running the page reruns once and this stops."""
    found = _load()
    running = [script for script in found if not script.status.finished or script.indexing]
    if not running:
        st.rerun()
    for script in running:
        progress = script.search_index if script.indexing and script.search_index else script.progress
        fraction = min(progress.done / progress.total, 1.0) if progress.total else 0.0
        note = WORK_NOTES.get(script_service.work_state(get_services(), script), "")
        st.progress(fraction, text=f"**{escape_markdown(script.title)}** · {progress_line(script)}{note}")


scripts = _load()
if not scripts:
    st.info("Your library is empty. Upload a screenplay to start.")
    st.page_link(UPLOAD.path, label="Upload a screenplay", icon=":material/upload_file:")
    st.stop()

if any(not script.status.finished or script.indexing for script in scripts):
    st.subheader("In progress")
    _live_progress()

_table(scripts)

st.subheader("Manage")
by_id = {script.id: script for script in scripts}
# The script managed here is the current script: choosing one here changes it on every page, and the other way.
st.session_state[state.LIBRARY_MANAGE_CHOICE] = (
    st.session_state.get(state.CURRENT_SCRIPT) if st.session_state.get(state.CURRENT_SCRIPT) in by_id else scripts[0].id
)
chosen_id = st.selectbox(
    "Script",
    options=list(by_id),
    format_func=lambda script_id: by_id[script_id].title,
    key=state.LIBRARY_MANAGE_CHOICE,
    on_change=lambda: set_current_script(st.session_state[state.LIBRARY_MANAGE_CHOICE]),
)
chosen = by_id[chosen_id]
owner = can(chosen, user, Action.SHARE)
st.markdown(status_badge(chosen) + f" &nbsp; {escape_markdown(chosen.filename)} · {chosen.format.upper()}")
if chosen.error is not None:
    st.error(escape_markdown(f"Failed while {chosen.error.stage}: {chosen.error.message}"))
failed_scenes = _fallbacks(chosen) if chosen.status.finished else []
if failed_scenes and chosen.analyser is not None:
    shown_numbers = ", ".join(str(number) for number in failed_scenes[:20]) + (" …" if len(failed_scenes) > 20 else "")
    st.warning(
        escape_markdown(
            f"The language model ({chosen.analyser.model or chosen.analyser.name}) could not analyse "
            f"{len(failed_scenes)} of {chosen.scene_count} scenes (scenes {shown_numbers}); they keep the offline "
            "analysis. Each scene says why; check the model's address and key in Settings."
        )
    )
for warning in chosen.warnings:  # our own sentences about the file (a repaired PDF), not the file's text
    st.warning(escape_markdown(warning))

columns = st.columns(4)
if columns[0].button("Open scenes", key=state.OPEN_SCENES, disabled=chosen.scene_count == 0, width="stretch"):
    set_current_script(chosen.id)
    st.switch_page(SCENES.path)
if columns[1].button(
    "Insights", key=state.OPEN_INSIGHTS, disabled=chosen.status is not ScriptStatus.COMPLETED, width="stretch"
):
    set_current_script(chosen.id)
    st.switch_page(INSIGHTS.path)
if columns[2].button(
    "Retry",
    key=state.RETRY_SCRIPT,
    disabled=not can(chosen, user, Action.RETRY) or not script_service.retryable(services, chosen),
    help="For a failed or stalled script: runs only the steps that are missing; finished scenes are kept. "
    "Owners only.",
    width="stretch",
):
    with shown_errors():
        script_service.retry(services, user, chosen.id)
    st.toast(f"Retrying “{escape_markdown(chosen.title)}”")
    st.rerun()
if columns[3].button(
    "Delete…",
    key=state.DELETE_SCRIPT,
    type="secondary",
    disabled=not can(chosen, user, Action.DELETE),
    help="Owners only.",
    width="stretch",
):
    st.session_state[state.PENDING_DELETE] = chosen.id

pending = st.session_state.get(state.PENDING_DELETE)
if pending in by_id:
    doomed = by_id[pending]
    with st.container(border=True):
        st.warning(
            f"Delete “{doomed.title}”? Its scenes, every edit and version, search index entries and the uploaded "
            "file are removed. This cannot be undone."
        )
        yes, no = st.columns(2)
        if yes.button("Delete for good", key=state.CONFIRM_DELETE, type="primary", width="stretch"):
            with shown_errors():
                script_service.delete(services, user, doomed.id)
            st.session_state[state.PENDING_DELETE] = None
            if st.session_state.get(state.CURRENT_SCRIPT) == doomed.id:
                set_current_script(None)
            st.toast(f"Deleted “{escape_markdown(doomed.title)}”")
            st.rerun()
        if no.button("Keep it", key=state.CANCEL_DELETE, width="stretch"):
            st.session_state[state.PENDING_DELETE] = None
            st.rerun()

ROLES: list[MemberRole] = ["viewer", "editor", "owner"]
if services.settings.auth_required and owner:
    st.subheader("Sharing")
    notice = st.session_state.pop(state.SHARE_NOTICE, None)
    if notice:
        st.success(escape_markdown(notice))
    st.caption(
        f"Owned by {chosen.owner}. Viewers read, search and export; editors also edit and chat; "
        "owners also share, retry and delete."
    )
    for member in chosen.members:
        left, right = st.columns([3, 1])
        left.markdown(f"**{escape_markdown(member.login)}** · {member.role}")
        if right.button("Remove", key=state.unshare_key(member.login)):
            with shown_errors():
                access.unshare(services, user, chosen.id, member.login)
            st.session_state[state.SHARE_NOTICE] = f"“{chosen.title}” is no longer shared with {member.login}."
            st.rerun()
    with st.form(state.SHARE_FORM, clear_on_submit=True):
        left, right = st.columns([3, 1])
        login = left.text_input("Share with (login)", key=state.SHARE_LOGIN)
        role = right.selectbox("Role", ROLES, key=state.SHARE_ROLE)
        shared = st.form_submit_button("Share")
    if shared:
        with shown_errors():
            access.share(services, user, chosen.id, login, role)
        st.session_state[state.SHARE_NOTICE] = f"Shared “{chosen.title}” with {normalise_login(login)} as {role}."
        st.rerun()
