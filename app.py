"""CortexReel: the Streamlit entry point (`streamlit run app.py`)."""

from __future__ import annotations

import streamlit as st

from cortexreel.ui.errors import shown_errors
from cortexreel.ui.services import backend_health, get_services

st.set_page_config(page_title="CortexReel", page_icon="🎬", layout="wide")

with shown_errors():
    get_services()

navigation = st.navigation([st.Page("pages/home.py", title="Library", icon="📚", default=True)])

with st.sidebar:
    st.caption("Backends")
    for item in backend_health():
        where = "server" if item.server else "embedded"
        mark = "🟢" if item.ok else "🔴"
        st.markdown(f"{mark} **{item.port}** · {item.adapter} ({where})", help=item.detail or item.target)

navigation.run()
