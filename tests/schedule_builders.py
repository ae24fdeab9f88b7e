"""Scenes and schedules for the scheduling tests: a scene is written as a short spec."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.base import Setting
from cortexreel.domain.scenes import PageSpan, Scene, scene_id
from cortexreel.domain.schedule import Schedule, ScheduleConstraints, new_schedule
from cortexreel.domain.screenplay import Element

SCRIPT_ID = "script-1"
MONDAY = date(2027, 3, 1)


def scene(
    number: int,
    location: str = "DINER",
    *,
    setting: Setting = "INT",
    time: str = "DAY",
    eighths: int = 8,
    cast: Sequence[str] = ("EDWARD",),
    stunts: bool = False,
    analysed: bool = False,
) -> Scene:
    elements = [Element(type="action", text=f"Scene {number} happens at the {location.lower()}.")]
    for name in cast:
        elements.append(Element(type="character", text=name, character=name))
        elements.append(Element(type="dialogue", text="Hello.", character=name))
    analysis = None
    if analysed or stunts:
        analysis = SceneAnalysis()
        analysis.breakdown.cast = list(cast)
        if stunts:
            analysis.breakdown.stunts = ["fall"]
    return Scene(
        id=scene_id(SCRIPT_ID, number),
        script_id=SCRIPT_ID,
        number=number,
        heading=f"{setting}. {location} - {time}",
        setting=setting,
        location=location,
        time_of_day=time,
        pages=PageSpan(eighths=eighths),
        elements=elements,
        analysis=analysis,
        version=1 if analysis is not None else 0,
    )


def schedule_of(scenes: Sequence[Scene], **constraints: object) -> Schedule:
    settings = ScheduleConstraints.model_validate({"start": MONDAY, **constraints})
    return new_schedule(SCRIPT_ID, scenes, settings)


def sid(number: int) -> str:
    return scene_id(SCRIPT_ID, number)
