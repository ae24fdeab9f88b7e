"""Index records of a scene: one per chunk, each carrying the metadata searches filter on."""

from __future__ import annotations

from collections.abc import Sequence

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
    analysis = scene.analysis
    return {
        SCENE_NUMBER: scene.number,
        HEADING: scene.heading,
        LOCATION: scene.location,
        SETTING: scene.setting,
        TIME_OF_DAY: scene.time_of_day,
        CHARACTERS: scene.characters,
        EMOTIONAL_TONE: analysis.narrative.emotional_tone if analysis else None,
        RISK_LEVEL: analysis.safety.risk_level if analysis else None,
    }


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
