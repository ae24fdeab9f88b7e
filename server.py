"""CortexReel's web server: the Streamlit app (app.py) with the login routes of cortexreel.web next to it.

    streamlit run server.py [--server.port 8502]

`streamlit run` finds the `st.App` below and serves it; the app itself is still app.py and pages/.
"""

from __future__ import annotations

import streamlit as st
from starlette.middleware import Middleware

from cortexreel.web import LoginGate, routes

app = st.App("app.py", routes=routes(), middleware=[Middleware(LoginGate)])
