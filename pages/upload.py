"""Upload: one or several screenplays at once, limits shown up front, every rejection explained."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cortexreel.errors import CortexReelError
from cortexreel.markup import escape_markdown
from cortexreel.services import scripts as script_service
from cortexreel.ui import state
from cortexreel.ui.current import set_current_script
from cortexreel.ui.guard import open_page
from cortexreel.ui.importer import import_box
from cortexreel.ui.pages import LIBRARY, SCENES

page = open_page()  # first of all (see cortexreel/ui/guard.py)
services, user = page.services, page.user


@dataclass(frozen=True)
class UploadResult:
    name: str
    script_id: str | None
    message: str
    duplicate_of: str | None = None  # a script made from the same bytes


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
    key=state.uploader_key(round_number),
    max_upload_size=limits.max_upload_mb,  # the widget states the same limit as the text above
    help="Any file name works: the type is read from the content, and a file we cannot read is explained.",
)


def _ingest(name: str, data: bytes) -> UploadResult:
    try:
        script = script_service.ingest(services, data, name, owner=user)
    except CortexReelError as error:
        return UploadResult(name, None, error.message)
    set_current_script(script.id)
    return UploadResult(name, script.id, "Queued for analysis.")


if files and st.button("Analyse", type="primary", key=state.START_UPLOAD):
    results: list[UploadResult] = []
    for upload in files:
        data = upload.getvalue()
        existing = script_service.same_file(services, user, data)
        if existing is not None:
            # Kept until the user chooses: open the script already there, or add this file anyway.
            st.session_state[state.duplicate_data_key(upload.name)] = data
            results.append(UploadResult(upload.name, None, "", duplicate_of=existing.id))
        else:
            results.append(_ingest(upload.name, data))
    st.session_state[state.UPLOAD_RESULTS] = results
    st.session_state[state.UPLOADER_ROUND] = round_number + 1
    st.rerun()

results = st.session_state.get(state.UPLOAD_RESULTS) or []
if results:
    st.subheader("Last upload")
    visible = {script.id: script for script in script_service.list_scripts(services, user)}
    for index, result in enumerate(results):
        name = escape_markdown(result.name)
        existing = visible.get(result.duplicate_of or "")
        if existing is not None:
            st.warning(
                f"**{name}** is already in your library as “{escape_markdown(existing.title)}” "
                f"(uploaded {existing.created_at:%Y-%m-%d %H:%M}, {existing.status.value})."
            )
            open_column, add_column, _ = st.columns([1, 1, 3])
            if open_column.button("Open it", key=state.duplicate_open_key(index), icon=":material/movie:"):
                set_current_script(existing.id)
                st.switch_page(SCENES.path if existing.scene_count else LIBRARY.path)
            if add_column.button("Add it anyway", key=state.duplicate_add_key(index)):
                data = st.session_state.pop(state.duplicate_data_key(result.name), b"")
                results[index] = _ingest(result.name, data)
                st.rerun()
        elif result.script_id is None:
            st.error(f"**{name}** was not accepted. {escape_markdown(result.message)}")
        else:
            st.success(f"**{name}** · {escape_markdown(result.message)}")
    if any(result.script_id for result in results):
        st.page_link(LIBRARY.path, label="Follow the progress in the Library", icon=":material/video_library:")

st.divider()
import_box()  # its own heading
