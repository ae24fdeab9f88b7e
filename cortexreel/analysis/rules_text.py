"""Text plumbing for the offline analyser: sentences, word tokens with plural folding, and a compiled phrase
matcher that finds every lexicon phrase in one pass over the tokens (longest match per category first).

Matching is on whole words. A hit is dropped when the words just before it negate it ("no gun", "without a
coat"), when it sits in a simile ("moves like a snake"), or when a per-phrase guard says the word is used in
another sense ("he fires her", "night falls", "watches the door").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from cortexreel.analysis.lexicon import PERSON_NOUNS

WORD_RE = re.compile(r"[A-Za-z0-9\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)*")
_SENTENCE_END_RE = re.compile(r"([.!?]+)[\"')\]\u201d]*\s+|\n+")
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "jr", "sr", "vs", "v", "o", "no", "mt", "prof", "lt"})

_IRREGULAR_PLURALS = {
    "men": "man", "women": "woman", "children": "child", "knives": "knife", "wives": "wife", "lives": "life",
    "leaves": "leaf", "wolves": "wolf", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
    "shelves": "shelf", "thieves": "thief", "halves": "half", "calves": "calf", "scarves": "scarf",
    "policemen": "policeman", "firemen": "fireman", "people": "people", "police": "police", "series": "series",
    "news": "news", "dice": "dice", "species": "species", "jeans": "jeans", "pants": "pants", "shorts": "shorts",
    "trousers": "trousers", "glasses": "glasses", "sunglasses": "sunglasses", "scissors": "scissors",
    "pajamas": "pajamas", "pyjamas": "pyjamas", "overalls": "overalls", "binoculars": "binoculars",
    "ashes": "ashes", "crickets": "crickets", "masses": "masses", "kids": "kids", "cops": "cops",
    "officers": "officers", "troops": "troops", "locals": "locals", "fans": "fans", "couples": "couples",
    "strangers": "strangers", "passersby": "passersby", "extras": "extras", "shadows": "shadows",
    "waves": "waves", "rapids": "rapids", "headphones": "headphone", "does": "does", "is": "is", "was": "was",
    "has": "has", "his": "his", "its": "its", "this": "this", "us": "us", "yes": "yes", "always": "always",
    "towards": "towards", "afterwards": "afterwards", "less": "less", "unless": "unless",
}

NEGATORS = frozenset({"no", "without"})
EMOTION_NEGATORS = frozenset({
    "no", "not", "never", "without", "nor", "none", "nothing", "cannot", "isn't", "doesn't", "don't", "didn't",
    "wasn't", "aren't", "weren't", "can't", "won't", "wouldn't", "couldn't", "shouldn't", "hasn't", "haven't",
    "hadn't", "ain't", "isn\u2019t", "doesn\u2019t", "don\u2019t", "didn\u2019t", "can\u2019t", "won\u2019t",
})
SUBJECT_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"})
OBJECT_STARTERS = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "my", "your", "our", "him", "them", "me", "us", "it", "this",
    "that", "these", "those", "some", "each", "every", "another",
})
DETERMINERS = frozenset({
    "the", "a", "an", "his", "her", "their", "its", "my", "your", "our", "this", "that", "these", "those", "some",
    "each", "every", "another", "one", "two", "three", "no",
})


def fold(word: str) -> str:
    """Lower-case a word, drop a possessive and fold a regular plural (or third-person verb) to its stem."""
    word = word.lower().replace("\u2019", "'")
    if word.endswith("'s"):
        word = word[:-2]
    elif word.endswith("s'"):
        word = word[:-1]
    irregular = _IRREGULAR_PLURALS.get(word)
    if irregular is not None:
        return irregular
    if len(word) <= 3 or not word.endswith("s"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zzes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is", "ous")):
        return word
    return word[:-1]


def split_sentences(text: str) -> list[str]:
    """Split action text into sentences, keeping "Mr. Bloom" and "V.O." together."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END_RE.finditer(text):
        if match.group(1) == ".":
            before = text[start : match.start()].rsplit(None, 1)
            last_word = before[-1].lower().rstrip(".") if before else ""
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
        piece = text[start : match.end()].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


@dataclass(slots=True)
class Sentence:
    """One sentence of a scene with its words: as written, lower-cased and folded."""

    text: str
    source: str
    speaker: str | None
    words: list[str]
    lower: list[str]
    folded: list[str]
    folded_set: frozenset[str] = field(default_factory=frozenset)
    # Indexes of the words inside double quotes: a title, a sign or what someone says, not the thing itself.
    quoted: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, text: str, source: str, speaker: str | None = None) -> Sentence:
        words = WORD_RE.findall(text)
        lower = [word.lower().replace("\u2019", "'") for word in words]
        folded = [fold(word) for word in words]
        quoted = _quoted_words(text) if '"' in text or "\u201c" in text else frozenset()
        return cls(text, source, speaker, words, lower, folded, frozenset(folded), quoted)


def _quoted_words(text: str) -> frozenset[int]:
    inside = False
    indexes: set[int] = set()
    position = 0
    for number, match in enumerate(WORD_RE.finditer(text)):
        for char in text[position : match.start()]:
            if char in "\"\u201c\u201d":
                inside = char == "\u201c" or (char == '"' and not inside)
        position = match.end()
        if inside:
            indexes.add(number)
    return frozenset(indexes)


QUOTE_LIMIT = 240


def quote_of(sentence: Sentence) -> str:
    """A sentence as evidence: its text on one line, cut to about two lines of a page."""
    text = " ".join(sentence.text.split())
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "\u2026"


@dataclass(frozen=True, slots=True)
class Term:
    category: str
    name: str
    guard: str | None = None
    caps_only: bool = False
    block: bool = False


@dataclass(frozen=True, slots=True)
class Hit:
    category: str
    name: str
    sentence: int
    start: int
    end: int


GuardFn = Callable[[Sentence, int, int], bool]


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    return tuple(fold(word) for word in WORD_RE.findall(phrase))


class PhraseMatcher:
    """All lexicon phrases compiled into one index keyed by first folded word; one pass per sentence."""

    def __init__(
        self,
        lexicons: Mapping[str, Mapping[str, Iterable[str]]],
        *,
        guards: Mapping[str, str] | None = None,
        caps_only: Iterable[str] = (),
        labels_only: Iterable[str] = (),
        blocks: Mapping[str, Iterable[str]] | None = None,
    ) -> None:
        """`caps_only` categories count only in camera context; in those and in `labels_only` ones an entry's name
        is a label ("precision driving", "sky"), matched only when its phrases list it too."""
        guards = guards or {}
        caps_categories = frozenset(caps_only)
        label_categories = caps_categories | frozenset(labels_only)
        entries: dict[tuple[str, ...], list[Term]] = {}
        for category, lexicon in lexicons.items():
            for name, phrases in lexicon.items():
                for phrase in (name, *phrases) if category not in label_categories else phrases:
                    tokens = phrase_tokens(phrase)
                    if not tokens:
                        continue
                    guard = guards.get(f"{category}:{phrase}") or guards.get(phrase)
                    term = Term(category, name, guard, category in caps_categories)
                    bucket = entries.setdefault(tokens, [])
                    if all(existing.category != category for existing in bucket):
                        bucket.append(term)
        for category, phrases in (blocks or {}).items():
            for phrase in phrases:
                entries.setdefault(phrase_tokens(phrase), []).append(Term(category, "", block=True))
        index: dict[str, list[tuple[tuple[str, ...], tuple[Term, ...]]]] = {}
        for tokens, terms in entries.items():
            index.setdefault(tokens[0], []).append((tokens, tuple(terms)))
        for candidates in index.values():
            candidates.sort(key=lambda item: (-len(item[0]), item[0]))
        self._index = index

    def find(self, sentences: Iterable[Sentence], *, sentence_offset: int = 0) -> list[Hit]:
        hits: list[Hit] = []
        for number, sentence in enumerate(sentences, start=sentence_offset):
            folded = sentence.folded
            consumed: dict[str, int] = {}
            for i, word in enumerate(folded):
                candidates = self._index.get(word)
                if candidates is None:
                    continue
                for tokens, terms in candidates:
                    end = i + len(tokens)
                    if end > len(folded) or (len(tokens) > 1 and tuple(folded[i:end]) != tokens):
                        continue
                    for term in terms:
                        if consumed.get(term.category, 0) > i:
                            continue
                        if term.block:
                            consumed[term.category] = end
                            continue
                        if not _accepts(term, sentence, i, end):
                            continue
                        consumed[term.category] = end
                        hits.append(Hit(term.category, term.name, number, i, end))
        return hits


def _accepts(term: Term, sentence: Sentence, start: int, end: int) -> bool:
    if term.caps_only and not _camera_context(sentence, start, end):
        return False
    if is_negated(sentence, start) or is_simile(sentence, start):
        return False
    if term.guard is None:
        return True
    return GUARDS[term.guard](sentence, start, end)


def _camera_context(sentence: Sentence, start: int, end: int) -> bool:
    """Camera words count in shot elements, in CAPS, or right after "camera"; lower-case "pan" is cookware."""
    if sentence.source == "shot":
        return True
    if all(word.isupper() or word.isdigit() for word in sentence.words[start:end]):
        return True
    return "camera" in sentence.lower[max(0, start - 2) : start]


def is_negated(sentence: Sentence, start: int) -> bool:
    """"no gun", "without a coat", "no loaded gun": a breakdown negator one or two words before."""
    window = sentence.lower[max(0, start - 2) : start]
    if not window:
        return False
    if window[-1] in NEGATORS:
        return True
    return len(window) == 2 and window[0] in NEGATORS and window[1] not in {"one", "longer", "sooner", "more"}


def is_simile(sentence: Sentence, start: int) -> bool:
    """"eats like a pig", "as if on fire": figures of speech name no real element."""
    lower = sentence.lower
    for j in range(max(0, start - 4), start):
        if lower[j] == "like" and (j + 1 == start or lower[j + 1] in DETERMINERS):
            return True
        if lower[j] == "as" and j + 1 < start and lower[j + 1] in {"if", "though"}:
            return True
    return False


def _previous(sentence: Sentence, start: int) -> str:
    return sentence.lower[start - 1] if start > 0 else ""


def _next(sentence: Sentence, end: int, offset: int = 0) -> str:
    index = end + offset
    return sentence.lower[index] if index < len(sentence.lower) else ""


def _looks_like_verb(sentence: Sentence, start: int, end: int) -> bool:
    """Crude part-of-speech test for words that are nouns or verbs: a subject before or an object after."""
    previous = _previous(sentence, start)
    if previous in SUBJECT_PRONOUNS or previous == "to":  # "to bear with", "to duck"
        return True
    following = _next(sentence, end)
    if following in OBJECT_STARTERS:
        return True
    if start > 0:
        previous_word = sentence.words[start - 1]
        is_name = previous_word[:1].isupper() and previous not in DETERMINERS and not previous.endswith("'s")
        one_caps_run = previous_word.isupper() and sentence.words[start].isupper()  # "a CEREMONIAL BLADE"
        if is_name and not one_caps_run and (start - 1 > 0 or previous_word.isupper()):
            return True
    return False


def _noun_only(sentence: Sentence, start: int, end: int) -> bool:
    return not _looks_like_verb(sentence, start, end) and not _after_plural_subject(sentence, start)


def _after_plural_subject(sentence: Sentence, start: int) -> bool:
    """"the GANG watch", "the boys watch": a group noun or a sentence-initial name right before the word makes
    it a verb."""
    if start == 0:
        return False
    previous = sentence.words[start - 1]
    if previous.lower() in {"gang", "crowd", "boys", "girls", "men", "women", "kids", "children", "others",
                            "everyone", "people", "family", "guys", "two", "both", "all", "phone", "phones",
                            "bell", "bells", "doorbell", "alarm", "telephone"}:
        return True
    return start == 1 and previous[:1].isupper() and previous.lower() not in DETERMINERS


_NOT_DISH_BEFORE = frozenset({"license", "licence", "number", "hull", "steel", "armour", "armor", "name", "metal",
                              "iron", "tectonic", "home", "boiler", "license-plate", "registration", "dental"})


def _dish(sentence: Sentence, start: int, end: int) -> bool:
    """A plate to eat from, not "license plates" / "hull plates"."""
    return _previous(sentence, start) not in _NOT_DISH_BEFORE and _noun_only(sentence, start, end)


_TYPE_BEFORE = frozenset({"small", "large", "big", "capital", "block", "gold", "golden", "bold", "red", "neon",
                          "huge", "tiny", "giant", "lower", "upper", "black", "white", "in", "letters", "scarlet",
                          "silver", "brass", "painted", "stencilled", "stenciled", "carved", "foot", "tall"})


def _mail(sentence: Sentence, start: int, end: int) -> bool:
    """A letter to read, not lettering ("large gold letters", "in very small letters")."""
    return _previous(sentence, start) not in _TYPE_BEFORE


def _after_determiner(sentence: Sentence, start: int, end: int) -> bool:
    previous = _previous(sentence, start)
    return previous in DETERMINERS or previous.endswith("'s")


def _object_noun(sentence: Sentence, start: int, end: int) -> bool:
    """A noun with its determiner, adjectives allowed between ("his watch", "a gold pocket watch"), and no object
    after it: "Julie watches as...", "the phone rings" are verbs."""
    if _after_plural_subject(sentence, start):
        return False  # "the GANG watch", "the boys watch"
    for j in range(start - 1, max(-1, start - 4), -1):
        word = sentence.lower[j]
        if word in DETERMINERS or word.endswith("'s"):
            return _next(sentence, end) not in OBJECT_STARTERS
        if not sentence.words[j][:1].islower() and not sentence.words[j].isupper():
            return False
    return False


_GUNFIRE_BEFORE = frozenset({"open", "opens", "opened", "cease", "return", "returns", "returned", "hold", "under",
                             "rapid", "covering", "friendly", "gun", "machine"})
_FIGURATIVE_FIRE_AFTER = frozenset({"desire", "question", "passion", "need", "curiosity", "sensation", "hatred",
                                    "ambition", "love", "shame", "embarrassment", "with", "eyes", "cheeks"})


def _flame(sentence: Sentence, start: int, end: int) -> bool:
    """Fire as flames: not "opens fire" / "he fires her" / "fire in her eyes" / "burning desire"."""
    previous = _previous(sentence, start)
    if previous in _GUNFIRE_BEFORE:
        return False
    following = _next(sentence, end)
    if following in _FIGURATIVE_FIRE_AFTER:
        return False
    if following == "in" and _next(sentence, end, 1) in {"his", "her", "their"} and _next(sentence, end, 2) in {
        "eyes", "eye", "belly", "heart", "voice"
    }:
        return False
    surface = sentence.lower[start]
    if surface in {"fires", "fire", "blazes"} and end - start == 1:
        if following in {"at", "off", "back", "again", "wildly", "once", "twice", "into", "shot", "shots", "round",
                         "rounds", "blindly", "up"}:
            return False
        if _looks_like_verb(sentence, start, end):
            return False
    return True


def _smoke_effect(sentence: Sentence, start: int, end: int) -> bool:
    """Smoke as an effect, not an actor smoking ("smokes a cigarette", "cigarette smoke")."""
    previous = _previous(sentence, start)
    if previous in {"cigarette", "cigar", "pipe", "tobacco"}:
        return False
    following = _next(sentence, end)
    if following in {"a", "his", "her", "their", "the", "cigarette", "cigar", "pipe", "joint", "weed", "break",
                     "alarm", "detector"}:
        return False
    return not (sentence.lower[start] in {"smokes", "smoking"} and _looks_like_verb(sentence, start, end))


_PERSON_PRONOUNS = frozenset({"he", "she", "they", "we", "i", "you", "who", "him", "her", "them", "everyone",
                              "everybody", "someone", "somebody", "both"})
_SKIPPED_BEFORE_VERB = frozenset({"and", "then", "to", "is", "are", "was", "were", "starts", "start", "begins",
                                  "begin", "tries", "try", "about", "just", "almost", "nearly", "suddenly", "not",
                                  "also", "all", "both", "each", "slowly", "quickly", "finally", "now", "still"})


def _person_acts(sentence: Sentence, start: int) -> bool:
    """The subject before a stunt verb is a person ("Jack falls", "the man leaps", "she dives"), not a thing
    ("the chandelier falls", "an ashtray falls", "dolphins jump"); with no subject in the sentence, assume one."""
    for j in range(start - 1, max(-1, start - 7), -1):
        word = sentence.lower[j]
        if word in _SKIPPED_BEFORE_VERB or word.endswith("ly"):
            continue
        if word in _PERSON_PRONOUNS or word.rstrip("s") in PERSON_NOUNS or fold(word) in PERSON_NOUNS:
            return True
        if word in DETERMINERS:
            return True  # the stunt as an event: "a fall", "in a hair-raising vertical plummet"
        written = sentence.words[j]
        if written[:1].isupper():
            return True  # a name ("Jack", "LOVEJOY")
        if word.endswith(("ing", "ed")) or "-" in sentence.text and word in _hyphen_parts(sentence.text):
            continue  # an adjective before the noun use ("hair-raising", "tangled")
        return False
    return True


def _hyphen_parts(text: str) -> set[str]:
    return {part.lower() for word in text.split() if "-" in word for part in word.split("-")}


def _stunt_fall(sentence: Sentence, start: int, end: int) -> bool:
    """A fall that needs a stunt: not "night falls", "falls asleep", "falls in love", "falls to her knees", and a
    person falling, not a thing."""
    if not _person_acts(sentence, start):
        return False
    if _previous(sentence, start) in {"night", "darkness", "silence", "dusk", "snow", "rain", "tear", "tears",
                                      "shadow", "shadows", "light", "leaf", "leaves", "curtain", "hush", "face",
                                      "heart", "jaw", "expression", "smile", "ash", "ashes", "dust", "quiet"}:
        return False
    following = _next(sentence, end)
    if following in {"asleep", "silent", "quiet", "still", "in", "for", "apart", "short", "behind", "ill", "sick",
                     "back", "into", "away", "over", "open", "flat", "dark", "due", "on", "upon"}:
        # "falls into the water" and "falls over the railing" are stunts; "falls into silence" is not.
        if following in {"into", "over", "on"} and _next(sentence, end, 1) in DETERMINERS:
            return _next(sentence, end, 2) not in {"silence", "despair", "line", "place", "step", "arms", "knees"}
        return False
    return not any(word in {"knee", "knees", "seat", "chair", "bed", "sofa", "couch"}
                   for word in sentence.folded[end : end + 4])


_JUMP_DIRECTIONS = frozenset({"from", "off", "out", "over", "through", "into", "onto", "down", "across", "between",
                              "to", "towards", "aboard", "clear", "overboard", "the", "a", "in"})


def _stunt_jump(sentence: Sentence, start: int, end: int) -> bool:
    """A person's jump that goes somewhere ("jumps off the roof"), not a startle ("jumps", "jumps at the chance")."""
    if not _person_acts(sentence, start):
        return False
    following = _next(sentence, end)
    if following not in _JUMP_DIRECTIONS:
        return False
    return not (following in {"to", "the", "a"} and _next(sentence, end, 1) in {"conclusion", "conclusions",
                                                                                  "chance", "feet", "attention"})


def _stunt_fight(sentence: Sentence, start: int, end: int) -> bool:
    """Fighting as action, not "fights back tears" / "fights the urge"."""
    figurative = {"tear", "urge", "sleep", "smile", "laugh", "laughter", "yawn", "nausea", "emotion", "feeling",
                  "temptation", "instinct", "breath", "impulse", "fatigue"}
    return not any(word in figurative for word in sentence.folded[end : end + 3])


def _stunt_crash(sentence: Sentence, start: int, end: int) -> bool:
    """A crash, not "crashes on the couch" / "crash course"."""
    following = _next(sentence, end)
    if following in {"course", "diet", "pad", "at"}:
        return False
    return not (following == "on" and any(w in {"couch", "sofa", "bed", "floor"} for w in sentence.folded[end:end + 4]))


def _stunt_punch(sentence: Sentence, start: int, end: int) -> bool:
    """A punch thrown, not "punches in the code" / "punch line"."""
    following = _next(sentence, end)
    return following not in {"in", "out", "number", "numbers", "button", "buttons", "code", "key", "keys", "keypad",
                             "line", "bowl", "card", "clock"}


def _stunt_kick(sentence: Sentence, start: int, end: int) -> bool:
    if not _person_acts(sentence, start):
        return False
    following = _next(sentence, end)
    return following not in {"off", "in", "back", "start", "starts", "around", "himself", "herself"}


def _stunt_struggle(sentence: Sentence, start: int, end: int) -> bool:
    following = _next(sentence, end)
    return following not in {"to", "with", "for", "through", "into"}


def _stunt_choke(sentence: Sentence, start: int, end: int) -> bool:
    following = _next(sentence, end)
    return following not in {"back", "on", "up", "out"}


def _stunt_shove(sentence: Sentence, start: int, end: int) -> bool:
    """Shoving a person ("shoves him", "shoves Edward"), not "shoves the papers into a drawer"."""
    if _next(sentence, end) in {"him", "her", "them", "me", "you", "us"}:
        return True
    return end < len(sentence.words) and sentence.words[end][:1].isupper()


def _stunt_chase(sentence: Sentence, start: int, end: int) -> bool:
    """A chase, not "chases it down with a beer"."""
    return not ("down" in sentence.lower[end : end + 2] and "with" in sentence.lower[end : end + 4])


def _stunt_dive(sentence: Sentence, start: int, end: int) -> bool:
    if not _person_acts(sentence, start):
        return False
    following = _next(sentence, end)
    if following not in {"into", "for", "off", "from", "under", "behind", "through", "in", "over", "out"}:
        return False
    return not any(w in {"work", "paperwork", "book", "bag", "pocket", "purse", "detail", "food", "meal"}
                   for w in sentence.folded[end : end + 4])


def _explosion(sentence: Sentence, start: int, end: int) -> bool:
    """An explosion, not "explodes with laughter" / "blasts music"."""
    if _previous(sentence, start) in {"music", "radio", "stereo", "horn", "speaker", "speakers", "tv", "trumpet"}:
        return False
    if _next(sentence, end) in {"with", "into", "in", "from", "at", "music", "of", "out", "open", "through"}:
        return False  # "doors BLAST OPEN", "blasts through the speakers"
    if sentence.lower[start] in ("blast", "blasts") and _next(sentence, end) in OBJECT_STARTERS:
        return False  # "a flash of light BLASTS the spider": a hit, not an explosion
    return not any(word in {"balloon", "tyre", "tire", "mattress", "photo", "photograph", "picture"}
                   for word in sentence.folded[end : end + 4])


def _blood(sentence: Sentence, start: int, end: int) -> bool:
    following = _next(sentence, end)
    return following not in {"orange", "brother", "sister", "relative", "relation", "type", "test", "pressure",
                             "bank", "money", "feud", "line", "oath", "moon", "sugar", "vessel", "donor"}


def _weather_storm(sentence: Sentence, start: int, end: int) -> bool:
    """Weather, not "storms out of the room"."""
    following = _next(sentence, end)
    return not (sentence.lower[start] == "storms" or following in {"out", "off", "in", "into", "away", "past"})


def _wind(sentence: Sentence, start: int, end: int) -> bool:
    """Wind, not "winds the clock" / "winds up" / "wind down"."""
    following = _next(sentence, end)
    if following in {"up", "down", "the", "his", "her", "a", "its", "their", "through", "around", "back"}:
        return sentence.lower[start] == "wind" and _previous(sentence, start) in DETERMINERS
    return True


def _crowd_guard(sentence: Sentence, start: int, end: int) -> bool:
    """A guard as a person: not "guards the door" / "off guard"."""
    previous = _previous(sentence, start)
    if previous in {"off", "on", "shin", "lets", "let", "mouth", "fire", "finger"}:
        return False
    return _noun_only(sentence, start, end)


def _music_score(sentence: Sentence, start: int, end: int) -> bool:
    """"score" as music, not a game score."""
    return _previous(sentence, start) in {"the", "music", "musical", "film"} and _next(sentence, end) in {
        "swell", "swells", "rises", "builds", "plays", "kicks", "soars", "begins", "fades", ""
    }


def _sound_knock(sentence: Sentence, start: int, end: int) -> bool:
    return _next(sentence, end) not in {"over", "out", "down", "off", "him", "her", "them", "back"}


def _present_gift(sentence: Sentence, start: int, end: int) -> bool:
    return _after_determiner(sentence, start, end) and _next(sentence, end) not in {"day", "moment", "time"}


def _swim(sentence: Sentence, start: int, end: int) -> bool:
    """Swimming, not "the room swims" / "head swimming"."""
    return _previous(sentence, start) not in {"room", "head", "vision", "eyes", "world", "mind", "letters"}


def _camera_prop(sentence: Sentence, start: int, end: int) -> bool:
    """A camera in the story ("her camera"), not the film's camera ("the camera pans")."""
    if not _after_determiner(sentence, start, end):
        return False
    return _next(sentence, end) not in {"pans", "tilts", "follows", "tracks", "pushes", "pulls", "moves", "holds",
                                        "finds", "cranes", "zooms", "lingers", "reveals", "stays", "booms",
                                        "drifts", "circles", "settles", "rises", "floats", "dollies", "angle",
                                        "whips", "rests", "catches", "picks", "slowly", "begins", "is"}


def _key(sentence: Sentence, start: int, end: int) -> bool:
    """A key you hold, not "the key witness" or "key to success"."""
    if sentence.lower[start] == "key" and _next(sentence, end) in {"witness", "moment", "point", "question",
                                                                    "figure", "player", "role", "part", "to",
                                                                    "evidence", "issue", "factor", "word"}:
        return False
    return _noun_only(sentence, start, end)


def _explosive(sentence: Sentence, start: int, end: int) -> bool:
    """Explosives as objects ("the explosives", "a bundle of explosives"), not "an explosive temper"."""
    return sentence.lower[start].endswith("s") or _next(sentence, end) in {"", "device", "charge", "vest"}


def _wound(sentence: Sentence, start: int, end: int) -> bool:
    """A wound, not "wound up" / "he wound the clock"."""
    if _next(sentence, end) in {"up", "tight", "round", "around", "down"}:
        return False
    return _noun_only(sentence, start, end)


def _pale(sentence: Sentence, start: int, end: int) -> bool:
    """A pale face, not "pale light" / "pales in comparison"."""
    following = _next(sentence, end)
    return following not in {"light", "moonlight", "sunlight", "blue", "yellow", "green", "pink", "in", "glow",
                             "sky", "dawn", "walls", "wall", "comparison"}


def _stab(sentence: Sentence, start: int, end: int) -> bool:
    """A stabbing, not "a stab at humour"."""
    return not (_previous(sentence, start) == "a" and _next(sentence, end) == "at")


def _slap(sentence: Sentence, start: int, end: int) -> bool:
    """A slap to a person, not "slaps the table" / "slaps a sticker on"."""
    following = _next(sentence, end)
    if following in {"him", "her", "them", "me", "you", "us", "across"}:
        return True
    return end < len(sentence.words) and sentence.words[end][:1].isupper()


_FIGURATIVE_OBJECTS = frozenset({"problem", "issue", "job", "task", "question", "paperwork", "decision", "idea",
                                 "conscience", "thought", "lid", "jar", "homework", "crossword", "puzzle", "math"})


def _not_figurative(sentence: Sentence, start: int, end: int) -> bool:
    """Physical grappling, not "tackles the problem" / "wrestles with the decision"."""
    return not any(word in _FIGURATIVE_OBJECTS for word in sentence.folded[end : end + 4])


def _thrown(sentence: Sentence, start: int, end: int) -> bool:
    """Thrown bodily ("thrown through the window"), not "thrown off" (confused) or "flings open the door"."""
    return _next(sentence, end) in {"through", "across", "against", "into", "from", "down", "over", "overboard",
                                    "out", "backwards", "backward", "clear", "to"}


def _sing(sentence: Sentence, start: int, end: int) -> bool:
    """Singing, not "the kettle sings" / "sings his praises"."""
    if _previous(sentence, start) in {"kettle", "wind", "bullet", "blade", "wire", "wires"}:
        return False
    return "praise" not in sentence.folded[end : end + 3]


def _bark(sentence: Sentence, start: int, end: int) -> bool:
    """A dog barking, not a person who "barks orders"."""
    if _next(sentence, end) in {"order", "orders", "at", "into", "out", "back", "instructions", "commands"}:
        return False
    previous = _previous(sentence, start)
    return previous not in SUBJECT_PRONOUNS - {"it"} and not (
        start > 0 and sentence.words[start - 1][:1].isupper() and start - 1 > 0
    )


_WATER = frozenset({"water", "lake", "river", "sea", "pool", "bath", "bathtub", "tub", "ocean", "wave", "waves",
                    "surf", "flood", "rapids", "canal", "creek", "swamp", "well", "tank"})


def _drown(sentence: Sentence, start: int, end: int) -> bool:
    """Drowning in water, not "drowns out the noise" / "drowning in debt"."""
    following = _next(sentence, end)
    if following == "out":
        return False
    if following == "in":
        return any(word in _WATER for word in sentence.folded[end + 1 : end + 4])
    return True


def _waves(sentence: Sentence, start: int, end: int) -> bool:
    """Waves of water, not "she waves goodbye"."""
    if _next(sentence, end) in {"at", "to", "goodbye", "hello", "off", "away", "back", "over", "down", "bye",
                                "him", "her", "them", "his", "a", "the", "it", "from", "through"}:
        return False
    return _noun_only(sentence, start, end)


def _drinking_glasses(sentence: Sentence, start: int, end: int) -> bool:
    """Glasses to drink from, not the ones worn ("his glasses", "takes off her glasses")."""
    if _previous(sentence, start) in {"his", "her", "their", "my", "your", "reading", "dark", "thick", "rimmed",
                                      "wearing", "wears", "wear", "in", "with", "horn"}:
        return False
    return _next(sentence, end) not in {"on", "off", "up"}


def _person_hangs(sentence: Sentence, start: int, end: int) -> bool:
    """A person hanging from something ("Jack hangs from the railing"), not a chandelier or a coat."""
    return _person_acts(sentence, start)


def _always_no(sentence: Sentence, start: int, end: int) -> bool:
    return False


GUARDS: dict[str, GuardFn] = {
    "noun": _noun_only,
    "determiner": _after_determiner,
    "object_noun": _object_noun,
    "flame": _flame,
    "smoke": _smoke_effect,
    "fall": _stunt_fall,
    "jump": _stunt_jump,
    "fight": _stunt_fight,
    "crash": _stunt_crash,
    "punch": _stunt_punch,
    "kick": _stunt_kick,
    "struggle": _stunt_struggle,
    "choke": _stunt_choke,
    "shove": _stunt_shove,
    "chase": _stunt_chase,
    "dive": _stunt_dive,
    "explosion": _explosion,
    "blood": _blood,
    "storm": _weather_storm,
    "wind": _wind,
    "guard": _crowd_guard,
    "score": _music_score,
    "knock": _sound_knock,
    "present": _present_gift,
    "swim": _swim,
    "never": _always_no,
    "person_hangs": _person_hangs,
    "camera_prop": _camera_prop,
    "key": _key,
    "explosive": _explosive,
    "wound": _wound,
    "pale": _pale,
    "stab": _stab,
    "slap": _slap,
    "figurative": _not_figurative,
    "thrown": _thrown,
    "sing": _sing,
    "bark": _bark,
    "drown": _drown,
    "waves": _waves,
    "drinking_glasses": _drinking_glasses,
    "dish": _dish,
    "mail": _mail,
}
