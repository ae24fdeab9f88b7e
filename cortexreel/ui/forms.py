"""Edit forms for a scene analysis, built from `editable_fields()`, so every editable field has a widget and a
saved form becomes path-addressed FieldEdits (the same edits the chat and imports use)."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pydantic import BaseModel

from cortexreel.domain.analysis import CharacterAnalysis, Hazard, Prop, SceneAnalysis
from cortexreel.domain.edits import FieldEdit, FieldInfo, editable_fields, get_path
from cortexreel.ui import state

# The analysis tabs and the field paths each one edits.
SECTIONS: dict[str, tuple[str, ...]] = {
    "Technical": ("technical.",),
    "Narrative": ("narrative.", "estimated_screen_time_seconds", "complexity"),
    "Characters": ("characters",),
    "Location": ("location.",),
    "Safety": ("safety.",),
    "Breakdown": ("breakdown.",),
}
OBJECT_MODELS: dict[str, type[BaseModel]] = {
    "characters": CharacterAnalysis,
    "safety.hazards": Hazard,
    "breakdown.props": Prop,
}
LIST_SEPARATOR = "; "


def section_fields(section: str) -> list[FieldInfo]:
    prefixes = SECTIONS[section]
    return [info for info in editable_fields() if any(info.path == p or info.path.startswith(p) for p in prefixes)]


def label_of(path: str) -> str:
    return readable_path(path.split(".")[-1])


# Words the field names abbreviate, as people write them.
_SPELLED = {"Sfx": "Special effects (SFX)", "Vfx": "Visual effects (VFX)", "Int ext": "INT/EXT"}
# Streamlit's smallest text area.
MIN_TEXT_AREA_HEIGHT = 68


def readable_path(path: str) -> str:
    """A field path as people read it: "breakdown.set_dressing" → "Breakdown › Set dressing"."""
    parts = [part.replace("_", " ").capitalize() for part in path.split(".")]
    return " › ".join(_SPELLED.get(part, part) for part in parts)


def readable_value(value: Any) -> str:
    """An analysis value as text, not JSON or a Python repr: lists joined, objects as "name (detail, …)"."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(readable_value(item) for item in value)
    if isinstance(value, dict):
        main = next((value[key] for key in ("name", "description", "type") if value.get(key)), "")
        details = [readable_value(item) for key, item in value.items() if item not in (None, "", [], main)]
        return f"{main} ({', '.join(details)})" if main and details else str(main) or ", ".join(details)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_widget(info: FieldInfo, value: Any) -> Any:
    """The analysis value as the widget shows it."""
    if info.kind == "list":
        return "\n".join(str(item) for item in value or [])
    if info.kind == "object-list":
        return [
            {name: LIST_SEPARATOR.join(item) if isinstance(item, list) else item for name, item in row.items()}
            for row in value or []
        ]
    if info.kind == "text":
        return value or ""
    if info.kind == "choice":
        return value or ""
    return value


def from_widget(info: FieldInfo, shown: Any, original: Any) -> Any:
    """The widget's value back as an analysis value."""
    if info.kind == "list":
        return [line.strip() for line in str(shown or "").splitlines() if line.strip()]
    if info.kind == "object-list":
        model = OBJECT_MODELS.get(info.path)
        rows = []
        for row in _records(shown):
            cleaned: dict[str, Any] = {}
            for name, item in row.items():
                if model is not None and name in model.model_fields and _is_list_field(model, name):
                    cleaned[name] = [part.strip() for part in str(item or "").split(";") if part.strip()]
                elif item is None or (isinstance(item, float) and item != item):  # NaN from an empty cell
                    continue
                else:
                    cleaned[name] = item
            if any(value not in ("", [], None) for value in cleaned.values()):
                rows.append(cleaned)
        return rows
    if info.kind in ("text", "choice"):
        text = str(shown or "").strip()
        return text or (None if original is None else "")
    return shown


def render_section_form(
    section: str, analysis: SceneAnalysis, scene_id: str, version: int, *, read_only: bool = False
) -> list[FieldEdit] | None:
    """Draw the section's edit form; when submitted, the edits for the fields that changed (maybe none).
    Read-only (for viewers) it shows the same fields disabled, with no save button."""
    frame = (
        st.container() if read_only else st.form(key=state.section_form_key(section, scene_id, version), border=False)
    )
    with frame:
        shown: dict[str, Any] = {}
        infos = section_fields(section)
        # Lists with nothing in them (most of a breakdown) are folded away at the end, still editable, so the
        # filled ones read as a short sheet instead of a column of empty boxes.
        empty = [info for info in infos if info.kind == "list" and not get_path(analysis, info.path)]
        for info in [info for info in infos if info not in empty]:
            shown[info.path] = _field_widget(info, get_path(analysis, info.path), scene_id, version, read_only)
        if empty:
            names = ", ".join(label_of(info.path) for info in empty[:4]) + (", …" if len(empty) > 4 else "")
            with st.expander(f"{len(empty)} empty — {names}"):
                for info in empty:
                    shown[info.path] = _field_widget(info, get_path(analysis, info.path), scene_id, version, read_only)
        if read_only:
            st.caption("You can view this scene. Ask the script's owner for editor access to change it.")
            return None
        note = st.text_input(
            "Change note",
            key=state.section_note_key(section, scene_id, version),
            placeholder="What did you change and why? (kept in the history)",
        )
        submitted = st.form_submit_button(f"Save {section.lower()} as a new version", type="primary")
    if not submitted:
        return None
    edits = []
    for info in infos:
        original = get_path(analysis, info.path)
        new = from_widget(info, shown[info.path], original)
        if new != original:
            edits.append(FieldEdit(info.path, "set", new))
    st.session_state[state.pending_note_key(scene_id)] = note
    return edits


def _field_widget(info: FieldInfo, value: Any, scene_id: str, version: int, read_only: bool) -> Any:
    """One field's widget, returning what it shows."""
    key = state.field_key(info.path, scene_id, version)
    label = label_of(info.path)
    if info.path.startswith("narrative.emotions."):
        label = f"{label} (0–10)"
    if info.kind == "list":
        lines = len(to_widget(info, value).splitlines())
        return st.text_area(
            label,
            to_widget(info, value),
            key=key,
            help="One item per line.",
            height=max(MIN_TEXT_AREA_HEIGHT, min(24 * lines + 20, 160)),  # as tall as its items, up to ~6 lines
            disabled=read_only,
        )
    if info.kind == "object-list":
        st.markdown(f"**{label}**")
        return st.data_editor(
            to_widget(info, value) or _empty_row(info),
            key=key,
            num_rows="fixed" if read_only else "dynamic",
            width="stretch",
            disabled=read_only,
        )
    if info.kind == "choice":
        options = ["", *info.choices]
        current = value if value in options else ""
        return st.selectbox(label, options, index=options.index(current), key=key, disabled=read_only)
    if info.kind == "number":
        return _number_input(info, label, value, key, read_only)
    return st.text_input(label, to_widget(info, value), key=key, disabled=read_only)


def _number_input(info: FieldInfo, label: str, value: Any, key: str, read_only: bool) -> Any:
    """A number widget typed by the field, not by the stored value: imported analyses hold 6 where the model says
    6.0, or nothing at all, and Streamlit refuses a widget that mixes int and float."""
    if info.integer:
        whole = None if value is None else int(value)
        return st.number_input(label, value=whole, key=key, min_value=0, step=1, disabled=read_only)
    decimal = None if value is None else float(value)
    return st.number_input(label, value=decimal, key=key, min_value=0.0, step=0.5, disabled=read_only)


def _records(shown: Any) -> list[dict[str, Any]]:
    if hasattr(shown, "to_dict"):
        records: list[dict[str, Any]] = shown.to_dict(orient="records")
        return records
    return list(shown or [])


def _is_list_field(model: type[BaseModel], name: str) -> bool:
    annotation = model.model_fields[name].annotation
    return getattr(annotation, "__origin__", None) is list


def _empty_row(info: FieldInfo) -> list[dict[str, Any]]:
    model = OBJECT_MODELS.get(info.path)
    if model is None:
        return []
    return [dict.fromkeys(model.model_fields, None)]
