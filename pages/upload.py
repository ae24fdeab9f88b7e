"""Upload: one or several screenplays at once, limits shown up front, every rejection explained."""

from __future__ import annotations

import streamlit as st

from cortexreel.errors import CortexReelError
from cortexreel.markup import escape_markdown
from cortexreel.services import scripts as script_service
from cortexreel.ui import state
from cortexreel.ui.current import set_current_script
from cortexreel.ui.importer import import_box
from cortexreel.ui.services import current_user, get_services
from cortexreel.ui.shell import require_shell

require_shell()  # first of all: a page Streamlit runs without app.py runs app.py instead

services = get_services()
limits = services.settings

st.title("Upload screenplays")
st.markdown(
    f"Drop one or several files: **PDF**, **Fountain**, **Final Draft (FDX)** or **plain text**. "
    f"Each file may be up to **{limits.max_upload_mb} MB** and **{limits.max_pages} pages**. "
    "Scanned PDFs (pictures of pages) are read with OCR when it is available, but a text PDF works best."
)

round_number = int(st.session_state.get(state.UPLOADER_ROUND, 0))
files = st.file_uploader(
    "Screenplay files",
    accept_multiple_files=True,
    key=f"uploader-{round_number}",
    help="Any file name works: the type is read from the content, and a file we cannot read is explained.",
)

if files and st.button("Analyse", type="primary", key="start_upload"):
    results: list[tuple[str, str | None, str]] = []
    for upload in files:
        try:
            script = script_service.ingest(services, upload.getvalue(), upload.name, owner=current_user())
        except CortexReelError as error:
            results.append((upload.name, None, error.message))
        else:
            results.append((upload.name, script.id, "Queued for analysis."))
            set_current_script(script.id)
    st.session_state[state.UPLOAD_RESULTS] = results
    st.session_state[state.UPLOADER_ROUND] = round_number + 1
    st.rerun()

results = st.session_state.get(state.UPLOAD_RESULTS) or []
if results:
    st.subheader("Last upload")
    for name, script_id, message in results:
        if script_id is None:
            st.error(f"**{escape_markdown(name)}** was not accepted. {escape_markdown(message)}")
        else:
            st.success(f"**{escape_markdown(name)}** · {escape_markdown(message)}")
    if any(script_id for _, script_id, _ in results):
        st.page_link("pages/home.py", label="Follow the progress in the Library", icon=":material/video_library:")

st.divider()
st.subheader("Bring in work from the browser version of CortexReel")
import_box()
