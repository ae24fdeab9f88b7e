"""Index records of a scene: one per chunk, each carrying the metadata searches filter on."""

from __future__ import annotations

from collections.abc import Sequence

from cortexreel.domain.facts import scene_facts
from cortexreel.domain.scenes import Scene
from cortexreel.domain.scripts import Script
from cortexreel.ports import MetadataValue, VectorRecord
from cortexreel.search.chunking import Chunk, chunk_id, chunk_scene

# Metadata keys, shared by the index adapters and the search service's filters.
SCENE_NUMBER = "scene_number"
HEADING = "heading"
LOCATION = "location"
SETTING = "setting"
TIME_OF_DAY = "time_of_day"
CHARACTERS = "characters"
EMOTIONAL_TONE = "emotional_tone"
RISK_LEVEL = "risk_level"
CHUNK = "chunk"


def scene_chunks(scene: Scene) -> list[Chunk]:
    return chunk_scene(scene.heading, scene.text)


def scene_metadata(scene: Scene) -> dict[str, MetadataValue]:
    """What searches filter a scene by: its effective facts, so an edit of the analysis changes what finds it."""
    facts = scene_facts(scene)
    return {
        SCENE_NUMBER: scene.number,
        HEADING: scene.heading,
        LOCATION: facts.location,
        SETTING: facts.setting,
        TIME_OF_DAY: facts.time_of_day,
        CHARACTERS: list(facts.cast),
        EMOTIONAL_TONE: facts.emotional_tone,
        RISK_LEVEL: facts.risk_level,
    }


def records_differ(before: Scene, after: Scene) -> bool:
    """Whether the index records of `after` would differ from those of `before` (text or metadata), i.e. whether
    a write from one to the other must re-index the scene."""
    return (
        before.heading != after.heading or before.text != after.text or scene_metadata(before) != scene_metadata(after)
    )


def scene_records(
    script: Script, scene: Scene, chunks: Sequence[Chunk], vectors: Sequence[list[float]]
) -> list[VectorRecord]:
    metadata = scene_metadata(scene)
    return [
        VectorRecord(
            id=chunk_id(scene.id, chunk.index),
            scene_id=scene.id,
            script_id=script.id,
            owner=script.owner,
            vector=vector,
            content=chunk.text,
            metadata={**metadata, CHUNK: chunk.index},
        )
        for chunk, vector in zip(chunks, vectors, strict=True)
    ]
