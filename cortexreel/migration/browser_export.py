"""Reading the earlier browser-only CortexReel's saved work: the `cortex-reel-analysis-store` localStorage JSON,
checked and mapped onto our models. Pure: nothing here reads or writes a store (`browser_import` writes the plan).

The file is zustand's persisted state, `{"state": {...}, "version": 0}`. Each entry of `state.analysisHistory`
becomes a completed script whose scenes carry the old analysis mapped field by field onto ours; the script's
rollups are computed from those scenes as for any analysed script, and `state.chatMessages` of the entry become
one chat session. Whatever has no home in our models is kept verbatim under `imported` (the scene analysis's
for scene fields, the script rollups' for whole-script sections, metadata and history fields), never dropped.

Script ids are derived from (owner, old id), so importing the same file twice finds every entry already there and
changes nothing. The whole file is read and mapped before anything is written: a broken or truncated file is
refused with the line and column of the JSON error, and nothing is stored. The original screenplay was never
part of the export, so each script's stored file is its history entry exactly as exported (JSON).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePath
from typing import Any, Literal

from cortexreel.domain.analysis import (
    AnalyserInfo,
    Breakdown,
    CharacterAnalysis,
    Emotions,
    Hazard,
    LocationAnalysis,
    Narrative,
    Prop,
    Safety,
    SceneAnalysis,
    Technical,
)
from cortexreel.domain.base import RISK_LEVELS, RiskLevel, Setting, utcnow
from cortexreel.domain.chat import ChatMessage, ChatSession
from cortexreel.domain.files import key_for
from cortexreel.domain.rollups import build_rollups
from cortexreel.domain.scenes import PageSpan, Scene, SceneVersion, VersionSource, scene_id, scene_text
from cortexreel.domain.screenplay import Element, ScriptFormat
from cortexreel.domain.scripts import Progress, Script, ScriptStatus
from cortexreel.domain.vocabulary import EMOTIONS
from cortexreel.errors import InvalidInputError
from cortexreel.parsing.headings import parse_heading

STORE_KEY = "cortex-reel-analysis-store"
ANALYSER_NAME = "imported"
# Fixed, so the same (owner, old id) always gives the same script id, on any machine.
ID_NAMESPACE = uuid.UUID("5b0f7a52-2c4e-4d53-9a0e-8f2b6c1d9e37")

_SCENE_TYPES: dict[str, Setting] = {
    "INTERIOR": "INT",
    "EXTERIOR": "EXT",
    "INT": "INT",
    "EXT": "EXT",
    "INT/EXT": "INT/EXT",
    "INTERIOR/EXTERIOR": "INT/EXT",
}
_FORMATS: dict[str, ScriptFormat] = {
    "PDF": "pdf",
    "FDX": "fdx",
    "FOUNTAIN": "fountain",
    "TXT": "text",
    "TEXT": "text",
}
_SUFFIX_FORMATS: dict[str, ScriptFormat] = {".pdf": "pdf", ".fdx": "fdx", ".fountain": "fountain", ".txt": "text"}
_COMPLEXITY: dict[str, Literal["low", "medium", "high"]] = {"LOW": "low", "MEDIUM": "medium", "HIGH": "high"}
_STRING_LISTS = ("characters", "actionLines", "props", "vehicles", "specialEffects")
# Technical requirement categories and the list of our Technical section each goes to.
_TECHNICAL_FIELDS = {
    "CAMERA": "camera_movements",
    "LIGHTING": "lighting",
    "SOUND": "sound_design",
    "SPECIAL_EFFECTS": "special_effects",
}
# Parts of an old analysis that become scenes or script fields; every other section is kept under `imported`.
_ANALYSIS_MAPPED = frozenset({"id", "filename", "createdAt", "lastModified", "scenes", "metadata"})
_METADATA_MAPPED = frozenset({"title", "pageCount", "format"})
_ENTRY_MAPPED = frozenset({"id", "filename", "analysis", "timestamp", "version", "processingTime"})


# Reading the file --------------------------------------------------------------------------------------------


def read_export(data: bytes) -> dict[str, Any]:
    """The persisted `state` of an export; InvalidInputError saying where the file is broken if it is."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"The file is not UTF-8 text (byte {error.start + 1} cannot be read); it is not a CortexReel export. "
            "Nothing was imported."
        ) from None
    parsed = _load_json(text)
    if isinstance(parsed, str):  # copied as a JSON string literal: the export quoted once more
        parsed = _load_json(parsed)
    if not isinstance(parsed, dict):
        raise InvalidInputError(f"The file holds JSON but not a {STORE_KEY} export. Nothing was imported.")
    state = parsed.get("state", parsed)
    if not isinstance(state, dict) or not ({"analysisHistory", "analysis"} & set(state)):
        raise InvalidInputError(
            f"The file holds JSON but no saved analyses (no “analysisHistory”); it is not a {STORE_KEY} export. "
            "Nothing was imported."
        )
    return state


def _load_json(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"The file is broken or cut short: {error.msg} at line {error.lineno}, column {error.colno}. "
            "Nothing was imported; copy the export again in full.",
            detail=f"JSON error at character {error.pos}",
        ) from None


# Mapping -----------------------------------------------------------------------------------------------------


@dataclass
class PlannedScript:
    """One history entry mapped onto our models, ready to be written."""

    old_id: str
    script: Script
    scenes: list[Scene]
    versions: list[SceneVersion]
    chat: ChatSession | None
    source: bytes  # the history entry as exported, stored as the script's file
    warnings: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    scripts: list[PlannedScript]
    warnings: list[str]


def script_id_for(owner: str, old_id: str) -> str:
    """Our script id for an old analysis id: the same for the same owner, so a second import finds it."""
    return uuid.uuid5(ID_NAMESPACE, f"{owner}\n{old_id}").hex


def plan_import(state: dict[str, Any], owner: str) -> ImportPlan:
    """Map every saved analysis of the export onto our models. Pure: nothing is read or written."""
    warnings: list[str] = []
    history = _list(state.get("analysisHistory"), "analysisHistory")
    entries = [_obj(entry, f"analysisHistory[{index}]") for index, entry in enumerate(history)]
    current = state.get("analysis")
    if isinstance(current, dict) and current.get("id") not in {entry.get("id") for entry in entries}:
        # The analysis open in the old app when it was exported but never saved to its history.
        entries.append({"id": current.get("id"), "filename": current.get("filename"), "analysis": current})
    chats = _obj(state.get("chatMessages"), "chatMessages")
    planned: list[PlannedScript] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        where = f"analysisHistory[{index}]"
        analysis = _obj(entry.get("analysis"), f"{where}.analysis")
        old_id = _text(entry.get("id")) or _text(analysis.get("id"))
        if not old_id:
            raise InvalidInputError(f"The saved analysis {where} has no id. Nothing was imported.")
        if old_id in seen:
            warnings.append(f"The analysis {old_id} is saved twice; the first copy was imported.")
            continue
        seen.add(old_id)
        messages = _list(chats.get(old_id), f"chatMessages.{old_id}")
        planned.append(_plan_entry(entry, analysis, old_id, messages, owner, where))
    for old_id in sorted(set(chats) - seen):
        warnings.append(f"Chat messages of the analysis {old_id} were not imported: the export has no such analysis.")
    return ImportPlan(planned, warnings)


def _plan_entry(
    entry: dict[str, Any],
    analysis: dict[str, Any],
    old_id: str,
    messages: list[Any],
    owner: str,
    where: str,
) -> PlannedScript:
    metadata = _obj(analysis.get("metadata"), f"{where}.analysis.metadata")
    script_id = script_id_for(owner, old_id)
    saved_at = _millis(entry.get("timestamp"))
    created_at = _time(analysis.get("createdAt")) or saved_at or utcnow()
    updated_at = _time(analysis.get("lastModified")) or saved_at or created_at
    old_version = _text(entry.get("version")) or "unknown"
    analyser = AnalyserInfo(name=ANALYSER_NAME, version=old_version)
    raw_scenes = [
        _obj(scene, f"{where}.analysis.scenes[{position}]")
        for position, scene in enumerate(_list(analysis.get("scenes"), f"{where}.analysis.scenes"))
    ]
    numbers = _scene_numbers(raw_scenes)
    page_count = _number(metadata.get("pageCount"))
    spans = _page_spans(raw_scenes, int(page_count) if page_count is not None and page_count >= 1 else None)
    scenes = [
        _scene(script_id, number, raw, span, analyser, owner, updated_at)
        for number, raw, span in zip(numbers, raw_scenes, spans, strict=True)
    ]
    versions = [
        SceneVersion(
            scene_id=scene.id,
            script_id=script_id,
            version=1,
            analysis=scene.analysis or SceneAnalysis(),
            author=owner,
            source=VersionSource.IMPORT,
            note=f"Imported from the browser app (analysis {old_id}, version {old_version})",
            created_at=updated_at,
        )
        for scene in scenes
    ]
    scene_ids = {_text(raw.get("id")): scene.id for raw, scene in zip(raw_scenes, scenes, strict=True)}
    chat, chat_warnings = _chat(script_id, owner, messages, scene_ids, created_at, f"chatMessages.{old_id}")
    source = json.dumps(entry, ensure_ascii=False).encode("utf-8")
    filename = _text(entry.get("filename")) or _text(analysis.get("filename")) or f"{old_id}.json"
    processing = _number(entry.get("processingTime"))
    imported: dict[str, Any] = {"id": old_id}
    imported.update({key: value for key, value in analysis.items() if key not in _ANALYSIS_MAPPED})
    rest_metadata = {key: value for key, value in metadata.items() if key not in _METADATA_MAPPED}
    if rest_metadata:
        imported["metadata"] = rest_metadata
    rest_entry = {key: value for key, value in entry.items() if key not in _ENTRY_MAPPED}
    if rest_entry:
        imported["history"] = rest_entry
    if messages:
        imported["chatMessages"] = messages
    rollups = build_rollups(scenes).model_copy(update={"imported": imported})
    script = Script(
        id=script_id,
        owner=owner,
        title=_text(metadata.get("title")) or PurePath(filename).stem or old_id,
        filename=PurePath(filename).name,
        format=_format(metadata.get("format"), filename),
        blob_key=key_for(_sha256(source)),
        sha256=_sha256(source),
        size_bytes=len(source),
        page_count=int(page_count) if page_count is not None and page_count >= 0 else None,
        scene_count=len(scenes),
        status=ScriptStatus.COMPLETED,
        progress=Progress(stage="completed", done=len(scenes), total=len(scenes)),
        analyser=analyser,
        timings={"total_seconds": round(processing / 1000, 3)} if processing is not None else {},
        rollups=rollups,
        created_at=created_at,
        updated_at=updated_at,
        completed_at=saved_at or updated_at,
    )
    return PlannedScript(old_id, script, scenes, versions, chat, source, chat_warnings)


def _scene_numbers(raw_scenes: list[dict[str, Any]]) -> list[int]:
    """The old scene numbers when they are distinct whole numbers (our scenes are unique by number), else 1..n."""
    numbers = [raw.get("number") for raw in raw_scenes]
    if all(type(number) is int and number >= 0 for number in numbers) and len(set(numbers)) == len(numbers):
        return [int(number) for number in numbers if type(number) is int]
    return list(range(1, len(raw_scenes) + 1))


def _page_spans(raw_scenes: list[dict[str, Any]], page_count: int | None) -> list[PageSpan]:
    """Old scenes know only the page they start on: a scene runs to the page the next one starts on (or the end of
    the script), and scenes starting on the same page share it equally."""
    pages: list[int] = []
    for raw in raw_scenes:
        page = _number(raw.get("pageNumber"))
        pages.append(max(int(page), pages[-1] if pages else 1) if page is not None and page >= 1 else 0)
    spans: list[PageSpan] = []
    for index, page in enumerate(pages):
        if page == 0:  # no page number: one eighth, where the previous scene starts
            start = max([known for known in pages[:index] if known] or [1])
            spans.append(PageSpan(start=start, end=start, eighths=1))
            continue
        sharing = pages.count(page)
        later = [other for other in pages[index + 1 :] if other > page]
        end_page = later[0] if later else max(page_count or page, page) + 1
        eighths = max(1, round((end_page - page) * 8 / sharing))
        spans.append(PageSpan(start=page, end=page + (eighths - 1) // 8, eighths=eighths))
    return spans


def _scene(
    script_id: str,
    number: int,
    raw: dict[str, Any],
    span: PageSpan,
    analyser: AnalyserInfo,
    owner: str,
    written_at: datetime,
) -> Scene:
    heading = _text(raw.get("heading"))
    parts = parse_heading(heading) if heading else None
    location = _text(raw.get("location")) or (parts.location if parts else "")
    time_of_day = _text(raw.get("timeOfDay")) or (parts.time_of_day if parts else None) or None
    heading = heading or " - ".join(part for part in (location, time_of_day or "") if part) or f"SCENE {number}"
    setting = _setting(raw.get("sceneType"), parts.setting if parts else None)
    description = _text(raw.get("description"))
    action_lines = _strings(raw.get("actionLines"))
    elements = [Element(type="action", text=line) for line in action_lines or ([description] if description else [])]
    characters = _strings(raw.get("characters"))
    minutes = _number(raw.get("estimatedDuration"))
    complexity = _COMPLEXITY.get(_text(raw.get("complexity")).upper())
    emotions, rest_emotions = _emotions(raw.get("emotions"))
    technical, equipment = _technical(raw.get("technicalRequirements"))
    safety = _safety(raw.get("safetyConsiderations"))
    # Fields whose value went whole into one of ours; everything else is kept verbatim.
    mapped = {
        "heading": bool(_text(raw.get("heading"))),
        "location": isinstance(raw.get("location"), str),
        "timeOfDay": isinstance(raw.get("timeOfDay"), str),
        "description": isinstance(raw.get("description"), str),
        "estimatedDuration": minutes is not None and minutes >= 0,
        "complexity": complexity is not None,
        **{key: _all_strings(raw.get(key)) for key in _STRING_LISTS},
    }
    imported = {key: value for key, value in raw.items() if not mapped.get(key, False) and key != "emotions"}
    if rest_emotions:
        imported["emotions"] = rest_emotions
    dominant = rest_emotions.get("dominantEmotion")
    analysis = SceneAnalysis(
        technical=technical,
        narrative=Narrative(
            synopsis=description or None,
            emotional_tone=dominant if isinstance(dominant, str) and dominant else None,
            emotions=emotions,
        ),
        characters=[CharacterAnalysis(name=name) for name in characters],
        location=LocationAnalysis(setting=setting, location=location or None, time_of_day=time_of_day),
        safety=safety,
        breakdown=Breakdown(
            cast=characters,
            props=[Prop(name=name) for name in _strings(raw.get("props"))],
            vehicles=_strings(raw.get("vehicles")),
            sfx=_strings(raw.get("specialEffects")),
            special_equipment=equipment,
        ),
        estimated_screen_time_seconds=round(minutes * 60) if minutes is not None and minutes >= 0 else None,
        complexity=complexity,
        analyser=analyser,
        imported=imported,
    )
    return Scene(
        id=scene_id(script_id, number),
        script_id=script_id,
        number=number,
        heading=heading,
        setting=setting,
        location=location,
        time_of_day=time_of_day,
        pages=span,
        elements=elements,
        text=scene_text(heading, elements),
        analysis=analysis,
        version=1,
        updated_by=owner,
        updated_at=written_at,
    )


def _setting(scene_type: Any, from_heading: Setting | None) -> Setting | None:
    """The old INTERIOR/EXTERIOR, except that a heading saying both ("INT./EXT.", "WN./ZN.") wins."""
    if from_heading == "INT/EXT":
        return from_heading
    return _SCENE_TYPES.get(_text(scene_type).upper()) or from_heading


def _emotions(value: Any) -> tuple[Emotions, dict[str, Any]]:
    """Our six scores, and everything else of the old emotions (dominant emotion, intensity, odd values)."""
    raw = value if isinstance(value, dict) else {}
    scores: dict[str, float] = {}
    rest: dict[str, Any] = {}
    for key, item in raw.items():
        number = _number(item)
        if key in EMOTIONS and number is not None and 0 <= number <= 10:
            scores[key] = number
        else:
            rest[key] = item
    return Emotions(**scores), rest


def _technical(value: Any) -> tuple[Technical, list[str]]:
    """Technical requirements sorted into our technical lists; EQUIPMENT goes to the breakdown's equipment."""
    lists: dict[str, list[str]] = {name: [] for name in Technical.model_fields}
    equipment: list[str] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict):
            continue
        name = _text(item.get("item"))
        description = _text(item.get("description"))
        text = f"{name} — {description}" if name and description and description != name else name or description
        if not text:
            continue
        category = _text(item.get("category")).upper()
        if category == "EQUIPMENT":
            equipment.append(text)
        else:
            lists[_TECHNICAL_FIELDS.get(category, "production_notes")].append(text)
    return Technical(**lists), equipment


def _safety(value: Any) -> Safety:
    """Safety considerations as hazards, with the people and equipment they need. An empty list means the old
    analysis found no risk (LOW); a missing one means it never looked (unknown)."""
    if not isinstance(value, list):
        return Safety()
    hazards: list[Hazard] = []
    for item in value:
        if not isinstance(item, dict):
            continue
        level = _text(item.get("riskLevel")).upper()
        hazards.append(
            Hazard(
                category=_text(item.get("type")).lower() or "general",
                description=_text(item.get("description")),
                level=_risk(level),
                mitigation="; ".join(_strings(item.get("mitigationRequired"))),
            )
        )
    highest = max((RISK_LEVELS.index(hazard.level) for hazard in hazards), default=0)
    return Safety(
        risk_level=RISK_LEVELS[highest],
        reasons=[hazard.description for hazard in hazards if hazard.description],
        hazards=hazards,
        required_equipment=_unique(
            name for item in value if isinstance(item, dict) for name in _strings(item.get("equipmentRequired"))
        ),
        personnel=_unique(
            name for item in value if isinstance(item, dict) for name in _strings(item.get("personnelRequired"))
        ),
    )


def _risk(level: str) -> RiskLevel:
    for known in RISK_LEVELS:
        if level == known:
            return known
    return "MEDIUM"


def _chat(
    script_id: str,
    owner: str,
    messages: list[Any],
    scene_ids: dict[str, str],
    fallback_time: datetime,
    where: str,
) -> tuple[ChatSession | None, list[str]]:
    warnings: list[str] = []
    converted: list[ChatMessage] = []
    for index, raw in enumerate(messages):
        if not isinstance(raw, dict):
            warnings.append(f"{where}[{index}] is not a message; it is kept in the script's imported data only.")
            continue
        role = _text(raw.get("type")).lower()
        if role not in ("user", "assistant"):
            warnings.append(f"{where}[{index}] has the unknown type {role!r}; it is kept in imported data only.")
            continue
        chat_role: Literal["user", "assistant"] = "user" if role == "user" else "assistant"
        converted.append(
            ChatMessage(
                role=chat_role,
                content=_text(raw.get("content")),
                scene_id=scene_ids.get(_text(raw.get("sceneId"))),
                created_at=_time(raw.get("timestamp")) or fallback_time,
            )
        )
    if not converted:
        return None, warnings
    session = ChatSession(
        id=uuid.uuid5(ID_NAMESPACE, f"{script_id}\nchat").hex,
        script_id=script_id,
        user=owner,
        title="Imported conversation",
        messages=converted,
        created_at=converted[0].created_at,
        updated_at=max(message.created_at for message in converted),
    )
    return session, warnings


# Reading values ----------------------------------------------------------------------------------------------


def _obj(value: Any, where: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise InvalidInputError(f"In the export, {where} should be an object. Nothing was imported.")
    return value


def _list(value: Any, where: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidInputError(f"In the export, {where} should be a list. Nothing was imported.")
    return value


def _text(value: Any) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return str(value).strip()


def _strings(value: Any) -> list[str]:
    if not isinstance(value, list):
        return []
    return [text for text in (_text(item) for item in value) if text]


def _all_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _millis(value: Any) -> datetime | None:
    number = _number(value)
    if number is None:
        return None
    try:
        return datetime.fromtimestamp(number / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _format(value: Any, filename: str) -> ScriptFormat:
    known = _FORMATS.get(_text(value).upper())
    return known or _SUFFIX_FORMATS.get(PurePath(filename).suffix.lower(), "text")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
