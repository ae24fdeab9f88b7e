"""Narrative rules: the six emotions 0–10, tone, conflict, pacing, an extractive synopsis, keyword-evident
themes, and per-character lines, actions, emotions and relationships.

Valence comes from the VADER lexicon (`vaderSentiment`, MIT licence, shipped inside the PyPI package, nothing
downloaded at run time): word valences are summed with VADER's negation scalar. VADER's full
`polarity_scores` (boosters, caps, "but" rules) is skipped because it costs ~0.1 ms per sentence and the
analyser must stay above 200 scenes/s. The six emotions come from CortexReel's own word lists
(`lexicon.EMOTION_WORDS`), nudged by valence and by measurable scene signals (weapons, fights, exclamations,
interruptions). That word evidence gives the tone and the conflict level; the six scores shown are it calibrated
against scenes rated by hand (`CALIBRATION`), with the scene's physical danger and the share of its action written
in capitals, the way writers mark a loud, fast moment.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

from cortexreel.analysis import lexicon
from cortexreel.analysis.rules_breakdown import SceneFacts
from cortexreel.analysis.rules_text import EMOTION_NEGATORS, Hit, PhraseMatcher, Sentence, fold
from cortexreel.domain.analysis import CharacterAnalysis, Emotions, Narrative
from cortexreel.domain.vocabulary import EMOTIONS

VADER_NEGATION_SCALAR = -0.74  # VADER's N_SCALAR: a negated word keeps about three quarters of its valence, flipped

NARRATIVE_MATCHER = PhraseMatcher(
    {
        **{emotion: {word: (word,) for word in words} for emotion, words in lexicon.EMOTION_WORDS.items()},
        "themes": lexicon.THEMES,
    }
)

FIGHT_STUNTS = frozenset(
    {
        "fight",
        "punch",
        "kick",
        "slap",
        "tackle",
        "wrestle",
        "struggle",
        "stabbing",
        "strangling",
        "choke",
        "shove",
        "shot",
    }
)
FAST_STUNTS = frozenset({"chase", "fight", "crash", "jump", "fall", "punch", "kick", "tackle", "precision driving"})
TONE_PAIRS: dict[frozenset[str], str] = {
    frozenset({"fear", "tension"}): "suspenseful",
    frozenset({"anger", "tension"}): "confrontational",
    frozenset({"anger", "fear"}): "violent",
    frozenset({"sadness", "hope"}): "bittersweet",
    frozenset({"joy", "hope"}): "uplifting",
    frozenset({"sadness", "fear"}): "grim",
    frozenset({"sadness", "anger"}): "bitter",
    frozenset({"sadness", "tension"}): "somber",
    frozenset({"joy", "tension"}): "exhilarating",
    frozenset({"joy", "sadness"}): "bittersweet",
    frozenset({"hope", "tension"}): "anticipatory",
    frozenset({"hope", "fear"}): "anxious",
}
TONE_SINGLE = {
    "tension": "tense",
    "sadness": "melancholic",
    "hope": "hopeful",
    "anger": "angry",
    "fear": "fearful",
    "joy": "joyful",
}
_RELATIONS = "|".join(sorted(lexicon.RELATION_WORDS, key=len, reverse=True))
_POSSESSIVE_RELATION_RE = re.compile(rf"\b(?:his|her|their)\s+({_RELATIONS})\b,?\s+([A-Z][A-Za-z]+)", re.IGNORECASE)
_NAMED_RELATION_RE = re.compile(rf"\b([A-Za-z]+)['\u2019]s\s+({_RELATIONS})\b", re.IGNORECASE)
_MY_RELATION_RE = re.compile(rf"\bmy\s+({_RELATIONS})\b", re.IGNORECASE)
_VOCATIVE_RE = re.compile(r"\b(" + "|".join(word.capitalize() for word in lexicon.VOCATIVE_RELATIONS) + r")\b[,.!?]")
SYNOPSIS_LIMIT = 160
TONE_BELOW = 1.5  # word evidence under this for every emotion makes a neutral tone


@cache
def vader_lexicon() -> dict[str, float]:
    """The VADER word valences (−4…4), loaded once from the installed package."""
    analyzer = SentimentIntensityAnalyzer()
    return dict(analyzer.lexicon)


class EmotionReading:
    """Emotion word weights and valence mass of a set of sentences."""

    def __init__(self, sentences: list[Sentence], hits: list[Hit]) -> None:
        self.words = sum(len(sentence.words) for sentence in sentences)
        self.weights: dict[str, float] = dict.fromkeys(EMOTIONS, 0.0)
        self.themes: Counter[str] = Counter()
        self.theme_words: dict[str, set[str]] = {}
        for hit in hits:
            sentence = sentences[hit.sentence]
            if hit.category == "themes":
                self.themes[hit.name] += 1
                self.theme_words.setdefault(hit.name, set()).add(" ".join(sentence.folded[hit.start : hit.end]))
                continue
            if _negated(sentence, hit.start):
                continue
            self.weights[hit.category] += lexicon.EMOTION_WORDS[hit.category][hit.name]
        self.positive = 0.0
        self.negative = 0.0
        valences = vader_lexicon()
        for sentence in sentences:
            for index, word in enumerate(sentence.lower):
                valence = valences.get(word)
                if valence is None:
                    continue
                if _negated(sentence, index):
                    valence *= VADER_NEGATION_SCALAR
                if valence > 0:
                    self.positive += valence
                else:
                    self.negative -= valence


def _negated(sentence: Sentence, index: int) -> bool:
    return any(word in EMOTION_NEGATORS for word in sentence.lower[max(0, index - 3) : index])


def _scale(raw: float) -> float:
    """Map a raw density (weighted hits per 100 words) onto 0–10 with diminishing returns."""
    return round(10.0 * (1.0 - math.exp(-max(raw, 0.0) / 8.0)), 1)


class SceneSignals:
    """Measurable signals of the scene's text: dialogue density, punctuation, interruptions, line length."""

    def __init__(self, facts: SceneFacts) -> None:
        elements = facts.scene.elements
        dialogue = [element for element in elements if element.type == "dialogue"]
        action = [element for element in elements if element.type == "action"]
        self.dialogue_lines = len(dialogue)
        self.action_blocks = len(action)
        self.exclamations = sum(element.text.count("!") for element in dialogue)
        self.questions = sum(element.text.count("?") for element in dialogue)
        self.interruptions = sum(
            1 for element in dialogue if element.text.rstrip().endswith(("--", "\u2014", "-", "..."))
        )
        word_counts = [len(element.text.split()) for element in (*dialogue, *action)]
        self.average_words = sum(word_counts) / len(word_counts) if word_counts else 0.0
        self.short_lines = sum(1 for element in dialogue if len(element.text.split()) <= 4)
        self.longest_action = max((len(element.text.split()) for element in action), default=0)
        self.eighths = facts.scene.pages.eighths
        stunts = set(facts.names("stunts"))
        self.fights = bool(stunts & FIGHT_STUNTS)
        self.fast_action = bool(stunts & FAST_STUNTS)
        self.weapons = bool(facts.names("weapons"))
        # Writers put the loud, fast moments of an action scene in capitals.
        action_words = [word for sentence in facts.action if sentence.source == "action" for word in sentence.words]
        shouted = sum(1 for word in action_words if len(word) >= 3 and word.isupper())
        self.caps_share = shouted / max(len(action_words), 20)
        self.danger = 0  # high physical hazards in the scene, set by build_narrative


def build_narrative(facts: SceneFacts, danger: int = 0) -> tuple[Narrative, EmotionReading]:
    """The narrative section; `danger` is how many high physical hazards the scene has (a fall, fire, firearms)."""
    sentences = [*facts.action, *facts.dialogue]
    reading = EmotionReading(sentences, NARRATIVE_MATCHER.find(sentences))
    signals = SceneSignals(facts)
    signals.danger = danger
    evidence = word_evidence(reading, signals)
    scores = {emotion: calibrated(emotion, getattr(evidence, emotion), signals) for emotion in EMOTIONS}
    narrative = Narrative(
        synopsis=synopsis(facts),
        emotional_tone=emotional_tone(evidence),
        pacing=pacing(signals),
        conflict_level=conflict_level(evidence, signals),
        themes=themes(reading),
        emotions=Emotions(**scores),
    )
    return narrative, reading


def word_evidence(reading: EmotionReading, signals: SceneSignals) -> Emotions:
    """How much each emotion the scene's words and signals carry, 0–10: what the tone and the conflict level are
    read from. The scores shown are these, calibrated (`calibrated`)."""
    per_100 = 100.0 / max(reading.words, 30)
    positive = reading.positive * per_100
    negative = reading.negative * per_100
    raw = {emotion: reading.weights[emotion] * per_100 for emotion in EMOTIONS}
    raw["tension"] += 0.25 * negative
    raw["sadness"] += 0.12 * negative
    raw["anger"] += 0.12 * negative
    raw["fear"] += 0.12 * negative
    raw["hope"] += 0.12 * positive
    raw["joy"] += 0.18 * positive
    raw["tension"] += (2.0 if signals.weapons else 0.0) + (2.0 if signals.fights else 0.0)
    raw["tension"] += min(3.0, 0.5 * signals.exclamations) + min(2.0, 0.7 * signals.interruptions)
    raw["fear"] += 1.5 if signals.weapons else 0.0
    raw["anger"] += 1.5 if signals.fights else 0.0
    return Emotions(**{emotion: _scale(raw[emotion]) for emotion in EMOTIONS})


# Per emotion: base, weight of the word score, per high physical hazard (at most two), per tenth of the action in
# capitals. Fitted by least absolute error on the tuning half of tests/corpus/breakdowns (0–10 scores read by hand):
# most scenes play a little tension whatever their words, and word lists overstate what they find.
CALIBRATION: dict[str, tuple[float, float, float, float]] = {
    "tension": (1.0, 0.7, 1.0, 0.5),
    "sadness": (0.5, 0.3, 0.0, 0.0),
    "hope": (0.0, 0.5, 0.0, 0.0),
    "anger": (0.0, 0.3, 0.0, 0.0),
    "fear": (0.0, 0.9, 0.0, 0.5),
    "joy": (0.0, 0.6, 0.0, 0.0),
}


def calibrated(emotion: str, score: float, signals: SceneSignals) -> float:
    """An emotion's shown score: its word evidence on the scale a reader uses for the whole scene."""
    base, weight, per_danger, per_caps = CALIBRATION[emotion]
    value = base + weight * score + per_danger * min(signals.danger, 2) + per_caps * signals.caps_share * 10
    return round(min(10.0, max(0.0, value)), 1)


def emotional_tone(emotions: Emotions) -> str:
    """One word from the two strongest emotions; "neutral" when nothing stands out."""
    scores = sorted(((getattr(emotions, name), name) for name in EMOTIONS), key=lambda item: (-item[0], item[1]))
    (top_score, top), (second_score, second) = scores[0], scores[1]
    if top_score < TONE_BELOW:
        return "neutral"
    if second_score >= TONE_BELOW and second_score >= 0.6 * top_score:
        pair = TONE_PAIRS.get(frozenset({top, second}))
        if pair is not None:
            return pair
    return TONE_SINGLE[top]


def conflict_level(emotions: Emotions, signals: SceneSignals) -> int:
    lines = max(signals.dialogue_lines, 1)
    value = 0.3 * emotions.anger + 0.25 * emotions.tension + 0.1 * emotions.fear
    value += 2.0 if signals.fights else 0.0
    value += 1.0 if signals.weapons else 0.0
    value += min(1.5, 0.5 * signals.interruptions)
    value += min(1.5, 3.0 * signals.exclamations / lines)
    value += min(1.0, 2.0 * signals.questions / lines) if signals.dialogue_lines >= 3 else 0.0
    return max(0, min(10, round(value)))


def pacing(signals: SceneSignals) -> str:
    """Fast for short, clipped, action-heavy scenes; slow for long scenes of long lines."""
    score = 0
    if signals.eighths <= 2:
        score += 1
    elif signals.eighths >= 16:
        score -= 1
    if signals.average_words and signals.average_words < 7:
        score += 1
    elif signals.average_words > 18:
        score -= 1
    if signals.dialogue_lines >= 4 and signals.short_lines / signals.dialogue_lines >= 0.5:
        score += 1
    if signals.exclamations + signals.interruptions >= 3:
        score += 1
    if signals.fast_action:
        score += 1
    if signals.longest_action > 60:
        score -= 1
    if score >= 2:
        return "fast"
    if score <= -1:
        return "slow"
    return "moderate"


def synopsis(facts: SceneFacts) -> str | None:
    """The first real action sentence, trimmed: extractive and honest rather than invented."""
    for sentence in facts.action:
        if sentence.source != "action":
            continue
        letters = [char for char in sentence.text if char.isalpha()]
        if len(letters) < 3 or all(char.isupper() for char in letters):
            continue
        text = " ".join(sentence.text.split())
        if len(text) <= SYNOPSIS_LIMIT:
            return text
        cut = text[: SYNOPSIS_LIMIT - 1].rsplit(" ", 1)[0].rstrip(",;:-")
        return cut + "\u2026"
    return None


def themes(reading: EmotionReading) -> list[str]:
    """Themes only when keyword-evident: three mentions, or two different words for it."""
    evident = [
        name for name, count in reading.themes.items() if count >= 3 or len(reading.theme_words.get(name, ())) >= 2
    ]
    evident.sort(key=lambda name: (-reading.themes[name], name))
    return evident[:3]


def build_characters(facts: SceneFacts) -> list[CharacterAnalysis]:
    speakers = [member.name for member in facts.cast if member.speaks]
    lines = Counter(
        element.character for element in facts.scene.elements if element.type == "dialogue" and element.character
    )
    keys = {member.name: _name_key(member.name) for member in facts.cast}
    characters: list[CharacterAnalysis] = []
    for member in facts.cast:
        name = member.name
        own = [sentence for sentence in facts.dialogue if sentence.speaker == name]
        own += [s for s in facts.action if s.source == "parenthetical" and s.speaker == name]
        actions = [
            _trim(sentence.text)
            for sentence in facts.action
            if sentence.source == "action" and keys[name] in sentence.folded_set
        ]
        characters.append(
            CharacterAnalysis(
                name=name,
                actions=actions,
                dialogue_lines=lines.get(name, 0),
                emotions=character_emotions(own),
                relationships=relationships(facts, name, speakers, keys),
            )
        )
    return characters


def _name_key(name: str) -> str:
    words = [fold(word) for word in re.findall(r"[A-Za-z]+", name)]
    for word in words:
        if word not in lexicon.NAME_TITLES and len(word) >= 3:
            return word
    return words[-1] if words else name.lower()


def _trim(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SYNOPSIS_LIMIT else text[: SYNOPSIS_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"


def character_emotions(sentences: list[Sentence]) -> list[str]:
    """The emotions a character's own lines carry, strongest first (at most three)."""
    if not sentences:
        return []
    reading = EmotionReading(sentences, NARRATIVE_MATCHER.find(sentences))
    found = [(weight, emotion) for emotion, weight in reading.weights.items() if weight > 0]
    found.sort(key=lambda item: (-item[0], item[1]))
    names = [emotion for _, emotion in found[:3]]
    if not names:
        balance = reading.positive - reading.negative
        if balance >= 2:
            names.append("positive")
        elif balance <= -2:
            names.append("negative")
    return names


def relationships(facts: SceneFacts, name: str, speakers: list[str], keys: dict[str, str]) -> list[str]:
    found: list[str] = []

    def add(item: str) -> None:
        if item not in found:
            found.append(item)

    by_key = {key: other for other, key in keys.items()}
    for sentence in facts.action:
        if sentence.source != "action":
            continue
        named = [by_key[word] for word in sentence.folded if word in by_key]
        if not named:
            continue
        for match in _POSSESSIVE_RELATION_RE.finditer(sentence.text):
            other = by_key.get(fold(match.group(2)))
            if named[0] == name and other is not None and other != name:
                add(f"{match.group(1).lower()}: {other}")
        for match in _NAMED_RELATION_RE.finditer(sentence.text):
            owner = by_key.get(fold(match.group(1)))
            if owner != name:
                continue
            others = [other for other in named if other != name]
            relation = match.group(2).lower()
            add(f"{relation}: {others[0]}" if others else f"{relation} (mentioned)")
    own_lines = [sentence.text for sentence in facts.dialogue if sentence.speaker == name]
    others = [other for other in speakers if other != name]
    for text in own_lines:
        for match in _MY_RELATION_RE.finditer(text):
            add(f"{match.group(1).lower()} (mentioned)")
        if len(others) == 1:
            for match in _VOCATIVE_RE.finditer(text):
                add(f"{lexicon.VOCATIVE_RELATIONS[match.group(1).lower()]}: {others[0]}")
    for other in others:
        add(f"co-present: {other}")
    return found
