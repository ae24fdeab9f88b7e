"""Every page runs inside app.py, the shell: login gate, navigation, current script, sidebar.

Streamlit still knows its first kind of multipage app, where every file in a `pages/` folder next to the main
script is a page of its own: until some run of the process calls `st.navigation`, it serves a page address by
running that file directly, without app.py. So the first request after a start, if it is a deep link
(`/scenes?script=…`), ran pages/scenes.py bare (no login, no current script), and every later visitor too until
someone opened `/`. A page that finds itself run bare runs the shell instead, which calls `st.navigation` (ending
the old behaviour for the whole process) and serves the same address through the normal navigation.
"""

from __future__ import annotations

import runpy
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

APP = Path(__file__).resolve().parents[2] / "app.py"
_run = threading.local()  # each session's script runs in its own thread


@contextmanager
def shell_running() -> Iterator[None]:
    """Around app.py's `navigation.run()`: pages run now are run by the shell."""
    _run.active = True
    try:
        yield
    finally:
        _run.active = False


def require_shell() -> None:
    """The first call of every page (through its guard, cortexreel/ui/guard.py): when Streamlit ran this page bare,
    run the shell in its place and stop."""
    if getattr(_run, "active", False):
        return
    context = get_script_run_ctx()
    if context is None or Path(context.main_script_path).resolve() != APP:
        return  # a page run as its own main script (a page tested on its own)
    runpy.run_path(str(APP), run_name="__main__")
    st.stop()
