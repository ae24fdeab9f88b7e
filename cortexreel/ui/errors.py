"""The one place where errors become messages on the page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from cortexreel.errors import CortexReelError
from cortexreel.markup import escape_markdown

log = logging.getLogger(__name__)


@contextmanager
def shown_errors() -> Iterator[None]:
    """Show expected errors with their user-facing message; log unexpected ones and show a short notice."""
    try:
        yield
    except CortexReelError as error:
        if error.detail:
            log.warning("%s (%s)", error.message, error.detail)
        st.error(escape_markdown(error.message))
        st.stop()
    except Exception:
        log.exception("Unexpected error while rendering the page")
        st.error("Something went wrong on our side. The details are in the server log.")
        st.stop()
