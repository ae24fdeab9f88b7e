"""Scene headings in several languages, character cues with extensions, and page eighths."""

from __future__ import annotations

import pytest

from cortexreel.parsing.headings import (
    eighths_for_lines,
    format_eighths,
    is_character_cue,
    parse_heading,
    split_cue,
)


@pytest.mark.parametrize(
    ("text", "setting", "location", "time", "label"),
    [
        ("INT. HOUSE - KITCHEN - DAY", "INT", "HOUSE - KITCHEN", "DAY", None),
        ("EXT. ROAD - NIGHT", "EXT", "ROAD", "NIGHT", None),
        ("INT./EXT. CAR - MOVING - DAY", "INT/EXT", "CAR - MOVING", "DAY", None),
        ("I/E. TRUCK - DUSK", "INT/EXT", "TRUCK", "DUSK", None),
        ("EST. CITY - DAWN", "EXT", "CITY", "DAWN", None),
        ("INT. HALLWAY - CONTINUOUS", "INT", "HALLWAY", "CONTINUOUS", None),
        ("INT. APARTMENT, DAY", "INT", "APARTMENT", "DAY", None),
        ("INT.  WILL'S BEDROOM - NIGHT (1973)", "INT", "WILL'S BEDROOM", "NIGHT", None),
        ("12A INT. HOUSE - DAY 12A", "INT", "HOUSE", "DAY", "12A"),
        ("A12 EXT. PIER - NIGHT A12", "EXT", "PIER", "NIGHT", "A12"),
        ("INT. HOUSE - DAY #7#", "INT", "HOUSE", "DAY", "7"),
        # Polish
        ("WN. KUCHNIA - DZIEŃ", "INT", "KUCHNIA", "DZIEŃ", None),
        ("ZN. LAS - NOC", "EXT", "LAS", "NOC", None),
        ("PLENER. PLAŻA - ŚWIT", "EXT", "PLAŻA", "ŚWIT", None),
        ("WN./ZN. SAMOCHÓD - ZMIERZCH", "INT/EXT", "SAMOCHÓD", "ZMIERZCH", None),
        ("WN. POKÓJ - WIECZÓR", "INT", "POKÓJ", "WIECZÓR", None),
        # French
        ("12. INT. SALON - JOUR", "INT", "SALON", "JOUR", "12"),
        ("EXT. JARDIN - NUIT", "EXT", "JARDIN", "NUIT", None),
        ("1- CHALET, SALON – INT/JOUR", "INT", "CHALET, SALON", "JOUR", "1"),
        # German
        ("INNEN. KÜCHE - TAG", "INT", "KÜCHE", "TAG", None),
        ("AUSSEN - STRASSE - NACHT", "EXT", "STRASSE", "NACHT", None),
        # Spanish
        ("INT. CASA DE JUAN - DÍA", "INT", "CASA DE JUAN", "DÍA", None),
        ("EXT. CALLE - NOCHE", "EXT", "CALLE", "NOCHE", None),
    ],
)
def test_scene_headings(text: str, setting: str, location: str, time: str, label: str | None) -> None:
    parts = parse_heading(text)
    assert parts is not None
    assert (parts.setting, parts.location, parts.time_of_day, parts.label) == (setting, location, time, label)
    assert parts.kind == "scene"


@pytest.mark.parametrize(
    ("text", "location", "time"),
    [
        ("CLOSE ON THE CADILLAC - NIGHT", "CLOSE ON THE CADILLAC", "NIGHT"),
        ("ANGLE ON THE DOOR", "ANGLE ON THE DOOR", None),
        ("SNIPER SCOPE POV", "SNIPER SCOPE POV", None),
        ("INSERT - THE LETTER", "INSERT - THE LETTER", None),
    ],
)
def test_shot_headings(text: str, location: str, time: str | None) -> None:
    parts = parse_heading(text)
    assert parts is not None
    assert (parts.kind, parts.setting, parts.location, parts.time_of_day) == ("shot", None, location, time)


@pytest.mark.parametrize(
    "text",
    ["INTERIOR DESIGN IS HARD", "ON WILL AND SANDRA", "He walks in.", "INTERCUT WITH:", "THE END", ""],
)
def test_not_headings(text: str) -> None:
    assert parse_heading(text) is None


def test_forced_heading_accepts_anything() -> None:
    parts = parse_heading("BACK IN THE APARTMENT", forced=True)
    assert parts is not None and parts.setting is None and parts.location == "BACK IN THE APARTMENT"


@pytest.mark.parametrize(
    ("cue", "name", "extension"),
    [
        ("EDWARD", "EDWARD", None),
        ("EDWARD (V.O.)", "EDWARD", "V.O."),
        ("EDWARD (V.O.)(CONT'D)", "EDWARD", "V.O., CONT'D"),
        ("MARY (O.S.)", "MARY", "O.S."),
        ("MARY (O.C.)", "MARY", "O.C."),
        ("BOB (CONT’D)", "BOB", "CONT’D"),
        ("BOB CONT'D", "BOB", "CONT'D"),
        ("ANNA (offscreen)", "ANNA", "offscreen"),
        ("JAN (z off)", "JAN", "z off"),
        ("MARIE (CD)", "MARIE", "CD"),
        ("DR. SMITH", "DR. SMITH", None),
        ("BRICK ^", "BRICK", None),
    ],
)
def test_character_cues(cue: str, name: str, extension: str | None) -> None:
    assert is_character_cue(cue)
    assert split_cue(cue) == (name, extension)


@pytest.mark.parametrize("text", ["CUT TO:", "A RIVER.", "Bob", "(beat)", "INT. HOUSE - DAY", "12"])
def test_not_character_cues(text: str) -> None:
    assert not is_character_cue(text)


@pytest.mark.parametrize(
    ("lines", "eighths", "written"),
    [(0, 1, "1/8"), (1, 1, "1/8"), (7, 2, "2/8"), (55, 8, "1"), (56, 9, "1 1/8"), (76, 12, "1 4/8")],
)
def test_eighths_round_up_with_minimum(lines: int, eighths: int, written: str) -> None:
    assert eighths_for_lines(lines) == eighths
    assert format_eighths(eighths) == written
