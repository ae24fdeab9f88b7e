"""A scene's effective facts: what the scene is now, as every reader of scenes must see it.

The one rule: where a scene has an analysis, its values win over the parsed heading (users correct analyses, not
parses); a scene not analysed yet, or whose analysis leaves a fact empty, keeps the parse's value. Search records,
filter options, rollups, exports, insights and chat all read a scene's setting, time of day, location, cast, risk
and tone through `scene_facts`, so an edit shows up everywhere at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from cortexreel.domain.base import RiskLevel, Setting
from cortexreel.domain.scenes import Scene
from cortexreel.domain.vocabulary import DAY_TIME_WORDS, NIGHT_TIME_WORDS

DayOrNight = Literal["day", "night"]


@dataclass(frozen=True)
class SceneFacts:
    setting: Setting | None
    time_of_day: str | None
    location: str
    cast: tuple[str, ...]
    risk_level: RiskLevel | None
    emotional_tone: str | None

    @property
    def day_or_night(self) -> DayOrNight | None:
        return day_or_night(self.time_of_day)


def scene_facts(scene: Scene) -> SceneFacts:
    """The scene's setting, time of day, location, cast, risk level and tone, analysis over parse."""
    analysis = scene.analysis
    if analysis is None:
        return SceneFacts(
            setting=scene.setting,
            time_of_day=scene.time_of_day or None,
            location=scene.location,
            cast=tuple(scene.characters),
            risk_level=None,
            emotional_tone=None,
        )
    location = analysis.location
    return SceneFacts(
        setting=location.setting or scene.setting,
        time_of_day=location.time_of_day or scene.time_of_day or None,
        location=location.location or scene.location,
        # An emptied cast falls back to the speakers: a scene with dialogue has someone in it.
        cast=tuple(analysis.breakdown.cast or scene.characters),
        risk_level=analysis.safety.risk_level,
        emotional_tone=analysis.narrative.emotional_tone or None,
    )


def day_or_night(time_of_day: str | None) -> DayOrNight | None:
    """ "day", "night", or None for CONTINUOUS / LATER / unknown. Dawn counts as day and dusk as night."""
    if not time_of_day:
        return None
    lowered = time_of_day.lower()
    if any(word in lowered for word in NIGHT_TIME_WORDS):
        return "night"
    if any(word in lowered for word in DAY_TIME_WORDS):
        return "day"
    return None
