"""The parsed screenplay: what every parser (PDF, Fountain, FDX, text) produces."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from cortexreel.domain.base import Model, Setting

ElementType = Literal[
    "action", "character", "dialogue", "parenthetical", "transition", "shot", "centered", "lyrics", "note"
]
ScriptFormat = Literal["pdf", "fountain", "fdx", "text"]


class Element(Model):
    """One block of a scene; dialogue, character cues and parentheticals know their speaker."""

    type: ElementType
    text: str
    character: str | None = None
    extension: str | None = None
    dual: bool = False


def speakers(elements: list[Element]) -> list[str]:
    """Speakers in order of first appearance, without extensions."""
    return list(dict.fromkeys(e.character for e in elements if e.type == "dialogue" and e.character))


class ParsedScene(Model):
    number: int = Field(ge=0)
    label: str | None = None
    heading: str
    setting: Setting | None = None
    location: str = ""
    time_of_day: str | None = None
    # The script's own page numbers: the number printed on the page where there is one ("12A" counts as 12),
    # else estimated. `printed_page_*` is the page number exactly as printed; `pdf_page_*` is the physical page
    # of the PDF file (1 = its first page, title page included); both are None where the format has no pages.
    page_start: int = Field(default=1, ge=1)
    page_end: int = Field(default=1, ge=1)
    printed_page_start: str | None = None
    printed_page_end: str | None = None
    pdf_page_start: int | None = Field(default=None, ge=1)
    pdf_page_end: int | None = Field(default=None, ge=1)
    eighths: int = Field(default=1, ge=1)
    elements: list[Element] = Field(default_factory=list)

    @property
    def characters(self) -> list[str]:
        return speakers(self.elements)


class Screenplay(Model):
    format: ScriptFormat
    title: str | None = None
    title_page: dict[str, str] = Field(default_factory=dict)
    pages: int = Field(default=1, ge=0)
    scenes: list[ParsedScene] = Field(default_factory=list)
    # What the reader had to work around (a repaired PDF, unreadable pages): shown to the user, not an error.
    warnings: list[str] = Field(default_factory=list)
