"""One name per person and per place in a script's totals.

People: a cue that is a single word of exactly one longer name (NORTHER and NORTHER WINSLOW, BENNETT and
DR. BENNETT) is that person; the form with the most scenes names them and the others are kept as aliases. A name
with an age title is a role of its own, linked to the person it is an age of (YOUNG EDWARD → EDWARD). Generic
roles (NURSE, GIRL) and voices are never merged: two of them need not be the same person.

Places: headings write one place several ways ("BIG TOP", "BIG - TOP", "BIG-TOP", "THE BIG TOP", "BIG TOP -
NIGHT"); they are one location, named by its first clean form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from cortexreel.domain.continuity import named_time

AGE_TITLES = frozenset({"YOUNG", "YOUNGER", "OLD", "OLDER", "LITTLE", "ADULT", "GROWN-UP", "GROWN", "TEEN",
                        "TEENAGE", "BABY", "KID", "CHILD", "ELDERLY", "MIDDLE-AGED"})
# Role words that name no one in particular: "NURSE" and "HEAVYSET NURSE" may be two people.
GENERIC_ROLES = frozenset({
    "MAN", "WOMAN", "BOY", "GIRL", "KID", "CHILD", "LADY", "GUY", "PERSON", "VOICE", "NURSE", "DOCTOR", "GUARD",
    "OFFICER", "COP", "SOLDIER", "WAITER", "WAITRESS", "DRIVER", "CLERK", "STUDENT", "TEACHER", "FATHER", "MOTHER",
    "SON", "DAUGHTER", "WIFE", "HUSBAND", "BROTHER", "SISTER", "FRIEND", "STRANGER", "CROWD", "NEIGHBOR",
    "NEIGHBOUR", "JUDGE", "PRINCIPAL", "CASHIER", "ATTENDANT", "STEWARDESS", "CLOWN", "EMCEE", "MAYOR", "PRIEST",
    "AGENT", "REPORTER", "ANNOUNCER", "NARRATOR", "OPERATOR", "BARTENDER", "CAPTAIN", "SERGEANT",
})
_TITLE_WORDS = frozenset({"MR", "MRS", "MS", "MISS", "DR", "SIR", "LADY", "LORD", "AUNT", "UNCLE", "FATHER",
                          "SISTER", "BROTHER", "CAPTAIN", "AGENT", "DETECTIVE", "OFFICER", "PROFESSOR"})
_SHOT_WORDS = ("VARIOUS SHOTS", "VARIOUS LOCATIONS", "SERIES OF SHOTS", "MONTAGE", "CONTINUOUS", "LATER", "SAME",
               "INTERCUT", "FLASHBACK", "MOMENTS LATER", "PRE")


def name_words(name: str) -> list[str]:
    return [word for word in re.split(r"[^A-Z0-9'-]+", name.upper().replace("\u2019", "'")) if word]


def age_of(name: str) -> tuple[set[str], str]:
    """The age titles of a name and the name without them: "YOUNG DR. BENNETT" → ({"YOUNG"}, "DR BENNETT")."""
    words = name_words(name)
    ages = {word for word in words if word in AGE_TITLES}
    return ages, " ".join(word for word in words if word not in AGE_TITLES)


def same_person(short: str, long: str) -> bool:
    """`short` is a single name word of `long` ("NORTHER" of "NORTHER WINSLOW"), not a generic role."""
    short_words, long_words = name_words(short), name_words(long)
    if len(short_words) != 1 or len(long_words) < 2 or short_words[0] in GENERIC_ROLES:
        return False
    if {"AND", "&", "/"} & set(long_words) or "/" in long:
        return False  # a cue for two people ("EDWARD AND WILL")
    if short_words[0] in _TITLE_WORDS or age_of(long)[0] or age_of(short)[0]:
        return False
    return short_words[0] in long_words


def person_groups(names: Sequence[str]) -> dict[str, str]:
    """Each name to the name it is an alias of (itself when it is nobody else's): a single word of exactly one
    longer name joins it."""
    groups = {name: name for name in names}
    for short in names:
        longer = [long for long in names if long != short and same_person(short, long)]
        if len(longer) == 1:
            groups[short] = longer[0]
    return groups


def role_of(name: str, names: Sequence[str]) -> str | None:
    """The person an age role is an age of: YOUNG EDWARD → EDWARD, when EDWARD is in `names`."""
    ages, rest = age_of(name)
    if not ages or not rest or rest in GENERIC_ROLES:
        return None  # OLD WOMAN is no age of WOMAN
    for other in names:
        if other != name and " ".join(name_words(other)) == rest:
            return other
    return None


def clean_location(location: str) -> str:
    """A location without what a heading adds to it: a time of day, a shot or continuity note, a [bracketed] note,
    a leading article: "THE BIG TOP - NIGHT" → "BIG TOP"."""
    text = re.sub(r"\[[^\]]*\]", " ", location).strip()
    parts = [part.strip() for part in re.split(r"\s+[-\u2013\u2014]+\s+|\s+--\s*", text) if part.strip()]
    while len(parts) > 1 and (named_time(parts[-1]) or parts[-1].upper().strip(". ") in _SHOT_WORDS):
        parts.pop()
    text = " - ".join(parts) if parts else text
    return re.sub(r"^(?:THE|A|AN)\s+", "", text, flags=re.IGNORECASE).strip() or location.strip()


def location_key(location: str) -> str:
    """What two spellings of one place share: "BIG TOP", "BIG - TOP" and "Big-Top" are all "BIGTOP"."""
    return re.sub(r"[^0-9A-Z\u00c0-\u024f]", "", clean_location(location).upper())
