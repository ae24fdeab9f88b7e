"""The current script (and scene): chosen once in the sidebar, remembered in session state and in the URL query
(`?script=ID&scene=12`) so a link opens the same script and scene."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from cortexreel.domain.scripts import Script
from cortexreel.ui import state
from cortexreel.ui.widgets import progress_line


def sync_current_script(scripts: Sequence[Script]) -> str | None:
    """Settle which script is current: the URL wins (a shared link), then the session, then the newest script.
    Writes the choice back to the session and the URL."""
    ids = [script.id for script in scripts]
    from_url = st.query_params.get(state.SCRIPT_PARAM)
    chosen = st.session_state.get(state.CURRENT_SCRIPT)
    if from_url in ids and from_url != chosen:
        chosen = from_url
    if chosen not in ids:
        chosen = ids[0] if ids else None
    set_current_script(chosen)
    return chosen


def set_current_script(script_id: str | None) -> None:
    """Make `script_id` current in the session and the URL; a different script forgets the chosen scene."""
    previous = st.session_state.get(state.CURRENT_SCRIPT)
    if previous is not None and previous != script_id:
        st.session_state[state.CURRENT_SCENE] = None
        st.query_params.pop(state.SCENE_PARAM, None)
    st.session_state[state.CURRENT_SCRIPT] = script_id
    if script_id is None:
        st.query_params.pop(state.SCRIPT_PARAM, None)
    else:
        st.query_params[state.SCRIPT_PARAM] = script_id


def current_script_id() -> str | None:
    value = st.session_state.get(state.CURRENT_SCRIPT)
    return value if isinstance(value, str) else None


def current_scene_number() -> int | None:
    """The scene chosen in this session, or the one in the URL (`?scene=12`)."""
    value = st.session_state.get(state.CURRENT_SCENE)
    if isinstance(value, int):
        return value
    from_url = st.query_params.get(state.SCENE_PARAM)
    if from_url is not None and str(from_url).isdigit():
        return int(from_url)
    return None


def set_current_scene(number: int | None) -> None:
    st.session_state[state.CURRENT_SCENE] = number
    if number is None:
        st.query_params.pop(state.SCENE_PARAM, None)
    else:
        st.query_params[state.SCENE_PARAM] = str(number)


def script_picker(scripts: Sequence[Script]) -> None:
    """The sidebar selectbox that changes the current script on every page."""
    if not scripts:
        return
    by_id = {script.id: script for script in scripts}
    current = current_script_id()
    st.session_state[state.SCRIPT_PICKER] = current

    def picked() -> None:
        set_current_script(st.session_state[state.SCRIPT_PICKER])

    st.selectbox(
        "Current script",
        options=list(by_id),
        format_func=lambda script_id: by_id[script_id].title,
        key=state.SCRIPT_PICKER,
        on_change=picked,
    )
    if current in by_id:  # the status on its own line: in the picker it was cut off with the title
        st.caption(progress_line(by_id[current]))

