"""Breakdown rules: what a scene shows (cast, extras, props, vehicles … sound cues) and how it is shot.

The scene is read once into `SceneFacts` (sentences, lexicon hits, cast); the other rule modules (safety,
narrative) work from the same facts. Only action, shot, parenthetical and lyric text is scanned for elements:
what characters say ("I'll set the house on fire") is not on screen.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from cortexreel.analysis import lexicon
from cortexreel.analysis.rules_cast import (
    CastMember,
    capitalised_objects,
    find_cast,
    is_person_noun,
    is_plural,
    singular,
    word_classes,
)
from cortexreel.analysis.rules_text import Hit, PhraseMatcher, Sentence, fold, quote_of, split_sentences
from cortexreel.domain.analysis import Breakdown, Evidence, LocationAnalysis, Prop, Technical
from cortexreel.domain.continuity import time_class
from cortexreel.domain.scenes import Scene

ELEMENT_LEXICONS: dict[str, lexicon.Lexicon] = {
    "props": lexicon.PROPS,
    "set_dressing": lexicon.SET_DRESSING,
    "vehicles": lexicon.VEHICLES,
    "weapons": lexicon.WEAPONS,
    "animals": lexicon.ANIMALS,
    "wardrobe": lexicon.WARDROBE,
    "makeup": lexicon.MAKEUP,
    "sfx": lexicon.SFX,
    "vfx": lexicon.VFX,
    "stunts": lexicon.STUNTS,
    "extras": lexicon.EXTRAS,
    "weather": lexicon.WEATHER,
    "lighting": lexicon.LIGHTING,
    "music": lexicon.MUSIC,
    "sounds": lexicon.SOUNDS,
    "shots": lexicon.SHOT_TYPES,
    "moves": lexicon.CAMERA_MOVEMENTS,
    "equipment": lexicon.SPECIAL_EQUIPMENT,
    "water": lexicon.WATER_WORDS,
    "heights": lexicon.HEIGHT_WORDS,
    "intimacy": lexicon.INTIMACY_WORDS,
    "minors": lexicon.MINOR_WORDS,
    "riot": lexicon.HIGH_RISK_CROWD,
}

MATCHER = PhraseMatcher(
    ELEMENT_LEXICONS,
    guards=lexicon.PHRASE_GUARDS,
    caps_only=("shots", "moves"),
    labels_only=("stunts", "vfx", "sfx", "wardrobe", "makeup"),
    blocks=lexicon.BLOCKED_PHRASES,
)

# What a heading can tell ("INT. CAR - MOVING", "EXT. LAKE - DAY (RAIN)"); water and heights only outdoors.
HEADING_CATEGORIES = frozenset({"vehicles", "weather", "sfx"})
EXTERIOR_HEADING_CATEGORIES = frozenset({"water", "heights"})
SCANNED_SOURCES = frozenset({"action", "shot", "parenthetical", "centered", "lyrics"})

HANDLING_VERBS = frozenset({
    "hold", "holds", "holding", "grab", "grabs", "grabbing", "pick", "picks", "picking", "take", "takes", "taking",
    "hand", "hands", "handing", "give", "gives", "offer", "offers", "open", "opens", "read", "reads", "reading",
    "pocket", "pockets", "drop", "drops", "throw", "throws", "toss", "tosses", "pour", "pours", "drink", "drinks",
    "sip", "sips", "light", "lights", "load", "loads", "aim", "aims", "point", "points", "raise", "raises",
    "clutch", "clutches", "grip", "grips", "slide", "slides", "pull", "pulls", "draw", "draws", "brandish",
    "brandishes", "wield", "wields", "use", "uses", "write", "writes", "sign", "signs", "dial", "dials", "answer",
    "answers", "put", "puts", "place", "places", "lift", "lifts", "carry", "carries", "show", "shows", "unwrap",
    "unwraps", "examine", "examines", "study", "studies", "inspect", "inspects", "twirl", "twirls", "clasp",
    "clasps", "cradle", "cradles", "pass", "passes", "snatch", "snatches", "swing", "swings", "cock", "cocks",
    "unfold", "unfolds", "fold", "folds", "crumple", "crumples", "check", "checks", "strum", "strums", "hug",
    "hugs", "kiss", "kisses", "fiddle", "fiddles", "flip", "flips", "shake", "shakes", "wave", "waves", "stare",
    "stares", "sniff", "sniffs", "eat", "eats", "bite", "bites", "hide", "hides", "wrap", "wraps", "press",
    "presses", "type", "types", "smash", "smashes", "break", "breaks", "turn", "turns", "fill", "fills",
})

_HEAR_RE = re.compile(r"\b(?:we hear|we can hear|the sound of|sounds of)\s+([^.!?;:\n]+)", re.IGNORECASE)
_SONG_TITLE_RE = re.compile(r"[\"\u201c]([^\"\u201d]{2,60})[\"\u201d]\s+(?:plays|is playing|playing|begins|starts)")
_LEADING_ARTICLES = frozenset({"a", "an", "the", "some", "his", "her", "their"})


@dataclass
class SceneFacts:
    """Everything the rules read from one scene, computed once."""

    scene: Scene
    heading: Sentence
    action: list[Sentence]
    dialogue: list[Sentence]
    hits: list[Hit]
    heading_hits: list[Hit]
    cast: list[CastMember]
    found: dict[str, list[str]] = field(default_factory=dict)
    mentions: Counter[tuple[str, str]] = field(default_factory=Counter)
    # The sentence that first put each (category, name) into the facts: its evidence.
    quotes: dict[tuple[str, str], str] = field(default_factory=dict)

    def names(self, category: str) -> list[str]:
        return self.found.get(category, [])

    def add(self, category: str, name: str, quote: str) -> None:
        """Record an element with the sentence that shows it; a second sighting only counts as a mention."""
        names = self.found.setdefault(category, [])
        if name not in names:
            names.append(name)
            self.quotes[(category, name)] = quote
        self.mentions[(category, name)] += 1

    def quote(self, category: str, name: str) -> str:
        return self.quotes.get((category, name), "")

    def sentence(self, number: int) -> Sentence:
        """An action sentence by number; -1 is the heading."""
        return self.heading if number < 0 else self.action[number]

    def has(self, category: str, name: str | None = None) -> bool:
        names = self.found.get(category, [])
        return bool(names) if name is None else name in names

    @property
    def exterior(self) -> bool:
        return self.scene.setting in ("EXT", "INT/EXT")

    @property
    def night(self) -> bool:
        return time_is_night(self.scene.time_of_day)

    def sentences_with(self, category: str, name: str) -> list[Sentence]:
        indexes = {hit.sentence for hit in self.hits if hit.category == category and hit.name == name}
        return [self.action[i] for i in sorted(indexes)]


def time_is_night(time_of_day: str | None) -> bool:
    """Night proper: dusk and dawn exteriors are shot in their own light, not under a night exterior's plan."""
    return time_class(time_of_day) == "NIGHT"


def read_scene(scene: Scene, script_cast: Collection[str] = ()) -> SceneFacts:
    """Split the scene into sentences, run the lexicons once and find the cast (`script_cast`: the script's
    speakers, known characters the action may name)."""
    action: list[Sentence] = []
    dialogue: list[Sentence] = []
    for element in scene.elements:
        text = element.text.strip()
        if not text:
            continue
        if element.type == "dialogue":
            dialogue.extend(Sentence.of(piece, "dialogue", element.character) for piece in split_sentences(text))
        elif element.type in SCANNED_SOURCES:
            pieces = [text] if element.type == "shot" else split_sentences(text)
            action.extend(Sentence.of(piece, element.type, element.character) for piece in pieces)
    heading = Sentence.of(scene.heading, "heading")
    if scene.setting is None and scene.heading.strip():
        # A heading with no INT/EXT is a shot line ("BEHIND THE MONSTROUS REVVING ENGINE --"): it is action.
        action.insert(0, Sentence.of(scene.heading, "shot"))
    hits = MATCHER.find(action)
    allowed = HEADING_CATEGORIES | (EXTERIOR_HEADING_CATEGORIES if scene.setting in ("EXT", "INT/EXT") else set())
    heading_hits = [hit for hit in MATCHER.find([heading], sentence_offset=-1) if hit.category in allowed]
    scene_cast = find_cast(scene, action, script_cast)
    cast = scene_cast.members
    facts = SceneFacts(scene, heading, action, dialogue, hits, heading_hits, cast)
    spoken = {fold(word) for member in cast for word in member.name.split()}
    written_names = [*script_cast, *(m.name for m in cast), *(m.introduced_as for m in cast if m.introduced_as)]
    full_names = {tuple(fold(word) for word in name.split()) for name in written_names}
    full_names = {name for name in full_names if len(name) > 1}
    for hit in [*heading_hits, *hits]:
        if hit.category == "extras" and _names_cast(facts, hit, spoken):
            continue
        if hit.sentence >= 0 and _capitalised_cast_name(action[hit.sentence], hit, spoken):
            continue  # "Lady Bird looks up" names a character, not a bird
        if hit.sentence >= 0 and not _the_thing_itself(action[hit.sentence], hit, full_names):
            continue
        if hit.sentence >= 0 and hit.category in _PROPER_NOUN_SENSITIVE and _proper_noun(action[hit.sentence], hit):
            continue  # "belongs to Lady Bird", "the Duck Soup dance": a name, not the thing
        facts.add(hit.category, hit.name, quote_of(facts.sentence(hit.sentence)))
    for number, sentence in enumerate(action):
        covered = {index for hit in hits if hit.sentence == number and hit.category in _OBJECT_CATEGORIES
                   for index in range(hit.start, hit.end)}
        for name, head in handled_objects(sentence):
            if head not in covered and name not in facts.names("props"):
                facts.add("props", name, quote_of(sentence))
        claimed = {sentence.folded[index] for index in covered} | spoken | _SOUND_WORDS | {
            word for hit in hits if hit.sentence == number for word in sentence.folded[hit.start : hit.end]
        }
        for name in capitalised_objects(sentence):
            if not {fold(word) for word in name.split()} & claimed and name not in facts.names("props"):
                facts.add("props", name, quote_of(sentence))
    effects = [hit for hit in hits if hit.category == "vfx"]
    creatures = {word for hit in effects for word in action[hit.sentence].folded[hit.start : hit.end]}
    for name in [name for name in facts.names("animals") if fold(name) in creatures]:
        facts.found["animals"].remove(name)  # "a SEA OF SPIDERS": the spiders are an effect, not animals on set
    for group, quote in scene_cast.extras.items():
        if not any(_same_group(group, name) for name in facts.names("extras")):
            facts.add("extras", group, quote)
    for number, sentence in enumerate(action):
        named = {index for hit in hits if hit.sentence == number for index in range(hit.start, hit.end)}
        for group, index in background_groups(sentence):
            if index not in named and not any(_same_group(group, name) for name in facts.names("extras")):
                facts.add("extras", group, quote_of(sentence))
    return facts



_OBJECT_CATEGORIES = frozenset({"props", "set_dressing", "vehicles", "weapons", "animals", "wardrobe", "makeup",
                                "sfx", "vfx", "extras", "lighting", "equipment"})
_OBJECT_PARTICLES = frozenset({"up", "out", "off", "down", "back", "over", "away", "open", "aside", "around"})
_OBJECT_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "my", "your", "our", "some",
                                 "another", "that", "this", "these", "those", "two", "three", "several", "more"})


# Single words that name a sound: "over the DIN of the rain" is no prop.
_SOUND_WORDS = frozenset(
    fold(phrase) for table in (lexicon.SOUNDS, lexicon.MUSIC) for phrases in table.values() for phrase in phrases
    if " " not in phrase
) | {"din", "noise", "roar", "clatter"}
_NOT_OBJECT_WORDS = frozenset({"where", "when", "what", "which", "who", "how", "why", "that", "this", "there",
                               "here", "then", "than"})


def handled_objects(sentence: Sentence) -> list[tuple[str, int]]:
    """Objects someone handles, whatever they are: the noun phrase after a handling verb and a determiner
    ("takes out her mobile", "sets up a TARP", "checks his CELL PHONE"), as (name, index of its head word)."""
    lower = sentence.lower
    found: list[tuple[str, int]] = []
    for i, word in enumerate(lower):
        if word not in lexicon.OBJECT_VERBS:
            continue
        j = i + 1
        while j < len(lower) and lower[j] in _OBJECT_PARTICLES:
            j += 1
        if j >= len(lower) or lower[j] not in _OBJECT_DETERMINERS:
            continue
        while j < len(lower) and lower[j] in _OBJECT_DETERMINERS:
            j += 1
        span: list[int] = []
        while j < len(lower) and len(span) < 4 and word_classes(lower[j]) & {"NOUN", "ADJ"}:
            if lower[j] in _NOT_OBJECT_WORDS or (span and not _adjacent(sentence, span[-1], j)):
                break
            span.append(j)
            j += 1
        nouns = [k for k in span if "NOUN" in word_classes(lower[k])]
        if not nouns:
            continue
        head = nouns[-1]
        base = singular(lower[head])
        if base in lexicon.NOT_PROPS or base in _SOUND_WORDS or is_person_noun(base) or len(base) < 3:
            continue
        words = [base]
        k = head - 1
        while k >= span[0] and len(words) < 3 and "NOUN" in word_classes(lower[k]):
            words.insert(0, lower[k])
            k -= 1
        found.append((" ".join(words), head))
    return found


def _adjacent(sentence: Sentence, first: int, second: int) -> bool:
    """Two words written one after the other with only a space between ("the documents, pulls" are not)."""
    pattern = re.escape(sentence.words[first]) + r"[ \t]+" + re.escape(sentence.words[second])
    return re.search(pattern, sentence.text) is not None


_GROUP_LEADS = frozenset({"the", "other", "few", "several", "many", "some", "two", "three", "four", "five", "six",
                          "dozen", "dozens", "hundreds", "more", "all", "these", "those", "of", "various", "fellow"})


def background_groups(sentence: Sentence) -> list[tuple[str, int]]:
    """People in the background by their kind, written in lower case ("the young women rush over", "a few
    teachers", "half a dozen other survivors"): a plural person noun after a determiner or a number, with the
    adjective before it when there is one."""
    if sentence.source != "action":
        return []
    found: list[tuple[str, int]] = []
    lower = sentence.lower
    for i, word in enumerate(lower):
        if not sentence.words[i].islower() or len(word) < 4 or not is_plural(word) or not is_person_noun(word):
            continue
        before = lower[i - 1] if i else ""
        adjective = before if before not in _GROUP_LEADS and "ADJ" in word_classes(before) else ""
        lead = lower[i - 2] if adjective and i >= 2 else before
        if lead in _GROUP_LEADS or lead.endswith("'s"):
            found.append((f"{adjective} {word}".strip(), i))
    return found


def _same_group(group: str, name: str) -> bool:
    """"ARMED GUARDS" read from the caps and "guards" from the lexicon are one group."""
    return fold(group.split()[-1]) == fold(name.split()[-1])


_PROPER_NOUN_SENSITIVE = frozenset({"props", "animals", "weapons", "wardrobe", "extras", "set_dressing", "sfx"})


def _proper_noun(sentence: Sentence, hit: Hit) -> bool:
    """Capitalised mid-sentence (not in CAPS): part of a name or title."""
    words = sentence.words[hit.start : hit.end]
    return hit.start > 0 and all(word[:1].isupper() and not word.isupper() for word in words)


# Words before an animal, a weapon or a vehicle that make it a picture or a model of one ("a toy felt bird").
_PICTURED = frozenset({"toy", "stuffed", "plastic", "felt", "ad", "advert", "picture", "photo", "photograph",
                       "drawing", "painting", "poster", "statue", "cartoon", "image", "figurine", "model", "ceramic",
                       "porcelain", "rubber", "wooden", "paper", "origami", "plush", "inflatable", "billboard",
                       "postcard", "sketch", "tattoo", "logo", "carved", "shadow", "shadows"})
_UNQUOTED_CATEGORIES = frozenset({"music", "sounds"})  # a song title in quotes is the song


def _the_thing_itself(sentence: Sentence, hit: Hit, full_names: set[tuple[str, ...]]) -> bool:
    """Whether a lexicon hit names the thing on screen, not a title or sign in quotes ("DOG DAY AFTERNOON"), a
    picture or toy of it, an animal word qualifying another noun ("cow eyes", "chicken fingers"), or a word of a
    character's name written in capitals ("LADY BIRD")."""
    if hit.category not in _UNQUOTED_CATEGORIES and (
        any(i in sentence.quoted for i in range(hit.start, hit.end)) or _written(sentence, hit.start)
    ):
        return False
    if hit.category in ("animals", "weapons", "vehicles") and any(
        word in _PICTURED for word in sentence.lower[max(0, hit.start - 3) : hit.start]
    ):
        return False
    if hit.category in ("animals", "wardrobe", "sounds") and _qualifies_a_noun(sentence, hit):
        return False  # "cow eyes", "an eyeglass calendar", "the car's boot", "the engine telegraph"
    for name in full_names:
        for offset in range(len(name) - (hit.end - hit.start) + 1):
            start = hit.start - offset
            if start >= 0 and tuple(sentence.folded[start : start + len(name)]) == name:
                return False
    return True


_SAYING = frozenset({"say", "says", "said", "saying", "read", "reads", "reading", "written", "spelled", "spells"})


def _written(sentence: Sentence, start: int) -> bool:
    """A word shortly after "says" or "reads" is what is written or said ("a sign that reads NO DOGS")."""
    for word in reversed(sentence.lower[max(0, start - 6) : start]):
        if word in ("and", "then", "while", "as"):
            return False
        if word in _SAYING:
            return True
    return False


def _qualifies_a_noun(sentence: Sentence, hit: Hit) -> bool:
    """An animal word that is a possessive or qualifies the noun after it ("crow's nest", "fish fork", "cow eyes",
    "puppy dog eyes"): no animal on set. A plural may be followed by its verb ("chickens flap")."""
    last = sentence.lower[hit.end - 1]
    if last.endswith(("'s", "s'")):
        return True
    if hit.end >= len(sentence.lower) or sentence.folded[hit.end - 1] != last:
        return False
    following = sentence.lower[hit.end]
    if following in _ANIMAL_PARTS or following in _ANIMAL_WORDS:
        return True
    classes = word_classes(following)
    return "NOUN" in classes and not following.endswith(("s", "ed", "ing")) and "ADV" not in classes


_ANIMAL_WORDS = frozenset(fold(word) for phrases in lexicon.ANIMALS.values() for word in phrases if " " not in word)
_ANIMAL_PARTS = frozenset({"eyes", "eye", "ears", "face", "fingers", "nuggets", "wings", "legs", "out", "feed"})


def _capitalised_cast_name(sentence: Sentence, hit: Hit, cast_words: set[str]) -> bool:
    words = sentence.words[hit.start : hit.end]
    return all(word[:1].isupper() for word in words) and all(
        fold(word) in cast_words for word in words
    ) and not all(word.isupper() for word in sentence.words)


def _names_cast(facts: SceneFacts, hit: Hit, cast_words: set[str]) -> bool:
    """An extras word that is also a cast member's name ("WAITER" speaks) is cast, not background."""
    sentence = facts.heading if hit.sentence < 0 else facts.action[hit.sentence]
    return any(word in cast_words for word in sentence.folded[hit.start : hit.end])


# Breakdown fields and the facts category each one is read from.
BREAKDOWN_FIELDS: dict[str, str] = {
    "extras": "extras",
    "props": "props",
    "set_dressing": "set_dressing",
    "vehicles": "vehicles",
    "weapons": "weapons",
    "animals": "animals",
    "wardrobe": "wardrobe",
    "makeup": "makeup",
    "sfx": "sfx",
    "vfx": "vfx",
    "stunts": "stunts",
    "music_cues": "music_cues",
    "sound_cues": "sound_cues",
    "special_equipment": "special_equipment",
}


def build_breakdown(facts: SceneFacts) -> tuple[Breakdown, Evidence]:
    """The breakdown sheet's elements by category, in order of first appearance, and the sentence that shows each
    one. Every element comes from a sentence of the scene (or its heading); one without evidence is not emitted."""
    collect_cues(facts)
    evidence: Evidence = {}
    items: dict[str, list[str]] = {}
    for field_name, category in BREAKDOWN_FIELDS.items():
        quotes = {name: facts.quote(category, name) for name in facts.names(category) if facts.quote(category, name)}
        items[field_name] = list(quotes)
        if quotes:
            evidence[f"breakdown.{field_name}"] = quotes
    cast = [member for member in facts.cast if member.evidence]
    if cast:
        evidence["breakdown.cast"] = {member.name: member.evidence for member in cast}
    if "breakdown.set_dressing" in evidence:
        evidence["location.props"] = evidence["breakdown.set_dressing"]
    breakdown = Breakdown(
        cast=[member.name for member in cast],
        props=[Prop(name=name, importance=prop_importance(facts, name)) for name in items.pop("props")],
        **items,
    )
    return breakdown, evidence


def prop_importance(facts: SceneFacts, name: str) -> str:
    """Hero when mentioned more than once or handled in the sentence that names it; practical otherwise."""
    if facts.mentions[("props", name)] >= 2:
        return "hero"
    for sentence in facts.sentences_with("props", name):
        if any(word in HANDLING_VERBS for word in sentence.lower):
            return "hero"
    return "practical"


def collect_cues(facts: SceneFacts) -> None:
    """Music, sound cues and special equipment, into the facts with their evidence (once per scene)."""
    if "sound_cues" in facts.found:
        return
    facts.found["sound_cues"] = []
    music_cues(facts)
    sound_cues(facts)
    special_equipment(facts)


def music_cues(facts: SceneFacts) -> None:
    for name in facts.names("music"):
        facts.add("music_cues", name, facts.quote("music", name))
    for sentence in facts.action:
        if sentence.source == "lyrics":
            facts.add("music_cues", "song (lyrics)", quote_of(sentence))
        for match in _SONG_TITLE_RE.finditer(sentence.text):
            facts.add("music_cues", f'song: "{match.group(1).strip()}"', quote_of(sentence))


# Words that end what "we hear": "raised voices coming from the office" is "raised voices".
_HEARD_ENDS = frozenset({"and", "as", "while", "then", "coming", "from", "through", "behind", "outside", "inside",
                         "across", "on", "in", "over", "under", "somewhere", "nearby", "that", "which"})
_SOUND_ALIASES: dict[str, str] = {
    fold(phrase): name for name, phrases in lexicon.SOUNDS.items() for phrase in (name, *phrases) if " " not in phrase
}


_SHOT_KINDS = frozenset({"various", "wide", "close", "long", "lens", "two", "establishing", "tracking", "medium",
                         "insert", "pov", "reverse", "aerial", "overhead", "high", "low", "angle", "series", "of"})


_GUNS = frozenset({"gun", "pistol", "rifle", "shotgun", "warning", "single", "sniper", "distant"})
_SHOT_SOUNDS = frozenset({"ring", "rings", "rang", "echo", "echoes", "fired", "explodes", "cracks"})


def _gunshot(sentence: Sentence, index: int) -> bool:
    """A SHOT heard: "a GUN SHOT", "SHOTS ring out", "a SHOT!", not a camera shot ("the SHOT HANDS OFF")."""
    before = sentence.lower[index - 1] if index else ""
    after = sentence.lower[index + 1 : index + 3]
    return before in _GUNS or bool(_SHOT_SOUNDS & set(after)) or (before not in _SHOT_KINDS and not after)


def sound_cues(facts: SceneFacts) -> None:
    """Sound words written in CAPS, sound phrases ("phone rings", "siren") and what "we hear"."""
    names = {fold(word) for member in facts.cast for word in member.name.split()}
    for sentence in facts.action:
        for index, (word, folded) in enumerate(zip(sentence.words, sentence.folded, strict=True)):
            if len(word) >= 2 and word.isupper() and folded in lexicon.SOUND_CAPS_WORDS and folded not in names:
                following = sentence.lower[index + 1] if index + 1 < len(sentence.lower) else ""
                if folded == "shot" and not _gunshot(sentence, index):
                    continue  # "VARIOUS SHOTS", "the SHOT HANDS OFF": camera, not a gunshot
                if following in ("cut", "to"):
                    continue  # "SMASH CUT TO": a transition
                facts.add("sound_cues", _SOUND_ALIASES.get(folded, folded), quote_of(sentence))
    named = set(facts.names("sounds"))
    for name in facts.names("sounds"):
        facts.add("sound_cues", name, facts.quote("sounds", name))
    for sentence in facts.action:
        for match in _HEAR_RE.finditer(sentence.text):
            words = match.group(1).split()
            while words and words[0].lower() in _LEADING_ARTICLES:
                words = words[1:]
            cut = next((i for i, word in enumerate(words) if word.lower() in _HEARD_ENDS), len(words))
            phrase = " ".join(words[: min(cut, 6)]).strip(" ,-\u2014").lower()
            folded_words = {fold(word) for word in phrase.split()}
            if phrase and not any(_SOUND_ALIASES.get(word) in named for word in folded_words):
                facts.add("sound_cues", phrase, quote_of(sentence))


def special_equipment(facts: SceneFacts) -> None:
    """Equipment named outright, plus what shots and effects imply (aerial → drone, rain → rain towers), each with
    the sentence of what implies it."""

    def add(item: str, category: str, name: str) -> None:
        facts.add("special_equipment", item, facts.quote(category, name))

    for name in facts.names("equipment"):
        add(name, "equipment", name)
    for category, name, item in (
        ("shots", "aerial", "drone or helicopter camera mount"),
        ("moves", "aerial move", "drone or helicopter camera mount"),
        ("moves", "crane", "camera crane"),
        ("moves", "tracking", "dolly and track"),
        ("moves", "dolly", "dolly and track"),
        ("moves", "steadicam", "Steadicam"),
        ("shots", "underwater", "underwater camera housing"),
        ("water", "underwater", "underwater camera housing"),
        ("sfx", "rain", "rain towers"),
        ("sfx", "snow", "snow machine"),
        ("sfx", "wind", "wind machine"),
        ("sfx", "fog", "haze machine"),
        ("sfx", "smoke", "haze machine"),
    ):
        if facts.has(category, name):
            add(item, category, name)
    vehicle_stunts = [name for name in facts.names("stunts") if name in {"crash", "chase", "vehicle hit",
                                                                            "precision driving"}]
    moving = _vehicle_in_motion(facts)
    if moving and (facts.scene.setting in ("INT", "INT/EXT") or vehicle_stunts):
        vehicle = facts.names("vehicles")[0]
        add("car rig or process trailer", "vehicles", vehicle)
    if facts.exterior and facts.night:
        facts.add("special_equipment", "lighting towers", quote_of(facts.heading))


_MOTION_WORDS = frozenset({"drive", "drives", "driving", "drove", "speed", "speeds", "speeding", "race", "races",
                           "racing", "swerve", "swerves", "screech", "screeches", "accelerate", "accelerates",
                           "moving", "chase", "pull", "pulls", "roar", "roars", "barrel", "barrels", "careen",
                           "careens", "rides", "riding", "cruise", "cruises", "skid", "skids", "fly", "flies",
                           "flying", "sail", "sails", "sailing", "row", "rows", "rowing", "crash", "crashes",
                           "backs", "reverses", "brakes", "zoom", "zooms", "tears", "weaves", "pursue", "pursues"})


def vehicle_motion_quote(facts: SceneFacts) -> str:
    """The sentence that shows a vehicle moving ("the car speeds off", "INT. CAR (MOVING)"), or "" when no
    vehicle moves: a parked car or one only mentioned is no vehicle hazard."""
    heading = f"{facts.scene.heading} {facts.scene.time_of_day or ''}".lower()
    if facts.has("vehicles") and any(word in heading for word in ("moving", "driving", "flying")):
        return quote_of(facts.heading)
    sentences = {hit.sentence for hit in facts.hits if hit.category == "vehicles" and hit.sentence >= 0}
    for number in sorted(sentences):
        sentence = facts.action[number]
        if any(word in _MOTION_WORDS for word in sentence.lower):
            return quote_of(sentence)
    return ""


def _vehicle_in_motion(facts: SceneFacts) -> bool:
    return facts.has("vehicles") and bool(vehicle_motion_quote(facts))


def build_location(facts: SceneFacts) -> LocationAnalysis:
    scene = facts.scene
    weather = [*facts.names("weather")]
    return LocationAnalysis(
        setting=scene.setting,
        location=scene.location or None,
        time_of_day=scene.time_of_day,
        weather=", ".join(weather) if weather else None,
        props=list(facts.names("set_dressing")),
        accessibility_notes=accessibility_notes(facts),
    )


def accessibility_notes(facts: SceneFacts) -> list[str]:
    notes: list[str] = []
    kinds: set[str] = set()
    for word in (fold(token) for token in re.findall(r"[A-Za-z]+", facts.scene.location or "")):
        entry = lexicon.ACCESSIBILITY.get(word)
        if entry is None:
            continue
        note, kind = entry
        if kind == "vehicle" and facts.scene.setting == "EXT":
            continue
        if kind not in kinds:
            kinds.add(kind)
            notes.append(note)
    return notes


def build_technical(facts: SceneFacts, breakdown: Breakdown) -> Technical:
    return Technical(
        shot_types=list(facts.names("shots")),
        camera_movements=list(facts.names("moves")),
        lighting=lighting(facts),
        sound_design=sound_design(facts, breakdown),
        special_effects=[*breakdown.sfx, *(item for item in breakdown.vfx if item not in breakdown.sfx)],
        production_notes=production_notes(facts),
    )


def lighting(facts: SceneFacts) -> list[str]:
    """The time of day sets the base (night exterior, day interior …); practical sources add to it."""
    scene = facts.scene
    hints: list[str] = []
    light = time_class(scene.time_of_day)
    where = "exterior" if scene.setting == "EXT" else "interior" if scene.setting == "INT" else "interior/exterior"
    if light in ("DAWN", "DUSK"):
        hints.append(f"dawn/dusk {where}: low natural light")
    elif light == "NIGHT":
        hints.append(f"night {where}")
    elif light == "DAY":
        hints.append(f"day {where}")
    for name in facts.names("lighting"):
        if name not in hints:
            hints.append(name)
    return hints


_AMBIENCE = {"rain": "rain ambience", "storm": "storm ambience", "wind": "wind ambience", "thunder": "thunder",
             "snow": "muffled snow ambience"}
_SOURCE_MUSIC = frozenset({"radio music", "jukebox", "live band", "piano", "guitar", "singing", "record player",
                           "song (lyrics)", "dance music", "humming", "whistling"})


def sound_design(facts: SceneFacts, breakdown: Breakdown) -> list[str]:
    design: list[str] = []

    def add(item: str) -> None:
        if item not in design:
            design.append(item)

    extensions = {(element.extension or "").upper().replace(".", "").replace(" ", "")
                  for element in facts.scene.elements if element.extension}
    if "VO" in extensions:
        add("voice-over")
    if extensions & {"OS", "OC", "OFF", "OFFSCREEN"}:
        add("off-screen dialogue")
    if extensions & {"FILTERED", "ONPHONE", "PHONE", "INTOPHONE", "OVERPHONE", "ONTHEPHONE", "RADIO"}:
        add("telephone/radio filter")
    for name in facts.names("weather"):
        if name in _AMBIENCE:
            add(_AMBIENCE[name])
    if any(cue in _SOURCE_MUSIC for cue in breakdown.music_cues) or any(
        cue.startswith("song:") for cue in breakdown.music_cues
    ):
        add("source music")
    if "music" in breakdown.music_cues:
        add("score")
    for cue in breakdown.sound_cues:
        add(cue)
    return design


_NOTE_MARKERS = (
    ("INTERCUT", "intercut"),
    ("MONTAGE", "montage"),
    ("SERIES OF SHOTS", "montage"),
    ("FLASHBACK", "flashback"),
    ("DREAM", "dream sequence"),
    ("SPLIT SCREEN", "split screen"),
    ("SLOW MOTION", "slow motion"),
    ("TITLE CARD", "title card"),
    ("SUPER:", "on-screen text (super)"),
)


def production_notes(facts: SceneFacts) -> list[str]:
    notes: list[str] = []
    texts = [facts.scene.heading, *(sentence.text for sentence in facts.action)]
    texts += [element.text for element in facts.scene.elements if element.type == "transition"]
    upper = "\n".join(texts).upper()
    for marker, note in _NOTE_MARKERS:
        if marker in upper and note not in notes:
            notes.append(note)
    if any(element.dual for element in facts.scene.elements):
        notes.append("dual dialogue")
    if facts.exterior and facts.night:
        notes.append("night exterior shoot")
    if facts.exterior and facts.names("weather"):
        notes.append("weather-dependent exterior: " + ", ".join(facts.names("weather")))
    return notes
