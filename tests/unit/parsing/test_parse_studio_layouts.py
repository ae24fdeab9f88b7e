"""Layouts seen in real studio PDFs, each drawn with PyMuPDF at exact positions (Courier 12, 72 pt per inch):
front matter at another indent, scene numbers glued to their line, CONTINUED lines, shot lines, French headings
and stacked cues, text printed twice, a parenthetical at the cue's indent, cues ending in a period, setting
variants, a printed cue at a page top, printed page numbers, centred speeches and scans."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from cortexreel.domain.screenplay import Screenplay
from cortexreel.parsing.pdf import parse_pdf

Piece = tuple[float, str]  # (x, text)
# A page is a list of lines: a piece, several pieces printed on the same baseline (a list), or None (blank).
Line = Any
LINE = 12.0
_MUPDF: Any = pymupdf  # PyMuPDF's type hints are incomplete


def draw(pages: list[list[Line]], *, twice: set[str] | None = None, numbers: list[str | None] | None = None,
         size: tuple[float, float] = (612, 792), line: float = LINE) -> bytes:
    """One list of (x, text) lines per page, drawn from y = 72 down, `line` points apart; None is a blank line.
    Lines whose text is in `twice` are drawn twice at the same place; `numbers` prints page numbers top right."""
    document = _MUPDF.open()
    for index, lines in enumerate(pages):
        page = document.new_page(width=size[0], height=size[1])
        y = 72.0
        for item in lines:
            for x, text in [item] if isinstance(item, tuple) else item or []:
                for _ in range(2 if twice and text in twice else 1):
                    page.insert_text((x, y), text, fontname="cour", fontsize=12)
            y += line
        if numbers and numbers[index]:
            page.insert_text((size[0] - 108, 45), str(numbers[index]), fontname="cour", fontsize=12)
    data: bytes = document.tobytes()
    document.close()
    return data


def action(text: str) -> Piece:
    return (108, text)


def cue(text: str) -> Piece:
    return (252, text)


def speech(text: str) -> Piece:
    return (180, text)


def paren(text: str) -> Piece:
    return (209, text)


PROSE = "These notes explain the production schedule and the budget of the film in some detail."


def body(n: int = 3) -> list[Line]:
    """A short scene body: action, then a speech."""
    return [action("Anna walks in and looks around the room for a long, long moment."), None,
            cue("ANNA"), speech("Is anybody home?"), None][: n + 2]


def headings(sp: Screenplay) -> list[str]:
    return [scene.heading for scene in sp.scenes if scene.number > 0]


def cues(sp: Screenplay) -> list[str]:
    return [e.character or "" for s in sp.scenes for e in s.elements if e.type == "character"]


def texts(sp: Screenplay) -> str:
    return "\n".join(e.text for s in sp.scenes for e in s.elements)


def test_front_matter_at_another_indent_does_not_hide_the_headings() -> None:
    notes = [(72.0, PROSE[:60]), (72.0, PROSE[60:] + " More notes follow here.")] * 12
    script = [action("INT. KITCHEN - DAY"), None, *body(), action("EXT. GARDEN - NIGHT"), None, *body()]
    sp = parse_pdf(draw([notes, notes, script * 2]))
    assert headings(sp) == ["INT. KITCHEN - DAY", "EXT. GARDEN - NIGHT"] * 2
    assert cues(sp) == ["ANNA"] * 4


def test_scene_numbers_glued_to_the_heading_from_the_middle_of_the_script_on() -> None:
    first: list[Line] = [[(54.0, "100"), action("INT. KITCHEN - DAY")], None, *body()]
    glued = [(64.8, "101A  BACK TO FRANK"), None, *body(), (50.4, "130Q17  INT. GROUND FLOOR CORRIDOR - NIGHT"),
             None, *body()]
    sp = parse_pdf(draw([first, glued, glued]))
    numbered = [(s.label, s.heading) for s in sp.scenes if s.number > 0]
    assert numbered[:3] == [
        ("100", "INT. KITCHEN - DAY"), ("101A", "BACK TO FRANK"), ("130Q17", "INT. GROUND FLOOR CORRIDOR - NIGHT")
    ]
    assert "101A" not in texts(sp) and "130Q17" not in texts(sp)


def test_continued_lines_carrying_scene_numbers_are_furniture() -> None:
    page: list[Line] = [
            [(54, "12"), (108, "INT. HALL - DAY"), (516, "12")], None, *body(),
            [(54, "12"), (108, "CONTINUED: (2)"), (516, "12")], None, *body(),
            (108, "86C2   CONTINUED:    (3)                                 86C2")]
    sp = parse_pdf(draw([page, page]))
    assert "CONTINUED" not in texts(sp)
    assert [s.label for s in sp.scenes if s.number > 0] == ["12"]


def test_shot_lines_stay_in_their_scene_unless_numbered() -> None:
    page = [action("INT. OFFICE - DAY"), None, action("ANGLE ON DAVID"), None, *body(),
            action("CLOSE ON SYD"), None, action("BACK TO SCENE"), None, *body(),
            action("EXT. STREET - NIGHT"), None, *body()]
    sp = parse_pdf(draw([page, page]))
    assert headings(sp) == ["INT. OFFICE - DAY", "EXT. STREET - NIGHT"] * 2
    shots = [e.text for e in sp.scenes[0].elements if e.type == "shot"]
    assert shots == ["ANGLE ON DAVID", "CLOSE ON SYD", "BACK TO SCENE"]


def test_a_numbered_shot_is_a_scene_shot_where_the_heading_before_says() -> None:
    page: list[Line] = [[(72, "2"), action("EXT. BEACH - DAY"), (540, "2")], None, *body(),
                               [(72, "3"), action("A MAN'S EYE"), (540, "3")], None, *body()]
    sp = parse_pdf(draw([page]))
    eye = sp.scenes[-1]
    assert (eye.label, eye.heading, eye.setting, eye.location, eye.time_of_day) == (
        "3", "A MAN'S EYE", "EXT", "BEACH", "DAY"
    )


def test_french_headings_in_mixed_case_and_cues_stacked_over_their_speech() -> None:
    def page(first: int) -> list[Line]:
        return [
            (108, f"{first}- BOIS (près du chalet) - EXT/JOUR"), None,
            (108, "Les arbres bougent dans le vent, la lumière passe entre les branches."), None,
            (180, "MARIE"), (180, "Tu entends ce bruit ?"), None,
            (180, "PAUL"), (180, "Non, rien du tout."), None,
            (108, f"({first}A)"), None,
            (108, f"{first + 1}- CHALET, Extérieur (Entrée) - EXT/JOUR"), None,
            (180, "MARIE"), (180, "Il fait froid ce matin."), None,
            (108, f"{first + 1}."), None,
            (108, "CHU GRENOBLE - INT/JOUR"), None,
            (180, "PAUL"), (180, "On attend le médecin."), None,
        ]

    sp = parse_pdf(draw([page(2), page(4)]))
    assert [(s.setting, s.time_of_day) for s in sp.scenes if s.number > 0] == [
        ("EXT", "JOUR"), ("EXT", "JOUR"), ("INT", "JOUR")
    ] * 2
    assert cues(sp) == ["MARIE", "PAUL", "MARIE", "PAUL"] * 2
    assert "(2A)" not in texts(sp) and "\n3.\n" not in f"\n{texts(sp)}\n"


def test_text_printed_twice_is_read_once() -> None:
    page = [action("INT. PUB - NIGHT"), None, cue("PADRAIC"), speech("I've been thinking about it all"),
            speech("the way home and I still don't"), (252, "(MORE)")]
    page_two = [cue("PADRAIC (CONT'D)"), speech("know what to say."), None, *body()]
    sp = parse_pdf(draw([page, page_two], twice={"(MORE)", "PADRAIC (CONT'D)", "PADRAIC"}))
    assert "PADRAIC PADRAIC" not in cues(sp) and "(MORE)" not in texts(sp)
    speeches = [e.text for e in sp.scenes[-1].elements if e.type == "dialogue" and e.character == "PADRAIC"]
    assert speeches == ["I've been thinking about it all the way home and I still don't know what to say."]


def test_a_parenthetical_at_the_cues_own_indent_keeps_the_cue() -> None:
    page = [action("INT. RECEPTION - DAY"), None, cue("CLEMENTINE"), (252, "(approaching reception area)"),
            speech("Hi, I need to see someone."), None, *body()] * 3
    sp = parse_pdf(draw([page]))
    assert cues(sp).count("CLEMENTINE") == 3
    parentheticals = [e.text for s in sp.scenes for e in s.elements if e.type == "parenthetical"]
    assert parentheticals == ["(approaching reception area)"] * 3


@pytest.mark.parametrize("mark", [".", ":"])
def test_cues_printed_with_a_period_or_colon(mark: str) -> None:
    page = [action("INT. CAR - NIGHT"), None, cue(f"HOLDEN{mark}"), speech("Where are we going?"), None,
            cue(f"TENCH{mark} (CONT'D)"), speech("You'll see."), None, action("They drive on."), None] * 3
    sp = parse_pdf(draw([page]))
    assert cues(sp) == ["HOLDEN", "TENCH"] * 3


@pytest.mark.parametrize(
    ("heading", "setting"),
    [("EXT: ROOF - DAY", "EXT"), ("INT: CELLAR - NIGHT", "INT"), ("I/E CAR - DAY", "INT/EXT"),
     ("INT./EXT. VAN - DAY", "INT/EXT"), ("EXT/INT HOUSE - DAY", "INT/EXT"), ("INT-EXT BARN - DUSK", "INT/EXT")],
)
def test_setting_variants(heading: str, setting: str) -> None:
    sp = parse_pdf(draw([[action(heading), None, *body()]]))
    assert [(s.heading, s.setting) for s in sp.scenes if s.number > 0] == [(heading, setting)]


def test_a_printed_cue_at_a_page_top_without_more_starts_a_new_speech() -> None:
    page_one = [action("INT. TEMPLE - DAY"), None, cue("PING"), speech("The first thing I say."), None]
    page_two = [cue("PING (CONT'D)"), speech("The second thing I say."), None, action("He bows."), None]
    sp = parse_pdf(draw([page_one, page_two]))
    speeches = [e.text for e in sp.scenes[-1].elements if e.type == "dialogue"]
    assert speeches == ["The first thing I say.", "The second thing I say."]


def test_pages_as_printed_and_as_in_the_file() -> None:
    title = [(250, "THE TITLE"), None, (270, "Written by"), (260, "Somebody")]
    page = [action("INT. ROOM - DAY"), None, *body()]
    sp = parse_pdf(draw([title, page, page, page], numbers=[None, None, "2.", "2A."]))
    scenes = [s for s in sp.scenes if s.number > 0]
    assert [(s.page_start, s.printed_page_start, s.pdf_page_start) for s in scenes] == [
        (1, None, 2), (2, "2", 3), (2, "2A", 4)
    ]


def test_centred_cues_and_speeches_with_wide_leading() -> None:
    def centred(text: str) -> Piece:
        return (297.5 - len(text) * 7.2 / 2, text)

    lines = ["Uwielbiam ten zapach.", "Zonie niech pani to tlumaczy, prosze.", "Dobrze.", "Wino jej przeszkadza.",
             "Kobieta pozostanie dla mnie tajemnica.", "Do jutra."]
    page: list[Line] = [(57, "WN.   DOM MARII   NOC"), None,
                               (57, "Maria siedzi przy oknie i patrzy na morze przez dlugi czas."), None]
    for index, text in enumerate(lines):
        page += [centred("MARIA" if index % 2 == 0 else "RYBAK"), centred(text), None]
    sp = parse_pdf(draw([page, page], size=(595, 842), line=27))
    assert cues(sp) == ["MARIA", "RYBAK"] * 6
    assert [(s.setting, s.location, s.time_of_day) for s in sp.scenes if s.number > 0][0] == ("INT", "DOM MARII", "NOC")


def test_a_cast_list_before_the_script_is_a_note_not_speeches() -> None:
    cast: list[Line] = [(255, "OBSADA:"), None, (240, "MARIA LINDE (60)"), (161, "polska poetka, laureatka nagrody"),
                        None, (229, "GUIDO LODOVICI (55)"), (197, "komisarz policji w Volterrze")]
    script = [action("INT. HOUSE - NIGHT"), None, *body()] * 2
    sp = parse_pdf(draw([cast, script]))
    assert cues(sp) == ["ANNA", "ANNA"]
    assert sp.scenes[0].number == 0 and sp.scenes[0].elements[0].type == "note"
    assert "GUIDO LODOVICI (55)" in sp.scenes[0].elements[0].text


def test_numbers_written_into_action_paragraphs_follow_the_sequence() -> None:
    page: list[Line] = [
        [(54, "6"), action("EXT. WRECK - NIGHT"), (516, "6")], None,
        action("The subs glide over the deck, past the huge anchor and the"), action("windlass."), None,
        action("7  Mir Two drives aft down the starboard side, past the huge"), action("anchor chains."), None,
        action("22  foot long subs are like white bugs next to the enormous"), action("wreck."), None,
        action("BLACKNESS"), None,
        action("8   THE WRECK looms like a ghost out of the darkness below."), None,
    ]
    sp = parse_pdf(draw([page]))
    assert [(s.label, s.heading, s.location) for s in sp.scenes if s.number > 0] == [
        ("6", "EXT. WRECK - NIGHT", "WRECK"),
        ("7", "Mir Two drives aft down the starboard side, past the huge", "WRECK"),
        ("8", "BLACKNESS", "WRECK"),
    ]
    assert "22  foot long subs" in texts(sp) or "22 foot long subs" in texts(sp)  # 22 does not follow 7


def test_printed_pages_that_break_in_the_middle_of_a_sheet() -> None:
    def sheet(first: int, number: int) -> list[Line]:
        return [action(f"INT. ROOM {first} - DAY"), None, *body(), None,
                (108, f"THE SCRIPT - Rev. 1/28/02                      {number}."), None,
                action(f"INT. HALL {first} - NIGHT"), None, *body()]

    sp = parse_pdf(draw([sheet(1, 2), sheet(2, 3), sheet(3, 4)]))
    assert [(s.heading, s.printed_page_start, s.pdf_page_start) for s in sp.scenes if s.number > 0][1:4] == [
        ("INT. HALL 1 - NIGHT", "2", 1), ("INT. ROOM 2 - DAY", "2", 2), ("INT. HALL 2 - NIGHT", "3", 2)
    ]
    assert "Rev." not in texts(sp)
