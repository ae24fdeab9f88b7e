"""Why each item is in a scene's analysis: the sentence of the scene that put it there, next to the item."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from cortexreel.domain.analysis import Prop, SceneAnalysis
from cortexreel.ui.forms import readable_path

# The fields of each analysis tab whose items carry evidence.
EVIDENCE_FIELDS: dict[str, tuple[str, ...]] = {
    "Breakdown": tuple(
        f"breakdown.{name}"
        for name in ("cast", "extras", "props", "set_dressing", "vehicles", "weapons", "animals", "wardrobe", "makeup",
                     "sfx", "vfx", "stunts", "music_cues", "sound_cues", "special_equipment")
    ),
    "Safety": ("safety.hazards",),
    "Location": ("location.props",),
}
BY_HAND = "— added by hand, no sentence of the scene recorded"


@dataclass(frozen=True)
class EvidenceRow:
    field: str
    item: str
    quote: str


def evidence_rows(analysis: SceneAnalysis, section: str) -> list[EvidenceRow]:
    """One row per item now in the section's fields, with its evidence (or a note that a person added it)."""
    rows: list[EvidenceRow] = []
    for path in EVIDENCE_FIELDS.get(section, ()):
        for item in _items(analysis, path):
            rows.append(EvidenceRow(path, item, analysis.evidence_for(path, item) or BY_HAND))
    return rows


def _items(analysis: SceneAnalysis, path: str) -> list[str]:
    if path == "safety.hazards":
        return [hazard.category for hazard in analysis.safety.hazards]
    if path == "location.props":
        return list(analysis.location.props)
    value = getattr(analysis.breakdown, path.removeprefix("breakdown."))
    return [item.name if isinstance(item, Prop) else str(item) for item in value]


def render_evidence(section: str, analysis: SceneAnalysis) -> None:
    """The section's items with the sentence of the scene behind each, above its edit form."""
    rows = evidence_rows(analysis, section)
    if not rows:
        return
    with st.expander("Why is each item here?", expanded=True, icon=":material/format_quote:"):
        st.dataframe(
            [{"Listed under": readable_path(row.field), "Item": row.item, "From the scene": row.quote} for row in rows],
            hide_index=True,
            width="stretch",
            column_config={"From the scene": st.column_config.TextColumn(width="large")},
        )
