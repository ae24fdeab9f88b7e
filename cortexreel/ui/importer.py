"""The import box for the browser app's saved work: upload or paste the export, preview it, import it."""

from __future__ import annotations

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.migration.browser_export import STORE_KEY
from cortexreel.migration.browser_import import import_browser_export
from cortexreel.ui import state
from cortexreel.ui.auth import current_user
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.services import get_services


def import_box() -> None:
    """Preview (a dry run, nothing written) and import of a `cortex-reel-analysis-store` export for the current
    user. Errors in the file are shown with where the file is broken; nothing is imported then."""
    st.subheader("Bring in work from the browser version of CortexReel")
    st.markdown(
        "In the earlier browser-only CortexReel, open the browser console and run "
        f"`copy(localStorage.getItem('{STORE_KEY}'))`, then upload the pasted file or paste it below. "
        "Every saved analysis becomes a script here; importing the same file again changes nothing."
    )
    done = st.session_state.pop(state.IMPORT_RESULT, None)
    if done:
        st.success(done)
    services = get_services()
    upload = st.file_uploader(
        "Export file",
        type=["json", "txt"],
        key=state.IMPORT_FILE,
        max_upload_size=services.settings.max_upload_mb,  # one setting for every upload, as the page states
    )
    pasted = st.text_area("…or paste the export here", key=state.IMPORT_TEXT, height=120)
    data = upload.getvalue() if upload is not None else pasted.strip().encode("utf-8")
    if not data:
        return
    user = current_user()
    with shown_errors():
        preview = import_browser_export(services, data, owner=user, dry_run=True)
    st.dataframe(
        [
            {
                "Title": entry.title,
                "Scenes": entry.scenes,
                "Chat messages": entry.chat_messages,
                "Status": entry.status,
            }
            for entry in preview.entries
        ],
        hide_index=True,
    )
    for warning in preview.warnings:
        st.warning(escape_markdown(warning))
    waiting = sum(1 for entry in preview.entries if entry.status == "would import")
    if not waiting:
        st.info("Everything in this export is already in your library.")
        return
    if st.button(f"Import {waiting} script(s)", type="primary", key=state.IMPORT_BUTTON):
        with shown_errors(), st.spinner("Importing and indexing for search…"):
            report = import_browser_export(services, data, owner=user)
        st.session_state[state.IMPORT_RESULT] = (
            f"Imported {report.imported} script(s); {report.already_imported} were already in your library."
        )
        st.rerun()
