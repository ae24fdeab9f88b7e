"""Pure planning of chat requests over a script's scenes: which scenes an intent means, the field edits it
asks for (validated, with old and new values), and answers to questions computed from the analyses."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from cortexreel.chat.grammar import Edit, Question, Rename, SceneSelector
from cortexreel.domain.analysis import SceneAnalysis
from cortexreel.domain.base import RISK_LEVELS
from cortexreel.domain.chat import AppliedChange
from cortexreel.domain.edits import FieldEdit, apply_edits, get_path
from cortexreel.domain.facts import scene_facts
from cortexreel.domain.rollups import build_rollups
from cortexreel.domain.scenes import FieldChange, Scene
from cortexreel.domain.vocabulary import ALTERNATIVES, CATEGORY_WORDS, ITEM_LISTS, QUESTION_TERMS, group_noun
from cortexreel.errors import InvalidInputError


@dataclass(frozen=True)
class Plan:
    """Edits per scene and the changes they make, ready to show as a diff and apply."""

    edits: dict[str, list[FieldEdit]]
    changes: list[AppliedChange]


@dataclass(frozen=True)
class Answer:
    text: str
    scene_numbers: list[int]


def select_scenes(scenes: Sequence[Scene], selector: SceneSelector, selected: Scene | None) -> list[Scene]:
    """The scenes a selector means; InvalidInputError when it names scenes that do not exist."""
    if selector.here or not selector.given:
        if selected is None:
            raise InvalidInputError("Which scene? Select a scene first, or name it (“scene 12”).")
        return [selected]
    if selector.every:
        return list(scenes)
    if selector.numbers:
        by_number = {scene.number: scene for scene in scenes}
        missing = [number for number in selector.numbers if number not in by_number]
        if missing:
            raise InvalidInputError(f"This script has no scene {', '.join(str(n) for n in missing)}.")
        return [by_number[number] for number in selector.numbers]
    return [scene for scene in scenes if _in_group(scene, selector)]


def plan_edit(edit: Edit, targets: Sequence[Scene]) -> Plan:
    """Validated field edits for every target scene. Raises InvalidInputError and plans nothing if any is wrong."""
    if not targets:
        raise InvalidInputError("No scene matches that request, so nothing would change.")
    edits: dict[str, list[FieldEdit]] = {}
    for scene in targets:
        analysis = _analysis(scene)
        if edit.raise_only and edit.field is not None and _at_least(get_path(analysis, edit.field), edit.value):
            continue
        if edit.field is not None:
            edits[scene.id] = [FieldEdit(edit.field, edit.kind, edit.value)]
        else:
            fields = _fields_holding(analysis, edit.value)
            if not fields:
                raise InvalidInputError(f"“{edit.value}” is not in scene {scene.number}.")
            edits[scene.id] = [FieldEdit(path, "remove", edit.value) for path in fields]
    return _planned(targets, edits)


def plan_rename(rename: Rename, targets: Sequence[Scene]) -> Plan:
    """Rename a location or a character wherever it appears among the target scenes."""
    edits: dict[str, list[FieldEdit]] = {}
    old = rename.old.casefold()
    for scene in targets:
        analysis = _analysis(scene)
        if rename.target == "location":
            if scene_facts(scene).location.casefold() == old:
                edits[scene.id] = [FieldEdit("location.location", "set", rename.new)]
            continue
        cast = [rename.new if name.casefold() == old else name for name in analysis.breakdown.cast]
        characters = [
            {**character.model_dump(mode="json"), "name": rename.new}
            if character.name.casefold() == old
            else character.model_dump(mode="json")
            for character in analysis.characters
        ]
        if cast != analysis.breakdown.cast or any(c["name"] == rename.new for c in characters):
            edits[scene.id] = [
                FieldEdit("breakdown.cast", "set", cast),
                FieldEdit("characters", "set", characters),
            ]
    if not edits:
        raise InvalidInputError(f"No scene has the {rename.target} “{rename.old}”, so nothing would change.")
    return _planned([scene for scene in targets if scene.id in edits], edits)


def answer(question: Question, scenes: Sequence[Scene], selected: Scene | None) -> Answer:
    """Answer a question from the analyses, naming the scenes the answer is based on."""
    analysed = [scene for scene in scenes if scene.analysis is not None]
    if question.kind == "most":
        return _most_scenes(analysed)
    if question.kind == "field" and question.field is not None:
        return _field_values(question.field, select_scenes(scenes, question.scenes, selected))
    if question.kind == "count":
        return _count(question, analysed)
    return _which(question, analysed)


def in_group(scenes: Sequence[Scene], selector: SceneSelector) -> list[Scene]:
    """The scenes with the setting and time of day a selector names (all of them when it names neither)."""
    if selector.setting is None and selector.time_of_day is None:
        return list(scenes)
    return [scene for scene in scenes if _in_group(scene, selector)]


def _which(question: Question, scenes: Sequence[Scene]) -> Answer:
    """Scenes of a group ("at night", "exteriors") whose breakdown, hazards or text name the subject. No scene
    listed means nothing in the analysis matched: the caller may then search the text by meaning."""
    group = question.scenes
    pool = in_group(scenes, group)
    if not question.subject:
        if not pool:
            return Answer(f"There are no {group_noun(group.setting, group.time_of_day, 0)}.", [])
        named = group_noun(group.setting, group.time_of_day, len(pool))
        return Answer(
            f"{_scene_list(pool)} — {len(pool)} {named} of {len(scenes)} scenes.", [scene.number for scene in pool]
        )
    subject = QUESTION_TERMS.get(question.subject.casefold(), question.subject)
    matching = [scene for scene in pool if _matches(scene, subject)]
    if not matching:
        return Answer(f"No {group_noun(group.setting, group.time_of_day, 1)} lists {subject} in its analysis.", [])
    return Answer(f"{_scene_list(matching)} — {subject}.", [scene.number for scene in matching])


def _planned(targets: Sequence[Scene], edits: dict[str, list[FieldEdit]]) -> Plan:
    changes: list[AppliedChange] = []
    for scene in targets:
        if scene.id not in edits:
            continue
        try:
            _, scene_changes = apply_edits(_analysis(scene), edits[scene.id])
        except InvalidInputError as error:
            raise InvalidInputError(f"Scene {scene.number}: {error.message}") from None
        changes.extend(scene_change(scene, change) for change in scene_changes if change.old != change.new)
    changed_scenes = {change.scene_id for change in changes}
    return Plan({scene_id: e for scene_id, e in edits.items() if scene_id in changed_scenes}, changes)


def scene_change(scene: Scene, change: FieldChange, *, version: int | None = None) -> AppliedChange:
    """A field change of `scene`, computed against its current version."""
    return AppliedChange(
        scene_id=scene.id,
        scene_number=scene.number,
        path=change.path,
        old=change.old,
        new=change.new,
        base_version=scene.version,
        version=version,
    )


def _analysis(scene: Scene) -> SceneAnalysis:
    if scene.analysis is None:
        raise InvalidInputError(f"Scene {scene.number} has not been analysed yet.")
    return scene.analysis


def _fields_holding(analysis: SceneAnalysis, item: object) -> list[str]:
    wanted = str(item).casefold().strip()
    fields = [path for path in ITEM_LISTS if any(_name(value) == wanted for value in get_path(analysis, path))]
    if any(character.name.casefold() == wanted for character in analysis.characters):
        fields.append("characters")
    return fields


def _name(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("name", "")
    return str(value).casefold().strip()


def _at_least(current: object, wanted: object) -> bool:
    """Whether a risk level is already `wanted` or higher."""
    levels: tuple[object, ...] = RISK_LEVELS
    return current in levels and wanted in levels and levels.index(current) >= levels.index(wanted)


def _in_group(scene: Scene, selector: SceneSelector) -> bool:
    facts = scene_facts(scene)
    if selector.setting is not None and facts.setting != selector.setting:
        return False
    if selector.time_of_day in ("DAY", "NIGHT"):
        # "NIGHT [CONTINUOUS]", "NIGHT [FLASHBACK]", "DUSK", "NOC" are nights too.
        return facts.day_or_night == selector.time_of_day.lower()
    return selector.time_of_day is None or (facts.time_of_day or "").upper() == selector.time_of_day


def _most_scenes(scenes: Sequence[Scene]) -> Answer:
    cast = build_rollups(scenes).cast
    if not cast:
        return Answer("No characters were found in this script.", [])
    top = cast[0]
    return Answer(
        f"{top.name} is in the most scenes: {top.scene_count} of {len(scenes)} "
        f"(first in scene {top.first_scene}, last in scene {top.last_scene}).",
        [scene.number for scene in scenes if top.name in scene_facts(scene).cast],
    )


def _field_values(path: str, targets: Sequence[Scene]) -> Answer:
    parts = [f"scene {scene.number}: {get_path(_analysis(scene), path) or 'not set'}" for scene in targets]
    return Answer(
        f"{path.split('.')[-1].replace('_', ' ').capitalize()} — " + "; ".join(parts) + ".",
        [scene.number for scene in targets],
    )


def _count(question: Question, scenes: Sequence[Scene]) -> Answer:
    """How many scenes of the group asked about (all scenes when none) have the subject, as a sentence naming the
    group in English whatever the question's language: "There are 2 day exteriors: scenes 1 and 5."."""
    group = question.scenes
    matching = in_group(scenes, group)
    subject = QUESTION_TERMS.get(question.subject.casefold(), question.subject)
    if subject:
        matching = [scene for scene in matching if _matches(scene, subject)]
    count = len(matching)
    named = group_noun(group.setting, group.time_of_day, count) + (f" with {subject}" if subject else "")
    if not matching:
        return Answer(f"There are no {named}.", [])
    verb = "is" if count == 1 else "are"
    return Answer(
        f"There {verb} {count} {named}: {_scene_list(matching).lower()}.", [scene.number for scene in matching]
    )


def _terms(subject: str) -> list[str]:
    parts = re.split(r"\s+(?:and|i|or|lub)\s+|,\s*", subject.casefold().strip(" ?"))
    return [re.sub(r"^(?:a|an|the)\s+", "", part).strip() for part in parts if part.strip()]


def _matches(scene: Scene, subject: str) -> bool:
    """Whether the scene has every term of the subject, each under any of its names."""
    terms = _terms(subject)
    return bool(terms) and all(
        any(_mentions(scene, name) for name in ALTERNATIVES.get(QUESTION_TERMS.get(term, term), (term,)))
        for term in terms
    )


def _mentions(scene: Scene, term: str) -> bool:
    analysis = _analysis(scene)
    if term in CATEGORY_WORDS:
        return bool(get_path(analysis, CATEGORY_WORDS[term]))
    singular = term.removesuffix("s")
    haystack = [_name(value) for path in ITEM_LISTS for value in get_path(analysis, path)]
    haystack += [hazard.category.casefold() for hazard in analysis.safety.hazards]
    return (
        any(singular in value for value in haystack)
        or re.search(rf"\b{re.escape(singular)}", scene.text.casefold()) is not None
    )


def _scene_list(scenes: Sequence[Scene]) -> str:
    numbers = [str(scene.label or scene.number) for scene in scenes]
    if len(numbers) == 1:
        return f"Scene {numbers[0]}"
    return f"Scenes {', '.join(numbers[:-1])} and {numbers[-1]}"
