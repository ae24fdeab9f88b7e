"""Library: the scripts stored so far."""

from __future__ import annotations

import streamlit as st

from cortexreel.ui.errors import shown_errors
from cortexreel.ui.services import get_services

st.title("CortexReel")
st.caption("Screenplay analysis and production breakdown")

with shown_errors():
    scripts = get_services().documents.list_scripts()

if not scripts:
    st.info("Your library is empty. Upload a screenplay to start.")
    st.stop()

st.dataframe(
    [
        {
            "Title": script.title,
            "Pages": script.page_count,
            "Scenes": script.scene_count,
            "Status": script.status.value,
            "Created": script.created_at,
        }
        for script in scripts
    ],
    hide_index=True,
    use_container_width=True,
)
