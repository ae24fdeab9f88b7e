"""Fountain (https://fountain.io) screenplay markup to the Screenplay model."""

from __future__ import annotations

import re

from cortexreel.domain.screenplay import Element, ElementType, Screenplay
from cortexreel.parsing.builder import PageEstimator, ScreenplayBuilder, element_lines
from cortexreel.parsing.headings import is_upper, parse_heading, split_cue

_TITLE_KEY_RE = re.compile(r"^([A-Za-z][A-Za-z0-9 _-]{0,30}):(.*)$")
_SPEC_HEADING_RE = re.compile(r"^(?:INT|EXT|EST|INT\.?/EXT|EXT\.?/INT|I/E)[. ]", re.IGNORECASE)
_PAGE_BREAK_RE = re.compile(r"^={3,}$")
_BONEYARD_RE = re.compile(r"/\*.*?\*/", re.DOTALL)
_NOTE_RE = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_EMPHASIS_RE = re.compile(r"(?<!\\)(\*{1,3}|_)(?=\S)(.+?)(?<=\S)(?<!\\)\1")
_NOTE_MARK = "\x01"


def strip_emphasis(text: str) -> str:
    """Remove Fountain emphasis markers (*italic*, **bold**, _underline_) and unescape \\* and \\_."""
    for _ in range(3):
        replaced = _EMPHASIS_RE.sub(r"\2", text)
        if replaced == text:
            break
        text = replaced
    return text.replace("\\*", "*").replace("\\_", "_")


def _mark_notes(text: str) -> str:
    """Notes that fill their own lines become note markers; notes inside other text are removed."""

    def replace(match: re.Match[str]) -> str:
        start, end = match.span()
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        if not text[line_start:start].strip() and not text[end:line_end].strip():
            return _NOTE_MARK + " ".join(match.group(1).split())
        return ""

    return _NOTE_RE.sub(replace, text)


def _read_title_page(lines: list[str]) -> tuple[dict[str, str], int]:
    """Read `Key: value` lines at the top; returns the fields and the index of the first body line."""
    if not lines or not _TITLE_KEY_RE.match(lines[0]):
        return {}, 0
    fields: dict[str, list[str]] = {}
    key = ""
    index = 0
    while index < len(lines) and lines[index].strip():
        line = lines[index]
        match = _TITLE_KEY_RE.match(line)
        if match and not line[:1].isspace():
            key = match.group(1).strip().lower()
            fields[key] = [match.group(2).strip()] if match.group(2).strip() else []
        elif key:
            fields[key].append(line.strip())
        index += 1
    result = {k: "\n".join(strip_emphasis(v) for v in values if v) for k, values in fields.items()}
    return result, index


class _FountainReader:
    """Line-by-line state machine over the body of a Fountain document."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.builder = ScreenplayBuilder("fountain")
        self.pages = PageEstimator()
        self.speaker: str | None = None
        self.extension: str | None = None
        self.dual = False

    def add(self, element_type: ElementType, text: str, *, character: str | None = None) -> Element:
        text = strip_emphasis(text)
        element = Element(
            type=element_type,
            text=text,
            character=character,
            extension=self.extension if character else None,
            dual=self.dual if character else False,
        )
        lines = element_lines(element_type, text)
        self.builder.add(element, page=self.pages.place(lines), lines=lines)
        return element

    def next_is_blank(self, index: int) -> bool:
        return index + 1 >= len(self.lines) or not self.lines[index + 1].strip()

    def paragraph(self, index: int, *, stop_on_forced: bool = False) -> tuple[list[str], int]:
        """Collect the lines up to the next blank line."""
        collected: list[str] = []
        while index < len(self.lines) and self.lines[index].strip():
            line = self.lines[index].strip()
            if stop_on_forced and collected and line.startswith(_NOTE_MARK):
                break
            collected.append(line)
            index += 1
        return collected, index

    def read(self) -> None:
        index = 0
        previous_blank = True
        while index < len(self.lines):
            raw = self.lines[index]
            line = raw.strip()
            if not line:
                previous_blank = True
                index += 1
                continue
            index = self.read_block(index, line, previous_blank)
            previous_blank = False

    def read_block(self, index: int, line: str, previous_blank: bool) -> int:
        """Read one block starting at `index` and return the index after it."""
        if _PAGE_BREAK_RE.match(line):
            self.pages.break_page()
            return index + 1
        if line.startswith(_NOTE_MARK):
            self.add("note", line[1:])
            return index + 1
        if line.startswith("#") or (line.startswith("=") and not line.startswith("==")):
            return index + 1  # sections and synopses are outline only, never printed
        if line.startswith("!"):
            return self.read_action(index, first=line[1:])
        if line.startswith(".") and not line.startswith("..") and len(line) > 1:
            self.read_heading(line[1:], forced=True)
            return index + 1
        if previous_blank and self.is_heading(line):
            self.read_heading(line, forced=False)
            return index + 1
        if line.startswith(">") and line.endswith("<"):
            return self.read_centered(index)
        if line.startswith(">"):
            self.add("transition", line[1:].strip())
            return index + 1
        if previous_blank and is_upper(line) and line.endswith("TO:") and self.next_is_blank(index):
            self.add("transition", line)
            return index + 1
        if line.startswith("~"):
            return self.read_lyrics(index)
        if previous_blank and not self.next_is_blank(index) and self.is_cue(line):
            return self.read_speech(index, line)
        return self.read_action(index, first=None)

    @staticmethod
    def is_heading(line: str) -> bool:
        if not (_SPEC_HEADING_RE.match(line) or is_upper(line)):
            return False
        parts = parse_heading(line)
        return parts is not None and parts.setting is not None

    @staticmethod
    def is_cue(line: str) -> bool:
        if line.startswith("@"):
            return len(line) > 1
        name, _ = split_cue(line)
        return bool(name) and is_upper(name) and not line.endswith(":") and not line.startswith("(")

    def read_heading(self, text: str, *, forced: bool) -> None:
        text = strip_emphasis(text.strip())
        parts = parse_heading(text, forced=True)
        self.builder.heading(text, parts, page=self.pages.place(2), lines=2)

    def read_centered(self, index: int) -> int:
        texts: list[str] = []
        while index < len(self.lines):
            line = self.lines[index].strip()
            if not (line.startswith(">") and line.endswith("<")):
                break
            texts.append(line[1:-1].strip())
            index += 1
        self.add("centered", "\n".join(texts))
        return index

    def read_lyrics(self, index: int) -> int:
        texts: list[str] = []
        while index < len(self.lines) and self.lines[index].strip().startswith("~"):
            texts.append(self.lines[index].strip()[1:].strip())
            index += 1
        self.add("lyrics", "\n".join(texts))
        return index

    def read_action(self, index: int, *, first: str | None) -> int:
        texts, end = self.paragraph(index, stop_on_forced=True)
        if first is not None:
            texts[0] = first
        text = "\n".join(texts).strip()
        if text:
            self.add("action", text)
        return end

    def read_speech(self, index: int, cue_line: str) -> int:
        cue = cue_line[1:] if cue_line.startswith("@") else cue_line
        dual = cue.rstrip().endswith("^")
        cue = cue.rstrip().rstrip("^").strip()
        name, self.extension = split_cue(cue)
        self.dual = dual
        if dual:
            self.mark_previous_speech_dual()
        self.add("character", cue, character=name)
        index += 1
        dialogue: list[str] = []
        while index < len(self.lines):
            raw = self.lines[index]
            line = raw.strip()
            if not line and raw != "  ":
                break
            if line.startswith("(") and line.endswith(")") or (line.startswith("(") and not dialogue):
                self.flush_dialogue(dialogue, name)
                dialogue = []
                self.add("parenthetical", line, character=name)
            elif line.startswith(_NOTE_MARK):
                pass
            else:
                dialogue.append(line)
            index += 1
        self.flush_dialogue(dialogue, name)
        self.extension = None
        self.dual = False
        return index

    def flush_dialogue(self, texts: list[str], name: str) -> None:
        text = "\n".join(texts).strip()
        if text:
            self.add("dialogue", text, character=name)

    def mark_previous_speech_dual(self) -> None:
        for element in reversed(self.builder.current.elements):
            if element.type not in ("dialogue", "parenthetical", "character"):
                break
            element.dual = True
            if element.type == "character":
                break


def parse_fountain(data: bytes | str) -> Screenplay:
    """Parse a Fountain document; pages are estimated at 55 printed lines each."""
    text = data.decode("utf-8-sig", errors="replace") if isinstance(data, bytes) else data
    text = text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4)
    text = _mark_notes(_BONEYARD_RE.sub("", text))
    lines = text.split("\n")
    title_page, start = _read_title_page(lines)
    reader = _FountainReader(lines[start:])
    reader.read()
    title = " ".join(title_page["title"].split("\n")) if title_page.get("title") else None
    return reader.builder.build(title=title, title_page=title_page, pages=reader.pages.page)
