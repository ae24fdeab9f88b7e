"""What a scene takes from the rest of its script. Its characters: every speaker of the script is a known
character, so a scene whose action names one ("Will watches her sleep") has them in it. Its time of day: a heading
that names no time (`CONTINUOUS`, `SAME`, `MOMENTS LATER`, a shot heading
such as `ANGLE`) happens at the time of the scene before it, as a script supervisor reads it.

The time a heading names is looked for in the parsed time of day first, then in the heading's own parts, so
`INT. BEDROOM - NIGHT - PRESENT DAY` is a night scene and `INT. OFFICE. DAY.` a day scene even when the parse kept
another part or none.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from cortexreel.domain.scenes import Scene

TimeClass = Literal["DAY", "NIGHT", "DAWN", "DUSK"]

# Words and phrases naming a time of day, with the lighting class a stripboard or a lighting plan puts them in.
# Longer phrases first: "EARLY EVENING" is dusk though "EVENING" alone is night.
TIME_WORDS: tuple[tuple[str, TimeClass], ...] = (
    ("pre-dawn", "DAWN"),
    ("predawn", "DAWN"),
    ("first light", "DAWN"),
    ("magic hour", "DUSK"),
    ("golden hour", "DUSK"),
    ("early evening", "DUSK"),
    ("late afternoon", "DAY"),
    ("early hours", "NIGHT"),
    ("late night", "NIGHT"),
    ("dawn", "DAWN"),
    ("sunrise", "DAWN"),
    ("daybreak", "DAWN"),
    ("świt", "DAWN"),
    ("dusk", "DUSK"),
    ("sunset", "DUSK"),
    ("twilight", "DUSK"),
    ("zmierzch", "DUSK"),
    ("night", "NIGHT"),
    ("evening", "NIGHT"),
    ("midnight", "NIGHT"),
    ("nighttime", "NIGHT"),
    ("noc", "NIGHT"),
    ("wieczór", "NIGHT"),
    ("nuit", "NIGHT"),
    ("soir", "NIGHT"),
    ("nacht", "NIGHT"),
    ("abend", "NIGHT"),
    ("noche", "NIGHT"),
    ("day", "DAY"),
    ("daytime", "DAY"),
    ("morning", "DAY"),
    ("afternoon", "DAY"),
    ("noon", "DAY"),
    ("midday", "DAY"),
    ("dzień", "DAY"),
    ("rano", "DAY"),
    ("południe", "DAY"),
    ("jour", "DAY"),
    ("matin", "DAY"),
    ("tag", "DAY"),
    ("día", "DAY"),
    ("dia", "DAY"),
)
_TIME_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(phrase) for phrase, _ in TIME_WORDS) + r")(?![\w-])", re.IGNORECASE
)
_CLASSES = dict(TIME_WORDS)
# Parts of a heading that name a period, not a time of day: "PRESENT DAY", "SAME DAY", "NEXT DAY" says which day.
_NOT_A_TIME_RE = re.compile(r"\b(?:present|same|next|that|one|this|following|previous)\s+day\b", re.IGNORECASE)
_HEADING_PARTS_RE = re.compile(r"\s+[-\u2013\u2014]+\s+|\s*--\s*|[.,]\s+|\s*\(|\)\s*")
# Words that may stand beside a time in a heading part ("LATER THAT MORNING", "THE NEXT DAY", "EARLY 1977 NIGHT");
# a part with any other word is a place ("DAY CARE CENTER", "MIDNIGHT DINER").
_TIME_MODIFIERS = frozenset({"the", "next", "later", "that", "same", "early", "late", "continuous", "moments",
                             "minutes", "hours", "a", "few", "of", "in", "at", "on", "very", "about", "just", "before",
                             "after", "and", "or", "into", "flashback", "present", "story", "time"})


def named_time(text: str | None) -> str | None:
    """The time of day a heading part names ("NIGHT", "EARLY EVENING", "MORNING"), upper-cased; None for
    "CONTINUOUS", "LATER", "PRESENT DAY" or nothing."""
    if not text:
        return None
    match = _TIME_RE.search(_NOT_A_TIME_RE.sub(" ", text))
    return match.group(1).upper() if match else None


def time_class(time_of_day: str | None) -> TimeClass | None:
    """DAY, NIGHT, DAWN or DUSK for a time of day as written; None when it names none."""
    named = named_time(time_of_day)
    return _CLASSES[named.lower()] if named else None


def heading_time(scene: Scene) -> str | None:
    """The time of day the scene's heading names: the parsed one, else the last heading part that names one."""
    parsed = named_time(scene.time_of_day)
    if parsed is not None:
        return parsed
    for part in reversed(_HEADING_PARTS_RE.split(scene.heading)[1:]):
        found = named_time(part)
        if found is not None and _only_time_words(part, found):
            return found
    return None


def _only_time_words(part: str, time: str) -> bool:
    rest = re.findall(r"[^\W\d_]+", _TIME_RE.sub(" ", part, count=1).lower())
    return all(word in _TIME_MODIFIERS for word in rest)


def carried_times(scenes: Sequence[Scene]) -> dict[str, str | None]:
    """Each scene's time of day by scene id: the one its heading names, else the one of the scene before it
    (in script order); None until some heading names one."""
    times: dict[str, str | None] = {}
    current: str | None = None
    for scene in sorted(scenes, key=lambda item: item.number):
        current = heading_time(scene) or current
        times[scene.id] = current
    return times


def script_cast(scenes: Sequence[Scene]) -> frozenset[str]:
    """Every character who speaks somewhere in the script."""
    return frozenset(name for scene in scenes for name in scene.characters)


def with_times_carried_over(scenes: Sequence[Scene]) -> list[Scene]:
    """The scenes with the time of day each one happens at, for an analyser that sees one scene at a time."""
    times = carried_times(scenes)
    return [
        scene if times[scene.id] in (None, scene.time_of_day) else scene.model_copy(update={"time_of_day": time})
        for scene in scenes
        for time in (times[scene.id],)
    ]
