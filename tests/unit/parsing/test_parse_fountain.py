"""The Fountain parser: title page, headings, speeches, dual dialogue and the markup extras."""

from __future__ import annotations

from cortexreel.domain.screenplay import Screenplay
from cortexreel.parsing.fountain import parse_fountain

SCRIPT = """Title: _**THE TEST**_
Credit: Written by
Author: Ada Writer
Draft date: 1/2/2024
Contact:
    Agency
    Los Angeles

This text comes before any heading.

INT. KITCHEN - DAY #1A#

Anna cuts *bread*. [[note to self]]

[[A note on its own]]

/* This whole part
is in the boneyard. */

# ACT ONE

= Anna waits.

ANNA (V.O.)
(quietly)
Where is he?
Still not here.

@McCLANE
Yippee.

BOB
Left side.

CAROL ^
Right side.

> FADE TO:

EXT. GARDEN - NIGHT

> THE END <

~Happy birthday to you
~Happy birthday dear Anna

CUT TO:

.BACK IN THE KITCHEN

!SHOUTING IS ACTION

===

INT. CELLAR - NIGHT

Dark.
"""


def parse() -> Screenplay:
    return parse_fountain(SCRIPT.encode())


def test_title_page() -> None:
    sp = parse()
    assert sp.title == "THE TEST"
    assert sp.title_page["author"] == "Ada Writer"
    assert sp.title_page["contact"] == "Agency\nLos Angeles"
    assert sp.format == "fountain"


def test_scenes_and_prelude() -> None:
    sp = parse()
    assert [s.number for s in sp.scenes] == [0, 1, 2, 3, 4]
    assert sp.scenes[0].heading == ""
    assert sp.scenes[0].elements[0].text == "This text comes before any heading."
    kitchen = sp.scenes[1]
    assert (kitchen.heading, kitchen.label, kitchen.setting, kitchen.time_of_day) == (
        "INT. KITCHEN - DAY", "1A", "INT", "DAY"
    )
    assert sp.scenes[3].heading == "BACK IN THE KITCHEN" and sp.scenes[3].setting is None


def test_notes_boneyard_sections_and_emphasis() -> None:
    elements = parse().scenes[1].elements
    texts = [e.text for e in elements]
    assert texts[0] == "Anna cuts bread."
    assert (elements[1].type, elements[1].text) == ("note", "A note on its own")
    assert not any("boneyard" in t or "ACT ONE" in t or "Anna waits" in t for t in texts)


def test_speech_with_extension_and_parenthetical() -> None:
    elements = parse().scenes[1].elements
    cue = next(e for e in elements if e.type == "character")
    assert (cue.character, cue.extension) == ("ANNA", "V.O.")
    paren = elements[elements.index(cue) + 1]
    dialogue = elements[elements.index(cue) + 2]
    assert (paren.type, paren.text, paren.character) == ("parenthetical", "(quietly)", "ANNA")
    expected = ("dialogue", "Where is he?\nStill not here.", "ANNA")
    assert (dialogue.type, dialogue.text, dialogue.character) == expected


def test_forced_character_and_dual_dialogue() -> None:
    scene = parse().scenes[1]
    assert scene.characters == ["ANNA", "McCLANE", "BOB", "CAROL"]
    dual = {e.character for e in scene.elements if e.dual}
    assert dual == {"BOB", "CAROL"}
    transition = scene.elements[-1]
    assert (transition.type, transition.text) == ("transition", "FADE TO:")


def test_centered_lyrics_transition_forced_action() -> None:
    garden = parse().scenes[2].elements
    assert [(e.type, e.text) for e in garden] == [
        ("centered", "THE END"),
        ("lyrics", "Happy birthday to you\nHappy birthday dear Anna"),
        ("transition", "CUT TO:"),
    ]
    forced = parse().scenes[3].elements
    assert [(e.type, e.text) for e in forced] == [("action", "SHOUTING IS ACTION")]


def test_page_break_and_page_estimates() -> None:
    sp = parse()
    assert sp.scenes[4].page_start == 2
    assert sp.pages == 2
    filler = ["Line of action that is fairly long, about sixty chars."] * 60
    long_action = "\n\n".join(["INT. A - DAY", *filler])
    long = parse_fountain(long_action.encode())
    assert long.pages == 3 and long.scenes[0].page_end == 3
    assert long.scenes[0].eighths >= 16


def test_empty_heading_and_lowercase_heading() -> None:
    sp = parse_fountain(b"int. house - day\n\nSomething happens.\n")
    assert sp.scenes[0].heading == "int. house - day" and sp.scenes[0].setting == "INT"
