"""The one vocabulary of the breakdown: its categories, the emotions, and the words people use for them in chat.

Names come from the analysis model's fields (cortexreel/domain/analysis.py): a category is a field of `Breakdown`,
an emotion a field of `Emotions`, and a chat word's English form is its field's name with spaces ("music cues").
Only what the model cannot say is written here: sheet labels and colours, synonyms, and the Polish words.
Grammar, planner, chat tools, exports, insights and rollups all read it here, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import get_args

from cortexreel.domain.analysis import Breakdown, Emotions, Narrative
from cortexreel.domain.base import RISK_LEVELS, Setting

# ---------------------------------------------------------------------------------------------------------------
# Breakdown categories and emotions

BREAKDOWN_CATEGORIES: tuple[str, ...] = tuple(Breakdown.model_fields)
EMOTIONS: tuple[str, ...] = tuple(Emotions.model_fields)
# Narrative.pacing is `Literal["slow", "moderate", "fast"] | None`: the Literal's arguments are the paces.
PACES: tuple[str, ...] = tuple(
    pace for option in get_args(Narrative.model_fields["pacing"].annotation) for pace in get_args(option)
)


def spoken(path: str) -> str:
    """A field as people say it in English: the last part of its path with spaces ("breakdown.music_cues" → "music
    cues")."""
    return path.rsplit(".", 1)[-1].replace("_", " ")


@dataclass(frozen=True)
class Category:
    """A breakdown-sheet category: its field on `Breakdown`, its label, its traditional colour cue, and the words
    that name it in chat besides its field name.

    `colour` is the highlight colour crews use (hex RGB); `mark` is the non-colour convention some categories
    carry instead (wardrobe circled, makeup with an asterisk, special equipment boxed)."""

    key: str
    label: str
    colour: str
    mark: str = ""
    words: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        return f"breakdown.{self.key}"


# In the order of a printed breakdown sheet, with the industry colour cues (DOMAIN.md). Every field of `Breakdown`
# appears once (tests/unit/analysis/test_vocabulary.py).
CATEGORIES: tuple[Category, ...] = (
    Category("cast", "Cast", "E53935", words=("obsady", "obsada")),
    Category("stunts", "Stunts", "FB8C00", words=("kaskaderskich",)),
    Category("extras", "Extras / Atmosphere", "43A047", words=("statystów",)),
    Category("sfx", "Special Effects", "1E88E5", words=("special effects", "efektów specjalnych")),
    Category("props", "Props", "8E24AA", words=("prop", "rekwizytów", "rekwizyty")),
    Category("vehicles", "Vehicles", "EC407A", words=("cars", "pojazdów", "pojazdy")),
    Category("animals", "Animals", "F48FB1", words=("zwierząt", "zwierzęta")),
    Category("weapons", "Weapons", "6D4C41", mark="armourer", words=("weapon", "guns", "gun", "broni", "broń")),
    Category("sound_cues", "Sound Effects", "8D6E63", words=("sound effects",)),
    Category("music_cues", "Music", "A1887F", words=("music", "muzyki")),
    Category("wardrobe", "Wardrobe", "FFFFFF", mark="circled", words=("kostiumów",)),
    Category("makeup", "Makeup / Hair", "FFFFFF", mark="asterisk", words=("make-up", "charakteryzacji")),
    Category("special_equipment", "Special Equipment", "FFFFFF", mark="boxed"),
    Category("vfx", "Visual Effects", "00ACC1", words=("visual effects",)),
    Category("set_dressing", "Set Dressing", "9E9D24"),
)


def category_items(breakdown: Breakdown, key: str) -> list[str]:
    """The elements of one category as plain names (props carry an importance that names drop)."""
    if key == "props":
        return [prop.name for prop in breakdown.props]
    values: list[str] = getattr(breakdown, key)
    return values


# List fields outside the breakdown that chat edits and questions reach, with their words besides the field name.
_OTHER_LISTS: dict[str, tuple[str, ...]] = {
    "safety.required_equipment": ("equipment", "sprzętu"),
    "safety.personnel": ("crew", "personelu"),
    "narrative.themes": ("tematów",),
    "technical.shot_types": ("shots",),
    "technical.camera_movements": (),
    "technical.lighting": ("oświetlenia",),
}
# Lists searched when a request names an item but not its field ("remove BOB from scene 3").
ITEM_LISTS: tuple[str, ...] = (
    *(f"breakdown.{key}" for key in BREAKDOWN_CATEGORIES),
    "safety.required_equipment",
    "safety.personnel",
)

# ---------------------------------------------------------------------------------------------------------------
# Chat words: fields and lists by the names people give them (English and Polish, several inflections) → path.


def _words(paths: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """word → path, each path under its spoken field name and its other words."""
    return {word: path for path, others in paths.items() for word in (spoken(path), *others)}


_FIELDS: dict[str, tuple[str, ...]] = {
    "location.time_of_day": ("time", "porę dnia", "pora dnia", "pory dnia"),
    "location.location": ("lokację", "lokacja", "lokacji", "miejsce"),
    "location.setting": ("int/ext",),
    "location.weather": ("pogodę", "pogoda"),
    "narrative.emotional_tone": ("tone", "mood", "ton emocjonalny", "ton", "nastrój"),
    "safety.risk_level": ("risk", "poziom ryzyka", "ryzyko"),
    "narrative.pacing": ("tempo",),
    "narrative.conflict_level": ("conflict", "konflikt"),
    "narrative.synopsis": ("streszczenie",),
    "complexity": ("złożoność",),
}
_EMOTION_WORDS: dict[str, tuple[str, ...]] = {
    "tension": ("napięcie",),
    "sadness": ("smutek",),
    "hope": ("nadzieja", "nadzieję"),
    "anger": ("złość", "gniew"),
    "fear": ("strach",),
    "joy": ("radość",),
}
FIELD_WORDS: dict[str, str] = _words(
    {**_FIELDS, **{f"narrative.emotions.{emotion}": _EMOTION_WORDS.get(emotion, ()) for emotion in EMOTIONS}}
)
LIST_WORDS: dict[str, str] = _words({**{c.path: c.words for c in CATEGORIES}, **_OTHER_LISTS})
# Words in a question that name a whole breakdown category rather than an item in it ("which scenes need weapons?").
CATEGORY_WORDS: dict[str, str] = {word: path for word, path in LIST_WORDS.items() if path.startswith("breakdown.")}

# ---------------------------------------------------------------------------------------------------------------
# Chat words: values of fields.

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
SETTING_WORDS: dict[str, Setting] = {
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
    **{level.lower(): level for level in RISK_LEVELS},
    "moderate": "MEDIUM",
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
    **{pace: pace for pace in PACES},
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

# ---------------------------------------------------------------------------------------------------------------
# Chat groups: words that name scenes by setting or by day and night, in edits ("all night exteriors",
# "wszystkie nocne plenery") and in questions ("at night", "w nocy", "za dnia", "w plenerze", "interior").

GROUP_SETTINGS: dict[str, Setting] = {
    "exteriors": "EXT",
    "exterior": "EXT",
    "ext": "EXT",
    "outside": "EXT",
    "outdoors": "EXT",
    "outdoor": "EXT",
    "plenery": "EXT",
    "plenerów": "EXT",
    "plenerze": "EXT",
    "plenerach": "EXT",
    "zewnątrz": "EXT",
    "interiors": "INT",
    "interior": "INT",
    "int": "INT",
    "inside": "INT",
    "indoors": "INT",
    "indoor": "INT",
    "wnętrza": "INT",
    "wnętrz": "INT",
    "wnętrzu": "INT",
    "wnętrzach": "INT",
    "wewnątrz": "INT",
}
GROUP_TIMES: dict[str, str] = {
    "night": "NIGHT",
    "nights": "NIGHT",
    "nighttime": "NIGHT",
    "nocne": "NIGHT",
    "nocnych": "NIGHT",
    "noc": "NIGHT",
    "nocy": "NIGHT",
    "nocą": "NIGHT",
    "day": "DAY",
    "daytime": "DAY",
    "dzienne": "DAY",
    "dziennych": "DAY",
    "dzień": "DAY",
    "dnia": "DAY",
}
# How answers name a group: "day exteriors", "night scenes", "interior".
_GROUP_NOUNS: dict[str, tuple[str, str]] = {
    "EXT": ("exterior", "exteriors"),
    "INT": ("interior", "interiors"),
    "INT/EXT": ("INT/EXT scene", "INT/EXT scenes"),
}


def group_noun(setting: str | None, time_of_day: str | None, count: int) -> str:
    """The group as English words for `count` scenes: "night exteriors", "day scene", "interiors", "scenes"."""
    singular, plural = _GROUP_NOUNS.get(setting or "", ("scene", "scenes"))
    noun = singular if count == 1 else plural
    return f"{time_of_day.lower()} {noun}" if time_of_day else noun


# Scenes named generically in a question ("how many scenes with stunts", "ile scen wymaga …").
SCENE_WORDS: tuple[str, ...] = ("scenes", "scene", "sceny", "scen", "scenach", "scena")

# ---------------------------------------------------------------------------------------------------------------
# Heading times: words in a scene's time of day that make it a day or a night scene (any language of DOMAIN.md).
# Dawn counts as day and dusk as night.

DAY_TIME_WORDS: tuple[str, ...] = (
    "day", "morning", "afternoon", "noon", "dawn", "sunrise", "dzień", "świt", "jour", "tag", "día", "dia", "matin",
    "rano", "południe",
)  # fmt: skip
NIGHT_TIME_WORDS: tuple[str, ...] = (
    "night", "evening", "dusk", "sunset", "midnight", "twilight", "noc", "nuit", "nacht", "noche", "wieczór",
    "zmierzch", "soir", "abend",
)  # fmt: skip

# ---------------------------------------------------------------------------------------------------------------
# Question words: crew and things named in Polish, or otherwise than the analysis names them.

# Polish names of crew and things people ask about, to the English terms the analysis uses.
QUESTION_TERMS: dict[str, str] = {
    "koordynatora kaskaderów": "stunt coordinator",
    "koordynator kaskaderów": "stunt coordinator",
    "pirotechnika": "pyrotechnician",
    "zbrojmistrza": "armourer",
    "płatnerza": "armourer",
    "ratownika medycznego": "set medic",
    "tresera zwierząt": "animal wrangler",
    "tresera": "animal wrangler",
    "koordynatora scen intymnych": "intimacy coordinator",
    "broni": "weapons",
    "broń": "weapons",
    "dzieci": "children",
    "zwierząt": "animals",
    "zwierzęta": "animals",
    "pojazdów": "vehicles",
    "kaskaderów": "stunts",
    "kaskaderami": "stunts",
    "kaskadera": "stuntman",
    "kaskaderzy": "stuntman",
    "kaskader": "stuntman",
    "zbrojmistrz": "armourer",
    "pistoletu": "pistol",
    "pistolet": "pistol",
    "ognia": "fire",
    "wody": "water",
}
# Crew and things named otherwise than the analysis names them: a scene matching any alternative counts.
_STUNTS = ("stunts", "stunt")
_ARMOURER = ("armourer", "weapons")
ALTERNATIVES: dict[str, tuple[str, ...]] = {
    "stuntman": _STUNTS,
    "stuntmen": _STUNTS,
    "stuntwoman": _STUNTS,
    "stunt double": _STUNTS,
    "stunt doubles": _STUNTS,
    "stunt performer": _STUNTS,
    "stunt performers": _STUNTS,
    "armorer": _ARMOURER,
    "armourer": _ARMOURER,
    "weapons master": _ARMOURER,
    "pistol": ("pistol", "handgun", "revolver"),
    "handgun": ("pistol", "handgun", "revolver"),
}
