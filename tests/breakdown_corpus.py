"""Hand-made scene breakdowns (tests/corpus/breakdowns) and the scorer that compares an analysis with them.

Used by bench/breakdown_quality.py and tests/unit/analysis/test_fidelity_corpus.py; both skip when the scripts
are not beside the repository. The scorer reads analyses as plain dicts (`SceneAnalysis.model_dump()`), so an
analysis from another version of the analyser, or from an LLM, is scored the same way.

Items are matched one to one. Two items match when they share a key: the normalised phrase (lower case, no
articles or punctuation, each word folded to its singular), its head word (the last word), or the canonical
name the analyser's lexicon gives the phrase or a phrase within it ("wedding band" and "ring" are both "ring";
"fall over railing" is a "fall"). Every category is matched this way, cast included. The time of day is scored
by its lighting class (DAY, NIGHT, DAWN, DUSK) and the six emotions by their mean absolute error on the 0–10
scale.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cortexreel.analysis import lexicon
from cortexreel.analysis.rules_text import fold
from cortexreel.domain.continuity import script_cast, time_class, with_times_carried_over
from cortexreel.domain.scenes import Scene, scene_from_parse
from cortexreel.parsing import parse_screenplay

REPO_ROOT = Path(__file__).resolve().parents[1]
LABELS = REPO_ROOT / "tests" / "corpus" / "breakdowns"
SHARED_FIXTURES = (REPO_ROOT / ".." / "shared" / "fixtures").resolve()
BIG_FISH = SHARED_FIXTURES / "screenplays" / "Big-Fish.pdf"

# The 132 names of Big-Fish.pdf's script cast before the fidelity work that are not people: camera directions,
# sounds, objects and animals. Groups of people ("ARMED GUARDS", "CITIZENS") are extras, not cast.
BIG_FISH_NOT_CAST = (
    "HOLD ON",
    "LOOK DOWN",
    "LOOK UP",
    "RUSH IN",
    "VARIOUS SHOTS",
    "STAY ON",
    "TOWARDS CAMERA",
    "MOVING UP",
    "STAY BEHIND",
    "SINGLE SHOTS",
    "SINGLE SHOT",
    "STAY WITH",
    "DESCEND ON",
    "CIRCLE",
    "MOVE THROUGH",
    "RISE UP",
    "LOOK RIGHT",
    "LOOK OVER",
    "CIRCLE BEHIND",
    "PITCH DROPS",
    "YANKS OFF",
    "BURSTS OPEN",
    "CRIES OUT",
    "HUFFS",
    "DRUM ROLL",
    "BREATHING",
    "WHIRRING",
    "HACKING",
    "GIRLS SQUEAL",
    "CRACKING",
    "GROANING",
    "MOANING",
    "CHEERS",
    "DRUM",
    "FLUTE",
    "GIGGLING SMILE",
    "TIRES SMOKE",
    "I.V",
    "BEE'S NEST",
    "STINGING BUGS",
    "MASSIVE LION",
    "GIANT FISH",
    "ARMED GUARDS",
    "INDIAN GUIDES",
    "MARCHING BAND",
    "CITIZENS",
    "STILT-WALKING FIREBREATHERS",
    "THOUSAND CHINESE SOLDIERS",
    "ARMY OFFICERS",
    "OFFICE LADIES",
    "MEN IN SUITS",
    "NEIGHBOR KIDS",
)
# People of the same cast list who must stay: speakers, and characters introduced in the action who never speak.
BIG_FISH_CAST = (
    "EDWARD",
    "WILL",
    "JENNY",
    "SANDRA",
    "JOSEPHINE",
    "KARL",
    "AMOS",
    "YOUNG EDWARD",
    "LITTLE BRAVE",
    "OLD WOMAN",
    "BORED BOY",
    "STEWARDESS",
    "CHINESE VENTRILOQUIST",
    "ECONOMICS PROFESSOR",
    "WELL-WISHER",
    "HEAVYSET NURSE",
    "ATTRACTIVE BLONDE WOMAN",
    "TOUPEED MAN",
)

ITEM_CATEGORIES = (
    "speaking",
    "silent",
    "extras",
    "props",
    "vehicles",
    "weapons",
    "animals",
    "sfx",
    "vfx",
    "sound",
    "stunts",
    "wardrobe_makeup",
    "hazards",
)
RISK_LEVELS = ("LOW", "MEDIUM", "HIGH", "EXTREME")
EMOTIONS = ("tension", "sadness", "hope", "anger", "fear", "joy")
NEUTRAL_BELOW = 3.0  # a scene is "neutral" when no emotion reaches this (the labels' rule and rules_narrative's)

# Which lexicons name the synonyms of a scored category.
_SYNONYM_LEXICONS: dict[str, tuple[lexicon.Lexicon, ...]] = {
    "extras": (lexicon.EXTRAS,),
    "props": (lexicon.PROPS,),
    "vehicles": (lexicon.VEHICLES,),
    "weapons": (lexicon.WEAPONS,),
    "animals": (lexicon.ANIMALS,),
    "sfx": (lexicon.SFX,),
    "vfx": (lexicon.VFX,),
    "sound": (lexicon.SOUNDS, lexicon.MUSIC),
    "stunts": (lexicon.STUNTS,),
    "wardrobe_makeup": (lexicon.WARDROBE, lexicon.MAKEUP),
}
_ARTICLES = frozenset({"a", "an", "the", "some", "his", "her", "their", "its"})


def _synonym_index(category: str) -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for table in _SYNONYM_LEXICONS.get(category, ()):
        for name, phrases in table.items():
            for phrase in (name, *phrases):
                index.setdefault(_tokens(phrase), fold(name))
    return index


def _tokens(item: str) -> tuple[str, ...]:
    words = re.findall(r"[a-z0-9\u00c0-\u024f]+", item.lower().replace("'s", ""))
    return tuple(fold(word) for word in words if word not in _ARTICLES)


_SYNONYMS: dict[str, dict[tuple[str, ...], str]] = {category: _synonym_index(category) for category in ITEM_CATEGORIES}


def item_keys(category: str, item: str) -> frozenset[str]:
    """The keys under which an item matches another of the same category."""
    tokens = _tokens(item)
    if not tokens:
        return frozenset()
    keys = {" ".join(tokens), "head:" + tokens[-1]}
    synonyms = _SYNONYMS[category]
    for length in range(len(tokens), 0, -1):
        for start in range(len(tokens) - length + 1):
            canonical = synonyms.get(tokens[start : start + length])
            if canonical is not None:
                keys.add("lexicon:" + canonical)
    return frozenset(keys)


def match_count(category: str, predicted: Sequence[str], expected: Sequence[str]) -> int:
    """How many predicted items match an expected one, each used at most once (maximum bipartite matching)."""
    expected_keys = [item_keys(category, item) for item in expected]
    edges = [[j for j, keys in enumerate(expected_keys) if keys & item_keys(category, item)] for item in predicted]
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        for j in edges[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(predicted)) if augment(i, set()))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def predicted_items(
    analysis: Mapping[str, Any], speakers: Sequence[str], aliases: Mapping[str, str]
) -> dict[str, list[str]]:
    """The scored categories of one analysis (a `SceneAnalysis` dump), cast split by whether the name speaks.

    `aliases` (from the labels) names one person's other cues in the scene ("CORY" for "CODY")."""
    breakdown = analysis.get("breakdown", {})
    by_alias = {_cast_key(alias): name for alias, name in aliases.items()}

    def person(name: str) -> str:
        return by_alias.get(_cast_key(name), name)

    cast = _unique(person(name) for name in breakdown.get("cast", []))
    spoken = {_cast_key(person(name)) for name in speakers}
    return {
        "speaking": [name for name in cast if _cast_key(name) in spoken],
        "silent": [name for name in cast if _cast_key(name) not in spoken],
        "extras": _unique(breakdown.get("extras", [])),
        "props": _unique(prop["name"] if isinstance(prop, dict) else str(prop) for prop in breakdown.get("props", [])),
        "vehicles": _unique(breakdown.get("vehicles", [])),
        "weapons": _unique(breakdown.get("weapons", [])),
        "animals": _unique(breakdown.get("animals", [])),
        "sfx": _unique(breakdown.get("sfx", [])),
        "vfx": _unique(breakdown.get("vfx", [])),
        "sound": _unique([*breakdown.get("sound_cues", []), *breakdown.get("music_cues", [])]),
        "stunts": _unique(breakdown.get("stunts", [])),
        "wardrobe_makeup": _unique([*breakdown.get("wardrobe", []), *breakdown.get("makeup", [])]),
        "hazards": _unique(hazard["category"] for hazard in analysis.get("safety", {}).get("hazards", [])),
    }


def _cast_key(name: str) -> str:
    name = re.sub(r"\(.*?\)", "", name)
    return re.sub(r"[^\w]+", " ", name.upper()).strip()


def dominant_emotion(analysis: Mapping[str, Any]) -> str:
    emotions = analysis.get("narrative", {}).get("emotions", {})
    scores = [(float(emotions.get(name, 0.0)), name) for name in EMOTIONS]
    best, name = max(scores, key=lambda item: (item[0], -EMOTIONS.index(item[1])))
    return name if best >= NEUTRAL_BELOW else "neutral"


@dataclass
class LabelledScene:
    """A labelled scene: as parsed, and in its script's context as the pipeline hands it to the analyser (the
    time of day carried over from the scene before, and the script's speakers)."""

    script: str
    label: dict[str, Any]
    scene: Scene
    in_context: Scene
    script_cast: frozenset[str]

    @property
    def split(self) -> str:
        return str(self.label["split"])

    @property
    def name(self) -> str:
        return f"{self.script} #{self.label['number']}"


@dataclass
class Tally:
    matched: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else (1.0 if not self.expected else 0.0)

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else (1.0 if not self.predicted else 0.0)

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Score:
    """Agreement of a set of analyses with the labels."""

    scenes: int = 0
    tallies: dict[str, Tally] = field(default_factory=lambda: {category: Tally() for category in ITEM_CATEGORIES})
    risk_exact: int = 0
    risk_within_one: int = 0
    emotion_right: int = 0
    time_labelled: int = 0
    time_right: int = 0
    emotion_error: float = 0.0
    emotions_labelled: int = 0
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, item: LabelledScene, analysis: Mapping[str, Any]) -> None:
        label = item.label
        predicted = predicted_items(analysis, item.scene.characters, label.get("aliases", {}))
        self.scenes += 1
        for category in ITEM_CATEGORIES:
            expected = label.get(category, [])
            got = predicted[category]
            tally = self.tallies[category]
            matched = match_count(category, got, expected)
            tally.matched += matched
            tally.predicted += len(got)
            tally.expected += len(expected)
            if matched < max(len(got), len(expected)):
                self.misses.setdefault(category, []).append(f"{item.name}: expected {expected}, got {got}")
        risk = analysis.get("safety", {}).get("risk_level") or "LOW"
        distance = abs(RISK_LEVELS.index(risk) - RISK_LEVELS.index(label["risk"]))
        self.risk_exact += distance == 0
        self.risk_within_one += distance <= 1
        if distance:
            self.misses.setdefault("risk", []).append(f"{item.name}: expected {label['risk']}, got {risk}")
        emotion = dominant_emotion(analysis)
        self.emotion_right += emotion == label["dominant_emotion"]
        if emotion != label["dominant_emotion"]:
            self.misses.setdefault("emotion", []).append(
                f"{item.name}: expected {label['dominant_emotion']}, got {emotion}"
            )
        if "emotions" in label:
            scores = analysis.get("narrative", {}).get("emotions", {})
            errors = [abs(float(scores.get(name, 0.0)) - float(label["emotions"][name])) for name in EMOTIONS]
            self.emotion_error += sum(errors) / len(errors)
            self.emotions_labelled += 1
        if label.get("time_of_day"):
            written = analysis.get("location", {}).get("time_of_day") or item.scene.time_of_day
            self.time_labelled += 1
            right = time_class(written) == label["time_of_day"]
            self.time_right += right
            if not right:
                miss = f"{item.name}: expected {label['time_of_day']}, got {written}"
                self.misses.setdefault("time", []).append(miss)

    @property
    def macro_f1(self) -> float:
        return sum(tally.f1 for tally in self.tallies.values()) / len(self.tallies)

    def rate(self, count: int) -> float:
        return count / self.scenes if self.scenes else 0.0

    @property
    def emotion_mae(self) -> float:
        """Mean absolute error of the six emotion scores (0–10), averaged over the scenes."""
        return self.emotion_error / self.emotions_labelled if self.emotions_labelled else 0.0

    def summary(self) -> dict[str, float]:
        return {
            "macro-F1": self.macro_f1,
            "risk exact": self.rate(self.risk_exact),
            "risk within 1": self.rate(self.risk_within_one),
            "dominant emotion": self.rate(self.emotion_right),
            "emotion MAE": self.emotion_mae,
            "time of day": self.time_right / self.time_labelled if self.time_labelled else 0.0,
        }


def label_files() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(LABELS.glob("*.json"))]


def script_path(document: Mapping[str, Any]) -> Path:
    return SHARED_FIXTURES / str(document["folder"]) / str(document["file"])


def corpus_available() -> bool:
    return all(script_path(document).exists() for document in label_files())


def _heading_key(heading: str) -> str:
    return re.sub(r"[^\w]+", "", heading.upper())


def text_hash(scene: Scene) -> str:
    return hashlib.sha256(scene.text.encode("utf-8")).hexdigest()[:16]


def find_scene(scenes: Sequence[Scene], label: Mapping[str, Any]) -> Scene | None:
    """The labelled scene: same number and heading, else same text, else the only scene with that heading."""
    heading = _heading_key(str(label["heading"]))
    for scene in scenes:
        if scene.number == label["number"] and _heading_key(scene.heading) == heading:
            return scene
    for scene in scenes:
        if text_hash(scene) == label["text_sha256"]:
            return scene
    same_heading = [scene for scene in scenes if _heading_key(scene.heading) == heading]
    return same_heading[0] if len(same_heading) == 1 else None


def load_corpus() -> tuple[list[LabelledScene], list[str]]:
    """Every labelled scene found in its script's parse, and the labels that could not be found."""
    found: list[LabelledScene] = []
    lost: list[str] = []
    for document in label_files():
        path = script_path(document)
        screenplay = parse_screenplay(path.read_bytes(), path.name)
        scenes = [scene_from_parse(path.stem, parsed) for parsed in screenplay.scenes]
        in_context = {scene.id: scene for scene in with_times_carried_over(scenes)}
        cast = script_cast(scenes)
        for label in document["scenes"]:
            scene = find_scene(scenes, label)
            if scene is None:
                lost.append(f"{path.name} #{label['number']} {label['heading']}")
            else:
                found.append(LabelledScene(path.name, label, scene, in_context[scene.id], cast))
    return found, lost


def score(items: Sequence[LabelledScene], analyses: Sequence[Mapping[str, Any]]) -> Score:
    result = Score()
    for item, analysis in zip(items, analyses, strict=True):
        result.add(item, analysis)
    return result
