"""Final Draft XML: paragraph types, dual dialogue, scene numbers, page info and the title page."""

from __future__ import annotations

import pytest

from cortexreel.errors import ParseError
from cortexreel.parsing.fdx import parse_fdx


def paragraph(kind: str, text: str, extra: str = "", inner: str = "") -> str:
    return f'<Paragraph Type="{kind}" {extra}>{inner}<Text>{text}</Text></Paragraph>'


FDX = f"""<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<FinalDraft DocumentType="Script" Template="No" Version="5">
<Content>
{paragraph("Scene Heading", "INT. OFFICE - DAY", 'Number="12A"', '<SceneProperties Page="3"/>')}
{paragraph("Action", "Papers everywhere.")}
{paragraph("Character", "JOAN (V.O.)")}
{paragraph("Parenthetical", "(tired)")}
<Paragraph Type="Dialogue"><Text>Not </Text><Text Style="Bold">again</Text><Text>.</Text></Paragraph>
<Paragraph><DualDialogue>
{paragraph("Character", "AL")}
{paragraph("Dialogue", "Left.")}
{paragraph("Character", "BO")}
{paragraph("Dialogue", "Right.")}
</DualDialogue></Paragraph>
{paragraph("Transition", "CUT TO:")}
{paragraph("Scene Heading", "EXT. ROOF - NIGHT", 'Number="13"', '<SceneProperties Page="5"/>')}
{paragraph("Shot", "ANGLE ON THE CITY")}
{paragraph("General", "Wind.")}
{paragraph("Action", "EXT. STREET - LATER")}
</Content>
<TitlePage><Content>
<Paragraph Alignment="Center"><Text>THE OFFICE JOB</Text></Paragraph>
<Paragraph Alignment="Center"><Text>Written by</Text></Paragraph>
<Paragraph Alignment="Center"><Text>Sam Penn</Text></Paragraph>
<Paragraph Alignment="Left"><Text>sam@example.com</Text></Paragraph>
</Content></TitlePage>
</FinalDraft>
"""


def test_fdx_scenes_and_elements() -> None:
    sp = parse_fdx(FDX.encode())
    assert sp.format == "fdx"
    office, roof, street = sp.scenes
    assert (office.label, office.heading, office.page_start) == ("12A", "INT. OFFICE - DAY", 3)
    assert (roof.label, roof.page_start, roof.time_of_day) == ("13", 5, "NIGHT")
    assert street.heading == "EXT. STREET - LATER"  # an unmistakable heading typed as action
    types = [(e.type, e.text, e.character) for e in office.elements]
    assert types[:4] == [
        ("action", "Papers everywhere.", None),
        ("character", "JOAN (V.O.)", "JOAN"),
        ("parenthetical", "(tired)", "JOAN"),
        ("dialogue", "Not again.", "JOAN"),
    ]
    assert office.elements[1].extension == "V.O."
    assert office.characters == ["JOAN", "AL", "BO"]
    assert [(e.character, e.dual) for e in office.elements if e.dual] == [
        ("AL", True), ("AL", True), ("BO", True), ("BO", True)
    ]
    assert [e.type for e in roof.elements] == ["shot", "action"]


def test_fdx_title_page() -> None:
    sp = parse_fdx(FDX.encode())
    assert sp.title == "THE OFFICE JOB"
    assert sp.title_page["author"] == "Sam Penn"
    assert sp.title_page["contact"] == "sam@example.com"


def test_fdx_pages_estimated_without_scene_properties() -> None:
    body = "".join(paragraph("Action", "A line of action that goes on for a while. " * 3) for _ in range(80))
    xml = f'<FinalDraft><Content>{paragraph("Scene Heading", "INT. A - DAY")}{body}</Content></FinalDraft>'
    sp = parse_fdx(xml.encode())
    assert sp.pages >= 5 and sp.scenes[0].page_end == sp.pages


@pytest.mark.parametrize(
    "data",
    [
        b"<FinalDraft><Content><Paragraph>",
        b"<NotFinalDraft/>",
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><FinalDraft>&a;</FinalDraft>',
    ],
)
def test_fdx_bad_input(data: bytes) -> None:
    with pytest.raises(ParseError):
        parse_fdx(data)
