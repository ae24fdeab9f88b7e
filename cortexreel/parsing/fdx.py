"""Final Draft (.fdx) XML to the Screenplay model, read with defusedxml so hostile XML cannot hurt us."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from xml.etree.ElementTree import Element as XmlElement

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException, EntitiesForbidden, ExternalReferenceForbidden

from cortexreel.domain.screenplay import Element, ElementType, Screenplay
from cortexreel.errors import ParseError, RefusedFileError
from cortexreel.parsing.builder import PageEstimator, ScreenplayBuilder, element_lines
from cortexreel.parsing.headings import is_upper, parse_heading, split_cue

_TYPE_MAP: dict[str, ElementType] = {
    "Action": "action",
    "General": "action",
    "Character": "character",
    "Dialogue": "dialogue",
    "Parenthetical": "parenthetical",
    "Transition": "transition",
    "Shot": "shot",
    "Lyrics": "lyrics",
    "Cast List": "action",
}
_CREDIT_RE = re.compile(r"^(?:written|screenplay|teleplay|story|script)?\s*by$|^by$", re.IGNORECASE)


def _text_of(paragraph: XmlElement) -> str:
    """Concatenate the <Text> runs of a paragraph (styles split one line into several runs)."""
    return "".join(node.text or "" for node in paragraph.findall("Text")).strip()


def _paragraphs(content: XmlElement) -> Iterator[tuple[XmlElement, bool]]:
    """Yield (paragraph, dual) in document order, descending into <DualDialogue> groups."""
    for paragraph in content.findall("Paragraph"):
        dual_group = paragraph.find("DualDialogue")
        if dual_group is not None:
            for inner in dual_group.iter("Paragraph"):
                yield inner, True
        else:
            yield paragraph, False


def _read_title_page(root: XmlElement) -> dict[str, str]:
    """Title page paragraphs: the first lines are the title, a "by" line introduces the author."""
    content = root.find("TitlePage/Content")
    if content is None:
        return {}
    lines = [_text_of(p) for p in content.findall("Paragraph")]
    lines = [line for line in lines if line]
    fields: dict[str, str] = {}
    title: list[str] = []
    index = 0
    while index < len(lines) and not _CREDIT_RE.match(lines[index]) and len(title) < 3:
        title.append(lines[index])
        index += 1
    if title:
        fields["title"] = "\n".join(title)
    if index < len(lines) and _CREDIT_RE.match(lines[index]):
        fields["credit"] = lines[index]
        if index + 1 < len(lines):
            fields["author"] = lines[index + 1]
        index += 2
    rest = lines[index:]
    if rest:
        fields["contact"] = "\n".join(rest)
    return fields


def _looks_like_heading(text: str) -> bool:
    if "\n" in text or not is_upper(text):
        return False
    parts = parse_heading(text)
    return parts is not None and parts.setting is not None


def parse_fdx(data: bytes) -> Screenplay:
    """Parse Final Draft XML; pages come from SceneProperties when present, else are estimated."""
    try:
        root = SafeET.fromstring(data)
    except (EntitiesForbidden, ExternalReferenceForbidden) as exc:
        external = exc.sysid is not None or exc.pubid is not None
        what = "external entities (a way to read files from the server)" if external else (
            "entity expansion (a way to blow a small file up to gigabytes)"
        )
        raise RefusedFileError(
            f"This Final Draft file was refused: it uses {what}. Final Draft never writes that; export the "
            "script again from your writing program.",
            detail=str(exc),
        ) from exc
    except (SafeET.ParseError, DefusedXmlException, ValueError, LookupError) as exc:  # LookupError: encoding
        raise ParseError(
            "This Final Draft file is damaged or not valid XML, so it cannot be read.", detail=str(exc)
        ) from exc
    if root.tag != "FinalDraft":
        raise ParseError("This XML file is not a Final Draft screenplay (.fdx).", detail=f"root={root.tag}")
    content = root.find("Content")
    if content is None:
        raise ParseError("This Final Draft file has no script content.")
    builder = ScreenplayBuilder("fdx")
    pages = PageEstimator()
    speaker: str | None = None
    extension: str | None = None
    for paragraph, dual in _paragraphs(content):
        kind = paragraph.get("Type", "Action")
        text = _text_of(paragraph)
        if kind in ("Action", "General") and _looks_like_heading(text):
            kind = "Scene Heading"  # converters sometimes type headings they did not recognise as action
        if kind == "Scene Heading":
            properties = paragraph.find("SceneProperties")
            page_attr = properties.get("Page", "") if properties is not None else ""
            if page_attr.isdigit() and int(page_attr) != pages.page:
                pages.page, pages.used = int(page_attr), 0
            page = pages.place(2)
            parts = parse_heading(text, forced=True)
            number = paragraph.get("Number")
            if parts is not None and number:
                parts = replace(parts, label=number)
            builder.heading(text, parts, page=page, lines=2)
            speaker = None
            continue
        if not text:
            continue
        element_type = _TYPE_MAP.get(kind, "action")
        character: str | None = None
        if element_type == "character":
            speaker, extension = split_cue(text)
            character = speaker
        elif element_type in ("dialogue", "parenthetical") and speaker:
            character = speaker
        else:
            speaker, extension = None, None
        lines = element_lines(element_type, text)
        element = Element(
            type=element_type,
            text=text,
            character=character,
            extension=extension if character else None,
            dual=dual and character is not None,
        )
        builder.add(element, page=pages.place(lines), lines=lines)
    title_page = _read_title_page(root)
    title = " ".join(title_page["title"].split("\n")) if "title" in title_page else None
    return builder.build(title=title, title_page=title_page, pages=pages.page)
