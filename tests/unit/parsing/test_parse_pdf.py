"""PDF reading on PDFs rendered in the test: furniture removal, speeches over page breaks, dual
dialogue, margins, title page, A4 and Letter, and every bad-input error."""

from __future__ import annotations

from typing import Any

import pymupdf
import pytest

from cortexreel.domain.screenplay import Screenplay
from cortexreel.errors import FileTooLargeError, InvalidInputError, ParseError
from cortexreel.parsing.compare import compare, junk_count
from cortexreel.parsing.fountain import parse_fountain
from cortexreel.parsing.pdf import parse_pdf
from tests.parsing_helpers import RenderOptions, render_pdf, speakers_by_scene

FITZ: Any = pymupdf

LONG_SPEECH = " ".join(f"Word{i} goes on and on." for i in range(60))

SCRIPT = f"""Title: PAPER TEST
Author: Ada

INT. KITCHEN - DAY

Anna enters, drops her keys on the counter and looks around the room for a long time.

ANNA
Anybody home?

BOB (O.S.)
(from upstairs)
Up here!

EXT. A VERY LONG PLACE NAME THAT DOES NOT FIT ON ONE LINE OF THE PAGE - NIGHT

Rain.

BOB
{LONG_SPEECH}

ANNA
Short answer.

CUT TO:

INT. HALL - CONTINUOUS

BOB
Left side.

ANNA ^
Right side.

> THE END <
"""


@pytest.fixture(scope="module")
def reference() -> Screenplay:
    return parse_fountain(SCRIPT)


OPTIONS = [
    RenderOptions(lines_per_page=24),
    RenderOptions(paper="a4", lines_per_page=24, scene_numbers="both", revision_marks=True,
                  header="BLUE REV. 12/03/21", continued=True),
    RenderOptions(lines_per_page=24, scene_numbers="left", more_contd=False, watermark="PROPERTY OF ACME"),
    RenderOptions(lines_per_page=26, scene_numbers="right", header="THE PAPER TEST - Pink Rev. 1/2/24"),
]


@pytest.mark.parametrize("options", OPTIONS, ids=["letter", "a4-production", "no-more", "right-numbers"])
def test_rendered_pdf_round_trip(reference: Screenplay, options: RenderOptions) -> None:
    parsed = parse_pdf(render_pdf(reference, options))
    assert parsed.format == "pdf"
    assert speakers_by_scene(parsed) == speakers_by_scene(reference)
    agreement = compare(reference, parsed, printable=False)
    assert agreement.heading_f1 == 1.0
    assert agreement.word_recall == 1.0 and agreement.word_precision == 1.0, agreement.format()
    assert junk_count(parsed) == 0
    everything = " ".join(e.text for s in parsed.scenes for e in s.elements)
    for furniture in ("(MORE)", "CONTINUED", "REV.", "Rev.", "ACME", "*"):
        assert furniture not in everything


@pytest.mark.parametrize("options", OPTIONS[:2], ids=["letter", "a4-production"])
def test_speech_over_page_break_is_one_element(reference: Screenplay, options: RenderOptions) -> None:
    parsed = parse_pdf(render_pdf(reference, options))
    speeches = [e for s in parsed.scenes for e in s.elements if e.type == "dialogue" and e.character == "BOB"]
    long = [e for e in speeches if e.text.startswith("Word0")]
    assert len(long) == 1
    assert long[0].text.split() == LONG_SPEECH.split()
    assert parsed.pages >= 2


def test_scene_numbers_become_labels(reference: Screenplay) -> None:
    parsed = parse_pdf(render_pdf(reference, OPTIONS[1]))
    assert [s.label for s in parsed.scenes if s.number > 0] == ["1", "2", "3"]
    long_heading = "EXT. A VERY LONG PLACE NAME THAT DOES NOT FIT ON ONE LINE OF THE PAGE - NIGHT"
    assert parsed.scenes[1].heading == long_heading
    assert parsed.scenes[1].time_of_day == "NIGHT"


def test_extensions_and_parentheticals(reference: Screenplay) -> None:
    parsed = parse_pdf(render_pdf(reference, OPTIONS[0]))
    kitchen = parsed.scenes[0].elements
    cue = next(e for e in kitchen if e.type == "character" and e.character == "BOB")
    assert cue.extension == "O.S."
    assert [e.type for e in kitchen[kitchen.index(cue):]] == ["character", "parenthetical", "dialogue"]


def test_dual_dialogue(reference: Screenplay) -> None:
    parsed = parse_pdf(render_pdf(reference, OPTIONS[0]))
    hall = parsed.scenes[-1]
    assert [(e.type, e.character, e.text) for e in hall.elements if e.dual] == [
        ("character", "BOB", "BOB"), ("dialogue", "BOB", "Left side."),
        ("character", "ANNA", "ANNA"), ("dialogue", "ANNA", "Right side."),
    ]
    assert hall.elements[-1].type == "centered" and hall.elements[-1].text == "THE END"


def test_title_page_kept_out_of_scenes(reference: Screenplay) -> None:
    fields = {"title": "PAPER TEST", "credit": "Written by", "author": "Ada Lovelace",
              "draft date": "1/2/2024", "contact": "Agency\n555-1234"}
    options = RenderOptions(title_page=fields)
    parsed = parse_pdf(render_pdf(reference, options))
    assert parsed.title == "PAPER TEST"
    assert parsed.title_page["author"] == "Ada Lovelace"
    assert parsed.title_page["draft date"] == "1/2/2024"
    assert parsed.title_page["contact"] == "Agency\n555-1234"
    assert parsed.scenes[0].number == 1 and parsed.scenes[0].page_start == 1


def _prose_pdf(pages: int = 1) -> bytes:
    document = FITZ.open()
    for _ in range(pages):
        page = document.new_page()
        for line in range(20):
            page.insert_text((72, 72 + line * 14), f"This is an ordinary letter, line {line}, nothing more.")
    data: bytes = document.tobytes()
    return data


def test_not_a_screenplay_and_unstructured_option() -> None:
    with pytest.raises(ParseError, match="does not look like a screenplay"):
        parse_pdf(_prose_pdf())
    loose = parse_pdf(_prose_pdf(), allow_unstructured=True)
    assert len(loose.scenes) == 1 and "ordinary letter" in loose.scenes[0].elements[0].text


def test_encrypted_pdf() -> None:
    document = FITZ.open()
    document.new_page().insert_text((72, 72), "INT. SECRET - DAY")
    data = document.tobytes(encryption=FITZ.PDF_ENCRYPT_AES_256, user_pw="user", owner_pw="owner")
    with pytest.raises(InvalidInputError, match="password"):
        parse_pdf(data)


@pytest.mark.parametrize("data", [b"%PDF-1.7\n%%EOF", b"%PDF-1.4\n1 0 obj <</Type /Catalog>> garbage" * 3])
def test_corrupt_pdf(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_pdf(data)


def test_page_limit_checked_before_reading(reference: Screenplay) -> None:
    data = render_pdf(reference, RenderOptions(lines_per_page=12))
    with pytest.raises(FileTooLargeError, match="limit is 2"):
        parse_pdf(data, max_pages=2)


def _write_rows(rows: list[tuple[float, float, str]], width: float = 595.0, height: float = 842.0) -> bytes:
    """A one-page PDF with Courier lines at exact (x, baseline) places, as other renderers lay them out."""
    document = FITZ.open()
    page = document.new_page(width=width, height=height)
    for x, y, text in rows:
        page.insert_text((x, y), text, fontname="cour", fontsize=12)
    data: bytes = document.tobytes()
    return data


def _centered_on_page(text: str, y: float, width: float = 595.0) -> tuple[float, float, str]:
    return (width / 2 - len(text) * 3.6, y, text)


def test_text_centered_on_the_paper_is_centered_not_a_speech() -> None:
    """afterwriting centres ">TEXT<" on the page, not between the margins; a two-line centered title whose
    first line looks like a name must not become a character cue."""
    rows = [
        (108.0, 100.0, "INT. STUDIO - DAY"),
        (108.0, 124.0, "A long line of action that runs nearly all the way across the page, to the"),
        (108.0, 136.0, "right margin, so that the text column is learned from it."),
        (252.0, 160.0, "ANNA"),
        (180.0, 172.0, "Roll the titles."),
        _centered_on_page("BRICK BRADDOCK", 196.0),
        _centered_on_page("& DICK STEEL IN", 208.0),
        (108.0, 232.0, "The titles fade."),
        (252.0, 256.0, "BOB"),
        (180.0, 268.0, "Lovely."),
        _centered_on_page("THE END", 292.0),
    ]
    parsed = parse_pdf(_write_rows(rows))
    elements = [(e.type, e.text) for e in parsed.scenes[0].elements]
    assert ("centered", "BRICK BRADDOCK\n& DICK STEEL IN") in elements
    assert elements[-1] == ("centered", "THE END")
    assert parsed.scenes[0].characters == ["ANNA", "BOB"]
