"""Builders of browser-app exports (`cortex-reel-analysis-store`) for the migration tests, modelled on the shared
sample: a current English entry, a Polish one with a chat, and an old entry missing whole sections and fields."""

from __future__ import annotations

import json
from typing import Any

NIGHT_SHIFT = "analysis-1730500000000"
LATO = "analysis-1730000000000"
DRAFT = "analysis-1720000000000"


def old_scene(
    number: int,
    heading: str,
    *,
    location: str,
    time_of_day: str,
    scene_type: str,
    description: str,
    characters: list[str],
    emotions: dict[str, Any] | None = None,
    technical: list[dict[str, Any]] | None = None,
    safety: list[dict[str, Any]] | None = None,
    props: list[str] | None = None,
    vehicles: list[str] | None = None,
    effects: list[str] | None = None,
    duration: float = 2.0,
    complexity: str = "MEDIUM",
    scene_id: str | None = None,
) -> dict[str, Any]:
    scene: dict[str, Any] = {
        "id": scene_id or f"scene-{number}",
        "number": number,
        "heading": heading,
        "location": location,
        "timeOfDay": time_of_day,
        "sceneType": scene_type,
        "description": description,
        "characters": characters,
        "dialogueCount": 2 * len(characters),
        "actionLines": [description],
        "estimatedDuration": duration,
        "pageNumber": number,
        "complexity": complexity,
    }
    if emotions is not None:
        scene["emotions"] = emotions
    scene.update(
        {
            "technicalRequirements": technical or [],
            "safetyConsiderations": safety or [],
            "props": props or [],
            "vehicles": vehicles or [],
            "specialEffects": effects or [],
        }
    )
    return scene


def emotions(tension: int, sadness: int, hope: int, anger: int, fear: int, joy: int, dominant: str) -> dict[str, Any]:
    return {
        "tension": tension,
        "sadness": sadness,
        "hope": hope,
        "anger": anger,
        "fear": fear,
        "joy": joy,
        "dominantEmotion": dominant,
        "intensity": max(tension, sadness, hope, anger, fear, joy),
    }


def script_sections(**overrides: Any) -> dict[str, Any]:
    """The whole-script sections of a current export, empty unless given."""
    sections: dict[str, Any] = {
        name: []
        for name in (
            "characters", "locations", "props", "vehicles", "weapons", "lighting", "difficultScenes", "permits",
            "equipment", "risks", "relationships", "technical", "checklist", "extras", "intimacy", "animals",
            "stunts", "postProduction",
        )
    }
    sections.update(
        {
            "themes": {"primaryThemes": [], "motifs": [], "narrativeStructure": ""},
            "pacing": {"overallPacing": "MODERATE", "actBreakdown": []},
            "budget": {"overallComplexity": "MEDIUM", "flags": []},
            "safety": {"overallRiskLevel": "HIGH", "risks": []},
        }
    )
    sections.update(overrides)
    return sections


def history_entry(
    old_id: str,
    filename: str,
    metadata: dict[str, Any],
    scenes: list[dict[str, Any]],
    *,
    created: str,
    modified: str,
    timestamp: int,
    sections: dict[str, Any] | None = None,
    processing_ms: int = 120000,
) -> dict[str, Any]:
    analysis: dict[str, Any] = {
        "id": old_id,
        "filename": filename,
        "createdAt": created,
        "lastModified": modified,
        "metadata": metadata,
        "scenes": scenes,
    }
    analysis.update(sections or {})
    return {
        "id": old_id,
        "filename": filename,
        "analysis": analysis,
        "timestamp": timestamp,
        "analysisType": "full",
        "version": "7.0",
        "fileSize": 48211,
        "processingTime": processing_ms,
    }


def night_shift() -> dict[str, Any]:
    return history_entry(
        NIGHT_SHIFT,
        "night_shift.pdf",
        {"title": "Night Shift", "genre": "Thriller", "tone": "tense", "language": "en", "pageCount": 2,
         "wordCount": 420, "characterCount": 2, "estimatedReadingTime": 2, "format": "PDF"},
        [
            old_scene(
                1, "INT. HOSPITAL CORRIDOR - NIGHT", location="HOSPITAL CORRIDOR", time_of_day="NIGHT",
                scene_type="INTERIOR", description="MAYA pushes an empty gurney. Lights flicker.",
                characters=["MAYA", "DR. OKAFOR"], emotions=emotions(6, 1, 1, 0, 5, 0, "fear"),
                technical=[{"category": "LIGHTING", "item": "flicker box", "priority": "HIGH",
                            "description": "practical fluorescent flicker", "scenes": [1]}],
                props=["gurney", "clipboard"], effects=["flickering lights"], duration=3.1,
            ),
            old_scene(
                2, "EXT. HOSPITAL ROOFTOP - NIGHT", location="HOSPITAL ROOFTOP", time_of_day="NIGHT",
                scene_type="EXTERIOR", description="Maya steps to the ledge, phone in hand.", characters=["MAYA"],
                emotions=emotions(8, 4, 1, 1, 7, 0, "tension"),
                safety=[{"type": "HEIGHT", "description": "actor near roof ledge", "riskLevel": "EXTREME",
                         "mitigationRequired": ["safety harness", "edge barrier"],
                         "personnelRequired": ["stunt coordinator", "rigger"], "equipmentRequired": ["harness"]}],
                props=["phone"], effects=["wind"], duration=1.9, complexity="HIGH",
            ),
        ],
        created="2025-07-01T09:00:00.000Z",
        modified="2025-07-01T09:03:10.000Z",
        timestamp=1751360590000,
        sections=script_sections(),
        processing_ms=190000,
    )


def lato() -> dict[str, Any]:
    return history_entry(
        LATO,
        "ostatni_dzien_lata.pdf",
        {"title": "Ostatni dzień lata", "genre": "Dramat", "tone": "melancholijny", "language": "pl",
         "pageCount": 3, "wordCount": 812, "characterCount": 3, "estimatedReadingTime": 4, "author": "—",
         "format": "PDF"},
        [
            old_scene(
                1, "WN. KUCHNIA - DZIEŃ", location="KUCHNIA", time_of_day="DAY", scene_type="INTERIOR",
                description="Halina kroi chleb. Andrzej czyta gazetę.", characters=["HALINA", "ANDRZEJ"],
                emotions=emotions(3, 4, 2, 1, 0, 1, "sadness"), props=["nóż", "chleb", "gazeta"], complexity="LOW",
                technical=[{"category": "LIGHTING", "item": "ciepłe światło okienne", "priority": "MEDIUM",
                            "description": "poranne słońce", "scenes": [1]}],
            ),
            old_scene(
                2, "ZN. JEZIORO - NOC", location="JEZIORO", time_of_day="NIGHT", scene_type="EXTERIOR",
                description="Olka wypływa łódką na środek jeziora.", characters=["OLKA"],
                emotions=emotions(7, 3, 2, 0, 6, 0, "tension"),
                technical=[{"category": "CAMERA", "item": "dron", "priority": "HIGH",
                            "description": "ujęcie z góry", "scenes": [2]}],
                safety=[{"type": "WATER", "description": "aktorka w łodzi nocą", "riskLevel": "HIGH",
                         "mitigationRequired": ["kamizelka ratunkowa"], "personnelRequired": ["ratownik"],
                         "equipmentRequired": ["łódź asekuracyjna"]}],
                props=["latarka", "wiosło"], vehicles=["łódka"], effects=["mgła"], duration=1.6, complexity="HIGH",
            ),
            old_scene(
                3, "WN./ZN. SAMOCHÓD - ŚWIT", location="SAMOCHÓD", time_of_day="DAWN", scene_type="EXTERIOR",
                description="Andrzej jedzie nad jezioro.", characters=["ANDRZEJ", "HALINA"],
                emotions=emotions(6, 5, 3, 4, 3, 0, "tension"),
                safety=[{"type": "GENERAL", "description": "jazda samochodem z aktorami", "riskLevel": "MEDIUM",
                         "mitigationRequired": ["holownik"], "personnelRequired": ["kaskader-kierowca"],
                         "equipmentRequired": []}],
                props=["telefon"], vehicles=["samochód osobowy"], duration=3.7,
            ),
        ],
        created="2025-06-30T18:22:05.000Z",
        modified="2025-06-30T18:25:41.000Z",
        timestamp=1751307941000,
        sections=script_sections(
            characters=[{"id": "c1", "name": "HALINA", "role": "PROTAGONIST", "arc": "od lęku do akceptacji"}],
            locations=[{"id": "l1", "name": "JEZIORO", "requiresPermit": True, "permitType": "zgoda gminy"}],
        ),
        processing_ms=216000,
    )


def draft_zero() -> dict[str, Any]:
    """An old export: no emotions, no whole-script sections, no chat."""
    return history_entry(
        DRAFT,
        "draft_v0.pdf",
        {"title": "Draft zero", "genre": "", "tone": "", "language": "en", "pageCount": 1, "wordCount": 120,
         "characterCount": 1, "estimatedReadingTime": 1, "format": "TXT"},
        [
            old_scene(
                1, "EXT. FIELD - DAY", location="FIELD", time_of_day="DAY", scene_type="EXTERIOR",
                description="A kite.", characters=["BOY"], props=["kite"], duration=0.5, complexity="LOW",
                scene_id="s1",
            )
        ],
        created="2025-05-01T10:00:00.000Z",
        modified="2025-05-01T10:00:00.000Z",
        timestamp=1746093600000,
        processing_ms=61000,
    )


def lato_chat() -> list[dict[str, Any]]:
    return [
        {"userId": "user", "sceneId": "scene-2", "timestamp": "2025-06-30T18:30:00.000Z",
         "content": "Zmień porę dnia w scenie 2 na świt", "type": "user"},
        {"userId": "assistant", "sceneId": "scene-2", "timestamp": "2025-06-30T18:30:02.000Z",
         "content": "Zaktualizowano porę dnia sceny 2 na DAWN.", "type": "assistant"},
    ]


def export(entries: list[dict[str, Any]] | None = None, chats: dict[str, Any] | None = None) -> dict[str, Any]:
    """The persisted zustand store, with the UI preferences the old app also saved."""
    return {
        "state": {
            "isAuthenticated": True,
            "analysisHistory": [night_shift(), lato(), draft_zero()] if entries is None else entries,
            "selectedRole": "producer",
            "collapsedSections": ["budget"],
            "darkMode": True,
            "sidebarOpen": True,
            "chatMessages": {LATO: lato_chat()} if chats is None else chats,
        },
        "version": 0,
    }


def export_bytes(data: dict[str, Any] | None = None) -> bytes:
    """Serialised on one line, as `copy(localStorage.getItem(...))` gives it."""
    return json.dumps(export() if data is None else data, ensure_ascii=False).encode("utf-8")


def truncated_bytes(cut_at: int = 5000) -> bytes:
    """A paste that stopped part-way, like the shared sample `truncated-export.json`."""
    return export_bytes()[:cut_at]
