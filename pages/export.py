"""Export: the current script's breakdown as CSV, XLSX, the full analysis as JSON, or a PDF breakdown report."""

from __future__ import annotations

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.services import exports
from cortexreel.ui import state
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.guard import open_script_page
from cortexreel.ui.widgets import scenes_text

page = open_script_page()  # first of all (see cortexreel/ui/guard.py)
services, user, script = page.services, page.user, page.script

DESCRIPTIONS = {
    "csv": "Breakdown, one row per scene, every category in its own column. Opens in any spreadsheet.",
    "xlsx": "Excel workbook: a summary sheet, then one sheet per category (cast, props, vehicles…) with scenes × "
    "elements, headers in the category's breakdown colour.",
    "json": "Everything: the script, every scene with its current analysis, and the script-level rollups.",
    "pdf": "Breakdown report to print or send: a title page, one breakdown sheet per scene in the usual layout, "
    "and the risk register.",
}

st.title("Export")
st.caption(f"{escape_markdown(script.title)} · {scenes_text(script.scene_count)} · {script.status.value}")
if not script.status.finished:
    st.info("The analysis is still running; an export now contains the scenes analysed so far.")

fmt = st.radio(
    "Format", exports.EXPORT_FORMATS, key=state.EXPORT_FORMAT, horizontal=True, format_func=lambda name: name.upper()
)
st.markdown(DESCRIPTIONS[fmt])
if st.button(f"Build {fmt.upper()}", key=state.BUILD_EXPORT, type="primary"):
    with shown_errors(), st.spinner("Building the file…"):
        st.session_state[state.EXPORT_FILE] = exports.export_script(services, user, script.id, fmt)

built = st.session_state.get(state.EXPORT_FILE)
if isinstance(built, exports.ExportFile) and built.filename.endswith(f".{fmt}"):
    st.download_button(
        f"Download {built.filename} ({len(built.data) / 1024:,.0f} KB)",
        data=built.data,
        file_name=built.filename,
        mime=built.mime,
        key=state.DOWNLOAD_EXPORT,
        icon=":material/download:",
    )
st.caption("Also from the command line: `python -m cortexreel export SCRIPT_ID --format pdf -o breakdown.pdf`")
