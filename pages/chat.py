"""Chat: change the analysis by talking to it, ask questions, undo. Every change is a new scene version."""

from __future__ import annotations

import streamlit as st

from cortexreel.domain.chat import AppliedChange, ChatMessage
from cortexreel.markup import escape_markdown, escape_markdown_block
from cortexreel.services import chat
from cortexreel.services import scenes as scene_service
from cortexreel.ui import state
from cortexreel.ui.current import current_scene_number, set_current_scene
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.forms import readable_path, readable_value
from cortexreel.ui.guard import open_script_page
from cortexreel.ui.pages import scene_address

page = open_script_page()  # first of all (see cortexreel/ui/guard.py)
services, user, script = page.services, page.user, page.script
script_id = script.id

NO_SCENE = "No scene selected"

with shown_errors():
    scenes = scene_service.list_scenes(services, user, script_id)
    sessions = chat.list_sessions(services, user, script_id)

st.title(f"Chat · {escape_markdown(script.title)}")
if not any(scene.analysis for scene in scenes):
    st.info("The chat works on the analysis; it becomes available once the script has been analysed.")
    st.stop()

with st.sidebar:
    labels = {
        session.id: f"{session.title or 'Conversation'} · {session.updated_at:%d %b %H:%M}" for session in sessions
    }
    options = [None, *labels]
    current = st.session_state.get(state.CHAT_SESSION)
    chosen = st.selectbox(
        "Conversation",
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda value: "New conversation" if value is None else labels[value],
    )
    st.session_state[state.CHAT_SESSION] = chosen

numbers = [scene.number for scene in scenes]
selected_number = current_scene_number()
picked = st.selectbox(
    "Scene the message is about (“here”)",
    [None, *numbers],
    index=([None, *numbers].index(selected_number) if selected_number in numbers else 0),
    format_func=lambda n: NO_SCENE if n is None else f"{n}. {next(s.heading for s in scenes if s.number == n)}",
)
if picked != selected_number:
    set_current_scene(picked)

auto_apply = st.toggle("Apply changes at once", value=services.settings.chat_auto_apply, key=state.CHAT_AUTO_APPLY)


def scene_link(number: int) -> str:
    return f"[scene {number}]({scene_address(script_id, number)})"


def show_changes(changes: list[AppliedChange]) -> None:
    st.dataframe(
        [
            {
                "Scene": change.scene_number,
                "Field": readable_path(change.path),
                "Before": readable_value(change.old),
                "After": readable_value(change.new),
            }
            for change in changes
        ],
        hide_index=True,
        width="stretch",
    )


def show_message(index: int, message: ChatMessage, session_id: str) -> None:
    with st.chat_message(message.role):
        st.markdown(escape_markdown_block(message.content))
        if message.status == "pending" and message.proposed_changes:
            show_changes(message.proposed_changes)
            apply_column, discard_column = st.columns(2)
            if apply_column.button("Apply", key=state.chat_apply_key(session_id, index), type="primary"):
                with shown_errors():
                    chat.apply_proposal(services, user, session_id, index)
                st.rerun()
            if discard_column.button("Discard", key=state.chat_discard_key(session_id, index)):
                with shown_errors():
                    chat.discard_proposal(services, user, session_id, index)
                st.rerun()
        elif message.applied_changes:
            show_changes(message.applied_changes)
            touched = sorted({change.scene_number for change in message.applied_changes if change.scene_number})
            st.caption("Open " + ", ".join(scene_link(number) for number in touched))
        elif message.scene_numbers:
            st.caption("Based on " + ", ".join(scene_link(number) for number in message.scene_numbers))


session_id = st.session_state.get(state.CHAT_SESSION)
if session_id is not None:
    with shown_errors():
        session = chat.get_session(services, user, session_id)
    for index, message in enumerate(session.messages):
        show_message(index, message, session.id)
else:
    st.caption(
        "Try: “set the time of day of scene 12 to night”, “add a revolver to the props of scene 5”, "
        "“mark all night exteriors as high risk”, “which scenes need a stunt coordinator?”, “undo”. "
        "Polish works too: “zmień porę dnia w scenie 12 na noc”."
    )

if st.button("Undo my last change", key=state.CHAT_UNDO):
    with shown_errors():
        reply = chat.send(services, user, script_id, "undo", session_id=session_id)
    st.session_state[state.CHAT_SESSION] = reply.session_id
    st.rerun()

prompt = st.chat_input("Change the analysis or ask about the script")
if prompt:
    with shown_errors():
        reply = chat.send(
            services, user, script_id, prompt, scene_number=picked, session_id=session_id, apply=auto_apply
        )
    st.session_state[state.CHAT_SESSION] = reply.session_id
    st.rerun()
