"""Who is in a scene: the speakers, characters introduced in CAPS in the action ("EDWARD BLOOM (60s)", "a
FIREFIGHTER opens the door"), and named characters the action shows doing something ("Jack helps her up").

A CAPS run is read like a noun phrase: determiners and leading verbs are dropped, it is cut at its first
preposition ("MEN IN SUITS" → "MEN") and before a trailing verb ("A MAN WANDERS" → "MAN"), and its head word is
looked up in an English dictionary with parts of speech (LemmInflect's lemma tables, shipped inside the PyPI
package). A word the dictionary does not know is a name; a person noun ("FIREFIGHTER", "STEWARDESS") is a bit
part, or extras when plural ("ARMED GUARDS"); anything else is not a person: camera directions ("HOLD ON",
"TOWARDS CAMERA"), sounds ("WHIRRING", "DRUM ROLL"), objects and animals ("GLOVE COMPARTMENT", "MASSIVE LION").
A dictionary word stands as a name only when the script introduces it as one ("ROSE, the woman Jack
resuscitated", "WILL (30s)").
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache

from lemminflect import getAllLemmas  # type: ignore[import-untyped]

from cortexreel.analysis import lexicon
from cortexreel.analysis.rules_text import WORD_RE, Sentence, fold, quote_of
from cortexreel.domain.scenes import Scene

_CAPS_RUN_RE = re.compile(r"(?<![A-Za-z'])[A-Z][A-Z0-9'\u2019.\-]*(?:[ ]+[A-Z][A-Z0-9'\u2019.\-]*)*(?![a-z])")
_AGE_RE = re.compile(r"\s*\(\s*(?:(?:early|mid|late)[ -])?(\d{1,2})\s*(s|'s)?\s*(?:years? old|yo)?\s*\)")
_TEEN_RE = re.compile(r"\s*\(\s*(?:early|mid|late)?[ -]?teens?\s*\)", re.IGNORECASE)
_AGE_WORDS_RE = re.compile(r"^,?\s*(?:\d{1,2}|early|mid|late)[- ]?(?:\d0)?'?s?\b|^,?\s*\d{1,2}\s*(?:years?|yo)\b")
_APPOSITIVE_RE = re.compile(
    r"^\s*(?:,|\u2014|--)\s*(?:(?:the|a|an|our|his|her|their|who|now|[a-z]+ly)\b|\d{1,2}(?:'?s)?\b(?![-\w]))"
)
_DETERMINERS = frozenset(
    {
        "a",
        "an",
        "the",
        "some",
        "his",
        "her",
        "their",
        "its",
        "two",
        "three",
        "four",
        "five",
        "several",
        "many",
        "few",
        "other",
        "another",
        "this",
        "that",
        "these",
        "those",
        "our",
        "my",
        "your",
        "more",
        "dozens",
        "dozen",
        "half",
        "all",
    }
)
# Words a CAPS run is cut at: what follows is a place or an object, or the run is a direction ("HOLD ON").
_CUT_WORDS = frozenset(
    {
        "of",
        "in",
        "into",
        "on",
        "onto",
        "at",
        "from",
        "with",
        "without",
        "to",
        "towards",
        "toward",
        "up",
        "down",
        "out",
        "off",
        "over",
        "through",
        "behind",
        "around",
        "away",
        "back",
        "open",
        "right",
        "left",
        "by",
        "near",
        "under",
        "across",
        "along",
        "past",
        "and",
        "or",
        "as",
        "for",
        "then",
        "while",
        "is",
        "are",
        "was",
        "still",
    }
)
# Role words that make a role of their own: "YOUNG EDWARD" is not "EDWARD".
_AGE_TITLES = frozenset({"young", "old", "little", "adult", "grown", "grown-up", "baby", "teenage", "older", "younger"})
_GROUP_NOUNS = frozenset(
    {
        "crowd",
        "mob",
        "audience",
        "band",
        "team",
        "crew",
        "gang",
        "family",
        "couple",
        "congregation",
        "jury",
        "army",
        "platoon",
        "squad",
        "orchestra",
        "choir",
        "people",
        "townsfolk",
        "townspeople",
        "folk",
        "folks",
        "police",
        "staff",
        "class",
        "group",
        "everyone",
        "everybody",
        "children",
        "kids",
        "press",
    }
)
# Words that, capitalised mid-sentence, are not people: languages, days, months, holidays, faith words.
_NOT_NAMES = frozenset(
    {
        "i",
        "god",
        "lord",
        "jesus",
        "christ",
        "english",
        "french",
        "german",
        "spanish",
        "polish",
        "korean",
        "chinese",
        "japanese",
        "swedish",
        "italian",
        "russian",
        "american",
        "british",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "christmas",
        "easter",
        "halloween",
        "ok",
        "okay",
        "fbi",
        "cia",
        "tv",
        "we",
        "he",
        "she",
        "they",
        "it",
        "you",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "age",
        "aged",
        "tm",
        "re",
        "ii",
        "iii",
        "iv",
        "vs",
        "etc",
    }
)
_TITLES = frozenset(lexicon.NAME_TITLES) | {
    "special",
    "chief",
    "mister",
    "madam",
    "auntie",
    "sister",
    "brother",
    "father",
    "mother",
    "saint",
}
_BEING_VERBS = frozenset(
    {
        "is",
        "was",
        "has",
        "had",
        "does",
        "did",
        "can",
        "could",
        "will",
        "would",
        "may",
        "might",
        "must",
        "should",
        "seems",
        "stays",
        "remains",
    }
)


_ELEMENT_LEXICONS = (
    lexicon.PROPS,
    lexicon.SET_DRESSING,
    lexicon.VEHICLES,
    lexicon.WEAPONS,
    lexicon.ANIMALS,
    lexicon.WARDROBE,
    lexicon.MAKEUP,
    lexicon.SFX,
    lexicon.VFX,
    lexicon.SOUNDS,
    lexicon.MUSIC,
)
_LEXICON_PHRASES: frozenset[tuple[str, ...]] = frozenset(
    tuple(fold(word) for word in re.findall(r"[A-Za-z]+", phrase))
    for table in _ELEMENT_LEXICONS
    for name, phrases in table.items()
    for phrase in (name, *phrases)
)
# Single words that name an object, vehicle, animal or effect, never a person ("LION", "OLDSMOBILE").
_LEXICON_WORDS: frozenset[str] = frozenset(phrase[0] for phrase in _LEXICON_PHRASES if len(phrase) == 1) - {
    "guard",
    "nurse",
    "monk",
    "nun",
    "priest",
    "maid",
    "butler",
    "servant",
}


@dataclass
class CastMember:
    name: str
    speaks: bool
    age: int | None = None
    teen: bool = False
    evidence: str = ""  # the first line the character speaks, or the sentence that shows them
    introduced_as: str = ""  # the name the action gave them, when the script's cue for them differs


@dataclass
class SceneCast:
    members: list[CastMember]
    extras: dict[str, str]  # background groups, each with the sentence that shows it


@cache
def word_classes(word: str) -> frozenset[str]:
    """Parts of speech an English dictionary gives a word ("NOUN", "VERB", "ADJ" …); empty for a name."""
    return frozenset(getAllLemmas(word.lower()))


@cache
def singular(word: str) -> str:
    lower = word.lower()
    lemmas = getAllLemmas(lower).get("NOUN")
    if lemmas:
        return str(lemmas[0])
    if lower.endswith("s") and not lower.endswith("ss") and lower[:-1] in lexicon.PERSON_NOUNS:
        return lower[:-1]  # "cops": the dictionary lacks the plural of a slang word
    return fold(lower)


def is_plural(word: str) -> bool:
    lower = word.lower()
    return singular(lower) != lower and lower not in ("people", "police", "crew", "staff")


def is_person_noun(word: str) -> bool:
    """A noun for a person: "firefighter", "stewardess", "crewmen", "well-wisher", "firebreathers"."""
    base = singular(word.lower().replace("\u2019", "'"))
    last = base.split("-")[-1]
    if base in lexicon.PERSON_NOUNS or last in lexicon.PERSON_NOUNS:
        return True
    if base.endswith(("man", "woman")) and len(base) > 5 and "NOUN" in word_classes(base):
        return True
    if base.endswith(("ist", "ian")) and len(base) > 5 and "NOUN" in word_classes(base):
        return True
    # Agent nouns the dictionary lacks: "firebreather", "wisher".
    return base.endswith(("er", "or")) and len(last) > 5 and not word_classes(last) and last[:-2].isalpha()


def is_name_word(word: str) -> bool:
    """A word no dictionary lists: a name ("SAYID", "Nankervis")."""
    lower = word.lower().strip(".'\u2019")
    if not lower.isalpha() or len(lower) < 2 or lower in _NOT_NAMES or lower in lexicon.CAPS_STOP_WORDS:
        return False
    return not word_classes(lower) and fold(lower) not in _LEXICON_WORDS and lower not in lexicon.PERSON_NOUNS


def _is_verb_form(word: str) -> bool:
    lower = word.lower()
    classes = word_classes(lower)
    if "VERB" not in classes:
        return False
    return lower.endswith(("s", "ed", "ing")) and not lower.endswith("ss") or lower in _BEING_VERBS


def find_cast(scene: Scene, action: list[Sentence], script_cast: Collection[str] = ()) -> SceneCast:
    """Speakers first (in order of first line), then characters introduced or shown in the action, and the
    script's known characters (`script_cast`) the action names."""
    known = KnownNames.of(script_cast)
    first_lines: dict[str, str] = {}
    for element in scene.elements:
        if element.type == "dialogue" and element.character and element.character not in first_lines:
            first_lines[element.character] = f"{element.character}: {' '.join(element.text.split())}"
    members = [CastMember(name=name, speaks=True, evidence=first_lines[name]) for name in scene.characters]
    extras: dict[str, str] = {}
    for sentence in action:
        if sentence.source != "action":
            continue
        text = sentence.text
        letters = [char for char in text if char.isalpha()]
        if letters and all(char.isupper() for char in letters):
            continue  # a line all in caps is a shot, super or sound, not an introduction
        if _about_a_picture(sentence):
            continue  # "a school photo of the BOY", "On the slide projector ... CHARLES MANSON"
        quote = quote_of(sentence)
        found: list[str] = []
        for match in _CAPS_RUN_RE.finditer(text):
            _read_caps_run(members, found, text, match, quote)
        for group in found:
            extras.setdefault(group, quote)
        for name in [*shown_names(sentence), *known.named_in(sentence)]:
            if _known(members, name) is None:
                members.append(CastMember(name=name, speaks=False, evidence=quote))
    return SceneCast(_as_the_script_names_them(members, script_cast), extras)


def _as_the_script_names_them(members: list[CastMember], script_cast: Collection[str]) -> list[CastMember]:
    """A character introduced by a longer or shorter name than the script's cue for them ("EDWARD BLOOM (60s)" for
    EDWARD) is listed under the cue, when exactly one cue shares a name word and the same age title."""
    named: list[CastMember] = []
    for member in members:
        if not member.speaks and member.name not in script_cast:
            words, ages = _name_words(member.name), _age_titles(member.name)
            matches = [cue for cue in script_cast if _age_titles(cue) == ages and words & _name_words(cue)]
            if len(matches) == 1:
                if any(other.name == matches[0] for other in named):
                    continue
                member.introduced_as, member.name = member.name, matches[0]
        named.append(member)
    return named


def _age_titles(name: str) -> set[str]:
    return {word for word in name.lower().split() if word in _AGE_TITLES}


@dataclass(frozen=True)
class KnownNames:
    """The script's characters as the action writes them: a full name in capitals ("Uncle Vernon", "LADY BIRD"), or
    a word of the name no dictionary lists ("Vernon", "Josephine") when it names only one of them."""

    full: dict[tuple[str, ...], str]
    distinctive: dict[str, str]

    @classmethod
    def of(cls, names: Collection[str]) -> KnownNames:
        full: dict[tuple[str, ...], str] = {}
        owners: dict[str, set[str]] = {}
        for name in names:
            words = tuple(word.upper() for word in WORD_RE.findall(name))
            if not words or any(word in _VOICE_WORDS for word in words) or _group(words[-1]):
                continue  # a voice, or a group that speaks as one ("THE CROWD", "EVERYONE")
            full[words] = name
            for word in words:
                if all(is_name_word(part) for part in word.split("-")) and word.lower() not in _TITLES:
                    owners.setdefault(word, set()).add(name)
        distinctive = {word: next(iter(found)) for word, found in owners.items() if len(found) == 1}
        return cls(full, distinctive)

    def named_in(self, sentence: Sentence) -> list[str]:
        if not self.full or len(sentence.words) < 3:
            return []  # a line of two words is a caption or a note's text ("Jacob Billups"), not action
        found: list[str] = []
        words = [word.removesuffix("'s").removesuffix("\u2019s") for word in sentence.words]
        upper = [word.upper() for word in words]
        lower = sentence.lower
        i = 0
        while i < len(words):
            name, length = self._match(words, upper, i)
            end = i + max(length, 1)
            mentioned = i > 0 and lower[i - 1] in _MENTION_WORDS  # "thinks of Jack", "a photo of Olive"
            if _clause_about_someone_else(lower, i, end):
                mentioned = True
            owned = words[end - 1] != sentence.words[end - 1]  # "Amy's voice" is a mention, "Will's shoulder" not
            if owned and (end >= len(lower) or lower[end] not in _BODY_WORDS):
                mentioned = True
            if name is not None and name not in found and not mentioned:
                found.append(name)
            i += max(length, 1)
        return found

    def _match(self, words: list[str], upper: list[str], i: int) -> tuple[str | None, int]:
        if not words[i][:1].isupper():
            return None, 1
        for length in (3, 2, 1):
            if i + length > len(words):
                continue
            name = self.full.get(tuple(upper[i : i + length]))
            if name is None or not all(word[:1].isupper() for word in words[i : i + length]):
                continue
            if length == 1 and i == 0 and not is_name_word(words[0]) and not _acts(words, 1):
                return None, 1  # "Will you..." at the start of a sentence; "Will watches" is the name
            if length == 1 and is_person_noun(words[i]) and not words[i].isupper():
                return None, 1  # a role cue ("COP") is a common noun in mixed case ("Cop shows have guns")
            return name, length
        name = self.distinctive.get(upper[i])
        return (name, 1) if name is not None else (None, 1)


def _clause_about_someone_else(lower: list[str], start: int, end: int) -> bool:
    """ "the woman Jack resuscitated", "the girl Will loves": a name inside a clause that describes another person
    ("his son Walt", "an assistant, Michael" name the person themselves)."""
    if start < 2 or lower[start - 2] not in _DETERMINERS or not is_person_noun(lower[start - 1]):
        return False
    following = lower[end] if end < len(lower) else ""
    return following.endswith("ed") or (following.endswith("s") and "VERB" in word_classes(following))


def _about_a_picture(sentence: Sentence) -> bool:
    """The sentence shows a picture: a picture word used as a noun ("the screen", "a school photo")."""
    lower = sentence.lower
    for i, word in enumerate(lower):
        if word not in _PICTURE_WORDS:
            continue
        before = lower[i - 1] if i else ""
        if before in _DETERMINERS or before.endswith("'s") or before in {"school", "family", "old", "wedding"}:
            return True
        if i == 0 and lower[1:2] == ["of"]:
            return True  # "Photos of her with Olive."
    return False


def _group(word: str) -> bool:
    lower = word.lower()
    return lower in _GROUP_NOUNS or lower in {"all", "both", "others", "together"} or (
        is_person_noun(lower) and is_plural(lower)
    )


# Words after which a name is talked or thought about, or pictured, rather than there.
_MENTION_WORDS = frozenset({"of", "about", "for", "like", "than", "named", "called", "as", "from", "to", "dear",
                            "call", "calls", "calling", "phones", "texts", "emails", "dials", "trying", "tries"})
# A sentence about a picture shows the people in it on a screen or a page, not on set.
_PICTURE_WORDS = frozenset({"photo", "photos", "photograph", "photographs", "picture", "pictures", "image", "images",
                            "slide", "slides", "poster", "posters", "portrait", "painting", "screen", "tv",
                            "television", "monitor", "projector", "video", "footage", "newspaper", "magazine",
                            "drawing", "billboard", "headline"})
# What a possessive can be of when its owner is there in person ("Will's shoulder", "Rose's hand").
_BODY_WORDS = frozenset({
    "hand", "hands", "arm", "arms", "shoulder", "shoulders", "face", "eyes", "eye", "head", "hair", "back", "lips",
    "mouth", "neck", "chest", "cheek", "cheeks", "fingers", "finger", "feet", "foot", "leg", "legs", "knee", "knees",
    "lap", "body", "side", "wrist", "wrists", "ear", "ears", "forehead", "gaze", "smile", "expression", "skin",
    "belly", "waist", "chin", "nose", "grip", "embrace", "jaw", "brow", "shirt", "coat", "jacket", "dress",
})
# Cue words of voices that are never on screen as themselves.
_VOICE_WORDS = frozenset({"VOICE", "V.O", "NARRATOR", "ANNOUNCER", "RADIO", "TV", "PHONE"})


def _acts(words: list[str], index: int) -> bool:
    """The word at `index` is a verb form or "and": what follows a name at the start of a sentence."""
    if index >= len(words):
        return False
    word = words[index]
    return word == "and" or (word.islower() and _is_verb_form(word))


def _read_caps_run(
    members: list[CastMember], extras: list[str], text: str, match: re.Match[str], quote: str
) -> None:
    if _inside_quotes_or_label(text, match.start()):
        return
    before = text[: match.start()]
    after = text[match.end() :]
    words = match.group(0).replace("\u2019", "'").split()
    if words and len(words[-1]) > 2:
        words[-1] = words[-1].rstrip(".-")
    whole = len(words)
    determined = bool(words) and words[0].lower() in _DETERMINERS
    kind, words = _noun_phrase(words)
    if kind is None or not words:
        return
    trimmed = len(words) != whole
    name = _clean(" ".join(words))
    if not name:
        return
    known = _known(members, name)
    if known is not None:
        _note_age(known, after)
        return
    head = words[-1]
    if head.lower().strip(".'") in _NOT_NAMES:
        return
    previous = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
    introduced = (
        _AGE_RE.match(after) is not None
        or _TEEN_RE.match(after) is not None
        or bool(_APPOSITIVE_RE.match(after) or _AGE_WORDS_RE.match(after) or before.rstrip().endswith("("))
    )
    first = fold(words[0])
    if all(fold(word) in lexicon.SOUND_CAPS_WORDS | lexicon.CAPS_STOP_WORDS for word in words):
        return
    if first in lexicon.SOUND_CAPS_WORDS | lexicon.CAPS_STOP_WORDS and first not in lexicon.NAME_TITLES:
        return
    if is_person_noun(head) and kind == "noun":
        if is_plural(head) or fold(head) in _GROUP_NOUNS:
            extras.append(name.lower())
            return
        if determined or introduced or _determiner_before(before) or _followed_by_verb(after):
            _add(members, name, after, quote)
        return
    if fold(head) in _GROUP_NOUNS:
        extras.append(name.lower())
        return
    named = introduced and previous not in _DETERMINERS and not determined  # "ROSE, the woman Jack saved"
    if not named and (tuple(fold(word) for word in words) in _LEXICON_PHRASES or fold(head) in _LEXICON_WORDS):
        return  # "OLDSMOBILE", "MASSIVE LION": a vehicle, an animal, an object
    acting = not trimmed and _followed_by_verb(after) and not after.split()[0].lower().endswith("ing")
    if not is_name_word(head) and not ((introduced or acting) and previous not in _DETERMINERS):
        return  # a dictionary word is a name only when introduced as one or shown acting ("WILL follows")
    if len(words) == 1 and not introduced and not _followed_by_verb(after) and not after.startswith(("'s", "'S")):
        return  # a lone caps word with no age or description is often emphasis ("He is NOT going")
    _add(members, name, after, quote)


def _determiner_before(before: str) -> bool:
    """A determiner before the run, past any adjectives: "a resolute and snobby-looking GALLERY DIRECTOR"."""
    for word in reversed(before.lower().replace(",", " ").split()[-5:]):
        if word in _DETERMINERS:
            return True
        if word != "and" and not word.endswith(("-looking", "ed", "ing")) and "ADJ" not in word_classes(word):
            return False
    return False


_ABSTRACT_ENDINGS = ("ion", "ness", "ment", "ity", "ance", "ence", "ism", "ship", "hood", "ure", "ing")


def capitalised_objects(sentence: Sentence) -> list[str]:
    """Objects a writer puts in CAPS after a determiner ("a GARDENING HOSE", "his CELL PHONE", "the RUNE STONES"):
    the noun phrase with its head in the singular, unless it names a person, a group, a place, a body part, a
    camera direction, a sound or something abstract."""
    text = sentence.text
    letters = [char for char in text if char.isalpha()]
    if sentence.source != "action" or not letters or all(char.isupper() for char in letters):
        return []
    found: list[str] = []
    for match in _CAPS_RUN_RE.finditer(text):
        before = text[: match.start()].rstrip().rsplit(None, 1)
        previous = before[-1].lower() if before else ""
        if not (previous.endswith(("'s", "\u2019s")) or _determiner_before(text[: match.start()])):
            continue
        _, words = _noun_phrase(match.group(0).replace("\u2019", "'").split())
        words = [word.strip(".,;:!?'-") for word in words if word.strip(".,;:!?'-")]
        if not words or not all(word.isalpha() or "-" in word for word in words):
            continue
        head = singular(words[-1].lower())
        if _not_an_object(head) or any(fold(word) in _NOT_OBJECT_WORDS for word in words):
            continue
        found.append(" ".join([*(word.lower() for word in words[-3:-1]), head]))
    return found


_NOT_OBJECT_WORDS = lexicon.SOUND_CAPS_WORDS | lexicon.CAPS_STOP_WORDS


def _not_an_object(head: str) -> bool:
    return (
        len(head) < 3
        or "NOUN" not in word_classes(head)
        or head in lexicon.NOT_PROPS
        or head in lexicon.PLACE_WORDS
        or head in _GROUP_NOUNS
        or is_person_noun(head)
        or head.endswith(_ABSTRACT_ENDINGS)
    )


def _noun_phrase(words: list[str]) -> tuple[str | None, list[str]]:
    """Trim a CAPS run to the noun phrase that could name a person; None when it is not a noun phrase."""
    while words and words[0].lower().strip(".") in _DETERMINERS:
        words = words[1:]
    if not words:
        return None, []
    cut = next((i for i, word in enumerate(words) if word.lower().strip(".,") in _CUT_WORDS), len(words))
    words = words[:cut]
    # Leading verbs and adjectives-from-verbs ("PULLING RON", "DRAWING BLOOD") are action, not part of a name.
    while len(words) > 1 and _verb_only(words[0]) and words[0].lower().endswith("ing"):
        words = words[1:]
    if len(words) >= 2 and _is_verb_form(words[-1]) and words[-1].lower().endswith("s") and not is_name_word(words[-1]):
        words = words[:-1]  # "A MAN WANDERS" → "MAN"
    if not words:
        return None, []
    head = words[-1].lower().strip(".'")
    if head.endswith("ing") and "NOUN" not in word_classes(head) and not is_name_word(head):
        return None, []  # "WHIRRING", "BREATHING"
    if "VERB" in word_classes(head) and "NOUN" not in word_classes(head) and not is_name_word(head):
        return None, []  # "HUFFS", "CAN'T BREATHE"
    if "." in "".join(words[:-1] + [words[-1].rstrip(".")]) and not all(
        word.lower().rstrip(".") in _TITLES or "." not in word for word in words
    ):
        return None, []  # "I.V", "A.M."
    return "noun", words


def _verb_only(word: str) -> bool:
    lower = word.lower()
    classes = word_classes(lower)
    return "VERB" in classes and "NOUN" not in classes and lower not in _TITLES


def _clean(name: str) -> str:
    if name.endswith("'S"):
        name = name[:-2]
    name = name.strip(".-' ")
    return name if len(name.replace(".", "")) >= 2 else ""


def _inside_quotes_or_label(text: str, position: int) -> bool:
    before = text[:position]
    if before.count('"') % 2 == 1 or before.count("\u201c") > before.count("\u201d"):
        return True
    return before.rstrip().endswith(":")


def _followed_by_verb(after: str) -> bool:
    words = after.split()
    if not words:
        return False
    first = words[0].strip(".,;!?")
    if first.islower() and first.endswith("ly") and len(words) > 1:
        first = words[1].strip(".,;!?")
    if not first.islower() and not first.isupper():
        return False
    return _is_verb_form(first) or first.lower() in {"and"}


_NAME_WORD = r"[A-Z][a-z]+(?:[-'\u2019][A-Za-z]+)*"
_NAME_RUN_RE = re.compile(rf"(?<![\w'\u2019]){_NAME_WORD}(?: {_NAME_WORD})*")
_CONJUNCTIONS = frozenset(
    {
        "while",
        "as",
        "when",
        "after",
        "before",
        "then",
        "if",
        "once",
        "until",
        "because",
        "though",
        "although",
        "since",
        "now",
        "suddenly",
        "meanwhile",
        "finally",
        "later",
    }
)
_NEXT_WORD_RE = re.compile(r"\s*([A-Za-z]+)")


def shown_names(sentence: Sentence) -> list[str]:
    """Named characters the sentence shows doing something: "Jack helps her", "Shannon and Boone head off",
    "Uncle Vernon picks up the letter". A capitalised word counts when it is a name (no dictionary lists it) or
    stands mid-sentence, and it is the subject of a verb."""
    text = sentence.text
    names: list[str] = []
    group: list[str] = []
    skipped_before = False
    for match in _NAME_RUN_RE.finditer(text):
        parts = match.group(0).split()
        before = text[: match.start()]
        after = text[match.end() :]
        at_start = not before.strip(" \"'\u201c(-\u2014")
        previous = before.rstrip().rsplit(None, 1)[-1].lower() if before.strip() else ""
        chained = previous == "and" and skipped_before
        skipped_before = True
        while parts and (
            parts[0].lower() in _CONJUNCTIONS
            or parts[0].lower() in lexicon.CAPS_STOP_WORDS
            and parts[0].lower() not in _TITLES
            or len(parts) > 1
            and _is_verb_form(parts[0])
        ):
            parts = parts[1:]
            at_start = True
        if (
            not parts
            or chained
            or previous in _DETERMINERS
            or previous in _MENTION_WORDS
            or any(part.lower() in _NOT_NAMES for part in parts)
            or parts[-1].endswith(("'s", "\u2019s"))
            or after.startswith(("'s", "\u2019s"))
        ):
            group = []
            continue
        if not any(is_name_word(part) for part in parts) and (
            at_start or all(part.lower() in _TITLES for part in parts)
        ):
            group = []
            continue
        if any(fold(part) in _LEXICON_WORDS for part in parts[-1:]):
            group = []
            continue
        skipped_before = False
        group.append(" ".join(part.upper() for part in parts))
        following = _NEXT_WORD_RE.match(after)
        word = following.group(1) if following else ""
        if word == "and" and _NAME_RUN_RE.match(after[following.end() :].lstrip() if following else ""):
            continue
        if word.endswith("ly") and following is not None:
            second = _NEXT_WORD_RE.match(after[following.end() :])
            word = second.group(1) if second else ""
        plural_verb = len(group) > 1 and "VERB" in word_classes(word.lower())
        clause = before.lower().replace(",", " ").split()[-2:] + [word.lower()]
        if len(clause) == 3 and _clause_about_someone_else(clause, 2, 2):
            group = []
            continue  # "ROSE, the woman Jack resuscitated"
        if word and (word.islower() or word.isupper()) and (_is_verb_form(word) or plural_verb):
            names.extend(group)
        group = []
    return names


def _name_words(name: str) -> set[str]:
    """The words that identify a person: not titles, person nouns or adjectives ("TOUPEED MAN" → "TOUPEED")."""
    words = {word for word in re.split(r"[^A-Z0-9]+", name.upper()) if word}
    return {
        word
        for word in words
        if word.lower() not in _TITLES and not is_person_noun(word) and word_classes(word.lower()) != frozenset({"ADJ"})
    }


def _known(members: list[CastMember], name: str) -> CastMember | None:
    """The member `name` refers to: the same name, or a shared name word ("HOLDEN FORD" is "HOLDEN") unless an
    age title makes a role of its own ("YOUNG EDWARD" is not "EDWARD")."""
    words = _name_words(name)
    ages = {word for word in name.lower().split() if word in _AGE_TITLES}
    for member in members:
        if member.name.upper() == name.upper():
            return member
    for member in members:
        member_ages = {word for word in member.name.lower().split() if word in _AGE_TITLES}
        if ages == member_ages and words & _name_words(member.name):
            return member
    return None


def _add(members: list[CastMember], name: str, after: str, quote: str) -> None:
    member = CastMember(name=name, speaks=False, evidence=quote)
    members.append(member)
    _note_age(member, after)


def _note_age(member: CastMember, after: str) -> None:
    age_match = _AGE_RE.match(after)
    if age_match is not None and age_match.group(2) is None:
        member.age = int(age_match.group(1))
    member.teen = member.teen or _TEEN_RE.match(after) is not None
