"""parse_screenplay: format sniffing by content, limits, user-facing errors, the JSON shape, plain text."""

from __future__ import annotations

import json

import pytest

from cortexreel.errors import FileTooLargeError, InvalidInputError, ParseError, UnsupportedFileError
from cortexreel.parsing import detect_format, parse_screenplay, screenplay_to_json
from cortexreel.parsing.fountain import parse_fountain
from tests.parsing_helpers import RenderOptions, render_pdf

FOUNTAIN = b"""Title: Tiny

Before the first heading.

INT. ROOM - DAY

Ann sits.

ANN (V.O.)
Hello.

BEN ^
Hi.
"""

FDX = b"""<?xml version="1.0"?>
<FinalDraft DocumentType="Script"><Content>
<Paragraph Type="Scene Heading"><Text>INT. ROOM - DAY</Text></Paragraph>
<Paragraph Type="Character"><Text>ANN</Text></Paragraph>
<Paragraph Type="Dialogue"><Text>Hello.</Text></Paragraph>
</Content></FinalDraft>"""

PLAIN = b"""                                                            1.
     FADE IN:

1    INT. ROOM - DAY                                          1

     Ann sits at the table and waits for somebody to come in.

                              ANN
                    (to herself)
                Where is everybody?
                                                            (MORE)
\f                                                            2.
                              ANN (CONT'D)
                Hello?

                                                      CUT TO:

2    EXT. STREET - NIGHT                                      2

     Rain.

                              BEN
                Nobody here.
"""


def test_detect_format_by_content() -> None:
    assert detect_format(render_pdf(parse_fountain(FOUNTAIN))) == "pdf"
    assert detect_format(FDX) == "fdx"
    assert detect_format(FOUNTAIN) == "fountain"
    assert detect_format(PLAIN) == "text"


def test_extension_does_not_decide() -> None:
    assert parse_screenplay(FOUNTAIN, "script.txt").format == "fountain"
    assert parse_screenplay(FDX, "upload.xml").format == "fdx"
    assert parse_screenplay(render_pdf(parse_fountain(FOUNTAIN)), "script.fountain").format == "pdf"


def test_json_shape() -> None:
    result = screenplay_to_json(parse_screenplay(FOUNTAIN, "tiny.fountain"))
    json.dumps(result)
    assert set(result) == {"title", "pages", "scenes"}
    assert result["title"] == "Tiny"
    prelude, room = result["scenes"]
    assert (prelude["number"], prelude["heading"]) == (0, "")
    assert set(room) == {
        "number", "heading", "setting", "location", "time_of_day", "page_start", "page_end", "characters",
        "elements", "printed_page_start", "printed_page_end", "pdf_page_start", "pdf_page_end",
    }
    assert (room["printed_page_start"], room["pdf_page_start"]) == (None, None)  # Fountain has no printed pages
    assert room["characters"] == ["ANN", "BEN"]
    cue = {"type": "character", "text": "ANN (V.O.)", "character": "ANN", "dual": True}
    assert room["elements"][1] == cue
    assert set(room["elements"][0]) == {"type", "text", "character", "dual"}
    assert room["elements"][-1]["dual"] is True


def test_plain_text_screenplay() -> None:
    sp = parse_screenplay(PLAIN, "script.txt")
    assert sp.format == "text"
    assert [(s.number, s.heading, s.label) for s in sp.scenes] == [
        (0, "", None), (1, "INT. ROOM - DAY", "1"), (2, "EXT. STREET - NIGHT", "2")
    ]
    room = sp.scenes[1]
    speech = [(e.type, e.text) for e in room.elements if e.character == "ANN"]
    assert speech == [("character", "ANN"), ("parenthetical", "(to herself)"),
                      ("dialogue", "Where is everybody? Hello?")]
    assert room.elements[-1].type == "transition"
    assert sp.scenes[2].characters == ["BEN"] and sp.scenes[2].page_start == 2


@pytest.mark.parametrize(
    ("data", "name", "error", "message"),
    [
        (b"", "a.pdf", InvalidInputError, "empty"),
        (b"   \n\n", "a.fountain", InvalidInputError, "empty"),
        (b"INT. ROOM - DAY\n\nText.\n", "a.pdf", UnsupportedFileError, "not a PDF"),
        (b"INT. ROOM - DAY\n\nText.\n", "a.fdx", UnsupportedFileError, "not a Final Draft"),
        (b"PK\x03\x04rest-of-zip", "a.docx", UnsupportedFileError, "Word"),
        (b"\x89PNG\r\n\x1a\n....", "a.pdf", UnsupportedFileError, "PNG"),
        (b"<html><body>hi</body></html>", "a.html", UnsupportedFileError, "not a Final Draft"),
        (b"\x00\x01\x02binary", "a.bin", UnsupportedFileError, "not text"),
        (b"Just a shopping list.\n\nMilk. Eggs.\n", "list.txt", ParseError, "does not look like a"),
        (b"%PDF-1.4 broken", "a.pdf", ParseError, "damaged"),
    ],
)
def test_bad_input_errors(data: bytes, name: str, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        parse_screenplay(data, name)


def test_size_and_page_limits() -> None:
    with pytest.raises(FileTooLargeError, match="limit"):
        parse_screenplay(FOUNTAIN, "a.fountain", max_bytes=20)
    long = b"INT. A - DAY\n\n" + b"Action line that keeps going.\n\n" * 200
    with pytest.raises(FileTooLargeError, match="pages"):
        parse_screenplay(long, "a.fountain", max_pages=3)
    pdf = render_pdf(parse_fountain(long), RenderOptions())
    with pytest.raises(FileTooLargeError, match="pages"):
        parse_screenplay(pdf, "a.pdf", max_pages=3)


def test_unstructured_text_allowed_when_asked() -> None:
    sp = parse_screenplay(b"Just a shopping list.\n\nMilk. Eggs.\n", "list.txt", allow_unstructured=True)
    assert len(sp.scenes) == 1 and sp.scenes[0].number == 0
