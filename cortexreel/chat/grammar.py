"""The offline command grammar: English and Polish chat messages into typed intents.

Deterministic and small on purpose: it covers the common edits (set / add / remove / rename across scenes),
questions about the script and history requests (undo / history / revert). Anything else becomes `Unknown`
with a hint, and nothing changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from cortexreel.domain.edits import EditKind

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
# Vocabulary

# Field names as people say them (English and Polish, several inflections) → analysis path.
FIELD_WORDS: dict[str, str] = {
    "time of day": "location.time_of_day",
    "time": "location.time_of_day",
    "porę dnia": "location.time_of_day",
    "pora dnia": "location.time_of_day",
    "pory dnia": "location.time_of_day",
    "location": "location.location",
    "lokację": "location.location",
    "lokacja": "location.location",
    "lokacji": "location.location",
    "miejsce": "location.location",
    "setting": "location.setting",
    "int/ext": "location.setting",
    "weather": "location.weather",
    "pogodę": "location.weather",
    "pogoda": "location.weather",
    "emotional tone": "narrative.emotional_tone",
    "tone": "narrative.emotional_tone",
    "mood": "narrative.emotional_tone",
    "ton emocjonalny": "narrative.emotional_tone",
    "ton": "narrative.emotional_tone",
    "nastrój": "narrative.emotional_tone",
    "risk level": "safety.risk_level",
    "risk": "safety.risk_level",
    "poziom ryzyka": "safety.risk_level",
    "ryzyko": "safety.risk_level",
    "pacing": "narrative.pacing",
    "tempo": "narrative.pacing",
    "conflict level": "narrative.conflict_level",
    "conflict": "narrative.conflict_level",
    "konflikt": "narrative.conflict_level",
    "synopsis": "narrative.synopsis",
    "streszczenie": "narrative.synopsis",
    "complexity": "complexity",
    "złożoność": "complexity",
    "tension": "narrative.emotions.tension",
    "napięcie": "narrative.emotions.tension",
    "sadness": "narrative.emotions.sadness",
    "smutek": "narrative.emotions.sadness",
    "hope": "narrative.emotions.hope",
    "nadzieja": "narrative.emotions.hope",
    "nadzieję": "narrative.emotions.hope",
    "anger": "narrative.emotions.anger",
    "złość": "narrative.emotions.anger",
    "gniew": "narrative.emotions.anger",
    "fear": "narrative.emotions.fear",
    "strach": "narrative.emotions.fear",
    "joy": "narrative.emotions.joy",
    "radość": "narrative.emotions.joy",
}

LIST_WORDS: dict[str, str] = {
    "props": "breakdown.props",
    "prop": "breakdown.props",
    "rekwizytów": "breakdown.props",
    "rekwizyty": "breakdown.props",
    "weapons": "breakdown.weapons",
    "weapon": "breakdown.weapons",
    "broni": "breakdown.weapons",
    "broń": "breakdown.weapons",
    "vehicles": "breakdown.vehicles",
    "pojazdów": "breakdown.vehicles",
    "pojazdy": "breakdown.vehicles",
    "animals": "breakdown.animals",
    "zwierząt": "breakdown.animals",
    "zwierzęta": "breakdown.animals",
    "cast": "breakdown.cast",
    "obsady": "breakdown.cast",
    "obsada": "breakdown.cast",
    "extras": "breakdown.extras",
    "statystów": "breakdown.extras",
    "wardrobe": "breakdown.wardrobe",
    "kostiumów": "breakdown.wardrobe",
    "makeup": "breakdown.makeup",
    "make-up": "breakdown.makeup",
    "charakteryzacji": "breakdown.makeup",
    "special effects": "breakdown.sfx",
    "sfx": "breakdown.sfx",
    "efektów specjalnych": "breakdown.sfx",
    "vfx": "breakdown.vfx",
    "visual effects": "breakdown.vfx",
    "stunts": "breakdown.stunts",
    "kaskaderskich": "breakdown.stunts",
    "music cues": "breakdown.music_cues",
    "music": "breakdown.music_cues",
    "muzyki": "breakdown.music_cues",
    "sound cues": "breakdown.sound_cues",
    "sound effects": "breakdown.sound_cues",
    "set dressing": "breakdown.set_dressing",
    "equipment": "safety.required_equipment",
    "sprzętu": "safety.required_equipment",
    "personnel": "safety.personnel",
    "crew": "safety.personnel",
    "personelu": "safety.personnel",
    "themes": "narrative.themes",
    "tematów": "narrative.themes",
    "shot types": "technical.shot_types",
    "shots": "technical.shot_types",
    "camera movements": "technical.camera_movements",
    "lighting": "technical.lighting",
    "oświetlenia": "technical.lighting",
}

TIME_WORDS: dict[str, str] = {
    "night": "NIGHT",
    "day": "DAY",
    "morning": "MORNING",
    "afternoon": "AFTERNOON",
    "evening": "EVENING",
    "dawn": "DAWN",
    "dusk": "DUSK",
    "sunset": "DUSK",
    "sunrise": "DAWN",
    "continuous": "CONTINUOUS",
    "later": "LATER",
    "noc": "NIGHT",
    "nocy": "NIGHT",
    "dzień": "DAY",
    "rano": "MORNING",
    "ranek": "MORNING",
    "popołudnie": "AFTERNOON",
    "wieczór": "EVENING",
    "świt": "DAWN",
    "zmierzch": "DUSK",
}
SETTING_WORDS: dict[str, str] = {
    "int": "INT",
    "interior": "INT",
    "inside": "INT",
    "wnętrze": "INT",
    "ext": "EXT",
    "exterior": "EXT",
    "outside": "EXT",
    "plener": "EXT",
    "int/ext": "INT/EXT",
    "i/e": "INT/EXT",
}
RISK_WORDS: dict[str, str] = {
    "low": "LOW",
    "medium": "MEDIUM",
    "moderate": "MEDIUM",
    "high": "HIGH",
    "extreme": "EXTREME",
    "niskie": "LOW",
    "niski": "LOW",
    "średnie": "MEDIUM",
    "średni": "MEDIUM",
    "wysokie": "HIGH",
    "wysoki": "HIGH",
    "ekstremalne": "EXTREME",
    "ekstremalny": "EXTREME",
}
PACING_WORDS: dict[str, str] = {
    "slow": "slow",
    "moderate": "moderate",
    "fast": "fast",
    "wolne": "slow",
    "wolny": "slow",
    "umiarkowane": "moderate",
    "szybkie": "fast",
    "szybki": "fast",
}
WEATHER_WORDS: dict[str, str] = {
    "rain": "rain",
    "the rain": "rain",
    "deszczu": "rain",
    "deszcz": "rain",
    "snow": "snow",
    "the snow": "snow",
    "śniegu": "snow",
    "fog": "fog",
    "the fog": "fog",
    "mgle": "fog",
    "storm": "storm",
    "a storm": "storm",
    "burzy": "storm",
}

# Group words: "all night exteriors", "wszystkie nocne plenery".
GROUP_SETTING = {
    "exteriors": "EXT",
    "exterior": "EXT",
    "interiors": "INT",
    "interior": "INT",
    "plenery": "EXT",
    "plenerów": "EXT",
    "wnętrza": "INT",
    "wnętrz": "INT",
}
GROUP_TIME = {
    "night": "NIGHT",
    "day": "DAY",
    "nocne": "NIGHT",
    "nocnych": "NIGHT",
    "dzienne": "DAY",
    "dziennych": "DAY",
}

# Words in a question that name scenes by time of day or setting ("at night", "w nocy", "w plenerze", "interior").
QUESTION_GROUP_TIME = {
    **GROUP_TIME,
    "night": "NIGHT",
    "nights": "NIGHT",
    "nighttime": "NIGHT",
    "noc": "NIGHT",
    "nocy": "NIGHT",
    "nocą": "NIGHT",
    "day": "DAY",
    "daytime": "DAY",
    "dzień": "DAY",
    "dnia": "DAY",
}
QUESTION_GROUP_SETTING = {
    **GROUP_SETTING,
    "ext": "EXT",
    "outside": "EXT",
    "outdoors": "EXT",
    "outdoor": "EXT",
    "plenerze": "EXT",
    "plenerach": "EXT",
    "zewnątrz": "EXT",
    "int": "INT",
    "inside": "INT",
    "indoors": "INT",
    "indoor": "INT",
    "wnętrzu": "INT",
    "wnętrzach": "INT",
    "wewnątrz": "INT",
}

# ---------------------------------------------------------------------------------------------------------------
# Patterns

NUMBERS = r"\d+(?:\s*(?:,|and|i|to|do|through|-|–)\s*\d+)*"
SCENE_WORD = r"(?:scenes?|scen(?:a|y|ie|ę|ach|ami)?)"
HERE = r"(?:here|this scene|the current scene|current scene|tutaj|tu|w tej scenie|tej sceny|tę scenę)"
EVERY = (
    r"(?:in every scene|every scene|in all scenes|all scenes|each scene|everywhere|we wszystkich scenach|"
    r"wszystkie sceny|wszędzie)"
)
GROUP = (
    r"(?:all|every|wszystkie|wszystkich)\s+(?P<group>(?:(?:night|day|nocne|nocnych|dzienne|dziennych)\s+)?"
    r"(?:exteriors?|interiors?|plenery|plenerów|wnętrza|wnętrz|scenes|sceny)(?:\s+(?:nocne|dzienne|at night))?)"
)
SCENES = rf"(?:{SCENE_WORD}\s+(?P<nums>{NUMBERS})|(?P<here>{HERE})|(?P<every>{EVERY})|{GROUP})"
ARTICLE = r"(?:(?:a|an|the|some)\s+)?"


def _field_alternation(words: dict[str, str]) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


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
COUNT = re.compile(
    r"^\s*(?:how many|ile)\s+(?P<subject>.+?)(?:\s+(?:are there|is there|do we have|jest|mamy|są))?\s*\??\s*$", FLAGS
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
    + _field_alternation({**QUESTION_GROUP_TIME, **QUESTION_GROUP_SETTING})
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
    match = SET_OF.match(text) or SET_HERE.match(text)
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
    if match := COUNT.match(text):
        return Question("count", subject=match["subject"].strip())
    if QUESTION_START.match(text) or text.endswith("?"):
        return Question("search", subject=text.rstrip("?"))
    return None


def _question_group(text: str) -> tuple[str, SceneSelector]:
    """The time of day and setting a question names, and the question's text without them."""
    words = [match["word"].casefold() for match in QUESTION_GROUP.finditer(text)]
    setting = next((QUESTION_GROUP_SETTING[w] for w in words if w in QUESTION_GROUP_SETTING), None)
    time_of_day = next((QUESTION_GROUP_TIME[w] for w in words if w in QUESTION_GROUP_TIME), None)
    rest = " ".join(QUESTION_GROUP.sub(" ", text).split())
    return rest, SceneSelector(setting=setting, time_of_day=time_of_day)


def normalise_value(path: str, raw: str) -> object:
    """The value for `path` in the analysis vocabulary ("noc" → "NIGHT", "high" → "HIGH"), or Unknown."""
    value = _clean_value(raw)
    word = value.casefold()
    vocabularies: dict[str, tuple[dict[str, str], str]] = {
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
        setting = next((GROUP_SETTING[w] for w in words if w in GROUP_SETTING), None)
        time_of_day = next((GROUP_TIME[w] for w in words if w in GROUP_TIME), None)
        if "at night" in groups["group"].casefold():
            time_of_day = "NIGHT"
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


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:a|an|the)\s+", "", text.strip(), flags=FLAGS)
