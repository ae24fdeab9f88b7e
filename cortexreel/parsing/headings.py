"""Scene headings, character cues and page eighths: the screenplay conventions every parser shares.

Headings are recognised in English, Polish, French, German and Spanish forms, with optional scene
numbers on either side ("12. INT. SALON - JOUR", "12A INT. HOUSE - DAY 12A", "1- CHALET – INT/JOUR").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from cortexreel.domain.base import Setting

HeadingKind = Literal["scene", "shot"]

LINES_PER_PAGE = 55

_DASH_CHARS = "\u2013\u2014-"
_DASH = f"[{_DASH_CHARS}]"
# A scene number as shooting scripts print them: "12", "12A", "A12", "12AA", "A12B", "86C2", "130Q17";
# optionally followed by "." and wrapped in revision asterisks.
SCENE_NUMBER = r"[A-Z]?\d{1,4}(?:[A-Z]{1,3}\d{0,3})?"
SCENE_NUMBER_RE = re.compile(rf"^\*?({SCENE_NUMBER})\.?\*?$")
_LEADING_NUMBER_RE = re.compile(rf"^({SCENE_NUMBER})\s*(?:[.):]|{_DASH})?\s+")
_TRAILING_NUMBER_RE = re.compile(rf"\s+({SCENE_NUMBER})\.?$")
_TITLE_ABBREVIATION_RE = re.compile(r"\b(?:MR|MRS|MS|DR|JR|SR|ST|NO)\.$")
_FOUNTAIN_NUMBER_RE = re.compile(r"\s*#([\w.\-]+)#\s*$")
_WIDE_GAP_RE = re.compile(r"(?<=\S)\s{3,}(?=\S)")

# Setting tokens, longest first so "INT./EXT." wins over "INT.".
_SETTING_WORDS: list[tuple[str, Setting]] = [
    (r"INT\.?\s*/\s*EXT", "INT/EXT"),
    (r"EXT\.?\s*/\s*INT", "INT/EXT"),
    (r"INT\.?\s*-\s*EXT", "INT/EXT"),
    (r"I\s*/\s*E", "INT/EXT"),
    (r"E\s*/\s*I", "INT/EXT"),
    (r"INNEN\s*/\s*AU(?:SS|\u00df|\u1e9e)EN", "INT/EXT"),
    (r"AU(?:SS|\u00df|\u1e9e)EN\s*/\s*INNEN", "INT/EXT"),
    (r"WN\.?\s*/\s*ZN", "INT/EXT"),
    (r"ZN\.?\s*/\s*WN", "INT/EXT"),
    (r"INTERIOR", "INT"),
    (r"EXTERIOR", "EXT"),
    (r"INNEN", "INT"),
    (r"AU(?:SS|\u00df|\u1e9e)EN", "EXT"),
    (r"PLENER", "EXT"),
    (r"PL", "EXT"),
    (r"INT", "INT"),
    (r"EXT", "EXT"),
    (r"EST", "EXT"),
    (r"WN", "INT"),
    (r"ZN", "EXT"),
]
_SETTING_ALTERNATION = "|".join(f"(?:{pattern})" for pattern, _ in _SETTING_WORDS)
# The setting must be followed by a period, a space, a slash or a dash: "INTERIOR DESIGN" is no heading.
_SETTING_PREFIX_RE = re.compile(
    rf"^(?P<setting>{_SETTING_ALTERNATION})(?:\.\s*|:\s*|\s+|(?=/)|(?={_DASH}))(?:{_DASH}\s*)?", re.IGNORECASE
)
_SETTING_ONLY_RE = re.compile(rf"^(?:{_SETTING_ALTERNATION})\.?$", re.IGNORECASE)
_SETTING_TIME_RE = re.compile(
    rf"^(?P<setting>{_SETTING_ALTERNATION})\.?\s*[/.]\s*(?P<time>.+)$", re.IGNORECASE
)

_TIME_WORDS = {
    # English
    "DAY", "NIGHT", "MORNING", "AFTERNOON", "EVENING", "DAWN", "DUSK", "SUNSET", "SUNRISE", "NOON",
    "MIDNIGHT", "CONTINUOUS", "CONT", "LATER", "SAME", "MOMENTS", "MOMENT", "MAGIC", "TWILIGHT",
    "DAYBREAK", "NIGHTFALL", "LATE", "EARLY", "PRE-DAWN", "CONTINUING", "SIMULTANEOUS",
    # Polish
    "DZIE\u0143", "DZIEN", "NOC", "\u015aWIT", "SWIT", "ZMIERZCH", "WIECZ\u00d3R", "WIECZOR", "RANO",
    "PO\u0141UDNIE", "POPO\u0141UDNIE", "P\u00d3\u0141NOC",
    # French
    "JOUR", "NUIT", "AUBE", "SOIR", "MATIN", "CR\u00c9PUSCULE", "CREPUSCULE", "SOIR\u00c9E", "MIDI",
    "APR\u00c8S-MIDI", "PLUS", "TARD",
    # German
    "TAG", "NACHT", "ABEND", "MORGEN", "D\u00c4MMERUNG", "MITTAG", "NACHMITTAG",
    # Spanish
    "D\u00cdA", "DIA", "NOCHE", "TARDE", "MA\u00d1ANA", "AMANECER", "ATARDECER", "MADRUGADA", "CONTINUO",
}

_SHOT_PREFIX_RE = re.compile(
    r"^(?:EXTREME\s+CLOSE[\s-]?UP|EXTREME\s+CLOSE\s+ON|CLOSE[\s-]?UP|CLOSEUP|CLOSE\s+ON|CLOSE\s+SHOT|"
    r"ANGLE\s+ON|NEW\s+ANGLE|ANOTHER\s+ANGLE|REVERSE\s+ANGLE|WIDE\s+ON|WIDE\s+SHOT|WIDER\s+ANGLE|TIGHT\s+ON|"
    r"INSERT|POV|BACK\s+TO\s+SCENE|ESTABLISHING(?:\s+SHOT)?|AERIAL(?:\s+SHOT)?|TRACKING\s+SHOT|TWO\s+SHOT|"
    r"ECU|MCU|OVER\s+THE\s+SHOULDER|UNDERWATER\s+SHOT|P\.O\.V\.)\b"
)
_SHOT_SUFFIX_RE = re.compile(r"(?:\bPOV|\bP\.O\.V\.?)$")

_EXTENSION_RE = re.compile(r"\(([^()]*)\)")
_TRANSITION_RE = re.compile(
    r"^(?:(?:FADE|CUT|DISSOLVE|SMASH(?:\s+CUT)?|MATCH(?:\s+CUT)?|JUMP\s+CUT|WIPE|IRIS|TIME\s+CUT)\b.*"
    r"\b(?:TO|IN|OUT|BLACK|WHITE)|(?:FADE|CUT|DISSOLVE)\s+TO\s+.*)$"
)
# "HOLDEN." / "ROCKY:" / "HOLDEN. (CONT'D)": the punctuation after the name, before any extension.
_PUNCTUATED_CUE_RE = re.compile(r"(?<=[^\W_])[.:](?=\s*(?:\(|$))")
# Act and part markers print like cues ("END OF COLD OPEN", "ACT TWO") but nobody speaks them.
_ACT_MARKER_RE = re.compile(
    r"^(?:END\s+(?:OF\s+)?)?(?:ACT|PART|TEASER|COLD\s+OPEN|TAG|PROLOGUE?|EPILOGUE?|INTERMISSION|CHAPTER|AKT|"
    r"CZ[EĘ][SŚ][CĆ]|ACTE|PROLOG)\b(?:\s+[\w#]+)?$|^(?:THE\s+)?END$|^KONIEC$|^FIN$"
)
_BARE_CONTD_RE = re.compile(r"\s+(CONT['\u2019]?D|CONTINUED|CONT\.)$", re.IGNORECASE)


@dataclass(frozen=True)
class HeadingParts:
    """A recognised heading, split into its parts; `text` is the heading without scene numbers."""

    text: str
    kind: HeadingKind
    setting: Setting | None
    location: str
    time_of_day: str | None
    label: str | None = None


def _clean(text: str) -> str:
    return " ".join(text.split()).strip("*").strip()


def _normalise_setting(token: str) -> Setting:
    compact = re.sub(r"\s+", "", token.upper())
    for pattern, setting in _SETTING_WORDS:
        if re.fullmatch(pattern.replace(r"\s*", "").replace(r"\s+", ""), compact):
            return setting
    return "INT"


def _is_time(segment: str) -> bool:
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)?", re.sub(r"\(.*?\)", " ", segment).upper())
    return bool(words) and any(word in _TIME_WORDS for word in words) and len(words) <= 5


def _split_time(rest: str) -> tuple[str, str | None]:
    """Split "HOUSE - KITCHEN - NIGHT (1973)" into ("HOUSE - KITCHEN", "NIGHT")."""
    parts = re.split(rf"\s*{_DASH}+\s*(?=\S)", rest) if re.search(rf"\s{_DASH}|{_DASH}\s", rest) else [rest]
    if len(parts) > 1 and _is_time(parts[-1]):
        time = re.sub(r"\s*\(.*?\)\s*", " ", parts[-1]).strip() or parts[-1]
        return " - ".join(p for p in parts[:-1] if p).strip(" ,"), time
    comma = rest.rsplit(",", 1)
    if len(comma) == 2 and _is_time(comma[1]):
        return comma[0].strip(), comma[1].strip()
    return rest.strip(), None


def strip_scene_numbers(text: str) -> tuple[str, str | None]:
    """Remove scene numbers around a heading: "12A INT. HOUSE - DAY 12A" -> ("INT. HOUSE - DAY", "12A")."""
    text = _clean(text)
    label: str | None = None
    fountain = _FOUNTAIN_NUMBER_RE.search(text)
    if fountain:
        return text[: fountain.start()].strip(), fountain.group(1)
    leading = _LEADING_NUMBER_RE.match(text)
    if leading and re.search(r"[^\W\d_]", text[leading.end() :]):
        label = leading.group(1)
        text = text[leading.end() :]
    trailing = _TRAILING_NUMBER_RE.search(text)
    if trailing and (label is None or trailing.group(1) == label):
        candidate = text[: trailing.start()].strip()
        # Keep numbers that belong to the heading ("ROOM 12"); drop those that repeat the left number.
        numbered_room = candidate.upper().endswith("ROOM")
        if label is not None or (_SETTING_PREFIX_RE.match(candidate) and not numbered_room):
            label = trailing.group(1)
            text = candidate
    return text, label


@lru_cache(maxsize=8192)
def parse_heading(text: str, *, forced: bool = False) -> HeadingParts | None:
    """Recognise a scene or shot heading; `forced` accepts any text (Fountain ".HEADING").

    Cached: layout readers ask about the same lines (cues, repeated headers) many times per document,
    and the result is immutable.
    """
    spaced = text.strip()
    if _WIDE_GAP_RE.search(spaced) and not re.search(rf"\s{_DASH}|{_DASH}\s", spaced):
        # "WN.   DOM MARII   NOC": fields set apart by wide gaps instead of dashes.
        fields = parse_heading(_WIDE_GAP_RE.sub(" - ", spaced), forced=forced)
        return replace(fields, text=strip_scene_numbers(text)[0]) if fields is not None else None
    body, label = strip_scene_numbers(text)
    if not body:
        return None
    prefix = _SETTING_PREFIX_RE.match(body)
    if prefix:
        rest = body[prefix.end() :].strip()
        leading_time: str | None = None
        slash_time = re.match(rf"^/\s*([^\s{_DASH_CHARS}]+)\s*(?:{_DASH}+\s*)?", rest)
        if slash_time and _is_time(slash_time.group(1)):  # "INT/JOUR - SALON"
            leading_time, rest = slash_time.group(1), rest[slash_time.end() :]
        location, time = _split_time(rest)
        time = time or leading_time
        if not location and not time:
            return None
        token = prefix.group("setting").upper()
        bare_separator = not re.search(rf"[.{_DASH_CHARS}]", prefix.group(0)[len(token) :])
        if bare_separator and len(token) > 3 and time is None:  # "INTERIOR DESIGN IS HARD" is action
            return None
        return HeadingParts(body, "scene", _normalise_setting(prefix.group("setting")), location, time, label)
    embedded = _parse_embedded_setting(body, label)
    if embedded is not None:
        return embedded
    upper = body == body.upper()
    if upper and len(body) <= 80 and (_SHOT_PREFIX_RE.match(body) or _SHOT_SUFFIX_RE.search(body)):
        location, time = _split_time(body)
        return HeadingParts(body, "shot", None, location, time, label)
    if forced:
        location, time = _split_time(body)
        return HeadingParts(body, "scene", None, location, time, label)
    return None


def _parse_embedded_setting(body: str, label: str | None) -> HeadingParts | None:
    """French/German style with the setting after the place: "CHALET, SALON – INT/JOUR"."""
    parts = [p.strip() for p in re.split(rf"\s*{_DASH}+\s*", body) if p.strip()]
    if len(parts) < 2:
        return None
    for index, part in enumerate(parts):
        setting_time = _SETTING_TIME_RE.match(part)
        if setting_time and _is_time(setting_time.group("time")):
            location = " - ".join(parts[:index] + parts[index + 1 :])
            setting = _normalise_setting(setting_time.group("setting"))
            return HeadingParts(body, "scene", setting, location, setting_time.group("time").strip(), label)
        if _SETTING_ONLY_RE.match(part):
            others = parts[:index] + parts[index + 1 :]
            time = others.pop() if len(others) > 1 and _is_time(others[-1]) else None
            if not others:
                return None
            setting = _normalise_setting(part.rstrip("."))
            return HeadingParts(body, "scene", setting, " - ".join(others), time, label)
    return None


def is_scene_heading(text: str) -> bool:
    """True when the text is a recognisable scene or shot heading."""
    return parse_heading(text) is not None


def has_letters(text: str) -> bool:
    return any(char.isalpha() for char in text)


# Names keep their small letters in capitals: "PROFESSOR McGONAGALL", "MacDONALD", "DeVITO".
_NAME_PREFIX_RE = re.compile(r"\b(?:Mc|Mac|De|Di|Da|La|Le|Van|Von)(?=[A-Z]{2})")


def is_upper(text: str) -> bool:
    """All letters upper case and at least one letter: how cues, headings and transitions are printed."""
    if any(char.islower() for char in text):
        text = _NAME_PREFIX_RE.sub("X", text)
        if any(char.islower() for char in text):
            return False
    return has_letters(text)


@lru_cache(maxsize=8192)
def split_cue(text: str) -> tuple[str, str | None]:
    """Split a cue into name and extension: "EDWARD (V.O.)(CONT'D)" -> ("EDWARD", "V.O., CONT'D"); a period
    or colon printed after the name ("HOLDEN. (CONT'D)") is not part of it."""
    return _split_cue(_PUNCTUATED_CUE_RE.sub("", _clean(text).rstrip("^").strip()))


def _split_cue(text: str) -> tuple[str, str | None]:
    extensions = [match.strip() for match in _EXTENSION_RE.findall(text) if match.strip()]
    name = _EXTENSION_RE.sub(" ", text)
    bare = _BARE_CONTD_RE.search(name)
    if bare:
        extensions.append(bare.group(1))
        name = name[: bare.start()]
    name = " ".join(name.split()).strip(":").strip()
    return name, ", ".join(extensions) if extensions else None


@lru_cache(maxsize=8192)
def is_character_cue(text: str, *, punctuated: bool = False) -> bool:
    """A cue is a short upper-case name, optionally with extensions in parentheses (cached like
    `parse_heading`). `punctuated` accepts the name followed by a period or colon ("HOLDEN.", "ROCKY:"), for
    documents whose layout shows that their cues are printed that way."""
    stripped = _clean(text).rstrip("^").strip()
    if punctuated:
        stripped = _PUNCTUATED_CUE_RE.sub("", stripped)
    if not stripped or stripped.endswith(":") or stripped.startswith("("):
        return False
    name, _ = _split_cue(stripped)
    if not name or not is_upper(name) or len(name) > 40 or len(name.split()) > 6:
        return False
    if name.endswith((".", "!", "?", ",", ";")) and not _TITLE_ABBREVIATION_RE.search(name):
        return False
    if _TRANSITION_RE.match(name) or _ACT_MARKER_RE.match(name):
        return False
    return not SCENE_NUMBER_RE.match(name) and parse_heading(name) is None


def eighths_for_lines(lines: int, lines_per_page: int = LINES_PER_PAGE) -> int:
    """A length in printed lines as eighths of a page, rounded up, at least one eighth."""
    return max(1, math.ceil(lines * 8 / lines_per_page - 1e-9))


def format_eighths(eighths: int) -> str:
    """Write eighths the way breakdowns do: 11 -> "1 3/8", 8 -> "1", 3 -> "3/8"."""
    whole, rest = divmod(eighths, 8)
    if whole and rest:
        return f"{whole} {rest}/8"
    return str(whole) if whole else f"{rest}/8"
