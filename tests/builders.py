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
