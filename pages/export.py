"""Export: the current script's breakdown as CSV, XLSX, the full analysis as JSON, or a PDF breakdown report."""

from __future__ import annotations

import streamlit as st

from cortexreel.markup import escape_markdown
from cortexreel.services import exports
from cortexreel.services.scenes import visible_script
from cortexreel.ui import state
from cortexreel.ui.auth import current_user
from cortexreel.ui.current import current_script_id, no_script_chosen
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.services import get_services
from cortexreel.ui.shell import require_shell
from cortexreel.ui.widgets import scenes_text

require_shell()  # first of all: a page Streamlit runs without app.py runs app.py instead

DESCRIPTIONS = {
    "csv": "Breakdown, one row per scene, every category in its own column. Opens in any spreadsheet.",
    "xlsx": "Excel workbook: a summary sheet, then one sheet per category (cast, props, vehicles…) with scenes × "
    "elements, headers in the category's breakdown colour.",
    "json": "Everything: the script, every scene with its current analysis, and the script-level rollups.",
    "pdf": "Breakdown report to print or send: a title page, one breakdown sheet per scene in the usual layout, "
    "and the risk register.",
}

services = get_services()
script_id = current_script_id()
if script_id is None:
    no_script_chosen()
with shown_errors():
    script = visible_script(services, current_user(), script_id)

st.title("Export")
st.caption(f"{escape_markdown(script.title)} · {scenes_text(script.scene_count)} · {script.status.value}")
if not script.status.finished:
    st.info("The analysis is still running; an export now contains the scenes analysed so far.")

fmt = st.radio(
    "Format", exports.EXPORT_FORMATS, key=state.EXPORT_FORMAT, horizontal=True, format_func=lambda name: name.upper()
)
st.markdown(DESCRIPTIONS[fmt])
if st.button(f"Build {fmt.upper()}", key="build_export", type="primary"):
    with shown_errors(), st.spinner("Building the file…"):
        st.session_state[state.EXPORT_FILE] = exports.export_script(services, current_user(), script.id, fmt)

built = st.session_state.get(state.EXPORT_FILE)
if isinstance(built, exports.ExportFile) and built.filename.endswith(f".{fmt}"):
    st.download_button(
        f"Download {built.filename} ({len(built.data) / 1024:,.0f} KB)",
        data=built.data,
        file_name=built.filename,
        mime=built.mime,
        key="download_export",
        icon=":material/download:",
    )
st.caption("Also from the command line: `python -m cortexreel export SCRIPT_ID --format pdf -o breakdown.pdf`")
