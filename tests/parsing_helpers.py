"""Render a screenplay to a real PDF the way production drafts look, for the parser tests.

`render_pdf` lays out a parsed Screenplay (usually from Fountain) in Courier 12 at the usual indents on
Letter or A4, with optional scene numbers in the margins, page numbers, (MORE)/(CONT'D) across page
breaks, CONTINUED lines, revision asterisks, a running header and dual dialogue side by side.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass, field
from typing import Any, Literal

import pymupdf

from cortexreel.domain.screenplay import Element, ParsedScene, Screenplay

_FITZ: Any = pymupdf
INCH = 72.0
LINE = 12.0


@dataclass
class RenderOptions:
    """What to print around the script; defaults give a clean spec draft on Letter paper."""

    paper: Literal["letter", "a4"] = "letter"
    scene_numbers: Literal["none", "left", "right", "both"] = "none"
    page_numbers: bool = True
    more_contd: bool = True
    continued: bool = False
    revision_marks: bool = False
    header: str | None = None
    watermark: str | None = None
    title_page: dict[str, str] = field(default_factory=dict)
    lines_per_page: int = 54


@dataclass
class _Line:
    x: float
    text: str
    right: str | None = None  # right-hand text for dual dialogue
    right_x: float = 0.0
    label: str | None = None


class _Layout:
    def __init__(self, options: RenderOptions) -> None:
        self.options = options
        self.a4 = options.paper == "a4"
        self.width, self.height = (595.0, 842.0) if self.a4 else (612.0, 792.0)
        shift = -0.2 * INCH if self.a4 else 0.0  # A4 drafts often use slightly different indents
        self.action = 1.5 * INCH + shift
        self.dialogue = 2.5 * INCH + shift
        self.paren = 3.1 * INCH + shift
        self.cue = 3.7 * INCH + shift
        self.right_edge = self.action + 61 * 7.2
        self.pages: list[list[_Line | None]] = [[]]  # None is a blank line

    # -- page handling ------------------------------------------------------------------------------

    @property
    def page(self) -> list[_Line | None]:
        return self.pages[-1]

    def room(self) -> int:
        return self.options.lines_per_page - len(self.page)

    def new_page(self) -> None:
        while self.page and self.page[-1] is None:
            self.page.pop()
        self.pages.append([])

    def put(self, lines: list[_Line], *, blank_before: bool = True) -> None:
        needed = len(lines) + (1 if blank_before and self.page else 0)
        if needed > self.room() and self.page:
            self.new_page()
        if blank_before and self.page:
            self.page.append(None)
        for line in lines:
            if self.room() <= 0:
                self.new_page()
            self.page.append(line)

    # -- elements ------------------------------------------------------------------------------------

    def wrap(self, text: str, width: int) -> list[str]:
        lines: list[str] = []
        for paragraph in text.split("\n"):
            lines.extend(textwrap.wrap(paragraph, width) or [""])
        return lines

    def heading(self, scene: ParsedScene, keep_with: int) -> None:
        texts = self.wrap(scene.heading, 52)
        label = scene.label or str(scene.number)
        lines = [_Line(self.action, text, label=label if i == 0 else None) for i, text in enumerate(texts)]
        if len(lines) + 1 + keep_with + 1 > self.room():
            self.new_page()
        self.put(lines)

    def speech(self, name: str, cue: str, body: list[Element]) -> None:
        parts: list[tuple[str, str]] = []
        for element in body:
            if element.type == "parenthetical":
                wrapped = self.wrap(element.text, 25)
                parts.extend(("paren" if i == 0 else "paren+", text) for i, text in enumerate(wrapped))
            else:
                parts.extend(("dialogue", text) for text in self.wrap(element.text, 35))
        head = [_Line(self.cue, cue)]
        needed = 1 + (1 if self.page else 0) + len(parts)
        if needed <= self.room() or not self.page:
            self.put(head + [self._speech_line(kind, text) for kind, text in parts])
            return
        # Split the speech over the page break: at least two lines here, or move it all.
        fit = self.room() - 2 - (1 if self.options.more_contd else 0)
        if fit < 2:
            self.new_page()
            self.speech(name, cue, body)
            return
        self.put(head + [self._speech_line(kind, text) for kind, text in parts[:fit]])
        if self.options.more_contd:
            self.page.append(_Line(self.cue, "(MORE)"))
        self.new_page()
        rest = [self._speech_line(kind, text) for kind, text in parts[fit:]]
        if self.options.more_contd:
            self.put([_Line(self.cue, f"{name} (CONT'D)"), *rest], blank_before=False)
        else:
            self.put(rest, blank_before=False)

    def _speech_line(self, kind: str, text: str) -> _Line:
        if kind == "paren":
            return _Line(self.paren, text)
        if kind == "paren+":
            return _Line(self.paren + 7.2, text)
        return _Line(self.dialogue, text)

    def dual(self, left: tuple[str, list[Element]], right: tuple[str, list[Element]]) -> None:
        columns: list[list[tuple[float, str]]] = []
        for offset, (cue, body) in zip((0.0, 3.0 * INCH), (left, right), strict=True):
            lines = [(self.action + 1.0 * INCH + offset, cue)]
            for element in body:
                x = self.action + (0.6 if element.type == "parenthetical" else 0.4) * INCH + offset
                lines.extend((x, text) for text in self.wrap(element.text, 24))
            columns.append(lines)
        rows = []
        for index in range(max(len(columns[0]), len(columns[1]))):
            left_part = columns[0][index] if index < len(columns[0]) else None
            right_part = columns[1][index] if index < len(columns[1]) else None
            if left_part is None and right_part is not None:
                rows.append(_Line(right_part[0], right_part[1]))
            elif left_part is not None:
                rows.append(_Line(left_part[0], left_part[1], right_part[1] if right_part else None,
                                  right_part[0] if right_part else 0.0))
        self.put(rows)

    def transition(self, text: str) -> None:
        self.put([_Line(self.right_edge - len(text) * 7.2, text)])

    def centered(self, text: str) -> None:
        middle = (self.action + self.right_edge) / 2
        self.put([_Line(middle - len(line) * 3.6, line) for line in text.split("\n")])

    def action_block(self, text: str) -> None:
        self.put([_Line(self.action, line) for line in self.wrap(text, 60)])


def _speeches(elements: list[Element]) -> list[tuple[str, Any]]:
    """Group elements into ("speech", (name, cue, body)), ("dual", (left, right)) and single elements."""
    items: list[tuple[str, Any]] = []
    index = 0
    while index < len(elements):
        element = elements[index]
        if element.type == "character":
            body: list[Element] = []
            index += 1
            while index < len(elements) and elements[index].type in ("dialogue", "parenthetical"):
                body.append(elements[index])
                index += 1
            items.append(("speech", (element.character or element.text, element, body)))
            continue
        items.append(("element", element))
        index += 1
    merged: list[tuple[str, Any]] = []
    for item in items:
        if (
            item[0] == "speech"
            and item[1][1].dual
            and merged
            and merged[-1][0] == "speech"
            and merged[-1][1][1].dual
        ):
            left = merged.pop()[1]
            merged.append(("dual", ((left[1].text, left[2]), (item[1][1].text, item[1][2]))))
        else:
            merged.append(item)
    return merged


def layout_screenplay(screenplay: Screenplay, options: RenderOptions) -> _Layout:
    layout = _Layout(options)
    for scene in screenplay.scenes:
        items = _speeches(scene.elements)
        if scene.number > 0:
            layout.heading(scene, keep_with=2)
        for kind, value in items:
            if kind == "speech":
                name, cue, body = value
                layout.speech(name, cue.text, body)
            elif kind == "dual":
                layout.dual(value[0], value[1])
            else:
                element: Element = value
                if element.type == "transition":
                    layout.transition(element.text)
                elif element.type == "centered":
                    layout.centered(element.text)
                elif element.type in ("action", "shot", "lyrics"):
                    layout.action_block(element.text)
    return layout


def render_pdf(screenplay: Screenplay, options: RenderOptions | None = None) -> bytes:
    """Render the screenplay to PDF bytes with the production furniture chosen in `options`."""
    options = options or RenderOptions()
    layout = layout_screenplay(screenplay, options)
    document = _FITZ.open()
    if options.title_page:
        _title_page(document, layout, options.title_page)
    top = 1.0 * INCH
    for number, lines in enumerate(layout.pages, start=1):
        page = document.new_page(width=layout.width, height=layout.height)

        def write(x: float, y: float, text: str, size: float = 12, page: Any = page) -> None:
            page.insert_text((x, y), text, fontname="cour", fontsize=size)

        if options.header:
            write(layout.action, 0.5 * INCH, options.header)
        if options.page_numbers and number > 1:
            label = f"{number}."
            write(layout.right_edge - len(label) * 7.2, 0.5 * INCH, label)
        if options.watermark:
            left = layout.width / 2 - len(options.watermark) * 3.6
            write(left, layout.height - 0.5 * INCH, options.watermark)
        body = list(lines)
        if options.continued and number > 1:
            body = [_Line(layout.action, "CONTINUED:"), None, *body]
        for index, line in enumerate(body):
            if line is None:
                continue
            y = top + LINE * (index + 1) - 2
            write(line.x, y, line.text)
            if line.right is not None:
                write(line.right_x, y, line.right)
            if line.label and options.scene_numbers in ("left", "both"):
                write(layout.action - 0.75 * INCH, y, line.label)
            if line.label and options.scene_numbers in ("right", "both"):
                write(layout.width - 0.9 * INCH, y, line.label)
            if options.revision_marks and index % 7 == 3:
                write(layout.width - 0.6 * INCH, y, "*")
        if options.continued and number < len(layout.pages):
            y = top + LINE * (options.lines_per_page + 3) - 2
            write(layout.right_edge - 13 * 7.2, y, "(CONTINUED)")
    data: bytes = document.tobytes()
    document.close()
    return data


def _title_page(document: Any, layout: _Layout, fields: dict[str, str]) -> None:
    page = document.new_page(width=layout.width, height=layout.height)
    middle = layout.width / 2
    y = 3.5 * INCH
    for key, size in (("title", 18), ("credit", 12), ("author", 12), ("source", 12)):
        for text in fields.get(key, "").split("\n"):
            if text:
                page.insert_text((middle - len(text) * size * 0.3, y), text, fontname="cour", fontsize=size)
                y += 2 * LINE if key == "title" else LINE * 1.5
    y = layout.height - 1.5 * INCH
    for key in ("draft date", "contact"):
        for text in fields.get(key, "").split("\n"):
            if text:
                page.insert_text((layout.action, y), text, fontname="cour", fontsize=12)
                y += LINE


def scan_pdf(data: bytes, dpi: int = 150) -> bytes:
    """The same PDF with every page replaced by a grey picture of it at `dpi`: a scan, no text layer."""
    source = _FITZ.open(stream=data, filetype="pdf")
    scanned = _FITZ.open()
    for page in source:
        picture = page.get_pixmap(dpi=dpi, colorspace=_FITZ.csGRAY)
        new_page = scanned.new_page(width=page.rect.width, height=page.rect.height)
        new_page.insert_image(new_page.rect, pixmap=picture)
    result: bytes = scanned.tobytes(deflate=True)
    return result


def speakers_by_scene(screenplay: Screenplay) -> list[tuple[str, list[str]]]:
    """(heading, speakers) for each scene with a heading, for compact assertions."""
    return [(scene.heading, scene.characters) for scene in screenplay.scenes if scene.number > 0]


_WORDS = [
    "the", "door", "opens", "slowly", "and", "rain", "falls", "on", "the", "roof", "while", "she",
    "looks", "at", "him", "across", "the", "table", "footsteps", "come", "closer", "a", "light",
    "flickers", "nobody", "answers", "the", "phone", "rings", "again", "in", "the", "dark", "hall",
]
_NAMES = ["ANNA", "BOB", "CAROL", "DMITRI", "EVE", "FRANK", "GRACE", "HANK"]


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."


def generated_script(pages: int, seed: int = 7) -> str:
    """A Fountain script of roughly `pages` pages of scenes with action and dialogue, the same for a seed:
    for speed benchmarks and renderer round trips where the corpus is too small or absent."""
    rng = random.Random(seed)
    blocks: list[str] = []
    for number in range(pages * 3):
        blocks.append(f"{rng.choice(['INT.', 'EXT.'])} PLACE {number} - {rng.choice(['DAY', 'NIGHT'])}")
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.4:
                blocks.append(" ".join(_sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(1, 3))))
            else:
                speech = " ".join(_sentence(rng, rng.randint(3, 12)) for _ in range(rng.randint(1, 4)))
                blocks.append(f"{rng.choice(_NAMES)}\n{speech}")
    return "\n\n".join(blocks) + "\n"
