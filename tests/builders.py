"""Small builders of domain objects for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.base import new_id
from cortexreel.domain.scenes import Scene, SceneVersion, VersionSource, scene_id
from cortexreel.domain.screenplay import Element
from cortexreel.domain.scripts import Member, Script

BASE_TIME = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)


def make_script(owner: str = "ann", *, minutes: int = 0, members: list[Member] | None = None) -> Script:
    return Script(
        id=new_id(),
        owner=owner,
        members=members or [],
        title="Big Fish",
        filename="big-fish.pdf",
        format="pdf",
        blob_key="sha256/" + "0" * 64,
        sha256="0" * 64,
        size_bytes=1234,
        created_at=BASE_TIME + timedelta(minutes=minutes),
        updated_at=BASE_TIME + timedelta(minutes=minutes),
    )


def make_scene(script_id: str, number: int, heading: str = "INT. DINER - NIGHT") -> Scene:
    elements = [
        Element(type="action", text="Edward sits alone."),
        Element(type="character", text="EDWARD", character="EDWARD"),
        Element(type="dialogue", text="I caught the fish with my wedding ring.", character="EDWARD"),
    ]
    return Scene(
        id=scene_id(script_id, number),
        script_id=script_id,
        number=number,
        heading=heading,
        setting="INT",
        location="DINER",
        time_of_day="NIGHT",
        elements=elements,
        text=f"{heading}\nEdward sits alone.",
    )


def version_of(scene: Scene, version: int, *, tone: str = "tense", author: str = "ann") -> SceneVersion:
    analysis = SceneAnalysis()
    analysis.narrative.emotional_tone = tone
    return SceneVersion(
        scene_id=scene.id,
        script_id=scene.script_id,
        version=version,
        analysis=analysis,
        author=author,
        source=VersionSource.FORM,
        note=f"tone {tone}",
    )


LOCATIONS = [
    ("INT.", "DINER", "NIGHT"),
    ("EXT.", "RIVER BANK", "DAY"),
    ("INT.", "BLOOM HOUSE - KITCHEN", "MORNING"),
    ("EXT.", "HIGHWAY", "NIGHT"),
    ("INT./EXT.", "EDWARD'S CAR", "DUSK"),
]
CAST = ["EDWARD", "WILL", "SANDRA", "JOSEPHINE"]
ACTIONS = [
    "Rain hammers the windows. {a} lights a candle and stares at the old revolver on the table.",
    "{a} wades into the cold water while a crowd of villagers watches from the bridge.",
    "The car skids across the wet road. {a} grips the wheel, headlights cutting through the fog.",
    "{a} laughs and pours coffee for everyone. A dog sleeps under the table.",
]


def fountain_script(scenes: int, *, title: str = "Generated Fish") -> str:
    """A deterministic Fountain screenplay with `scenes` scenes, speakers and breakdown elements."""
    parts = [f"Title: {title}", "Author: Test Writer", ""]
    for number in range(1, scenes + 1):
        setting, location, time_of_day = LOCATIONS[number % len(LOCATIONS)]
        first, second = CAST[number % len(CAST)], CAST[(number + 1) % len(CAST)]
        parts += [
            f"{setting} {location} - {time_of_day}",
            "",
            ACTIONS[number % len(ACTIONS)].format(a=first.title()),
            "",
            first,
            f"Scene {number}. I never told you about the witch, did I?",
            "",
            second,
            "(quietly)",
            "You told me a hundred times.",
            "",
        ]
    return "\n".join(parts)
