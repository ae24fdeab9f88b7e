"""The analysis of one scene. Every field is typed so LLM output can be validated and a chat edit can
address any field by its dotted path ("location.time_of_day", "breakdown.props").

Each item of the breakdown and each hazard carries its evidence: the sentence of the scene that put it there, kept
in `SceneAnalysis.evidence` by the item's field path and name ({"breakdown.props": {"ring": "Edward slips his ring
off."}, "safety.hazards": {"fire": "..."}}). Analyses stored before evidence existed load with none.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from cortexreel.domain.base import Model, RiskLevel, Setting


class Technical(Model):
    shot_types: list[str] = Field(default_factory=list)
    camera_movements: list[str] = Field(default_factory=list)
    lighting: list[str] = Field(default_factory=list)
    sound_design: list[str] = Field(default_factory=list)
    special_effects: list[str] = Field(default_factory=list)
    production_notes: list[str] = Field(default_factory=list)


class Emotions(Model):
    """Six emotions scored 0–10."""

    tension: float = Field(default=0.0, ge=0, le=10)
    sadness: float = Field(default=0.0, ge=0, le=10)
    hope: float = Field(default=0.0, ge=0, le=10)
    anger: float = Field(default=0.0, ge=0, le=10)
    fear: float = Field(default=0.0, ge=0, le=10)
    joy: float = Field(default=0.0, ge=0, le=10)


class Narrative(Model):
    synopsis: str | None = None
    emotional_tone: str | None = None
    pacing: Literal["slow", "moderate", "fast"] | None = None
    conflict_level: int | None = Field(default=None, ge=0, le=10)
    themes: list[str] = Field(default_factory=list)
    symbolism: list[str] = Field(default_factory=list)
    emotions: Emotions = Field(default_factory=Emotions)


class CharacterAnalysis(Model):
    name: str
    actions: list[str] = Field(default_factory=list)
    dialogue_lines: int = Field(default=0, ge=0)
    emotions: list[str] = Field(default_factory=list)
    relationships: list[str] = Field(default_factory=list)


class LocationAnalysis(Model):
    setting: Setting | None = None
    location: str | None = None
    time_of_day: str | None = None
    weather: str | None = None
    props: list[str] = Field(default_factory=list)
    accessibility_notes: list[str] = Field(default_factory=list)


class Hazard(Model):
    category: str
    description: str
    level: RiskLevel = "MEDIUM"
    mitigation: str = ""


class Safety(Model):
    """`risk_level` follows the hazards (domain/risk.py) unless a user set it by hand: then `risk_override` holds
    that level and it stays until the user clears it."""

    risk_level: RiskLevel | None = None
    risk_override: RiskLevel | None = None
    reasons: list[str] = Field(default_factory=list)
    hazards: list[Hazard] = Field(default_factory=list)
    required_equipment: list[str] = Field(default_factory=list)
    personnel: list[str] = Field(default_factory=list)


class Prop(Model):
    name: str
    importance: Literal["hero", "practical", "background"] = "practical"


class Breakdown(Model):
    """The elements of a breakdown sheet, by category."""

    cast: list[str] = Field(default_factory=list)
    extras: list[str] = Field(default_factory=list)
    props: list[Prop] = Field(default_factory=list)
    set_dressing: list[str] = Field(default_factory=list)
    vehicles: list[str] = Field(default_factory=list)
    weapons: list[str] = Field(default_factory=list)
    animals: list[str] = Field(default_factory=list)
    wardrobe: list[str] = Field(default_factory=list)
    makeup: list[str] = Field(default_factory=list)
    sfx: list[str] = Field(default_factory=list)
    vfx: list[str] = Field(default_factory=list)
    stunts: list[str] = Field(default_factory=list)
    music_cues: list[str] = Field(default_factory=list)
    sound_cues: list[str] = Field(default_factory=list)
    special_equipment: list[str] = Field(default_factory=list)


class AnalyserInfo(Model):
    """Which analyser produced an analysis, so results can be compared and re-run."""

    name: str
    version: str
    model: str | None = None
    prompt_version: str | None = None


EVIDENCE_DESCRIPTION = (
    "Why each item is in the analysis: for each field path (breakdown.props, breakdown.vehicles, ..., "
    "safety.hazards) a map from each item's name (a hazard's category) to the sentence of the scene that shows it, "
    "quoted exactly as the scene writes it. Give one for every breakdown item and every hazard; an item the scene "
    "does not show is left out."
)
Evidence = dict[str, dict[str, str]]


class SceneAnalysis(Model):
    technical: Technical = Field(default_factory=Technical)
    narrative: Narrative = Field(default_factory=Narrative)
    characters: list[CharacterAnalysis] = Field(default_factory=list)
    location: LocationAnalysis = Field(default_factory=LocationAnalysis)
    safety: Safety = Field(default_factory=Safety)
    breakdown: Breakdown = Field(default_factory=Breakdown)
    estimated_screen_time_seconds: int | None = Field(default=None, ge=0)
    complexity: Literal["low", "medium", "high"] | None = None
    analyser: AnalyserInfo | None = None
    warnings: list[str] = Field(default_factory=list)
    imported: dict[str, Any] = Field(default_factory=dict)
    evidence: Evidence = Field(default_factory=dict, description=EVIDENCE_DESCRIPTION)

    def evidence_for(self, path: str, item: str) -> str | None:
        """The sentence that put `item` into the field at `path`, if the analyser recorded one."""
        return self.evidence.get(path, {}).get(item)
