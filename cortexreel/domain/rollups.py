"""Script-level rollups of scene breakdowns: cast and location lists, element inventories, the risk register,
equipment and personnel, the emotional arc, pacing by act and totals. Pure: scenes in, models out.

A scene's setting, time of day, location and cast are its effective facts (`cortexreel.domain.facts`): the
analysis's values where it has them, else the parse's, so scenes not analysed yet still count for cast, locations
and totals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import Field

from cortexreel.domain.analysis import Emotions
from cortexreel.domain.base import RISK_LEVELS, Model, RiskLevel
from cortexreel.domain.facts import SceneFacts, scene_facts
from cortexreel.domain.names import clean_location, location_key, person_groups, role_of
from cortexreel.domain.scenes import Scene
from cortexreel.domain.vocabulary import category_items


class CastEntry(Model):
    name: str
    scene_count: int = Field(ge=0)
    first_scene: int
    last_scene: int
    dialogue_lines: int = Field(default=0, ge=0)
    total_eighths: int = Field(default=0, ge=0)
    aliases: list[str] = Field(default_factory=list)  # other names of the same person (domain/names.py)
    role_of: str | None = None  # YOUNG EDWARD is a role of its own, an age of EDWARD


class LocationEntry(Model):
    location: str
    aliases: list[str] = Field(default_factory=list)  # the other ways headings write it ("BIG - TOP")
    settings: list[str] = Field(default_factory=list)
    times_of_day: list[str] = Field(default_factory=list)
    scenes: list[int] = Field(default_factory=list)
    total_eighths: int = Field(default=0, ge=0)


class InventoryItem(Model):
    item: str
    scenes: list[int] = Field(default_factory=list)


class Inventories(Model):
    props: list[InventoryItem] = Field(default_factory=list)
    vehicles: list[InventoryItem] = Field(default_factory=list)
    weapons: list[InventoryItem] = Field(default_factory=list)
    animals: list[InventoryItem] = Field(default_factory=list)
    wardrobe: list[InventoryItem] = Field(default_factory=list)
    makeup: list[InventoryItem] = Field(default_factory=list)
    sfx: list[InventoryItem] = Field(default_factory=list)
    vfx: list[InventoryItem] = Field(default_factory=list)
    stunts: list[InventoryItem] = Field(default_factory=list)


class RiskEntry(Model):
    scene: int
    heading: str
    category: str
    description: str
    level: RiskLevel
    mitigation: str = ""


class Requirement(Model):
    """A piece of equipment or a person the script needs, with the scenes that need it."""

    name: str
    scenes: list[int] = Field(default_factory=list)


class EmotionPoint(Emotions):
    """A scene's six emotion scores."""

    scene: int


class TensionPoint(Model):
    scene: int
    tension: float


class ActPacing(Model):
    act: int = Field(ge=1, le=3)
    scene_count: int = Field(default=0, ge=0)
    scenes: list[int] = Field(default_factory=list)
    eighths: int = Field(default=0, ge=0)
    pages: str = "0"
    average_dialogue_share: float = Field(default=0.0, ge=0, le=1)
    average_conflict: float | None = None


class Totals(Model):
    scenes: int = Field(default=0, ge=0)
    eighths: int = Field(default=0, ge=0)
    pages: str = "0"
    int_count: int = Field(default=0, ge=0)
    ext_count: int = Field(default=0, ge=0)
    int_ext_count: int = Field(default=0, ge=0)
    day_count: int = Field(default=0, ge=0)
    night_count: int = Field(default=0, ge=0)
    other_time_count: int = Field(default=0, ge=0)


class ScriptRollups(Model):
    cast: list[CastEntry] = Field(default_factory=list)
    locations: list[LocationEntry] = Field(default_factory=list)
    inventories: Inventories = Field(default_factory=Inventories)
    risk_register: list[RiskEntry] = Field(default_factory=list)
    equipment: list[Requirement] = Field(default_factory=list)
    personnel: list[Requirement] = Field(default_factory=list)
    emotional_arc: list[EmotionPoint] = Field(default_factory=list)
    tension_curve: list[TensionPoint] = Field(default_factory=list)
    acts: list[ActPacing] = Field(default_factory=list)
    totals: Totals = Field(default_factory=Totals)
    # Whole-script sections of an imported analysis that have no home here, kept verbatim (see cortexreel.migration).
    imported: dict[str, Any] = Field(default_factory=dict)


def format_eighths(n: int) -> str:
    """Page eighths as crews write them: 11 → "1 3/8", 7 → "7/8", 16 → "2", 0 → "0"."""
    if n < 0:
        raise ValueError("eighths cannot be negative")
    pages, rest = divmod(n, 8)
    if rest == 0:
        return str(pages)
    if pages == 0:
        return f"{rest}/8"
    return f"{pages} {rest}/8"


def build_rollups(scenes: Sequence[Scene]) -> ScriptRollups:
    ordered = sorted(scenes, key=lambda scene: scene.number)
    facts = [scene_facts(scene) for scene in ordered]
    return ScriptRollups(
        cast=_cast(ordered, facts),
        locations=_locations(ordered, facts),
        inventories=_inventories(ordered),
        risk_register=_risk_register(ordered),
        equipment=_requirements(
            ordered, lambda scene: scene.analysis.safety.required_equipment if scene.analysis else []
        ),
        personnel=_requirements(ordered, lambda scene: scene.analysis.safety.personnel if scene.analysis else []),
        emotional_arc=[
            EmotionPoint(scene=scene.number, **scene.analysis.narrative.emotions.model_dump())
            for scene in ordered
            if scene.analysis is not None
        ],
        tension_curve=[
            TensionPoint(scene=scene.number, tension=scene.analysis.narrative.emotions.tension)
            for scene in ordered
            if scene.analysis is not None
        ],
        acts=_acts(ordered),
        totals=_totals(ordered, facts),
    )


def _scene_cast(scene: Scene, cast: Sequence[str]) -> list[tuple[str, int]]:
    """(name, dialogue lines) for each cast member of the scene: the analysis's count where it has one."""
    spoken: dict[str, int] = {}
    for element in scene.elements:
        if element.type == "dialogue" and element.character:
            spoken[element.character] = spoken.get(element.character, 0) + 1
    analysed: dict[str, int] = {}
    if scene.analysis is not None and scene.analysis.breakdown.cast:
        analysed = {character.name: character.dialogue_lines for character in scene.analysis.characters}
    return [(name, analysed.get(name, spoken.get(name, 0))) for name in cast]


def _cast(scenes: list[Scene], facts: list[SceneFacts]) -> list[CastEntry]:
    entries: dict[str, CastEntry] = {}
    for scene, fact in zip(scenes, facts, strict=True):
        for name, lines in _scene_cast(scene, fact.cast):
            entry = entries.get(name)
            if entry is None:
                entries[name] = CastEntry(
                    name=name,
                    scene_count=1,
                    first_scene=scene.number,
                    last_scene=scene.number,
                    dialogue_lines=lines,
                    total_eighths=scene.pages.eighths,
                )
                continue
            entry.scene_count += 1
            entry.last_scene = scene.number
            entry.dialogue_lines += lines
            entry.total_eighths += scene.pages.eighths
    # Cast numbering convention: most scenes first, then most lines, then first appearance.
    return sorted(
        _one_per_person(entries),
        key=lambda entry: (-entry.scene_count, -entry.dialogue_lines, entry.first_scene, entry.name),
    )


def _one_per_person(entries: dict[str, CastEntry]) -> list[CastEntry]:
    """Aliases of one person merged under the name with the most scenes; age roles linked to their person."""
    groups: dict[str, list[CastEntry]] = {}
    for name, target in person_groups(list(entries)).items():
        groups.setdefault(target, []).append(entries[name])
    merged: list[CastEntry] = []
    for members in groups.values():
        members.sort(key=lambda entry: (-entry.scene_count, -entry.dialogue_lines, entry.first_scene))
        main = members[0].model_copy(update={"aliases": [entry.name for entry in members[1:]]})
        for other in members[1:]:
            main.scene_count += other.scene_count
            main.first_scene = min(main.first_scene, other.first_scene)
            main.last_scene = max(main.last_scene, other.last_scene)
            main.dialogue_lines += other.dialogue_lines
            main.total_eighths += other.total_eighths
        merged.append(main)
    names = [entry.name for entry in merged]
    return [entry.model_copy(update={"role_of": role_of(entry.name, names)}) for entry in merged]


def _locations(scenes: list[Scene], facts: list[SceneFacts]) -> list[LocationEntry]:
    entries: dict[str, LocationEntry] = {}
    for scene, fact in zip(scenes, facts, strict=True):
        written = fact.location.strip()
        if not written:
            continue
        name, key = clean_location(written), location_key(written)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = LocationEntry(location=name)
        elif name != entry.location and name not in entry.aliases:
            entry.aliases.append(name)
        setting = fact.setting
        if setting and setting not in entry.settings:
            entry.settings.append(setting)
        time = fact.time_of_day
        if time and time not in entry.times_of_day:
            entry.times_of_day.append(time)
        entry.scenes.append(scene.number)
        entry.total_eighths += scene.pages.eighths
    return list(entries.values())


def _inventories(scenes: list[Scene]) -> Inventories:
    result: dict[str, list[InventoryItem]] = {}
    for field in Inventories.model_fields:
        found: dict[str, list[int]] = {}
        for scene in scenes:
            if scene.analysis is None:
                continue
            for item in category_items(scene.analysis.breakdown, field):
                numbers = found.setdefault(item, [])
                if scene.number not in numbers:
                    numbers.append(scene.number)
        result[field] = [
            InventoryItem(item=item, scenes=numbers)
            for item, numbers in sorted(found.items(), key=lambda pair: (pair[0].lower(), pair[0]))
        ]
    return Inventories(**result)


def _risk_register(scenes: list[Scene]) -> list[RiskEntry]:
    entries: list[RiskEntry] = []
    for scene in scenes:
        if scene.analysis is None:
            continue
        for hazard in scene.analysis.safety.hazards:
            entries.append(
                RiskEntry(
                    scene=scene.number,
                    heading=scene.heading,
                    category=hazard.category,
                    description=hazard.description,
                    level=hazard.level,
                    mitigation=hazard.mitigation,
                )
            )
    # Most severe first, then in script order; sorted() is stable so a scene keeps its own hazard order.
    return sorted(entries, key=lambda entry: (-RISK_LEVELS.index(entry.level), entry.scene))


def _requirements(scenes: list[Scene], pick: Callable[[Scene], list[str]]) -> list[Requirement]:
    found: dict[str, list[int]] = {}
    for scene in scenes:
        for name in pick(scene):
            numbers = found.setdefault(name, [])
            if scene.number not in numbers:
                numbers.append(scene.number)
    return [
        Requirement(name=name, scenes=numbers)
        for name, numbers in sorted(found.items(), key=lambda pair: (pair[0].lower(), pair[0]))
    ]


def dialogue_share(scene: Scene) -> float:
    """Dialogue words over dialogue-plus-action words; 0 for a scene with neither."""
    dialogue = sum(len(element.text.split()) for element in scene.elements if element.type == "dialogue")
    action = sum(len(element.text.split()) for element in scene.elements if element.type == "action")
    total = dialogue + action
    return dialogue / total if total else 0.0


def act_of(before: int, eighths: int, total: int) -> int:
    """Acts by cumulative length, 25% / 50% / 25%: a scene belongs to the act its midpoint falls in."""
    midpoint_twice = 2 * before + eighths  # twice the midpoint keeps the arithmetic in integers
    if 2 * midpoint_twice < total:
        return 1
    if 2 * midpoint_twice < 3 * total:
        return 2
    return 3


def _acts(scenes: list[Scene]) -> list[ActPacing]:
    total = sum(scene.pages.eighths for scene in scenes)
    members: dict[int, list[Scene]] = {1: [], 2: [], 3: []}
    before = 0
    for scene in scenes:
        members[act_of(before, scene.pages.eighths, total)].append(scene)
        before += scene.pages.eighths
    acts: list[ActPacing] = []
    for number, act_scenes in members.items():
        eighths = sum(scene.pages.eighths for scene in act_scenes)
        shares = [dialogue_share(scene) for scene in act_scenes]
        conflicts = [
            scene.analysis.narrative.conflict_level
            for scene in act_scenes
            if scene.analysis is not None and scene.analysis.narrative.conflict_level is not None
        ]
        acts.append(
            ActPacing(
                act=number,
                scene_count=len(act_scenes),
                scenes=[scene.number for scene in act_scenes],
                eighths=eighths,
                pages=format_eighths(eighths),
                average_dialogue_share=round(sum(shares) / len(shares), 3) if shares else 0.0,
                average_conflict=round(sum(conflicts) / len(conflicts), 2) if conflicts else None,
            )
        )
    return acts


def _totals(scenes: list[Scene], facts: list[SceneFacts]) -> Totals:
    eighths = sum(scene.pages.eighths for scene in scenes)
    settings = [fact.setting for fact in facts]
    times = [fact.day_or_night for fact in facts]
    return Totals(
        scenes=len(scenes),
        eighths=eighths,
        pages=format_eighths(eighths),
        int_count=settings.count("INT"),
        ext_count=settings.count("EXT"),
        int_ext_count=settings.count("INT/EXT"),
        day_count=times.count("day"),
        night_count=times.count("night"),
        other_time_count=sum(1 for time in times if time is None),
    )
