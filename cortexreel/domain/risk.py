"""A scene's overall risk level, derived from its hazards, and kept true when the analysis is edited.

The level is the highest hazard's, raised to EXTREME when several high risks combine. A level a user sets by hand
(form or chat) is an override: it stays whatever the hazards do, and the reasons say so, until the user clears it
(sets the level to nothing, or to the level the hazards give). Removing a hazard, or emptying the breakdown items
a hazard stood on (the stunts of a stunt hazard), recomputes the level and its reasons; nothing stale is left.
"""

from __future__ import annotations

from collections.abc import Sequence

from cortexreel.domain.analysis import Hazard, Safety, SceneAnalysis
from cortexreel.domain.base import RISK_LEVELS, RiskLevel
from cortexreel.domain.scenes import FieldChange, diff_analyses

NO_HAZARD_REASON = "no hazard cues found in the action lines"
# Hazards that stand on one breakdown category: once an edit empties it, the hazard has nothing left to stand on.
HAZARD_SOURCES: dict[str, str] = {
    "stunts": "breakdown.stunts",
    "weapons": "breakdown.weapons",
    "animals": "breakdown.animals",
    "vehicles": "breakdown.vehicles",
}
# Edits of these paths settle the risk again.
RISK_PATHS = ("safety.risk_level", "safety.risk_override", "safety.hazards")


def rank(level: RiskLevel) -> int:
    return RISK_LEVELS.index(level)


def risk_from_hazards(hazards: Sequence[Hazard]) -> tuple[RiskLevel, list[str]]:
    """The highest hazard level, raised to EXTREME when several high risks combine, with the reasons."""
    if not hazards:
        return "LOW", [NO_HAZARD_REASON]
    level: RiskLevel = max((hazard.level for hazard in hazards), key=rank)
    reasons: list[str] = []
    high = [hazard for hazard in hazards if rank(hazard.level) >= rank("HIGH")]
    high_categories = {hazard.category for hazard in high}
    if level != "EXTREME":
        if len(high) >= 3:
            level = "EXTREME"
            reasons.append("EXTREME: three or more high hazards combine (" + ", ".join(h.category for h in high) + ")")
        elif "pyrotechnics" in high_categories and high_categories & {"stunts", "vehicles"}:
            level = "EXTREME"
            others = sorted(high_categories & {"stunts", "vehicles"})
            reasons.append("EXTREME: pyrotechnics combined with " + " and ".join(others))
    reasons.extend(f"{hazard.level}: {hazard.description}" for hazard in hazards)
    return level, reasons


def settled_safety(safety: Safety) -> Safety:
    """The safety section with its level and reasons recomputed from its hazards, or its override kept."""
    level, reasons = risk_from_hazards(safety.hazards)
    if safety.risk_override is not None:
        computed = level
        level = safety.risk_override
        reasons = [f"{level}: set by hand (the hazards alone give {computed})", *reasons]
    return safety.model_copy(update={"risk_level": level, "reasons": reasons})


def settle_risk(
    before: SceneAnalysis, after: SceneAnalysis, changes: Sequence[FieldChange]
) -> tuple[SceneAnalysis, list[FieldChange]]:
    """After an edit: a level set by hand becomes the override (set to nothing, or to the level the hazards give,
    it clears it); a hazard whose
    breakdown items were all removed goes; and when any of that changed, the level and reasons are recomputed.
    Returns the analysis and its changes, the safety section's as they finally are."""
    paths = {change.path for change in changes}
    safety = after.safety
    if "safety.risk_level" in paths:
        # A level set to what the hazards give anyway is no override (an undo of one, say).
        chosen = safety.risk_level
        override = None if chosen == risk_from_hazards(safety.hazards)[0] else chosen
        safety = safety.model_copy(update={"risk_override": override})
    emptied = {
        category
        for category, path in HAZARD_SOURCES.items()
        if path in paths and _items(before, path) and not _items(after, path)
    }
    if emptied:
        safety = safety.model_copy(update={"hazards": [h for h in safety.hazards if h.category not in emptied]})
    if not emptied and not any(path.startswith(RISK_PATHS) for path in paths):
        return after, list(changes)
    settled = after.model_copy(update={"safety": settled_safety(safety)})
    others = [change for change in changes if not change.path.startswith("safety.")]
    safety_changes = [change for change in diff_analyses(before, settled) if change.path.startswith("safety.")]
    return settled, [*others, *safety_changes]


def _items(analysis: SceneAnalysis, path: str) -> list[str]:
    items: list[str] = getattr(analysis.breakdown, path.removeprefix("breakdown."))
    return items
