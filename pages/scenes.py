"""Scenes: a filterable, sortable table; one scene laid out like a screenplay with its analysis in tabs, edited
as new versions; its history with a side-by-side diff and revert."""

from __future__ import annotations

import streamlit as st

from cortexreel.domain.access import Action, can
from cortexreel.domain.base import RISK_LEVELS
from cortexreel.domain.scenes import Scene, scene_id
from cortexreel.errors import ConflictError, CortexReelError
from cortexreel.markup import escape_markdown
from cortexreel.services import insights, scenes
from cortexreel.services.insights import SceneFilter
from cortexreel.ui import state
from cortexreel.ui.current import current_scene_number, set_current_scene
from cortexreel.ui.errors import shown_errors
from cortexreel.ui.evidence import render_evidence
from cortexreel.ui.forms import SECTIONS, readable_path, readable_value, render_section_form
from cortexreel.ui.guard import open_script_page
from cortexreel.ui.pages import LIBRARY
from cortexreel.ui.screenplay import screenplay_html
from cortexreel.ui.widgets import RISK_ICONS

page = open_script_page()  # first of all (see cortexreel/ui/guard.py)
services, user, script = page.services, page.user, page.script
script_id = script.id

# The text before the first scene heading (a title page, an opening crawl) is stored as scene 0.
OPENING = "Before the first scene heading"

with shown_errors():
    may_edit = can(script, user, Action.EDIT)
    all_rows = insights.list_scene_rows(services, user, script_id)

st.title(escape_markdown(script.title))
if not all_rows:
    st.info(
        f"“{escape_markdown(script.title)}” has no scenes yet: it is {script.status.value}. "
        "They appear here as soon as it is read."
    )
    st.page_link(LIBRARY.path, label="See progress in the Library", icon="📚")
    st.stop()

# --- filters and table ------------------------------------------------------------------------------------------
with st.expander("Filter scenes", expanded=False):
    first, second, third = st.columns(3)
    text = first.text_input("Search text", key=state.FILTER_TEXT, placeholder="heading, location, cast, tone")
    settings = second.multiselect(
        "INT / EXT", sorted({row.setting for row in all_rows if row.setting}), key=state.FILTER_SETTINGS
    )
    times = third.multiselect(
        "Day / night",
        sorted({row.day_night for row in all_rows}),
        key=state.FILTER_TIMES,
        format_func=lambda value: "OTHER (CONTINUOUS, LATER…)" if value == "other" else value.upper(),
    )
    fourth, fifth, sixth = st.columns(3)
    characters = fourth.multiselect(
        "Cast", sorted({name for row in all_rows for name in row.cast}), key=state.FILTER_CAST
    )
    locations = fifth.multiselect("Location", sorted({row.location for row in all_rows}), key=state.FILTER_LOCATIONS)
    min_risk = sixth.selectbox("Risk at least", ["", *RISK_LEVELS], key=state.FILTER_RISK)
wanted = SceneFilter(
    text=text,
    settings=tuple(settings),
    day_night=tuple(times),
    characters=tuple(characters),
    locations=tuple(locations),
    min_risk=min_risk,
)
rows = insights.filter_rows(all_rows, wanted)
st.caption(f"{len(rows)} of {len(all_rows)} scenes")
st.dataframe(
    [
        {
            "#": row.label,
            "Heading": row.heading,
            "INT/EXT": row.setting,
            "Time": row.time_of_day,
            "Cast": ", ".join(row.cast),
            "Page": row.page,
            "Pages": row.pages,
            "Eighths": row.eighths,
            "Risk": f"{RISK_ICONS.get(row.risk, '⚪')} {row.risk}".strip(),
            "Tone": row.tone,
            "Version": row.version,
        }
        for row in rows
    ],
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * max(len(rows), 1), 458),  # about a dozen rows before the table scrolls
    # Every width set, adding up to 800 px: the whole row fits the 820 px content column of a 1280×800 window
    # (Streamlit sizes unset columns to their content, which pushed Version past the edge).
    column_config={
        "Eighths": None,
        "#": st.column_config.TextColumn(width=40),
        "Heading": st.column_config.TextColumn(width=190),
        "INT/EXT": st.column_config.TextColumn(width=62),
        "Time": st.column_config.TextColumn(width=72),
        "Cast": st.column_config.TextColumn(width=120),
        "Page": st.column_config.TextColumn(width=48),
        "Pages": st.column_config.TextColumn(width=50),
        "Risk": st.column_config.TextColumn(width=90),
        "Tone": st.column_config.TextColumn(width=68),
        "Version": st.column_config.NumberColumn(width=60),
    },
)

if not rows:
    st.info("No scene matches these filters.")
    st.stop()

# --- one scene --------------------------------------------------------------------------------------------------
numbers = [row.number for row in rows]
labels = {row.number: f"{row.label}. {row.heading}" if row.number else OPENING for row in rows}
wanted_number = current_scene_number()
chosen_number = st.selectbox(
    "Scene",
    numbers,
    index=numbers.index(wanted_number) if wanted_number in numbers else 0,
    format_func=lambda number: labels[number],
    key=state.scene_choice_key(script_id),
)
if chosen_number != wanted_number:
    set_current_scene(chosen_number)

with shown_errors():
    # Scene ids derive from (script, number), so one scene is one read, not a scan of the script.
    scene: Scene = scenes.get_scene(services, user, scene_id(script_id, chosen_number))

seen_key = state.seen_version_key(scene.id)
seen = int(st.session_state.get(seen_key, scene.version))
notice = st.session_state.pop(state.SCENE_NOTICE, None)
if notice:
    kind, message = notice
    (st.success if kind == "success" else st.error)(escape_markdown(message))
    st.toast(escape_markdown(message), icon=":material/check_circle:" if kind == "success" else ":material/error:")

row = next(item for item in rows if item.number == scene.number)
st.subheader(escape_markdown(f"Scene {row.label} · {scene.heading}" if scene.number else OPENING))
facts = st.columns(5)
facts[0].metric("INT/EXT", row.setting or "—")
facts[1].metric("Time", row.time_of_day or "—")
facts[2].metric(
    "Page",
    row.page,
    help="The script's own page number, as printed on the page"
    + (f"; page {row.pdf_page} of the PDF file" if row.pdf_page else ""),
)
facts[3].metric("Risk", row.risk or "—")
facts[4].metric("Version", scene.version)


def _after_write(message: str, new_version: int) -> None:
    st.session_state[seen_key] = new_version
    st.session_state[state.SCENE_NOTICE] = ("success", message)
    st.rerun()


def _conflict(error: ConflictError) -> None:
    fresh = scenes.get_scene(services, user, scene.id)
    st.session_state[seen_key] = fresh.version
    st.session_state[state.SCENE_NOTICE] = (
        "error",
        f"Not saved: {error.message} The scene is now at version {fresh.version} "
        f"(saved by {fresh.updated_by or 'someone else'}); it is shown below. Make your change again if it still "
        "applies.",
    )
    st.rerun()


text_column, analysis_column = st.columns([5, 6], gap="large")
with text_column:
    st.html(screenplay_html(scene))

with analysis_column:
    if scene.analysis is None:
        st.info("This scene has not been analysed yet.")
    else:
        for warning in scene.analysis.warnings:  # e.g. the language model failed and the offline analysis was kept
            st.warning(escape_markdown(warning), icon=":material/warning:")
        tabs = st.tabs([*SECTIONS, "History"], key=state.scene_tabs_key(scene.id))
        for tab, section in zip(tabs, SECTIONS, strict=False):
            with tab:
                render_evidence(section, scene.analysis)
                edits = render_section_form(section, scene.analysis, scene.id, seen, read_only=not may_edit)
                if edits is not None:
                    note = str(st.session_state.get(state.pending_note_key(scene.id), ""))
                    if not edits:
                        st.warning("Nothing was changed, so no new version was saved.")
                    else:
                        try:
                            saved, _ = scenes.edit_fields(
                                services, user, scene.id, edits, expected_version=seen, note=note
                            )
                        except ConflictError as error:
                            _conflict(error)
                        except CortexReelError as error:
                            st.error(escape_markdown(error.message))
                        else:
                            changed = ", ".join(readable_path(edit.path) for edit in edits)
                            _after_write(f"Saved version {saved.version}: {changed}.", saved.version)
        with tabs[-1]:
            with shown_errors():
                versions = scenes.history(services, user, scene.id)
            st.dataframe(
                [
                    {
                        "Version": item.version,
                        "Author": item.author,
                        "Time": item.created_at.strftime("%Y-%m-%d %H:%M:%S"),
                        "Source": item.source.value,
                        "Note": item.note,
                        "Changes": len(item.changes),
                    }
                    for item in reversed(versions)
                ],
                hide_index=True,
                width="stretch",
            )
            numbers_seen = [item.version for item in versions]
            if len(numbers_seen) >= 2:
                left, right = st.columns(2)
                # Keyed by the latest version, so after a save the pickers move to the two newest versions.
                latest = f"{scene.id}-v{scene.version}"
                older = left.selectbox(
                    "Compare version", numbers_seen, index=len(numbers_seen) - 2, key=state.diff_older_key(latest)
                )
                newer = right.selectbox(
                    "with version", numbers_seen, index=len(numbers_seen) - 1, key=state.diff_newer_key(latest)
                )
                with shown_errors():
                    changes = scenes.compare(services, user, scene.id, older, newer)

                if changes:
                    st.dataframe(
                        [
                            {
                                "Field": readable_path(change.path),
                                f"Version {older}": readable_value(change.old),
                                f"Version {newer}": readable_value(change.new),
                            }
                            for change in changes
                        ],
                        hide_index=True,
                        width="stretch",
                    )
                else:
                    st.caption(f"Versions {older} and {newer} have the same analysis.")
                target = st.selectbox(
                    "Revert to version",
                    numbers_seen[:-1] or numbers_seen,
                    index=0,
                    key=state.revert_target_key(scene.id),
                    disabled=not may_edit,
                )
                if may_edit and st.button(
                    f"Revert to version {target}",
                    key=state.revert_key(scene.id),
                    help="Writes a new version equal to the old one; history is kept.",
                ):
                    try:
                        reverted = scenes.revert(services, user, scene.id, target, expected_version=seen)
                    except ConflictError as error:
                        _conflict(error)
                    except CortexReelError as error:
                        st.error(escape_markdown(error.message))
                    else:
                        _after_write(f"Reverted to version {target} as version {reverted.version}.", reverted.version)
            else:
                st.caption("Only the analysis so far. Every saved edit adds a version you can compare and revert.")

# Remember the version this user saw; a save is checked against it, so a stale edit is refused, not applied.
st.session_state.setdefault(seen_key, scene.version)
