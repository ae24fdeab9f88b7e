"""The offline command grammar: English and Polish chat messages into typed intents.

Deterministic and small on purpose: it covers the common edits (set / add / remove / rename across scenes),
questions about the script and history requests (undo / history / revert). Anything else becomes `Unknown`
with a hint, and nothing changes. Its words (fields, lists, values, groups of scenes) are the vocabulary's
(`cortexreel.domain.vocabulary`); this module holds only the patterns around them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from cortexreel.domain.edits import EditKind
from cortexreel.domain.vocabulary import (
    FIELD_WORDS,
    GROUP_SETTINGS,
    GROUP_TIMES,
    LIST_WORDS,
    PACING_WORDS,
    RISK_WORDS,
    SCENE_WORDS,
    SETTING_WORDS,
    TIME_WORDS,
    WEATHER_WORDS,
)

# ---------------------------------------------------------------------------------------------------------------
# Intents


@dataclass(frozen=True)
class SceneSelector:
    """Which scenes a request is about: numbers, the selected scene, every scene, or a setting/time group."""

    numbers: tuple[int, ...] = ()
    here: bool = False
    every: bool = False
    setting: str | None = None
    time_of_day: str | None = None

    @property
    def given(self) -> bool:
        return bool(self.numbers or self.here or self.every or self.setting or self.time_of_day)


@dataclass(frozen=True)
class Edit:
    kind: EditKind
    field: str | None  # a path; None when it must be inferred from the scene (e.g. "remove BOB from scene 3")
    value: object
    scenes: SceneSelector
    # "Mark … as high risk" raises: a scene already at that level or above keeps its own. "Set the risk level
    # to low" says the level outright and may lower it.
    raise_only: bool = False


@dataclass(frozen=True)
class Rename:
    target: Literal["location", "character"]
    old: str
    new: str
    scenes: SceneSelector


@dataclass(frozen=True)
class Undo:
    count: int = 1


@dataclass(frozen=True)
class ShowHistory:
    scenes: SceneSelector


@dataclass(frozen=True)
class Revert:
    scene: int
    version: int


@dataclass(frozen=True)
class Question:
    kind: Literal["which", "count", "most", "field", "search"]
    subject: str = ""
    scenes: SceneSelector = field(default_factory=SceneSelector)
    field: str | None = None


@dataclass(frozen=True)
class Unknown:
    reason: str


Intent = Edit | Rename | Undo | ShowHistory | Revert | Question | Unknown

# ---------------------------------------------------------------------------------------------------------------
# Patterns

NUMBERS = r"\d+(?:\s*(?:,|and|i|to|do|through|-|–)\s*\d+)*"
SCENE_WORD = r"(?:scenes?|scen(?:a|y|ie|ę|ach|ami)?)"
HERE = r"(?:here|this scene|the current scene|current scene|tutaj|tu|w tej scenie|tej sceny|tę scenę)"
EVERY = (
    r"(?:in every scene|every scene|in all scenes|all scenes|each scene|everywhere|we wszystkich scenach|"
    r"wszystkie sceny|wszędzie)"
)


def _field_alternation(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first so "music cues" wins over "music"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


_GROUP_TIME = _field_alternation(GROUP_TIMES)
GROUP = (
    rf"(?:all|every|wszystkie|wszystkich)\s+(?P<group>(?:(?:{_GROUP_TIME})\s+)?"
    rf"(?:{_field_alternation([*GROUP_SETTINGS, 'scenes', 'sceny'])})(?:\s+(?:at night|{_GROUP_TIME}))?)"
)
SCENES = rf"(?:{SCENE_WORD}\s+(?P<nums>{NUMBERS})|(?P<here>{HERE})|(?P<every>{EVERY})|{GROUP})"
ARTICLE = r"(?:(?:a|an|the|some)\s+)?"

FIELDS = _field_alternation(FIELD_WORDS)
LISTS = _field_alternation(LIST_WORDS)
FLAGS = re.IGNORECASE | re.UNICODE


def _rule(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"^\s*{pattern}\s*$", FLAGS)


UNDO = _rule(r"(?:undo|cofnij)(?:\s+(?:the\s+)?(?:last|ostatnie|ostatnich)\s+(?P<count>\d+)(?:\s+\w+)?)?")
HISTORY = _rule(rf"(?:show\s+(?:me\s+)?(?:the\s+)?history\s+of|history\s+of|pokaż\s+historię)\s+{SCENES}")
REVERT = _rule(
    rf"(?:revert|restore|przywróć)\s+{SCENE_WORD}\s+(?P<scene>\d+)\s+(?:to|do)\s+(?:version|wersji)\s+(?P<version>\d+)"
)
RENAME = _rule(
    r"(?:rename|zmień\s+nazwę)\s+(?:the\s+)?(?P<target>location|character|lokacji|postaci|lokację)?\s*"
    rf"(?P<old>.+?)\s+(?:to|na)\s+(?P<new>.+?)(?:\s+{SCENES})?"
)
SET_OF = _rule(
    rf"(?:set|change|make|update|zmień|ustaw)\s+(?:the\s+)?(?P<field>{FIELDS})\s+(?:of|in|for|w|dla)\s+(?:the\s+)?"
    rf"{SCENES}\s+(?:to|na)\s+(?P<value>.+)"
)
# "set the time of day to night in scene 2", "set scene 2's time of day to night"
SET_THEN_SCENES = _rule(
    rf"(?:set|change|make|update|zmień|ustaw)\s+(?:the\s+)?(?P<field>{FIELDS})\s+(?:to|na)\s+(?P<value>.+?)\s+"
    rf"(?:(?:of|in|for|w|dla)\s+)?(?:the\s+)?{SCENES}"
)
SET_SCENES_FIELD = _rule(
    rf"(?:set|change|make|update|zmień|ustaw)\s+(?:the\s+)?{SCENES}(?:'s|’s)?\s+(?P<field>{FIELDS})\s+(?:to|na)\s+"
    rf"(?P<value>.+)"
)
SET_HERE = _rule(
    rf"(?:set|change|make|update|zmień|ustaw)\s+(?:the\s+)?(?P<field>{FIELDS})(?:\s+{SCENES})?\s+(?:to|na)\s+(?P<value>.+)"
)
MARK = _rule(rf"(?:mark|flag|oznacz)\s+{SCENES}\s+(?:as|jako)\s+(?P<value>\w+)\s+(?:risk|ryzyko|ryzyka)")
ARE_IN = _rule(rf"{SCENES}\s+(?:is|are|take place|happen|jest|są|dzieją się)\s+(?:in|at|w|we)\s+(?P<value>.+)")
ADD = _rule(
    rf"(?:add|dodaj)\s+{ARTICLE}(?P<item>.+?)\s+(?:to|do)\s+(?:the\s+)?(?P<list>{LISTS})"
    rf"(?:\s+(?:of|in|for|w)?\s*(?:the\s+)?{SCENES})?"
)
REMOVE = _rule(
    rf"(?:remove|delete|drop|usuń)\s+{ARTICLE}(?P<item>.+?)\s+(?:from|z|ze)\s+(?:(?:the\s+)?(?P<list>{LISTS})\s+"
    rf"(?:(?:of|in|w)\s+)?)?(?:the\s+)?{SCENES}"
)
WHICH = re.compile(
    r"^\s*(?:which|what|które|jakie)\s+scen(?:es|y)\s+(?:need|needs|require|requires|have|has|include|feature|use|"
    r"wymagają|potrzebują|mają|zawierają)\s+(?P<subject>.+?)\s*\??\s*$",
    FLAGS,
)
# "how many night exteriors are there?", "ile jest dziennych plenerów?", "ile scen wymaga pirotechnika?": the group
# (time of day, setting) is taken out first; what is left after "scenes with / need" is the subject.
COUNT = re.compile(
    r"^\s*(?:how many|ile)(?:\s+(?:jest|są|mamy))?(?:\s+(?P<subject>.+?))??"
    r"(?:\s+(?:are there|is there|do we have|jest|mamy|są))?\s*\??\s*$",
    FLAGS,
)
COUNT_SUBJECT = re.compile(
    rf"^(?:(?:{_field_alternation(SCENE_WORDS)})\b\s*)?(?:(?:with|that need|that have|need|needs|have|has|"
    r"requiring|z|ze|wymaga|wymagają|wymagających|potrzebuje|potrzebują|ma|mają|zawiera|zawierają)\s+)?",
    FLAGS,
)
MOST = re.compile(
    r"^\s*(?:who|which character|kto|która postać)\s+(?:is|appears|występuje|jest)\s+(?:in\s+)?(?:the\s+most|"
    r"w\s+największej\s+liczbie|w\s+najwięcej)\s+(?:scenes|scen|scenach)\s*\??\s*$",
    FLAGS,
)
FIELD_QUESTION = re.compile(
    rf"^\s*(?:what\s+is|what's|jaki\s+jest|jaka\s+jest|jakie\s+jest)\s+(?:the\s+)?(?P<field>{FIELDS})\s+"
    rf"(?:of|in|w)?\s*(?:the\s+)?{SCENES}\s*\??\s*$",
    FLAGS,
)
# "which scenes are at night?", "które sceny są w nocy?", "which night scenes are there?"
SCENES_QUESTION = re.compile(
    r"^\s*(?:which|what|list|show(?:\s+me)?|które|jakie|wymień|pokaż)\s+(?:(?:the|all|wszystkie)\s+)?"
    r"(?:[\w/]+\s+){0,2}?(?:scenes|sceny|scen)\b",
    FLAGS,
)
QUESTION_GROUP = re.compile(
    r"(?:\b(?:at|in|by|during|on|the|w|we|za|na|o)\s+)*\b(?P<word>"
    + _field_alternation([*GROUP_TIMES, *GROUP_SETTINGS])
    + r")\b",
    FLAGS,
)
QUESTION_START = re.compile(
    r"^\s*(?:who|what|which|where|when|why|how|is|are|does|do|kto|co|które|gdzie|kiedy|dlaczego|jak|czy)\b", FLAGS
)


# ---------------------------------------------------------------------------------------------------------------
# Parsing


def parse(message: str) -> Intent:
    """Turn one chat message into an intent; `Unknown` says what was not understood."""
    text = " ".join(message.strip().split()).rstrip(".!")
    if not text:
        return Unknown("The message is empty.")
    for parser in (_undo, _history, _revert, _rename, _mark, _set, _are_in, _add, _remove, _question):
        intent = parser(text)
        if intent is not None:
            return intent
    return Unknown(
        "I did not understand that. Try “set the time of day of scene 12 to night”, “add a revolver to the "
        "props of scene 5”, “remove BOB from scene 3”, “undo”, or ask “which scenes need a stunt coordinator?”."
    )


def _undo(text: str) -> Intent | None:
    match = UNDO.match(text)
    if match is None:
        return None
    return Undo(int(match["count"]) if match["count"] else 1)


def _history(text: str) -> Intent | None:
    match = HISTORY.match(text)
    return ShowHistory(_selector(match)) if match else None


def _revert(text: str) -> Intent | None:
    match = REVERT.match(text)
    return Revert(int(match["scene"]), int(match["version"])) if match else None


def _rename(text: str) -> Intent | None:
    match = RENAME.match(text)
    if match is None:
        return None
    target_word = (match["target"] or "location").casefold()
    target: Literal["location", "character"] = "character" if target_word in ("character", "postaci") else "location"
    selector = _selector(match) if _has_scenes(match) else SceneSelector(every=True)
    return Rename(target, _clean_value(match["old"]), _clean_value(match["new"]), selector)


def _mark(text: str) -> Intent | None:
    match = MARK.match(text)
    if match is None:
        return None
    risk = RISK_WORDS.get(match["value"].casefold())
    if risk is None:
        return Unknown(f"“{match['value']}” is not a risk level; use low, medium, high or extreme.")
    return Edit("set", "safety.risk_level", risk, _selector(match), raise_only=True)


def _set(text: str) -> Intent | None:
    match = SET_OF.match(text) or SET_THEN_SCENES.match(text) or SET_SCENES_FIELD.match(text) or SET_HERE.match(text)
    if match is None:
        return None
    path = FIELD_WORDS[match["field"].casefold()]
    selector = _selector(match) if _has_scenes(match) else SceneSelector(here=True)
    value = normalise_value(path, match["value"])
    if isinstance(value, Unknown):
        return value
    return Edit("set", path, value, selector)


def _are_in(text: str) -> Intent | None:
    match = ARE_IN.match(text)
    if match is None:
        return None
    phrase = match["value"].casefold().strip()
    if phrase in WEATHER_WORDS:
        return Edit("set", "location.weather", WEATHER_WORDS[phrase], _selector(match))
    time_word = phrase.removeprefix("the ").removeprefix("at ")
    if time_word in TIME_WORDS:
        return Edit("set", "location.time_of_day", TIME_WORDS[time_word], _selector(match))
    return Edit("set", "location.weather", _clean_value(match["value"]), _selector(match))


def _add(text: str) -> Intent | None:
    match = ADD.match(text)
    if match is None:
        return None
    path = LIST_WORDS[match["list"].casefold()]
    selector = _selector(match) if _has_scenes(match) else SceneSelector(here=True)
    item = _clean_value(match["item"])
    value: object = {"name": item, "importance": "practical"} if path == "breakdown.props" else item
    return Edit("add", path, value, selector)


def _remove(text: str) -> Intent | None:
    match = REMOVE.match(text)
    if match is None:
        return None
    path = LIST_WORDS[match["list"].casefold()] if match["list"] else None
    return Edit("remove", path, _clean_value(match["item"]), _selector(match))


def _question(text: str) -> Intent | None:
    if match := MOST.match(text):
        return Question("most")
    if match := FIELD_QUESTION.match(text):
        return Question("field", field=FIELD_WORDS[match["field"].casefold()], scenes=_selector(match))
    # "which scenes at night have a candle?": the group (time of day, setting) comes from the analysis.
    rest, selector = _question_group(text)
    if match := WHICH.match(rest):
        return Question("which", subject=_strip_article(match["subject"]), scenes=selector)
    if selector.given and SCENES_QUESTION.match(text):
        return Question("which", scenes=selector)
    if match := COUNT.match(rest):
        return Question("count", subject=_count_subject(match["subject"] or ""), scenes=selector)
    if QUESTION_START.match(text) or text.endswith("?"):
        return Question("search", subject=text.rstrip("?"))
    return None


def _question_group(text: str) -> tuple[str, SceneSelector]:
    """The time of day and setting a question names, and the question's text without them."""
    words = [match["word"].casefold() for match in QUESTION_GROUP.finditer(text)]
    setting = next((GROUP_SETTINGS[w] for w in words if w in GROUP_SETTINGS), None)
    time_of_day = next((GROUP_TIMES[w] for w in words if w in GROUP_TIMES), None)
    rest = " ".join(QUESTION_GROUP.sub(" ", text).split())
    return rest, SceneSelector(setting=setting, time_of_day=time_of_day)


def normalise_value(path: str, raw: str) -> object:
    """The value for `path` in the analysis vocabulary ("noc" → "NIGHT", "high" → "HIGH"), or Unknown."""
    value = _clean_value(raw)
    word = value.casefold()
    vocabularies: dict[str, tuple[Mapping[str, str], str]] = {
        "location.time_of_day": (TIME_WORDS, ""),
        "location.setting": (SETTING_WORDS, "INT, EXT or INT/EXT"),
        "safety.risk_level": (RISK_WORDS, "low, medium, high or extreme"),
        "narrative.pacing": (PACING_WORDS, "slow, moderate or fast"),
    }
    if path in vocabularies:
        words, allowed = vocabularies[path]
        canonical = words.get(word.removesuffix(" risk").removesuffix(" ryzyko"))
        if canonical is not None:
            return canonical
        if allowed:
            return Unknown(f"“{value}” is not allowed there; use {allowed}.")
        return value.upper()
    if path == "narrative.conflict_level" or path.startswith("narrative.emotions."):
        try:
            number = float(word.split("/")[0])
        except ValueError:
            return Unknown(f"“{value}” is not a number from 0 to 10.")
        return int(number) if path == "narrative.conflict_level" else number
    if path == "location.weather":
        return WEATHER_WORDS.get(word, value)
    if path == "narrative.emotional_tone":
        return word
    return value


def _selector(match: re.Match[str]) -> SceneSelector:
    groups = match.groupdict()
    if groups.get("nums"):
        return SceneSelector(numbers=_numbers(groups["nums"]))
    if groups.get("here"):
        return SceneSelector(here=True)
    if groups.get("every"):
        return SceneSelector(every=True)
    if groups.get("group"):
        words = groups["group"].casefold().split()
        setting = next((GROUP_SETTINGS[w] for w in words if w in GROUP_SETTINGS), None)
        time_of_day = next((GROUP_TIMES[w] for w in words if w in GROUP_TIMES), None)
        if setting is None and time_of_day is None:
            return SceneSelector(every=True)
        return SceneSelector(setting=setting, time_of_day=time_of_day)
    return SceneSelector()


def _has_scenes(match: re.Match[str]) -> bool:
    groups = match.groupdict()
    return any(groups.get(name) for name in ("nums", "here", "every", "group"))


def _numbers(text: str) -> tuple[int, ...]:
    numbers: list[int] = []
    for part in re.split(r"\s*(?:,|\band\b|\bi\b)\s*", text.casefold()):
        bounds = re.split(r"\s*(?:\bto\b|\bdo\b|\bthrough\b|-|–)\s*", part)
        digits = [int(bound) for bound in bounds if bound.strip().isdigit()]
        if len(digits) == 2 and digits[0] <= digits[1]:
            numbers.extend(range(digits[0], digits[1] + 1))
        else:
            numbers.extend(digits)
    return tuple(dict.fromkeys(numbers))


def _clean_value(raw: str) -> str:
    return raw.strip().strip("\"'“”„").strip()


def _count_subject(text: str) -> str:
    """What a count question asks about besides its group: "scenes with a stunt coordinator" → "stunt coordinator",
    "scenes" → "" (the group alone)."""
    return _strip_article(COUNT_SUBJECT.sub("", text.strip(" ?"), count=1))


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", text.strip(), flags=FLAGS)
